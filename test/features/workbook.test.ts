import { readFile } from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, toJsonNumber } from '../../src/domain/decimal.ts';
import { translateMessage } from '../../src/http/forms.ts';
import { translator } from '../../src/i18n/catalog.ts';
import { computeResults, effectiveMaxScores, type ScoringInput } from '../../src/domain/scoring.ts';
import {
  type CampaignWorkbook,
  exportWorkbook,
  formatIssue,
  importWorkbook,
  loadCampaignWorkbook,
  readWorkbook,
  workbookTemplate,
} from '../../src/features/workbook/index.ts';
import { freshOrm } from '../helpers/db.ts';
import {
  type Sheets,
  buildWorkbook,
  cellValues,
  samplesDir,
  setCell,
  tableCounts,
  validSheets,
} from '../helpers/workbook.ts';

let orm: MikroORM;
beforeAll(async () => {
  orm = await freshOrm();
});
afterAll(async () => {
  await orm.close();
});

const withoutResults = (sheets: Sheets): Sheets => {
  delete sheets.scores;
  delete sheets.survey;
  delete sheets.components;
  return sheets;
};
const sample = (name: string) => readFile(new URL(`${name}.xlsx`, samplesDir));
const importInto = (target: MikroORM, data: Uint8Array) => importWorkbook(target.em.fork(), data, { actorId: null });
const query = <T = Record<string, unknown>>(target: MikroORM, sql: string, params: unknown[] = []) =>
  target.em.getConnection().execute<T[]>(sql, params);

