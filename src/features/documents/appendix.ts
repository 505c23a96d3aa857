// The decision's appendix (Phụ lục kết quả Chỉ số CCHC): per block, each unit's rank, components, index and band, as
// the publication froze them; as DOCX for signing with the decision, and as XLSX for the table itself.
import { TableRow } from 'docx';
import ExcelJS from 'exceljs';
import { formatDate } from '../../domain/dates.ts';
import { spreadsheetFormat } from '../../domain/decimal.ts';
import { a4LandscapeFittingWidth } from '../print.ts';
import {
  cell,
  columnsFilling,
  dataTable,
  isPeoplesCommittee,
  keepWithSignature,
  letterhead,
  para,
  placeOf,
  PORTRAIT_TEXT_WIDTH,
  signatureBlock,
  upper,
} from '../print-docx.ts';
import {
  bandOf,
  blocksOf,
  componentHeading,
  decisionNumberOf,
  numberVi,
  sourceLine,
  type DocumentSource,
  councilDocx,
} from './source.ts';

/** The decision's date, else the day of publication. */
const dateOf = (s: DocumentSource) => s.pub.decisionDate ?? new Date(s.pub.publishedAt);

/** "(Kèm theo Quyết định số 15/QĐ-UBND ngày 20/01/2027 của UBND huyện Trực Ninh)". */
function attachedTo(s: DocumentSource): string {
  const number = decisionNumberOf(s);
  const day = s.pub.decisionDate ? ` ngày ${formatDate(s.pub.decisionDate)}` : '';
  return number
    ? `(Kèm theo Quyết định số ${number}${day} của ${s.campaign.organizer})`
    : `(Kèm theo Quyết định của ${s.campaign.organizer})`;
}

/** Who signs the decision: the People's Committee's chair, or the head of the organising body. */
export const decisionSigner = (organizer: string) =>
  isPeoplesCommittee(organizer) ? ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'] : ['THỦ TRƯỞNG CƠ QUAN'];

export const appendixTitle = (s: DocumentSource) =>
  `KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ${s.campaign.year}`;

export async function buildAppendixDocx(s: DocumentSource): Promise<Buffer> {
  const width = PORTRAIT_TEXT_WIDTH;
  const keys = s.doc.composition.map((c) => c.key);
  const fixed = [850, 2900, ...keys.map(() => 1150)];
  const columns = columnsFilling(width, [...fixed, 1000]);
  const header = [
    'Hạng',
    'Đơn vị',
    ...s.doc.composition.map((c) => componentHeading(c.key, c.max)),
    'Chỉ số CCHC',
    'Xếp loại',
  ];
  const blocks = blocksOf(s.doc);
  const body = blocks.flatMap((b, i) => {
    // The last two rows of the last block go with the signatures to their page.
    const last = i === blocks.length - 1;
    const rows = b.units.map((u, n) => {
      const keep = last && n >= b.units.length - 2;
      return new TableRow({
        cantSplit: true,
        children: [
          cell([{ text: u.rank === null ? '—' : String(u.rank), align: 'center' }], columns[0]!, false, keep),
          cell([{ text: u.name }], columns[1]!, false, keep),
          ...keys.map((k, j) =>
            cell([{ text: numberVi(u.components[k], s), align: 'center' }], columns[2 + j]!, false, keep),
          ),
          cell([{ text: numberVi(u.index, s), align: 'center', bold: true }], columns[2 + keys.length]!, false, keep),
          cell([{ text: bandOf(u), align: 'center' }], columns[3 + keys.length]!, false, keep),
        ],
      });
    });
    return [
      ...(b.name !== null
        ? [
            para(
              { text: `${i + 1}. Khối ${b.name} (${b.units.length} đơn vị)`, bold: true },
              { keepNext: true, spacing: { before: 240, after: 120 } },
            ),
          ]
        : []),
      dataTable(width, columns, header, rows),
    ];
  });
  const title = `Phụ lục kết quả Chỉ số CCHC năm ${s.campaign.year} - ${s.campaign.name}`;
  return councilDocx(s, title, [
    letterhead({
      body: s.campaign.organizer,
      number: `Số: ${decisionNumberOf(s) || '        /QĐ-UBND'}`,
      place: placeOf(s.campaign.organizer),
      date: dateOf(s),
      width,
    }),
    para({ text: 'PHỤ LỤC', bold: true, align: 'center', size: 28 }, { spacing: { before: 360 } }),
    para({ text: appendixTitle(s), bold: true, align: 'center' }),
    para({ text: attachedTo(s), italics: true, align: 'center' }, { spacing: { after: 240 } }),
    para(
      {
        text: `Kỳ đánh giá: ${s.campaign.name}. Chỉ số CCHC = ${s.doc.composition.map((c) => componentHeading(c.key, c.max)).join(' + ')}; xếp hạng trong từng khối.`,
        align: 'both',
      },
      { spacing: { after: 120 } },
    ),
    ...body,
    keepWithSignature(),
    signatureBlock({
      recipients: ['Các đơn vị được đánh giá;', 'Hội đồng thẩm định Chỉ số CCHC;', 'Lưu: VT.'],
      signer: { title: decisionSigner(s.campaign.organizer), note: '(Ký tên, đóng dấu)' },
      width,
    }),
  ]);
}

