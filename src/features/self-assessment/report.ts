// The self-assessment report (Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC): one loader, written as DOCX and as XLSX.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document, Table, TableLayoutType, TableRow, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { dec, format, formatVi, spreadsheetFormat, sum, ZERO, type Dec } from '../../domain/decimal.ts';
import { foldDiacritics } from '../../domain/text.ts';
import { subtreeSums } from '../../domain/scoring.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import { signatureBadge } from '../evidence/flags.ts';
import { listEvidence } from '../evidence/upload.ts';
import { translator } from '../../i18n/catalog.ts';
import { a4LandscapeFittingWidth } from '../print.ts';
import {
  cell,
  clean,
  documentStyles,
  issuingBody,
  keepWithSignature,
  letterhead,
  packDocx,
  page,
  para,
  placeOf,
  signatureBlock,
  TEXT_WIDTH,
} from '../print-docx.ts';
import type { UnitContext } from './unit-access.ts';
import { loadTree, type Node } from './criteria-tree.ts';

/** The report is the unit's official document: in Vietnamese whatever the reader's language. */
const vi = translator('vi');

/** How a leaf stands: scored by the unit, not applicable (the unit's answer or the secretariat's exemption), not yet scored, or not self-scored at all. */
export type LeafStatus = 'scored' | 'notApplicable' | 'exempt' | 'unscored' | 'survey' | 'appraiser';

export interface ReportEvidence {
  documentNumber: string;
  /** ISO yyyy-mm-dd. */
  documentDate: string | null;
  issuer: string;
  fileName: string;
  /** Each verified signature in words (issue 19), joined; null when the file has none verified. */
  signatures: string | null;
}

export interface ReportRow {
  code: string;
  title: string;
  depth: number;
  leaf: boolean;
  /** A leaf's own maximum; a parent's is the sum of its (shown) leaves' maxima. */
  max: Dec;
  /** A leaf's self score (null unless scored and applicable); a parent's is the sum over the applicable leaves below it, null when none applies. */
  self: Dec | null;
  /** False when nothing below counts toward the maximum (every leaf not applicable). */
  applicable: boolean;
  /** On leaves; null on parents. */
  status: LeafStatus | null;
  declaredLevel: string | null;
  declaredAchieved: number | null;
  declaredTotal: number | null;
  explanation: string;
  evidence: ReportEvidence[];
}

export interface ReportField {
  code: string;
  title: string;
  max: Dec;
  applicableMax: Dec;
  self: Dec;
}

export interface ReportData {
  unit: { code: string; name: string; parentName: string | null };
  campaign: { code: string; name: string; year: number; precision: number };
  submission: { submitted: boolean; at: Date | null; by: string | null };
  generatedAt: Date;
  /** The unit's first officer (who prepares it) and head (who signs it), when known. */
  signers: { preparer: string | null; head: string | null };
  /** Every criterion the person may see, in code order. */
  rows: ReportRow[];
  fields: ReportField[];
  total: { max: Dec; applicableMax: Dec; self: Dec };
}

function statusOf(n: Node): LeafStatus {
  if (n.exempt) return 'exempt';
  if (n.kind === 'survey') return 'survey';
  if (n.score?.notApplicable) return 'notApplicable';
  if (n.kind === 'appraiser') return 'appraiser';
  return n.score?.selfScore != null ? 'scored' : 'unscored';
}

/** Whether a leaf counts toward the unit's applicable maximum: as computeResults counts it, not when not applicable or of survey kind. */
const countsTowardMax = (status: LeafStatus) =>
  status !== 'exempt' && status !== 'notApplicable' && status !== 'survey';

/**
 * Everything the report shows, in a fixed number of queries: the tree with the unit's answers (a contributor gets
 * only their criteria, as loadTree restricts), every shown leaf's evidence, the parent unit and the signers.
 */
