// A stored campaign as a workbook, and the blank template: both through the one writer in xlsx.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CriterionKind } from '../../db/entities/criteria.ts';
import { type Precision, type Rounding, dec } from '../../domain/decimal.ts';
import type { BandRule, CompositionPart } from '../../domain/rules-text.ts';
import { effectiveMaxScores, parentCode } from '../../domain/scoring.ts';
import type { CampaignWorkbook, WorkbookAgency, WorkbookComponents } from './format.ts';
import { writeWorkbook } from './xlsx.ts';

interface CampaignRow {
  id: number;
  code: string;
  name: string;
  year: number;
  organizer: string;
  decision: string;
  composition: CompositionPart[];
  bands: BandRule[];
  precision: Precision;
  rounding: Rounding;
  criteria_set_id: number;
  self_assessment_opens: string | null;
  self_assessment_closes: string | null;
  appraisal_opens: string | null;
  appraisal_closes: string | null;
  publish_by: string | null;
}

interface CriterionRow {
  code: string;
  title: string;
  max_score: string;
  min_score: string;
  kind: CriterionKind;
  evidence_required: boolean;
  guidance: string;
  scoring: string | null;
  agency_code: string | null;
  agency_name: string | null;
  parent_agency_code: string | null;
}

const isoDate = (column: string) => `to_char(${column}, 'YYYY-MM-DD') as ${column}`;
const optionalDec = (value: string | null) => (value === null ? null : dec(value));

/** The campaign as its workbook carries it, or null when there is no campaign with this code. */
export async function loadCampaignWorkbook(em: EntityManager, code: string): Promise<CampaignWorkbook | null> {
  const [campaign] = await em.execute<CampaignRow[]>(
    `select id, code, name, year, organizer, decision, composition, bands, precision, rounding, criteria_set_id,
            ${['self_assessment_opens', 'self_assessment_closes', 'appraisal_opens', 'appraisal_closes', 'publish_by'].map(isoDate).join(', ')}
       from campaign where code = ?`,
    [code],
  );
  if (!campaign) return null;

  const criteriaRows = await em.execute<CriterionRow[]>(
    `select c.code, c.title, c.max_score, c.min_score, c.kind, c.evidence_required, c.guidance, c.scoring,
            a.code as agency_code, a.name as agency_name, pa.code as parent_agency_code
       from criterion c
       left join agency a on a.id = c.agency_id
       left join criterion p on p.id = c.parent_id
       left join agency pa on pa.id = p.agency_id
      where c.criteria_set_id = ?
      order by c.position, c.id`,
    [campaign.criteria_set_id],
  );
  const parents = new Set(criteriaRows.map((row) => parentCode(row.code)));
  const nodes = criteriaRows.map((row) => ({
    code: row.code,
    title: row.title,
    // Parents are written as the sum of their children, which the importer checks; a stale stored sum cannot leak out.
    maxScore: parents.has(row.code) ? null : dec(row.max_score),
    minScore: dec(row.min_score),
    kind: row.kind,
  }));
  const maxima = effectiveMaxScores(nodes);
  const agencies = new Map<string, WorkbookAgency>();
  for (const row of criteriaRows)
    if (row.agency_code && !agencies.has(row.agency_code))
      agencies.set(row.agency_code, { code: row.agency_code, name: row.agency_name! });

  // Campaign units in the order they were added, which for an imported campaign is the order of its sheet.
  const unitOrder = 'left join campaign_unit cu on cu.campaign_id = ? and cu.unit_id = u.id';
  const units = await em.execute<
    {
      code: string;
      name: string;
      kind: string;
      parent_code: string | null;
      block: string | null;
      official_code: string | null;
      predecessor_codes: string[];
    }[]
  >(
    `select u.code, u.name, u.kind, p.code as parent_code, cu.block, u.official_code,
            array(select pu.code from unit_predecessor up join unit pu on pu.id = up.predecessor_id
                   where up.unit_id = u.id order by pu.code) as predecessor_codes
       from campaign_unit cu join unit u on u.id = cu.unit_id left join unit p on p.id = u.parent_id
      where cu.campaign_id = ? order by cu.id`,
    [campaign.id],
  );
  const scores = await em.execute<
    {
      unit_code: string;
      criterion_code: string;
      self_score: string | null;
      appraised_score: string | null;
      not_applicable: boolean;
      explanation: string;
      reason: string | null;
    }[]
  >(
    `select u.code as unit_code, c.code as criterion_code, cs.self_score, a.appraised_score, cs.not_applicable, cs.explanation, a.reason
       from criterion_score cs
       join self_assessment sa on sa.id = cs.self_assessment_id
       join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
       left join appraisal a on a.criterion_score_id = cs.id
       ${unitOrder}
      where sa.campaign_id = ?
      order by cu.id, u.code, c.position, c.id`,
    [campaign.id, campaign.id],
  );
  const survey = await em.execute<
    { unit_code: string; respondents: number; satisfied_answers: number; questions_per_respondent: number }[]
  >(
    `select u.code as unit_code, s.respondents, s.satisfied_answers, s.questions_per_respondent
       from survey_result s join unit u on u.id = s.unit_id ${unitOrder}
      where s.campaign_id = ? order by cu.id, u.code`,
    [campaign.id, campaign.id],
  );
  const points = await em.execute<{ unit_code: string; key: string; points: string }[]>(
    `select u.code as unit_code, k.key, k.points
       from component_points k join unit u on u.id = k.unit_id ${unitOrder}
      where k.campaign_id = ? order by cu.id, u.code`,
    [campaign.id, campaign.id],
  );
  const components = new Map<string, WorkbookComponents>();
  for (const row of points) {
    const entry = components.get(row.unit_code) ?? { unitCode: row.unit_code, points: {} };
    entry.points[row.key] = dec(row.points);
    components.set(row.unit_code, entry);
  }

  return {
    campaign: {
      code: campaign.code,
      name: campaign.name,
      year: campaign.year,
      organizer: campaign.organizer,
      decision: campaign.decision,
      composition: campaign.composition,
      bands: campaign.bands,
      selfAssessmentOpens: campaign.self_assessment_opens,
      selfAssessmentCloses: campaign.self_assessment_closes,
      appraisalOpens: campaign.appraisal_opens,
      appraisalCloses: campaign.appraisal_closes,
      publishBy: campaign.publish_by,
      precision: campaign.precision,
      rounding: campaign.rounding,
    },
    agencies: [...agencies.values()],
    units: units.map((unit) => ({
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      parentCode: unit.parent_code,
      block: unit.block,
      officialCode: unit.official_code,
      predecessorCodes: unit.predecessor_codes,
    })),
    criteria: criteriaRows.map((row, index) => ({
      code: row.code,
      title: row.title,
      maxScore: maxima.get(row.code)!,
      minScore: nodes[index]!.minScore,
      kind: row.kind,
      // Written only where it differs from the parent's, as the importer's inheritance reads it back.
      agencyCode: row.agency_code === row.parent_agency_code ? null : row.agency_code,
      evidenceRequired: row.evidence_required,
      guidance: row.guidance,
      scoring: row.scoring,
    })),
    scores: scores.map((row) => ({
      unitCode: row.unit_code,
      criterionCode: row.criterion_code,
      selfScore: optionalDec(row.self_score),
      appraisedScore: optionalDec(row.appraised_score),
      notApplicable: row.not_applicable,
      explanation: row.explanation,
      reason: row.reason ?? '',
    })),
    survey: survey.map((row) => ({
      unitCode: row.unit_code,
      respondents: row.respondents,
      satisfiedAnswers: row.satisfied_answers,
      questionsPerRespondent: row.questions_per_respondent,
    })),
    components: [...components.values()],
  };
}

