// Notices: what waits for each person, told to them in their inbox (and counted in the header). Each event writes its
// notices in ONE statement, whatever the number of recipients (insert … select), inside the transaction of the change
// that caused it, so a notice exists exactly when its change does. While a notice is unread, a like event (another
// request on the same unit) raises its count instead of adding a row: 40 requests make one notice that says 40.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../db/audit.ts';
import { invalid, ok, type Outcome } from './outcome.ts';
import { intArray } from '../db/sql.ts';
import { effectiveAgency } from './appraisal/scope.ts';
import { criterionHolders } from './self-assessment/hands.ts';

/** The kinds of notice, each with its words in the catalog (`notice.<kind>`) and its page (the inbox route). */
export const noticeKinds = [
  'selfAssessmentOpened',
  'appraisalOpened',
  'submitted',
  'requested',
  'answered',
  'decided',
  'review',
  'published',
  'corrected',
  'message',
  'selfAssessmentClosing',
  'appraisalClosing',
  'answersDue',
  'reopened',
  'returned',
  'returnedForCorrection',
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** The words' parameters and where the page is: codes for the address, names for the sentence. */
export type NoticeParams = Record<string, string | number>;

// Grouped while unread; the newest event's words win, and a correction turns a "published" notice into "corrected".
/** While a notice is unread, a like event raises its count (the partial unique index on recipient and group key). */
export const grouped = `on conflict (recipient_id, group_key) where read_at is null
  do update set count = notice.count + excluded.count, params = excluded.params, kind = excluded.kind, updated_at = now()`;

const campaignWords = `'campaign', c.code, 'campaignName', c.name`;
const unitWords = `'unit', u.code, 'unitName', u.name`;
/** Joins the unit `u`'s active officers and heads, as `ra` (`ra.user_id` the recipient): whom a unit's notice reaches. */
export const unitPeople = `join role_assignment ra on ra.unit_id = u.id and ra.role in ('officer', 'head')
       join app_user au on au.id = ra.user_id and au.active`;

/** A phase opened: self-assessment to each unit's officers and heads; appraisal to the appraisers of each agency concerned. */
export async function noticePhaseOpened(
  em: EntityManager,
  campaignId: number,
  phase: 'self-assessment' | 'appraisal' | 'council-review',
): Promise<void> {
  if (phase === 'self-assessment') {
    await em.execute(
      `insert into notice (recipient_id, kind, campaign_id, group_key, params)
       select distinct on (ra.user_id, u.id) ra.user_id, 'selfAssessmentOpened', c.id, 'opened:' || c.id || ':' || u.id,
              jsonb_build_object(${campaignWords}, ${unitWords},
                                 'closes', coalesce(to_char(c.self_assessment_closes, 'DD/MM/YYYY'), ''))
         from campaign c
         join campaign_unit cu on cu.campaign_id = c.id
         join unit u on u.id = cu.unit_id
         ${unitPeople}
        where c.id = ?
       ${grouped}`,
      [campaignId],
    );
  } else if (phase === 'appraisal') {
    await em.execute(
      `insert into notice (recipient_id, kind, campaign_id, group_key, params)
       select distinct on (ra.user_id, ag.id) ra.user_id, 'appraisalOpened', c.id, 'opened:' || c.id || ':agency:' || ag.id,
              jsonb_build_object(${campaignWords}, 'agencyName', ag.name,
                                 'closes', coalesce(to_char(c.appraisal_closes, 'DD/MM/YYYY'), ''),
                                 'items', (select count(*) from appraisal a
                                             join criterion_score cs on cs.id = a.criterion_score_id
                                             join self_assessment sa on sa.id = cs.self_assessment_id
                                             join criterion cr on cr.id = cs.criterion_id
                                            where sa.campaign_id = c.id and cr.agency_id = ag.id and a.state in ('todo', 'answered')))
         from campaign c
         join role_assignment ra on ra.role = 'appraiser'
         join agency ag on ag.id = ra.agency_id
         join app_user au on au.id = ra.user_id and au.active
        where c.id = ? and exists (select 1 from criterion cr where cr.criteria_set_id = c.criteria_set_id and cr.agency_id = ag.id)
       ${grouped}`,
      [campaignId],
    );
  } else {
    await em.execute(
      `insert into notice (recipient_id, kind, campaign_id, group_key, params)
       select distinct ra.user_id, 'review', c.id, 'review:' || c.id, jsonb_build_object(${campaignWords})
         from campaign c
         -- The chair, and the council recorded for this campaign (issue 23): it meets on the proposed ranking.
         join lateral (select r.user_id from role_assignment r where r.role = 'chair'
                        union select m.user_id from council_member m where m.campaign_id = c.id and m.body = 'council') ra on true
         join app_user au on au.id = ra.user_id and au.active
        where c.id = ?
       ${grouped}`,
      [campaignId],
    );
  }
}

/** A unit submitted its self-assessment: to the secretariat, one notice per campaign counting the units. */
export async function noticeSubmitted(em: EntityManager, selfAssessmentId: number): Promise<void> {
  await em.execute(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct ra.user_id, 'submitted', c.id, 'submitted:' || c.id, jsonb_build_object(${campaignWords}, ${unitWords})
       from self_assessment sa
       join campaign c on c.id = sa.campaign_id
       join unit u on u.id = sa.unit_id
       join role_assignment ra on ra.role = 'admin'
       join app_user au on au.id = ra.user_id and au.active
      where sa.id = ?
     ${grouped}`,
    [selfAssessmentId],
  );
}

/** The secretariat reopened a unit's submitted self-assessment: to the unit's officers and heads, with the reason. */
export async function noticeReopened(em: EntityManager, selfAssessmentId: number, reason: string): Promise<void> {
  await em.execute(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct ra.user_id, 'reopened', c.id, 'reopened:' || sa.id,
            jsonb_build_object(${campaignWords}, ${unitWords}, 'reason', ?::text)
       from self_assessment sa
       join campaign c on c.id = sa.campaign_id
       join unit u on u.id = sa.unit_id
       ${unitPeople}
      where sa.id = ?
     ${grouped}`,
    [reason, selfAssessmentId],
  );
}

/**
 * A reopened unit submitted again and appraisals of criteria it changed went back to the queue (`appraisalIds`): in the
 * appraisal phase to the appraisers of each item's agency, counting their items; once appraisal is over, to the
 * secretariat, who scores them by correction. One notice per unit while unread.
 */
export async function noticeReturned(
  em: EntityManager,
  selfAssessmentId: number,
  appraisalIds: readonly number[],
): Promise<void> {
  if (!appraisalIds.length) return;
  await em.execute(
    `with recursive target as (
       select sa.campaign_id, sa.unit_id, c.state, c.criteria_set_id
         from self_assessment sa join campaign c on c.id = sa.campaign_id where sa.id = ?),
     ${effectiveAgency('(select criteria_set_id from target)')},
     recipient as (
       select ra.user_id, 'returned' as kind, count(*)::int as items
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join effective_agency ea on ea.criterion_id = cs.criterion_id
         join role_assignment ra on ra.role = 'appraiser' and ra.agency_id = ea.agency_id
        where a.id = any(?::int[]) and (select state from target) = 'appraisal'
        group by ra.user_id
       union all
       select distinct ra.user_id, 'returnedForCorrection', cardinality(?::int[])
         from role_assignment ra
        where ra.role = 'admin' and (select state from target) <> 'appraisal')
     insert into notice (recipient_id, kind, campaign_id, group_key, count, params)
     select r.user_id, r.kind, c.id, r.kind || ':' || c.id || ':' || u.id, r.items, jsonb_build_object(${campaignWords}, ${unitWords})
       from recipient r
       join app_user au on au.id = r.user_id and au.active
       cross join target
       join campaign c on c.id = target.campaign_id
       join unit u on u.id = target.unit_id
     ${grouped}`,
    [selfAssessmentId, intArray([...appraisalIds]), intArray([...appraisalIds])],
  );
}

/**
 * An appraiser asked for an explanation on an item: to the unit's officers and heads, and to the people who hold the
 * criterion (each assignee, a body's contact person); one notice per unit counting the requests.
 */
export async function noticeRequested(em: EntityManager, appraisalId: number, dueDate: string): Promise<void> {
  await em.execute(
    `with item as (
       select sa.campaign_id, sa.unit_id, cs.id as score_id
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id
        where a.id = ?),
     recipient as (
       select ra.user_id from role_assignment ra join item on ra.unit_id = item.unit_id where ra.role in ('officer', 'head')
       union
       select h.user_id from (${criterionHolders}) h join item on h.criterion_score_id = item.score_id)
     insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select r.user_id, 'requested', c.id, 'requested:' || c.id || ':' || u.id,
            jsonb_build_object(${campaignWords}, ${unitWords}, 'due', to_char(?::date, 'DD/MM/YYYY'))
       from recipient r
       join app_user au on au.id = r.user_id and au.active
       cross join item
       join campaign c on c.id = item.campaign_id
       join unit u on u.id = item.unit_id
     ${grouped}`,
    [appraisalId, dueDate],
  );
}

/** A unit answered a request: to the appraiser who asked; one notice per unit counting the answers. */
export async function noticeAnswered(em: EntityManager, requestId: number): Promise<void> {
  await em.execute(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select r.requested_by_id, 'answered', c.id, 'answered:' || c.id || ':' || u.id, jsonb_build_object(${campaignWords}, ${unitWords})
       from explanation_request r
       join appraisal a on a.id = r.appraisal_id
       join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id
       join campaign c on c.id = sa.campaign_id
       join unit u on u.id = sa.unit_id
       join app_user au on au.id = r.requested_by_id and au.active
      where r.id = ?
     ${grouped}`,
    [requestId],
  );
}

/** An item the unit had explained was decided: to the unit's officers and heads; one notice per unit. */
export async function noticeDecided(em: EntityManager, appraisalId: number): Promise<void> {
  await em.execute(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct on (ra.user_id) ra.user_id, 'decided', c.id, 'decided:' || c.id || ':' || u.id,
            jsonb_build_object(${campaignWords}, ${unitWords})
       from appraisal a
       join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id
       join campaign c on c.id = sa.campaign_id
       join unit u on u.id = sa.unit_id
       ${unitPeople}
      where a.id = ?
     ${grouped}`,
    [appraisalId],
  );
}

/** A campaign published (or corrected): to every unit's officers and heads, each pointed at their own result. */
export async function noticePublished(
  em: EntityManager,
  campaignId: number,
  version: number,
  correction: boolean,
): Promise<void> {
  await em.execute(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct on (ra.user_id, u.id) ra.user_id, ?, c.id, 'published:' || c.id || ':' || u.id,
            jsonb_build_object(${campaignWords}, ${unitWords}, 'version', ?::int)
       from campaign c
       join campaign_unit cu on cu.campaign_id = c.id
       join unit u on u.id = cu.unit_id
       ${unitPeople}
      where c.id = ?
     ${grouped}`,
    [correction ? 'corrected' : 'published', version, campaignId],
  );
}

export interface NoticeRow {
  id: string;
  kind: NoticeKind;
  params: NoticeParams;
  count: number;
  updatedAt: Date;
  read: boolean;
}

export const noticesPerPage = 30;

/** A page of the person's notices, newest first, and how many there are in all. */
export async function listNotices(
  em: EntityManager,
  userId: number,
  page: number,
): Promise<{ rows: NoticeRow[]; total: number; unread: number }> {
  const rows = await em.execute<NoticeRow[]>(
    `select id::text as id, kind, params, count, updated_at as "updatedAt", read_at is not null as read
       from notice where recipient_id = ? order by updated_at desc, id desc limit ? offset ?`,
    [userId, noticesPerPage, (page - 1) * noticesPerPage],
  );
  const [counts] = await em.execute<{ total: number; unread: number }[]>(
    `select count(*)::int as total, (count(*) filter (where read_at is null))::int as unread from notice where recipient_id = ?`,
    [userId],
  );
  return { rows, total: counts?.total ?? 0, unread: counts?.unread ?? 0 };
}

/** Marks the person's notice read and returns it (to go to its page); null when it is not theirs. */
export async function openNotice(em: EntityManager, userId: number, id: string): Promise<NoticeRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await em.execute<NoticeRow[]>(
    `update notice set read_at = coalesce(read_at, now()) where id = ? and recipient_id = ?
     returning id::text as id, kind, params, count, updated_at as "updatedAt", true as read`,
    [id, userId],
  );
  return row ?? null;
}

/** Marks every notice of the person read; returns how many were unread. */
export async function markAllRead(em: EntityManager, userId: number): Promise<number> {
  const done = await em.execute<{ id: string }[]>(
    `update notice set read_at = now() where recipient_id = ? and read_at is null returning id`,
    [userId],
  );
  return done.length;
}

/** Whom the secretariat writes to: every unit of the campaign, those that have not submitted, or one block. */
export type Audience = { kind: 'all' } | { kind: 'notSubmitted' } | { kind: 'block'; block: string };

export const messageMaxLength = 2000;

/**
 * The secretariat writes to a campaign's units: a notice to the officers and heads of each unit in the audience, in
 * one statement, never grouped with another message; recorded in the audit log with its words and reach.
 */
export async function messageUnits(
  em: EntityManager,
  actor: { id: number; fullName: string },
  campaignCode: string,
  audience: Audience,
  text: string,
): Promise<Outcome<{ people: number; units: number }>> {
  const words = text.trim().normalize('NFC');
  if (!words) return invalid({ text: 'notice.error.text' });
  if (words.length > messageMaxLength) return invalid({ text: 'notice.error.textLong' });
  return em.transactional(async (tx) => {
    const sent = await tx.execute<{ recipient_id: number; unit: string }[]>(
      `insert into notice (recipient_id, kind, campaign_id, group_key, params)
       select distinct on (ra.user_id, u.id) ra.user_id, 'message', c.id, 'message:' || gen_random_uuid(),
              jsonb_build_object(${campaignWords}, ${unitWords}, 'from', ?::text, 'text', ?::text)
         from campaign c
         join campaign_unit cu on cu.campaign_id = c.id
         join unit u on u.id = cu.unit_id
         ${unitPeople}
        where c.code = ?
          and (?::text = 'all'
               or (?::text = 'block' and cu.block = ?::text)
               or (?::text = 'notSubmitted' and not exists (
                     select 1 from self_assessment sa where sa.campaign_id = c.id and sa.unit_id = u.id and sa.state <> 'draft')))
       returning recipient_id, params->>'unit' as unit`,
      [
        actor.fullName,
        words,
        campaignCode,
        audience.kind,
        audience.kind,
        audience.kind === 'block' ? audience.block : null,
        audience.kind,
      ],
    );
    if (sent.length === 0) return invalid({ audience: 'notice.error.nobody' });
    const reach = {
      people: new Set(sent.map((r) => r.recipient_id)).size,
      units: new Set(sent.map((r) => r.unit)).size,
    };
    const [campaign] = await tx.execute<{ id: number }[]>('select id from campaign where code = ?', [campaignCode]);
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.message-sent',
      entityType: 'Campaign',
      entityId: campaign!.id,
      after: { audience, text: words, ...reach },
    });
    await tx.flush();
    return ok(reach);
  });
}

/** The campaign's blocks, in the order the secretariat named them (Vietnamese order), for the audience choice. */
export async function campaignBlocks(em: EntityManager, campaignId: number): Promise<string[]> {
  const rows = await em.execute<{ block: string }[]>(
    `select block from campaign_unit where campaign_id = ? and block is not null
      group by block order by block collate "vi-x-icu"`,
    [campaignId],
  );
  return rows.map((r) => r.block);
}
