// The campaign workbook's one-line notations for composition and bands (docs/workbook.md, sheet `campaign`).
import { compare, format, parseDec, type Dec } from './decimal.ts';
import { msg, type Message } from './message.ts';
import { parseScoringRule } from './scoring.ts';

export interface CompositionPart {
  key: string;
  max: string;
}
export interface BandRule {
  name: string;
  min: string;
  fieldFloorPercent?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Message };

const decimal = /^\d{1,3}([.,]\d{1,3})?$/;
const toDecimal = (s: string) => s.replace(',', '.');
const hundredths = (s: string) => Math.round(Number(toDecimal(s)) * 1000);

/** `appraisal:70,survey:30` — component keys with maxima adding to 100. */
export function parseComposition(text: string): Parsed<CompositionPart[]> {
  const parts: CompositionPart[] = [];
  for (const piece of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9_-]*)\s*:\s*(\S+)$/.exec(piece);
    if (!m || !decimal.test(m[2])) return { ok: false, error: msg('composition.format', { piece }) };
    if (parts.some((p) => p.key === m[1])) return { ok: false, error: msg('composition.repeated', { key: m[1] }) };
    parts.push({ key: m[1], max: toDecimal(m[2]) });
  }
  if (parts.length === 0) return { ok: false, error: 'composition.empty' };
  if (parts.reduce((s, p) => s + hundredths(p.max), 0) !== 100_000) return { ok: false, error: 'composition.total' };
  return { ok: true, value: parts };
}

/** `Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0` — highest first, inclusive lower bounds, the last 0. */
export function parseBands(text: string): Parsed<BandRule[]> {
  const bands: BandRule[] = [];
  for (const piece of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = piece.lastIndexOf(':');
    const name = piece.slice(0, at).trim().normalize('NFC');
    const min = piece.slice(at + 1).trim();
    if (at <= 0 || !name || !decimal.test(min)) return { ok: false, error: msg('bands.format', { piece }) };
    const previous = bands.at(-1);
    if (previous && hundredths(min) >= hundredths(previous.min)) return { ok: false, error: 'bands.order' };
    if (hundredths(min) > 100_000) return { ok: false, error: msg('bands.above100', { name }) };
    bands.push({ name, min: toDecimal(min) });
  }
  if (bands.length === 0) return { ok: false, error: 'bands.empty' };
  if (hundredths(bands.at(-1)!.min) !== 0) return { ok: false, error: 'bands.lastZero' };
  return { ok: true, value: bands };
}

export function formatComposition(parts: CompositionPart[]): string {
  return parts.map((p) => `${p.key}:${p.max}`).join(',');
}

export function formatBands(bands: BandRule[]): string {
  return bands.map((b) => `${b.name}:${b.min}`).join(';');
}

// ---------------------------------------------------------------------------------------------------------------
// The same rules as small tables of rows (the set-up forms): each row's cells as typed, checked row by row, then
// written in the notation above (which the campaign and the criterion keep, and the workbook uses).

/** What is wrong with one cell of a table: `row` counts from 0 over the rows as posted (empty rows included). */
export interface RowIssue {
  row: number;
  column: string;
  message: Message;
}

/** The notation the rows make, or what is wrong: cells by row, or the table as a whole (order, total, last bound). */
export type FromRows = { ok: true; text: string } | { ok: false; rows: RowIssue[]; table?: Message };

const blank = (row: Record<string, string>) => Object.values(row).every((v) => v.trim() === '');
const dotted = (s: string) => s.trim().replace(',', '.');

/** Whole-table messages of the notation's parsers that quote the notation, said instead in the table's words. */
const inRowWords: Record<string, string> = {
  'bands.empty': 'bands.rows.empty',
  'composition.empty': 'composition.rows.empty',
  'rule.levels.empty': 'rule.rows.levelsEmpty',
  'rule.threshold.order': 'rule.rows.order',
  'rule.threshold.last': 'rule.rows.last',
};

function finish(text: string, rows: RowIssue[], parse: (text: string) => { ok: boolean; error?: Message }): FromRows {
  if (rows.length) return { ok: false, rows };
  const parsed = parse(text);
  if (parsed.ok) return { ok: true, text };
  const error = parsed.error!;
  return { ok: false, rows: [], table: typeof error === 'string' ? (inRowWords[error] ?? error) : error };
}