/** The campaign's workbook (.xlsx), or null when there is no campaign with this code. */
export async function exportWorkbook(em: EntityManager, code: string): Promise<Buffer | null> {
  const workbook = await loadCampaignWorkbook(em, code);
  return workbook && writeWorkbook(workbook);
}

/** One example row in every sheet; importing it unchanged works, which keeps the example honest. */
export const templateExample: CampaignWorkbook = {
  campaign: {
    code: 'vi-du-2025',
    name: 'Chỉ số CCHC các xã, thị trấn năm 2025',
    year: 2025,
    organizer: 'UBND huyện Ví Dụ',
    decision: 'Kế hoạch số 142/KH-UBND',
    composition: [
      { key: 'appraisal', max: '70' },
      { key: 'survey', max: '30' },
    ],
    bands: [
      { name: 'Xuất sắc', min: '95' },
      { name: 'Tốt', min: '85' },
      { name: 'Khá', min: '75' },
      { name: 'Trung bình', min: '70' },
      { name: 'Yếu', min: '0' },
    ],
    selfAssessmentOpens: '2025-12-12',
    selfAssessmentCloses: '2025-12-20',
    appraisalOpens: '2025-12-23',
    appraisalCloses: '2025-12-27',
    publishBy: '2026-01-15',
    precision: 2,
    rounding: 'half-up',
  },
  agencies: [{ code: 'NV', name: 'Phòng Nội vụ' }],
  units: [
    {
      code: 'xa-vi-du',
      name: 'Xã Ví Dụ',
      kind: 'xã',
      parentCode: null,
      block: 'Xã, đặc khu',
      officialCode: '00004',
      predecessorCodes: [],
    },
  ],
  criteria: [
    {
      code: '1',
      title: 'Công tác chỉ đạo, điều hành cải cách hành chính',
      maxScore: null,
      minScore: dec(0),
      kind: 'self',
      agencyCode: 'NV',
      evidenceRequired: false,
      guidance: '',
      scoring: null,
    },
    {
      code: '1.1',
      title: 'Ban hành kế hoạch cải cách hành chính năm',
      maxScore: dec(1),
      minScore: dec(0),
      kind: 'self',
      agencyCode: null,
      evidenceRequired: true,
      guidance: 'Ban hành đúng hạn: 1 điểm; chậm hoặc không ban hành: 0 điểm',
      scoring: 'levels: Có=1; Không=0',
    },
  ],
  scores: [
    {
      unitCode: 'xa-vi-du',
      criterionCode: '1.1',
      selfScore: dec(1),
      appraisedScore: dec('0.5'),
      notApplicable: false,
      explanation: 'Kế hoạch số 12/KH-UBND, trang 2',
      reason: 'Ban hành chậm 5 ngày',
    },
  ],
  survey: [{ unitCode: 'xa-vi-du', respondents: 50, satisfiedAnswers: 380, questionsPerRespondent: 8 }],
  components: [{ unitCode: 'xa-vi-du', points: { appraisal: dec('52.5'), survey: dec('28.5') } }],
};

/** The blank workbook people start from: a guide sheet, then every sheet with its header and one example row. */
export function workbookTemplate(): Promise<Buffer> {
  return writeWorkbook(templateExample, { guide: true });
}
