import type { EntityManager } from '@mikro-orm/postgresql';
import { intArray } from '../../db/sql.ts';
import type { AppraisalState } from '../../domain/workflow.ts';
import { format, type Dec, type Places } from '../../domain/decimal.ts';
import { ScoringInputError } from '../../domain/scoring.ts';
import type { Message } from '../../domain/message.ts';
import { appraisalStateOrder, effectiveAgencyCte } from '../appraisal/scope.ts';
import { currentResults, notSubmittedUnits } from '../results.ts';
import { rankSubmitted } from '../../domain/standing.ts';

/**
 * The secretariat's and the council's overview of one campaign's appraisal: progress per agency, appraiser and unit,
 * and the outstanding items (overdue first), read in one repeatable-read snapshot with a fixed number of queries
 * whatever the number of units, agencies or items. Every item is read once (counted by agency, unit and state, and by
 * appraiser and state, in the same pass); the outstanding list then reads only the items that can be in it. The preliminary ranking is a page of its own (`preliminaryRanking`):
 * it runs the scoring core over every score of the campaign, seconds at national scale.
 */

export interface OverviewCampaign {
  id: number;
  code: string;
  name: string;
  state: string;
  criteriaSetId: number;
  appraisalOpens: string | null;
  appraisalCloses: string | null;
  /** A practice campaign (Tập huấn): its pages carry the band. */
  practice: boolean;
}

/** Items by appraisal state, with the derived totals. */
export type StateCounts = Record<AppraisalState, number> & { total: number; done: number; overdue: number };

export interface AgencyProgress {
  id: number | null;
  name: string | null;
  counts: StateCounts;
}
export interface UnitProgress {
  code: string;
  name: string;
  /** The unit's block (khối); null when the campaign has no blocks. */
  block: string | null;
  submitted: boolean;
  submittedAt: Date | null;
  total: number;
  done: number;
  waiting: number;
  overdue: number;
}
export interface AppraiserProgress {
  fullName: string;
  agencies: string | null;
  accepted: number;
  adjusted: number;
  asked: number;
}
export interface OutstandingItem {
  id: number;
  unitName: string;
  criterionCode: string;
  criterionTitle: string;
  /** The agency that appraises it (its criterion's or the nearest ancestor's); null when nobody was given it. */
  agencyId: number | null;
  agencyName: string | null;
  state: AppraisalState;
  dueDate: string | null;
  lateExplanation: boolean;
  latePhase: boolean;
}
export interface RankingRow {
  /** Null for a unit that did not submit: listed apart after the ranked units, with no index nor band. */
  rank: number | null;
  code: string;
  name: string;
  submitted: boolean;
  /** Decimal strings with the campaign's precision ('96.10'), for the view's `score()`. */
  self: string | null;
  points: string | null;
  index: string | null;
  band: string | null;
  components: { key: string; value: string }[];
  /** The unit's block (khối); null when the campaign has no blocks. */
  block: string | null;
}

/** One block of a campaign in blocks: its size and its own band counts (ranks are within it). */
export interface RankingBlock {
  name: string;
  /** Units of the block, and those of them that did not submit (listed apart, in no band). */
  units: number;
  notSubmitted: number;
  /** Units per band of the rules, highest band first. */
  bands: { name: string; count: number }[];
}

export interface Overview {
  campaign: OverviewCampaign;
  /** The state columns, in the order the appraisers' queue uses. */
  states: readonly AppraisalState[];
  totals: StateCounts & { units: number; submitted: number };
  /** Units and submissions per block, in the order the ranking lists the blocks; empty when the campaign has none. */
  blocks: { name: string; units: number; submitted: number }[];
  agencies: AgencyProgress[];
  appraisers: AppraiserProgress[];
  units: UnitProgress[];
  outstanding: { items: OutstandingItem[]; total: number };
}

