// Set-up in plain words: a criterion's scoring rule, a campaign's bands and composition are edited as small tables of
// rows (decimal commas, errors naming the row, "Thêm dòng" without JavaScript) and shown as tables, never as notation.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { fieldError, withAdminApp } from '../helpers/admin.ts';

const ctx = withAdminApp();
const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  ctx.t.orm.em.getConnection().execute<T[]>(text, params);

async function newSet(name: string): Promise<number> {
  const res = await ctx.admin.submit(paths.admin.newCriteriaSet(), paths.admin.criteriaSets(), {
    name,
    year: '2026',
    decision: '',
  });
  expect(res.statusCode).toBe(303);
  return Number(/\/admin\/criteria-sets\/(\d+)/.exec(res.headers.location as string)![1]);
}

const criterion = (rows: [string, string][]): [string, string][] => [
  ['code', '1'],
  ['title', 'Ban hành kế hoạch CCHC'],
  ['guidance', ''],
  ['kind', 'self'],
  ['minScore', '0'],
  ['maxScore', '1,5'],
  ...rows,
];

const scoringOf = async (setId: number) =>
  (await sql<{ scoring: string | null }>('select scoring from criterion where criteria_set_id = ?', [setId]))[0]
    ?.scoring;

describe('a scoring rule as a table of rows', () => {
  it('saves levels typed with decimal commas, skipping empty rows, and shows them as a table', async () => {
    const id = await newSet('Bộ mức');
    const res = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'levels'],
        ['levelLabel', 'Ban hành đúng hạn'],
        ['levelPoints', '1,5'],
        ['levelLabel', 'Ban hành chậm'],
        ['levelPoints', '0,75'],
        ['levelLabel', ''],
        ['levelPoints', ''],
        ['ratioPercent', ''],
        ['ratioPoints', ''],
      ]),
    );
    expect(res.statusCode).toBe(303);
    expect(await scoringOf(id)).toBe('levels: Ban hành đúng hạn=1.5; Ban hành chậm=0.75');
    const page = (await ctx.admin.get(paths.admin.criteriaSet(id))).body;
    expect(page).toContain('<caption>Tính điểm theo mức</caption>');
    expect(page).toMatch(/<td>Ban hành đúng hạn<\/td><td class="num">1,5<\/td>/);
    expect(page).not.toContain('levels:');
    const [{ id: cid }] = await sql<{ id: number }>('select id from criterion where criteria_set_id = ?', [id]);
    const edit = (await ctx.admin.get(paths.admin.criterionEdit(id, cid))).body;
    expect(edit).toContain('<option value="levels" selected>');
    expect(edit).toMatch(/id="levelLabel-0" name="levelLabel" type="text" value="Ban hành đúng hạn"/);
    expect(edit).toMatch(
      /id="levelPoints-1" name="levelPoints" type="text" inputmode="decimal" class="num" value="0,75"/,
    );
    expect(edit).toContain('id="levelLabel-3"');
    expect(edit).not.toContain('levels:');
  });

  it('saves ratio thresholds and shows them in words', async () => {
    const id = await newSet('Bộ tỷ lệ');
    const res = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'ratio'],
        ['ratioPercent', '100'],
        ['ratioPoints', '1,5'],
        ['ratioPercent', '80 %'],
        ['ratioPoints', '0,5'],
        ['ratioPercent', '0'],
        ['ratioPoints', '0'],
      ]),
    );
    expect(res.statusCode).toBe(303);
    expect(await scoringOf(id)).toBe('ratio: 100=1.5; 80=0.5; 0=0');
    const page = (await ctx.admin.get(paths.admin.criteriaSet(id))).body;
    expect(page).toMatch(/<td>Đạt từ 80 %<\/td><td class="num">0,5<\/td>/);
    expect(page).not.toContain('ratio:');
  });

  it('refuses bad rows naming the row, keeping every value, writing nothing', async () => {
    const id = await newSet('Bộ lỗi dòng');
    const res = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'levels'],
        ['levelLabel', 'Có'],
        ['levelPoints', '2'],
        ['levelLabel', 'Không'],
        ['levelPoints', 'abc'],
        ['levelLabel', ''],
        ['levelPoints', '0,5'],
      ]),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'levelPoints-0')).toBe('Dòng 1: Điểm của «Có» phải từ 0 đến 1,5');
    expect(fieldError(res.body, 'levelPoints-1')).toBe('Dòng 2: Điểm phải là số, tối đa 3 chữ số thập phân, ví dụ 0,5');
    expect(fieldError(res.body, 'levelLabel-2')).toBe('Dòng 3: Nhập tên mức');
    expect(res.body).toContain('<a href="#levelPoints-1">Dòng 2: Điểm phải là số');
    expect(res.body).toMatch(
      /id="levelPoints-1" name="levelPoints" type="text" inputmode="decimal" class="num" value="abc"/,
    );
    expect(res.body).toContain('>Ban hành kế hoạch CCHC</textarea>');
    expect(await scoringOf(id)).toBeUndefined();

    const order = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'ratio'],
        ['ratioPercent', '80'],
        ['ratioPoints', '0,5'],
        ['ratioPercent', '100'],
        ['ratioPoints', '1'],
      ]),
    );
    expect(order.statusCode).toBe(422);
    expect(fieldError(order.body, 'ratio')).toBe('Các ngưỡng phải xếp từ cao xuống thấp, ví dụ 100 %, 90 %, rồi 0 %');
    expect(order.body).toContain('<a href="#ratio">');
    expect(await scoringOf(id)).toBeUndefined();

    // Another field wrong as well: both are said at once.
    const both = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'levels'],
        ['levelLabel', 'Có'],
        ['levelPoints', 'một'],
      ]).map(([k, v]): [string, string] => (k === 'kind' ? [k, 'khác'] : [k, v])),
    );
    expect(both.statusCode).toBe(422);
    expect(fieldError(both.body, 'kind')).toBe('Chọn loại tiêu chí.');
    expect(fieldError(both.body, 'levelPoints-0')).toMatch(/^Dòng 1: Điểm phải là số/);
  });

  it('offers more rows with "Thêm dòng", without JavaScript and without saving', async () => {
    const id = await newSet('Bộ thêm dòng');
    const res = await ctx.admin.submit(
      paths.admin.newCriterion(id),
      paths.admin.criteria(id),
      criterion([
        ['ruleKind', 'levels'],
        ['levelLabel', 'Có'],
        ['levelPoints', '1'],
        ['levelLabel', 'Không'],
        ['levelPoints', '0'],
        ['addRows', 'levels'],
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="levelLabel-4"');
    expect(res.body).not.toContain('id="levelLabel-5"');
    expect(res.body).toMatch(/id="levelLabel-1" name="levelLabel" type="text" value="Không"/);
    expect(res.body).not.toContain('error-summary');
    expect(await scoringOf(id)).toBeUndefined();
    // The page's first submit saves: Enter in a cell does not add rows.
    const form = res.body.slice(res.body.indexOf('<form method="post"'));
    expect(/<button[^>]*>/.exec(form)![0]).not.toContain('addRows');
  });
});

describe("a campaign's composition and bands as tables of rows", () => {
  const campaign = async (code: string, rows: [string, string][]) => {
    const [{ id: setId }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    return ctx.admin.submit(paths.admin.newCampaign(), paths.admin.campaigns(), [
      ['code', code],
      ['name', `Kỳ ${code}`],
      ['year', '2026'],
      ['organizer', 'UBND huyện Trực Ninh'],
      ['decision', ''],
      ['criteriaSetId', String(setId)],
      ['fieldFloorPercent', ''],
      ['precision', '2'],
      ['rounding', 'half-up'],
      ['explanationDays', '3'],
      ...rows,
    ]);
  };

  it('saves rows typed with decimal commas and shows them as tables', async () => {
    const res = await campaign('bang-dong', [
      ['componentKey', 'appraisal'],
      ['componentMax', '62,5'],
      ['componentKey', 'survey'],
      ['componentMax', '37,5'],
      ['componentKey', ''],
      ['componentMax', ''],
      ['bandName', 'Tốt'],
      ['bandMin', '82,5'],
      ['bandName', 'Khá'],
      ['bandMin', '70'],
      ['bandName', 'Yếu'],
      ['bandMin', '0'],
    ]);
    expect(res.statusCode).toBe(303);
    const [row] = await sql(`select composition, bands from campaign where code = 'bang-dong'`);
    expect(row.composition).toEqual([
      { key: 'appraisal', max: '62.5' },
      { key: 'survey', max: '37.5' },
    ]);
    expect(row.bands.map((b: { name: string; min: string }) => [b.name, b.min])).toEqual([
      ['Tốt', '82.5'],
      ['Khá', '70'],
      ['Yếu', '0'],
    ]);
    const page = (await ctx.admin.get(paths.admin.campaign('bang-dong'))).body;
    expect(page).toMatch(/<td>Thẩm định<\/td><td class="num">62,5<\/td>/);
    expect(page).toMatch(/<td>Tốt<\/td><td class="num">82,5<\/td>/);
    const form = (await ctx.admin.get(paths.admin.campaignSettings('bang-dong'))).body;
    expect(form).toMatch(/id="bandMin-0" name="bandMin" type="text" inputmode="decimal" class="num" value="82,5"/);
    expect(form).toMatch(/<select id="componentKey-1" name="componentKey">[\s\S]*?<option value="survey" selected>/);
    expect(form).toContain('id="bandName-4"');
    expect(form).not.toMatch(/appraisal:|Xuất sắc:95/);
  });

  it('refuses bad rows naming the row and keeps every value', async () => {
    const res = await campaign('bang-loi', [
      ['componentKey', 'appraisal'],
      ['componentMax', 'bảy mươi'],
      ['componentKey', ''],
      ['componentMax', '30'],
      ['bandName', 'Tốt'],
      ['bandMin', '85'],
      ['bandName', ''],
      ['bandMin', '70'],
      ['bandName', 'Yếu'],
      ['bandMin', '101'],
    ]);
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'componentMax-0')).toBe('Dòng 1: Điểm tối đa phải là số, ví dụ 70 hoặc 62,5');
    expect(fieldError(res.body, 'componentKey-1')).toBe('Dòng 2: Chọn thành phần');
    expect(fieldError(res.body, 'bandName-1')).toBe('Dòng 2: Nhập tên xếp loại');
    expect(fieldError(res.body, 'bandMin-2')).toBe('Dòng 3: Ngưỡng dưới phải là số từ 0 đến 100, ví dụ 85 hoặc 72,5');
    expect(res.body).toContain('<a href="#bandMin-2">');
    expect(res.body).toContain('value="bảy mươi"');
    expect(res.body).toContain('value="101"');
    expect((await sql(`select count(*)::int as n from campaign where code = 'bang-loi'`))[0].n).toBe(0);
  });

  it('adds empty rows to the bands with "Thêm dòng", saving nothing', async () => {
    const res = await campaign('bang-them', [
      ['bandName', 'Tốt'],
      ['bandMin', '85'],
      ['bandName', ''],
      ['bandMin', ''],
      ['addRows', 'bands'],
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="bandName-4"');
    expect(res.body).toMatch(/id="bandName-0" name="bandName" type="text" value="Tốt"/);
    expect((await sql(`select count(*)::int as n from campaign where code = 'bang-them'`))[0].n).toBe(0);
  });
});

describe('/admin lists link to what they list', () => {
  it('links every campaign, criteria set, unit, agency and user, and the dashboard tiles', async () => {
    const [campaign] = await sql<{ code: string; name: string }>('select code, name from campaign order by id limit 1');
    const dashboard = (await ctx.admin.get(paths.admin.index())).body;
    expect(dashboard).toContain(`<a href="${paths.admin.campaign(campaign.code)}">${campaign.name}</a>`);
    expect(dashboard).toContain('<dl class="summary tiles">');
    for (const href of [paths.admin.register('units'), paths.admin.users(), paths.admin.criteriaSets()])
      expect(dashboard).toContain(`<a href="${href}">`);

    const sets = (await ctx.admin.get(paths.admin.criteriaSets())).body;
    const [set] = await sql<{ id: number; name: string }>('select id, name from criteria_set order by id limit 1');
    expect(sets).toContain(`<a href="${paths.admin.criteriaSet(set.id)}">${set.name}</a>`);
    expect(sets).toContain(`<a href="${paths.admin.campaign(campaign.code)}">${campaign.name}</a>`);

    const units = (await ctx.admin.get(paths.admin.register('units'))).body;
    expect(units).toContain(`<a href="${paths.admin.registerEdit('units', 'xa-truc-thanh')}">Xã Trực Thanh</a></th>`);
    const agencies = (await ctx.admin.get(paths.admin.register('agencies'))).body;
    expect(agencies).toContain(`<a href="${paths.admin.registerEdit('agencies', 'tu-phap')}">Phòng Tư pháp</a></th>`);
    const users = (await ctx.admin.get(paths.admin.users())).body;
    expect(users).toContain(`<a href="${paths.admin.user('thamdinh-vanphong')}">Trịnh Thị Mai</a>`);
  });
});

describe('a criteria set in use', () => {
  it('shows its criteria read-only with the reason, not as a form refused on save', async () => {
    const [c] = await sql<{ set_id: number; id: number; title: string }>(
      `select c.criteria_set_id as set_id, c.id, c.title from criterion c
         join campaign k on k.criteria_set_id = c.criteria_set_id and k.state <> 'draft'
        where c.scoring like 'levels:%' order by c.id limit 1`,
    );
    const page = (await ctx.admin.get(paths.admin.criterionEdit(c.set_id, c.id))).body;
    expect(page).toContain('role="note"');
    expect(page).toContain(`<td>${c.title}</td>`);
    expect(page).toContain('<caption>Tính điểm theo mức</caption>');
    expect(page).not.toContain('name="title"');
    expect(page).not.toContain('name="levelLabel"');
  });
});