/** Row of the XLSX table's column headings; the heading lines above it. */
export const APPENDIX_HEADER_ROW = 7;

/**
 * The appendix as a workbook: the same heading, one table (block, rank, unit code and name, components, index, band)
 * with numbers as numbers, the signature under it, the source in the page footer. Fixed workbook dates.
 */
export async function buildAppendixXlsx(s: DocumentSource): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const fixed = new Date(s.pub.publishedAt);
  book.created = fixed;
  book.modified = fixed;
  book.creator = s.campaign.organizer;
  const keys = s.doc.composition.map((c) => c.key);
  const columns = [
    { header: 'Khối', width: 16 },
    { header: 'Hạng', width: 7 },
    { header: 'Mã đơn vị', width: 16 },
    { header: 'Tên đơn vị', width: 32 },
    ...s.doc.composition.map((c) => ({ header: componentHeading(c.key, c.max), width: 13 })),
    { header: 'Chỉ số CCHC', width: 11 },
    { header: 'Xếp loại', width: 16 },
  ];
  const last = columns.length;
  const sheet = book.addWorksheet('Phụ lục', {
    views: [{ state: 'frozen', ySplit: APPENDIX_HEADER_ROW, xSplit: 0 }],
    pageSetup: { ...a4LandscapeFittingWidth(0.6, 0.4), orientation: 'portrait' },
    headerFooter: { oddFooter: `&L&7${sourceLine(s).replace(/&/g, '&&').replace('\n', '; ')}&R&8Trang &P / &N` },
  });
  const across = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font> = {}) => {
    sheet.mergeCells(row, from, row, to);
    const c = sheet.getCell(row, from);
    c.value = text;
    c.font = font;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  const [day, month, year] = formatDate(dateOf(s)).split('/');
  const split = 3;
  across(1, 1, split, upper(s.campaign.organizer), { bold: true });
  across(2, 1, split, `Số: ${decisionNumberOf(s)}`);
  across(1, split + 1, last, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true });
  across(2, split + 1, last, 'Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true });
  across(3, split + 1, last, `${placeOf(s.campaign.organizer)}, ngày ${day} tháng ${month} năm ${year}`, {
    italic: true,
  });
  across(4, 1, last, `PHỤ LỤC: ${appendixTitle(s)}`, { bold: true, size: 13 });
  across(5, 1, last, attachedTo(s), { italic: true });
  sheet.getRow(4).height = 22;
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width;
  });
  const header = sheet.getRow(APPENDIX_HEADER_ROW);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 32;
  sheet.pageSetup.printTitlesRow = `${APPENDIX_HEADER_ROW}:${APPENDIX_HEADER_ROW}`;
  const numFmt = spreadsheetFormat(s.campaign.precision);
  for (let col = 5; col <= 4 + keys.length + 1; col++) sheet.getColumn(col).numFmt = numFmt;
  for (const u of s.doc.units) {
    sheet.addRow([
      u.block ?? null,
      u.rank,
      u.code,
      u.name,
      ...keys.map((k) => u.components[k] ?? null),
      u.index,
      bandOf(u),
    ]);
  }
  sheet.addRow([]);
  const signer = decisionSigner(s.campaign.organizer);
  const first = sheet.rowCount + 1;
  const right = [...signer, '(Ký tên, đóng dấu)'];
  const left = ['Nơi nhận:', '- Các đơn vị được đánh giá;', '- Hội đồng thẩm định Chỉ số CCHC;', '- Lưu: VT.'];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const n = first + i;
    if (left[i]) {
      const c = sheet.getCell(n, 1);
      c.value = left[i];
      c.font = i === 0 ? { bold: true, italic: true } : { size: 10 };
    }
    if (right[i]) across(n, split + 2, last, right[i]!, right[i]!.startsWith('(') ? { italic: true } : { bold: true });
  }
  sheet.addRow([]);
  for (const line of sourceLine(s).split('\n')) sheet.addRow([line]).font = { size: 8, italic: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
