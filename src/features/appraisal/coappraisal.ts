// Co-appraisal (phối hợp thẩm định, issue 23 item 3): a criterion has its lead agency (criterion.agency, inherited
// down the tree: scope.ts) and optional co-appraising agencies, set by the secretariat on a criterion and inherited by
// its subtree. A co-agency's appraisers see the item and add opinions (agree or disagree, a proposed score, a reason);
// only the lead agency decides, reading every opinion on the item.

import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { compare, dec, format, parseDec } from '../../domain/decimal.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';
import { lockedPhase } from './phase.ts';
import { effectiveAgency } from './scope.ts';
import { windowRefusal } from './window.ts';

/** SQL: criterion `anc` is `c` itself or one of its ancestors (codes are dotted paths within a set). */
const ancestorOrSelf = `anc.criteria_set_id = c.criteria_set_id and (c.code = anc.code or c.code like anc.code || '.%')`;

/** An int array literal from ids already known to be integers (a person's grants): no parameter to thread through. */
const intLiteral = (ids: number[]) =>
  `array[${ids.filter((id) => Number.isSafeInteger(id)).join(',') || 'null'}]::int[]`;

/** The agencies set as co-appraising on this criterion itself (not inherited). */
export async function coAgenciesOf(em: EntityManager, criterionId: number) {
  return em.execute<{ id: number; name: string }[]>(
    `select a.id, a.name from criterion_co_agency cc join agency a on a.id = cc.agency_id
      where cc.criterion_id = ? order by a.name collate "vi-x-icu"`,
    [criterionId],
  );
}

/** The co-appraising agencies of a criterion, its own and its ancestors'. */
export async function coAgenciesInherited(em: EntityManager, criterionId: number) {
  return em.execute<{ id: number; name: string }[]>(
    `select a.id, a.name from agency a where a.id in (
       select cc.agency_id from criterion c join criterion anc on ${ancestorOrSelf}
         join criterion_co_agency cc on cc.criterion_id = anc.id where c.id = ?)
      order by a.name collate "vi-x-icu"`,
    [criterionId],
  );
}

/** One of these agencies co-appraises the criterion (itself or through an ancestor). */
export async function coAppraises(em: EntityManager, criterionId: number, agencyIds: number[]): Promise<boolean> {
  if (!agencyIds.length) return false;
  return (await coAgenciesInherited(em, criterionId)).some((a) => agencyIds.includes(a.id));
}

/** The criteria of a set these agencies co-appraise (within a field when given): the queue adds them to its scope. */
export async function coAppraisedCriterionIds(
  em: EntityManager,
  criteriaSetId: number,
  agencyIds: number[],
  field?: string,
): Promise<number[]> {
  if (!agencyIds.length) return [];
  const rows = await em.execute<{ id: number }[]>(
    `select distinct c.id from criterion c join criterion anc on ${ancestorOrSelf}
       join criterion_co_agency cc on cc.criterion_id = anc.id
      where c.criteria_set_id = ? and cc.agency_id = any(?::int[]) and (?::text is null or split_part(c.code, '.', 1) = ?)`,
    [criteriaSetId, intArray(agencyIds), field ?? null, field ?? null],
  );
  return rows.map((r) => r.id);
}

/**
 * SQL for the queue's "waiting for my opinion" filter, over a unit's item (`cs`, `c` in the query): one of the
 * agencies co-appraises its criterion, the item is not decided yet, and none of the agencies has given an opinion.
 */
export function waitingOpinionSql(agencyIds: number[]): string {
  const mine = intLiteral(agencyIds);
  return `exists (select 1 from criterion anc join criterion_co_agency cc on cc.criterion_id = anc.id
                   where ${ancestorOrSelf} and cc.agency_id = any(${mine}))
    and exists (select 1 from appraisal wa where wa.criterion_score_id = cs.id and wa.state not in ('accepted', 'adjusted')
                   and not exists (select 1 from appraisal_opinion o where o.appraisal_id = wa.id and o.agency_id = any(${mine})))`;
}

/** Per queue row: how many opinions are in, how many agencies co-appraise it, and whether the reader is one of them. */
export interface OpinionSummary {
  opinions: number;
  coAgencies: number;
  coAppraiser: boolean;
}

