// Reading an uploaded .xlsx with bounded memory. The ZIP's central directory is read first (yauzl): too many entries,
// a part declared larger than its bound, a declared total above the bound or an absurd compression ratio refuse the
// file before anything is inflated. The parts are then inflated one at a time by yauzl, which stops a part whose bytes
// exceed its declared size (a lying bomb), and parsed as they arrive by exceljs's streaming parsers: rows are handed
// over one by one and counted, with their columns, cells and text, so that a limit stops the reading at once.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';

/** The bounds of one upload; `rows` is per sheet (by lower-case name), `defaultRows` for any other sheet read. */
export interface XlsxLimits {
  /** ZIP entries in the file (a real workbook has a dozen or two). */
  entries: number;
  /** Declared inflated size of one worksheet. */
  sheetBytes: number;
  /** Declared inflated size of xl/sharedStrings.xml (all its strings are kept in memory while the sheets are read). */
  sharedStringsBytes: number;
  /** Declared inflated size of any other part read or not (styles, workbook, theme, pictures…). */
  partBytes: number;
  /** Declared inflated size of all entries together. */
  totalBytes: number;
  /** Inflated ÷ compressed, checked on entries above 1 MiB (real sheets compress 5 to 30 times). */
  ratio: number;
  /** Rows with at least one value, per sheet. */
  rows: Record<string, number>;
  defaultRows: number;
  /** A value in a column past this one (1-based: 100 = column CV) refuses the file. */
  columns: number;
  /** Cells with a value in all sheets read. */
  cells: number;
  /** Characters in one cell: Excel's own limit. */
  cellChars: number;
}

const MiB = 1024 * 1024;

/**
 * Sized for a national campaign (3,300 units × about 150 leaf criteria = 495,000 score rows of 7 columns) with room to
 * spare, and small enough that refusing anything above them keeps the server's memory within 300 MB of idle.
 */
export const workbookLimits: XlsxLimits = {
  entries: 1_000,
  sheetBytes: 256 * MiB,
  sharedStringsBytes: 64 * MiB,
  partBytes: 16 * MiB,
  totalBytes: 512 * MiB,
  ratio: 200,
  rows: {
    campaign: 1_000,
    agencies: 10_000,
    units: 50_000,
    criteria: 10_000,
    scores: 600_000,
    survey: 50_000,
    components: 50_000,
  },
  defaultRows: 50_000,
  columns: 100,
  cells: 4_000_000,
  cellChars: 32_767,
};

export type LimitKind =
  | 'size'
  | 'entries'
  | 'part'
  | 'total'
  | 'ratio'
  | 'inflated'
  | 'rows'
  | 'columns'
  | 'cells'
  | 'cellChars';

/** Which bound was passed, its value, and where (for the message that names it). */
export interface LimitExceeded {
  kind: LimitKind;
  limit: number;
  sheet: string | null;
  row: number | null;
  /** The ZIP entry, for the limits of the file itself. */
  part?: string;
}

export class LimitError extends Error {
  readonly exceeded: LimitExceeded;
  constructor(exceeded: LimitExceeded) {
    super(`over the ${exceeded.kind} limit (${exceeded.limit})`);
    this.exceeded = exceeded;
  }
}

/** Not a workbook (not a ZIP, no workbook part, broken XML). */
export class UnreadableError extends Error {}

/** A row as exceljs's streaming reader gives it. */
export type XlsxRow = ExcelJS.Row;

/** exceljs's streaming reader, driven part by part: its parsers take any readable stream (not public API, 4.4.0). */
interface PartReader {
  options: Record<string, string>;
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string; Type?: string }[];
  _parseRels(stream: Readable): Promise<void>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncIterable<unknown>;
  _parseWorksheet(stream: Readable, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<XlsxRow> }>;
}

function checkDirectory(entries: yauzl.Entry[], limits: XlsxLimits): void {
  let total = 0;
  for (const entry of entries) {
    const name = entry.fileName;
    const bound = /^xl\/worksheets\/[^/]+\.xml$/.test(name)
      ? limits.sheetBytes
      : name === 'xl/sharedStrings.xml'
        ? limits.sharedStringsBytes
        : limits.partBytes;
    if (entry.uncompressedSize > bound)
      throw new LimitError({ kind: 'part', limit: bound, sheet: null, row: null, part: name });
    total += entry.uncompressedSize;
    if (total > limits.totalBytes)
      throw new LimitError({ kind: 'total', limit: limits.totalBytes, sheet: null, row: null, part: name });
    if (entry.uncompressedSize > MiB && entry.uncompressedSize > limits.ratio * Math.max(entry.compressedSize, 1)) {
      throw new LimitError({ kind: 'ratio', limit: limits.ratio, sheet: null, row: null, part: name });
    }
  }
}

