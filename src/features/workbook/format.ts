// The campaign workbook (docs/workbook.md): its sheets and columns, the in-memory campaign it carries, and the
// issues found in it. The reader, the writer, the template and its guide sheet all take their names from here.
import type { CriterionKind } from '../../db/entities/criteria.ts';
import type { Dec, Precision, Rounding } from '../../domain/decimal.ts';
import type { Language } from '../../domain/language.ts';
import { spell, type Message } from '../../domain/message.ts';
import type { BandRule, CompositionPart } from '../../domain/rules-text.ts';
import { translator, type MessageKey } from '../../i18n/catalog.ts';

export interface WorkbookCampaign {
  code: string;
  name: string;
  year: number;
  organizer: string;
  decision: string;
  composition: CompositionPart[];
  bands: BandRule[];
  /** ISO dates (yyyy-mm-dd). */
  selfAssessmentOpens: string | null;
  selfAssessmentCloses: string | null;
  appraisalOpens: string | null;
  appraisalCloses: string | null;
  publishBy: string | null;
  precision: Precision;
  rounding: Rounding;
}

export interface WorkbookAgency {
  code: string;
  name: string;
}

export interface WorkbookUnit {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  /** The block (khối) it is ranked in; every unit of a campaign has one, or none does. */
  block: string | null;
  /** The official administrative code (mã đơn vị hành chính), digits as text. */
  officialCode: string | null;
  /** Codes of the units it continues (merged from, or its former self), already in the portal. */
  predecessorCodes: string[];
}

export interface WorkbookCriterion {
  code: string;
  title: string;
  /** As written: null on a parent means the sum of its children. */
  maxScore: Dec | null;
  minScore: Dec;
  kind: CriterionKind;
  /** As written: null inherits the parent's agency. */
  agencyCode: string | null;
  evidenceRequired: boolean;
  guidance: string;
  scoring: string | null;
}

export interface WorkbookScore {
  unitCode: string;
  criterionCode: string;
  selfScore: Dec | null;
  appraisedScore: Dec | null;
  notApplicable: boolean;
  explanation: string;
  reason: string;
}

export interface WorkbookSurvey {
  unitCode: string;
  respondents: number;
  satisfiedAnswers: number;
  questionsPerRespondent: number;
}

export interface WorkbookComponents {
  unitCode: string;
  /** By component key, in composition order. */
  points: Record<string, Dec>;
}

/** One campaign, as a workbook carries it: sheet by sheet, rows in sheet order. */
export interface CampaignWorkbook {
  campaign: WorkbookCampaign;
  agencies: WorkbookAgency[];
  units: WorkbookUnit[];
  criteria: WorkbookCriterion[];
  scores: WorkbookScore[];
  survey: WorkbookSurvey[];
  components: WorkbookComponents[];
}

/** Something wrong (or, as a warning, ignored) in a workbook; row is the spreadsheet's own 1-based number. */
export interface WorkbookIssue {
  sheet: string | null;
  row: number | null;
  column: string | null;
  message: Message;
}

/** `criteria, dòng 7, cột max_score: …` (`criteria, row 7, column max_score: …`): an issue as one line, in `lang`. */
export function formatIssue(issue: WorkbookIssue, lang: Language): string {
  const t = translator(lang);
  const where = [
    issue.sheet,
    issue.row === null ? null : t('workbook.issue.row', { row: issue.row }),
    issue.column === null ? null : t('workbook.issue.column', { column: issue.column }),
  ]
    .filter((part) => part !== null)
    .join(', ');
  const message = spell(issue.message, (key, params) => t(key as MessageKey, params));
  return where ? `${where}: ${message}` : message;
}

export const sheetNames = ['campaign', 'agencies', 'units', 'criteria', 'scores', 'survey', 'components'] as const;
export type SheetName = (typeof sheetNames)[number];