export async function opinionSummaries(
  em: EntityManager,
  appraisalIds: number[],
  agencyIds: number[],
): Promise<Map<number, OpinionSummary>> {
  const out = new Map<number, OpinionSummary>();
  if (!appraisalIds.length) return out;
  const rows = await em.execute<{ id: number; opinions: number; co: number; mine: boolean }[]>(
    `select a.id, (select count(*)::int from appraisal_opinion o where o.appraisal_id = a.id) as opinions,
            count(distinct cc.agency_id)::int as co, coalesce(bool_or(cc.agency_id = any(?::int[])), false) as mine
       from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
       join criterion anc on ${ancestorOrSelf} join criterion_co_agency cc on cc.criterion_id = anc.id
      where a.id = any(?::int[]) group by a.id`,
    [intArray(agencyIds), intArray(appraisalIds)],
  );
  for (const r of rows) out.set(r.id, { opinions: r.opinions, coAgencies: r.co, coAppraiser: r.mine });
  return out;
}

export interface Opinion {
  id: number;
  agency: string;
  author: string;
  stance: 'agree' | 'disagree';
  proposedScore: string | null;
  reason: string;
  createdAt: string;
}

/** Every opinion on an item, oldest first. */
export async function opinionsOn(em: EntityManager, appraisalId: number): Promise<Opinion[]> {
  return em.execute<Opinion[]>(
    `select o.id, a.name as agency, u.full_name as author, o.stance, o.proposed_score as "proposedScore", o.reason, o.created_at as "createdAt"
       from appraisal_opinion o join agency a on a.id = o.agency_id join app_user u on u.id = o.author_id
      where o.appraisal_id = ? order by o.id`,
    [appraisalId],
  );
}

/** What the item page needs to know of co-appraisal for the person reading it. */
export interface ItemCoappraisal {
  /** The reader appraises for the lead agency: they decide. */
  lead: boolean;
  /** The reader's agencies that co-appraise this item (they add opinions, never decide). */
  mine: { id: number; name: string }[];
  coAgencies: { id: number; name: string }[];
  leadAgency: string | null;
  opinions: Opinion[];
}

export async function itemCoappraisal(
  em: EntityManager,
  item: { id: number; criterion: { id: number }; leadAgencyId: number },
  agencyIds: number[],
): Promise<ItemCoappraisal> {
  const coAgencies = await coAgenciesInherited(em, item.criterion.id);
  const [lead] = await em.execute<{ name: string }[]>('select name from agency where id = ?', [item.leadAgencyId]);
  const isLead = agencyIds.includes(item.leadAgencyId);
  return {
    lead: isLead,
    mine: isLead ? [] : coAgencies.filter((a) => agencyIds.includes(a.id)),
    coAgencies,
    leadAgency: lead?.name ?? null,
    opinions: await opinionsOn(em, item.id),
  };
}

export interface OpinionInput {
  stance: string;
  score: string;
  reason: string;
}

interface OpinionItem {
  id: number;
  criterion: { id: number; minScore: string; maxScore: string };
  campaign: { id: number; state: string };
  unit: { id: number };
  leadAgencyId: number;
}

/**
 * A co-appraiser's opinion on an item: agree with the unit's score or disagree, a proposed score (needed when
 * disagreeing; within the criterion's range) and a reason (always). Only while the campaign is in appraisal and its
 * window holds for the co-agency; audited. A lead appraiser or anyone else is refused ('forbidden').
 */
