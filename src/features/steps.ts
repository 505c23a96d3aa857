// What a weighty step of a campaign will do, in numbers, for the page that asks to confirm it: the units that have not
// submitted (and which), the days left to the deadlines, the items not appraised per agency. Read in one snapshot.
import type { EntityManager } from '@mikro-orm/postgresql';
import { campaignOverview } from './council/overview.ts';

/** The weighty steps: the secretariat's phase changes, the chair's approval, publication and the two corrections. */
export type WeightyStep =
  | 'self-assessment'
  | 'appraisal'
  | 'council-review'
  | 'approval'
  | 'publication'
  | 'publication-correction'
  | 'score-correction';

export interface StepConsequences {
  step: WeightyStep;
  campaign: { code: string; name: string; state: string };
  units: number;
  submitted: number;
  /** The units that have not submitted their self-assessment, by name. */
  notSubmitted: { code: string; name: string }[];
  /** When the campaign ranks its units in blocks (khối): each block's units, submissions and units not submitted. */
  blocks: { name: string; units: number; submitted: number; notSubmitted: { code: string; name: string }[] }[];
  selfAssessmentCloses: string | null;
  /** Days from today to the self-assessment deadline: positive before it, 0 on the day, negative after. */
  daysToSelfDeadline: number | null;
  appraisalCloses: string | null;
  daysToAppraisalDeadline: number | null;
  /** Items not yet decided (to do, waiting for an explanation, answered), per agency; only agencies with some. */
  openByAgency: { name: string | null; open: number }[];
  openItems: number;
  /** Why the step comes early; empty when it does not. */
  early: ('beforeSelfDeadline' | 'notSubmitted' | 'beforeAppraisalDeadline' | 'openItems')[];
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The consequences of taking `step` on the campaign `code` today (Vietnam's date); null for an unknown campaign. */
export async function stepConsequences(
  em: EntityManager,
  code: string,
  step: WeightyStep,
  today: string,
): Promise<StepConsequences | null> {
  const overview = await campaignOverview(em, code, today);
  if (!overview) return null;
  const [dates] = await em.execute<{ self_closes: string | null; appraisal_closes: string | null }[]>(
    `select to_char(self_assessment_closes, 'YYYY-MM-DD') as self_closes, to_char(appraisal_closes, 'YYYY-MM-DD') as appraisal_closes
       from campaign where id = ?`,
    [overview.campaign.id],
  );
  const selfCloses = dates?.self_closes ?? null;
  const appraisalCloses = dates?.appraisal_closes ?? null;
  const notSubmitted = overview.units.filter((u) => !u.submitted).map((u) => ({ code: u.code, name: u.name }));
  const blocks = overview.blocks.map((b) => ({
    ...b,
    notSubmitted: overview.units
      .filter((u) => !u.submitted && u.block === b.name)
      .map((u) => ({ code: u.code, name: u.name })),
  }));
  const openByAgency = overview.agencies
    .map((a) => ({ name: a.name, open: a.counts.total - a.counts.done }))
    .filter((a) => a.open > 0);
  const openItems = overview.totals.total - overview.totals.done;
  const daysToSelfDeadline = selfCloses ? daysBetween(today, selfCloses) : null;
  const daysToAppraisalDeadline = appraisalCloses ? daysBetween(today, appraisalCloses) : null;
  const early: StepConsequences['early'] = [];
  if (step === 'appraisal') {
    if (daysToSelfDeadline !== null && daysToSelfDeadline >= 0) early.push('beforeSelfDeadline');
    if (notSubmitted.length) early.push('notSubmitted');
  }
  if (step === 'council-review') {
    if (daysToAppraisalDeadline !== null && daysToAppraisalDeadline >= 0) early.push('beforeAppraisalDeadline');
    if (openItems) early.push('openItems');
  }
  if (step === 'approval' || step === 'publication') {
    if (openItems) early.push('openItems');
  }
  return {
    step,
    campaign: { code: overview.campaign.code, name: overview.campaign.name, state: overview.campaign.state },
    units: overview.totals.units,
    submitted: overview.totals.submitted,
    notSubmitted,
    blocks,
    selfAssessmentCloses: selfCloses,
    daysToSelfDeadline,
    appraisalCloses,
    daysToAppraisalDeadline,
    openByAgency,
    openItems,
    early,
  };
}
