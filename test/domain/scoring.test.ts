import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Dec,
  type Precision,
  type Rounding,
  ZERO,
  compare,
  dec,
  fromThousandths,
} from '../../src/domain/decimal.ts';
import type { Message } from '../../src/domain/message.ts';
import { translateMessage } from '../../src/http/forms.ts';
import { translator } from '../../src/i18n/catalog.ts';
import {
  type Band,
  type CriterionKind,
  type CriterionNode,
  type LeafScore,
  type Rules,
  type ScoreOutcome,
  type ScoringRule,
  type UnitInput,
  ScoringInputError,
  appraisalComponent,
  bandFor,
  compareCriterionCodes,
  computeResults,
  effectiveMaxScores,
  levelScore,
  parseScoringRule,
  proportionalScore,
  rankIndexes,
  ratioScore,
  subtreeSums,
  surveyComponent,
  validateCriteria,
  validateRules,
} from '../../src/domain/scoring.ts';

// Seed 002 (Hà Nam 2023): Xuất sắc 95–100, Tốt 85–<95, Khá 75–<85, Trung bình 70–<75, Yếu <70.
const HA_NAM_BANDS: Band[] = [
  { name: 'Xuất sắc', min: dec(95) },
  { name: 'Tốt', min: dec(85) },
  { name: 'Khá', min: dec(75) },
  { name: 'Trung bình', min: dec(70) },
  { name: 'Yếu', min: dec(0) },
];

function rules(overrides: Partial<Rules> = {}): Rules {
  return {
    precision: 2,
    rounding: 'half-up',
    composition: [{ key: 'appraisal', max: dec(100) }],
    bands: HA_NAM_BANDS,
    ...overrides,
  };
}

const APPRAISAL_70_SURVEY_30 = [
  { key: 'appraisal', max: dec(70) },
  { key: 'survey', max: dec(30) },
];

function criterion(
  code: string,
  maxScore: string | null,
  options: { min?: string; kind?: CriterionKind } = {},
): CriterionNode {
  return {
    code,
    title: `Tiêu chí ${code}`,
    maxScore: maxScore === null ? null : dec(maxScore),
    minScore: dec(options.min ?? '0'),
    kind: options.kind ?? 'self',
  };
}

/** Appraised scores by leaf code; a self score equal to the appraised one unless given as "self/appraised". */
function unit(code: string, scores: Record<string, string>, extra: Partial<UnitInput> = {}): UnitInput {
  const map = new Map<string, LeafScore>();
  for (const [leaf, text] of Object.entries(scores)) {
    const [self, appraised] = text.includes('/') ? text.split('/') : [text, text];
    map.set(leaf, { self: self === '' ? null : dec(self!), appraised: appraised === '' ? null : dec(appraised!) });
  }
  return { code, name: `Đơn vị ${code}`, scores: map, ...extra };
}

const byCode = <T extends { code: string }>(results: T[], code: string): T =>
  results.find((result) => result.code === code)!;

/** A message the domain returns, in the Vietnamese words the assertions compare. */
const inVietnamese = (message: Message): string => translateMessage(translator('vi'), message);

/** A score's outcome with its error in the Vietnamese words the assertions compare. */
const spelled = (outcome: ScoreOutcome) => (outcome.ok ? outcome : { ok: false, error: inVietnamese(outcome.error) });

