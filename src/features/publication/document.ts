import ExcelJS from 'exceljs';
import { csvLine } from '../../domain/csv.ts';
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

/** results.xlsx: the same table, numbers as numbers; fixed workbook dates so the same results give the same bytes. */
export async function toXlsx(doc: ResultsDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(doc.publishedAt);
  wb.created = fixed;
  wb.modified = fixed;
  wb.creator = doc.campaign.organizer;
  const ws = wb.addWorksheet('results', { views: [{ state: 'frozen', ySplit: 1 }] });
  const { header, body } = rows(doc);
  ws.addRow(header).font = { bold: true };
  for (const r of body) ws.addRow(r);
  ws.columns.forEach((c, i) => {
    c.width = header[i] === 'unit_name' ? 32 : 12;
  });
  const numberFormat = spreadsheetFormat(doc.campaign.precision);
  for (let col = header.indexOf('index') + 1; col <= header.length; col++)
    if (header[col - 1] !== 'band') ws.getColumn(col).numFmt = numberFormat;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
