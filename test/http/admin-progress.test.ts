// The secretariat's appraisal progress page: items left and done, overdue explanation requests, per agency then per
// appraiser, and the campaign's "not appraised yet" check naming the agencies and linking to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let admin: Browser;
let campaignId: number;
let code: string;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(text, params);

/** Submits the unit with every self-scored leaf at its maximum and opens its appraisal items, as submit.ts does. */
async function submit(unitCode: string) {
  const [{ id }] = await sql<{ id: number }>(
    `select sa.id from self_assessment sa join unit u on u.id = sa.unit_id where sa.campaign_id = ? and u.code = ?`,
    [campaignId, unitCode],
  );
  await sql(
    `update criterion_score cs set self_score = c.max_score, explanation = 'Có'
       from criterion c where c.id = cs.criterion_id and cs.self_assessment_id = ? and c.kind = 'self'`,
    [id],
  );
  await sql(`update self_assessment set state = 'submitted', submitted_at = now() where id = ?`, [id]);
  await sql(
    `insert into appraisal (criterion_score_id, state, reason, version)
       select cs.id, 'todo', '', 1 from criterion_score cs where cs.self_assessment_id = ? on conflict do nothing`,
    [id],
  );
}

async function appraise(unitCode: string, codeLike: string, state: string, appraiser: string) {
  const rows = await sql<{ id: number }>(
    `update appraisal a set state = ?, appraised_score = case when ? in ('accepted', 'adjusted') then cs.self_score end,
            appraiser_id = (select id from app_user where username = ?), updated_at = now()
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
      where a.criterion_score_id = cs.id and sa.campaign_id = ? and u.code = ? and c.code like ?
      returning a.id`,
    [state, state, appraiser, campaignId, unitCode, codeLike],
  );
  expect(rows.length).toBeGreaterThan(0);
  return rows.map((r) => r.id);
}

const decided = async (username?: string) =>
  (
    await sql<{ n: number }>(
      `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id
        where sa.campaign_id = ? and a.state in ('accepted', 'adjusted')
          and (?::text is null or a.appraiser_id = (select id from app_user where username = ?))`,
      [campaignId, username ?? null, username ?? null],
    )
  )[0].n;

