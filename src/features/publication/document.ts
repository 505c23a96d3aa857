import ExcelJS from 'exceljs';
import { csvLine } from '../../domain/csv.ts';
import { a4LandscapeFittingWidth } from '../print.ts';
import { spreadsheetFormat, toJsonNumber, type Dec, type Places } from '../../domain/decimal.ts';
import type { UnitResult } from '../../domain/scoring.ts';
import { notSubmittedStatus, rankSubmitted } from '../../domain/standing.ts';
import { translator } from '../../i18n/catalog.ts';

/** What the tables say in the band column of a unit that did not submit (the publication's tables are Vietnamese). */
const notSubmittedBand = translator('vi')('pub.notSubmitted');

/** docs/open-data.md's results.json: the frozen, published results of one campaign version. */
export interface ResultsDocument {
  campaign: { code: string; name: string; year: number; organizer: string; precision: number; rounding: string };
  version: number;
  publishedAt: string;
  composition: { key: string; max: number }[];
  bands: { name: string; min: number }[];
  units: PublishedUnit[];
}

export interface PublishedUnit {
  code: string;
  name: string;
  /** The block (khối) the unit is ranked in; null when the campaign has none. */
  block: string | null;
  /** Within the block. Null, with index and band, for a unit that did not submit (`status`). */
  rank: number | null;
  index: number | null;
  band: string | null;
  /** Only on a unit of a campaign run on the portal that never submitted its self-assessment: no score, a state. */
  status?: typeof notSubmittedStatus;
  points: number | null;
  applicableMax: number | null;
  components: Record<string, number>;
  fields: { code: string; title: string; max: number; applicableMax: number; selfScore: number; score: number }[];
  /** The units it continues (merged from, renamed from), each with its newest earlier published result. */
  predecessors: PublishedPredecessor[];
}

export interface PublishedPredecessor {
  code: string;
  name: string;
  campaign: string | null;
  index: number | null;
  band: string | null;
}

export interface DocumentInput {
  campaign: ResultsDocument['campaign'];
  composition: readonly { key: string; max: Dec }[];
  bands: readonly { name: string; min: Dec }[];
  version: number;
  publishedAt: Date;
  results: UnitResult[];
  /** Units that never submitted (src/features/results.ts, notSubmittedUnits): listed apart after the ranked ones. */
  notSubmitted?: ReadonlySet<string>;
  /** By unit code (src/features/results.ts, predecessorResults). */
  predecessors?: ReadonlyMap<string, readonly PublishedPredecessor[]>;
}

/** Builds the document in the spec's key order; numbers carry at most the campaign's precision in decimals. */
export function buildDocument(input: DocumentInput): ResultsDocument {
  const places = input.campaign.precision as Places;
  const n = (d: Dec) => toJsonNumber(d, places);
  const maxN = (d: Dec) => toJsonNumber(d, 3);
  const { ranked, apart } = rankSubmitted(input.results, input.notSubmitted ?? new Set());
  const predecessors = (code: string): PublishedPredecessor[] =>
    (input.predecessors?.get(code) ?? []).map((p) => ({
      code: p.code,
      name: p.name,
      campaign: p.campaign,
      index: p.index,
      band: p.band,
    }));
  // By block in the order the blocks first appear (computeResults' order), the ranked units before those apart.
  const blockOrder = [...new Set(input.results.map((r) => r.block))];
  const byBlock = (a: PublishedUnit, b: PublishedUnit) => blockOrder.indexOf(a.block) - blockOrder.indexOf(b.block);
  return {
    campaign: { ...input.campaign },
    version: input.version,
    publishedAt: input.publishedAt.toISOString(),
    composition: input.composition.map((c) => ({ key: c.key, max: maxN(c.max) })),
    bands: input.bands.map((b) => ({ name: b.name, min: maxN(b.min) })),
    // computeResults already orders by rank, then code; units that did not submit follow, by name, without a score.
    units: [
      ...ranked.map((r) => ({
        code: r.code,
        name: r.name,
        block: r.block,
        rank: r.rank,
        index: n(r.index),
        band: r.band,
        points: r.points === null ? null : maxN(r.points),
        applicableMax: r.applicableMax === null ? null : maxN(r.applicableMax),
        components: Object.fromEntries(Object.entries(r.components).map(([k, v]) => [k, n(v)])),
        fields: r.fields.map((f) => ({
          code: f.code,
          title: f.title,
          max: maxN(f.max),
          applicableMax: maxN(f.applicableMax),
          selfScore: maxN(f.selfScore),
          score: maxN(f.score),
        })),
        predecessors: predecessors(r.code),
      })),
      ...apart.map(
        (r): PublishedUnit => ({
          code: r.code,
          name: r.name,
          block: r.block,
          rank: null,
          index: null,
          band: null,
          status: notSubmittedStatus,
          points: null,
          applicableMax: null,
          components: {},
          fields: [],
          predecessors: predecessors(r.code),
        }),
      ),
    ].sort(byBlock),
  };
}