export type PreliminaryRanking =
  | {
      ok: true;
      /** Block by block when the campaign has blocks: ranked units, then those that did not submit. */
      rows: RankingRow[];
      composition: { key: string; max: string }[];
      /** The campaign's blocks in the order the ranking lists them; empty when it has none. */
      blocks: RankingBlock[];
    }
  | { ok: false; issues: readonly Message[] };

/** How many outstanding items the page lists; the summary counts them all. */
export const outstandingShown = 50;

const decided = `('accepted', 'adjusted')`;

/**
 * The campaign's appraisal items with what makes one overdue: its latest explanation request past due without an
 * answer, or the appraisal phase closed, while the item is still undecided. Parameters: today, today, the campaign id.
 */
const itemsCte = `items as (
    select a.id, a.state, a.appraiser_id, cs.criterion_id, sa.unit_id, er.due_date,
           coalesce(a.state not in ${decided} and er.answered_at is null and er.due_date < ?::date, false) as late_explanation,
           coalesce(a.state not in ${decided} and k.appraisal_closes < ?::date, false) as late_phase
      from appraisal a
      join criterion_score cs on cs.id = a.criterion_score_id
      join self_assessment sa on sa.id = cs.self_assessment_id
      join campaign k on k.id = sa.campaign_id
      -- The latest request of every item, joined whole: requests are few beside items, so one hash join beats a probe per item.
      left join (select distinct on (r.appraisal_id) r.appraisal_id, r.due_date, r.answered_at from explanation_request r
                  order by r.appraisal_id, r.id desc) er on er.appraisal_id = a.id
     where sa.campaign_id = ?)`;

function emptyCounts(): StateCounts {
  return { todo: 0, accepted: 0, adjusted: 0, waiting: 0, answered: 0, total: 0, done: 0, overdue: 0 };
}

function addTo(counts: StateCounts, state: AppraisalState, n: number, overdue: number): void {
  counts[state] += n;
  counts.total += n;
  if (state === 'accepted' || state === 'adjusted') counts.done += n;
  counts.overdue += overdue;
}

export async function campaignOverview(em: EntityManager, code: string, today: string): Promise<Overview | null> {
  return em.transactional((tx) => readOverview(tx, code, today), { isolationLevel: 'repeatable read', readOnly: true });
}

async function campaignNamed(em: EntityManager, code: string): Promise<OverviewCampaign | null> {
  const [campaign] = await em.execute<OverviewCampaign[]>(
    `select id, code, name, state, criteria_set_id as "criteriaSetId",
            to_char(appraisal_opens, 'YYYY-MM-DD') as "appraisalOpens", to_char(appraisal_closes, 'YYYY-MM-DD') as "appraisalCloses", practice
       from campaign where code = ?`,
    [code],
  );
  return campaign ?? null;
}

