// The campaign workbook's one-line notations for composition and bands (docs/workbook.md, sheet `campaign`).
import { msg, type Message } from './message.ts';

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
