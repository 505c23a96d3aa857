// The one builder of the portal's official DOCX documents (the self-assessment report, the improvement plan, the
// council's appendix, results report and appraisal minutes): the page (A4, the administrative format's margins), the
// national heading beside the issuing body with "Số: …" and the place and date line, the signature block with "Nơi
// nhận" kept on one page, a footer naming the source, and a package whose bytes do not depend on when it is made.
import {
  AlignmentType,
  BorderStyle,
  type Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphOptions,
  type ISectionOptions,
} from 'docx';
import { formatDate } from '../domain/dates.ts';

export const FONT = 'Times New Roman';
/** A4 in twips; margins 20 mm, left 30 mm (the administrative document format). */
export const PAGE = { width: 11906, height: 16838, top: 1134, bottom: 1134, left: 1701, right: 1134 };
/** The width of the text on a landscape page, and on a portrait one. */
export const TEXT_WIDTH = PAGE.height - PAGE.left - PAGE.right;
export const PORTRAIT_TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

/** Removes the control characters XML cannot hold (a pasted explanation may carry some); keeps tabs and newlines. */
export const clean = (text: string) => text.replace(/[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');

const localKinds = /^(xã|phường|thị trấn|thị xã|huyện|quận|thành phố|tỉnh|đặc khu)\s+/i;

/** The issuing body as the heading names it: "Xã Trực Thanh" is issued by "UBND xã Trực Thanh". */
export function issuingBody(unitName: string): string {
  if (/^(ubnd|ủy ban|uỷ ban)\s/i.test(unitName)) return unitName;
  return localKinds.test(unitName) ? `UBND ${unitName[0]!.toLocaleLowerCase('vi')}${unitName.slice(1)}` : unitName;
}

/** The place in the date line: "Trực Thanh" for "Xã Trực Thanh", "Trực Ninh" for "UBND huyện Trực Ninh". */
export const placeOf = (unitName: string) =>
  unitName.replace(/^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+/i, '').replace(localKinds, '');

/** Whether a body is a People's Committee (it signs "TM. ỦY BAN NHÂN DÂN"). */
export const isPeoplesCommittee = (body: string) => /^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s/i.test(body);

export const upper = (text: string) => text.toLocaleUpperCase('vi');

export interface Line {
  text: string;
  bold?: boolean;
  italics?: boolean;
  size?: number;
  align?: 'left' | 'center' | 'right' | 'both';
}

const alignment = (align: Line['align']) =>
  align === 'center'
    ? AlignmentType.CENTER
    : align === 'right'
      ? AlignmentType.RIGHT
      : align === 'both'
        ? AlignmentType.BOTH
        : AlignmentType.LEFT;

export function para(
  { text, bold, italics, size, align }: Line,
  extra: Omit<IParagraphOptions, 'children' | 'alignment'> = {},
): Paragraph {
  return new Paragraph({
    alignment: alignment(align),
    children: [new TextRun({ text: clean(text), bold, italics, size })],
    ...extra,
  });
}

/**
 * A cell of a table; each line of text its own paragraph. `keepNext` keeps its row on the page of what follows (the
 * last rows of a table before the signatures, so that these never stand alone on a page).
 */
export function cell(lines: Line[], width: number, shade = false, keepNext = false): TableCell {
  const paragraphs = lines.flatMap((l) =>
    l.text.split('\n').map((text) => para({ ...l, text, size: l.size ?? 22 }, keepNext ? { keepNext: true } : {})),
  );
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    verticalAlign: VerticalAlignTable.TOP,
    shading: shade ? { type: ShadingType.CLEAR, fill: 'E7EEF7', color: 'auto' } : undefined,
    children: paragraphs.length ? paragraphs : [para({ text: '' })],
  });
}

/** Column widths filling `width`: the given ones, the last column taking what is left. */
export function columnsFilling(width: number, given: readonly number[]): number[] {
  return [...given, width - given.reduce((a, b) => a + b, 0)];
}

/** A table of the document: fixed columns, the header row repeated on every page, no row split across pages. */
export function dataTable(width: number, columns: readonly number[], header: string[], rows: TableRow[]): Table {
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: [...columns],
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((text, i) => cell([{ text, bold: true, align: 'center' }], columns[i]!, true)),
      }),
      ...rows,
    ],
  });
}

/** Two columns without borders: the heading block and the signature block (one row that never splits across pages). */
export function twoColumns(left: Paragraph[], right: Paragraph[], width = TEXT_WIDTH, leftShare = 0.42): Table {
  const half = (children: Paragraph[], w: number) =>
    new TableCell({ width: { size: w, type: WidthType.DXA }, borders: TableBorders.NONE, children });
  const leftWidth = Math.round(width * leftShare);
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: [leftWidth, width - leftWidth],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [new TableRow({ cantSplit: true, children: [half(left, leftWidth), half(right, width - leftWidth)] })],
  });
}

export const rule = (indent: number) =>
  new Paragraph({
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    indent: { left: indent, right: indent },
    spacing: { after: 120 },
    children: [],
  });

