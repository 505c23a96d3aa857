// The English switch shows English for every error a feature or a main form gives: each case posts what the other
// tests post, in English (the language link's cookie), and the page's error texts are the English catalog's words,
// with no Vietnamese left but the data they name (a campaign's name, a rule's levels).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog.ts';
import { Browser, csrfToken, startTestApp, uploadAction, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { buildWorkbook, setCell, validSheets, type Sheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';
import { formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { demoAgencies } from '../../src/features/demo/data.ts';

const en = translator('en');
const vi = translator('vi');

let t: TestApp;
/** What the cases need from the demo data, filled in as the campaign moves on. */
const d = {
  code: '',
  campaignName: '',
  base: '',
  setId: 0,
  plain: { code: '', max: '' },
  levels: { code: '', labels: [] as string[] },
  ratio: { code: '' },
  items: { plain: 0, byAgency: 0, waiting: 0, request: 0, other: 0 },
  waitingDue: '',
};

beforeAll(async () => {
  t = await startTestApp();
  [{ code: d.code, name: d.campaignName }] = await sql<{ code: string; name: string }>(
    'select code, name from campaign limit 1',
  );
  d.base = paths.unit.campaign('xa-truc-thanh', d.code);
  const leaves = await sql<{ code: string; max: string; scoring: string | null }>(
    `select c.code, c.max_score::float::text as max, c.scoring from criterion c
      where c.kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id) and c.min_score = 0 order by c.position`,
  );
  const plain = leaves.find((l) => !l.scoring)!;
  const levels = leaves.find((l) => l.scoring?.startsWith('levels'))!;
  d.plain = { code: plain.code, max: plain.max };
  d.levels = {
    code: levels.code,
    labels: levels
      .scoring!.replace(/^levels:/, '')
      .split(';')
      .map((p) => p.split('=')[0].trim()),
  };
  d.ratio = { code: leaves.find((l) => l.scoring?.startsWith('ratio'))!.code };
  const admin = await english('admin');
  const set = await admin.submit('/admin/criteria-sets/new', '/admin/criteria-sets', {
    name: 'Bộ thử tiếng Anh',
    year: '2025',
    decision: '',
    copyFrom: '',
  });
  d.setId = Number(/\/(\d+)$/.exec(set.headers.location as string)![1]);
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

/** A browser signed in as `username` (anonymous when null) that has chosen English with the language link. */
async function english(username: string | null): Promise<Browser> {
  const b = new Browser(t.app);
  if (username) await b.signIn(username);
  expect((await b.get('/lang/en?next=/')).statusCode).toBe(303);
  return b;
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The error summary and the messages beside the fields, as text. */
function errorTexts(html: string): string {
  const summaries = [...html.matchAll(/<div class="error-summary" role="alert"[^>]*>([\s\S]*?)<\/ul>/g)].map(
    (m) => m[1],
  );
  const beside = [...html.matchAll(/<p class="error-message"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
  return decode([...summaries, ...beside].join(' | '));
}

/** Letters only Vietnamese writes: a diacritic left in an error means a message escaped the catalog. */
const vietnamese = /[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]/i;

interface Case {
  name: string;
  as: string | null;
  /** The page holding the form (for its CSRF token and version), and where the form goes. */
  page: () => string;
  url: () => string;
  form: () => Record<string, string>;
  /** Where the form's version is found after, for a page with one form per item. */
  versionAfter?: () => string;
  status: number;
  /** The English text expected, and (to check the test itself) its Vietnamese twin, which must be absent. */
  english: () => string[];
  vietnamese: () => string[];
  /** Data named in the message (Vietnamese names), taken out before looking for Vietnamese letters. */
  data?: () => string[];
}

async function run(c: Case) {
  const b = await english(c.as);
  const page = await b.get(c.page());
  expect(page.statusCode, `${c.name}: its form page`).toBe(200);
  const form: Record<string, string> = { _csrf: csrfToken(page.body), ...c.form() };
  if (form.version === 'page') {
    const from = c.versionAfter ? page.body.indexOf(c.versionAfter()) : 0;
    form.version = /name="version" value="(\d+)"/.exec(page.body.slice(Math.max(from, 0)))?.[1] ?? '1';
  }
  const res = await b.request('POST', c.url(), { form });
  expect(res.statusCode, c.name).toBe(c.status);
  const text = errorTexts(res.body);
  for (const words of c.english()) expect(text, c.name).toContain(words);
  for (const words of c.vietnamese()) expect(text, c.name).not.toContain(words);
  const left = (c.data?.() ?? []).reduce((s, name) => s.replaceAll(name, ''), text);
  expect(left, `${c.name}: Vietnamese left in «${left}»`).not.toMatch(vietnamese);
}

/** A case whose words come from one catalog key, asserted in English and refused in Vietnamese. */
const key = (k: Parameters<typeof en>[0], params?: Record<string, string | number>) => ({
  english: () => [en(k, params)],
  vietnamese: () => [vi(k, params)],
});

const unitCriterion = (
  criterion: () => string,
  form: Record<string, string>,
): Pick<Case, 'as' | 'page' | 'url' | 'form' | 'versionAfter'> => ({
  as: 'canbo',
  page: () => `${d.base}/criteria?field=${criterion().split('.')[0]}`,
  url: () => `${d.base}/criteria/${criterion()}`,
  form: () => ({ explanation: '', version: 'page', ...form }),
  versionAfter: () => `id="c-${criterion().replaceAll('.', '-')}"`,
});

const appraisalItem = (
  item: () => number,
  form: Record<string, string>,
): Pick<Case, 'as' | 'page' | 'url' | 'form'> => ({
  as: 'thamdinh',
  page: () => paths.appraisal.item(item(), { campaign: d.code }),
  url: () => paths.appraisal.item(item(), { campaign: d.code }),
  form: () => ({ version: 'page', ...form }),
});

const adminPost = (
  page: () => string,
  url: () => string,
  form: Record<string, string>,
): Pick<Case, 'as' | 'page' | 'url' | 'form'> => ({
  as: 'admin',
  page,
  url,
  form: () => form,
});

const campaignPage = () => paths.admin.campaign(d.code);
const campaignSettings = (over: Record<string, string>) => ({
  code: 'thu-tieng-anh',
  name: 'Thử',
  year: '2025',
  organizer: 'UBND',
  decision: '',
  criteriaSetId: '1',
  compositionPreset: 'appraisal:70,survey:30',
  compositionCustom: '',
  bands: 'A:95;B:0',
  fieldFloorPercent: '',
  precision: '2',
  rounding: 'half-up',
  selfAssessmentOpens: '01/12/2025',
  selfAssessmentCloses: '20/12/2025',
  appraisalOpens: '23/12/2025',
  appraisalCloses: '27/12/2025',
  explanationDays: '3',
  publishBy: '15/01/2026',
  ...over,
});

describe('in English, while units assess themselves', () => {
  const cases: Case[] = [
    {
      name: 'sign-in: wrong password',
      as: null,
      page: () => '/sign-in',
      url: () => '/sign-in',
      form: () => ({ username: 'canbo', password: 'sai mật khẩu' }),
      status: 422,
      ...key('signIn.failed'),
    },
    {
      name: 'sign-in: nothing typed',
      as: null,
      page: () => '/sign-in',
      url: () => '/sign-in',
      form: () => ({ username: '', password: '' }),
      status: 422,
      ...key('signIn.required.username'),
    },
    {
      name: 'password change: the current password left out',
      as: 'canbo',
      page: () => '/account/password',
      url: () => '/account/password',
      form: () => ({ current: '', password: 'một mật khẩu dài hơn', repeat: 'khác' }),
      status: 422,
      ...key('password.currentRequired'),
    },
    {
      name: 'unit of the district: nothing typed',
      ...adminPost(
        () => '/admin/units/new',
        () => '/admin/units',
        {},
      ),
      status: 422,
      english: () => [en('errors.summary')],
      vietnamese: () => [vi('errors.summary')],
    },
    {
      name: 'agency: nothing typed',
      ...adminPost(
        () => '/admin/agencies/new',
        () => '/admin/agencies',
        {},
      ),
      status: 422,
      english: () => [en('errors.summary')],
      vietnamese: () => [vi('errors.summary')],
    },
    {
      name: 'user: nothing typed',
      ...adminPost(
        () => '/admin/users/new',
        () => '/admin/users',
        {},
      ),
      status: 422,
      english: () => [en('errors.summary')],
      vietnamese: () => [vi('errors.summary')],
    },
    {
      name: 'role: none chosen',
      ...adminPost(
        () => '/admin/users/canbo',
        () => '/admin/users/canbo/roles',
        { role: '' },
      ),
      status: 422,
      english: () => [en('errors.summary')],
      vietnamese: () => [vi('errors.summary')],
    },
    {
      name: 'self-score: above the maximum',
      ...unitCriterion(() => d.plain.code, { score: '99' }),
      status: 422,
      english: () => [en('score.range', { min: '0', max: d.plain.max })],
      vietnamese: () => ['Điểm tối đa là'],
    },
    {
      name: 'self-score: words',
      ...unitCriterion(() => d.plain.code, { score: 'một' }),
      status: 422,
      english: () => ['The score is a number, for example'],
      vietnamese: () => ['Điểm phải là số'],
    },
    {
      name: 'self-score: empty',
      ...unitCriterion(() => d.plain.code, { score: '' }),
      status: 422,
      ...key('score.required'),
    },
    {
      name: 'self-score: too many decimals',
      ...unitCriterion(() => d.plain.code, { score: '0.125' }),
      status: 422,
      ...key('score.decimals', { decimals: 2 }),
    },
    {
      name: 'level: none chosen',
      ...unitCriterion(() => d.levels.code, { level: '' }),
      status: 422,
      ...key('score.level.required'),
    },
    {
      name: 'level: not in the list',
      ...unitCriterion(() => d.levels.code, { level: 'khong-co' }),
      status: 422,
      english: () => [en('score.level.unknown', { level: 'khong-co', levels: d.levels.labels.join(', ') })],
      vietnamese: () => ['không có trong danh sách'],
      data: () => d.levels.labels,
    },
    {
      name: 'counts: a total of 0',
      ...unitCriterion(() => d.ratio.code, { achieved: '0', total: '0' }),
      status: 422,
      ...key('score.count.totalZero'),
    },
    {
      name: 'counts: more achieved than the total',
      ...unitCriterion(() => d.ratio.code, { achieved: '5', total: '3' }),
      status: 422,
      ...key('score.count.aboveTotal'),
    },
    {
      name: 'counts: not whole numbers',
      ...unitCriterion(() => d.ratio.code, { achieved: 'năm', total: '3' }),
      status: 422,
      ...key('score.count.integer'),
    },
    {
      name: 'criteria set: in use by a campaign that started',
      ...adminPost(
        () => '/admin/criteria-sets/1/criteria/new',
        () => '/admin/criteria-sets/1/criteria',
        { code: '9', title: 'Thêm', kind: 'self', minScore: '0', maxScore: '1', guidance: '', scoring: '' },
      ),
      status: 422,
      english: () => [en('criteria.frozenBy', { name: d.campaignName })],
      vietnamese: () => ['không thể sửa'],
      data: () => [d.campaignName],
    },
    {
      name: 'criterion: no parent',
      ...adminPost(
        () => paths.admin.newCriterion(d.setId),
        () => paths.admin.criteria(d.setId),
        { code: '2.1', title: 'Mồ côi', kind: 'self', minScore: '0', maxScore: '1', guidance: '', scoring: '' },
      ),
      status: 422,
      ...key('criteria.code.noParent'),
    },
    {
      name: 'criterion: bad code, no title, words for a maximum',
      ...adminPost(
        () => paths.admin.newCriterion(d.setId),
        () => paths.admin.criteria(d.setId),
        { code: 'a.b', title: '', kind: 'self', minScore: '0', maxScore: 'một', guidance: '', scoring: '' },
      ),
      status: 422,
      english: () => [en('criteria.code.format'), en('criteria.title.required'), en('criteria.maxScore.number')],
      vietnamese: () => [vi('criteria.title.required')],
    },
    {
      name: 'criterion: a level worth more than the maximum (a decimal, written the English way)',
      ...adminPost(
        () => paths.admin.newCriterion(d.setId),
        () => paths.admin.criteria(d.setId),
        {
          code: '1',
          title: 'Mức',
          kind: 'self',
          minScore: '0',
          maxScore: '1',
          guidance: '',
          scoring: 'levels: A=1.5; B=0',
        },
      ),
      status: 422,
      english: () => [
        en('rule.points.range', { points: 1.5, name: 'A', min: 0, max: 1 }),
        'The points 1.5 of «A» must lie between 0 and 1',
      ],
      vietnamese: () => ['Điểm 1,5'],
    },
    {
      name: 'criterion: thresholds out of order',
      ...adminPost(
        () => paths.admin.newCriterion(d.setId),
        () => paths.admin.criteria(d.setId),
        {
          code: '1',
          title: 'Tỷ lệ',
          kind: 'self',
          minScore: '0',
          maxScore: '1',
          guidance: '',
          scoring: 'ratio: 90=0.5; 100=1; 0=0',
        },
      ),
      status: 422,
      ...key('rule.threshold.order'),
    },
    {
      name: 'criterion: a rule that cannot be read',
      ...adminPost(
        () => paths.admin.newCriterion(d.setId),
        () => paths.admin.criteria(d.setId),
        { code: '1', title: 'Quy tắc', kind: 'self', minScore: '0', maxScore: '1', guidance: '', scoring: 'steps: 1' },
      ),
      status: 422,
      ...key('rule.unknown', { source: 'steps: 1' }),
    },
    {
      name: 'campaign: composition not adding up to 100, bands out of order',
      ...adminPost(
        () => '/admin/campaigns/new',
        () => '/admin/campaigns',
        campaignSettings({
          compositionPreset: 'custom',
          compositionCustom: 'appraisal:70,survey:20',
          bands: 'A:0;B:95',
        }),
      ),
      status: 422,
      english: () => [en('composition.total'), en('bands.order')],
      vietnamese: () => [vi('composition.total'), vi('bands.order')],
    },
    {
      name: 'campaign: a malformed component and band',
      ...adminPost(
        () => '/admin/campaigns/new',
        () => '/admin/campaigns',
        campaignSettings({ compositionPreset: 'custom', compositionCustom: 'appraisal=100', bands: 'A95' }),
      ),
      status: 422,
      english: () => [en('composition.format', { piece: 'appraisal=100' }), en('bands.format', { piece: 'A95' })],
      vietnamese: () => [vi('composition.format', { piece: 'appraisal=100' })],
    },
    {
      name: 'campaign: bad code and date',
      ...adminPost(
        () => '/admin/campaigns/new',
        () => '/admin/campaigns',
        campaignSettings({ code: 'Có Dấu', selfAssessmentOpens: '31/02/2025' }),
      ),
      status: 422,
      english: () => [en('campaign.code.format'), en('campaign.date.nonexistent')],
      vietnamese: () => [vi('campaign.code.format')],
    },
    {
      name: 'step: appraisal before any unit submitted',
      ...adminPost(campaignPage, () => paths.admin.campaignState(d.code), { to: 'appraisal' }),
      status: 422,
      english: () => ['units have submitted their self-assessment'],
      vietnamese: () => ['đơn vị đã nộp tự đánh giá'],
    },
    {
      name: 'correction: no such item yet',
      ...adminPost(campaignPage, () => paths.admin.campaignCorrections(d.code), {
        unit: 'xa-truc-thanh',
        criterion: '1.1.1',
        score: '0',
        reason: 'x',
      }),
      status: 422,
      ...key('correction.error.notFound'),
    },
    {
      name: 'publication: before the chair approves',
      ...adminPost(campaignPage, () => paths.admin.campaignPublications(d.code), {}),
      status: 422,
      ...key('publication.error.notApproved'),
    },
  ];
  it.each(cases)('$name', run);
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Posts a spreadsheet through the page's upload form (its action carries the CSRF token), as an English reader. */
async function uploadInEnglish(page: string, file: Buffer) {
  const b = await english('admin');
  const form = await b.get(page);
  expect(form.statusCode).toBe(200);
  const action = uploadAction(form.body);
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(file)], { type: xlsxType }), 'tep.xlsx');
  return t.app.inject({ method: 'POST', url: action, payload: body, headers: { cookie: b.cookieHeader } });
}

/** The rows of the issue tables (those with a sheet, row, column and message head), as text. */
const issueTexts = (html: string) =>
  decode(
    [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)]
      .map((m) => m[1]!)
      .filter((table) => table.includes(`>${en('workbook.column.message')}</th>`))
      .map((table) => /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '')
      .join(' | '),
  );

describe('in English, spreadsheet imports', () => {
  it('workbook: every kind of issue in English, numbers the English way, none in Vietnamese', async () => {
    const sheets: Sheets = { ...validSheets('thu-anh'), 'ghi-chu': [['x']] };
    setCell(sheets, 'campaign', 4, 'value', 1800);
    setCell(sheets, 'campaign', 8, 'value', 'A:0;B:95');
    setCell(sheets, 'criteria', 3, 'kind', 'xyz');
    setCell(sheets, 'criteria', 6, 'scoring', 'ratio: 100=5; 90=2.5');
    setCell(sheets, 'scores', 2, 'appraised_score', 4.5);
    setCell(sheets, 'scores', 3, 'self_score', 'six');
    const res = await uploadInEnglish('/admin/workbooks/import', await buildWorkbook(sheets));
    expect(res.statusCode).toBe(422);
    const summary = errorTexts(res.body);
    expect(summary).toContain('so nothing was imported');
    expect(summary).not.toMatch(vietnamese);
    const issues = issueTexts(res.body);
    for (const words of [
      en('workbook.issue.year', { year: 1800 }),
      'the bands must go from the highest threshold to the lowest',
      en('workbook.issue.kind', { kind: 'xyz' }),
      'the last threshold must be 0, for example ratio: 100=1; 90=0.5; 0=0',
      'the appraised score 4.5 must lie between 0 and 4',
      en('workbook.issue.notNumber', { value: 'six' }),
      en('workbook.issue.sheetUnknown', { sheet: 'ghi-chu' }),
    ])
      expect(issues).toContain(words);
    expect(issues).not.toContain('4,5');
    expect(issues, `Vietnamese left in «${issues}»`).not.toMatch(vietnamese);
  });

  it('survey sheet: unknown unit, words for a count, too many satisfied answers, in English', async () => {
    const file = await buildWorkbook({
      survey: [
        ['unit_code', 'unit_name', 'respondents', 'satisfied_answers', 'questions_per_respondent'],
        ['khong-co', null, 10, 5, 8],
        ['xa-truc-thanh', null, 'ten', 5, 8],
      ],
    });
    const res = await uploadInEnglish(paths.admin.survey(d.code), file);
    expect(res.statusCode).toBe(422);
    const summary = errorTexts(res.body);
    expect(summary).toContain(en('survey.import.failed', { count: 2 }));
    expect(summary).not.toMatch(vietnamese);
    const issues = issueTexts(res.body);
    expect(issues).toContain(en('survey.sheet.unitUnknown', { unit: 'khong-co' }));
    expect(issues).toContain(`«ten»: ${en('survey.count.integer')}`);
    expect(issues, `Vietnamese left in «${issues}»`).not.toMatch(vietnamese);
  });
});

describe('in English, during the appraisal', () => {
  beforeAll(async () => {
    await submitUnitBySql(t.orm, 'xa-truc-thanh');
    await setCampaignState(t.orm, 'appraisal');
    const items = await sql<{ id: number; code: string }>(
      `select a.id, c.code from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
        where c.code like '1.%' order by c.position`,
    );
    const id = (code: string) => items.find((i) => i.code === code)!.id;
    d.items = { plain: id(d.plain.code), byAgency: id('1.9'), waiting: id('1.1.1'), request: 0, other: id('1.2') };
    // A request for explanation: the item waits for the unit's answer until its due date.
    const b = await english('thamdinh');
    const page = await b.get(paths.appraisal.item(d.items.waiting, { campaign: d.code }));
    const version = /name="version" value="(\d+)"/.exec(page.body)![1];
    const asked = await b.request('POST', paths.appraisal.item(d.items.waiting, { campaign: d.code }), {
      form: { _csrf: csrfToken(page.body), version, action: 'request', message: 'Bổ sung văn bản', dueDate: '' },
    });
    expect(asked.statusCode).toBe(303);
    const [r] = await sql<{ id: number; due: string }>(
      `select id, to_char(due_date, 'DD/MM/YYYY') as due from explanation_request where appraisal_id = ?`,
      [d.items.waiting],
    );
    d.items.request = r.id;
    d.waitingDue = r.due;
  });

  const cases: Case[] = [
    {
      name: 'appraisal: accepting what the agency scores',
      ...appraisalItem(() => d.items.byAgency, { action: 'accept' }),
      status: 422,
      ...key('appraisal.error.scoreNeeded'),
    },
    {
      name: 'appraisal: another score without a reason',
      ...appraisalItem(() => d.items.plain, { action: 'adjust', score: '0', reason: '' }),
      status: 422,
      ...key('appraisal.error.reason'),
    },
    {
      name: 'appraisal: a score in words',
      ...appraisalItem(() => d.items.plain, { action: 'adjust', score: 'không', reason: 'x' }),
      status: 422,
      english: () => ['The score is a number, for example'],
      vietnamese: () => ['Điểm phải là số'],
    },
    {
      name: 'appraisal: a request without its message, due in the past',
      ...appraisalItem(() => d.items.other, { action: 'request', message: '', dueDate: '01/01/2020' }),
      status: 422,
      english: () => [en('appraisal.error.message'), en('appraisal.error.dueDate')],
      vietnamese: () => [vi('appraisal.error.message')],
    },
    {
      name: 'appraisal: while the unit may still answer',
      ...appraisalItem(() => d.items.waiting, { action: 'accept' }),
      status: 409,
      english: () => [en('appraisal.error.waiting', { date: d.waitingDue })],
      vietnamese: () => ['Đang chờ đơn vị'],
    },
    {
      name: 'explanation: an empty answer',
      as: 'canbo',
      page: () => `${d.base}/explanations`,
      url: () => `${d.base}/explanations/${d.items.request}`,
      form: () => ({ answer: '' }),
      status: 422,
      ...key('explanations.error.answer'),
    },
    {
      name: 'correction: during the appraisal',
      ...adminPost(campaignPage, () => paths.admin.campaignCorrections(d.code), {
        unit: 'xa-truc-thanh',
        criterion: '1.1.1',
        score: '0',
        reason: 'x',
      }),
      status: 422,
      ...key('correction.error.phase'),
    },
    {
      name: 'on-site check: no unit, a date not on the calendar, no members',
      ...adminPost(
        () => paths.onsite.newVisit('admin', d.code),
        () => paths.onsite.visits('admin', d.code),
        { unit: '', visitedOn: '31/02/2026', members: '' },
      ),
      status: 422,
      english: () => [en('onsite.error.unit'), en('onsite.error.dateNonexistent'), en('onsite.error.members')],
      vietnamese: () => [vi('onsite.error.unit'), vi('onsite.error.members')],
    },
    {
      name: 'step: council review with items open',
      ...adminPost(campaignPage, () => paths.admin.campaignState(d.code), { to: 'council-review' }),
      status: 422,
      english: () => ['items are not appraised yet'],
      vietnamese: () => ['chưa thẩm định xong'],
      // The line names the agencies that still have items (their names are data).
      data: () => demoAgencies.map((a) => a.name),
    },
  ];
  it.each(cases)('$name', run);
});

describe('in English, once the council reviews', () => {
  beforeAll(async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = cs.self_score from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    await setCampaignState(t.orm, 'council-review');
  });

  const cases: Case[] = [
    {
      name: 'appraisal: after the phase closed',
      ...appraisalItem(() => d.items.plain, { action: 'accept' }),
      status: 409,
      ...key('appraisal.error.closed'),
    },
    {
      name: 'correction: no criterion named',
      ...adminPost(campaignPage, () => paths.admin.campaignCorrections(d.code), {
        unit: 'xa-truc-thanh',
        criterion: '',
        score: '',
        reason: '',
      }),
      status: 422,
      english: () => [en('correction.error.notFound')],
      vietnamese: () => [vi('correction.error.notFound')],
    },
    {
      name: 'correction: no reason, a score out of range',
      as: 'admin',
      page: campaignPage,
      url: () => paths.admin.campaignCorrections(d.code),
      form: () => ({ unit: 'xa-truc-thanh', criterion: d.plain.code, score: '99', reason: '' }),
      status: 422,
      english: () => [en('correction.error.reason'), 'The maximum is'],
      vietnamese: () => [vi('correction.error.reason')],
    },
    {
      name: 'approval: no decision, no date',
      as: 'chutich',
      page: () => paths.council.campaign(d.code),
      url: () => paths.council.approval(d.code),
      form: () => ({ decision: '', decisionDate: '' }),
      status: 422,
      english: () => [en('publication.error.decision'), en('publication.error.decisionDate')],
      vietnamese: () => [vi('publication.error.decision')],
    },
  ];
  it.each(cases)('$name', run);
});

describe('in English, once approved and published', () => {
  beforeAll(async () => {
    const chair = await english('chutich');
    const page = await chair.get(paths.council.campaign(d.code));
    const approved = await chair.request('POST', paths.council.approval(d.code), {
      form: {
        _csrf: csrfToken(page.body),
        decision: '15/QD-UBND',
        decisionDate: formatDate(todayInVietnam()),
        confirm: 'yes',
      },
    });
    expect(approved.statusCode).toBe(303);
  });

  const cases: Case[] = [
    {
      name: 'approval: a second time',
      as: 'chutich',
      page: () => paths.council.campaign(d.code),
      url: () => paths.council.approval(d.code),
      form: () => ({ decision: '16/QD-UBND', decisionDate: '11/01/2027' }),
      status: 422,
      ...key('publication.error.notInReview'),
    },
  ];
  it.each(cases)('$name', run);

  it('publication: a correction without its reason', async () => {
    const admin = await english('admin');
    const page = await admin.get(campaignPage());
    expect(
      (
        await admin.request('POST', paths.admin.campaignPublications(d.code), {
          form: { _csrf: csrfToken(page.body), confirm: 'yes' },
        })
      ).statusCode,
    ).toBe(303);
    await run({
      name: 'publication: a correction without its reason',
      ...adminPost(campaignPage, () => paths.admin.campaignPublications(d.code), { correctionReason: '' }),
      status: 422,
      ...key('publication.error.correctionReason'),
    });
  });
});
