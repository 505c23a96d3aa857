import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { type CurrentUser, unitAccess } from '../../domain/permissions.ts';
import type { UnitContext } from '../self-assessment/unit-access.ts';
import { holdsCriterion } from '../self-assessment/hands.ts';
import { invalid, ok, refused, type Outcome } from '../outcome.ts';
import { lockedPhase } from './phase.ts';
import { noticeAnswered } from '../notices.ts';

export interface ExplanationRequestView {
  id: number;
  appraisalId: number;
  code: string;
  title: string;
  message: string;
  dueDate: string;
  requestedAt: string;
  requestedBy: string;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  /** The unit may still answer: not answered, not past due, campaign still in appraisal. */
  open: boolean;
}

/**
 * The appraisers' requests to this unit, newest first: what a unit sees of its appraisal before publication. A
 * contributor sees only the requests about criteria assigned to them, as on the criteria page.
 */
export async function listRequests(
  em: EntityManager,
  ctx: UnitContext,
  today: string,
): Promise<ExplanationRequestView[]> {
  const onlyAssignedTo = ctx.role === 'contributor' ? ctx.userId : null;
  const rows = await em.execute<Record<string, any>[]>(
    `select r.id, r.appraisal_id, c.code, c.title, r.message, to_char(r.due_date, 'YYYY-MM-DD') as due_date, r.requested_at,
            ru.full_name as requested_by, r.answer, r.answered_at, au.full_name as answered_by
       from explanation_request r
       join appraisal a on a.id = r.appraisal_id
       join criterion_score cs on cs.id = a.criterion_score_id
       join criterion c on c.id = cs.criterion_id
       join app_user ru on ru.id = r.requested_by_id
       left join app_user au on au.id = r.answered_by_id
      where cs.self_assessment_id = ? and (?::int is null or ${holdsCriterion('cs.id', '?::int')})
      order by r.id desc`,
    [ctx.selfAssessment.id, onlyAssignedTo, onlyAssignedTo],
  );
  return rows.map((r) => ({
    id: r.id,
    appraisalId: r.appraisal_id,
    code: r.code,
    title: r.title,
    message: r.message,
    dueDate: r.due_date,
    requestedAt: r.requested_at,
    requestedBy: r.requested_by,
    answer: r.answer,
    answeredAt: r.answered_at,
    answeredBy: r.answered_by,
    open: r.answered_at === null && r.due_date >= today && ctx.campaign.state === 'appraisal',
  }));
}

export type AnswerOutcome = Outcome<null, 'invalid' | 'closed' | 'forbidden'>;

/** The unit answers a request before its due date; the item goes back to the appraiser marked answered. */
export async function answerRequest(
  em: EntityManager,
  ctx: UnitContext,
  request: ExplanationRequestView,
  answer: string,
  today: string,
): Promise<AnswerOutcome> {
  if (ctx.role === 'contributor') return refused('forbidden');
  if (!request.open) return refused('closed');
  const text = answer.trim().normalize('NFC');
  if (!text) return invalid({ answer: 'explanations.error.answer' });
  return em.transactional(async (tx): Promise<AnswerOutcome> => {
    // The phase again, under the campaign row's share lock: an answer cannot land after the appraisal has closed.
    if ((await lockedPhase(tx, ctx.campaign.id)) !== 'appraisal') return refused('closed');
    const done = await tx.execute<{ id: number }[]>(
      `update explanation_request set answer = ?, answered_at = now(), answered_by_id = ?
        where id = ? and answered_at is null and due_date >= ?::date returning id`,
      [text, ctx.userId, request.id, today],
    );
    if (!done.length) return refused('closed');
    await tx.execute(
      `update appraisal set state = 'answered', version = version + 1, updated_at = now() where id = ? and state = 'waiting'`,
      [request.appraisalId],
    );
    await noticeAnswered(tx, request.id);
    audit(tx, {
      actorId: ctx.userId,
      action: 'explanation.answered',
      entityType: 'ExplanationRequest',
      entityId: request.id,
      after: { answer: text },
    });
    return ok(null);
  });
}

/** The evidence files given with the answers to these requests, in upload order. */
export async function requestFiles(
  em: EntityManager,
  requestIds: readonly number[],
): Promise<{ id: number; request_id: number; original_name: string }[]> {
  if (requestIds.length === 0) return [];
  return em.execute<{ id: number; request_id: number; original_name: string }[]>(
    `select id, explanation_request_id as request_id, original_name from evidence_file
      where removed_at is null and explanation_request_id = any(?::int[]) order by id`,
    [`{${requestIds.join(',')}}`],
  );
}

/** A request still waiting for a unit's answer, as the unit's people see it on their home and task list. */
export interface WaitingRequest {
  id: number;
  unitCode: string;
  unitName: string;
  campaignCode: string;
  campaignName: string;
  code: string;
  title: string;
  dueDate: string;
}

/**
 * The open requests (not answered, not past due, campaign in appraisal) to the units where this person may answer:
 * the officer and the head; a contributor cannot answer, so nothing waits for them. Soonest due first.
 */
export async function waitingRequests(em: EntityManager, user: CurrentUser, today: string): Promise<WaitingRequest[]> {
  const unitIds = [...unitAccess(user.grants)]
    .filter(([, role]) => role === 'officer' || role === 'head')
    .map(([id]) => id);
  if (unitIds.length === 0) return [];
  return em.execute<WaitingRequest[]>(
    `select r.id, u.code as "unitCode", u.name as "unitName", k.code as "campaignCode", k.name as "campaignName",
            c.code, c.title, to_char(r.due_date, 'YYYY-MM-DD') as "dueDate"
       from explanation_request r
       join appraisal a on a.id = r.appraisal_id
       join criterion_score cs on cs.id = a.criterion_score_id
       join criterion c on c.id = cs.criterion_id
       join self_assessment sa on sa.id = cs.self_assessment_id
       join unit u on u.id = sa.unit_id
       join campaign k on k.id = sa.campaign_id
      where sa.unit_id = any(?::int[]) and k.state = 'appraisal' and not k.practice and r.answered_at is null and r.due_date >= ?::date
      order by r.due_date, u.name collate "vi-x-icu", c.position`,
    [intArray(unitIds), today],
  );
}
