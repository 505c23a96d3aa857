import type { EntityManager } from '@mikro-orm/postgresql';
import { dec, precisionOf, toJsonNumber, type Dec } from '../domain/decimal.ts';
import { loadCriterionNodes } from './criteria-sets.ts';
import { onlineTallies } from './survey-online/tallies.ts';
import {
  computeResults,
  type LeafScore,
  type Rules,
  type ScoringInput,
  type UnitInput,
  type UnitResult,
} from '../domain/scoring.ts';

interface CampaignRow {
  id: number;
  precision: number;
  rounding: 'half-up' | 'down';
  composition: { key: string; max: string }[];
  bands: { name: string; min: string; fieldFloorPercent?: string }[];
  criteria_set_id: number;
}

export function rulesOf(c: Pick<CampaignRow, 'precision' | 'rounding' | 'composition' | 'bands'>): Rules {
  return {
    precision: precisionOf(c.precision),
    rounding: c.rounding,
    composition: c.composition.map((p) => ({ key: p.key, max: dec(p.max) })),
    bands: c.bands.map((b) => ({
      name: b.name,
      min: dec(b.min),
      ...(b.fieldFloorPercent ? { fieldFloorPercent: dec(b.fieldFloorPercent) } : {}),
    })),
  };
}

/**
 * Everything the scoring core needs about a campaign, read in a fixed handful of queries: its rules, criteria tree,
 * and per unit the self and appraised scores, what does not apply, the survey tallies and any imported component points.
 * An appraised score not yet given counts 0 (docs/workbook.md); a unit's own "not applicable" holds unless the appraiser scored it.
 */
export async function loadScoringInput(
  em: EntityManager,
  campaignId: number,
): Promise<ScoringInput & { unitIds: Map<string, number> }> {
  const [campaign] = await em.execute<CampaignRow[]>(
    'select id, precision, rounding, composition, bands, criteria_set_id from campaign where id = ?',
    [campaignId],
  );
  const criteria = await loadCriterionNodes(em, campaign.criteria_set_id);
  // In the order the units joined the campaign: blocks are listed in the order they first appear.
  const units = await em.execute<{ id: number; code: string; name: string; block: string | null }[]>(
    `select u.id, u.code, u.name, cu.block from campaign_unit cu join unit u on u.id = cu.unit_id
      where cu.campaign_id = ? order by cu.id`,
    [campaignId],
  );
  // Every score of the campaign (half a million at national scale): criteria by id, named here from the set's few
  // hundred, so that no code travels once per score; scores are few distinct values, each parsed once.
  const codes = new Map(
    (
      await em.execute<{ id: number; code: string }[]>('select id, code from criterion where criteria_set_id = ?', [
        campaign.criteria_set_id,
      ])
    ).map((c) => [c.id, c.code]),
  );
  // One row per unit, its scores packed in one text ("criterion:self:appraised:na;…"): half a million rows would cost
  // the driver an object each; 3,300 strings split here cost a fraction of that.
  const scoreRows = await em.execute<{ unit_id: number; packed: string | null }[]>(
    `select sa.unit_id,
            string_agg(cs.criterion_id || ':' || coalesce(cs.self_score::text, '') || ':' ||
                       coalesce(a.appraised_score::text, '') || ':' || case when cs.not_applicable then '1' else '' end, ';') as packed
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
       left join appraisal a on a.criterion_score_id = cs.id
      where sa.campaign_id = ?
      group by sa.unit_id`,
    [campaignId],
  );
  const parsed = new Map<string, Dec>();
  const decOf = (text: string): Dec => {
    let value = parsed.get(text);
    if (value === undefined) {
      value = dec(text);
      parsed.set(text, value);
    }
    return value;
  };
  const exemptions = await em.execute<{ unit_id: number; code: string }[]>(
    'select e.unit_id, c.code from exemption e join criterion c on c.id = e.criterion_id where e.campaign_id = ?',
    [campaignId],
  );
  const surveys = await em.execute<
    { unit_id: number; respondents: number; satisfied_answers: number; questions_per_respondent: number }[]
  >(
    'select unit_id, respondents, satisfied_answers, questions_per_respondent from survey_result where campaign_id = ?',
    [campaignId],
  );
  const components = await em.execute<{ unit_id: number; key: string; points: string }[]>(
    'select unit_id, key, points from component_points where campaign_id = ?',
    [campaignId],
  );

  const byUnit = new Map<number, UnitInput & { scores: Map<string, LeafScore>; notApplicable: Set<string> }>();
  for (const u of units)
    byUnit.set(u.id, { code: u.code, name: u.name, block: u.block, scores: new Map(), notApplicable: new Set() });
  for (const r of scoreRows) {
    const unit = byUnit.get(r.unit_id);
    if (!unit || !r.packed) continue;
    for (const item of r.packed.split(';')) {
      const [id, self, appraised, notApplicable] = item.split(':') as [string, string, string, string];
      const code = codes.get(Number(id));
      if (code === undefined) continue;
      if (notApplicable && !appraised) unit.notApplicable.add(code);
      else
        unit.scores.set(code, {
          self: self ? decOf(self) : null,
          appraised: appraised ? decOf(appraised) : null,
        });
    }
  }
  for (const e of exemptions) {
    const unit = byUnit.get(e.unit_id);
    if (!unit) continue;
    unit.notApplicable.add(e.code);
    for (const code of [...unit.scores.keys()])
      if (code === e.code || code.startsWith(`${e.code}.`)) unit.scores.delete(code);
  }
  // A survey collected online takes its tallies from the answers that stand, instead of the typed ones.
  const online = await onlineTallies(em, campaignId);
  for (const s of online ? [] : surveys) {
    const unit = byUnit.get(s.unit_id);
    if (unit)
      unit.survey = {
        respondents: s.respondents,
        satisfiedAnswers: s.satisfied_answers,
        questionsPerRespondent: s.questions_per_respondent,
      };
  }
  for (const [unitId, tally] of online ?? []) {
    const unit = byUnit.get(unitId);
    if (unit) unit.survey = tally;
  }
  for (const c of components) {
    const unit = byUnit.get(c.unit_id);
    if (!unit) continue;
    const points: Record<string, Dec> = { ...(unit.components ?? {}) };
    points[c.key] = dec(c.points);
    unit.components = points;
  }
  return {
    rules: rulesOf(campaign),
    criteria,
    units: [...byUnit.values()],
    unitIds: new Map(units.map((u) => [u.code, u.id])),
  };
}

