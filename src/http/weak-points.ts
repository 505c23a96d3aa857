// Weak points as the pages show them: the domain's figures turned into the reader's text, and the server-made SVG
// of a campaign's weak points (small multiples per field, a units × fields heat map with the value in every cell).
import { formatIn, type Dec } from '../domain/decimal.ts';
import type { Language } from '../domain/language.ts';
import { percentOf, type FieldAverage, type HeatRow } from '../domain/weak-points.ts';
import type { CriterionText, UnitWeakPointsPage } from '../features/published/weak-points.ts';
import type { Translate } from '../i18n/catalog.ts';

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (d: Dec, lang: Language) => formatIn(d, lang);

export interface UnitWeakView {
  criteria: { code: string; title: string; lost: string; blockLost: string; reason: string; past: string[] }[];
  criteriaLosing: number;
  fields: { code: string; title: string; achieved: string; block: string; past: string[] }[];
  predecessors: boolean;
}

/** A unit's weak points as text for the page (views/partials/weak-points.eta). */
export function unitWeakView(
  t: Translate,
  lang: Language,
  page: UnitWeakPointsPage,
  texts: ReadonlyMap<string, CriterionText>,
  fieldTitles: ReadonlyMap<string, string>,
): UnitWeakView {
  const { weak } = page;
  return {
    criteria: weak.criteria.map((c) => ({
      code: c.code,
      title: texts.get(c.code)?.title ?? '',
      lost: t('weak.lostOfMax', { lost: num(c.lost, lang), max: num(c.max, lang) }),
      blockLost: t('weak.blockLost', { lost: num(c.blockAverageLost, lang), n: c.blockUnits }),
      reason: c.reason,
      past: c.past.map((p) =>
        t(page.pastKind === 'predecessors' ? 'weak.pastLoss.predecessor' : 'weak.pastLoss.own', {
          name: p.name,
          year: p.year,
          lost: num(p.lost, lang),
          max: num(p.max, lang),
        }),
      ),
    })),
    criteriaLosing: weak.criteriaLosing,
    fields: weak.fields.map((f) => ({
      code: f.code,
      title: fieldTitles.get(f.code) ?? f.title,
      achieved: t('weak.ofMax', {
        score: num(f.score, lang),
        max: num(f.applicableMax, lang),
        percent: num(f.percent, lang),
      }),
      block: f.blockPercent === null ? '—' : t('weak.percent', { percent: num(f.blockPercent, lang) }),
      past: f.past.map((p) => {
        const values = {
          year: p.year,
          name: p.name,
          score: num(p.score, lang),
          max: num(p.applicableMax, lang),
          percent: num(percentOf(p.score, p.applicableMax), lang),
        };
        return page.pastKind === 'predecessors' ? t('weak.past.predecessor', values) : t('weak.past.own', values);
      }),
    })),
    predecessors: page.pastKind === 'predecessors',
  };
}

/** The heat map's shade class for a per cent of maximum: h0 (below 50) to h4 (95 and above); the text says the value. */
export function heatClass(percent: Dec): string {
  const p = Number(percent) / 1000;
  return p < 50 ? 'h0' : p < 70 ? 'h1' : p < 85 ? 'h2' : p < 95 ? 'h3' : 'h4';
}

/** One small panel per field: its average per cent of maximum as a bar in a 0–100 track, the value written beside. */
export function fieldMultiples(t: Translate, lang: Language, id: string, fields: readonly FieldAverage[]): string {
  const cols = 3;
  const w = 120;
  const h = 56;
  const rowsN = Math.ceil(fields.length / cols);
  const width = cols * w;
  const height = rowsN * h;
  const parts = [
    `<svg class="chart multiples" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}">`,
    `<title id="${id}">${escapeXml(
      fields
        .map((f) =>
          t('weak.province.fields.chart', {
            field: `${f.code}. ${f.title}`,
            percent: f.units ? num(f.percent, lang) : t('weak.province.fields.na'),
          }),
        )
        .join('; '),
    )}</title>`,
  ];
  fields.forEach((f, i) => {
    const x = (i % cols) * w;
    const y = Math.floor(i / cols) * h;
    const share = f.units ? Math.min(Math.max(Number(f.percent) / 100000, 0), 1) : 0;
    const track = w - 12;
    parts.push(
      `<text x="${x}" y="${y + 14}" class="axis">${escapeXml(f.code)}. ${escapeXml(f.title.length > 16 ? `${f.title.slice(0, 15)}…` : f.title)}</text>`,
      `<rect class="track" x="${x}" y="${y + 20}" width="${track}" height="14"/>`,
      share > 0
        ? `<rect class="bar" x="${x}" y="${y + 20}" width="${Math.round(track * share * 10) / 10}" height="14"/>`
        : '',
      `<text x="${x}" y="${y + 48}">${escapeXml(f.units ? `${num(f.percent, lang)}%` : '—')}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Units × fields, each cell shaded by per cent of maximum and carrying the value, so it reads without colour. */
export function heatMap(
  t: Translate,
  lang: Language,
  id: string,
  fieldCodes: readonly string[],
  rows: readonly HeatRow[],
  from: number,
): string {
  const labelWidth = 120;
  const rowH = 22;
  const top = 20;
  const width = 360;
  const cellW = Math.max(24, Math.floor((width - labelWidth) / Math.max(fieldCodes.length, 1)));
  const fullWidth = labelWidth + cellW * fieldCodes.length;
  const height = top + rows.length * rowH;
  const cellText = (c: Dec | null) => (c === null ? '—' : num(c, lang));
  const list = rows.map((r) => `${r.name}: ${r.cells.map((c, i) => `${fieldCodes[i]} ${cellText(c)}`).join(', ')}`);
  const parts = [
    `<svg class="chart heat" viewBox="0 0 ${fullWidth} ${height}" width="${fullWidth}" height="${height}" role="img" aria-labelledby="${id}">`,
    `<title id="${id}">${escapeXml(t('weak.province.heat.chart', { from, to: from + rows.length - 1, list: list.join('; ') }))}</title>`,
  ];
  fieldCodes.forEach((code, i) => {
    parts.push(
      `<text class="axis" x="${labelWidth + i * cellW + cellW / 2}" y="14" text-anchor="middle">${escapeXml(code)}</text>`,
    );
  });
  rows.forEach((r, j) => {
    const y = top + j * rowH;
    const name = r.name.length > 18 ? `${r.name.slice(0, 17)}…` : r.name;
    parts.push(`<text x="0" y="${y + 15}">${escapeXml(name)}</text>`);
    r.cells.forEach((c, i) => {
      const x = labelWidth + i * cellW;
      parts.push(
        `<rect class="${c === null ? 'na' : heatClass(c)}" x="${x}" y="${y}" width="${cellW - 1}" height="${rowH - 1}"/>`,
        `<text class="${c === null ? 'na' : heatClass(c)}" x="${x + cellW / 2}" y="${y + 15}" text-anchor="middle">${cellText(c)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
