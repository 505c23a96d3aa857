import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppraisalState } from '../../domain/workflow.ts';
import { intArray } from '../../db/sql.ts';
import { checkedOnSiteSql } from '../onsite/visits.ts';
import { effectiveAgencyCte } from './scope.ts';
import { signingExempt } from '../self-assessment/hands.ts';
import { coAppraisedCriterionIds, waitingOpinionSql } from './coappraisal.ts';
import { changedAfterReopeningSql } from '../self-assessment/reopen.ts';

export interface QueueFilter {
  unit?: string;
  field?: string;
  state?: AppraisalState;
  /** '1': only the items whose criterion was checked on site at their unit. */
  checked?: '1';
  /** '1': only the items waiting for an opinion of the reader's co-appraising agency (features/appraisal/coappraisal.ts). */
  opinion?: '1';
}

export interface QueueItem {
  id: number;
  state: AppraisalState;
  unitCode: string;
  unitName: string;
  code: string;
  title: string;
  maxScore: string;
  selfScore: string | null;
  notApplicable: boolean;
  appraisedScore: string | null;
  dueDate: string | null;
  overdue: boolean;
  flags: { unsigned: number; scanned: number; letter: number; files: number };
  /** What on-site checks found on this item (features/onsite): 'match', 'mismatch', 'not-shown'. */
  onsite: string[];
  /** The unit changed this criterion after the secretariat reopened its self-assessment (features/self-assessment/reopen.ts). */
  reopened: boolean;
}

export interface AppraiserCampaign {
  id: number;
  code: string;
  name: string;
  state: string;
  criteriaSetId: number;
  appraisalCloses: string | null;
  /** A practice campaign (Tập huấn): listed beside the real ones, its pages carry the band. */
  practice?: boolean;
  /** The campaign lets its appraising agencies record on-site checks (features/onsite). */
  onsiteByAgencies?: boolean;
}

/** Campaigns whose appraisal this person takes part in: past its self-assessment, with submitted units. */
export async function appraisalCampaigns(em: EntityManager): Promise<AppraiserCampaign[]> {
  return em.execute(
    `select c.id, c.code, c.name, c.state, c.criteria_set_id as "criteriaSetId", to_char(c.appraisal_closes, 'YYYY-MM-DD') as "appraisalCloses", c.practice,
            c.onsite_by_agencies as "onsiteByAgencies"
       from campaign c where c.state in ('appraisal', 'council-review', 'approved', 'published')
        and exists (select 1 from self_assessment sa where sa.campaign_id = c.id and sa.state = 'submitted')
      order by c.practice, c.year desc, c.name collate "vi-x-icu"`,
  );
}

/** Needs the appraiser now: not yet decided, answered by the unit, or waiting past its due date. */
export const needsAction = (i: Pick<QueueItem, 'state' | 'overdue'>) =>
  i.state === 'todo' || i.state === 'answered' || (i.state === 'waiting' && i.overdue);

/** How many items the queue page lists at a time. */
export const queuePageSize = 200;

