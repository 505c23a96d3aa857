import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { fieldError } from '../helpers/admin.ts';

let t: TestApp;
let admin: Browser;
let setId: number;
beforeAll(async () => {
  t = await startTestApp();
  admin = new Browser(t.app);
  await admin.signIn('admin');
  [{ id: setId }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(text, params);

const settings = (over: Record<string, string> = {}) => ({
  code: 'thu-nghiem-2025',
  name: 'Chỉ số CCHC thử nghiệm 2025',
  year: '2025',
  organizer: 'UBND huyện Trực Ninh',
  decision: '',
  criteriaSetId: String(setId),
  compositionPreset: 'appraisal:70,survey:30',
  compositionCustom: '',
  bands: 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0',
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

async function post(page: string, url: string, form: Record<string, string | string[]>) {
  const html = (await admin.get(page)).body;
  const body = new URLSearchParams({ _csrf: csrfToken(html) });
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: admin.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

describe('a campaign', () => {
  it('is created from a criteria set with its rules and dates, shown as dd/mm/yyyy', async () => {
    const res = await admin.submit('/admin/campaigns/new', '/admin/campaigns', settings());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/campaigns/thu-nghiem-2025');
    const [row] = await sql(
      `select state, composition, bands, to_char(self_assessment_closes, 'YYYY-MM-DD') as closes from campaign where code = 'thu-nghiem-2025'`,
    );
    expect(row.state).toBe('draft');
    expect(row.composition).toEqual([
      { key: 'appraisal', max: '70' },
      { key: 'survey', max: '30' },
    ]);
    expect(row.bands.map((b: { name: string }) => b.name)).toEqual(['Xuất sắc', 'Tốt', 'Khá', 'Trung bình', 'Yếu']);
    expect(row.closes).toBe('2025-12-20');
    const page = await admin.get('/admin/campaigns/thu-nghiem-2025');
    expect(page.body).toContain('01/12/2025 – 20/12/2025');
    expect(page.body).toMatch(/<td>Thẩm định<\/td><td class="num">70<\/td>/);
    expect(page.body).toMatch(/<td>Điều tra xã hội học<\/td><td class="num">30<\/td>/);
    expect(page.body).toMatch(/<td>Trung bình<\/td><td class="num">70<\/td>/);
    expect(page.body).not.toContain('appraisal:');
    expect((await sql(`select count(*)::int as n from audit_event where action = 'campaign.created'`))[0].n).toBe(1);
  });

  it('refuses wrong settings beside each field and keeps the input', async () => {
    const before = (await sql('select count(*)::int as n from campaign'))[0].n;
    const notation = ['compositionPreset', 'compositionCustom', 'bands'];
    const plain = Object.fromEntries(Object.entries(settings()).filter(([k]) => !notation.includes(k)));
    const rows = {
      componentKey: ['appraisal', 'survey', ''],
      componentMax: ['70', '20', ''],
      bandName: ['Tốt', 'Khá', 'Yếu'],
      bandMin: ['85', '90', '0'],
    };
    const res = await post('/admin/campaigns/new', '/admin/campaigns', {
      ...plain,
      ...rows,
      code: 'Có Dấu',
      selfAssessmentOpens: '31/02/2025',
      appraisalOpens: '01/12/2025',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Mã kỳ chỉ gồm chữ thường');
    // 31/02 is written right but is no day: said so, not as a wrong format.
    expect(res.body).toContain('Ngày này không có thật trên lịch');
    expect(res.body).not.toContain('Ngày phải có dạng dd/mm/yyyy');
    expect(res.body).toContain('Tổng điểm tối đa các thành phần phải bằng 100');
    expect(res.body).toContain('thứ tự ngưỡng giảm dần');
    expect(res.body).toMatch(
      /id="componentMax-1" name="componentMax" type="text" inputmode="decimal" class="num" value="20"/,
    );
    expect(res.body).toMatch(/id="bandMin-1" name="bandMin" type="text" inputmode="decimal" class="num" value="90"/);
    const again = await post('/admin/campaigns/new', '/admin/campaigns', {
      ...plain,
      ...rows,
      code: 'ok-code',
    });
    expect(again.body).toContain('Tổng điểm tối đa các thành phần phải bằng 100');
    expect(again.body).toContain('thứ tự ngưỡng giảm dần');
    const dup = await admin.submit('/admin/campaigns/new', '/admin/campaigns', settings());
    expect(dup.body).toContain('Mã kỳ này đã được dùng.');
    expect((await sql('select count(*)::int as n from campaign'))[0].n).toBe(before);
  });

  it('asks for a code left empty, rather than describing its format', async () => {
    const res = await admin.submit('/admin/campaigns/new', '/admin/campaigns', settings({ code: '  ' }));
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'code')).toBe('Nhập mã kỳ đánh giá.');
    expect(res.body).not.toContain('Mã kỳ chỉ gồm chữ thường');
  });

  it('takes its units, a deadline extension and criteria not applicable', async () => {
    const units = await sql<{ id: number; code: string }>(
      `select id, code from unit where code in ('xa-truc-thanh', 'xa-truc-dao')`,
    );
    const res = await post('/admin/campaigns/thu-nghiem-2025/units', '/admin/campaigns/thu-nghiem-2025/units', {
      units: units.map((u) => String(u.id)),
    });
    expect(res.statusCode).toBe(303);
    const ext = await post(
      '/admin/campaigns/thu-nghiem-2025/units',
      '/admin/campaigns/thu-nghiem-2025/units/xa-truc-dao/extension',
      { until: '24/12/2025', reason: '' },
    );
    expect(ext.statusCode).toBe(422);
    expect(ext.body).toContain('Nhập lý do gia hạn.');
    const ok = await post(
      '/admin/campaigns/thu-nghiem-2025/units',
      '/admin/campaigns/thu-nghiem-2025/units/xa-truc-dao/extension',
      { until: '24/12/2025', reason: 'Mất điện kéo dài' },
    );
    expect(ok.statusCode).toBe(303);
    const [cu] = await sql(
      `select to_char(deadline_extended_to, 'DD/MM/YYYY') as d from campaign_unit cu join unit u on u.id = cu.unit_id where u.code = 'xa-truc-dao' and cu.campaign_id = (select id from campaign where code = 'thu-nghiem-2025')`,
    );
    expect(cu.d).toBe('24/12/2025');
    const [{ id: field3 }] = await sql<{ id: number }>(
      `select id from criterion where criteria_set_id = ? and code = '3'`,
      [setId],
    );
    const ex = await post(
      '/admin/campaigns/thu-nghiem-2025/exemptions',
      '/admin/campaigns/thu-nghiem-2025/exemptions',
      { unit: 'xa-truc-dao', criterion: String(field3), reason: 'Không có TTHC' },
    );
    expect(ex.statusCode).toBe(303);
    const twice = await post(
      '/admin/campaigns/thu-nghiem-2025/exemptions',
      '/admin/campaigns/thu-nghiem-2025/exemptions',
      { unit: 'xa-truc-dao', criterion: String(field3), reason: '' },
    );
    expect(twice.statusCode).toBe(422);
    expect((await admin.get('/admin/campaigns/thu-nghiem-2025/exemptions')).body).toContain('Không có TTHC');
  });

  it("opens self-assessment only by an explicit step with its checks, creating every unit's empty form", async () => {
    const page = await admin.get('/admin/campaigns/thu-nghiem-2025');
    expect(page.body).toContain('Mở tự đánh giá');
    const res = await post('/admin/campaigns/thu-nghiem-2025', '/admin/campaigns/thu-nghiem-2025/state', {
      to: 'self-assessment',
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const [{ n: forms }] = await sql(
      `select count(*)::int as n from self_assessment sa join campaign c on c.id = sa.campaign_id where c.code = 'thu-nghiem-2025'`,
    );
    expect(forms).toBe(2);
    const [{ n: rows }] = await sql(
      `select count(*)::int as n from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join campaign c on c.id = sa.campaign_id where c.code = 'thu-nghiem-2025'`,
    );
    const [{ n: leaves }] = await sql(
      `select count(*)::int as n from criterion c where criteria_set_id = ? and kind <> 'survey' and not exists (select 1 from criterion k where k.parent_id = c.id)`,
      [setId],
    );
    expect(rows).toBe(2 * leaves);
    const audit = await sql(
      `select before, after from audit_event where action = 'campaign.state-changed' order by id desc limit 1`,
    );
    expect(audit[0]).toEqual({ before: { state: 'draft' }, after: { state: 'self-assessment' } });
    const skip = await post('/admin/campaigns/thu-nghiem-2025', '/admin/campaigns/thu-nghiem-2025/state', {
      to: 'published',
    });
    expect(skip.statusCode).toBe(422);
    const rules = await admin.submit(
      '/admin/campaigns/thu-nghiem-2025/settings',
      '/admin/campaigns/thu-nghiem-2025/settings',
      settings({ rounding: 'down' }),
    );
    // Fixed since self-assessment opened: shown read-only with the reason, never an input refused on save.
    const form = (await admin.get('/admin/campaigns/thu-nghiem-2025/settings')).body;
    expect(form).toContain('Không sửa được từ khi kỳ đánh giá chuyển sang «Tự đánh giá»');
    expect(form).not.toContain('name="rounding"');
    expect(form).not.toContain('name="bandName"');
    expect(form).toMatch(/<td>Xuất sắc<\/td><td class="num">95<\/td>/);
    expect(rules.statusCode).toBe(303);
    expect((await sql(`select rounding from campaign where code = 'thu-nghiem-2025'`))[0].rounding).toBe('half-up');
  });

  it('cannot open appraisal before any unit submitted, and says which check failed', async () => {
    const res = await post('/admin/campaigns/thu-nghiem-2025', '/admin/campaigns/thu-nghiem-2025/state', {
      to: 'appraisal',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('0 / 2 đơn vị đã nộp tự đánh giá');
    expect((await sql(`select state from campaign where code = 'thu-nghiem-2025'`))[0].state).toBe('self-assessment');
  });

  it('cannot open self-assessment while its criteria set has errors', async () => {
    const created = await admin.submit('/admin/criteria-sets/new', '/admin/criteria-sets', {
      name: 'Bộ trống',
      year: '2025',
      decision: '',
      copyFrom: '',
    });
    const emptySet = /\/(\d+)$/.exec(created.headers.location as string)![1];
    await admin.submit(
      '/admin/campaigns/new',
      '/admin/campaigns',
      settings({ code: 'bo-trong', criteriaSetId: emptySet }),
    );
    const unit = await sql<{ id: number }>(`select id from unit where code = 'xa-truc-thanh'`);
    await post('/admin/campaigns/bo-trong/units', '/admin/campaigns/bo-trong/units', { units: [String(unit[0].id)] });
    const res = await post('/admin/campaigns/bo-trong', '/admin/campaigns/bo-trong/state', { to: 'self-assessment' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Bộ tiêu chí có 1 lỗi cần sửa');
  });
});
