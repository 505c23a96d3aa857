// Small numeric and formatting helpers for the benchmark.

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/** Linear interpolation between closest ranks (the usual "type 7" quantile). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: n ? sorted[0]! : Number.NaN,
    max: n ? sorted[n - 1]! : Number.NaN,
    mean: n ? sorted.reduce((a, b) => a + b, 0) / n : Number.NaN,
  };
}

export const ms = (v: number, digits = 1) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : '—');
export const sec = (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(1)} s` : '—');
/** KB are 1024 bytes; the exact byte count follows in brackets where it matters. */
export const kb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : '—');
export const kbExact = (bytes: number) =>
  Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB (${bytes.toLocaleString('en-US')} B)` : '—';
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const ratio = (a: number, b: number, digits = 1) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(digits)}×` : '—';
export const pct = (a: number, b: number) => (Number.isFinite(a) && b > 0 ? `${((a / b) * 100).toFixed(0)} %` : '—');
export const medP95 = (s: Summary) => (s.n ? `${ms(s.median)} / ${ms(s.p95)}` : '—');
