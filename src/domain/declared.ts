// A leaf's score from what is typed or declared: a plain score, a chosen level, or two counts (achieved of total).
import { compare, dec, decimalsOf, format, parseDec, type Dec, type Precision, type Rounding } from './decimal.ts';
import { msg, type FieldErrors } from './message.ts';
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

/** The declared score, or the errors beside its fields as message keys (`score.*` in the catalog); the shape of `Outcome`. */
export type DeclaredOutcome = { ok: true; value: Declared } | { ok: false; kind: 'invalid'; errors: FieldErrors };

/** A Dec as a message parameter: the translator writes it as the reader writes numbers (0,5 or 0.5). */
const num = (value: Dec): number => Number(format(value));

const refuse = (errors: FieldErrors): DeclaredOutcome => ({ ok: false, kind: 'invalid', errors });

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
export function declaredScore(
  leaf: LeafRule,
  d: Declaration,
  rules: { precision: Precision; rounding: Rounding },
): DeclaredOutcome {
  const rule = ruleOf(leaf);
  const min = dec(leaf.minScore);
  const max = dec(leaf.maxScore);
  if (!rule) {
    const text = (d.score ?? '').trim();
    if (!text) return refuse({ score: 'score.required' });
    const score = parseDec(text);
    if (score === null) return refuse({ score: msg('score.number', { example: num(max) }) });
    if (decimalsOf(score) > rules.precision)
      return refuse({ score: msg('score.decimals', { decimals: rules.precision }) });
    if (compare(score, min) < 0 || compare(score, max) > 0) {
      return refuse({ score: msg('score.range', { min: num(min), max: num(max) }) });
    }
    return { ok: true, value: { score, level: null, achieved: null, total: null } };
  }
  if (rule.kind === 'levels') {
    const level = (d.level ?? '').trim();
    if (!level) return refuse({ level: 'score.level.required' });
    const outcome = levelScore(rule, level);
    if (!outcome.ok)
      return refuse({
        level: msg('score.level.unknown', { level, levels: rule.levels.map((l) => l.label).join(', ') }),
      });
    const chosen = rule.levels.find(
      (l) =>
        l.points === outcome.score && l.label.normalize('NFC').toLowerCase() === level.normalize('NFC').toLowerCase(),
    );
    return { ok: true, value: { score: outcome.score, level: chosen?.label ?? level, achieved: null, total: null } };
  }
  const achieved = count(d.achieved);
  const total = count(d.total);
  const errors: FieldErrors = {};
  if (achieved === null) errors.achieved = 'score.count.integer';
  if (total === null) errors.total = 'score.count.integer';
  if (achieved === null || total === null) return refuse(errors);
  if (total === 0) return refuse({ total: 'score.count.totalZero' });
  const outcome =
    rule.kind === 'ratio'
      ? ratioScore(rule, dec(achieved), dec(total))
      : proportionalScore(dec(achieved), dec(total), max, rules);
  // With a positive total and counts that are digits, the rules refuse only an achieved count above the total.
  if (!outcome.ok) return refuse({ achieved: 'score.count.aboveTotal' });
  return { ok: true, value: { score: outcome.score, level: null, achieved, total } };
}
