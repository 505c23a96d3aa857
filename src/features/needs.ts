// "What needs me now": what waits for the signed-in person, with counts and deadlines, across the areas they work in.
import type { EntityManager } from '@mikro-orm/postgresql';
import { agenciesOf, type CurrentUser, mayApprove } from '../domain/permissions.ts';
import { waitingRequests, type WaitingRequest } from './appraisal/explanations.ts';
import { appraisalCampaigns, queueCounts, queueScope } from './appraisal/queue.ts';

export interface AppraisalNeed {
  campaignCode: string;
  campaignName: string;
  /** Items to decide: not yet appraised, or answered by the unit. */
  todo: number;
  answered: number;
  closes: string | null;
}

/** A phase step of a campaign that is now due: the secretariat's to take, or the chair's approval. */
export interface StepNeed {
  campaignCode: string;
  campaignName: string;
  step: 'toAppraisal' | 'closeAppraisal' | 'approve' | 'publish';
  /** The date it was planned for (null when the campaign names none). */
  since: string | null;
}

export interface Needs {
  requests: WaitingRequest[];
  appraisal: AppraisalNeed[];
  steps: StepNeed[];
}

export async function needsOf(em: EntityManager, user: CurrentUser, today: string): Promise<Needs> {
  const requests = user.areas.includes('unit') ? await waitingRequests(em, user, today) : [];
  const appraisal: AppraisalNeed[] = [];
  if (user.areas.includes('appraisal')) {
    // Practice campaigns (Tập huấn) remind no one: their deadlines are not real.
    for (const c of (await appraisalCampaigns(em)).filter((c) => !c.practice)) {
      if (c.state !== 'appraisal') continue;
      const counts = await queueCounts(em, await queueScope(em, c, agenciesOf(user.grants), {}, today));
      if (counts.todo + counts.answered === 0) continue;
      appraisal.push({
        campaignCode: c.code,
        campaignName: c.name,
        todo: counts.todo,
        answered: counts.answered,
        closes: c.appraisalCloses,
      });
    }
  }
  const isAdmin = user.grants.some((g) => g.role === 'admin');
  const isChair = user.grants.some((g) => g.role === 'chair');
  const steps: StepNeed[] = [];
  if (isAdmin || isChair) {
    const rows = await em.execute<
      { id: number; code: string; name: string; state: string; sa_closes: string | null; ap_closes: string | null }[]
    >(
      `select id, code, name, state, to_char(self_assessment_closes, 'YYYY-MM-DD') as sa_closes,
              to_char(appraisal_closes, 'YYYY-MM-DD') as ap_closes
         from campaign where not practice and state in ('self-assessment', 'appraisal', 'council-review', 'approved')
        order by year desc, name collate "vi-x-icu"`,
    );
    for (const r of rows) {
      const need = (step: StepNeed['step'], since: string | null) =>
        steps.push({ campaignCode: r.code, campaignName: r.name, step, since });
      if (isAdmin && r.state === 'self-assessment' && r.sa_closes && r.sa_closes < today)
        need('toAppraisal', r.sa_closes);
      if (isAdmin && r.state === 'appraisal' && r.ap_closes && r.ap_closes < today) need('closeAppraisal', r.ap_closes);
      // A chair recorded in one campaign's council approves that one only (issue 23).
      if (r.state === 'council-review' && mayApprove(user.grants, r.id)) need('approve', r.ap_closes);
      if (isAdmin && r.state === 'approved') need('publish', null);
    }
  }
  return { requests, appraisal, steps };
}

/** Whole days from `today` to `date` (both yyyy-mm-dd): 0 on the day itself. */
export const daysUntil = (date: string, today: string) =>
  Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
