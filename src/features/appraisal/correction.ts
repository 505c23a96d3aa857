import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { compare, dec, format, type Dec, type Precision, type Rounding } from '../../domain/decimal.ts';
import { declaredScore } from '../../domain/declared.ts';
import { msg, say, type FieldErrors } from '../../domain/message.ts';
import { parseScoringRule } from '../../domain/scoring.ts';
import { invalid, ok, type Outcome } from '../outcome.ts';

/**
 * The only scores a rule-based criterion can have: its levels' or thresholds' points, and the zero an appraiser may
 * give on one of seed 003's grounds (the criterion's minimum when that is above 0). Null when any score in the
 * range can come out (typed scores, proportional rules).
 */
function pointsOfRule(scoring: string | null, minScore: Dec): Dec[] | null {
  const parsed = parseScoringRule(scoring ?? '');
  if (!parsed.ok || !parsed.rule || parsed.rule.kind === 'proportional') return null;
  const zero = minScore > 0n ? minScore : (0n as Dec);
  const points =
    parsed.rule.kind === 'levels'
      ? parsed.rule.levels.map((l) => l.points)
      : parsed.rule.thresholds.map((t) => t.points);
  return [...points, zero].sort((a, b) => compare(b, a));
}

/** The appraised score before and after the correction (decimal strings), as the confirmation page states them. */
export type CorrectionOutcome = Outcome<{ before: string | null; after: string; state: string; unitName: string }>;

/**
 * After the appraisal phase closed, a score changes only by the secretariat's recorded correction: the new score
 * (within the criterion's range and the campaign's precision, and one its scoring rule can give), the reason, who
 * and when go to the audit log (`dryRun` checks it all and writes nothing, for the confirmation page). Once the
 * campaign is published, the correction reaches citizens as a new publication version. The campaign row is share-locked
 * with the item, so that the phase read here holds until the correction commits (a publication waits for it).
 */
export async function correctAppraisal(
  em: EntityManager,
  actorId: number,
  campaignCode: string,
  input: { unit: string; criterion: string; score: string; reason: string },
  opts: { dryRun?: boolean } = {},
): Promise<CorrectionOutcome> {
  const reason = input.reason.trim().normalize('NFC');
  return em.transactional(async (tx): Promise<CorrectionOutcome> => {
    const [item] = await tx.execute<Record<string, any>[]>(
      `select a.id, a.appraised_score, a.reason, a.state, u.name as unit_name, c.min_score, c.max_score, c.scoring, k.state as campaign_state, k.precision, k.rounding
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
         join campaign k on k.id = sa.campaign_id join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
        where k.code = ? and u.code = ? and c.code = ? for update of a for share of k`,
      [campaignCode, input.unit.trim(), input.criterion.trim()],
    );
    if (!item) return invalid({ criterion: 'correction.error.notFound' });
    if (!['council-review', 'approved', 'published'].includes(item.campaign_state)) {
      return invalid({ _form: 'correction.error.phase' });
    }
    const scored = declaredScore(
      { scoring: null, minScore: item.min_score, maxScore: item.max_score },
      { score: input.score },
      { precision: item.precision as Precision, rounding: item.rounding as Rounding },
    );
    const errors: FieldErrors = {};
    if (!scored.ok) errors.score = scored.errors.score ?? 'correction.error.score';
    else {
      const allowed = pointsOfRule(item.scoring, dec(item.min_score));
      if (allowed && !allowed.some((p) => compare(p, scored.value.score) === 0)) {
        // Each point a number the reader's language writes; the list reads joined by "; ".
        const points = [...new Set(allowed.map((p) => format(p)))].map((p) =>
          msg('message.number', { value: Number(p) }),
        );
        errors.score = msg('correction.error.points', { points: say(points) });
      }
    }
    if (!reason) errors.reason = 'correction.error.reason';
    if (Object.keys(errors).length || !scored.ok) return invalid(errors);
    const score = format(scored.value.score);
    const preview = {
      before: item.appraised_score === null ? null : format(dec(item.appraised_score)),
      after: score,
      state: item.campaign_state as string,
      unitName: item.unit_name as string,
    };
    if (opts.dryRun) return ok(preview);
    await tx.execute(
      `update appraisal set appraised_score = ?, reason = ?, state = 'adjusted', appraiser_id = ?, updated_at = now(), version = version + 1 where id = ?`,
      [score, reason, actorId, item.id],
    );
    audit(tx, {
      actorId,
      action: 'appraisal.corrected',
      entityType: 'Appraisal',
      entityId: item.id,
      before: { appraisedScore: item.appraised_score, reason: item.reason, state: item.state },
      after: { appraisedScore: score, reason },
      reason,
    });
    return ok(preview);
  });
}
