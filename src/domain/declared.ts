// A leaf's score from what is typed or declared: a plain score, a chosen level, or two counts (achieved of total).
import { compare, dec, decimalsOf, formatVi, parseDec, type Dec, type Precision, type Rounding } from './decimal.ts';
import { levelScore, parseScoringRule, proportionalScore, ratioScore, type ScoringRule } from './scoring.ts';

export interface LeafRule {
  scoring: string | null;
  minScore: string;
  maxScore: string;
}

export interface Declaration {
  score?: string;
  level?: string;
  achieved?: string;
  total?: string;
}

export interface Declared {
  score: Dec;
  level: string | null;
  achieved: number | null;
  total: number | null;
}

export type DeclaredOutcome = { ok: true; value: Declared } | { ok: false; errors: Record<string, string> };

export function ruleOf(leaf: LeafRule): ScoringRule | null {
  if (!leaf.scoring) return null;
  const parsed = parseScoringRule(leaf.scoring);
  return parsed.ok ? parsed.rule : null;
}

const count = (text: string | undefined): number | null => {
  const s = (text ?? '').replace(/\s/g, '');
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
};

/** The score that follows from a declaration under the leaf's rule, or the error to show beside the field. */
export function declaredScore(leaf: LeafRule, d: Declaration, rules: { precision: Precision; rounding: Rounding }): DeclaredOutcome {
  const rule = ruleOf(leaf);
  const min = dec(leaf.minScore);
  const max = dec(leaf.maxScore);
  if (!rule) {
    const text = (d.score ?? '').trim();
    if (!text) return { ok: false, errors: { score: 'Nhập điểm tự chấm.' } };
    const score = parseDec(text);
    if (score === null) return { ok: false, errors: { score: `Điểm phải là số, ví dụ ${formatVi(max)}.` } };
    if (decimalsOf(score) > rules.precision) return { ok: false, errors: { score: `Điểm có tối đa ${rules.precision} chữ số thập phân.` } };
    if (compare(score, min) < 0 || compare(score, max) > 0) {
      return { ok: false, errors: { score: `Điểm phải từ ${formatVi(min)} đến ${formatVi(max)}. Điểm tối đa là ${formatVi(max)}.` } };
    }
    return { ok: true, value: { score, level: null, achieved: null, total: null } };
  }
  if (rule.kind === 'levels') {
    const level = (d.level ?? '').trim();
    if (!level) return { ok: false, errors: { level: 'Chọn một mức.' } };
    const outcome = levelScore(rule, level);
    if (!outcome.ok) return { ok: false, errors: { level: outcome.error } };
    const chosen = rule.levels.find((l) => l.points === outcome.score && l.label.normalize('NFC').toLowerCase() === level.normalize('NFC').toLowerCase());
    return { ok: true, value: { score: outcome.score, level: chosen?.label ?? level, achieved: null, total: null } };
  }
  const achieved = count(d.achieved);
  const total = count(d.total);
  const errors: Record<string, string> = {};
  if (achieved === null) errors.achieved = 'Nhập số nguyên, không dùng dấu phân cách hàng nghìn.';
  if (total === null) errors.total = 'Nhập số nguyên, không dùng dấu phân cách hàng nghìn.';
  if (achieved === null || total === null) return { ok: false, errors };
  if (total === 0) return { ok: false, errors: { total: 'Tổng số phải lớn hơn 0. Nếu không có gì để tính, đánh dấu "Không áp dụng".' } };
  const outcome = rule.kind === 'ratio' ? ratioScore(rule, dec(achieved), dec(total)) : proportionalScore(dec(achieved), dec(total), max, rules);
  if (!outcome.ok) return { ok: false, errors: { achieved: outcome.error } };
  return { ok: true, value: { score: outcome.score, level: null, achieved, total } };
}