export async function loadReport(em: EntityManager, ctx: UnitContext, now = new Date()): Promise<ReportData> {
  const nodes = await loadTree(em, ctx);
  const evidence = await listEvidence(
    em,
    nodes.filter((n) => n.leaf && n.score).map((n) => n.score!.id),
  );
  const [unitRow] = await em.execute<{ parent_name: string | null; officer: string | null; head: string | null }[]>(
    `select p.name as parent_name,
            (select a.full_name from role_assignment r join app_user a on a.id = r.user_id
              where r.unit_id = u.id and r.role = 'officer' and a.active order by r.id limit 1) as officer,
            (select a.full_name from role_assignment r join app_user a on a.id = r.user_id
              where r.unit_id = u.id and r.role = 'head' and a.active order by r.id limit 1) as head
       from unit u left join unit p on p.id = u.parent_id
      where u.id = ?`,
    [ctx.unit.id],
  );

  const rows: ReportRow[] = nodes.map((n) => {
    const status = n.leaf ? statusOf(n) : null;
    return {
      code: n.code,
      title: n.title,
      depth: n.depth,
      leaf: n.leaf,
      max: n.leaf ? dec(n.maxScore) : ZERO,
      self: status === 'scored' ? dec(n.score!.selfScore!) : null,
      applicable: status !== null && countsTowardMax(status),
      status,
      declaredLevel: n.score?.declaredLevel ?? null,
      declaredAchieved: n.score?.declaredAchieved ?? null,
      declaredTotal: n.score?.declaredTotal ?? null,
      explanation: n.score?.explanation ?? '',
      evidence: (n.score ? (evidence.get(n.score.id) ?? []) : []).map((e) => ({
        documentNumber: e.documentNumber,
        documentDate: e.documentDate,
        issuer: e.issuer,
        fileName: e.originalName,
        signatures: e.signatures?.length ? e.signatures.map((v) => signatureBadge(v, vi)[1]).join('; ') : null,
      })),
    };
  });

  // Parents add up the leaves below them: maxima, applicable maxima and self scores.
  const leaves = rows.filter((r) => r.leaf);
  const applicableLeaves = leaves.filter((r) => r.applicable);
  const maxima = subtreeSums(leaves.map((r) => ({ code: r.code, value: r.max })));
  const applicableMax = subtreeSums(applicableLeaves.map((r) => ({ code: r.code, value: r.max })));
  const selfSums = subtreeSums(applicableLeaves.map((r) => ({ code: r.code, value: r.self ?? ZERO })));
  for (const parent of rows.filter((r) => !r.leaf)) {
    parent.max = maxima.get(parent.code) ?? ZERO;
    parent.applicable = applicableMax.has(parent.code);
    parent.self = selfSums.get(parent.code) ?? null;
  }
  const fields = rows
    .filter((r) => r.depth === 0)
    .map(
      (f): ReportField => ({
        code: f.code,
        title: f.title,
        max: f.max,
        applicableMax: f.leaf ? (f.applicable ? f.max : ZERO) : (applicableMax.get(f.code) ?? ZERO),
        self: f.self ?? ZERO,
      }),
    );

  return {
    unit: { code: ctx.unit.code, name: ctx.unit.name, parentName: unitRow?.parent_name ?? null },
    campaign: {
      code: ctx.campaign.code,
      name: ctx.campaign.name,
      year: ctx.campaign.year,
      precision: ctx.campaign.precision,
    },
    submission: {
      submitted: ctx.selfAssessment.state === 'submitted',
      at: ctx.selfAssessment.submittedAt,
      by: ctx.selfAssessment.submittedBy,
    },
    generatedAt: now,
    signers: { preparer: unitRow?.officer ?? null, head: unitRow?.head ?? null },
    rows,
    fields,
    total: {
      max: sum(fields.map((f) => f.max)),
      applicableMax: sum(fields.map((f) => f.applicableMax)),
      self: sum(fields.map((f) => f.self)),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Words shared by both formats

const statusText: Record<LeafStatus, string> = {
  scored: 'Đã chấm',
  notApplicable: 'Không áp dụng',
  exempt: 'Không áp dụng',
  unscored: 'Chưa chấm',
  survey: 'Theo điều tra XHH',
  appraiser: 'Do thẩm định chấm',
};

const countFormat = new Intl.NumberFormat('vi-VN');

/** "Mức: Có" or "Số liệu kê khai: 45/50", when the criterion is scored from a declaration. */
function declaredText(r: ReportRow): string | null {
  if (r.declaredLevel) return `Mức kê khai: ${r.declaredLevel}`;
  if (r.declaredAchieved !== null && r.declaredTotal !== null) {
    return `Số liệu kê khai: ${countFormat.format(r.declaredAchieved)}/${countFormat.format(r.declaredTotal)}`;
  }
  return null;
}

/** "Số 12/KH-UBND ngày 05/03/2026, UBND xã Trực Thanh (ke-hoach.pdf)". */
function evidenceText(e: ReportEvidence): string {
  const parts = [
    [e.documentNumber && `Số ${e.documentNumber}`, e.documentDate && `ngày ${formatDate(e.documentDate)}`]
      .filter(Boolean)
      .join(' '),
    e.issuer,
  ].filter(Boolean);
  const text = parts.length ? `${parts.join(', ')} (${e.fileName})` : e.fileName;
  return e.signatures ? `${text} — ${e.signatures}` : text;
}

function submissionText(d: ReportData): string {
  if (d.submission.submitted)
    return `Đã nộp lúc ${formatDateTime(d.submission.at)}${d.submission.by ? `, người nộp: ${d.submission.by}` : ''}`;
  return `Bản nháp, chưa nộp (số liệu lúc ${formatDateTime(d.generatedAt)})`;
}

/** The download's name, and a plain-ASCII fallback for old clients: bao-cao-tu-danh-gia-xa-truc-thanh-2026.docx. */
export function reportFileNames(d: ReportData, ext: 'docx' | 'xlsx'): { name: string; ascii: string } {
  const slug = foldDiacritics(d.unit.name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    name: `Báo cáo tự đánh giá - ${d.unit.name} - ${d.campaign.year}.${ext}`,
    ascii: `bao-cao-tu-danh-gia-${slug || 'don-vi'}-${d.campaign.year}.${ext}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// DOCX

const COLUMNS = [1000, 4300, 1100, 1300, 3300, TEXT_WIDTH - 1000 - 4300 - 1100 - 1300 - 3300];

function scoreCell(r: ReportRow): string {
  if (!r.leaf) return r.self === null ? 'Không áp dụng' : formatVi(r.self);
  return r.status === 'scored' ? formatVi(r.self!) : statusText[r.status!];
}

export async function buildReportDocx(d: ReportData): Promise<Buffer> {
  const body = issuingBody(d.unit.name);
  const dated = d.submission.at ?? d.generatedAt;
  const heading = letterhead({
    parent: d.unit.parentName ? issuingBody(d.unit.parentName) : null,
    body,
    number: 'Số:        /BC-UBND',
    place: placeOf(d.unit.name),
    date: dated,
  });

  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: ['TT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Giải trình', 'Tài liệu kiểm chứng'].map((text, i) =>
      cell([{ text, bold: true, align: 'center' }], COLUMNS[i]!, true),
    ),
  });
  const criterionRows = d.rows.map((r) => {
    const strong = r.depth === 0;
    const explanation = [declaredText(r), r.explanation.trim()].filter((t): t is string => !!t).join('\n');
    return new TableRow({
      children: [
        cell([{ text: r.code, bold: strong }], COLUMNS[0]!, strong),
        cell([{ text: r.title, bold: strong }], COLUMNS[1]!, strong),
        cell([{ text: formatVi(r.max), bold: strong, align: 'center' }], COLUMNS[2]!, strong),
        cell([{ text: scoreCell(r), bold: strong, align: 'center' }], COLUMNS[3]!, strong),
        cell([{ text: explanation }], COLUMNS[4]!, strong),
        cell(
          r.evidence.map((e) => ({ text: evidenceText(e) })),
          COLUMNS[5]!,
          strong,
        ),
      ],
    });
  });
  const totalRow = new TableRow({
    cantSplit: true,
    children: [
      cell([{ text: '' }], COLUMNS[0]!, true),
      cell([{ text: 'TỔNG CỘNG', bold: true }], COLUMNS[1]!, true),
      cell([{ text: formatVi(d.total.max), bold: true, align: 'center' }], COLUMNS[2]!, true),
      cell([{ text: formatVi(d.total.self), bold: true, align: 'center' }], COLUMNS[3]!, true),
      cell([{ text: '' }], COLUMNS[4]!, true),
      cell([{ text: '' }], COLUMNS[5]!, true),
    ],
  });
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: COLUMNS,
    layout: TableLayoutType.FIXED,
    rows: [header, ...criterionRows, totalRow],
  });

  const excluded = d.total.max !== d.total.applicableMax;
  const summary = [
    para({
      text: `Tổng điểm tự đánh giá: ${formatVi(d.total.self)}/${formatVi(d.total.applicableMax)} điểm${excluded ? ' (điểm tối đa đã trừ các tiêu chí không áp dụng)' : ''}.`,
      bold: true,
      align: 'both',
    }),
    ...(excluded
      ? [para({ text: `Tổng điểm tối đa của bộ tiêu chí: ${formatVi(d.total.max)} điểm.`, align: 'both' })]
      : []),
    para({ text: 'Điểm theo lĩnh vực:', align: 'both' }),
    ...d.fields.map((f) =>
      para({
        text: `- Lĩnh vực ${f.code}. ${f.title}: ${formatVi(f.self)}/${formatVi(f.applicableMax)} điểm.`,
        align: 'both',
      }),
    ),
  ];

  const local = /^ubnd\s/i.test(body);
  // "Nơi nhận" and the signatures side by side, one table row that cannot split: the block stays on one page.
  const signature = signatureBlock({
    recipients: [...(d.unit.parentName ? [`${issuingBody(d.unit.parentName)} (để báo cáo);`] : []), 'Lưu: VT.'],
    second: { title: ['NGƯỜI LẬP'], note: '(Ký, ghi rõ họ tên)', name: d.signers.preparer },
    signer: {
      title: [...(local ? ['TM. ỦY BAN NHÂN DÂN'] : []), 'CHỦ TỊCH'],
      note: '(Ký tên, đóng dấu)',
      name: d.signers.head,
    },
  });

  const title = `Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC năm ${d.campaign.year} - ${d.unit.name}`;
  const doc = new Document({
    creator: 'Chỉ số CCHC',
    title,
    styles: documentStyles,
    sections: [
      {
        properties: { page: page('landscape') },
        children: [
          heading,
          para({ text: 'BÁO CÁO', bold: true, align: 'center', size: 28 }, { spacing: { before: 360 } }),
          para(
            {
              text: `Tự đánh giá, chấm điểm Chỉ số CCHC năm ${d.campaign.year}`,
              bold: true,
              align: 'center',
              size: 28,
            },
            { spacing: { after: 240 } },
          ),
          para({ text: `Đơn vị: ${d.unit.name}.`, align: 'both' }),
          para({ text: `Kỳ đánh giá: ${d.campaign.name}.`, align: 'both' }),
          para({ text: `Tình trạng: ${submissionText(d)}.`, align: 'both' }, { spacing: { after: 240 } }),
          table,
          para({ text: '' }),
          ...summary,
          keepWithSignature(),
          signature,
        ],
      },
    ],
  });
  return packDocx(doc, { title, creator: 'Chỉ số CCHC', dated: d.generatedAt });
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX

/**
 * The criteria sheet's header row; above it the national heading (the issuing body on the left, the motto on the
 * right, the place and date under it), the title across the page, then the unit, the campaign and the state.
 */
export const XLSX_HEADER_ROW = 8;

/** Widths in characters, chosen so that the ten columns print on one A4 landscape page's width (fitToWidth too). */
const xlsxColumns: { header: string; width: number; wrap?: boolean; number?: boolean }[] = [
  { header: 'Mã', width: 8 },
  { header: 'Tiêu chí', width: 44, wrap: true },
  { header: 'Điểm tối đa', width: 9, number: true },
  { header: 'Điểm tự chấm', width: 9, number: true },
  { header: 'Tình trạng', width: 14, wrap: true },
  { header: 'Mức kê khai', width: 14, wrap: true },
  { header: 'Số đạt', width: 7 },
  { header: 'Tổng số', width: 7 },
  { header: 'Giải trình', width: 38, wrap: true },
  { header: 'Tài liệu kiểm chứng', width: 38, wrap: true },
];

/**
 * The height (points) a row needs for its wrapped cells: spreadsheets do not all grow a row to fit on opening
 * (LibreOffice keeps the default height, and the lines overlap), so it is set from the text: a line per width's worth
 * of characters (a column's width counts digits, wider than most letters).
 */
function wrappedHeight(row: ExcelJS.Row, columns: readonly { width: number; wrap?: boolean }[]): number {
  let lines = 1;
  columns.forEach((c, i) => {
    const value = row.getCell(i + 1).value;
    if (!c.wrap || typeof value !== 'string') return;
    const perLine = Math.max(1, Math.floor(c.width * 1.1));
    const count = value.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0);
    lines = Math.max(lines, count);
  });
  return 14 * lines + 2;
}

/** An exact decimal as a spreadsheet number: the shortest decimal form, never a sum of floats. */
const cellNumber = (value: Dec | null) => (value === null ? null : Number(format(value)));

/** Both sheets print on A4 landscape, every column on the page's width (never a column on a page of its own). */
const printSetup = a4LandscapeFittingWidth(0.6, 0.4);

export async function buildReportXlsx(d: ReportData): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Chỉ số CCHC';
  book.created = d.generatedAt;
  const numFmt = spreadsheetFormat(d.campaign.precision);

  const sheet = book.addWorksheet('Tự đánh giá', {
    views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROW, xSplit: 0 }],
    pageSetup: printSetup,
    headerFooter: { oddFooter: '&CTrang &P / &N' },
  });
  const last = xlsxColumns.length;
  /** Text across columns `from`–`to` of a row, centred and wrapped: a heading line. */
  const across = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font> = {}) => {
    sheet.mergeCells(row, from, row, to);
    const c = sheet.getCell(row, from);
    c.value = text;
    c.font = font;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  const body = issuingBody(d.unit.name);
  const upper = (text: string) => text.toLocaleUpperCase('vi');
  const [day, month, year] = formatDate(d.submission.at ?? d.generatedAt).split('/');
  across(1, 1, 2, d.unit.parentName ? upper(issuingBody(d.unit.parentName)) : '');
  across(2, 1, 2, upper(body), { bold: true });
  across(3, 1, 2, 'Số:        /BC-UBND');
  across(1, 5, last, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true });
  across(2, 5, last, 'Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true });
  across(3, 5, last, `${placeOf(d.unit.name)}, ngày ${day} tháng ${month} năm ${year}`, { italic: true });
  across(4, 1, last, `BÁO CÁO TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM ${d.campaign.year}`, { bold: true, size: 14 });
  sheet.getRow(4).height = 30;
  sheet.getCell(5, 1).value = `Đơn vị: ${d.unit.name}${d.unit.parentName ? ` (${d.unit.parentName})` : ''}`;
  sheet.getCell(6, 1).value = `Kỳ đánh giá: ${d.campaign.name}`;
  sheet.getCell(7, 1).value = `Tình trạng: ${submissionText(d)}`;
  sheet.pageSetup.printTitlesRow = `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`;

  xlsxColumns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    if (c.number) column.numFmt = numFmt;
  });
  const header = sheet.getRow(XLSX_HEADER_ROW);
  header.values = xlsxColumns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 30;
  sheet.autoFilter = {
    from: { row: XLSX_HEADER_ROW, column: 1 },
    to: { row: XLSX_HEADER_ROW, column: xlsxColumns.length },
  };

  for (const r of d.rows) {
    const row = sheet.addRow([
      r.code,
      clean(r.title),
      cellNumber(r.max),
      cellNumber(r.self),
      r.leaf ? statusText[r.status!] : r.applicable ? null : 'Không áp dụng',
      r.declaredLevel ? clean(r.declaredLevel) : null,
      r.declaredAchieved,
      r.declaredTotal,
      clean(r.explanation) || null,
      r.evidence.length ? clean(r.evidence.map(evidenceText).join('\n')) : null,
    ]);
    row.alignment = { vertical: 'top' };
    xlsxColumns.forEach((c, i) => {
      if (c.wrap) row.getCell(i + 1).alignment = { vertical: 'top', wrapText: true };
    });
    row.height = wrappedHeight(row, xlsxColumns);
    if (r.depth === 0) {
      row.font = { bold: true };
      for (let i = 1; i <= xlsxColumns.length; i++)
        row.getCell(i).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    }
  }

  sheet.addRow([]);
  const total = sheet.addRow([null, 'Tổng cộng', cellNumber(d.total.max), cellNumber(d.total.self)]);
  total.font = { bold: true };
  sheet.addRow([null, 'Điểm tối đa áp dụng (trừ tiêu chí không áp dụng)', cellNumber(d.total.applicableMax)]);

  // The signatures: who prepared it on the left, the head for the People's Committee on the right, kept on one page.
  sheet.addRow([]);
  const local = /^ubnd\s/i.test(body);
  const left = ['NGƯỜI LẬP', '(Ký, ghi rõ họ tên)', '', '', '', d.signers.preparer ?? ''];
  const right = [
    ...(local ? ['TM. ỦY BAN NHÂN DÂN'] : []),
    'CHỦ TỊCH',
    '(Ký tên, đóng dấu)',
    ...(local ? ['', '', ''] : ['', '', '', '']),
    d.signers.head ?? '',
  ];
  const first = sheet.rowCount + 1;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const n = first + i;
    const emphasis = (text: string, at: number, all: string[]) =>
      text.startsWith('(') ? { italic: true } : text && (at < 2 || at === all.length - 1) ? { bold: true } : {};
    across(n, 1, 2, left[i] ?? '', emphasis(left[i] ?? '', i, left));
    across(n, 8, last, right[i] ?? '', emphasis(right[i] ?? '', i, right));
  }

  const files = book.addWorksheet('Tài liệu kiểm chứng', {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    pageSetup: { ...printSetup, printTitlesRow: '1:1' },
    headerFooter: { oddFooter: '&CTrang &P / &N' },
  });
  const fileColumns = [
    ['Mã tiêu chí', 12],
    ['Số, ký hiệu', 20],
    ['Ngày ban hành', 14],
    ['Cơ quan ban hành', 36],
    ['Tên tệp', 50],
  ] as const;
  fileColumns.forEach(([, width], i) => {
    files.getColumn(i + 1).width = width;
  });
  files.getColumn(3).numFmt = 'dd/mm/yyyy';
  files.getRow(1).values = fileColumns.map(([name]) => name);
  files.getRow(1).font = { bold: true };
  for (const r of d.rows) {
    for (const e of r.evidence) {
      // A calendar date, stored as midnight UTC so that Excel shows that very day.
      const date = e.documentDate ? new Date(`${e.documentDate}T00:00:00Z`) : null;
      files.addRow([r.code, clean(e.documentNumber) || null, date, clean(e.issuer) || null, clean(e.fileName)]);
    }
  }

  return Buffer.from(await book.xlsx.writeBuffer());
}
