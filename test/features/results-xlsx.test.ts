// results.xlsx is for people: Vietnamese headings with the fields' titles, widths, a frozen heading row and an A4
// landscape print set-up fitted to the page's width; results.csv keeps the keys programs read (docs/open-data.md).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.ts';
import type { UnitResult } from '../../src/domain/scoring.ts';
import { buildDocument, toCsv, toXlsx } from '../../src/features/publication/document.ts';

const field = (code: string, title: string, max: string, score: string) => ({
  code,
  title,
  max: dec(max),
  applicableMax: dec(max),
  selfScore: dec(score),
  score: dec(score),
});

const unit = (code: string, name: string, rank: number, index: string, band: string, survey: string): UnitResult => ({
  code,
  name,
  block: null,
  rank,
  index: dec(index),
  band,
  points: dec('60'),
  applicableMax: dec('70'),
  selfPoints: dec('62'),
  components: { appraisal: dec('60'), survey: dec(survey) },
  fields: [
    field('1', 'Công tác lãnh đạo, chỉ đạo, điều hành cải cách hành chính', '9', '8.5'),
    field('2', 'Xây dựng và tổ chức thực thi pháp luật', '6', '5.25'),
  ],
  criteria: new Map(),
});

const doc = buildDocument({
  campaign: {
    code: 'truc-ninh-2024',
    name: 'Chỉ số CCHC các xã, thị trấn năm 2024',
    year: 2024,
    organizer: 'UBND huyện Trực Ninh',
    precision: 2,
    rounding: 'half-up',
  },
  composition: [
    { key: 'appraisal', max: dec('70') },
    { key: 'survey', max: dec('30') },
  ],
  bands: [
    { name: 'Tốt', min: dec('80') },
    { name: 'Yếu', min: dec('0') },
  ],
  version: 1,
  publishedAt: new Date('2025-01-10T03:00:00Z'),
  results: [
    unit('xa-truc-thanh', 'Xã Trực Thanh', 1, '85.5', 'Tốt', '25.5'),
    unit('xa-truc-dao', 'Xã Trực Đạo', 2, '60', 'Yếu', '0'),
  ],
});

describe('results.xlsx', () => {
  it('heads its columns in Vietnamese, the fields with their titles, and keeps the numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(doc)) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('results')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Hạng',
      'Mã đơn vị',
      'Tên đơn vị',
      'Chỉ số CCHC',
      'Xếp loại',
      'Thẩm định (tối đa 70)',
      'Điều tra xã hội học (tối đa 30)',
      'Lĩnh vực 1 – Công tác lãnh đạo, chỉ đạo, điều hành cải cách hành chính',
      'Lĩnh vực 2 – Xây dựng và tổ chức thực thi pháp luật',
    ]);
    expect(sheet.getRow(1).getCell(8).alignment).toMatchObject({ wrapText: true });
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      1,
      'xa-truc-thanh',
      'Xã Trực Thanh',
      85.5,
      'Tốt',
      60,
      25.5,
      8.5,
      5.25,
    ]);
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(25);
    expect(sheet.getColumn(8).width).toBeGreaterThanOrEqual(12);
  });

  it('freezes the heading row and prints on A4 landscape, fitted to the width, the heading on every page', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(doc)) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('results')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
  });

  it('leaves results.csv with the keys programs read', () => {
    expect(toCsv(doc).split('\r\n')[0]).toBe(
      '\uFEFFrank,unit_code,unit_name,index,band,appraisal,survey,field_1,field_2',
    );
  });
});
