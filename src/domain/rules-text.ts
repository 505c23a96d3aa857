// The campaign workbook's one-line notations for composition and bands (docs/workbook.md, sheet `campaign`).

export interface CompositionPart { key: string; max: string }
export interface BandRule { name: string; min: string; fieldFloorPercent?: string }

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const decimal = /^\d{1,3}([.,]\d{1,3})?$/;
const toDecimal = (s: string) => s.replace(',', '.');
const hundredths = (s: string) => Math.round(Number(toDecimal(s)) * 1000);

/** `appraisal:70,survey:30` — component keys with maxima adding to 100. */
export function parseComposition(text: string): Parsed<CompositionPart[]> {
  const parts: CompositionPart[] = [];
  for (const piece of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z][a-z0-9_-]*)\s*:\s*(\S+)$/.exec(piece);
    if (!m || !decimal.test(m[2])) return { ok: false, error: `Thành phần "${piece}" không đúng dạng khóa:điểm (ví dụ appraisal:70)` };
    if (parts.some((p) => p.key === m[1])) return { ok: false, error: `Thành phần "${m[1]}" bị lặp lại` };
    parts.push({ key: m[1], max: toDecimal(m[2]) });
  }
  if (parts.length === 0) return { ok: false, error: 'Cần ít nhất một thành phần, ví dụ appraisal:100' };
  if (parts.reduce((s, p) => s + hundredths(p.max), 0) !== 100_000) return { ok: false, error: 'Tổng điểm tối đa các thành phần phải bằng 100' };
  return { ok: true, value: parts };
}

/** `Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0` — highest first, inclusive lower bounds, the last 0. */
export function parseBands(text: string): Parsed<BandRule[]> {
  const bands: BandRule[] = [];
  for (const piece of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const at = piece.lastIndexOf(':');
    const name = piece.slice(0, at).trim().normalize('NFC');
    const min = piece.slice(at + 1).trim();
    if (at <= 0 || !name || !decimal.test(min)) return { ok: false, error: `Xếp loại "${piece}" không đúng dạng tên:ngưỡng (ví dụ Tốt:85)` };
    const previous = bands.at(-1);
    if (previous && hundredths(min) >= hundredths(previous.min)) return { ok: false, error: 'Các xếp loại phải theo thứ tự ngưỡng giảm dần' };
    if (hundredths(min) > 100_000) return { ok: false, error: `Ngưỡng của "${name}" vượt quá 100` };
    bands.push({ name, min: toDecimal(min) });
  }
  if (bands.length === 0) return { ok: false, error: 'Cần ít nhất một xếp loại' };
  if (hundredths(bands.at(-1)!.min) !== 0) return { ok: false, error: 'Ngưỡng của xếp loại cuối cùng phải là 0' };
  return { ok: true, value: bands };
}

export function formatComposition(parts: CompositionPart[]): string {
  return parts.map((p) => `${p.key}:${p.max}`).join(',');
}

export function formatBands(bands: BandRule[]): string {
  return bands.map((b) => `${b.name}:${b.min}`).join(';');
}