/** In the order a reader goes through the file: sheet by sheet, row by row (what concerns the whole file first). */
export function inSheetOrder(issues: readonly WorkbookIssue[]): WorkbookIssue[] {
  const rank = (issue: WorkbookIssue) =>
    issue.sheet === null ? -1 : (sheetNames as readonly string[]).indexOf(issue.sheet.toLowerCase());
  return [...issues].sort((a, b) => rank(a) - rank(b) || (a.row ?? 0) - (b.row ?? 0));
}

/** The template's guide; the importer skips it without a warning (and the name older templates gave it). */
export const guideSheetName = 'Hướng dẫn';
export const oldGuideSheetName = 'huong-dan';

export interface ColumnSpec {
  name: string;
  required: boolean;
  description: string;
}

export interface SheetSpec {
  required: boolean;
  description: string;
  columns: ColumnSpec[];
}

const column = (name: string, description: string, required = false): ColumnSpec => ({ name, required, description });

/** The fixed columns of each sheet; `components` adds one column per component key of the composition. */
export const sheetSpecs: Record<SheetName, SheetSpec> = {
  campaign: {
    required: true,
    description: 'Thông tin kỳ đánh giá: mỗi dòng một khóa (key) và giá trị (value), xem bảng khóa bên dưới.',
    columns: [column('key', 'Tên khóa, viết thường, tiếng Anh', true), column('value', 'Giá trị của khóa', true)],
  },
  agencies: {
    required: false,
    description: 'Các cơ quan thẩm định (Phòng Nội vụ, Phòng Tư pháp…). Không bắt buộc.',
    columns: [column('code', 'Mã cơ quan, duy nhất', true), column('name', 'Tên cơ quan', true)],
  },
  units: {
    required: true,
    description:
      'Các đơn vị được đánh giá trong kỳ (xã, thị trấn, sở, huyện…). Mọi đơn vị trong trang này đều được đánh giá.',
    columns: [
      column('code', 'Mã đơn vị, duy nhất', true),
      column('name', 'Tên đơn vị', true),
      column(
        'kind',
        'Loại đơn vị: xã, phường, đặc khu, thị trấn, sở, ban, ngành, UBND huyện…; loại mới được thêm vào danh sách',
      ),
      column('parent_code', 'Mã đơn vị cấp trên (trong tệp hoặc đã có trên hệ thống); để trống nếu không có'),
      column(
        'block',
        'Khối xếp hạng (ví dụ Phường; Xã, đặc khu): xếp hạng riêng trong từng khối; mọi đơn vị đều có khối, hoặc không đơn vị nào có',
      ),
      column('official_code', 'Mã đơn vị hành chính chính thức (chữ số, ví dụ 00004); không bắt buộc'),
      column(
        'predecessor_codes',
        'Mã các đơn vị mà đơn vị này kế thừa (sáp nhập từ, hoặc mã cũ khi đổi tên), cách nhau bởi dấu ;, đã có trên hệ thống',
      ),
    ],
  },
  criteria: {
    required: true,
    description:
      'Bộ tiêu chí: lĩnh vực → tiêu chí → tiêu chí thành phần, mã dạng 1, 1.1, 3.2.6; phải có đủ tiêu chí cha.',
    columns: [
      column('code', 'Mã tiêu chí dạng 1, 1.1, 3.2.6; cha của 3.2.6 là 3.2', true),
      column('title', 'Tên tiêu chí', true),
      column(
        'max_score',
        'Điểm tối đa; bắt buộc với tiêu chí lá; ở tiêu chí cha (nếu ghi) phải bằng tổng các tiêu chí con',
        true,
      ),
      column('min_score', 'Điểm tối thiểu, mặc định 0; tiêu chí điểm trừ có điểm tối thiểu âm và điểm tối đa 0'),
      column(
        'kind',
        'self (tự đánh giá rồi thẩm định, mặc định), survey (lấy từ khảo sát), appraiser (chỉ cơ quan thẩm định chấm)',
      ),
      column(
        'agency_code',
        'Mã cơ quan thẩm định; ghi ở lĩnh vực thì các tiêu chí con thừa hưởng, trừ khi ghi cơ quan khác',
      ),
      column('evidence_required', 'Có bắt buộc tài liệu kiểm chứng không: có/không (yes/no)'),
      column('guidance', 'Hướng dẫn chấm điểm'),
      column(
        'scoring',
        'Cách tính điểm (chỉ tiêu chí lá): để trống = đơn vị nhập điểm; levels: Có=1; Không=0; ratio: 100=1; 90=0,5; 0=0; proportional',
      ),
    ],
  },
  scores: {
    required: false,
    description: 'Điểm của năm trước hoặc dữ liệu chuyển đổi: mỗi dòng một đơn vị và một tiêu chí lá.',
    columns: [
      column('unit_code', 'Mã đơn vị (trong trang units)', true),
      column('criterion_code', 'Mã tiêu chí lá', true),
      column('self_score', 'Điểm tự đánh giá'),
      column('appraised_score', 'Điểm thẩm định'),
      column(
        'not_applicable',
        'Không áp dụng: có/không (yes/no); tiêu chí không áp dụng ra khỏi điểm tối đa của đơn vị',
      ),
      column('explanation', 'Giải trình của đơn vị'),
      column('reason', 'Lý do điểm thẩm định khác điểm tự đánh giá'),
    ],
  },
  survey: {
    required: false,
    description:
      'Kết quả khảo sát sự hài lòng: điểm = số câu hài lòng ÷ (số phiếu × số câu mỗi phiếu) × điểm tối đa của thành phần.',
    columns: [
      column('unit_code', 'Mã đơn vị (trong trang units)', true),
      column('respondents', 'Số người trả lời (số phiếu)', true),
      column('satisfied_answers', 'Số câu trả lời "hài lòng" và "rất hài lòng"', true),
      column('questions_per_respondent', 'Số câu hỏi mỗi phiếu, mặc định 8'),
    ],
  },
  components: {
    required: false,
    description:
      'Điểm thành phần đã biết của năm trước, trên thang 100; mỗi khóa thành phần của composition một cột. Có dòng này thì không cần scores/survey của đơn vị.',
    columns: [column('unit_code', 'Mã đơn vị (trong trang units)', true)],
  },
};

