import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { compare, dec, format, formatVi, type Dec, type Precision, type Rounding } from '../../domain/decimal.ts';
import { declaredScore } from '../../domain/declared.ts';
import { parseScoringRule } from '../../domain/scoring.ts';

/**
 * The only scores a rule-based criterion can have: its levels' or thresholds' points, and the zero an appraiser may
 * give on one of seed 003's grounds (the criterion's minimum when that is above 0). Null when any score in the
 * range can come out (typed scores, proportional rules).
 */
function pointsOfRule(scoring: string | null, minScore: Dec): Dec[] | null {
  const parsed = parseScoringRule(scoring ?? '');
  if (!parsed.ok || !parsed.rule || parsed.rule.kind === 'proportional') return null;
  const zero = minScore > 0n ? minScore : (0n as Dec);
  const points = parsed.rule.kind === 'levels' ? parsed.rule.levels.map((l) => l.points) : parsed.rule.thresholds.map((t) => t.points);
  return [...points, zero].sort((a, b) => compare(b, a));
}

export type CorrectionOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * After the appraisal phase closed, a score changes only by the secretariat's recorded correction: the new score
 * (within the criterion's range and the campaign's precision, and one its scoring rule can give), the reason, who
 * and when go to the audit log. Once the
 * campaign is published, the correction reaches citizens as a new publication version. The campaign row is share-locked
 * with the item, so that the phase read here holds until the correction commits (a publication waits for it).
 */
export async function correctAppraisal(
  em: EntityManager, actorId: number, campaignCode: string, input: { unit: string; criterion: string; score: string; reason: string },
): Promise<CorrectionOutcome> {
  const reason = input.reason.trim().normalize('NFC');
  return em.transactional(async (tx): Promise<CorrectionOutcome> => {
    const [item] = await tx.execute<Record<string, any>[]>(
      `select a.id, a.appraised_score, a.reason, a.state, c.min_score, c.max_score, c.scoring, k.state as campaign_state, k.precision, k.rounding
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
         join campaign k on k.id = sa.campaign_id join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
        where k.code = ? and u.code = ? and c.code = ? for update of a for share of k`, [campaignCode, input.unit.trim(), input.criterion.trim()]);
    if (!item) return { ok: false, errors: { criterion: 'Không tìm thấy tiêu chí này của đơn vị đã nộp tự đánh giá.' } };
    if (!['council-review', 'approved', 'published'].includes(item.campaign_state)) {
      return { ok: false, errors: { _form: 'Chỉ đính chính sau khi kết thúc thẩm định; trong giai đoạn thẩm định, thành viên thẩm định sửa trực tiếp.' } };
    }
    const scored = declaredScore({ scoring: null, minScore: item.min_score, maxScore: item.max_score }, { score: input.score },
      { precision: item.precision as Precision, rounding: item.rounding as Rounding });
    const errors: Record<string, string> = {};
    if (!scored.ok) errors.score = scored.errors.score ?? 'Điểm không hợp lệ.';
    else {
      const allowed = pointsOfRule(item.scoring, dec(item.min_score));
      if (allowed && !allowed.some((p) => compare(p, scored.value.score) === 0)) {
        errors.score = `Theo cách tính của tiêu chí, điểm chỉ có thể là: ${[...new Set(allowed.map((p) => formatVi(p)))].join('; ')}.`;
      }
    }
    if (!reason) errors.reason = 'Nhập lý do đính chính (căn cứ, văn bản).';
    if (Object.keys(errors).length || !scored.ok) return { ok: false, errors };
    const score = format(scored.value.score);
    await tx.execute(
      `update appraisal set appraised_score = ?, reason = ?, state = 'adjusted', appraiser_id = ?, updated_at = now(), version = version + 1 where id = ?`,
      [score, reason, actorId, item.id]);
    audit(tx, {
      actorId, action: 'appraisal.corrected', entityType: 'Appraisal', entityId: item.id,
      before: { appraisedScore: item.appraised_score, reason: item.reason, state: item.state }, after: { appraisedScore: score, reason }, reason,
    });
    return { ok: true };
  });
}