beforeAll(async () => {
  t = await startTestApp();
  admin = await Browser.signedIn(t.app, 'admin');
  [{ id: campaignId, code }] = await sql<{ id: number; code: string }>('select id, code from campaign limit 1');
  await sql(`update campaign set state = 'appraisal' where id = ?`, [campaignId]);
  await submit('xa-truc-thanh');
  await submit('xa-truc-dao');
  await appraise('xa-truc-thanh', '1.%', 'accepted', 'thamdinh');
  await appraise('xa-truc-dao', '2.%', 'accepted', 'thamdinh-tuphap');
  const [waiting] = await appraise('xa-truc-dao', '2.1.2', 'waiting', 'thamdinh-tuphap');
  const [answeredLate] = await appraise('xa-truc-dao', '2.1.1', 'waiting', 'thamdinh-tuphap');
  // One request overdue (3 days past, no answer), one still within its time.
  await sql(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
       values (?, 'Ghi rõ số trang', current_date - 3, (select id from app_user where username = 'thamdinh-tuphap'), now()),
              (?, 'Bổ sung quyết định', current_date + 2, (select id from app_user where username = 'thamdinh-tuphap'), now())`,
    [waiting, answeredLate],
  );
});
afterAll(async () => {
  await t?.close();
});

/** The cell of a row (by its data attribute) and column. */
function cell(html: string, row: string, col: string): string {
  const tr = new RegExp(`<tr ${row}>([\\s\\S]*?)</tr>`).exec(html);
  expect(tr, row).not.toBeNull();
  const td = new RegExp(`data-col="${col}">(?:<strong class="late">)?([^<]*)<`).exec(tr![1]);
  return td![1].trim();
}

describe('the appraisal progress page', () => {
  it('counts items left and done, overdue requests, per agency then per appraiser', async () => {
    const res = await admin.get(paths.admin.campaignProgress(code));
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const [{ total }] = await sql<{ total: number }>(
      `select count(*)::int as total from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id where sa.campaign_id = ?`,
      [campaignId],
    );
    const done = await decided();
    expect(/id="progress-left">(\d+)</.exec(html)![1]).toBe(String(total - done));
    expect(/id="progress-done">(\d+) \/ (\d+)</.exec(html)!.slice(1)).toEqual([String(done), String(total)]);
    expect(/id="progress-overdue">(\d+)</.exec(html)![1]).toBe('1');

    // Per agency: the rows add up to the summary; Tư pháp has the two requests, one overdue.
    const agencyRows = [...html.matchAll(/<tr data-agency="([^"]*)">/g)].map((m) => m[1]);
    expect(agencyRows).toContain('Phòng Tư pháp');
    expect(agencyRows).toContain('Phòng Nội vụ');
    const left = agencyRows.reduce((s, a) => s + Number(cell(html, `data-agency="${a}"`, 'left')), 0);
    expect(left).toBe(total - done);
    expect(cell(html, 'data-agency="Phòng Tư pháp"', 'waiting')).toBe('2');
    expect(cell(html, 'data-agency="Phòng Tư pháp"', 'overdue')).toBe('1');
    expect(cell(html, 'data-agency="Phòng Nội vụ"', 'overdue')).toBe('0');
    const tuPhap = /<tr data-agency="Phòng Tư pháp">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(tuPhap).toContain('Xã Trực Đạo, Xã Trực Thanh');

    // Per appraiser: what each decided and asked; every appraiser listed, even one who has not started.
    expect(cell(html, 'data-appraiser="Vũ Đức Thắng"', 'done')).toBe(String(await decided('thamdinh-tuphap')));
    expect(cell(html, 'data-appraiser="Vũ Đức Thắng"', 'asked')).toBe('2');
    expect(cell(html, 'data-appraiser="Vũ Đức Thắng"', 'overdue')).toBe('1');
    expect(cell(html, 'data-appraiser="Vũ Đức Thắng"', 'left')).toBe(cell(html, 'data-agency="Phòng Tư pháp"', 'left'));
    expect(cell(html, 'data-appraiser="Nguyễn Thị Lan Anh"', 'done')).toBe(String(await decided('thamdinh')));
    expect(cell(html, 'data-appraiser="Trịnh Thị Mai"', 'done')).toBe('0');
    expect(html.indexOf('id="progress-agencies"')).toBeLessThan(html.indexOf('id="progress-appraisers"'));
  });

  it('is where the campaign\'s "not appraised yet" line leads, naming the agencies', async () => {
    const page = (await admin.get(paths.admin.campaign(code))).body;
    const line = /<li class="fail"><a href="([^"]+)">(Còn \d+ mục chưa thẩm định xong: [^<]*)<\/a><\/li>/.exec(page);
    expect(line).not.toBeNull();
    expect(line![1]).toBe(paths.admin.campaignProgress(code));
    const progress = (await admin.get(paths.admin.campaignProgress(code))).body;
    const tuPhapLeft = cell(progress, 'data-agency="Phòng Tư pháp"', 'left');
    expect(line![2]).toContain(`Phòng Tư pháp ${tuPhapLeft}`);
    expect(line![2]).toContain('Phòng Nội vụ');
  });

  it('is for the secretariat and the council, the council reaching it from its overview', async () => {
    const chair = await Browser.signedIn(t.app, 'chutich');
    const overview = (await chair.get(paths.council.campaign(code))).body;
    expect(overview).toContain(`<a href="${paths.council.progress(code)}">`);
    const councilPage = await chair.get(paths.council.progress(code));
    expect(councilPage.statusCode).toBe(200);
    const adminPage = (await admin.get(paths.admin.campaignProgress(code))).body;
    for (const id of ['progress-left', 'progress-done', 'progress-overdue'])
      expect(new RegExp(`id="${id}">([^<]*)<`).exec(councilPage.body)![1]).toBe(
        new RegExp(`id="${id}">([^<]*)<`).exec(adminPage)![1],
      );
    expect(councilPage.body).toContain(`<a href="${paths.council.campaign(code)}">`);
    for (const username of ['thamdinh', 'canbo']) {
      const b = await Browser.signedIn(t.app, username);
      expect((await b.get(paths.admin.campaignProgress(code))).statusCode, username).toBe(404);
      expect((await b.get(paths.council.progress(code))).statusCode, username).toBe(404);
    }
    expect((await chair.get(paths.admin.campaignProgress(code))).statusCode).toBe(404);
  });
});