/** Band rows (name, lower bound) → `Xuất sắc:95;Tốt:85;…`; empty rows are skipped. */
export function bandsFromRows(rows: readonly { name: string; min: string }[]): FromRows {
  const issues: RowIssue[] = [];
  const pieces: string[] = [];
  rows.forEach((r, row) => {
    if (blank(r)) return;
    const name = r.name.trim().normalize('NFC');
    if (!name) issues.push({ row, column: 'name', message: 'bands.row.name' });
    else if (/[;]/.test(name)) issues.push({ row, column: 'name', message: 'table.row.semicolon' });
    if (!decimal.test(r.min.trim())) issues.push({ row, column: 'min', message: 'bands.row.min' });
    else if (hundredths(r.min.trim()) > 100_000) issues.push({ row, column: 'min', message: 'bands.row.min' });
    pieces.push(`${name}:${dotted(r.min)}`);
  });
  return finish(pieces.join(';'), issues, parseBands);
}

/** Composition rows (component, maximum) → `appraisal:70,survey:30`; empty rows are skipped. */
export function compositionFromRows(rows: readonly { key: string; max: string }[]): FromRows {
  const issues: RowIssue[] = [];
  const pieces: string[] = [];
  rows.forEach((r, row) => {
    if (blank(r)) return;
    const key = r.key.trim();
    if (!/^[a-z][a-z0-9_-]*$/.test(key)) issues.push({ row, column: 'key', message: 'composition.row.key' });
    if (!decimal.test(r.max.trim())) issues.push({ row, column: 'max', message: 'composition.row.max' });
    pieces.push(`${key}:${dotted(r.max)}`);
  });
  return finish(pieces.join(','), issues, parseComposition);
}

export type RuleKind = '' | 'levels' | 'ratio' | 'proportional';

/**
 * A criterion's scoring rule from its kind and its rows: levels (name, points) or thresholds (percent, points), each
 * point within the criterion's range when it is known. '' (the unit types its score) gives the empty text.
 */
export function scoringFromRows(
  kind: RuleKind,
  levels: readonly { label: string; points: string }[],
  thresholds: readonly { percent: string; points: string }[],
  range?: { minScore: Dec; maxScore: Dec },
): FromRows {
  if (kind === '') return { ok: true, text: '' };
  if (kind === 'proportional') return { ok: true, text: 'proportional' };
  const issues: RowIssue[] = [];
  const pieces: string[] = [];
  const points = (row: number, text: string, name: string) => {
    const value = parseDec(text);
    if (value === null) issues.push({ row, column: 'points', message: 'rule.row.points' });
    else if (range && (compare(value, range.minScore) < 0 || compare(value, range.maxScore) > 0))
      issues.push({
        row,
        column: 'points',
        message: msg('rule.row.range', {
          name,
          min: Number(format(range.minScore)),
          max: Number(format(range.maxScore)),
        }),
      });
  };
  if (kind === 'levels') {
    levels.forEach((r, row) => {
      if (blank(r)) return;
      const label = r.label.trim().normalize('NFC');
      if (!label) issues.push({ row, column: 'label', message: 'rule.row.label' });
      else if (/[;]/.test(label)) issues.push({ row, column: 'label', message: 'table.row.semicolon' });
      points(row, r.points, label);
      pieces.push(`${label}=${dotted(r.points)}`);
    });
  } else {
    thresholds.forEach((r, row) => {
      if (blank(r)) return;
      const percent = parseDec(r.percent.trim().replace(/\s*%$/, ''));
      if (percent === null || percent < 0n || percent > 100_000n)
        issues.push({ row, column: 'percent', message: 'rule.row.percent' });
      points(row, r.points, `${r.percent.trim().replace(/\s*%$/, '')} %`);
      pieces.push(`${dotted(r.percent.replace(/\s*%$/, ''))}=${dotted(r.points)}`);
    });
  }
  if (pieces.length === 0 && issues.length === 0)
    return { ok: false, rows: [], table: kind === 'levels' ? 'rule.rows.levelsEmpty' : 'rule.rows.ratioEmpty' };
  return finish(`${kind}: ${pieces.join('; ')}`, issues, (text) => {
    const parsed = parseScoringRule(text, range);
    return parsed.ok ? { ok: true } : { ok: false, error: parsed.error };
  });
}

/** A stored rule as rows, to fill the form and to show it: numbers as decimal strings with a point ('0.5'). */
export function ruleRows(text: string | null): {
  kind: RuleKind;
  levels: { label: string; points: string }[];
  thresholds: { percent: string; points: string }[];
} {
  const parsed = text ? parseScoringRule(text) : null;
  const rule = parsed?.ok ? parsed.rule : null;
  return {
    kind: rule?.kind ?? '',
    levels: rule?.kind === 'levels' ? rule.levels.map((l) => ({ label: l.label, points: format(l.points) })) : [],
    thresholds:
      rule?.kind === 'ratio'
        ? rule.thresholds.map((t) => ({ percent: format(t.percent), points: format(t.points) }))
        : [],
  };
}