/** What computeResults refuses, in the Vietnamese words the assertions compare. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScoringInputError) return error.issues.map(inVietnamese).join('; ');
    throw error;
  }
  throw new Error('the input was accepted');
}
describe('the criteria tree', () => {
  const criteria = [
    criterion('1', null),
    criterion('1.1', '4'),
    criterion('1.1.1', '1.5'),
    criterion('1.1.2', '2.5'),
    criterion('1.2', '2'),
    criterion('2', '4'),
    criterion('2.1', '4', { kind: 'appraiser' }),
  ];

  it("a parent's score, self score and maximum are the sums of its children's", () => {
    const [result] = computeResults({
      rules: rules(),
      criteria,
      units: [unit('a', { '1.1.1': '1.5/1', '1.1.2': '2/2.25', '1.2': '2/1.75', '2.1': '/3' })],
    });
    expect(result!.criteria.get('1.1')).toEqual({
      max: dec(4),
      applicableMax: dec(4),
      applicable: true,
      self: dec('3.5'),
      score: dec('3.25'),
    });
    expect(result!.criteria.get('1')).toEqual({
      max: dec(6),
      applicableMax: dec(6),
      applicable: true,
      self: dec('5.5'),
      score: dec(5),
    });
    expect(result!.criteria.get('2')).toEqual({
      max: dec(4),
      applicableMax: dec(4),
      applicable: true,
      self: null,
      score: dec(3),
    });
    expect(result!.fields).toEqual([
      { code: '1', title: 'Tiêu chí 1', max: dec(6), applicableMax: dec(6), selfScore: dec('5.5'), score: dec(5) },
      { code: '2', title: 'Tiêu chí 2', max: dec(4), applicableMax: dec(4), selfScore: ZERO, score: dec(3) },
    ]);
    expect(result!.points).toBe(dec(8));
    expect(result!.selfPoints).toBe(dec('5.5'));
    expect(result!.applicableMax).toBe(dec(10));
    expect(result!.index).toBe(dec(80));
    expect([...result!.criteria.keys()]).toEqual(['1', '1.1', '1.1.1', '1.1.2', '1.2', '2', '2.1']);
  });

  it('a missing appraised score counts 0 and a missing self score stays null', () => {
    const [result] = computeResults({ rules: rules(), criteria, units: [unit('a', { '1.1.1': '1.5' })] });
    expect(result!.criteria.get('1.1.2')).toEqual({
      max: dec('2.5'),
      applicableMax: dec('2.5'),
      applicable: true,
      self: null,
      score: ZERO,
    });
    expect(result!.criteria.get('1.2')).toMatchObject({ self: null, score: ZERO });
    expect(result!.points).toBe(dec('1.5'));
    expect(result!.index).toBe(dec(15));
  });

  it('a unit without any scores gets 0, not a crash', () => {
    const [result] = computeResults({ rules: rules(), criteria, units: [{ code: 'a', name: 'A' }] });
    expect(result).toMatchObject({ index: ZERO, points: ZERO, selfPoints: ZERO, band: 'Yếu', rank: 1 });
  });

  it('orders fields and criteria by code, numerically', () => {
    const many = ['10', '10.1', '2', '2.10', '2.9', '1', '1.1'].map((code) =>
      criterion(code, code.includes('.') ? '1' : null),
    );
    const [result] = computeResults({ rules: rules(), criteria: many, units: [unit('a', {})] });
    expect(result!.fields.map((field) => field.code)).toEqual(['1', '2', '10']);
    expect([...result!.criteria.keys()]).toEqual(['1', '1.1', '2', '2.9', '2.10', '10', '10.1']);
    expect(['3.2.6', '3.10', '3.2', '8.4.1.1', '1'].sort(compareCriterionCodes)).toEqual([
      '1',
      '3.2',
      '3.2.6',
      '3.10',
      '8.4.1.1',
    ]);
  });

  it('computes every maximum from the leaves', () => {
    expect(Object.fromEntries(effectiveMaxScores(criteria))).toEqual({
      '1': dec(6),
      '1.1': dec(4),
      '1.1.1': dec('1.5'),
      '1.1.2': dec('2.5'),
      '1.2': dec(2),
      '2': dec(4),
      '2.1': dec(4),
    });
  });

  it('sums values into their own code and every ancestor, leaving out codes none reaches', () => {
    const sums = subtreeSums([
      { code: '1.1.1', value: dec('1.5') },
      { code: '1.1.2', value: dec('0.25') },
      { code: '1.2', value: ZERO },
      { code: '3', value: dec(2) },
    ]);
    expect(Object.fromEntries(sums)).toEqual({
      '1': dec('1.75'),
      '1.1': dec('1.75'),
      '1.1.1': dec('1.5'),
      '1.1.2': dec('0.25'),
      '1.2': ZERO,
      '3': dec(2),
    });
    expect(sums.has('2')).toBe(false);
  });
});

describe('validateCriteria', () => {
  it('accepts a sound set, with or without parent maxima, with deductions', () => {
    expect(
      validateCriteria([
        criterion('1', '3'),
        criterion('1.1', '1'),
        criterion('1.2', '2'),
        criterion('2', null),
        criterion('2.1', '0', { min: '-2' }),
      ]),
    ).toEqual([]);
  });

  it.each<[string, CriterionNode[], { code: string; column: string; message: RegExp }]>([
    [
      'a missing parent',
      [criterion('1', null), criterion('1.1', '1'), criterion('2.1', '1')],
      { code: '2.1', column: 'code', message: /Thiếu tiêu chí cha 2 / },
    ],
    [
      'a missing grandparent',
      [criterion('3.2', null), criterion('3.2.6', '1')],
      { code: '3.2', column: 'code', message: /cha 3 / },
    ],
    [
      'a parent max that differs from its children',
      [criterion('1', '6'), criterion('1.1', '2'), criterion('1.2', '3.5')],
      { code: '1', column: 'max_score', message: /\(6\) khác tổng .* \(5,5\)/ },
    ],
    [
      'a duplicate code',
      [criterion('1', null), criterion('1.1', '1'), criterion('1.1', '2')],
      { code: '1.1', column: 'code', message: /trùng/ },
    ],
    [
      'min above max',
      [criterion('1', '1', { min: '2' })],
      { code: '1', column: 'min_score', message: /lớn hơn điểm tối đa/ },
    ],
    [
      'a deduction with a positive max',
      [criterion('1', '2', { min: '-1' })],
      { code: '1', column: 'max_score', message: /điểm trừ/ },
    ],
    [
      'a leaf without a max',
      [criterion('1', null), criterion('1.1', null)],
      { code: '1.1', column: 'max_score', message: /thiếu điểm tối đa/ },
    ],
    [
      'a negative max',
      [criterion('1', '-1', { min: '-2' })],
      { code: '1', column: 'max_score', message: /không được âm/ },
    ],
    ['a malformed code', [criterion('1..2', '1')], { code: '1..2', column: 'code', message: /không hợp lệ/ }],
    ['an empty code', [criterion('', '1')], { code: '', column: 'code', message: /không hợp lệ/ }],
  ])('reports %s with the offending code', (_, criteria, expected) => {
    const issues = validateCriteria(criteria);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: expected.code, column: expected.column });
    expect(inVietnamese(issues[0]!.message)).toMatch(expected.message);
  });

  it('computeResults refuses an invalid set', () => {
    expect(() =>
      computeResults({ rules: rules(), criteria: [criterion('1', '6'), criterion('1.1', '5')], units: [] }),
    ).toThrow(ScoringInputError);
  });
});

describe('validateRules', () => {
  it('accepts the usual settings', () => {
    expect(validateRules(rules())).toEqual([]);
    expect(validateRules(rules({ composition: APPRAISAL_70_SURVEY_30, precision: 3, rounding: 'down' }))).toEqual([]);
  });

  it.each<[string, Partial<Rules>, string]>([
    [
      'maxima not adding to 100',
      {
        composition: [
          { key: 'appraisal', max: dec(70) },
          { key: 'survey', max: dec(20) },
        ],
      },
      'composition',
    ],
    [
      'a repeated component',
      {
        composition: [
          { key: 'appraisal', max: dec(50) },
          { key: 'appraisal', max: dec(50) },
        ],
      },
      'composition',
    ],
    [
      'bands not highest first',
      {
        bands: [
          { name: 'Tốt', min: dec(85) },
          { name: 'Xuất sắc', min: dec(95) },
          { name: 'Yếu', min: ZERO },
        ],
      },
      'bands',
    ],
    [
      'a last band above 0',
      {
        bands: [
          { name: 'Tốt', min: dec(85) },
          { name: 'Khá', min: dec(75) },
        ],
      },
      'bands',
    ],
    ['no bands', { bands: [] }, 'bands'],
    [
      'a floor above 100 %',
      {
        bands: [
          { name: 'Tốt', min: dec(85), fieldFloorPercent: dec(120) },
          { name: 'Yếu', min: ZERO },
        ],
      },
      'bands',
    ],
    ['precision 4', { precision: 4 as Precision }, 'precision'],
    ['an unknown rounding', { rounding: 'bankers' as Rounding }, 'rounding'],
  ])('reports %s', (_, overrides, setting) => {
    expect(validateRules(rules(overrides)).map((issue) => issue.setting)).toEqual([setting]);
  });
});

describe('not applicable criteria leave the maximum', () => {
  // Hà Nam 2023: units without administrative procedures skip field 3 (20 points) and criterion 7.3 (7 points).
  const haNam = [
    criterion('1', null),
    criterion('1.1', '10'),
    criterion('2', null),
    criterion('2.1', '10'),
    criterion('3', null),
    criterion('3.1', '12'),
    criterion('3.2', '8'),
    criterion('4', null),
    criterion('4.1', '10'),
    criterion('5', null),
    criterion('5.1', '10'),
    criterion('6', null),
    criterion('6.1', '13'),
    criterion('7', null),
    criterion('7.1', '10'),
    criterion('7.2', '10'),
    criterion('7.3', '7'),
  ];
  const full = {
    '1.1': '10',
    '2.1': '10',
    '3.1': '12',
    '3.2': '8',
    '4.1': '10',
    '5.1': '10',
    '6.1': '13',
    '7.1': '10',
    '7.2': '10',
    '7.3': '7',
  };

  it('Hà Nam 2023: field 3 and criterion 7.3 out, 73 points of an applicable 73 is 100', () => {
    const results = computeResults({
      rules: rules(),
      criteria: haNam,
      units: [unit('khong-tthc', full, { notApplicable: new Set(['3', '7.3']) }), unit('day-du', full)],
    });
    const skipping = byCode(results, 'khong-tthc');
    expect(skipping).toMatchObject({
      points: dec(73),
      applicableMax: dec(73),
      index: dec(100),
      band: 'Xuất sắc',
      rank: 1,
    });
    expect(skipping.criteria.get('3')).toEqual({
      max: dec(20),
      applicableMax: ZERO,
      applicable: false,
      self: null,
      score: null,
    });
    expect(skipping.criteria.get('3.1')).toMatchObject({ applicable: false, score: null });
    expect(skipping.criteria.get('7')).toEqual({
      max: dec(27),
      applicableMax: dec(20),
      applicable: true,
      self: dec(20),
      score: dec(20),
    });
    expect(skipping.criteria.get('7.3')).toMatchObject({ applicable: false, score: null, self: null });
    expect(byCode(skipping.fields, '3')).toEqual({
      code: '3',
      title: 'Tiêu chí 3',
      max: dec(20),
      applicableMax: ZERO,
      selfScore: ZERO,
      score: ZERO,
    });
    expect(byCode(results, 'day-du')).toMatchObject({
      points: dec(100),
      applicableMax: dec(100),
      index: dec(100),
      rank: 1,
    });
  });

  it('Hà Nam 2023: 70 points of an applicable 73 is 95.89 %, not 70 %', () => {
    const [result] = computeResults({
      rules: rules(),
      criteria: haNam,
      units: [unit('a', { ...full, '1.1': '7' }, { notApplicable: new Set(['3', '7.3']) })],
    });
    expect(result).toMatchObject({ points: dec(70), applicableMax: dec(73), index: dec('95.89'), band: 'Xuất sắc' });
  });

  it('Thanh Hóa 2023, Ban Dân tộc: 68.32 points of an applicable 84 is 81.33 %', () => {
    const criteria = [
      criterion('1', null),
      criterion('1.1', '50'),
      criterion('1.2', '34'),
      criterion('2', null),
      criterion('2.1', '16'),
    ];
    const [result] = computeResults({
      rules: rules(),
      criteria,
      units: [unit('ban-dan-toc', { '1.1': '40', '1.2': '28.32' }, { notApplicable: new Set(['2.1']) })],
    });
    expect(result).toMatchObject({ points: dec('68.32'), applicableMax: dec(84), index: dec('81.33'), band: 'Khá' });
    expect(result!.criteria.get('2')).toMatchObject({ applicable: false, applicableMax: ZERO, score: null });
  });

  it('ignores scores given for not-applicable criteria', () => {
    const [result] = computeResults({
      rules: rules(),
      criteria: haNam,
      units: [unit('a', full, { notApplicable: new Set(['3.1']) })],
    });
    expect(result).toMatchObject({ points: dec(88), applicableMax: dec(88), index: dec(100) });
  });

  it('everything not applicable: an applicable maximum of 0 gives appraisal 0, no crash', () => {
    const [result] = computeResults({
      rules: rules({ composition: APPRAISAL_70_SURVEY_30 }),
      criteria: haNam,
      units: [
        unit(
          'a',
          {},
          {
            notApplicable: new Set(['1', '2', '3', '4', '5', '6', '7']),
            survey: { respondents: 10, satisfiedAnswers: 80, questionsPerRespondent: 8 },
          },
        ),
      ],
    });
    expect(result).toMatchObject({
      points: ZERO,
      applicableMax: ZERO,
      components: { appraisal: ZERO, survey: dec(30) },
      index: dec(30),
    });
    expect(appraisalComponent(ZERO, ZERO, dec(100), rules())).toBe(ZERO);
  });

  it('refuses a not-applicable code that is not in the set', () => {
    expect(
      refusal(() =>
        computeResults({ rules: rules(), criteria: haNam, units: [unit('a', {}, { notApplicable: new Set(['9']) })] }),
      ),
    ).toMatch(/9 không có/);
  });
});

describe('the survey component', () => {
  // Seed 001 (Mỹ Đức 2020): (satisfied + very satisfied answers) ÷ (respondents × 8) × 30.
  it.each<[number, number, number, Rounding, string]>([
    [50, 380, 8, 'half-up', '28.5'],
    [10, 80, 8, 'half-up', '30'],
    [3, 20, 8, 'half-up', '25'],
    [7, 50, 8, 'half-up', '26.79'],
    [7, 50, 8, 'down', '26.78'],
    [140, 761, 8, 'half-up', '20.38'],
    [12, 0, 8, 'half-up', '0'],
    [0, 0, 8, 'half-up', '0'],
    [0, 0, 0, 'half-up', '0'],
    [9, 40, 5, 'half-up', '26.67'],
  ])(
    '%d respondents, %d satisfied answers, %d questions, %s → %s',
    (respondents, satisfiedAnswers, questionsPerRespondent, rounding, expected) => {
      expect(
        surveyComponent({ respondents, satisfiedAnswers, questionsPerRespondent }, dec(30), { precision: 2, rounding }),
      ).toBe(dec(expected));
    },
  );

  it('a unit without survey results gets 0 for the survey', () => {
    expect(surveyComponent(undefined, dec(30), rules())).toBe(ZERO);
  });

  it('adds to the appraisal component, each rounded before the sum', () => {
    const criteria = [criterion('1', null), criterion('1.1', '6'), criterion('1.2', '3')];
    // appraisal 7 ÷ 9 × 70 = 54.444… → 54.44; survey 50 ÷ 56 × 30 = 26.785… → 26.79; index 81.23 (not 81.2301…).
    const [result] = computeResults({
      rules: rules({ composition: APPRAISAL_70_SURVEY_30 }),
      criteria,
      units: [
        unit(
          'a',
          { '1.1': '5', '1.2': '2' },
          { survey: { respondents: 7, satisfiedAnswers: 50, questionsPerRespondent: 8 } },
        ),
      ],
    });
    expect(result!.components).toEqual({ appraisal: dec('54.44'), survey: dec('26.79') });
    expect(result!.index).toBe(dec('81.23'));
    expect(Object.keys(result!.components)).toEqual(['appraisal', 'survey']);
  });

  it('survey-kind criteria leave both the points and the maximum', () => {
    const criteria = [
      criterion('1', null),
      criterion('1.1', '70'),
      criterion('2', null),
      criterion('2.1', '30', { kind: 'survey' }),
    ];
    const [result] = computeResults({
      rules: rules({ composition: APPRAISAL_70_SURVEY_30 }),
      criteria,
      units: [
        unit(
          'a',
          { '1.1': '63', '2.1': '30' },
          { survey: { respondents: 50, satisfiedAnswers: 380, questionsPerRespondent: 8 } },
        ),
      ],
    });
    expect(result).toMatchObject({
      points: dec(63),
      applicableMax: dec(70),
      components: { appraisal: dec(63), survey: dec('28.5') },
      index: dec('91.5'),
    });
    expect(result!.criteria.get('2.1')).toEqual({
      max: dec(30),
      applicableMax: ZERO,
      applicable: true,
      self: null,
      score: null,
    });
    expect(byCode(result!.fields, '2')).toMatchObject({ max: dec(30), applicableMax: ZERO, score: ZERO });
  });

  it.each<[string, { respondents: number; satisfiedAnswers: number; questionsPerRespondent: number }]>([
    ['more satisfied answers than answers', { respondents: 2, satisfiedAnswers: 17, questionsPerRespondent: 8 }],
    ['negative respondents', { respondents: -1, satisfiedAnswers: 0, questionsPerRespondent: 8 }],
    ['fractional counts', { respondents: 1.5, satisfiedAnswers: 1, questionsPerRespondent: 8 }],
    ['no questions', { respondents: 3, satisfiedAnswers: 0, questionsPerRespondent: 0 }],
  ])('refuses %s', (_, survey) => {
    expect(() =>
      computeResults({
        rules: rules({ composition: APPRAISAL_70_SURVEY_30 }),
        criteria: [criterion('1', '1')],
        units: [unit('a', {}, { survey })],
      }),
    ).toThrow(ScoringInputError);
  });
});

describe('rounding and precision', () => {
  const seventy = [criterion('1', null), criterion('1.1', '40'), criterion('1.2', '30')];

  it.each<[Rounding, string, string]>([
    // Nam Định 2020 printed a mean of 62.62 points out of 70 as 89.45 %: truncated, where half-up gives 89.46.
    ['down', '89.45', 'Tốt'],
    ['half-up', '89.46', 'Tốt'],
  ])('Nam Định 2020, 62.62 ÷ 70 with %s → %s', (rounding, index, band) => {
    const [result] = computeResults({
      rules: rules({ rounding }),
      criteria: seventy,
      units: [unit('a', { '1.1': '40', '1.2': '22.62' })],
    });
    expect(result).toMatchObject({ points: dec('62.62'), applicableMax: dec(70), index: dec(index), band });
  });

  const twoHundred = [criterion('1', null), criterion('1.1', '100'), criterion('1.2', '100')];
  it.each<[Precision, Rounding, string, string, string]>([
    [2, 'half-up', '89.99', '95', 'Xuất sắc'], // 189.99 ÷ 200 = 94.995
    [2, 'down', '89.99', '94.99', 'Tốt'],
    [3, 'half-up', '89.999', '95', 'Xuất sắc'], // 94.9995
    [3, 'down', '89.999', '94.999', 'Tốt'],
    [3, 'half-up', '89.998', '94.999', 'Tốt'], // 94.999 is not 95
    [2, 'half-up', '89.98', '94.99', 'Tốt'],
    [2, 'half-up', '90', '95', 'Xuất sắc'],
    [3, 'half-up', '90', '95', 'Xuất sắc'],
  ])('precision %d, %s: 100 + %s of 200 → %s (%s)', (precision, rounding, second, index, band) => {
    const [result] = computeResults({
      rules: rules({ precision, rounding }),
      criteria: twoHundred,
      units: [unit('a', { '1.1': '100', '1.2': second })],
    });
    expect(result).toMatchObject({ index: dec(index), band });
  });

  it.each<[Precision, string, string]>([
    [2, '95', 'Xuất sắc'],
    [2, '94.99', 'Tốt'],
    [3, '94.999', 'Tốt'],
    [3, '95', 'Xuất sắc'],
    [2, '85', 'Tốt'],
    [2, '84.99', 'Khá'],
    [2, '70', 'Trung bình'],
    [2, '69.99', 'Yếu'],
    [2, '0', 'Yếu'],
    [2, '100', 'Xuất sắc'],
  ])('precision %d: an index of %s is %s', (precision, index, band) => {
    const [result] = computeResults({
      rules: rules({ precision }),
      criteria: [],
      units: [{ code: 'a', name: 'A', components: { appraisal: dec(index) } }],
    });
    expect(result).toMatchObject({ index: dec(index), band });
  });

  it('refuses scores with more decimals than the campaign keeps', () => {
    expect(
      refusal(() => computeResults({ rules: rules(), criteria: seventy, units: [unit('a', { '1.1': '1.125' })] })),
    ).toMatch(/tối đa 2 chữ số/);
    expect(
      computeResults({ rules: rules({ precision: 3 }), criteria: seventy, units: [unit('a', { '1.1': '1.125' })] })[0]!
        .points,
    ).toBe(dec('1.125'));
  });
});

describe('component points of past years', () => {
  it('Đà Nẵng 2012: 53.25 + 33.87 = 87.12, rank 1', () => {
    // 33.87 does not fit a survey worth 30: the national PAR Index of those years weighed it 38.5 (61.5 + 38.5).
    const results = computeResults({
      rules: rules({
        composition: [
          { key: 'appraisal', max: dec('61.5') },
          { key: 'survey', max: dec('38.5') },
        ],
      }),
      criteria: [criterion('1', '10')],
      units: [
        { code: 'hai-phong', name: 'Hải Phòng', components: { appraisal: dec('52.1'), survey: dec('31.02') } },
        { code: 'da-nang', name: 'Đà Nẵng', components: { appraisal: dec('53.25'), survey: dec('33.87') } },
      ],
    });
    expect(results[0]).toEqual({
      code: 'da-nang',
      name: 'Đà Nẵng',
      block: null,
      rank: 1,
      index: dec('87.12'),
      band: 'Tốt',
      points: null,
      applicableMax: null,
      selfPoints: null,
      components: { appraisal: dec('53.25'), survey: dec('33.87') },
      fields: [],
      criteria: new Map(),
    });
    expect(results[1]).toMatchObject({ code: 'hai-phong', rank: 2, index: dec('83.12') });
  });

  it('mixes with scored units in one ranking; scores and survey of such a unit are ignored', () => {
    const results = computeResults({
      rules: rules(),
      criteria: [criterion('1', '10')],
      units: [unit('scored', { '1': '9' }), { ...unit('given', { '1': '10' }), components: { appraisal: dec('80') } }],
    });
    expect(results.map((result) => [result.code, result.rank, result.index])).toEqual([
      ['scored', 1, dec(90)],
      ['given', 2, dec(80)],
    ]);
  });

  it.each<[string, Record<string, Dec>, RegExp]>([
    ['a missing component', { appraisal: dec(50) }, /thiếu điểm thành phần survey/],
    ['an unknown component', { appraisal: dec(50), survey: dec(20), bonus: dec(1) }, /bonus/],
    ['a component above its maximum', { appraisal: dec('70.01'), survey: dec(20) }, /appraisal/],
    ['a negative component', { appraisal: dec(50), survey: dec(-1) }, /survey/],
    ['more decimals than the campaign keeps', { appraisal: dec('50.125'), survey: dec(20) }, /appraisal/],
  ])('refuses %s', (_, components, message) => {
    expect(
      refusal(() =>
        computeResults({
          rules: rules({ composition: APPRAISAL_70_SURVEY_30 }),
          criteria: [],
          units: [{ code: 'a', name: 'A', components }],
        }),
      ),
    ).toMatch(message);
  });

  it('a composition key other than appraisal and survey is 0 for a scored unit', () => {
    const composition = [
      { key: 'appraisal', max: dec(90) },
      { key: 'bonus', max: dec(10) },
    ];
    const results = computeResults({
      rules: rules({ composition }),
      criteria: [criterion('1', '10')],
      units: [
        unit('scored', { '1': '10' }),
        { code: 'given', name: 'G', components: { appraisal: dec(85), bonus: dec(10) } },
      ],
    });
    expect(byCode(results, 'scored').components).toEqual({ appraisal: dec(90), bonus: ZERO });
    expect(byCode(results, 'given').index).toBe(dec(95));
  });
});

describe('ranking', () => {
  const given = (code: string, index: string): UnitInput => ({
    code,
    name: code,
    components: { appraisal: dec(index) },
  });

  it('equal indexes share a rank and the next skips (1, 2, 2, 4), ties by code', () => {
    const results = computeResults({
      rules: rules(),
      criteria: [],
      units: [
        given('xa-d', '80'),
        given('xa-c', '85'),
        given('xa-a', '90'),
        given('xa-b', '85'),
        given('xa-e', '80'),
        given('xa-f', '79.99'),
      ],
    });
    expect(results.map((result) => [result.code, result.rank])).toEqual([
      ['xa-a', 1],
      ['xa-b', 2],
      ['xa-c', 2],
      ['xa-d', 4],
      ['xa-e', 4],
      ['xa-f', 6],
    ]);
  });

  it('indexes that differ only in the third decimal do not tie', () => {
    const results = computeResults({
      rules: rules({ precision: 3 }),
      criteria: [],
      units: [given('a', '94.999'), given('b', '95')],
    });
    expect(results.map((result) => [result.code, result.rank, result.band])).toEqual([
      ['b', 1, 'Xuất sắc'],
      ['a', 2, 'Tốt'],
    ]);
  });

  it('orders unit codes naturally within a tie (mau-2 before mau-10)', () => {
    const results = computeResults({
      rules: rules(),
      criteria: [],
      units: [given('mau-10', '80'), given('mau-2', '80'), given('mau-1', '80')],
    });
    expect(results.map((result) => result.code)).toEqual(['mau-1', 'mau-2', 'mau-10']);
    expect(results.every((result) => result.rank === 1)).toBe(true);
  });

  it('rankIndexes works on any list with a code and an index', () => {
    expect(
      rankIndexes([
        { code: 'x', index: dec(1) },
        { code: 'y', index: dec(2) },
      ]).map((u) => [u.code, u.rank]),
    ).toEqual([
      ['y', 1],
      ['x', 2],
    ]);
    expect(rankIndexes([])).toEqual([]);
  });

  describe('in blocks (khối)', () => {
    const inBlock = (code: string, index: string, block: string): UnitInput => ({ ...given(code, index), block });

    it('ranks each block apart, ties and skips within the block, ordered by the blocks as they first appear', () => {
      const results = computeResults({
        rules: rules(),
        criteria: [],
        units: [
          inBlock('phuong-a', '90', 'Phường'),
          inBlock('xa-a', '96', 'Xã, đặc khu'),
          inBlock('phuong-b', '95.8', 'Phường'),
          inBlock('xa-b', '80', 'Xã, đặc khu'),
          inBlock('phuong-c', '90', 'Phường'),
          inBlock('xa-c', '96', 'Xã, đặc khu'),
          inBlock('phuong-d', '70', 'Phường'),
        ],
      });
      expect(results.map((r) => [r.block, r.code, r.rank, r.band])).toEqual([
        ['Phường', 'phuong-b', 1, 'Xuất sắc'],
        ['Phường', 'phuong-a', 2, 'Tốt'],
        ['Phường', 'phuong-c', 2, 'Tốt'],
        ['Phường', 'phuong-d', 4, 'Trung bình'],
        ['Xã, đặc khu', 'xa-a', 1, 'Xuất sắc'],
        ['Xã, đặc khu', 'xa-c', 1, 'Xuất sắc'],
        ['Xã, đặc khu', 'xa-b', 3, 'Khá'],
      ]);
    });

    it('leaves the index and the band as they would be without blocks', () => {
      const units = [inBlock('a', '88.5', 'B1'), inBlock('b', '97', 'B2'), inBlock('c', '60', 'B1')];
      const withBlocks = computeResults({ rules: rules(), criteria: [], units });
      const without = computeResults({ rules: rules(), criteria: [], units: units.map(({ block, ...u }) => u) });
      const byCode = (list: typeof without) => new Map(list.map((r) => [r.code, [r.index, r.band]]));
      expect(byCode(withBlocks)).toEqual(byCode(without));
      expect(without.every((r) => r.block === null)).toBe(true);
      expect(without.map((r) => [r.code, r.rank])).toEqual([
        ['b', 1],
        ['a', 2],
        ['c', 3],
      ]);
    });

    it('refuses a campaign where only some units have a block', () => {
      expect(
        refusal(() =>
          computeResults({ rules: rules(), criteria: [], units: [inBlock('a', '1', 'Phường'), given('b', '2')] }),
        ),
      ).toMatch(/khối/);
    });
  });

  it('refuses two units with the same code', () => {
    expect(
      refusal(() => computeResults({ rules: rules(), criteria: [], units: [given('a', '1'), given('a', '2')] })),
    ).toMatch(/trùng/);
  });
});

describe('bands with a field floor', () => {
  // A Nghệ An draft: Xuất sắc needs every field at 85 % of its applicable maximum or more.
  const bands: Band[] = [
    { name: 'Xuất sắc', min: dec(95), fieldFloorPercent: dec(85) },
    { name: 'Tốt', min: dec(85), fieldFloorPercent: dec(70) },
    { name: 'Khá', min: dec(75) },
    { name: 'Yếu', min: ZERO },
  ];
  const criteria = [
    criterion('1', null),
    criterion('1.1', '80'),
    criterion('2', null),
    criterion('2.1', '20'),
    criterion('3', null),
    criterion('3.1', '10'),
  ];

  it.each<[string, Record<string, string>, string[], string, string]>([
    ['every field at 100 %', { '1.1': '80', '2.1': '20' }, ['3'], '100', 'Xuất sắc'],
    ['a field at exactly 85 %', { '1.1': '80', '2.1': '17' }, ['3'], '97', 'Xuất sắc'],
    ['a field just under 85 %', { '1.1': '80', '2.1': '16.99' }, ['3'], '96.99', 'Tốt'],
    ['a field under 70 %: past Tốt down to Khá', { '1.1': '80', '2.1': '13.99' }, ['3'], '93.99', 'Khá'],
    [
      'a field wholly not applicable does not count against the floor',
      { '1.1': '80', '2.1': '20' },
      ['3'],
      '100',
      'Xuất sắc',
    ],
    ['a field scoring 0 of 10', { '1.1': '80', '2.1': '20' }, [], '90.91', 'Khá'],
  ])('%s', (_, scores, notApplicable, index, band) => {
    const [result] = computeResults({
      rules: rules({ bands }),
      criteria,
      units: [unit('a', scores, { notApplicable: new Set(notApplicable) })],
    });
    expect(result).toMatchObject({ index: dec(index), band });
  });

  it('a unit known only by component points has no fields to hold against the floor', () => {
    expect(bandFor(dec(96), [], bands)).toBe('Xuất sắc');
  });
});

describe('deductions', () => {
  const criteria = [criterion('1', null), criterion('1.1', '10'), criterion('1.2', '0', { min: '-3' })];

  it('lower the points but not the maximum', () => {
    const [result] = computeResults({ rules: rules(), criteria, units: [unit('a', { '1.1': '9', '1.2': '-1.5' })] });
    expect(result).toMatchObject({ points: dec('7.5'), applicableMax: dec(10), index: dec(75) });
    expect(result!.criteria.get('1')).toMatchObject({ max: dec(10), score: dec('7.5') });
  });

  it('cannot push the index below 0', () => {
    const [result] = computeResults({ rules: rules(), criteria, units: [unit('a', { '1.1': '1', '1.2': '-3' })] });
    expect(result).toMatchObject({ points: dec(-2), index: ZERO, band: 'Yếu' });
  });
});

describe('input that should have been refused earlier', () => {
  const criteria = [criterion('1', null), criterion('1.1', '2'), criterion('1.2', '3')];
  it.each<[string, Record<string, string>, RegExp]>([
    ['an appraised score above the maximum', { '1.1': '0/2.01' }, /thẩm định 2,01 phải từ 0 đến 2/],
    ['a self score below the minimum', { '1.1': '-1/1' }, /tự đánh giá -1 phải từ 0/],
    ['a score for an unknown criterion', { '9.9': '1' }, /9\.9 không phải là tiêu chí lá/],
    ['a score for a parent', { '1': '1' }, /1 không phải là tiêu chí lá/],
  ])('refuses %s', (_, scores, message) => {
    expect(refusal(() => computeResults({ rules: rules(), criteria, units: [unit('a', scores)] }))).toMatch(message);
  });
});

describe('declared figures (the scoring column)', () => {
  const parsed = (text: string, range?: { minScore: Dec; maxScore: Dec }): ScoringRule | null => {
    const outcome = parseScoringRule(text, range);
    if (!outcome.ok) throw new Error(inVietnamese(outcome.error));
    return outcome.rule;
  };

  it.each<[string, ScoringRule | null]>([
    ['', null],
    ['   ', null],
    [
      'levels: Có=1; Không=0',
      {
        kind: 'levels',
        levels: [
          { label: 'Có', points: dec(1) },
          { label: 'Không', points: ZERO },
        ],
      },
    ],
    [
      'Levels:Xuất sắc = 2;Tốt=1,5; Hoàn thành=1;',
      {
        kind: 'levels',
        levels: [
          { label: 'Xuất sắc', points: dec(2) },
          { label: 'Tốt', points: dec('1.5') },
          { label: 'Hoàn thành', points: dec(1) },
        ],
      },
    ],
    [
      'ratio: 100=1; 90=0.5; 0=0',
      {
        kind: 'ratio',
        thresholds: [
          { percent: dec(100), points: dec(1) },
          { percent: dec(90), points: dec('0.5') },
          { percent: ZERO, points: ZERO },
        ],
      },
    ],
    [
      'RATIO: 100%=1; 0%=0',
      {
        kind: 'ratio',
        thresholds: [
          { percent: dec(100), points: dec(1) },
          { percent: ZERO, points: ZERO },
        ],
      },
    ],
    ['proportional', { kind: 'proportional' }],
    [' Proportional: ', { kind: 'proportional' }],
  ])('parses %j', (text, rule) => {
    expect(parsed(text)).toEqual(rule);
  });

  it('reads decomposed Vietnamese as composed', () => {
    const rule = parsed('levels: Có=1; Không=0'.normalize('NFD'));
    expect(rule).toEqual(parsed('levels: Có=1; Không=0'));
  });

  it.each<[string, RegExp]>([
    ['points', /Không hiểu cách tính điểm/],
    ['levels: Có; Không=0', /phải có dạng tên=điểm/],
    ['levels: Có=một', /không phải là số/],
    ['levels: Có=1; có=0', /bị lặp/],
    ['levels:', /ít nhất một mức/],
    ['ratio: 90=0.5; 100=1; 0=0', /từ cao xuống thấp/],
    ['ratio: 100=1; 90=0.5', /Ngưỡng cuối cùng phải là 0/],
    ['ratio: 120=1; 0=0', /từ 0 đến 100/],
    ['ratio:', /Ngưỡng cuối cùng phải là 0/],
    ['proportional: 100', /không có tham số/],
    ['levels: Có=1.2345; Không=0', /tối đa 3 chữ số/],
  ])('refuses %j with a message in Vietnamese', (text, message) => {
    const outcome = parseScoringRule(text);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(inVietnamese(outcome.error)).toMatch(message);
  });

  it("checks every level's and threshold's points against the criterion's range", () => {
    const range = { minScore: ZERO, maxScore: dec(1) };
    expect(parseScoringRule('levels: Có=1; Không=0', range).ok).toBe(true);
    const refused = (text: string) => {
      const outcome = parseScoringRule(text, range);
      return outcome.ok ? outcome : { ok: false, error: inVietnamese(outcome.error) };
    };
    expect(refused('levels: Có=2; Không=0')).toEqual({ ok: false, error: 'Điểm 2 của «Có» phải từ 0 đến 1' });
    expect(refused('ratio: 100=1,5; 0=0')).toEqual({ ok: false, error: 'Điểm 1,5 của «100» phải từ 0 đến 1' });
  });

  it('levelScore gives the points of the level picked', () => {
    const rule = parsed('levels: Xuất sắc=2; Tốt=1.5; Hoàn thành=1') as Extract<ScoringRule, { kind: 'levels' }>;
    expect(levelScore(rule, 'Tốt')).toEqual({ ok: true, score: dec('1.5') });
    expect(levelScore(rule, '  xuất sắc ')).toEqual({ ok: true, score: dec(2) });
    expect(levelScore(rule, 'XUẤT SẮC'.normalize('NFD'))).toEqual({ ok: true, score: dec(2) });
    expect(spelled(levelScore(rule, 'Kém'))).toEqual({
      ok: false,
      error: 'Mức «Kém» không có trong danh sách: Xuất sắc, Tốt, Hoàn thành',
    });
  });

  describe('ratioScore: 100 %: 1 point; from 90 % to under 100 %: 0.5; under 90 %: 0', () => {
    const rule = parsed('ratio: 100=1; 90=0,5; 0=0') as Extract<ScoringRule, { kind: 'ratio' }>;
    it.each<[string, string, string]>([
      ['120', '120', '1'],
      ['119', '120', '0.5'], // 99.17 %
      ['9999', '10000', '0.5'],
      ['90', '100', '0.5'], // exactly 90 %
      ['899', '1000', '0'], // 89.9 %
      ['8', '9', '0'], // 88.89 %
      ['0', '5', '0'],
      ['1.5', '1.5', '1'],
    ])('%s of %s → %s', (achieved, total, score) => {
      expect(ratioScore(rule, dec(achieved), dec(total))).toEqual({ ok: true, score: dec(score) });
    });

    it.each<[string, string, string]>([
      ['0', '0', 'Tổng số phải lớn hơn 0'],
      ['1', '-1', 'Tổng số phải lớn hơn 0'],
      ['-1', '5', 'Số đạt được không được âm'],
      ['6', '5', 'Số đạt được không được lớn hơn tổng số'],
    ])('%s of %s is refused: %s', (achieved, total, error) => {
      expect(spelled(ratioScore(rule, dec(achieved), dec(total)))).toEqual({ ok: false, error });
    });
  });

  it.each<[string, string, string, Precision, Rounding, string]>([
    ['2', '3', '1', 2, 'half-up', '0.67'],
    ['2', '3', '1', 2, 'down', '0.66'],
    ['2', '3', '1', 3, 'half-up', '0.667'],
    ['45', '50', '2', 2, 'half-up', '1.8'],
    ['0', '7', '2', 2, 'half-up', '0'],
    ['7', '7', '2.5', 2, 'down', '2.5'],
  ])(
    'proportionalScore: %s of %s × %s at %d decimals, %s → %s',
    (achieved, total, maxScore, precision, rounding, score) => {
      expect(proportionalScore(dec(achieved), dec(total), dec(maxScore), { precision, rounding })).toEqual({
        ok: true,
        score: dec(score),
      });
    },
  );

  it('proportionalScore refuses a total of 0', () => {
    expect(spelled(proportionalScore(ZERO, ZERO, dec(2), rules()))).toEqual({
      ok: false,
      error: 'Tổng số phải lớn hơn 0',
    });
  });
});

describe('properties', () => {
  interface Scenario {
    rules: Rules;
    criteria: CriterionNode[];
    units: UnitInput[];
    leaves: CriterionNode[];
  }

  const hundredths = (n: number): Dec => fromThousandths(BigInt(n) * 10n);

  const leafArb = fc.record({ size: fc.integer({ min: 0, max: 1000 }), deduction: fc.boolean(), survey: fc.boolean() });
  const treeArb = fc.array(fc.array(leafArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

  const scenarioArb: fc.Arbitrary<Scenario> = fc
    .record({
      tree: treeArb,
      precision: fc.constantFrom<Precision>(2, 3),
      rounding: fc.constantFrom<Rounding>('half-up', 'down'),
      surveyMax: fc.constantFrom(0, 30, 100),
      unitCount: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer(),
    })
    .chain(({ tree, precision, rounding, surveyMax, unitCount }) => {
      const criteria: CriterionNode[] = [];
      const leaves: CriterionNode[] = [];
      tree.forEach((field, i) => {
        criteria.push(criterion(String(i + 1), null));
        field.forEach((leaf, j) => {
          const node: CriterionNode = {
            code: `${i + 1}.${j + 1}`,
            title: '',
            maxScore: leaf.deduction ? ZERO : hundredths(leaf.size),
            minScore: leaf.deduction ? hundredths(-leaf.size) : ZERO,
            kind: leaf.survey && !leaf.deduction ? 'survey' : 'self',
          };
          criteria.push(node);
          leaves.push(node);
        });
      });
      const composition = [
        ...(surveyMax < 100 ? [{ key: 'appraisal', max: dec(100 - surveyMax) }] : []),
        ...(surveyMax > 0 ? [{ key: 'survey', max: dec(surveyMax) }] : []),
      ];
      const scoreArb = (leaf: CriterionNode) =>
        fc.option(fc.integer({ min: Number(leaf.minScore / 10n), max: Number(leaf.maxScore! / 10n) }).map(hundredths), {
          nil: null,
        });
      const unitArb = (code: string): fc.Arbitrary<UnitInput> =>
        fc
          .record({
            scores: fc.tuple(...leaves.map((leaf) => fc.tuple(scoreArb(leaf), scoreArb(leaf)))),
            notApplicable: fc.subarray(
              criteria.map((node) => node.code),
              { maxLength: 2 },
            ),
            respondents: fc.integer({ min: 0, max: 300 }),
            questions: fc.integer({ min: 1, max: 10 }),
            satisfiedShare: fc.double({ min: 0, max: 1, noNaN: true }),
          })
          .map(({ scores, notApplicable, respondents, questions, satisfiedShare }) => ({
            code,
            name: code,
            scores: new Map(leaves.map((leaf, k) => [leaf.code, { self: scores[k]![0], appraised: scores[k]![1] }])),
            notApplicable: new Set(notApplicable),
            survey: {
              respondents,
              questionsPerRespondent: questions,
              satisfiedAnswers: Math.floor(respondents * questions * satisfiedShare),
            },
          }));
      return fc
        .tuple(...Array.from({ length: unitCount }, (_, k) => unitArb(`u-${k}`)))
        .map((units) => ({ rules: rules({ precision, rounding, composition }), criteria, units, leaves }));
    });

  it('the index stays within [0, 100] for scores within [min, max]', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        for (const result of computeResults(scenario)) {
          expect(compare(result.index, ZERO)).toBeGreaterThanOrEqual(0);
          expect(compare(result.index, dec(100))).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the index is the sum of the components, and parents the sums of their children', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        for (const result of computeResults(scenario)) {
          expect(Object.values(result.components).reduce((a, b) => a + b, 0n)).toBe(result.index);
          expect(result.fields.reduce((a, field) => a + field.score, 0n)).toBe(result.points);
          for (const [code, node] of result.criteria) {
            const children = [...result.criteria].filter(
              ([child]) => child.startsWith(`${code}.`) && !child.slice(code.length + 1).includes('.'),
            );
            if (children.length === 0) continue;
            expect(children.reduce((a, [, child]) => a + child.max, 0n)).toBe(node.max);
            expect(children.reduce((a, [, child]) => a + child.applicableMax, 0n)).toBe(node.applicableMax);
            expect(children.reduce((a, [, child]) => a + (child.score ?? 0n), 0n)).toBe(node.score ?? 0n);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding points to one unit never lowers its rank', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.nat(), (scenario, unitPick, leafPick) => {
        const target = scenario.units[unitPick % scenario.units.length]!;
        const leaf = scenario.leaves[leafPick % scenario.leaves.length]!;
        const before = byCode(computeResults(scenario), target.code).rank;
        const raisedScores = new Map(target.scores);
        raisedScores.set(leaf.code, { self: null, appraised: leaf.maxScore });
        const units = scenario.units.map((u) => (u === target ? { ...u, scores: raisedScores } : u));
        const after = byCode(computeResults({ ...scenario, units }), target.code).rank;
        expect(after).toBeLessThanOrEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('the ranking does not depend on the order of the units or of the criteria', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((scenario) =>
          fc.tuple(
            fc.constant(scenario),
            fc.shuffledSubarray(scenario.units, { minLength: scenario.units.length }),
            fc.shuffledSubarray(scenario.criteria, { minLength: scenario.criteria.length }),
          ),
        ),
        ([scenario, units, criteria]) => {
          const summary = (input: Scenario) =>
            computeResults(input).map((r) => [r.code, r.rank, r.index, r.band, [...r.criteria.keys()]]);
          expect(summary({ ...scenario, units, criteria })).toEqual(summary(scenario));
        },
      ),
      { numRuns: 200 },
    );
  });
});