/** Items by state in the scope (the unit and field filters; not the state filter, whose links show these numbers). */
export async function queueCounts(em: EntityManager, scope: QueueScope): Promise<Record<AppraisalState, number>> {
  const rows = await em.execute<{ state: AppraisalState; n: number }[]>(
    `select a.state, count(*)::int as n
       from self_assessment sa
       join unit u on u.id = sa.unit_id
       join criterion_score cs on cs.self_assessment_id = sa.id
       join appraisal a on a.criterion_score_id = cs.id
       join criterion c on c.id = cs.criterion_id
      where sa.campaign_id = ? and sa.state = 'submitted' and (?::text is null or u.code = ?) and cs.criterion_id = any(?::int[]) and ${notExempt}${checkedIn(scope)}
      group by a.state`,
    [scope.campaign.id, scope.unit ?? null, scope.unit ?? null, intArray(scope.criterionIds)],
  );
  const counts: Record<AppraisalState, number> = { todo: 0, accepted: 0, adjusted: 0, waiting: 0, answered: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/**
 * One page of the appraiser's items, in the queue's order (unit name, then criterion position), with the evidence
 * flags of those items only. Units are ranked first and read one after another, so the first pages cost a few units' items.
 */
export async function queueItems(
  em: EntityManager,
  scope: QueueScope,
  state: AppraisalState | undefined,
  page: number,
): Promise<QueueItem[]> {
  const rows = await em.execute<Record<string, any>[]>(
    `with ranked as (
       select sa.id as sa_id, sa.campaign_id, sa.unit_id, u.code, u.name, row_number() over (order by u.name collate "vi-x-icu", u.code) as k
         from self_assessment sa join unit u on u.id = sa.unit_id
        where sa.campaign_id = ? and sa.state = 'submitted' and (?::text is null or u.code = ?)),
     shown as (
       select i.*, x.code as unit_code, x.name as unit_name, x.k, x.unit_id, x.campaign_id
         from (select * from ranked order by k) x
         cross join lateral (
           select a.id, a.state, c.code, c.title, c.max_score, c.position, cs.id as score_id, cs.criterion_id, cs.self_score, cs.not_applicable, a.appraised_score
             from criterion_score cs
             join self_assessment sa on sa.id = cs.self_assessment_id
             join appraisal a on a.criterion_score_id = cs.id
             join criterion c on c.id = cs.criterion_id
            where cs.self_assessment_id = x.sa_id and ${inScope} and ${notExempt}${checkedIn(scope)} and (?::text is null or a.state = ?)) i
        -- Units come sorted by k, so PostgreSQL sorts only within the few units a page needs (an incremental sort).
        order by x.k, i.position limit ? offset ?)
     select s.*, to_char(er.due_date, 'YYYY-MM-DD') as due_date, f.files, f.unsigned, f.scanned, f.letter, ${changedAfterReopeningSql('s.score_id')} as reopened,
            (select string_agg(distinct o.result, ',') from onsite_finding o join onsite_visit v on v.id = o.visit_id
              where v.campaign_id = s.campaign_id and v.unit_id = s.unit_id and o.criterion_id = s.criterion_id) as onsite
       from shown s
       left join lateral (select r.due_date from explanation_request r where r.appraisal_id = s.id and r.answered_at is null order by r.id desc limit 1) er on true
       left join lateral (
         select count(*)::int as files,
                count(*) filter (where ef.media_type = 'application/pdf' and not ef.signed and not ${signingExempt('ef', 's.unit_id')})::int as unsigned,
                count(*) filter (where ef.looks_scanned)::int as scanned,
                count(*) filter (where ef.document_number ~ '^[0-9]+[a-zA-Z][/ ]')::int as letter
           from evidence_file ef where ef.criterion_score_id = s.score_id and ef.removed_at is null) f on true
      order by s.k, s.position`,
    [
      scope.campaign.id,
      scope.unit ?? null,
      scope.unit ?? null,
      intArray(scope.criterionIds),
      state ?? null,
      state ?? null,
      queuePageSize,
      (page - 1) * queuePageSize,
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    code: r.code,
    title: r.title,
    maxScore: r.max_score,
    selfScore: r.self_score,
    notApplicable: r.not_applicable,
    appraisedScore: r.appraised_score,
    dueDate: r.due_date,
    overdue: r.state === 'waiting' && r.due_date !== null && r.due_date < scope.today,
    flags: { files: r.files, unsigned: r.unsigned, scanned: r.scanned, letter: r.letter },
    onsite: r.onsite ? r.onsite.split(',') : [],
    reopened: r.reopened,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Moving through a queue of any length. The queue is ordered by unit (name, then code) and then criterion position,
// and a unit has at most a few hundred items: so the item page and accept-and-next read the current unit's items and
// step from unit to unit with keyset queries, never the whole queue (178,000 items for one agency at national scale).

/** Where an appraiser is working: the campaign, their agencies' criteria (inherited, within the field filter), the unit filter. */
export interface QueueScope {
  campaign: AppraiserCampaign;
  criterionIds: number[];
  unit?: string;
  today: string;
  /** Only items checked on site (features/onsite). */
  checked?: boolean;
  /** Only items waiting for an opinion of these (co-appraising) agencies. */
  waitingOpinion?: number[];
}

/** The scope's condition on a unit's item (`sa`, `cs` in the query) besides its criteria and exemptions: no parameter. */
const checkedIn = (scope: QueueScope) =>
  (scope.checked ? ` and ${checkedOnSiteSql}` : '') +
  (scope.waitingOpinion ? ` and ${waitingOpinionSql(scope.waitingOpinion)}` : '');

export async function queueScope(
  em: EntityManager,
  campaign: AppraiserCampaign,
  agencyIds: number[],
  filter: QueueFilter,
  today: string,
): Promise<QueueScope> {
  const rows = await em.execute<{ id: number }[]>(
    `with recursive ${effectiveAgencyCte}
     select ea.criterion_id as id from effective_agency ea join criterion c on c.id = ea.criterion_id
      where ea.agency_id = any(?::int[]) and (?::text is null or split_part(c.code, '.', 1) = ?)`,
    [campaign.criteriaSetId, intArray(agencyIds), filter.field ?? null, filter.field ?? null],
  );
  // Criteria the agencies co-appraise come too: their appraisers see those items and give opinions.
  const co = await coAppraisedCriterionIds(em, campaign.criteriaSetId, agencyIds, filter.field);
  return {
    campaign,
    criterionIds: [...new Set([...rows.map((r) => r.id), ...co])],
    unit: filter.unit,
    today,
    checked: filter.checked === '1',
    waitingOpinion: filter.opinion === '1' ? agencyIds : undefined,
  };
}

/** A criterion of the unit that an exemption covers (the exempted criterion or one beneath it) is not in the queue. */
const notExempt = `not exists (select 1 from exemption e join criterion ec on ec.id = e.criterion_id
                    where e.campaign_id = sa.campaign_id and e.unit_id = sa.unit_id and (c.code = ec.code or c.code like ec.code || '.%'))`;

/**
 * A unit's item is in the scope; one parameter: the criterion ids. Probing a unit's items, `+ 0` keeps PostgreSQL on
 * the (self_assessment_id, criterion_id) index by unit alone: an ANY on its second column costs one descent per id.
 * The probes are scalar subqueries with `limit 1` (an EXISTS would be planned as a join over every unit's items).
 */
const inScope = 'cs.criterion_id + 0 = any(?::int[])';

/** SQL for needsAction; one parameter: today. */
const needsActionSql = `(a.state in ('todo', 'answered') or (a.state = 'waiting' and
    (select r.due_date from explanation_request r where r.appraisal_id = a.id and r.answered_at is null order by r.id desc limit 1) < ?::date))`;

interface UnitStep {
  saId: number;
  name: string;
  code: string;
}
interface Stop {
  id: number;
  needs: boolean;
}

/** One unit's items in the scope, in order, each with whether it needs the appraiser now. */
async function unitItems(em: EntityManager, scope: QueueScope, saId: number): Promise<Stop[]> {
  return em.execute<Stop[]>(
    `select a.id, ${needsActionSql} as needs
       from criterion_score cs
       join self_assessment sa on sa.id = cs.self_assessment_id
       join appraisal a on a.criterion_score_id = cs.id
       join criterion c on c.id = cs.criterion_id
      where cs.self_assessment_id = ? and cs.criterion_id = any(?::int[]) and ${notExempt}${checkedIn(scope)}
      order by c.position`,
    [scope.today, saId, intArray(scope.criterionIds)],
  );
}

/**
 * The nearest submitted unit before or after `from` (or the first or last one when `from` is null) having an item in
 * the scope, or one that needs the appraiser when `needing`. Units are sorted first (a few thousand rows) and tested
 * in that order until one passes (`offset 0` keeps the test out of the sort), so a busy queue answers at once.
 */
async function unitBeside(
  em: EntityManager,
  scope: QueueScope,
  from: { name: string; code: string } | null,
  direction: 'after' | 'before',
  needing: boolean,
): Promise<UnitStep | null> {
  const asc = direction === 'after';
  const [row] = await em.execute<UnitStep[]>(
    `select x."saId", x.name, x.code from (
       select sa.id as "saId", u.name, u.code from self_assessment sa join unit u on u.id = sa.unit_id
        where sa.campaign_id = ? and sa.state = 'submitted' and (?::text is null or u.code = ?)
          and (?::text is null or (u.name collate "vi-x-icu", u.code) ${asc ? '>' : '<'} (?::text collate "vi-x-icu", ?::text))
        order by u.name collate "vi-x-icu" ${asc ? 'asc' : 'desc'}, u.code ${asc ? 'asc' : 'desc'} offset 0) x
      where (select true from criterion_score cs
               join self_assessment sa on sa.id = cs.self_assessment_id
               join appraisal a on a.criterion_score_id = cs.id
               join criterion c on c.id = cs.criterion_id
              where cs.self_assessment_id = x."saId" and ${inScope} and ${notExempt}${checkedIn(scope)}
                ${needing ? `and ${needsActionSql}` : ''} limit 1)
      limit 1`,
    [
      scope.campaign.id,
      scope.unit ?? null,
      scope.unit ?? null,
      from?.name ?? null,
      from?.name ?? null,
      from?.code ?? null,
      intArray(scope.criterionIds),
      ...(needing ? [scope.today] : []),
    ],
  );
  return row ?? null;
}

/** The first item needing the appraiser in a unit already known to have one. */
async function firstNeeding(em: EntityManager, scope: QueueScope, saId: number): Promise<number | null> {
  return (await unitItems(em, scope, saId)).find((i) => i.needs)?.id ?? null;
}

/** Where an item stands in its queue, with the neighbours the item page links to. */
export interface QueuePlace {
  /** 1-based, within the item's unit. */
  n: number;
  ofUnit: number;
  /** 1-based rank of the unit among the queue's units, and their number; absent when the queue is one unit. */
  unitN: number | null;
  units: number | null;
  prev: number | null;
  next: number | null;
}

export interface CurrentItem {
  id: number;
  selfAssessmentId: number;
  unit: { name: string; code: string };
}

/** The item after `current` that needs the appraiser (wrapping round, never `current`), or the first one when null. */
export async function nextAction(
  em: EntityManager,
  scope: QueueScope,
  current: CurrentItem | null,
  items?: Stop[],
): Promise<number | null> {
  if (current) {
    const mine = items ?? (await unitItems(em, scope, current.selfAssessmentId));
    const at = mine.findIndex((i) => i.id === current.id);
    const after = mine.slice(at + 1).find((i) => i.needs);
    if (after) return after.id;
    const later = await unitBeside(em, scope, current.unit, 'after', true);
    if (later) return firstNeeding(em, scope, later.saId);
    const earlier = await unitBeside(em, scope, null, 'after', true);
    if (earlier && earlier.saId !== current.selfAssessmentId) return firstNeeding(em, scope, earlier.saId);
    return mine.slice(0, Math.max(at, 0)).find((i) => i.needs)?.id ?? null;
  }
  const first = await unitBeside(em, scope, null, 'after', true);
  return first ? firstNeeding(em, scope, first.saId) : null;
}

/** The item's place in the queue: its number in its unit, its unit's number, the previous item and the next one to decide. */
export async function placeOf(em: EntityManager, scope: QueueScope, current: CurrentItem): Promise<QueuePlace> {
  const mine = await unitItems(em, scope, current.selfAssessmentId);
  const at = mine.findIndex((i) => i.id === current.id);
  let prev = at > 0 ? mine[at - 1]!.id : null;
  if (prev === null && !scope.unit) {
    const before = await unitBeside(em, scope, current.unit, 'before', false);
    if (before) prev = (await unitItems(em, scope, before.saId)).at(-1)?.id ?? null;
  }
  let unitN: number | null = null;
  let units: number | null = null;
  if (!scope.unit) {
    const [r] = await em.execute<{ before: number; total: number }[]>(
      `select count(*) filter (where (u.name collate "vi-x-icu", u.code) < (?::text collate "vi-x-icu", ?::text))::int as before, count(*)::int as total
         from self_assessment sa join unit u on u.id = sa.unit_id
        where sa.campaign_id = ? and sa.state = 'submitted'
          and (select true from criterion_score cs join criterion c on c.id = cs.criterion_id
                where cs.self_assessment_id = sa.id and ${inScope} and ${notExempt}${checkedIn(scope)} limit 1)`,
      [current.unit.name, current.unit.code, scope.campaign.id, intArray(scope.criterionIds)],
    );
    unitN = r!.before + 1;
    units = r!.total;
  }
  return { n: at + 1, ofUnit: mine.length, unitN, units, prev, next: await nextAction(em, scope, current, mine) };
}

/** The units and fields an appraiser's queue has, for its filters: a few thousand rows at most, whatever the queue's length. */
export async function queueChoices(em: EntityManager, campaign: AppraiserCampaign, agencyIds: number[]) {
  const all = await queueScope(em, campaign, agencyIds, {}, '');
  const units = await em.execute<{ code: string; name: string }[]>(
    `select u.code, u.name from self_assessment sa join unit u on u.id = sa.unit_id
      where sa.campaign_id = ? and sa.state = 'submitted'
        and (select true from criterion_score cs where cs.self_assessment_id = sa.id and ${inScope} limit 1)
      order by u.name collate "vi-x-icu", u.code`,
    [campaign.id, intArray(all.criterionIds)],
  );
  // The fields by their titles: a filter reads "3. Cải cách thủ tục hành chính", never a bare "3".
  const fields = await em.execute<{ code: string; title: string }[]>(
    `select f.code, f.title from criterion f
      where f.criteria_set_id = ? and f.parent_id is null
        and f.code in (select split_part(code, '.', 1) from criterion where id = any(?::int[]))`,
    [campaign.criteriaSetId, intArray(all.criterionIds)],
  );
  return {
    units: units.map((u) => [u.code, u.name] as [string, string]),
    fields: fields.sort((a, b) => Number(a.code) - Number(b.code)).map((f) => [f.code, f.title] as [string, string]),
  };
}

/** What a finished queue says: how many units of the campaign have not submitted yet (their items come later). */
export async function unitsNotSubmitted(em: EntityManager, campaignId: number): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from campaign_unit cu
       left join self_assessment sa on sa.campaign_id = cu.campaign_id and sa.unit_id = cu.unit_id
      where cu.campaign_id = ? and (sa.state is null or sa.state <> 'submitted')`,
    [campaignId],
  );
  return row?.n ?? 0;
}

/** The nearest due date among the scope's items waiting for a unit's answer (null when none waits). */
export async function nearestWaitingDue(em: EntityManager, scope: QueueScope): Promise<string | null> {
  const [row] = await em.execute<{ due: string | null }[]>(
    `select to_char(min(r.due_date), 'YYYY-MM-DD') as due
       from self_assessment sa
       join unit u on u.id = sa.unit_id
       join criterion_score cs on cs.self_assessment_id = sa.id
       join appraisal a on a.criterion_score_id = cs.id and a.state = 'waiting'
       join criterion c on c.id = cs.criterion_id
       join explanation_request r on r.appraisal_id = a.id and r.answered_at is null
      where sa.campaign_id = ? and sa.state = 'submitted' and (?::text is null or u.code = ?) and cs.criterion_id = any(?::int[]) and ${notExempt}`,
    [scope.campaign.id, scope.unit ?? null, scope.unit ?? null, intArray(scope.criterionIds)],
  );
  return row?.due ?? null;
}

/** A campaign still in self-assessment, as an appraiser waits for it: who has submitted, and when appraisal opens. */
export interface UpcomingAppraisal {
  id: number;
  code: string;
  name: string;
  appraisalOpens: string | null;
  selfAssessmentCloses: string | null;
  units: number;
  submitted: { code: string; name: string; submittedAt: string }[];
}

/**
 * Campaigns in self-assessment: their units' submissions are not in any queue until the secretariat opens appraisal,
 * but an appraiser sees which units have submitted and when appraisal is planned to open.
 */
export async function upcomingAppraisals(em: EntityManager): Promise<UpcomingAppraisal[]> {
  const campaigns = await em.execute<Omit<UpcomingAppraisal, 'submitted'>[]>(
    `select c.id, c.code, c.name, to_char(c.appraisal_opens, 'YYYY-MM-DD') as "appraisalOpens",
            to_char(c.self_assessment_closes, 'YYYY-MM-DD') as "selfAssessmentCloses",
            (select count(*)::int from campaign_unit cu where cu.campaign_id = c.id) as units
       from campaign c where c.state = 'self-assessment' and not c.practice
      order by c.year desc, c.name collate "vi-x-icu"`,
  );
  const out: UpcomingAppraisal[] = [];
  for (const c of campaigns) {
    const submitted = await em.execute<{ code: string; name: string; submittedAt: string }[]>(
      `select u.code, u.name, sa.submitted_at as "submittedAt" from self_assessment sa join unit u on u.id = sa.unit_id
        where sa.campaign_id = ? and sa.state = 'submitted' order by sa.submitted_at, u.name collate "vi-x-icu"`,
      [c.id],
    );
    out.push({ ...c, submitted });
  }
  return out;
}
