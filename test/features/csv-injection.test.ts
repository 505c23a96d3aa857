// Exports that cannot attack their reader: formula-looking text is neutralised in CSV, written as text in XLSX, and
// kept as it is in JSON; numbers stay numbers.
import type { MikroORM } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../src/domain/csv.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { surveyTemplate } from '../../src/features/survey.ts';
import { exportWorkbook, formatIssue, importWorkbook } from '../../src/features/workbook/index.ts';
import { Browser, startTestApp } from '../helpers/app.ts';
import { freshOrm } from '../helpers/db.ts';
import { buildWorkbook, setCell, validSheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

describe('csvField', () => {
  it('neutralises text that a spreadsheet would run, and leaves numbers and plain text alone', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1')).toBe(`"'+1"`);
    expect(csvField('-cmd')).toBe(`"'-cmd"`);
    expect(csvField('@SUM(1)')).toBe(`"'@SUM(1)"`);
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvField('Xã A')).toBe('Xã A');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('x=1')).toBe('x=1');
    expect(csvLine(['-1', -1, '=1'])).toBe(`"'-1",-1,"'=1"`);
  });
});

const hostile = {
  'huyen-thu': '=HYPERLINK("http://x","y")',
  'xa-a': '+1',
  'xa-b': '-cmd',
} as const;

describe('a published campaign with formula-looking names', () => {
  let orm: MikroORM;
  let publication: { results_csv: string; results_json: string; results_xlsx: Buffer };
  let workbookExport: Buffer;

  beforeAll(async () => {
    orm = await freshOrm();
    const sheets = validSheets('hostile-2024');
    for (const [index, name] of Object.values(hostile).entries()) setCell(sheets, 'units', index + 2, 'name', name);
    setCell(sheets, 'criteria', 2, 'title', '@SUM(1)');
    setCell(sheets, 'criteria', 3, 'title', '=1+2');
    setCell(sheets, 'campaign', 8, 'value', '-Xuất sắc:95;+Tốt:85;@Khá:75;=Trung bình:70;-Yếu:0');
    const imported = await importWorkbook(orm.em.fork(), await buildWorkbook(sheets), { actorId: null });
    if (!imported.ok) throw new Error(imported.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
    const published = await publishCampaign(orm.em.fork(), null, 'hostile-2024', { imported: true });
    expect(published.ok).toBe(true);
    [publication] = await orm.em
      .getConnection()
      .execute('select results_csv, results_json, results_xlsx from publication');
    workbookExport = (await exportWorkbook(orm.em.fork(), 'hostile-2024'))!;
  });
  afterAll(async () => {
    await orm.close();
  });

  it('writes every formula-looking text cell of results.csv with a leading quote, numbers as they are', () => {
    const lines = publication.results_csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const byCode = new Map(lines.slice(1).map((line) => [/^\d+,([a-z-]+),/.exec(line)![1]!, line]));
    expect(byCode.get('huyen-thu')).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(byCode.get('xa-a')).toContain(`,"'+1",`);
    expect(byCode.get('xa-b')).toContain(`,"'-cmd",`);
    // Band names are text too.
    expect(publication.results_csv).toMatch(/,"'[-+@=](Xuất sắc|Tốt|Khá|Trung bình|Yếu)",/);
    // Nothing starts a field with a formula character unless quoted and prefixed.
    for (const line of lines) {
      for (const field of line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) expect(field).not.toMatch(/^[=+@\t\r]/);
    }
    // xa-a's deduction (criterion 2.3, -1) stays a number: the field_2 column holds its sum, the index a number.
    const header = lines[0]!.split(',');
    const xaA = byCode.get('xa-a')!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(Number(xaA[header.indexOf('index')])).not.toBeNaN();
    expect(xaA[header.indexOf('field_2')]).toMatch(/^-?\d+(\.\d+)?$/);
  });

  it('keeps the names as they are in results.json', () => {
    const doc = JSON.parse(publication.results_json) as {
      units: { code: string; name: string; band: string; fields: { title: string }[] }[];
    };
    for (const [code, name] of Object.entries(hostile))
      expect(doc.units.find((unit) => unit.code === code)!.name).toBe(name);
    expect(doc.units.flatMap((unit) => unit.fields.map((field) => field.title))).toContain('@SUM(1)');
    expect(doc.units.map((unit) => unit.band).every((band) => /^[-+@=]/.test(band))).toBe(true);
  });

  it('writes them as text cells, not formulas, in results.xlsx and in the exported workbook', async () => {
    for (const data of [publication.results_xlsx, workbookExport]) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(data as unknown as ExcelJS.Buffer);
      const texts: unknown[] = [];
      for (const sheet of book.worksheets) {
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
            expect(cell.formula).toBeFalsy();
            texts.push(cell.value);
          }),
        );
      }
      for (const name of Object.values(hostile)) expect(texts).toContain(name);
    }
  });

  it('writes unit names as text in the survey template', async () => {
    const data = await surveyTemplate(orm.em.fork(), 'hostile-2024');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(data! as unknown as ExcelJS.Buffer);
    const names: unknown[] = [];
    book.worksheets[0]!.eachRow((row) => {
      expect(row.getCell(2).type).not.toBe(ExcelJS.ValueType.Formula);
      names.push(row.getCell(2).value);
    });
    expect(names).toEqual(expect.arrayContaining(Object.values(hostile)));
  });
});

/** Every entry of a ZIP, inflated (small files only). */
async function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(data, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

describe('the self-assessment report of a unit with a formula-looking name', () => {
  it('writes it as text in the XLSX and the DOCX', async () => {
    const t = await startTestApp();
    try {
      const [{ code }] = await t.orm.em.getConnection().execute('select code from campaign limit 1');
      await t.orm.em
        .getConnection()
        .execute(`update unit set name = '=HYPERLINK("http://x","y")' where code = 'xa-truc-thanh'`);
      const officer = await Browser.signedIn(t.app, 'canbo');
      const xlsx = await officer.get(paths.unit.report('xa-truc-thanh', code, 'xlsx'));
      expect(xlsx.statusCode).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const texts: unknown[] = [];
      for (const sheet of book.worksheets) {
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
            texts.push(cell.value);
          }),
        );
      }
      expect(texts.some((value) => typeof value === 'string' && value.includes('=HYPERLINK("http://x","y")'))).toBe(
        true,
      );
      const docx = await officer.get(paths.unit.report('xa-truc-thanh', code, 'docx'));
      expect(docx.statusCode).toBe(200);
      const document = (await unzip(docx.rawPayload)).get('word/document.xml')!.toString('utf8');
      expect(document).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
      // A text run, never a field (the DOCX form of a formula).
      expect(document).not.toMatch(/<w:instrText|<w:fldSimple/);
    } finally {
      await t.close();
    }
  });
});
