import ExcelJS from 'exceljs';
import type { MikroORM } from '@mikro-orm/postgresql';

/** Sheet name → rows, the first row being the header; cells as exceljs takes them (formulas, rich text, dates). */
export type Sheets = Record<string, ExcelJS.CellValue[][]>;

/** The sample workbooks and their expected results (test/fixtures/samples/README.md). */
export const samplesDir = new URL('../fixtures/samples/', import.meta.url);

export async function buildWorkbook(sheets: Sheets): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    rows.forEach((row, index) => {
      row.forEach((value, column) => {
        if (value !== null && value !== undefined) sheet.getCell(index + 1, column + 1).value = value;
      });
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A small valid campaign: a district unit and two communes under it, two fields (one with an appraiser-kind leaf and
 * a deduction), scores with a not-applicable row, survey tallies and one unit known by component points.
 * Spreadsheet rows: criteria 2 = field 1 (max 10), 3 = 1.1 (4), 4 = 1.2 (6), 5 = field 2, 6 = 2.1, 7 = 2.2, 8 = 2.3.
 */
export function validSheets(code = 'thu-2024'): Sheets {
  return {
    campaign: [
      ['key', 'value'],
      ['code', code],
      ['name', 'Chỉ số CCHC thử năm 2024'],
      ['year', 2024],
      ['organizer', 'UBND huyện Thử'],
      ['decision', 'Kế hoạch số 1/KH-UBND'],
      ['composition', 'appraisal:70,survey:30'],
      ['bands', 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0'],
      ['precision', 2],
    ],
    agencies: [
      ['code', 'name'],
      ['NV', 'Phòng Nội vụ'],
      ['TP', 'Phòng Tư pháp'],
    ],
    units: [
      ['code', 'name', 'kind', 'parent_code'],
      ['huyen-thu', 'UBND huyện Thử', 'huyện', null],
      ['xa-a', 'Xã A', 'xã', 'huyen-thu'],
      ['xa-b', 'Xã B', 'xã', 'huyen-thu'],
    ],
    criteria: [
      ['code', 'title', 'max_score', 'min_score', 'kind', 'agency_code', 'evidence_required', 'guidance', 'scoring'],
      ['1', 'Lĩnh vực 1', 10, 0, 'self', 'NV', 'no', null, null],
      ['1.1', 'Tiêu chí 1.1', 4, 0, 'self', null, 'yes', 'Hướng dẫn 1.1', null],
      ['1.2', 'Tiêu chí 1.2', 6, 0, 'self', null, 'yes', null, 'levels: Có=6; Không=0'],
      ['2', 'Lĩnh vực 2', null, 0, 'self', 'TP', 'no', null, null],
      ['2.1', 'Tiêu chí 2.1', 5, 0, 'self', null, 'yes', null, 'ratio: 100=5; 90=2.5; 0=0'],
      ['2.2', 'Tiêu chí 2.2', 5, 0, 'appraiser', 'NV', 'no', null, null],
      ['2.3', 'Điểm trừ', 0, -2, 'self', null, 'no', null, null],
    ],
    scores: [
      ['unit_code', 'criterion_code', 'self_score', 'appraised_score', 'not_applicable', 'explanation', 'reason'],
      ['xa-a', '1.1', 4, 3.5, 'no', 'Kế hoạch số 12/KH-UBND, trang 2', 'Thiếu một tài liệu'],
      ['xa-a', '1.2', 6, 6, 'no', null, null],
      ['xa-a', '2.1', 5, 5, 'no', null, null],
      ['xa-a', '2.2', null, 4, 'no', null, null],
      ['xa-a', '2.3', null, -1, 'no', null, null],
      ['xa-b', '1.1', null, null, 'yes', null, null],
      ['xa-b', '1.2', 5, 4.75, 'no', null, null],
      ['xa-b', '2.1', 2.5, 2.5, 'no', null, null],
      ['xa-b', '2.2', null, 3, 'no', null, null],
      ['xa-b', '2.3', null, 0, 'no', null, null],
    ],
    survey: [
      ['unit_code', 'respondents', 'satisfied_answers', 'questions_per_respondent'],
      ['xa-a', 50, 380, 8],
      ['xa-b', 40, 300, null],
    ],
    components: [
      ['unit_code', 'appraisal', 'survey'],
      ['huyen-thu', 60.5, 25],
    ],
  };
}

/** Sets one cell by spreadsheet row number and header name (adding the row when it is just past the end). */
export function setCell(sheets: Sheets, sheet: string, row: number, column: string, value: ExcelJS.CellValue): void {
  const rows = sheets[sheet]!;
  const index = rows[0]!.indexOf(column);
  if (index < 0) throw new Error(`no column ${column} in ${sheet}`);
  rows[row - 1] ??= [];
  rows[row - 1]![index] = value;
}

/** Every sheet's cell values, as plain JSON, for comparing two workbooks. */
export async function cellValues(data: Uint8Array): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ExcelJS.Buffer);
  const sheets: Record<string, unknown[][]> = {};
  for (const sheet of book.worksheets) {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      rows[number - 1] = Array.from((row.values as unknown[]).slice(1), (value) =>
        JSON.parse(JSON.stringify(value ?? null)),
      );
    });
    sheets[sheet.name] = rows;
  }
  return sheets;
}

const countedTables = [
  'campaign',
  'unit',
  'agency',
  'criteria_set',
  'criterion',
  'campaign_unit',
  'self_assessment',
  'criterion_score',
  'appraisal',
  'survey_result',
  'component_points',
  'audit_event',
];

/** Row counts of every table an import writes to: the proof that a refused import changed nothing. */
export async function tableCounts(orm: MikroORM): Promise<Record<string, number>> {
  const [row] = await orm.em
    .getConnection()
    .execute<Record<string, number>[]>(
      `select ${countedTables.map((table) => `(select count(*)::int from ${table}) as ${table}`).join(', ')}`,
    );
  return row!;
}