export function toJsonText(doc: ResultsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function fieldCodes(doc: ResultsDocument): string[] {
  const codes: string[] = [];
  for (const u of doc.units) for (const f of u.fields) if (!codes.includes(f.code)) codes.push(f.code);
  return codes;
}

function rows(doc: ResultsDocument): { header: string[]; body: (string | number | null)[][] } {
  const keys = doc.composition.map((c) => c.key);
  const fields = fieldCodes(doc);
  // Campaigns with blocks add a `block` column right after `rank` (docs/open-data.md).
  const blocks = doc.units.some((u) => u.block !== null);
  const header = [
    'rank',
    ...(blocks ? ['block'] : []),
    'unit_code',
    'unit_name',
    'index',
    'band',
    ...keys,
    ...fields.map((f) => `field_${f}`),
  ];
  // A unit that did not submit: rank and index empty, its state in the band column, no points.
  const body = doc.units.map((u) => [
    u.rank,
    ...(blocks ? [u.block] : []),
    u.code,
    u.name,
    u.index,
    u.status === notSubmittedStatus ? notSubmittedBand : u.band,
    ...keys.map((k) => u.components[k] ?? null),
    ...fields.map((f) => u.fields.find((x) => x.code === f)?.score ?? null),
  ]);
  return { header, body };
}

/**
 * results.csv: UTF-8 with a BOM so that Excel reads Vietnamese right; numbers with a dot, as programs expect. Text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written with a leading ' (csvField);
 * publications made before that rule keep their frozen bytes.
 */
export function toCsv(doc: ResultsDocument): string {
  const { header, body } = rows(doc);
  return `\uFEFF${[header, ...body].map(csvLine).join('\r\n')}\r\n`;
}

/** Column headings of results.xlsx, in Vietnamese: the CSV's keys are for programs, the workbook is for people. */
const xlsxHeadings: Record<string, string> = {
  rank: 'Hạng',
  block: 'Khối',
  unit_code: 'Mã đơn vị',
  unit_name: 'Tên đơn vị',
  index: 'Chỉ số CCHC',
  band: 'Xếp loại',
};
const xlsxWidths: Record<string, number> = { rank: 7, block: 14, unit_code: 20, unit_name: 28, index: 10, band: 12 };
export const componentNames: Record<string, string> = { appraisal: 'Thẩm định', survey: 'Điều tra xã hội học' };

/** A column's heading and width (in characters): the CSV key said in words, a field with its number and title. */
function xlsxColumn(key: string, doc: ResultsDocument): { heading: string; width: number } {
  if (key in xlsxHeadings) return { heading: xlsxHeadings[key]!, width: xlsxWidths[key] ?? 9 };
  const component = doc.composition.find((c) => c.key === key);
  if (component)
    return { heading: `${componentNames[key] ?? key} (tối đa ${String(component.max).replace('.', ',')})`, width: 12 };
  const field = /^field_(.+)$/.exec(key)?.[1];
  if (field !== undefined) {
    const title = doc.units.flatMap((u) => u.fields).find((f) => f.code === field)?.title;
    return { heading: title ? `Lĩnh vực ${field} – ${title}` : `Lĩnh vực ${field}`, width: 14 };
  }
  return { heading: key, width: 12 };
}

/**
 * results.xlsx: the same table, numbers as numbers; fixed workbook dates so the same results give the same bytes.
 * For people: Vietnamese headings with the fields' titles (wrapped), column widths, the heading row frozen and
 * printed on every page, A4 landscape fitted to the page's width.
 */
export async function toXlsx(doc: ResultsDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(doc.publishedAt);
  wb.created = fixed;
  wb.modified = fixed;
  wb.creator = doc.campaign.organizer;
  const { header, body } = rows(doc);
  const ws = wb.addWorksheet('results', {
    // Frozen up to the unit's name (rank, block when there are blocks, code, name).
    views: [{ state: 'frozen', ySplit: 1, xSplit: header.indexOf('unit_name') + 1 }],
    pageSetup: a4LandscapeFittingWidth(0.5, 0.5),
    headerFooter: {
      oddHeader: `&C&B${doc.campaign.name.replace(/&/g, '&&')} – phiên bản ${doc.version}`,
      oddFooter: '&CTrang &P / &N',
    },
  });
  const columns = header.map((key) => xlsxColumn(key, doc));
  const heading = ws.addRow(columns.map((c) => c.heading));
  heading.font = { bold: true };
  heading.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  heading.height = 75;
  for (const r of body) ws.addRow(r);
  ws.columns.forEach((c, i) => {
    c.width = columns[i]!.width;
  });
  const numberFormat = spreadsheetFormat(doc.campaign.precision);
  for (let col = header.indexOf('index') + 1; col <= header.length; col++)
    if (header[col - 1] !== 'band') ws.getColumn(col).numFmt = numberFormat;
  ws.pageSetup.printTitlesRow = '1:1';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