/** The part a workbook relationship points to: relative to xl/, or absolute from the package root. */
const partOf = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');

export interface SheetVisitor {
  /** Every sheet's name, in the workbook's order, before any is read. */
  sheets?: (names: string[]) => void;
  /** The function that takes the rows of a sheet, or null to skip it unread. */
  sheet: (name: string) => ((row: XlsxRow, rowNumber: number) => void) | null;
}

/**
 * Reads the sheets `visitor` asks for, in the workbook's order, row by row. Throws LimitError the moment a bound is
 * passed, UnreadableError when the file is not a workbook; a row's own errors are the visitor's business.
 */
export async function readXlsx(data: Uint8Array, limits: XlsxLimits, visitor: SheetVisitor): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
    });
  } catch {
    throw new UnreadableError('not a ZIP file');
  }
  try {
    if (zip.entryCount > limits.entries)
      throw new LimitError({ kind: 'entries', limit: limits.entries, sheet: null, row: null });
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) entries.push(entry);
    } catch {
      throw new UnreadableError('broken ZIP directory');
    }
    checkDirectory(entries, limits);
    const byName = new Map(entries.map((entry) => [entry.fileName, entry]));

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as unknown as string, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as PartReader;
    const open = async (name: string): Promise<Readable | null> => {
      const entry = byName.get(name);
      return entry ? zip.openReadStreamPromise(entry) : null;
    };
    /** Runs a parser on a part; yauzl's "too many bytes" (a part larger than it says) becomes the limit it is. */
    const parse = async (name: string, run: (stream: Readable) => Promise<void>, required = false): Promise<void> => {
      const stream = await open(name);
      if (!stream) {
        if (required) throw new UnreadableError(`no ${name}`);
        return;
      }
      let inflating: Error | null = null;
      stream.on('error', (err: Error) => {
        inflating ??= err;
      });
      try {
        await run(stream);
      } catch (err) {
        if (err instanceof LimitError) throw err;
        const cause = (inflating ?? err) as Error;
        if (/too many bytes/.test(String(cause.message))) {
          throw new LimitError({
            kind: 'inflated',
            limit: byName.get(name)!.uncompressedSize,
            sheet: null,
            row: null,
            part: name,
          });
        }
        throw new UnreadableError(String(cause.message));
      } finally {
        stream.destroy();
      }
    };

    await parse('xl/_rels/workbook.xml.rels', (s) => reader._parseRels(s), true);
    await parse('xl/workbook.xml', (s) => reader._parseWorkbook(s), true);
    await parse('xl/styles.xml', (s) => reader._parseStyles(s));
    await parse('xl/sharedStrings.xml', async (s) => {
      for await (const _ of reader._parseSharedStrings(s));
    });

    const targets = new Map((reader.workbookRels ?? []).map((rel) => [rel.Id, partOf(rel.Target)]));
    const sheets = (reader.model?.sheets ?? []).map((sheet) => ({
      name: String(sheet.name ?? ''),
      part: targets.get(sheet.rId),
    }));
    visitor.sheets?.(sheets.map((sheet) => sheet.name));

    let cells = 0;
    for (const { name, part } of sheets) {
      const take = visitor.sheet(name);
      if (!take || !part) continue;
      const key = name.normalize('NFC').trim().toLowerCase();
      const maxRows = limits.rows[key] ?? limits.defaultRows;
      let rows = 0;
      await parse(
        part,
        async (stream) => {
          for (const { value: worksheet } of reader._parseWorksheet(stream, '0')) {
            for await (const row of worksheet) {
              let filled = 0;
              row.eachCell((cell, column) => {
                if (column > limits.columns)
                  throw new LimitError({ kind: 'columns', limit: limits.columns, sheet: name, row: row.number });
                const value = cell.value;
                const text =
                  typeof value === 'string'
                    ? value
                    : value && typeof value === 'object' && 'richText' in value
                      ? value.richText.map((part) => part.text ?? '').join('')
                      : null;
                if (text !== null && text.length > limits.cellChars)
                  throw new LimitError({ kind: 'cellChars', limit: limits.cellChars, sheet: name, row: row.number });
                filled++;
              });
              if (filled === 0) continue;
              cells += filled;
              if (cells > limits.cells)
                throw new LimitError({ kind: 'cells', limit: limits.cells, sheet: name, row: row.number });
              if (++rows > maxRows)
                throw new LimitError({ kind: 'rows', limit: maxRows, sheet: name, row: row.number });
              take(row, row.number);
            }
          }
        },
        true,
      );
    }
  } finally {
    zip.close();
  }
}
