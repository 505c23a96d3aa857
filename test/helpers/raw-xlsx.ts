// Hostile workbooks built by hand (ZIP and deflate from node:zlib), small on disk and quick to make: a million rows, a
// decompression bomb of gigabytes, parts that lie about their size. Shared by the tests and `npm run bench`.
import zlib from 'node:zlib';

/** One ZIP entry: its deflated bytes, the size and CRC of what they inflate to, and the size the directory declares. */
export interface RawPart {
  name: string;
  deflated: Buffer;
  size: number;
  crc: number;
  /** What the headers claim; the real size unless a lie is wanted. */
  declaredSize?: number;
}

const fullFlush = (level: number) => ({ finishFlush: zlib.constants.Z_FULL_FLUSH, level });
/** The final, empty deflate block that ends a stream made of fully flushed pieces. */
const finalBlock = zlib.deflateRawSync(Buffer.alloc(0));

/** A part from text made piece by piece: each piece is deflated on its own, so the whole text is never held. */
export function streamedPart(name: string, pieces: Iterable<string>, level = 6): RawPart {
  const chunks: Buffer[] = [];
  let size = 0;
  let crc = 0;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece, 'utf8');
    size += bytes.length;
    crc = zlib.crc32(bytes, crc);
    chunks.push(zlib.deflateRawSync(bytes, fullFlush(level)));
  }
  chunks.push(finalBlock);
  return { name, deflated: Buffer.concat(chunks), size, crc };
}

export const textPart = (name: string, text: string): RawPart => streamedPart(name, [text]);

/** `bytes` of one repeated letter inside one inline-string cell: what a naive reader would hold as a single string. */
export function bombSheet(name: string, bytes: number, declaredSize?: number): RawPart {
  const head = Buffer.from(`${sheetHead}<row r="1"><c r="A1" t="inlineStr"><is><t>`);
  const tail = Buffer.from(`</t></is></c></row>${sheetTail}`);
  const mib = Buffer.alloc(1024 * 1024, 'A');
  const mibDeflated = zlib.deflateRawSync(mib, fullFlush(9));
  const count = Math.ceil((bytes - head.length - tail.length) / mib.length);
  let crc = zlib.crc32(head);
  for (let i = 0; i < count; i++) crc = zlib.crc32(mib, crc);
  crc = zlib.crc32(tail, crc);
  const deflated = Buffer.concat([
    zlib.deflateRawSync(head, fullFlush(9)),
    ...Array.from({ length: count }, () => mibDeflated),
    zlib.deflateRawSync(tail, fullFlush(9)),
    finalBlock,
  ]);
  return { name, deflated, size: head.length + count * mib.length + tail.length, crc, declaredSize };
}

const sheetHead =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const sheetTail = '</sheetData></worksheet>';

const xmlText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const columnName = (index: number): string => {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

/** A worksheet of `count` rows after the header; `row(n)` gives the cells of data row n (1-based), numbers as numbers. */
export function rowsSheet(
  name: string,
  header: string[],
  count: number,
  row: (n: number) => (string | number | null)[],
  level = 6,
): RawPart {
  const line = (r: number, cells: (string | number | null)[]) => {
    let xml = `<row r="${r}">`;
    cells.forEach((value, index) => {
      if (value === null) return;
      const ref = `${columnName(index)}${r}`;
      xml +=
        typeof value === 'number'
          ? `<c r="${ref}"><v>${value}</v></c>`
          : `<c r="${ref}" t="inlineStr"><is><t>${xmlText(value)}</t></is></c>`;
    });
    return `${xml}</row>`;
  };
  function* pieces() {
    yield sheetHead + line(1, header);
    const batch = 100_000;
    for (let start = 1; start <= count; start += batch) {
      let xml = '';
      for (let n = start; n < Math.min(start + batch, count + 1); n++) xml += line(n + 1, row(n));
      yield xml;
    }
    yield sheetTail;
  }
  return streamedPart(name, pieces(), level);
}

/** A workbook of the given sheets (name → part of its XML), with the few parts every reader needs. */
export function rawXlsx(sheets: { name: string; part: RawPart }[]): Buffer {
  const parts: RawPart[] = [
    textPart(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
    ),
    textPart(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    textPart(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
        sheets
          .map((sheet, i) => `<sheet name="${xmlText(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('') +
        '</sheets></workbook>',
    ),
    textPart(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        '</Relationships>',
    ),
    ...sheets.map((sheet, i) => ({ ...sheet.part, name: `xl/worksheets/sheet${i + 1}.xml` })),
  ];
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const declared = part.declaredSize ?? part.size;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(part.crc >>> 0, 14);
    header.writeUInt32LE(part.deflated.length, 18);
    header.writeUInt32LE(declared, 22);
    header.writeUInt16LE(name.length, 26);
    local.push(header, name, part.deflated);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(part.crc >>> 0, 16);
    entry.writeUInt32LE(part.deflated.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += header.length + name.length + part.deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

/**
 * A campaign workbook whose `units` sheet (or `scores`) has a million rows, under 10 MB; the other sheets are small.
 * The units are made in a second or two (tests), the scores (bench: the largest sheet, read furthest) in several.
 */
export function millionRowWorkbook(opts: { sheet?: 'units' | 'scores'; rows?: number } = {}): Buffer {
  const rows = opts.rows ?? 1_000_000;
  const campaign = rowsSheet(
    'campaign',
    ['key', 'value'],
    6,
    (n) =>
      [
        ['code', 'trieu-dong'],
        ['name', 'Một triệu dòng'],
        ['year', 2024],
        ['organizer', 'UBND'],
        ['composition', 'appraisal:100'],
        ['bands', 'Tốt:50;Yếu:0'],
      ][n - 1]!,
  );
  const criteria = rowsSheet(
    'criteria',
    ['code', 'title', 'max_score'],
    2,
    (n) =>
      [
        ['1', 'Lĩnh vực', 10],
        ['1.1', 'Tiêu chí', 10],
      ][n - 1]!,
  );
  if (opts.sheet === 'scores') {
    return rawXlsx([
      { name: 'campaign', part: campaign },
      { name: 'units', part: rowsSheet('units', ['code', 'name'], 1, () => [1, 'Xã 1']) },
      { name: 'criteria', part: criteria },
      // Codes as numbers: as long as a real row whose text cells point into the shared strings.
      { name: 'scores', part: rowsSheet('scores', ['unit_code', 'criterion_code'], rows, () => [1, 1.1]) },
    ]);
  }
  return rawXlsx([
    { name: 'campaign', part: campaign },
    // One cell a row, quickly deflated: the reading stops long before the names would be missed.
    { name: 'units', part: rowsSheet('units', ['code', 'name'], rows, (n) => [n], 1) },
    { name: 'criteria', part: criteria },
  ]);
}
