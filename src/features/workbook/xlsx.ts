// Writing an in-memory campaign as a workbook: the inverse of read.ts, sheet for sheet and column for column.
import ExcelJS from 'exceljs';
import { type Dec, format } from '../../domain/decimal.ts';
import { formatBands, formatComposition } from '../../domain/rules-text.ts';
import {
  type CampaignKey,
  type CampaignWorkbook,
  type SheetName,
  campaignKeyDescriptions,
  campaignKeys,
  guideSheetName,
  sheetNames,
  sheetSpecs,
} from './format.ts';

type Value = string | number | null;
type Row = Record<string, Value>;

const number = (value: Dec | null): number | null => (value === null ? null : Number(format(value)));
const text = (value: string | null): string | null => (value ? value : null);
const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const dayMonthYear = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : null);

function addTable(
  book: ExcelJS.Workbook,
  sheet: SheetName,
  rows: Row[],
  columns = sheetSpecs[sheet].columns.map((column) => column.name),
): void {
  const worksheet = book.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.addRow(columns).font = { bold: true };
  for (const row of rows) worksheet.addRow(columns.map((column) => row[column] ?? null));
  columns.forEach((name, index) => {
    const longest = Math.max(name.length, ...rows.map((row) => String(row[name] ?? '').length));
    worksheet.getColumn(index + 1).width = Math.min(Math.max(longest + 2, 10), 60);
  });
}

function addGuide(book: ExcelJS.Workbook): void {
  const guide = book.addWorksheet(guideSheetName);
  guide.addRow(['Hướng dẫn điền tệp kỳ đánh giá']).font = { bold: true, size: 14 };
  guide.addRow([
    'Mỗi trang tính là một phần của kỳ đánh giá. Giữ nguyên tên trang tính và tên cột (tiếng Anh, chữ thường); giá trị viết tiếng Việt. ' +
      'Số thập phân viết 1,5 hoặc 1.5; ngày viết dd/mm/yyyy; có/không viết có, không, yes hoặc no. Dòng đầu mỗi trang là tên cột, ' +
      'dòng thứ hai là ví dụ: sửa hoặc xóa đi. Tệp có lỗi thì không nhập gì cả. Trang hướng dẫn này được bỏ qua khi nhập.',
  ]);
  for (const sheet of sheetNames) {
    const spec = sheetSpecs[sheet];
    guide.addRow([]);
    guide.addRow([sheet, spec.description]).font = { bold: true };
    const entries =
      sheet === 'campaign'
        ? campaignKeys.map((key: CampaignKey) => [key, campaignKeyDescriptions[key]])
        : spec.columns.map((column) => [column.name, `${column.required ? 'Bắt buộc. ' : ''}${column.description}`]);
    for (const [name, description] of entries) guide.addRow(['', name, description]);
    if (sheet === 'components')
      guide.addRow(['', 'appraisal, survey…', 'Mỗi khóa của composition một cột: điểm của thành phần đó']);
  }
  guide.getColumn(1).width = 14;
  guide.getColumn(2).width = 26;
  guide.getColumn(3).width = 110;
}

/** The workbook of a campaign; with `guide`, a first sheet explaining the columns (the importer skips it). */
export async function writeWorkbook(workbook: CampaignWorkbook, opts: { guide?: boolean } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  if (opts.guide) addGuide(book);
  const { campaign } = workbook;
  const settings: Record<CampaignKey, Value> = {
    code: campaign.code,
    name: campaign.name,
    year: campaign.year,
    organizer: campaign.organizer,
    decision: text(campaign.decision),
    composition: formatComposition(campaign.composition),
    bands: formatBands(campaign.bands),
    self_assessment_opens: dayMonthYear(campaign.selfAssessmentOpens),
    self_assessment_closes: dayMonthYear(campaign.selfAssessmentCloses),
    appraisal_opens: dayMonthYear(campaign.appraisalOpens),
    appraisal_closes: dayMonthYear(campaign.appraisalCloses),
    publish_by: dayMonthYear(campaign.publishBy),
    precision: campaign.precision,
    rounding: campaign.rounding,
  };
  addTable(
    book,
    'campaign',
    campaignKeys.map((key) => ({ key, value: settings[key] })),
  );
  addTable(
    book,
    'agencies',
    workbook.agencies.map((agency) => ({ ...agency })),
  );
  // The columns of the two-tier units are written when a unit uses them (always in the template), so older campaigns
  // export as they were.
  const unitColumns = sheetSpecs.units.columns
    .map((column) => column.name)
    .filter(
      (name) =>
        opts.guide ||
        ((name !== 'block' || workbook.units.some((unit) => unit.block !== null)) &&
          (name !== 'official_code' || workbook.units.some((unit) => unit.officialCode !== null)) &&
          (name !== 'predecessor_codes' || workbook.units.some((unit) => unit.predecessorCodes.length > 0))),
    );
  addTable(
    book,
    'units',
    workbook.units.map((unit) => ({
      code: unit.code,
      name: unit.name,
      kind: text(unit.kind),
      parent_code: unit.parentCode,
      block: unit.block,
      official_code: unit.officialCode,
      predecessor_codes: unit.predecessorCodes.length ? unit.predecessorCodes.join('; ') : null,
    })),
    unitColumns,
  );
  addTable(
    book,
    'criteria',
    workbook.criteria.map((criterion) => ({
      code: criterion.code,
      title: criterion.title,
      max_score: number(criterion.maxScore),
      min_score: number(criterion.minScore),
      kind: criterion.kind,
      agency_code: criterion.agencyCode,
      evidence_required: yesNo(criterion.evidenceRequired),
      guidance: text(criterion.guidance),
      scoring: criterion.scoring,
    })),
  );
  addTable(
    book,
    'scores',
    workbook.scores.map((score) => ({
      unit_code: score.unitCode,
      criterion_code: score.criterionCode,
      self_score: number(score.selfScore),
      appraised_score: number(score.appraisedScore),
      not_applicable: yesNo(score.notApplicable),
      explanation: text(score.explanation),
      reason: text(score.reason),
    })),
  );
  addTable(
    book,
    'survey',
    workbook.survey.map((survey) => ({
      unit_code: survey.unitCode,
      respondents: survey.respondents,
      satisfied_answers: survey.satisfiedAnswers,
      questions_per_respondent: survey.questionsPerRespondent,
    })),
  );
  const keys = campaign.composition.map((part) => part.key);
  addTable(
    book,
    'components',
    workbook.components.map((row) => ({
      unit_code: row.unitCode,
      ...Object.fromEntries(keys.map((key) => [key, number(row.points[key] ?? null)])),
    })),
    ['unit_code', ...keys],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