export async function addOpinion(
  em: EntityManager,
  actor: { id: number; agencyIds: number[] },
  item: OpinionItem,
  input: OpinionInput,
  today: string,
): Promise<Outcome<number, 'invalid' | 'locked' | 'forbidden'>> {
  const mine = actor.agencyIds.includes(item.leadAgencyId)
    ? []
    : (await coAgenciesInherited(em, item.criterion.id)).filter((a) => actor.agencyIds.includes(a.id));
  if (!mine.length) return refused('forbidden', { _form: 'coappr.error.notCo' });
  const errors: FieldErrors = {};
  const stance = input.stance === 'agree' || input.stance === 'disagree' ? input.stance : null;
  if (!stance) errors.stance = 'coappr.error.stance';
  let proposed: string | null = null;
  if (input.score.trim()) {
    const d = parseDec(input.score);
    if (d === null) errors.score = 'coappr.error.score';
    else if (compare(d, dec(item.criterion.minScore)) < 0 || compare(d, dec(item.criterion.maxScore)) > 0)
      errors.score = 'coappr.error.scoreRange';
    else proposed = format(d);
  } else if (stance === 'disagree') errors.score = 'coappr.error.scoreNeeded';
  const reason = input.reason.trim().normalize('NFC');
  if (!reason) errors.reason = 'coappr.error.reason';
  if (Object.keys(errors).length || !stance) return invalid(errors);
  if (item.campaign.state !== 'appraisal') return refused('locked', { _form: 'appraisal.error.closed' });
  const agencyIds = mine.map((a) => a.id);
  const barred = await windowRefusal(em, item.campaign.id, agencyIds, item.unit.id, today);
  if (barred) return barred;
  return em.transactional(async (tx) => {
    if ((await lockedPhase(tx, item.campaign.id)) !== 'appraisal')
      return refused('locked', { _form: 'appraisal.error.closed' });
    const [row] = await tx.execute<{ id: number }[]>(
      `insert into appraisal_opinion (appraisal_id, agency_id, author_id, stance, proposed_score, reason)
       values (?, ?, ?, ?, ?, ?) returning id`,
      [item.id, agencyIds[0], actor.id, stance, proposed, reason],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'appraisal.opinion-added',
      entityType: 'Appraisal',
      entityId: item.id,
      after: { opinionId: row!.id, agency: mine[0]!.name, stance, proposedScore: proposed },
      reason,
    });
    return ok(row!.id);
  });
}

/**
 * Why this person may not decide the item, if so: they appraise for a co-agency only (the lead decides), or the
 * window does not hold for the lead agency and the item's unit. Called by `appraise` before anything is written.
 */
export async function decisionBarred(
  em: EntityManager,
  actor: { agencyIds: number[] },
  item: { campaign: { id: number }; unit: { id: number }; leadAgencyId: number },
  today: string,
): Promise<{ ok: false; kind: 'locked'; errors?: FieldErrors } | null> {
  if (!actor.agencyIds.includes(item.leadAgencyId)) return refused('locked', { _form: 'coappr.error.notLead' });
  return windowRefusal(em, item.campaign.id, [item.leadAgencyId], item.unit.id, today);
}

/**
 * The secretariat sets a criterion's co-appraising agencies (replacing the former list; audited). The lead agency
 * itself cannot be one of them.
 */
export async function setCoAgencies(
  em: EntityManager,
  actor: { id: number },
  criterion: { id: number; criteriaSetId: number; code: string },
  agencyIds: number[],
): Promise<Outcome<number>> {
  const wanted = [...new Set(agencyIds.filter((id) => Number.isSafeInteger(id)))];
  const known = await em.execute<{ id: number; name: string }[]>(
    'select id, name from agency where id = any(?::int[])',
    [intArray(wanted)],
  );
  if (known.length !== wanted.length) return invalid({ agency: 'coappr.error.agency' });
  const [lead] = await em.execute<{ agency_id: number | null }[]>(
    `with recursive ${effectiveAgency()} select agency_id from effective_agency where criterion_id = ?`,
    [criterion.criteriaSetId, criterion.id],
  );
  if (lead?.agency_id != null && wanted.includes(lead.agency_id)) return invalid({ agency: 'coappr.error.leadToo' });
  return em.transactional(async (tx) => {
    const before = await coAgenciesOf(tx, criterion.id);
    await tx.execute('delete from criterion_co_agency where criterion_id = ?', [criterion.id]);
    for (const id of wanted)
      await tx.execute('insert into criterion_co_agency (criterion_id, agency_id) values (?, ?)', [criterion.id, id]);
    audit(tx, {
      actorId: actor.id,
      action: 'criterion.co-agencies-set',
      entityType: 'Criterion',
      entityId: criterion.id,
      before: { code: criterion.code, coAgencies: before.map((a) => a.name) },
      after: { code: criterion.code, coAgencies: known.map((a) => a.name) },
    });
    return ok(wanted.length);
  });
}