async function readOverview(em: EntityManager, code: string, today: string): Promise<Overview | null> {
  const campaign = await campaignNamed(em, code);
  if (!campaign) return null;
  const itemParams = [today, today, campaign.id];

  // Which agency appraises each criterion of the set (none for criteria nobody was given), agencies in name order:
  // every agency that appraises part of the set, in the order they first appear here.
  const criterionAgencies = await em.execute<
    { criterion_id: number; agency_id: number | null; agency_name: string | null }[]
  >(
    `with recursive ${effectiveAgencyCte}
     select ea.criterion_id, ea.agency_id, ag.name as agency_name from effective_agency ea left join agency ag on ag.id = ea.agency_id
      order by ag.name collate "vi-x-icu" nulls last, ea.agency_id`,
    [campaign.criteriaSetId],
  );
  const agencyOf = new Map(criterionAgencies.map((c) => [c.criterion_id, c.agency_id]));
  const agencyRows = [...new Map(criterionAgencies.map((c) => [c.agency_id, c])).values()];
  // Every item once, counted three ways in the same pass, each a small hash: by criterion and state (by = 3, summed
  // into agencies here), by unit and state (by = 5), by appraiser and state (by = 6).
  const counted = await em.execute<
    {
      by: number;
      criterion_id: number | null;
      unit_id: number | null;
      appraiser_id: number | null;
      state: AppraisalState;
      n: number;
      waiting_late: number;
      late: number;
    }[]
  >(
    `with ${itemsCte}
     select grouping(i.criterion_id, i.unit_id, i.appraiser_id) as by, i.criterion_id, i.unit_id, i.appraiser_id, i.state,
            count(*)::int as n,
            count(*) filter (where i.late_explanation)::int as waiting_late,
            count(*) filter (where i.late_explanation or i.late_phase)::int as late
       from items i
      group by grouping sets ((i.criterion_id, i.state), (i.unit_id, i.state), (i.appraiser_id, i.state))`,
    itemParams,
  );
  const byCriterion = counted.filter((c) => c.by === 3 && agencyOf.has(c.criterion_id!));
  const byUnit = counted.filter((c) => c.by === 5) as (Omit<(typeof counted)[number], 'unit_id'> & {
    unit_id: number;
  })[];

  // The appraisers who decided or asked about an item, by name, with their agencies and what they did.
  const byAppraiser = new Map<number, { accepted: number; adjusted: number; asked: number }>();
  for (const c of counted) {
    if (c.by !== 6 || c.appraiser_id === null) continue;
    const work = byAppraiser.get(c.appraiser_id) ?? { accepted: 0, adjusted: 0, asked: 0 };
    if (c.state === 'accepted') work.accepted += c.n;
    else if (c.state === 'adjusted') work.adjusted += c.n;
    else if (c.state === 'waiting' || c.state === 'answered') work.asked += c.n;
    byAppraiser.set(c.appraiser_id, work);
  }
  const people = await em.execute<{ id: number; fullName: string; agencies: string | null }[]>(
    `select p.id, p.full_name as "fullName",
            (select string_agg(ag.name, ', ' order by ag.name collate "vi-x-icu") from role_assignment r join agency ag on ag.id = r.agency_id
              where r.user_id = p.id and r.role = 'appraiser') as agencies
       from app_user p where p.id = any(?::int[])
      order by p.full_name collate "vi-x-icu", p.id`,
    [intArray([...byAppraiser.keys()])],
  );
  const appraisers: AppraiserProgress[] = people.map((p) => ({
    fullName: p.fullName,
    agencies: p.agencies,
    ...byAppraiser.get(p.id)!,
  }));

  const unitRows = await em.execute<
    {
      id: number;
      code: string;
      name: string;
      block: string | null;
      joined: number;
      submitted: boolean;
      submittedAt: Date | null;
    }[]
  >(
    `select u.id, u.code, u.name, cu.block, cu.id as joined, coalesce(sa.state = 'submitted', false) as submitted,
            sa.submitted_at as "submittedAt"
       from campaign_unit cu
       join unit u on u.id = cu.unit_id
       left join self_assessment sa on sa.campaign_id = cu.campaign_id and sa.unit_id = cu.unit_id
      where cu.campaign_id = ?
      order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );

  // The first undecided items, overdue first, then answered, waiting, to do; units in name order. Only two kinds of
  // item can be among them: those with an explanation request (few), and, state by state, those of the first units in
  // name order that hold enough items in that state to fill the list (an item of a later unit has at least as many
  // items of the same state before it). Those are read by index; units in name order by their rank among the
  // campaign's units (a sort on integers, not on names).
  const undecidedByUnit = new Map<string, number>();
  for (const cell of byUnit)
    if (cell.state !== 'accepted' && cell.state !== 'adjusted')
      undecidedByUnit.set(
        `${cell.state}|${cell.unit_id}`,
        (undecidedByUnit.get(`${cell.state}|${cell.unit_id}`) ?? 0) + cell.n,
      );
  const firstUnits = new Set<number>();
  for (const state of ['answered', 'waiting', 'todo'] as const) {
    let seen = 0;
    for (const u of unitRows) {
      if (seen >= outstandingShown) break;
      const n = undecidedByUnit.get(`${state}|${u.id}`) ?? 0;
      if (n === 0) continue;
      firstUnits.add(u.id);
      seen += n;
    }
  }
  const outstanding = await em.execute<OutstandingItem[]>(
    `with recursive ${effectiveAgencyCte},
     ranked as (select u.id, u.name, row_number() over (order by u.name collate "vi-x-icu", u.code) as k
                  from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ?),
     candidates as (
       select a.id from explanation_request r join appraisal a on a.id = r.appraisal_id
         join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
        where sa.campaign_id = ? and a.state not in ${decided}
       union
       select a.id from self_assessment sa join criterion_score cs on cs.self_assessment_id = sa.id
         join appraisal a on a.criterion_score_id = cs.id
        where sa.campaign_id = ? and sa.unit_id = any(?::int[]) and a.state not in ${decided}),
     items as (
       select a.id, a.state, cs.criterion_id, sa.unit_id, er.due_date,
              coalesce(er.answered_at is null and er.due_date < ?::date, false) as late_explanation,
              coalesce(k.appraisal_closes < ?::date, false) as late_phase
         from candidates x
         join appraisal a on a.id = x.id
         join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id
         join campaign k on k.id = sa.campaign_id
         left join lateral (select r.due_date, r.answered_at from explanation_request r where r.appraisal_id = a.id
                             order by r.id desc limit 1) er on true)
     select i.id, r.name as "unitName", c.code as "criterionCode", c.title as "criterionTitle", ea.agency_id as "agencyId", ag.name as "agencyName", i.state,
            to_char(i.due_date, 'YYYY-MM-DD') as "dueDate", i.late_explanation as "lateExplanation", i.late_phase as "latePhase"
       from items i
       join ranked r on r.id = i.unit_id
       join criterion c on c.id = i.criterion_id
       left join effective_agency ea on ea.criterion_id = c.id
       left join agency ag on ag.id = ea.agency_id
      order by i.late_explanation desc, i.late_phase desc, array_position(array['answered', 'waiting', 'todo'], i.state::text),
               i.due_date nulls last, r.k, c.position
      limit ${outstandingShown}`,
    [campaign.criteriaSetId, campaign.id, campaign.id, campaign.id, intArray([...firstUnits]), today, today],
  );

  const totals = { ...emptyCounts(), units: unitRows.length, submitted: unitRows.filter((u) => u.submitted).length };
  // The blocks in the order they first appear among the campaign's units, as the scoring core lists them.
  const blocks = new Map<string, { name: string; units: number; submitted: number; joined: number }>();
  for (const u of unitRows) {
    if (u.block === null) continue;
    const block = blocks.get(u.block) ?? { name: u.block, units: 0, submitted: 0, joined: u.joined };
    block.units += 1;
    if (u.submitted) block.submitted += 1;
    block.joined = Math.min(block.joined, u.joined);
    blocks.set(u.block, block);
  }
  const agencies = new Map<number | null, AgencyProgress>();
  const units = new Map<number, UnitProgress>(
    unitRows.map((u) => [
      u.id,
      {
        code: u.code,
        name: u.name,
        block: u.block,
        submitted: u.submitted,
        submittedAt: u.submittedAt,
        total: 0,
        done: 0,
        waiting: 0,
        overdue: 0,
      },
    ]),
  );
  for (const a of agencyRows)
    agencies.set(a.agency_id, { id: a.agency_id, name: a.agency_name, counts: emptyCounts() });
  for (const cell of byCriterion) {
    const agency = agencies.get(agencyOf.get(cell.criterion_id!)!);
    if (agency) addTo(agency.counts, cell.state, cell.n, cell.late);
    addTo(totals, cell.state, cell.n, cell.late);
  }
  for (const cell of byUnit) {
    const unit = units.get(cell.unit_id);
    if (!unit) continue;
    unit.total += cell.n;
    if (cell.state === 'accepted' || cell.state === 'adjusted') unit.done += cell.n;
    if (cell.state === 'waiting') unit.waiting += cell.n;
    unit.overdue += cell.late;
  }
  // Criteria without an agency only matter when some unit has items there: nobody can appraise them.
  const unassigned = agencies.get(null);
  if (unassigned && unassigned.counts.total === 0) agencies.delete(null);

  return {
    campaign,
    states: appraisalStateOrder,
    totals,
    blocks: [...blocks.values()]
      .sort((a, b) => a.joined - b.joined)
      .map(({ name, units, submitted }) => ({ name, units, submitted })),
    agencies: [...agencies.values()],
    appraisers,
    units: [...units.values()],
    outstanding: { items: outstanding, total: totals.total - totals.done },
  };
}

/** The campaign (as the overview names it) and its preliminary ranking by the scoring core, from the appraised scores given so far. */
export async function preliminaryRanking(
  em: EntityManager,
  code: string,
): Promise<{ campaign: OverviewCampaign; ranking: PreliminaryRanking } | null> {
  return em.transactional(
    async (tx) => {
      const campaign = await campaignNamed(tx, code);
      if (!campaign) return null;
      return { campaign, ranking: await ranking(tx, campaign, await notSubmittedUnits(tx, campaign.id)) };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

async function ranking(
  em: EntityManager,
  campaign: OverviewCampaign,
  notSubmitted: Set<string>,
): Promise<PreliminaryRanking> {
  try {
    const { input, results } = await currentResults(em, campaign.id);
    const places: Places = input.rules.precision;
    const shown = (value: Dec | null) => (value === null ? null : format(value, places));
    const composition = input.rules.composition.map((c) => ({ key: c.key, max: format(c.max) }));
    const { ranked, apart } = rankSubmitted(results, notSubmitted);
    const rankedRows: RankingRow[] = ranked.map((r) => ({
      rank: r.rank,
      code: r.code,
      name: r.name,
      submitted: true,
      self: shown(r.selfPoints),
      points: shown(r.points),
      index: format(r.index, places),
      band: r.band,
      components: composition.map(({ key }) => ({ key, value: format(r.components[key]!, places) })),
      block: r.block,
    }));
    const apartRows: RankingRow[] = apart.map((r) => ({
      rank: null,
      code: r.code,
      name: r.name,
      submitted: false,
      self: null,
      points: null,
      index: null,
      band: null,
      components: [],
      block: r.block,
    }));
    // The blocks in the order the scoring core lists them (as they first appear among the campaign's units); every
    // unit has one or none does (scoring.block.partial).
    const blockNames = [...new Set(results.map((r) => r.block))].filter((b): b is string => b !== null);
    if (blockNames.length === 0)
      // Units that did not submit are a state, not a score: after the ranked ones, by name (src/domain/standing.ts).
      return { ok: true, composition, blocks: [], rows: [...rankedRows, ...apartRows] };
    // In blocks: each block's ranked units (ranked within it), then its units that did not submit, by name.
    const byBlock = new Map(blockNames.map((name) => [name, [] as RankingRow[]]));
    for (const row of [...rankedRows, ...apartRows]) byBlock.get(row.block!)!.push(row);
    const rows = [...byBlock.values()].flat();
    const blocks = [...byBlock].map(([name, inBlock]) => ({
      name,
      units: inBlock.length,
      notSubmitted: inBlock.filter((r) => r.rank === null).length,
      bands: input.rules.bands.map((b) => ({
        name: b.name,
        count: inBlock.filter((r) => r.rank !== null && r.band === b.name).length,
      })),
    }));
    return { ok: true, composition, blocks, rows };
  } catch (error) {
    if (error instanceof ScoringInputError) return { ok: false, issues: error.issues };
    throw error;
  }
}

/** The chair's recorded approval of a campaign, if any. */
export async function approvalDecision(em: EntityManager, campaignId: number) {
  return (
    await em.execute<{ approval_decision: string | null; approval_date: string | null; approved_by: string | null }[]>(
      `select c.approval_decision, to_char(c.approval_date, 'YYYY-MM-DD') as approval_date, u.full_name as approved_by
       from campaign c left join app_user u on u.id = c.approved_by_id where c.id = ?`,
      [campaignId],
    )
  )[0];
}
