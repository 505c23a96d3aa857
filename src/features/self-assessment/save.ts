import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { format, type Precision, type Rounding } from '../../domain/decimal.ts';
import { declaredScore, type Declaration } from '../../domain/declared.ts';
import type { Outcome } from '../outcome.ts';
import type { UnitContext } from './unit-access.ts';
import { editableIn } from '../../domain/reopening.ts';

export interface ScoreForm extends Declaration {
  notApplicable: boolean;
  explanation: string;
  version: number;
}

export interface StoredScore {
  id: number;
  selfScore: string | null;
  declaredLevel: string | null;
  declaredAchieved: number | null;
  declaredTotal: number | null;
  notApplicable: boolean;
  explanation: string;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * Saved; or refused: 'locked' when the assessment was submitted or the campaign left self-assessment since the page was
 * loaded, 'conflict' when someone saved this criterion since (with what they saved). Nothing is written when refused.
 */
export type SaveOutcome = Outcome<
  StoredScore,
  'invalid' | 'locked' | 'conflict',
  { locked: { reason?: 'submitted' | 'phase' }; conflict: { theirs: StoredScore } }
>;

export async function storedScore(em: EntityManager, id: number): Promise<StoredScore> {
  const [row] = await em.execute<Record<string, any>[]>(
    `select cs.id, cs.self_score, cs.declared_level, cs.declared_achieved, cs.declared_total, cs.not_applicable, cs.explanation,
            cs.version, cs.updated_at, u.full_name as updated_by
       from criterion_score cs left join app_user u on u.id = cs.updated_by_id where cs.id = ?`,
    [id],
  );
  return {
    id: row.id,
    selfScore: row.self_score,
    declaredLevel: row.declared_level,
    declaredAchieved: row.declared_achieved,
    declaredTotal: row.declared_total,
    notApplicable: row.not_applicable,
    explanation: row.explanation,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/**
 * Takes a share lock on the self-assessment row for the rest of the transaction and says whether it may still change:
 * still a draft, its campaign still in self-assessment. The submission takes the same row `for update`, so a save and
 * the submission serialise: a save either commits before the submission reads the answers, or waits for it and sees
 * it submitted. (The evidence upload and removal take the same lock.)
 */
export async function lockDraft(tx: EntityManager, selfAssessmentId: number): Promise<'draft' | 'submitted' | 'phase'> {
  const [row] = await tx.execute<{ state: string; phase: string; reopen_reason: string | null }[]>(
    `select sa.state, c.state as phase, sa.reopen_reason from self_assessment sa join campaign c on c.id = sa.campaign_id
      where sa.id = ? for share of sa, c`,
    [selfAssessmentId],
  );
  if (row?.state !== 'draft') return 'submitted';
  return editableIn(row.phase, row.reopen_reason !== null) ? 'draft' : 'phase';
}

/**
 * Saves one criterion of a self-assessment: its score follows the criterion's rule, and the update only lands when the
 * version the person loaded is still the stored one, so that a colleague's save is never overwritten unseen, and while
 * the self-assessment is still a draft, checked under the lock the submission takes (see `lockDraft`).
 */
export async function saveCriterionScore(
  em: EntityManager,
  ctx: UnitContext,
  scoreId: number,
  leaf: { scoring: string | null; minScore: string; maxScore: string },
  form: ScoreForm,
): Promise<SaveOutcome> {
  if (!ctx.editable) return { ok: false, kind: 'locked' };
  const explanation = form.explanation.trim().normalize('NFC');
  let values: { selfScore: string | null; level: string | null; achieved: number | null; total: number | null };
  if (form.notApplicable) {
    values = { selfScore: null, level: null, achieved: null, total: null };
  } else {
    const outcome = declaredScore(leaf, form, {
      precision: ctx.campaign.precision as Precision,
      rounding: ctx.campaign.rounding as Rounding,
    });
    if (!outcome.ok) return { ok: false, kind: 'invalid', errors: outcome.errors };
    const d = outcome.value;
    values = { selfScore: format(d.score), level: d.level, achieved: d.achieved, total: d.total };
  }
  return em.transactional(async (tx): Promise<SaveOutcome> => {
    const state = await lockDraft(tx, ctx.selfAssessment.id);
    if (state !== 'draft') return { ok: false, kind: 'locked', reason: state };
    const before = await storedScore(tx, scoreId);
    const updated = await tx.execute<{ id: number }[]>(
      `update criterion_score set self_score = ?, declared_level = ?, declared_achieved = ?, declared_total = ?, not_applicable = ?,
              explanation = ?, updated_by_id = ?, updated_at = now(), version = version + 1
        where id = ? and version = ? and self_assessment_id = ?
        returning id`,
      [
        values.selfScore,
        values.level,
        values.achieved,
        values.total,
        form.notApplicable,
        explanation,
        ctx.userId,
        scoreId,
        form.version,
        ctx.selfAssessment.id,
      ],
    );
    if (updated.length === 0) {
      const theirs = await storedScore(tx, scoreId);
      return theirs.version !== form.version ? { ok: false, kind: 'conflict', theirs } : { ok: false, kind: 'locked' };
    }
    const after = await storedScore(tx, scoreId);
    audit(tx, {
      actorId: ctx.userId,
      action: 'criterion-score.saved',
      entityType: 'CriterionScore',
      entityId: scoreId,
      before: pick(before),
      after: pick(after),
    });
    return { ok: true, value: after };
  });
}

function pick(s: StoredScore) {
  return {
    selfScore: s.selfScore,
    level: s.declaredLevel,
    achieved: s.declaredAchieved,
    total: s.declaredTotal,
    notApplicable: s.notApplicable,
    explanation: s.explanation,
  };
}
