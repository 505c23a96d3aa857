// Charts drawn on the server as inline SVG: no chart script in the browser. Each is an image with a <title> that
// carries every value, and every bar or point is labelled with its value in text, so that no reader depends on colour.
// Values arrive already formatted for the reader's language (`text`); numbers are only for the geometry.

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Rounded to one decimal: coordinates do not need more, and the markup stays short. */
const r1 = (n: number) => Math.round(n * 10) / 10;

function open(id: string, title: string, width: number, height: number): string {
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${escapeXml(id)}">` +
    `<title id="${escapeXml(id)}">${escapeXml(title)}</title>`
  );
}

export interface BarRow {
  /** Shown at the left of the bar. */
  label: string;
  value: number;
  /** The bar's full length: the row's maximum. */
  max: number;
  /** The value as the reader should read it, shown after the bar ("4,25 / 5"). */
  text: string;
}

/**
 * Horizontal bars, one labelled row each: a filled bar of `value` inside an outlined track of `max`.
 * `labelWidth` and `textWidth` are in the chart's units (its width is 360, about a phone's width in CSS pixels).
 */
export function barRows(opts: {
  id: string;
  title: string;
  rows: readonly BarRow[];
  labelWidth?: number;
  textWidth?: number;
}): string {
  const width = 360;
  const rowHeight = 26;
  const labelWidth = opts.labelWidth ?? 90;
  const textWidth = opts.textWidth ?? 80;
  const track = width - labelWidth - textWidth - 8;
  const height = opts.rows.length * rowHeight + 4;
  const parts = [open(opts.id, opts.title, width, height)];
  opts.rows.forEach((row, i) => {
    const y = i * rowHeight + 4;
    const share = row.max > 0 ? Math.min(Math.max(row.value / row.max, 0), 1) : 0;
    parts.push(
      `<text x="0" y="${y + 15}">${escapeXml(row.label)}</text>`,
      `<rect class="track" x="${labelWidth}" y="${y}" width="${track}" height="18"/>`,
      share > 0 ? `<rect class="bar" x="${labelWidth}" y="${y}" width="${r1(track * share)}" height="18"/>` : '',
      `<text x="${labelWidth + track + 6}" y="${y + 15}">${escapeXml(row.text)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface LinePoint {
  /** Under the point on the horizontal axis (a year). */
  label: string;
  value: number;
  /** Above the point. */
  text: string;
}

/**
 * A line through the points in order, evenly spaced, each point marked and labelled with its value; the vertical
 * scale runs from `min` (default: ten below the lowest value, to a multiple of ten, at least 0) to `max` (default 100),
 * with a labelled grid line every ten.
 */
export function lineChart(opts: {
  id: string;
  title: string;
  points: readonly LinePoint[];
  min?: number;
  max?: number;
}): string {
  const width = 360;
  const height = 200;
  const left = 30;
  const right = 20;
  const top = 24;
  const bottom = 28;
  const values = opts.points.map((p) => p.value);
  const hi = opts.max ?? 100;
  const lo = opts.min ?? Math.max(0, Math.min(hi - 10, Math.floor((Math.min(...values, hi) - 10) / 10) * 10));
  const plotH = height - top - bottom;
  const plotW = width - left - right;
  const y = (v: number) => r1(top + plotH * (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)));
  const n = opts.points.length;
  const x = (i: number) => r1(n === 1 ? left + plotW / 2 : left + (plotW * i) / (n - 1));
  const parts = [open(opts.id, opts.title, width, height)];
  for (let v = Math.ceil(lo / 10) * 10; v <= hi; v += 10) {
    parts.push(
      `<line class="rule" x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}"/><text class="axis" x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  }
  if (n > 1)
    parts.push(`<polyline class="line" points="${opts.points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')}"/>`);
  opts.points.forEach((p, i) => {
    parts.push(
      `<circle class="dot" cx="${x(i)}" cy="${y(p.value)}" r="4"/>`,
      `<text x="${x(i)}" y="${y(p.value) - 9}" text-anchor="middle">${escapeXml(p.text)}</text>`,
      `<text class="axis" x="${x(i)}" y="${height - 8}" text-anchor="middle">${escapeXml(p.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