export const campaignKeys = [
  'code',
  'name',
  'year',
  'organizer',
  'decision',
  'composition',
  'bands',
  'self_assessment_opens',
  'self_assessment_closes',
  'appraisal_opens',
  'appraisal_closes',
  'publish_by',
  'precision',
  'rounding',
] as const;
export type CampaignKey = (typeof campaignKeys)[number];

export const campaignKeyDescriptions: Record<CampaignKey, string> = {
  code: 'Bắt buộc. Mã kỳ đánh giá, duy nhất, chỉ gồm a-z, 0-9 và dấu gạch ngang (ví dụ truc-ninh-2024)',
  name: 'Bắt buộc. Tên kỳ đánh giá',
  year: 'Bắt buộc. Năm đánh giá',
  organizer: 'Bắt buộc. Cơ quan tổ chức đánh giá',
  decision: 'Văn bản (kế hoạch, quyết định) ban hành bộ tiêu chí',
  composition:
    'Bắt buộc. Các thành phần điểm dạng khóa:điểm tối đa, cộng lại bằng 100 (appraisal:70,survey:30 hoặc appraisal:100)',
  bands: 'Bắt buộc. Các mức xếp loại dạng tên:ngưỡng dưới, từ cao xuống thấp, ngưỡng cuối là 0',
  self_assessment_opens: 'Ngày mở tự đánh giá (dd/mm/yyyy)',
  self_assessment_closes: 'Hạn tự đánh giá (dd/mm/yyyy)',
  appraisal_opens: 'Ngày bắt đầu thẩm định (dd/mm/yyyy)',
  appraisal_closes: 'Hạn thẩm định (dd/mm/yyyy)',
  publish_by: 'Hạn công bố (dd/mm/yyyy)',
  precision: 'Số chữ số thập phân của điểm: 2 (mặc định) hoặc 3',
  rounding: 'Cách làm tròn: half-up (làm tròn, mặc định) hoặc down (cắt bỏ)',
};