async function imported(target: MikroORM, data: Uint8Array) {
  const result = await importInto(target, data);
  if (!result.ok) throw new Error(result.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
  return result;
}

/** What the scoring core makes of a workbook: the same rule the publication will apply to the stored campaign. */
function scoringInput(book: CampaignWorkbook): ScoringInput {
  const { campaign } = book;
  return {
    rules: {
      precision: campaign.precision,
      rounding: campaign.rounding,
      composition: campaign.composition.map((part) => ({ key: part.key, max: dec(part.max) })),
      bands: campaign.bands.map((band) => ({ name: band.name, min: dec(band.min) })),
    },
    criteria: book.criteria,
    units: book.units.map((unit) => {
      const scores = book.scores.filter((score) => score.unitCode === unit.code);
      const survey = book.survey.find((row) => row.unitCode === unit.code);
      return {
        code: unit.code,
        name: unit.name,
        scores: new Map(
          scores.map((score) => [score.criterionCode, { self: score.selfScore, appraised: score.appraisedScore }]),
        ),
        notApplicable: new Set(scores.filter((score) => score.notApplicable).map((score) => score.criterionCode)),
        survey,
        components: book.components.find((row) => row.unitCode === unit.code)?.points,
      };
    }),
  };
}

/** The stored campaign, by codes only (no ids, no timestamps), for comparing two databases. */
async function snapshot(target: MikroORM, code: string) {
  const of = (sql: string) => query(target, sql, [code]);
  const inCampaign = 'join campaign c on c.id = sa.campaign_id join unit u on u.id = sa.unit_id';
  return {
    campaign:
      await of(`select code, name, year, organizer, decision, composition, bands, precision, rounding, state, practice,
                               self_assessment_opens::text, self_assessment_closes::text, appraisal_opens::text, appraisal_closes::text, publish_by::text
                          from campaign where code = ?`),
    criteriaSet: await of(
      'select s.name, s.year, s.decision, s.locked from criteria_set s join campaign c on c.criteria_set_id = s.id where c.code = ?',
    ),
    criteria:
      await of(`select k.position, k.code, k.title, p.code as parent, k.max_score, k.min_score, k.kind, a.code as agency, a.name as agency_name,
                               k.evidence_required, k.guidance, k.scoring
                          from criterion k join campaign c on c.criteria_set_id = k.criteria_set_id
                          left join criterion p on p.id = k.parent_id left join agency a on a.id = k.agency_id
                         where c.code = ? order by k.position`),
    units:
      await of(`select u.code, u.name, u.kind, p.code as parent from campaign_unit cu join campaign c on c.id = cu.campaign_id
                       join unit u on u.id = cu.unit_id left join unit p on p.id = u.parent_id where c.code = ? order by u.code`),
    selfAssessments: await of(
      `select u.code, sa.state, sa.submitted_at is not null as submitted from self_assessment sa ${inCampaign} where c.code = ? order by u.code`,
    ),
    scores:
      await of(`select u.code as unit, k.code as criterion, cs.self_score, cs.not_applicable, cs.explanation, a.appraised_score, a.reason, a.state
                        from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id ${inCampaign}
                        join criterion k on k.id = cs.criterion_id left join appraisal a on a.criterion_score_id = cs.id
                       where c.code = ? order by u.code, k.position`),
    survey: await of(`select u.code, s.respondents, s.satisfied_answers, s.questions_per_respondent from survey_result s
                        join campaign c on c.id = s.campaign_id join unit u on u.id = s.unit_id where c.code = ? order by u.code`),
    components: await of(`select u.code, k.key, k.points from component_points k join campaign c on c.id = k.campaign_id
                            join unit u on u.id = k.unit_id where c.code = ? order by u.code, k.key`),
  };
}

describe('the samples', () => {
  it('district 2020: imports every row as a past year ready for the council', async () => {
    const { summary, warnings } = await imported(orm, await sample('sample-district-2020'));
    expect(warnings).toEqual([]);
    expect(summary).toMatchObject({
      code: 'mau-2020',
      state: 'council-review',
      agencies: { created: 3, updated: 0 },
      units: { created: 10, updated: 0 },
      criteria: 25,
      scores: 180,
      survey: 10,
      components: 0,
    });
    const [campaign] = await query(
      orm,
      "select name, year, precision, rounding, composition, state from campaign where code = 'mau-2020'",
    );
    expect(campaign).toEqual({
      name: 'Chỉ số CCHC các xã năm 2020 (mẫu)',
      year: 2020,
      precision: 2,
      rounding: 'half-up',
      composition: [
        { key: 'appraisal', max: '70' },
        { key: 'survey', max: '30' },
      ],
      state: 'council-review',
    });
    const criteria = await query<{ code: string; max_score: string; agency: string; parent: string | null }>(
      orm,
      `select k.code, k.max_score, a.code as agency, p.code as parent from criterion k join campaign c on c.criteria_set_id = k.criteria_set_id
         left join agency a on a.id = k.agency_id left join criterion p on p.id = k.parent_id where c.code = 'mau-2020' order by k.position`,
    );
    expect(criteria.find((c) => c.code === '3')).toEqual({
      code: '3',
      max_score: '10.000',
      agency: 'NV',
      parent: null,
    });
    expect(criteria.find((c) => c.code === '6.2')).toEqual({
      code: '6.2',
      max_score: '2.000',
      agency: 'TCKH',
      parent: '6',
    });
    const [states] = await query(
      orm,
      `select count(*) filter (where a.state = 'accepted')::int as accepted, count(*) filter (where a.state = 'adjusted')::int as adjusted,
              count(*) filter (where cs.not_applicable)::int as not_applicable, count(distinct sa.id) filter (where sa.state = 'submitted')::int as submitted
         from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join campaign c on c.id = sa.campaign_id
         left join appraisal a on a.criterion_score_id = cs.id where c.code = 'mau-2020'`,
    );
    expect(states).toMatchObject({ not_applicable: 3, submitted: 10 });
    expect(Number(states!.accepted) + Number(states!.adjusted)).toBe(177);
    const [survey] = await query(
      orm,
      "select respondents, satisfied_answers, questions_per_respondent from survey_result s join unit u on u.id = s.unit_id where u.code = 'mau-10'",
    );
    expect(survey).toEqual({ respondents: 140, satisfied_answers: 761, questions_per_respondent: 8 });
    const [event] = await query(
      orm,
      "select action, entity_type, after from audit_event where action = 'campaign.imported' and after->>'code' = 'mau-2020'",
    );
    expect(event).toMatchObject({ action: 'campaign.imported', entity_type: 'Campaign', after: { scores: 180 } });
  });

  it('province 2023: keeps three decimals and truncation, and the department without procedures', async () => {
    const { summary } = await imported(orm, await sample('sample-province-2023'));
    expect(summary).toMatchObject({
      code: 'tinh-mau-2023',
      units: { created: 8 },
      criteria: 15,
      scores: 88,
      survey: 0,
      components: 0,
    });
    const [campaign] = await query(
      orm,
      "select precision, rounding, composition from campaign where code = 'tinh-mau-2023'",
    );
    expect(campaign).toEqual({ precision: 3, rounding: 'down', composition: [{ key: 'appraisal', max: '100' }] });
    const [score] = await query(
      orm,
      `select cs.self_score, a.appraised_score, a.state from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id join criterion k on k.id = cs.criterion_id left join appraisal a on a.criterion_score_id = cs.id
        where u.code = 'so-mau-1' and k.code = '1.2'`,
    );
    expect(score).toEqual({ self_score: '3.000', appraised_score: '2.883', state: 'adjusted' });
    const notApplicable = await query(
      orm,
      `select k.code from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
         join criterion k on k.id = cs.criterion_id where u.code = 'so-mau-7' and cs.not_applicable order by k.code`,
    );
    expect(notApplicable.map((row) => row.code)).toEqual(['2.1', '2.2', '2.3']);
  });

  it.each(['sample-district-2020', 'sample-province-2023'])(
    '%s: the stored campaign scores exactly as expected.json says',
    async (name) => {
      const code = name === 'sample-district-2020' ? 'mau-2020' : 'tinh-mau-2023';
      const stored = (await loadCampaignWorkbook(orm.em.fork(), code))!;
      const expected = JSON.parse(await readFile(new URL(`${name}.expected.json`, samplesDir), 'utf8')) as {
        code: string;
        index: number;
        rank: number;
        band: string;
      }[];
      const results = computeResults(scoringInput(stored));
      expect(
        results.map((r) => ({
          code: r.code,
          rank: r.rank,
          index: toJsonNumber(r.index, stored.campaign.precision),
          band: r.band,
        })),
      ).toEqual(expected.map(({ code: unit, rank, index, band }) => ({ code: unit, rank, index, band })));
    },
  );

  it('refuses a campaign code that exists, naming the cell, and changes nothing', async () => {
    const before = await tableCounts(orm);
    const result = await importInto(orm, await sample('sample-district-2020'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((issue) => formatIssue(issue, 'vi'))).toEqual([
      'campaign, dòng 2, cột code: kỳ đánh giá mã mau-2020 đã có trên hệ thống',
    ]);
    expect(await tableCounts(orm)).toEqual(before);
  });
});

describe('round trip', () => {
  it.each(['sample-district-2020', 'sample-province-2023'])(
    '%s: import → export → import elsewhere → export gives the same workbook and rows',
    async (name) => {
      const [first, second] = [await freshOrm(), await freshOrm()];
      try {
        const original = await sample(name);
        const { summary } = await imported(first, original);
        const exported = (await exportWorkbook(first.em.fork(), summary.code))!;
        await imported(second, exported);
        const again = (await exportWorkbook(second.em.fork(), summary.code))!;

        expect(await cellValues(again)).toEqual(await cellValues(exported));
        expect(await snapshot(second, summary.code)).toEqual(await snapshot(first, summary.code));

        // The export says what the sample said; only the parents' maxima, left empty there, are written out as sums.
        const read = await readWorkbook(original);
        if (!read.ok) throw new Error('sample unreadable');
        const maxima = effectiveMaxScores(read.workbook.criteria);
        const filled = {
          ...read.workbook,
          criteria: read.workbook.criteria.map((c) => ({ ...c, maxScore: maxima.get(c.code)! })),
        };
        expect(await loadCampaignWorkbook(second.em.fork(), summary.code)).toEqual(filled);
      } finally {
        await first.close();
        await second.close();
      }
    },
  );

  it('keeps a set-up without results as a draft, with agencies named only where they change', async () => {
    const sheets = withoutResults(validSheets('thu-nhap'));
    const { summary } = await imported(orm, await buildWorkbook(sheets));
    expect(summary.state).toBe('draft');
    const [set] = await query(
      orm,
      "select s.locked from criteria_set s join campaign c on c.criteria_set_id = s.id where c.code = 'thu-nhap'",
    );
    expect(set).toEqual({ locked: false });
    const stored = (await loadCampaignWorkbook(orm.em.fork(), 'thu-nhap'))!;
    expect(
      stored.criteria.map((c) => [c.code, c.agencyCode, c.maxScore === null ? null : Number(c.maxScore) / 1000]),
    ).toEqual([
      ['1', 'NV', 10],
      ['1.1', null, 4],
      ['1.2', null, 6],
      ['2', 'TP', 10],
      ['2.1', null, 5],
      ['2.2', 'NV', 5],
      ['2.3', null, 0],
    ]);
    const agencies = await query(
      orm,
      `select k.code, a.code as agency from criterion k join campaign c on c.criteria_set_id = k.criteria_set_id
         join agency a on a.id = k.agency_id where c.code = 'thu-nhap' order by k.position`,
    );
    expect(agencies.map((row) => row.agency)).toEqual(['NV', 'NV', 'NV', 'TP', 'TP', 'NV', 'TP']);
  });
});

describe('bad workbooks are refused whole, each error at its sheet, row and column', () => {
  const cases: [
    string,
    (s: Sheets) => void,
    { sheet: string; row: number | null; column: string | null; message?: string },
  ][] = [
    [
      'a missing parent',
      (s) => s.criteria!.push(['3.1', 'Không có cha', 2, 0, 'self', null, 'no', null, null]),
      { sheet: 'criteria', row: 9, column: 'code', message: 'thiếu tiêu chí cha 3 của 3.1' },
    ],
    [
      'a parent maximum that is not the sum of its children',
      (s) => setCell(s, 'criteria', 4, 'max_score', 5.5),
      {
        sheet: 'criteria',
        row: 2,
        column: 'max_score',
        message: 'điểm tối đa của 1 (10) khác tổng điểm tối đa các tiêu chí con (9,5)',
      },
    ],
    [
      'a duplicate unit code',
      (s) => s.units!.push(['xa-a', 'Xã A lần hai', 'xã', null]),
      { sheet: 'units', row: 5, column: 'code', message: 'mã đơn vị xa-a đã có ở dòng 3' },
    ],
    [
      'a duplicate criterion code',
      (s) => s.criteria!.push(['1.1', 'Lặp', 1, 0, 'self', null, 'no', null, null]),
      { sheet: 'criteria', row: 9, column: 'code' },
    ],
    [
      'text in a number column',
      (s) => setCell(s, 'scores', 2, 'self_score', 'bốn điểm'),
      {
        sheet: 'scores',
        row: 2,
        column: 'self_score',
        message: '«bốn điểm» không phải là số (tối đa 3 chữ số thập phân)',
      },
    ],
    [
      'text in a count column',
      (s) => setCell(s, 'survey', 3, 'respondents', '40,5'),
      { sheet: 'survey', row: 3, column: 'respondents' },
    ],
    [
      'an unknown unit',
      (s) => setCell(s, 'scores', 3, 'unit_code', 'xa-khong-co'),
      { sheet: 'scores', row: 3, column: 'unit_code', message: 'đơn vị xa-khong-co không có trong trang units' },
    ],
    [
      'an unknown criterion',
      (s) => setCell(s, 'scores', 3, 'criterion_code', '9.9'),
      { sheet: 'scores', row: 3, column: 'criterion_code' },
    ],
    [
      'a score on a parent',
      (s) => setCell(s, 'scores', 3, 'criterion_code', '1'),
      { sheet: 'scores', row: 3, column: 'criterion_code' },
    ],
    [
      'a score above the maximum',
      (s) => setCell(s, 'scores', 2, 'appraised_score', 4.5),
      { sheet: 'scores', row: 2, column: 'appraised_score', message: 'điểm thẩm định 4,5 phải từ 0 đến 4' },
    ],
    [
      'a deduction below its minimum',
      (s) => setCell(s, 'scores', 6, 'appraised_score', -3),
      { sheet: 'scores', row: 6, column: 'appraised_score' },
    ],
    [
      'more decimals than the campaign keeps',
      (s) => setCell(s, 'scores', 2, 'appraised_score', 3.125),
      { sheet: 'scores', row: 2, column: 'appraised_score', message: 'điểm thẩm định 3,125 có quá 2 chữ số thập phân' },
    ],
    [
      'a score on a not-applicable criterion',
      (s) => setCell(s, 'scores', 7, 'self_score', 1),
      { sheet: 'scores', row: 7, column: 'self_score' },
    ],
    [
      'a self-score on an appraiser-kind criterion',
      (s) => setCell(s, 'scores', 5, 'self_score', 4),
      { sheet: 'scores', row: 5, column: 'self_score' },
    ],
    [
      'a composition that does not add up to 100',
      (s) => setCell(s, 'campaign', 7, 'value', 'appraisal:70,survey:20'),
      { sheet: 'campaign', row: 7, column: 'composition', message: 'tổng điểm tối đa các thành phần phải bằng 100' },
    ],
    [
      'a component column outside the composition',
      (s) => setCell(s, 'components', 1, 'survey', 'khao_sat'),
      { sheet: 'components', row: 1, column: 'khao_sat' },
    ],
    [
      'component points above the component maximum',
      (s) => setCell(s, 'components', 2, 'survey', 31),
      { sheet: 'components', row: 2, column: 'survey' },
    ],
    [
      'a band list not ending at 0',
      (s) => setCell(s, 'campaign', 8, 'value', 'Tốt:85;Khá:50'),
      { sheet: 'campaign', row: 8, column: 'bands' },
    ],
    [
      'a missing required key',
      (s) => s.campaign!.splice(4, 1),
      { sheet: 'campaign', row: null, column: 'organizer', message: 'thiếu khóa organizer' },
    ],
    [
      'a missing required column',
      (s) => {
        for (const row of s.units!) row.splice(1, 1);
      },
      { sheet: 'units', row: 1, column: 'name', message: 'thiếu cột name' },
    ],
    [
      'a code with capitals',
      (s) => setCell(s, 'campaign', 2, 'value', 'Thu 2024'),
      { sheet: 'campaign', row: 2, column: 'code' },
    ],
    [
      'a wrong yes/no word',
      (s) => setCell(s, 'scores', 2, 'not_applicable', 'chắc có'),
      { sheet: 'scores', row: 2, column: 'not_applicable' },
    ],
    [
      'an impossible date',
      (s) => s.campaign!.push(['publish_by', '31/02/2025']),
      {
        sheet: 'campaign',
        row: 10,
        column: 'publish_by',
        message: '«31/02/2025» không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd)',
      },
    ],
    [
      'a scoring rule out of range',
      (s) => setCell(s, 'criteria', 4, 'scoring', 'levels: Có=7; Không=0'),
      { sheet: 'criteria', row: 4, column: 'scoring' },
    ],
    [
      'a parent unit nowhere to be found',
      (s) => setCell(s, 'units', 2, 'parent_code', 'tinh-khong-co'),
      {
        sheet: 'units',
        row: 2,
        column: 'parent_code',
        message: 'đơn vị cấp trên tinh-khong-co không có trong trang units và trên hệ thống',
      },
    ],
    [
      'units above each other',
      (s) => setCell(s, 'units', 2, 'parent_code', 'xa-a'),
      { sheet: 'units', row: 2, column: 'parent_code' },
    ],
    [
      'an agency nowhere to be found',
      (s) => setCell(s, 'criteria', 5, 'agency_code', 'KHONG-CO'),
      {
        sheet: 'criteria',
        row: 5,
        column: 'agency_code',
        message: 'cơ quan KHONG-CO không có trong trang agencies và trên hệ thống',
      },
    ],
    [
      'more satisfied answers than answers',
      (s) => setCell(s, 'survey', 2, 'satisfied_answers', 401),
      { sheet: 'survey', row: 2, column: 'satisfied_answers' },
    ],
  ];

  it.each(cases)('%s', async (_name, spoil, expected) => {
    const sheets = validSheets(`hong-${Math.random().toString(36).slice(2, 8)}`);
    spoil(sheets);
    const before = await tableCounts(orm);
    const result = await importInto(orm, await buildWorkbook(sheets));
    expect(await tableCounts(orm)).toEqual(before);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.errors.find(
      (error) => error.sheet === expected.sheet && error.row === expected.row && error.column === expected.column,
    );
    expect(found, result.errors.map((issue) => formatIssue(issue, 'vi')).join('\n')).toBeDefined();
    if (expected.message) expect(translateMessage(translator('vi'), found!.message)).toBe(expected.message);
  });

  it('collects every error in one pass', async () => {
    const sheets = validSheets('nhieu-loi');
    setCell(sheets, 'criteria', 4, 'max_score', 5.5);
    setCell(sheets, 'scores', 2, 'self_score', 'bốn');
    setCell(sheets, 'scores', 3, 'unit_code', 'xa-khong-co');
    setCell(sheets, 'survey', 2, 'respondents', -1);
    const result = await importInto(orm, await buildWorkbook(sheets));
    expect(!result.ok && result.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`)).toEqual(
      expect.arrayContaining([
        'criteria:2:max_score',
        'scores:2:self_score',
        'scores:3:unit_code',
        'survey:2:respondents',
      ]),
    );
  });

  it('reports an unreadable maximum once, without echoing it in the sums and ranges that depend on it', async () => {
    const sheets = validSheets('mot-loi');
    setCell(sheets, 'criteria', 4, 'max_score', 'sáu');
    const result = await importInto(orm, await buildWorkbook(sheets));
    expect(!result.ok && result.errors.map((issue) => formatIssue(issue, 'vi'))).toEqual([
      'criteria, dòng 4, cột max_score: «sáu» không phải là số (tối đa 3 chữ số thập phân)',
    ]);
  });

  it('refuses a file that is not a workbook, and a formula whose result was never computed', async () => {
    const notXlsx = await importInto(orm, Buffer.from('code,name\nxa-a,Xã A\n'));
    expect(!notXlsx.ok && notXlsx.errors.map((issue) => formatIssue(issue, 'vi'))).toEqual([
      'không đọc được tệp: cần một bảng tính Excel .xlsx',
    ]);

    const sheets = validSheets('cong-thuc');
    setCell(sheets, 'criteria', 2, 'max_score', { formula: 'SUM(C3:C4)' } as ExcelJS.CellFormulaValue);
    const result = await importInto(orm, await buildWorkbook(sheets));
    expect(!result.ok && result.errors.map((issue) => formatIssue(issue, 'vi'))).toEqual([
      'criteria, dòng 2, cột max_score: công thức chưa có kết quả tính; mở tệp bằng Excel hoặc LibreOffice và lưu lại',
    ]);
  });
});

describe('messy but valid input', () => {
  it('takes formulas, decimal commas, decomposed Vietnamese, CÓ/không, date cells, typed dates, rich text, spaces and empty rows', async () => {
    const sheets = validSheets('lon-xon-2024');
    const decomposed = (text: string) => `  ${text.normalize('NFD')}  `;
    setCell(sheets, 'campaign', 4, 'value', ' 2024 ');
    sheets.campaign!.push(
      ['self_assessment_opens', new Date(Date.UTC(2024, 11, 12))],
      ['self_assessment_closes', '20/12/2024'],
      ['appraisal_opens', '2024-12-23'],
      ['appraisal_closes', '27/12/2024 '],
      ['Rounding', ' DOWN '],
    );
    setCell(sheets, 'units', 3, 'name', decomposed('Xã Trực Hưng'));
    sheets.units!.splice(3, 0, [], [null, '   ', null, null]);
    setCell(sheets, 'criteria', 2, 'max_score', { formula: 'SUM(C3:C4)', result: 10 } as ExcelJS.CellFormulaValue);
    setCell(sheets, 'criteria', 3, 'title', {
      richText: [{ text: 'Tiêu chí ' }, { font: { bold: true }, text: 'in đậm' }],
    });
    setCell(sheets, 'criteria', 3, 'evidence_required', 'CÓ');
    setCell(sheets, 'criteria', 5, 'max_score', {
      formula: 'SUM(C6:C8)',
      result: 10.000000000000002,
    } as ExcelJS.CellFormulaValue);
    setCell(sheets, 'scores', 2, 'appraised_score', '3,5');
    setCell(sheets, 'scores', 3, 'appraised_score', ' 5.5 ');
    setCell(sheets, 'scores', 3, 'not_applicable', 'KHÔNG');
    setCell(sheets, 'scores', 7, 'not_applicable', decomposed('Có'));
    setCell(sheets, 'scores', 8, 'not_applicable', 'không');
    setCell(sheets, 'scores', 2, 'explanation', decomposed('Đã ban hành đúng hạn'));

    const result = await importInto(orm, await buildWorkbook(sheets));
    if (!result.ok) throw new Error(result.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
    expect(result.warnings).toEqual([]);
    expect(result.summary.units.created + result.summary.units.updated).toBe(3);

    const [campaign] = await query(
      orm,
      `select year, rounding, self_assessment_opens::text as opens, self_assessment_closes::text as closes,
              appraisal_opens::text as appraisal_opens, appraisal_closes::text as appraisal_closes from campaign where code = 'lon-xon-2024'`,
    );
    expect(campaign).toEqual({
      year: 2024,
      rounding: 'down',
      opens: '2024-12-12',
      closes: '2024-12-20',
      appraisal_opens: '2024-12-23',
      appraisal_closes: '2024-12-27',
    });
    const [unit] = await query(orm, "select name from unit where code = 'xa-a'");
    expect(unit!.name).toBe('Xã Trực Hưng'.normalize('NFC'));
    const criteria = await query(
      orm,
      `select k.code, k.title, k.max_score, k.evidence_required from criterion k join campaign c on c.criteria_set_id = k.criteria_set_id
        where c.code = 'lon-xon-2024' and k.code in ('1', '1.1', '2') order by k.code`,
    );
    expect(criteria).toEqual([
      { code: '1', title: 'Lĩnh vực 1', max_score: '10.000', evidence_required: false },
      { code: '1.1', title: 'Tiêu chí in đậm', max_score: '4.000', evidence_required: true },
      { code: '2', title: 'Lĩnh vực 2', max_score: '10.000', evidence_required: false },
    ]);
    const scores = await query(
      orm,
      `select u.code as unit, k.code, a.appraised_score, cs.not_applicable, cs.explanation from criterion_score cs
         join self_assessment sa on sa.id = cs.self_assessment_id join campaign c on c.id = sa.campaign_id join unit u on u.id = sa.unit_id
         join criterion k on k.id = cs.criterion_id left join appraisal a on a.criterion_score_id = cs.id
        where c.code = 'lon-xon-2024' and (u.code, k.code) in (('xa-a', '1.1'), ('xa-a', '1.2'), ('xa-b', '1.1'), ('xa-b', '1.2'))
        order by u.code, k.code`,
    );
    expect(scores).toEqual([
      {
        unit: 'xa-a',
        code: '1.1',
        appraised_score: '3.500',
        not_applicable: false,
        explanation: 'Đã ban hành đúng hạn',
      },
      { unit: 'xa-a', code: '1.2', appraised_score: '5.500', not_applicable: false, explanation: '' },
      { unit: 'xa-b', code: '1.1', appraised_score: null, not_applicable: true, explanation: '' },
      { unit: 'xa-b', code: '1.2', appraised_score: '4.750', not_applicable: false, explanation: '' },
    ]);
  });

  it('ignores unknown sheets and columns with a warning, and the guide sheet silently', async () => {
    const sheets = validSheets('canh-bao');
    sheets['ghi-chu'] = [['Ghi chú của người lập bảng']];
    sheets['huong-dan'] = [['Hướng dẫn']];
    sheets['Hướng dẫn'] = [['Hướng dẫn']];
    sheets.units![0]!.push('ghi_chu');
    sheets.units![1]!.push('không nhập');
    sheets.campaign!.push(['nguoi_lap', 'Nguyễn Văn A']);
    sheets.scores!.splice(5, 1);
    const result = await importInto(orm, await buildWorkbook(sheets));
    expect(result.ok).toBe(true);
    const warnings = [
      'ghi-chu: trang tính ghi-chu không có trong mẫu, bỏ qua',
      'campaign, dòng 10, cột key: khóa nguoi_lap không có trong mẫu, bỏ qua',
      'units, dòng 1, cột ghi_chu: cột ghi_chu không có trong mẫu, bỏ qua',
      'scores: đơn vị xa-a không có dòng cho 1 tiêu chí lá (2.3): điểm thẩm định của chúng tính là 0',
    ];
    expect(result.warnings.map((issue) => formatIssue(issue, 'vi'))).toEqual(warnings);
    const [event] = await query(
      orm,
      "select after->'warnings' as warnings from audit_event where action = 'campaign.imported' and after->>'code' = 'canh-bao'",
    );
    expect(event!.warnings).toEqual(warnings);
  });

  it('updates units and agencies that exist, and resolves parents already in the portal', async () => {
    const sheets = withoutResults(validSheets('cap-nhat-2025'));
    sheets.units = [
      ['code', 'name', 'kind', 'parent_code'],
      ['xa-c', 'Xã C', 'xã', 'huyen-thu'],
      ['xa-a', 'Xã A (đổi tên)', null, null],
    ];
    sheets.agencies = [
      ['code', 'name'],
      ['NV', 'Phòng Nội vụ huyện Thử'],
    ];
    const { summary } = await imported(orm, await buildWorkbook(sheets));
    expect(summary).toMatchObject({ units: { created: 1, updated: 1 }, agencies: { created: 0, updated: 1 } });
    const units = await query(
      orm,
      "select u.code, u.name, u.kind, p.code as parent from unit u left join unit p on p.id = u.parent_id where u.code in ('xa-a', 'xa-c') order by u.code",
    );
    expect(units).toEqual([
      { code: 'xa-a', name: 'Xã A (đổi tên)', kind: 'xã', parent: 'huyen-thu' },
      { code: 'xa-c', name: 'Xã C', kind: 'xã', parent: 'huyen-thu' },
    ]);
    const [agency] = await query(orm, "select name from agency where code = 'NV'");
    expect(agency!.name).toBe('Phòng Nội vụ huyện Thử');

    const cycle = withoutResults(validSheets('vong-2025'));
    cycle.units = [
      ['code', 'name', 'kind', 'parent_code'],
      ['huyen-thu', 'UBND huyện Thử', 'huyện', 'xa-c'],
    ];
    const refused = await importInto(orm, await buildWorkbook(cycle));
    expect(!refused.ok && refused.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`)).toEqual([
      'units:2:parent_code',
    ]);
  });
});

describe('the template', () => {
  it('has the guide first, every sheet with its header and an example row, and imports as it is', async () => {
    const template = await workbookTemplate();
    const cells = await cellValues(template);
    expect(Object.keys(cells)).toEqual([
      'Hướng dẫn',
      'campaign',
      'agencies',
      'units',
      'criteria',
      'scores',
      'survey',
      'components',
    ]);
    expect(cells.criteria![0]).toEqual([
      'code',
      'title',
      'max_score',
      'min_score',
      'kind',
      'agency_code',
      'evidence_required',
      'guidance',
      'scoring',
    ]);
    expect(cells.components![0]).toEqual(['unit_code', 'appraisal', 'survey']);
    for (const sheet of ['agencies', 'units', 'scores', 'survey', 'components']) expect(cells[sheet]).toHaveLength(2);
    const read = await readWorkbook(template);
    expect(read.ok && read.warnings).toEqual([]);
  });
});

describe('imports at the same time', () => {
  it('run one after another: the second starts reading only when the first has finished writing', async () => {
    const target = await freshOrm();
    try {
      const steps: string[] = [];
      const run = (name: string, data: Uint8Array) =>
        importWorkbook(target.em.fork(), data, {
          actorId: null,
          progress: (step) => steps.push(`${name}: ${step.split(' ')[0]}`),
        });
      const [first, second] = await Promise.all([
        run('a', await buildWorkbook(withoutResults(validSheets('mot-2024')))),
        run('b', await buildWorkbook(withoutResults(validSheets('hai-2024')))),
      ]);
      expect(first.ok && second.ok).toBe(true);
      const a = steps.filter((s) => s.startsWith('a:'));
      // Every step of the first import comes before the first step of the second.
      expect(steps.slice(0, a.length)).toEqual(a);
      expect(steps.at(-1)).toBe('b: written');
    } finally {
      await target.close();
    }
  });
});
