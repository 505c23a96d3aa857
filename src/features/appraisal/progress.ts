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

/**
 * The campaign's items with their latest explanation request. Parameters: today, the campaign id. Not materialized
 * where a query reads it twice: each reading then keeps only the rows it needs (the requests' are few).
 */
const itemsCte = `items as not materialized (
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
    // Counted per agency and unit first (a hash of a few thousand groups), then per agency with the names of the
    // units that have items left: no sort of every item by unit name.
    `with recursive ${effectiveAgencyCte}, ${itemsCte},
     per_unit as (
       select ea.agency_id, i.unit_id, count(*)::int as total,
              count(*) filter (where i.state in ${decided})::int as done,
              count(*) filter (where i.state = 'waiting')::int as waiting,
              count(*) filter (where i.overdue)::int as overdue
         from items i join effective_agency ea on ea.criterion_id = i.criterion_id
        group by ea.agency_id, i.unit_id)
     select p.agency_id as id, ag.name, sum(p.total)::int as total, sum(p.done)::int as done,
            sum(p.waiting)::int as waiting, sum(p.overdue)::int as overdue,
            array_agg(u.name) filter (where p.done < p.total) as units_left
       from per_unit p
       left join agency ag on ag.id = p.agency_id
       join unit u on u.id = p.unit_id
      group by p.agency_id, ag.name`,
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
      unitsLeft: [...new Set(a.units_left ?? [])].sort((x, y) => x.localeCompare(y, 'vi')),
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
    // By the appraiser who decided or asked, and apart by who asked (only items with a request): never a join on
    // "appraiser or requester", which pairs every item with every person.
    `with ${itemsCte}
     select x.id, sum(x.done)::int as done, sum(x.asked)::int as asked, sum(x.overdue)::int as overdue
       from (select i.appraiser_id as id,
                    count(*) filter (where i.state in ${decided}) as done,
                    count(*) filter (where i.state in ('waiting', 'answered')) as asked,
                    0 as overdue
               from items i where i.appraiser_id is not null group by i.appraiser_id
             union all
             select i.requested_by_id, 0, 0, count(*) filter (where i.overdue)
               from items i where i.requested_by_id is not null group by i.requested_by_id) x
      group by x.id`,
    [today, campaign.id, today, campaign.id],
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
