import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import type { UnitContext } from './unit-access.ts';
import { loadTree, missingOf } from './criteria-tree.ts';
import { lockDraft } from './save.ts';
import { ok, refused, type Outcome } from '../outcome.ts';
import { noticeSubmitted } from '../notices.ts';
import { editableIn } from '../../domain/reopening.ts';
import { settleReopening } from './reopen.ts';

/** Submitted; or refused, an incomplete one with what is missing. */
export type SubmitOutcome = Outcome<
  null,
  'forbidden' | 'locked' | 'incomplete',
  { incomplete: { missing: { code: string; title: string; field: string; missing: string[] }[] } }
>;

/**
 * Submits a unit's self-assessment: complete, by the head (or the officer where the campaign allows), inside the
 * window. It locks the answers and opens one appraisal item per criterion for the council.
 */
export async function submitSelfAssessment(em: EntityManager, ctx: UnitContext): Promise<SubmitOutcome> {
  if (!ctx.maySubmit) return { ok: false, kind: 'forbidden' };
  if (!ctx.editable) return { ok: false, kind: 'locked' };
  return em.transactional(async (tx) => {
    // Saves, uploads and removals take this row `for share` (lockDraft): they finish before this reads the answers, or
    // wait and then find the assessment submitted. The phase is checked under the same lock.
    const [sa] = await tx.execute<{ state: string; phase: string; reopen_reason: string | null }[]>(
      'select sa.state, c.state as phase, sa.reopen_reason from self_assessment sa join campaign c on c.id = sa.campaign_id where sa.id = ? for update of sa',
      [ctx.selfAssessment.id],
    );
    if (sa.state !== 'draft' || !editableIn(sa.phase, sa.reopen_reason !== null)) return { ok: false, kind: 'locked' };
    const missing = (await loadTree(tx, ctx))
      .map((n) => ({ code: n.code, title: n.title, field: n.field, missing: missingOf(n) }))
      .filter((n) => n.missing.length > 0);
    if (missing.length) return { ok: false, kind: 'incomplete', missing };
    await tx.execute(
      `update self_assessment set state = 'submitted', submitted_at = now(), submitted_by_id = ? where id = ?`,
      [ctx.userId, ctx.selfAssessment.id],
    );
    await tx.execute(
      `insert into appraisal (criterion_score_id, state, reason, version)
       select cs.id, 'todo', '', 1 from criterion_score cs where cs.self_assessment_id = ?
       on conflict (criterion_score_id) do nothing`,
      [ctx.selfAssessment.id],
    );
    await settleReopening(tx, ctx.selfAssessment.id, ctx.userId);
    await noticeSubmitted(tx, ctx.selfAssessment.id);
    audit(tx, {
      actorId: ctx.userId,
      action: 'self-assessment.submitted',
      entityType: 'SelfAssessment',
      entityId: ctx.selfAssessment.id,
      after: { unit: ctx.unit.code, campaign: ctx.campaign.code },
    });
    return { ok: true, value: null };
  });
}

export interface AssignmentInput {
  scoreId: number;
  assigneeId: number | null;
  assigneeBody: string | null;
}

/** The people of the unit who may be given criteria: its contributors and officers. */
export async function assignableUsers(
  em: EntityManager,
  unitId: number,
): Promise<{ id: number; fullName: string; role: string }[]> {
  return em.execute(
    `select u.id, u.full_name as "fullName", min(r.role) as role from role_assignment r join app_user u on u.id = r.user_id
      where r.unit_id = ? and r.role in ('contributor', 'officer') and u.active
      group by u.id order by u.full_name collate "vi-x-icu"`,
    [unitId],
  );
}

/** How many assignments changed; or refused: not the officer's to assign, no longer a draft, a person not of the unit. */
export type AssignOutcome = Outcome<number, 'forbidden' | 'locked' | 'unknownAssignee'>;

/** The officer hands criteria to colleagues (who then see only those) or notes a body that prepares them. */
export async function assignCriteria(
  em: EntityManager,
  ctx: UnitContext,
  changes: AssignmentInput[],
): Promise<AssignOutcome> {
  if (!ctx.mayAssign) return refused('forbidden');
  if (!ctx.editable) return refused('locked');
  const allowed = new Set((await assignableUsers(em, ctx.unit.id)).map((u) => u.id));
  if (changes.some((c) => c.assigneeId !== null && !allowed.has(c.assigneeId))) return refused('unknownAssignee');
  return em.transactional(async (tx): Promise<AssignOutcome> => {
    // Checked again under the lock the submission and the phase steps take: no assignment lands after either.
    if ((await lockDraft(tx, ctx.selfAssessment.id)) !== 'draft') return refused('locked');
    let changed = 0;
    for (const c of changes) {
      const body = c.assigneeBody?.trim().normalize('NFC') || null;
      const rows = await tx.execute<{ id: number; assignee_id: number | null; assignee_body: string | null }[]>(
        `update criterion_score cs set assignee_id = ?, assignee_body = ?
           from criterion_score old where cs.id = old.id and cs.id = ? and cs.self_assessment_id = ?
            and (old.assignee_id is distinct from ? or old.assignee_body is distinct from ?)
         returning old.id, old.assignee_id, old.assignee_body`,
        [c.assigneeId, body, c.scoreId, ctx.selfAssessment.id, c.assigneeId, body],
      );
      if (rows.length) {
        changed++;
        audit(tx, {
          actorId: ctx.userId,
          action: 'criterion-score.assigned',
          entityType: 'CriterionScore',
          entityId: c.scoreId,
          before: { assigneeId: rows[0].assignee_id, assigneeBody: rows[0].assignee_body },
          after: { assigneeId: c.assigneeId, assigneeBody: body },
        });
      }
    }
    return ok(changed);
  });
}
