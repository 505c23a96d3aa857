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
