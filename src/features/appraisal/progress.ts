import type { EntityManager } from '@mikro-orm/postgresql';
import { rows, tables } from '../../db/kysely.ts';
import { effectiveAgencyCte } from './scope.ts';

/**
 * Where a campaign's appraisal stands, per agency then per appraiser (the secretariat's progress page): items left and
 * done, requests for a supplementary explanation waiting for the unit, and those past their due date unanswered. An
 * item's latest request is the one that counts; an item decided since is neither left nor overdue.
 */

export interface AgencyProgressRow {
  id: number | null;
  name: string | null;
  total: number;
  done: number;
  left: number;
  /** Items whose latest request waits for the unit's answer. */
  waiting: number;
  /** Undecided items whose latest request is past due without an answer. */
  overdue: number;
  /** Units with items still to appraise here, in name order. */
  unitsLeft: string[];
}

export interface AppraiserProgressRow {
  id: number;
  fullName: string;
  agencies: string[];
  done: number;
  /** Items this appraiser asked about that are still waiting or answered (not decided). */
  asked: number;
  /** This appraiser's requests past due without an answer, the item still undecided. */
  overdue: number;
  /** Items still to appraise in this appraiser's agencies (shared with their colleagues there). */
  leftInAgencies: number;
}

export interface AppraisalProgress {
  total: number;
  done: number;
  left: number;
  overdue: number;
  agencies: AgencyProgressRow[];
  appraisers: AppraiserProgressRow[];
}

const decided = `('accepted', 'adjusted')`;

const itemsCte = `items as (
    select a.id, a.state, a.appraiser_id, cs.criterion_id, sa.unit_id, er.due_date, er.answered_at, er.requested_by_id,
           coalesce(a.state not in ${decided} and er.answered_at is null and er.due_date < ?::date, false) as overdue
      from appraisal a
      join criterion_score cs on cs.id = a.criterion_score_id
      join self_assessment sa on sa.id = cs.self_assessment_id
      left join (select distinct on (r.appraisal_id) r.appraisal_id, r.due_date, r.answered_at, r.requested_by_id
                   from explanation_request r order by r.appraisal_id, r.id desc) er on er.appraisal_id = a.id
     where sa.campaign_id = ?)`;

const byName = (a: string | null, b: string | null) =>
  a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'vi', { sensitivity: 'base' });

/** The progress of one campaign's appraisal; `today` (YYYY-MM-DD, Asia/Ho_Chi_Minh) decides what is overdue. */
export async function appraisalProgress(
  em: EntityManager,
  campaign: { id: number; criteriaSetId: number },
  today: string,
): Promise<AppraisalProgress> {
  const agencyRows = await em.execute<
    {
      id: number | null;
      name: string | null;
      total: number;
      done: number;
      waiting: number;
      overdue: number;
      units_left: string[] | null;
    }[]
  >(
    `with recursive ${effectiveAgencyCte}, ${itemsCte}
     select ea.agency_id as id, ag.name, count(*)::int as total,
            count(*) filter (where i.state in ${decided})::int as done,
            count(*) filter (where i.state = 'waiting')::int as waiting,
            count(*) filter (where i.overdue)::int as overdue,
            array_agg(distinct u.name) filter (where i.state not in ${decided}) as units_left
       from items i
       join effective_agency ea on ea.criterion_id = i.criterion_id
       left join agency ag on ag.id = ea.agency_id
       join unit u on u.id = i.unit_id
      group by ea.agency_id, ag.name`,
    [campaign.criteriaSetId, today, campaign.id],
  );
  const agencies: AgencyProgressRow[] = agencyRows
    .map((a) => ({
      id: a.id,
      name: a.name,
      total: a.total,
      done: a.done,
      left: a.total - a.done,
      waiting: a.waiting,
      overdue: a.overdue,
      unitsLeft: (a.units_left ?? []).sort((x, y) => x.localeCompare(y, 'vi')),
    }))
    .sort((a, b) => byName(a.name, b.name));

  // Every active appraiser with their agencies, whether or not they have started.
  const grants = await rows(
    em,
    tables(em)
      .selectFrom('app_user as p')
      .innerJoin('role_assignment as r', 'r.user_id', 'p.id')
      .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
      .select(['p.id as id', 'p.full_name as fullName', 'ag.id as agencyId', 'ag.name as agencyName'])
      .where('r.role', '=', 'appraiser')
      .where('p.active', '=', true),
  );
  const people = new Map<number, { id: number; full_name: string; agency_ids: number[]; agencies: string[] }>();
  for (const g of grants) {
    const person = people.get(g.id) ?? { id: g.id, full_name: g.fullName, agency_ids: [], agencies: [] };
    person.agency_ids.push(g.agencyId);
    person.agencies.push(g.agencyName);
    people.set(g.id, person);
  }
  for (const person of people.values()) person.agencies.sort((a, b) => a.localeCompare(b, 'vi'));
  const work = await em.execute<{ id: number; done: number; asked: number; overdue: number }[]>(
    `with ${itemsCte}
     select p.id,
            count(*) filter (where i.appraiser_id = p.id and i.state in ${decided})::int as done,
            count(*) filter (where i.appraiser_id = p.id and i.state in ('waiting', 'answered'))::int as asked,
            count(*) filter (where i.requested_by_id = p.id and i.overdue)::int as overdue
       from items i join app_user p on p.id = i.appraiser_id or p.id = i.requested_by_id
      group by p.id`,
    [today, campaign.id],
  );
  const byPerson = new Map(work.map((w) => [w.id, w]));
  const leftOf = new Map(agencies.map((a) => [a.id, a.left]));
  const appraisers: AppraiserProgressRow[] = [...people.values()]
    .map((p) => ({
      id: p.id,
      fullName: p.full_name,
      agencies: p.agencies,
      done: byPerson.get(p.id)?.done ?? 0,
      asked: byPerson.get(p.id)?.asked ?? 0,
      overdue: byPerson.get(p.id)?.overdue ?? 0,
      leftInAgencies: p.agency_ids.reduce((s, id) => s + (leftOf.get(id) ?? 0), 0),
    }))
    .sort((a, b) => byName(a.agencies[0] ?? null, b.agencies[0] ?? null) || byName(a.fullName, b.fullName));

  const total = agencies.reduce((s, a) => s + a.total, 0);
  const done = agencies.reduce((s, a) => s + a.done, 0);
  return {
    total,
    done,
    left: total - done,
    overdue: agencies.reduce((s, a) => s + a.overdue, 0),
    agencies,
    appraisers,
  };
}