/** The campaign's results by the one scoring function, from what is in the database now. */
export async function currentResults(
  em: EntityManager,
  campaignId: number,
): Promise<{ input: ScoringInput; results: UnitResult[] }> {
  const input = await loadScoringInput(em, campaignId);
  return { input, results: computeResults(input) };
}

/**
 * The codes of the campaign's units that never submitted their self-assessment: shown as "did not submit", apart
 * from the ranking (src/domain/standing.ts). A unit brought in with its component points (an imported past table)
 * has a real result and is not one of them.
 */
export async function notSubmittedUnits(em: EntityManager, campaignId: number): Promise<Set<string>> {
  const rows = await em.execute<{ code: string }[]>(
    `select u.code from campaign_unit cu join unit u on u.id = cu.unit_id
      where cu.campaign_id = ?
        and not exists (select 1 from self_assessment sa where sa.campaign_id = cu.campaign_id and sa.unit_id = cu.unit_id and sa.state = 'submitted')
        and not exists (select 1 from component_points cp where cp.campaign_id = cu.campaign_id and cp.unit_id = cu.unit_id)`,
    [campaignId],
  );
  return new Set(rows.map((r) => r.code));
}

/** A unit this unit continues, with its newest published result in the latest earlier campaign that ranked it. */
export interface PredecessorResult {
  code: string;
  name: string;
  /** The campaign that published that result; null, with index and band, when none did. */
  campaign: string | null;
  year: number | null;
  index: number | null;
  band: string | null;
}

/**
 * For each unit of the campaign that continues others (merged from them, or renamed), those units with their newest
 * published result in the latest campaign of an earlier year that ranked them: never summed or averaged.
 */
export async function predecessorResults(
  em: EntityManager,
  campaignId: number,
  year: number,
): Promise<Map<string, PredecessorResult[]>> {
  const rows = await em.execute<
    {
      unit_code: string;
      code: string;
      name: string;
      campaign: string | null;
      year: number | null;
      index: string | null;
      band: string | null;
      precision: number | null;
    }[]
  >(
    `select u.code as unit_code, p.code, p.name, r.campaign, r.year, r.index, r.band, r.precision
       from campaign_unit cu join unit u on u.id = cu.unit_id
       join unit_predecessor up on up.unit_id = u.id join unit p on p.id = up.predecessor_id
       left join lateral (
         select c2.code as campaign, c2.year, pr.index, pr.band, c2.precision
           from campaign c2
           join lateral (select q.id, q.published_at from publication q where q.campaign_id = c2.id
                          order by q.version desc limit 1) q on true
           join published_result pr on pr.publication_id = q.id and pr.unit_code = p.code and pr.rank is not null
          where not c2.practice and c2.id <> ? and c2.year < ?
          order by c2.year desc, q.published_at desc limit 1) r on true
      where cu.campaign_id = ?
      order by u.code, p.code`,
    [campaignId, year, campaignId],
  );
  const byUnit = new Map<string, PredecessorResult[]>();
  for (const r of rows)
    byUnit.set(r.unit_code, [
      ...(byUnit.get(r.unit_code) ?? []),
      {
        code: r.code,
        name: r.name,
        campaign: r.campaign,
        year: r.year,
        index: r.index === null ? null : toJsonNumber(dec(r.index), precisionOf(r.precision ?? 2)),
        band: r.band,
      },
    ]);
  return byUnit;
}