export interface Letterhead {
  /** The body above the issuing one (a commune's district, a council's People's Committee), in its own words. */
  parent?: string | null;
  /** The issuing body, in its own words (written in capitals). */
  body: string;
  /** "Số:        /BC-UBND": the number's line as the document carries it. */
  number: string;
  /** The place of the date line ("Trực Ninh"). */
  place: string;
  /** The document's date (ISO yyyy-mm-dd or an instant, read in Vietnam's time). */
  date: string | Date;
  width?: number;
}

/**
 * The heading of an administrative document: the issuing body (under its parent) with the number on the left; the
 * national name and motto with the place and date line on the right.
 */
export function letterhead(h: Letterhead): Table {
  const width = h.width ?? TEXT_WIDTH;
  const [day, month, year] = formatDate(h.date).split('/');
  const leftShare = width < TEXT_WIDTH ? 0.4 : 0.42;
  const leftWidth = width * leftShare;
  return twoColumns(
    [
      ...(h.parent ? [para({ text: upper(h.parent), align: 'center', size: 24 })] : []),
      para({ text: upper(h.body), bold: true, align: 'center', size: 24 }),
      rule(Math.round(leftWidth * 0.3)),
      para({ text: h.number, align: 'center' }),
    ],
    [
      para({ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, align: 'center', size: 24 }),
      para({ text: 'Độc lập - Tự do - Hạnh phúc', bold: true, align: 'center' }),
      rule(Math.round((width - leftWidth) * 0.25)),
      para({ text: `${h.place}, ngày ${day} tháng ${month} năm ${year}`, italics: true, align: 'center' }),
    ],
    width,
    leftShare,
  );
}

export interface Signer {
  /** The capacity lines, in capitals: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]. */
  title: string[];
  /** Under the title, in italics: "(Ký tên, đóng dấu)". */
  note?: string;
  /** The signer's name under the space for the signature; empty when not known. */
  name?: string | null;
}

const signerLines = (s: Signer): Paragraph[] => [
  ...s.title.map((text) => para({ text, bold: true, align: 'center' })),
  ...(s.note ? [para({ text: s.note, italics: true, align: 'center' })] : []),
  ...Array.from({ length: 4 }, () => para({ text: '' })),
  para({ text: s.name ?? '', bold: true, align: 'center' }),
];

/**
 * "Nơi nhận" on the left (with, under it, a second signer such as the one who prepared the document) and the signer
 * on the right: one table row that cannot split, so that the whole block stays on one page. Put it after a paragraph
 * made by `keepWithSignature()` so that it is not left alone at the top of a page either.
 */
export function signatureBlock(opts: { recipients: string[]; second?: Signer; signer: Signer; width?: number }): Table {
  const left = [
    para({ text: 'Nơi nhận:', bold: true, italics: true, size: 24 }, { keepNext: true, keepLines: true }),
    ...opts.recipients.map((r) => para({ text: `- ${r}`, size: 22 }, { keepNext: true, keepLines: true })),
    ...(opts.second ? [para({ text: '' }, { keepNext: true }), ...signerLines(opts.second)] : []),
  ];
  return twoColumns(left, signerLines(opts.signer), opts.width ?? TEXT_WIDTH);
}

/** An empty paragraph kept with what follows: the last words of the text go to the page of the signatures. */
export const keepWithSignature = () => para({ text: '' }, { keepNext: true, keepLines: true });

/**
 * A footer in small type: the source of the document (a publication's version and SHA-256; a line per line of
 * `source`) and the page number.
 */
export function sourceFooter(source: string): Footer {
  return new Footer({
    children: [
      ...source.split('\n').map(
        (line) =>
          new Paragraph({
            alignment: AlignmentType.LEFT,
            children: [new TextRun({ text: clean(line), size: 16, italics: true })],
          }),
      ),
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ text: 'Trang ', size: 18 }),
          new TextRun({ children: [PageNumber.CURRENT], size: 18 }),
          new TextRun({ text: ' / ', size: 18 }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 18 }),
        ],
      }),
    ],
  });
}

/** A section's page: A4 portrait or landscape, the administrative margins. */
export function page(orientation: 'portrait' | 'landscape'): NonNullable<ISectionOptions['properties']>['page'] {
  return {
    size: {
      width: PAGE.width,
      height: PAGE.height,
      orientation: orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
    },
    margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, footer: 567 },
  };
}

/** The default style of every document: Times New Roman 13 pt. */
export const documentStyles = { default: { document: { run: { font: FONT, size: 26 } } } };

const xml = (text: string) =>
  clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The package's bytes. docx writes the time of packing into docProps/core.xml; here the document's own date stands
 * there instead (`dated`: for a publication, when it was published), so that the same content gives the same parts.
 */
export function packDocx(doc: Document, meta: { title: string; creator: string; dated: Date }): Promise<Buffer> {
  const when = meta.dated.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${xml(meta.title)}</dc:title><dc:creator>${xml(meta.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`;
  return Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: core }]);
}
