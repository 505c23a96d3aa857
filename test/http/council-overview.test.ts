import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dec, format, formatScore } from '../../src/domain/decimal.ts';
import { currentResults, notSubmittedUnits } from '../../src/features/results.ts';
import { rankSubmitted } from '../../src/domain/standing.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

// The demo district's campaign with two units submitted and partly appraised, set up with SQL as the
// self-assessment submission and the appraisers' work would leave it.
let t: TestApp;
let queries = 0;
let campaignId: number;
let url: string;
let admin: Browser;
let waitingItem: number;
let dueShown: string;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(text, params);

/** Scores every self-scored leaf, submits the unit and opens its appraisal items as submit.ts does. */
async function submit(unitCode: string, selfScore: string) {
  const [{ id }] = await sql<{ id: number }>(
    `select sa.id from self_assessment sa join unit u on u.id = sa.unit_id where sa.campaign_id = ? and u.code = ?`,
    [campaignId, unitCode],
  );
  await sql(
    `update criterion_score cs set self_score = ${selfScore}, explanation = 'Có kế hoạch, trang 2'
               from criterion c where c.id = cs.criterion_id and cs.self_assessment_id = ? and c.kind = 'self'`,
    [id],
  );
  await sql(`update self_assessment set state = 'submitted', submitted_at = now() where id = ?`, [id]);
  await sql(
    `insert into appraisal (criterion_score_id, state, reason, version)
             select cs.id, 'todo', '', 1 from criterion_score cs where cs.self_assessment_id = ?
             on conflict (criterion_score_id) do nothing`,
    [id],
  );
}

/** Sets the appraisal of a unit's criteria (a code, or a field's subtree with 'x.%'). */
async function appraise(unitCode: string, codeLike: string, state: string, appraiser: string, score: string) {
  const rows = await sql<{ id: number }>(
    `update appraisal a set state = ?, appraised_score = ${score}, appraiser_id = (select id from app_user where username = ?),
            reason = case when ? = 'adjusted' then 'Tài liệu là bản quét' else '' end, updated_at = now()
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
      where a.criterion_score_id = cs.id and sa.campaign_id = ? and u.code = ? and c.code like ?
      returning a.id`,
    [state, appraiser, state, campaignId, unitCode, codeLike],
  );
  expect(rows.length).toBeGreaterThan(0);
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = await startTestApp({
    onQuery: (text) => {
      if (/\b(select|insert|update|delete|with)\b/i.test(text)) queries++;
    },
  });
  const [campaign] = await sql<{ id: number; code: string }>('select id, code from campaign limit 1');
  campaignId = campaign.id;
  url = paths.council.campaign(campaign.code);
  await sql(`update campaign set state = 'appraisal' where id = ?`, [campaignId]);
  await submit('xa-truc-thanh', 'c.max_score');
  await submit('xa-truc-dao', `case when c.code like '1.%' then 0 else c.max_score end`);
  // Phòng Nội vụ accepts Trực Thanh's field 1 (the self score), then lowers 1.2 to half.
  await appraise('xa-truc-thanh', '1.%', 'accepted', 'thamdinh', 'cs.self_score');
  await appraise('xa-truc-thanh', '1.2', 'adjusted', 'thamdinh', '0.5');
  // Phòng Tư pháp accepts Trực Đạo's field 2, lowers 2.1.1 and asks for an explanation on 2.1.2, now overdue.
  await appraise('xa-truc-dao', '2.%', 'accepted', 'thamdinh-tuphap', 'cs.self_score');
  await appraise('xa-truc-dao', '2.1.1', 'adjusted', 'thamdinh-tuphap', '0.25');
  [waitingItem] = await appraise('xa-truc-dao', '2.1.2', 'waiting', 'thamdinh-tuphap', 'null');
  await sql(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
             values (?, 'Ghi rõ số trang của kế hoạch', current_date - 3, (select id from app_user where username = 'thamdinh-tuphap'), now())`,
    [waitingItem],
  );
  [{ due: dueShown }] = await sql<{ due: string }>(
    `select to_char(due_date, 'DD/MM/YYYY') as due from explanation_request where appraisal_id = ?`,
    [waitingItem],
  );
  admin = new Browser(t.app);
  await admin.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

/** The inside of the element with this id. */
function section(html: string, id: string): string {
  const m = new RegExp(`<table class="table" id="${id}">([\\s\\S]*?)</table>`).exec(html);
  if (!m) throw new Error(`no table #${id}`);
  return m[1];
}

/** The cells marked data-state (or data-col) in the row carrying `attr`, as text. */
function cells(html: string, attr: string, key = 'data-state'): Record<string, string> {
  const row = new RegExp(`<tr ${attr}>([\\s\\S]*?)</tr>`).exec(html);
  if (!row) throw new Error(`no row ${attr}`);
  const out: Record<string, string> = {};
  for (const m of row[1].matchAll(new RegExp(`${key}="([^"]+)">([\\s\\S]*?)</td>`, 'g')))
    out[m[1]] = m[2].replace(/<[^>]+>/g, '').trim();
  return out;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe("the council's campaign overview", () => {
  it('is open to the secretariat and the council chair only, and never cached', async () => {
    const page = await admin.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    const chair = await Browser.signedIn(t.app, 'chutich');
    expect((await chair.get(url)).statusCode).toBe(200);
    expect((await chair.get('/council')).body).toContain(`href="${url}"`);
    for (const username of ['canbo', 'thamdinh']) {
      const b = await Browser.signedIn(t.app, username);
      expect((await b.get(url)).statusCode).toBe(404);
    }
    const anonymous = await new Browser(t.app).get(url);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
    expect((await admin.get('/council/campaigns/khong-co')).statusCode).toBe(404);
  });

  it("counts items per agency and state, as the criteria's own agencies give them", async () => {
    const html = (await admin.get(url)).body;
    const table = section(html, 'by-agency');
    // In the demo set every criterion names its agency, so the count needs no tree walk.
    const expected = await sql<{ agency_id: number; state: string; n: number }>(
      `select c.agency_id, a.state, count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join criterion c on c.id = cs.criterion_id
        where sa.campaign_id = ? group by c.agency_id, a.state`,
      [campaignId],
    );
    const agencies = await sql<{ id: number; code: string }>('select id, code from agency');
    for (const agency of agencies) {
      const shown = cells(table, `data-agency="${agency.id}"`);
      for (const state of ['todo', 'accepted', 'adjusted', 'waiting', 'answered']) {
        expect([agency.code, state, shown[state]]).toEqual([
          agency.code,
          state,
          String(expected.find((e) => e.agency_id === agency.id && e.state === state)?.n ?? 0),
        ]);
      }
    }
    const tuPhap = agencies.find((a) => a.code === 'tu-phap')!.id;
    const noiVu = agencies.find((a) => a.code === 'noi-vu')!.id;
    expect(cells(table, `data-agency="${tuPhap}"`)).toMatchObject({ adjusted: '1', waiting: '1', overdue: '1' });
    expect(cells(table, `data-agency="${noiVu}"`)).toMatchObject({ adjusted: '1', waiting: '0', overdue: '0' });
    const [{ n: items }] = await sql<{ n: number }>(
      `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id where sa.campaign_id = ?`,
      [campaignId],
    );
    expect(/<tfoot>[\s\S]*data-state="total">(\d+)</.exec(table)![1]).toBe(String(items));
    const [{ n: decided }] = await sql<{ n: number }>(
      `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
        where sa.campaign_id = ? and a.state in ('accepted', 'adjusted')`,
      [campaignId],
    );
    expect(/id="sum-submitted">([^<]*)</.exec(html)![1]).toBe('2 / 21');
    expect(/id="sum-done">([^<]*)</.exec(html)![1]).toBe(`${decided} / ${items}`);
    expect(/id="sum-waiting">([^<]*)</.exec(html)![1]).toBe('1');
    expect(/id="sum-overdue">([^<]*)</.exec(html)![1]).toBe('1');
  });

  it("shows each unit's progress and each appraiser's decisions", async () => {
    const html = (await admin.get(url)).body;
    const units = section(html, 'by-unit');
    const [{ leaves }] = await sql<{ leaves: number }>(
      `select count(*)::int as leaves from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
        where sa.campaign_id = ? and u.code = 'xa-truc-thanh'`,
      [campaignId],
    );
    const [{ field1 }] = await sql<{ field1: number }>(
      `select count(*)::int as field1 from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id
        where k.id = ? and c.code like '1.%' and not exists (select 1 from criterion x where x.parent_id = c.id)`,
      [campaignId],
    );
    const [{ field2 }] = await sql<{ field2: number }>(
      `select count(*)::int as field2 from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id
        where k.id = ? and c.code like '2.%' and not exists (select 1 from criterion x where x.parent_id = c.id)`,
      [campaignId],
    );
    expect(cells(units, 'data-unit="xa-truc-thanh"')).toEqual({
      done: `${field1} / ${leaves}`,
      waiting: '0',
      overdue: '0',
    });
    expect(cells(units, 'data-unit="xa-truc-dao"')).toEqual({
      done: `${field2 - 1} / ${leaves}`,
      waiting: '1',
      overdue: '1',
    });
    expect(cells(units, 'data-unit="xa-truc-tuan"')).toEqual({ done: '—', waiting: '0', overdue: '0' });
    expect(text(/<tr data-unit="xa-truc-tuan">[\s\S]*?<\/tr>/.exec(units)![0])).toContain('Chưa nộp');
    const appraisers = text(section(html, 'by-appraiser'));
    expect(appraisers).toContain(`Nguyễn Thị Lan Anh Phòng Nội vụ ${field1 - 1} 1 0`);
    expect(appraisers).toContain(`Vũ Đức Thắng Phòng Tư pháp ${field2 - 2} 1 1`);
  });

  it('lists the overdue explanation first, linked to the item only for a reader who appraises for its agency', async () => {
    const html = (await admin.get(url)).body;
    const list = section(html, 'outstanding-items');
    const first = /<tr id="item-(\d+)">([\s\S]*?)<\/tr>/.exec(list)!;
    expect(Number(first[1])).toBe(waitingItem);
    // The secretariat cannot open the appraisers' item page (it answers 404): no link that leads nowhere.
    expect(first[2]).not.toContain('href="/appraisal/items/');
    expect((await admin.get(`/appraisal/items/${waitingItem}`)).statusCode).toBe(404);
    const appraisesFor = (agency: string) =>
      sql(
        `insert into role_assignment (user_id, role, agency_id, created_at)
         select u.id, 'appraiser', a.id, now() from app_user u, agency a where u.username = 'admin' and a.code = ?`,
        [agency],
      );
    const outstandingRow = async (b: Browser) =>
      /<tr id="item-(\d+)">([\s\S]*?)<\/tr>/.exec(section((await b.get(url)).body, 'outstanding-items'))!;
    try {
      // One who appraises for another agency cannot open this item either: still no link.
      await appraisesFor('tai-chinh-ke-hoach');
      const other = await Browser.signedIn(t.app, 'admin');
      expect((await outstandingRow(other))[2]).not.toContain('href="/appraisal/items/');
      expect((await other.get(`/appraisal/items/${waitingItem}`)).statusCode).toBe(404);
      // The secretariat's member who also appraises for Phòng Tư pháp gets the link, and it opens.
      await appraisesFor('tu-phap');
      const both = await Browser.signedIn(t.app, 'admin');
      const linked = await outstandingRow(both);
      expect(linked[2]).toContain(`href="/appraisal/items/${waitingItem}"`);
      expect((await both.get(`/appraisal/items/${waitingItem}`)).statusCode).toBe(200);
    } finally {
      await sql(
        `delete from role_assignment where role = 'appraiser' and user_id = (select id from app_user where username = 'admin')`,
      );
    }
    expect(text(first[2])).toContain(`Quá hạn giải trình bổ sung (hạn ${dueShown})`);
    expect(text(first[2])).toContain('Xã Trực Đạo');
    expect(text(first[2])).toContain('Phòng Tư pháp');
    expect(html).toContain('Hiển thị 50 trên');
  });

  it('counts every undecided item as overdue once the appraisal phase has closed', async () => {
    await sql(`update campaign set appraisal_closes = current_date - 2 where id = ?`, [campaignId]);
    try {
      const html = (await admin.get(url)).body;
      const [{ n: undecided }] = await sql<{ n: number }>(
        `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
          where sa.campaign_id = ? and a.state not in ('accepted', 'adjusted')`,
        [campaignId],
      );
      expect(/id="sum-overdue">([^<]*)</.exec(html)![1]).toBe(String(undecided));
      const second = [...section(html, 'outstanding-items').matchAll(/<tr id="item-(\d+)">([\s\S]*?)<\/tr>/g)][1];
      expect(text(second[2])).toContain('Quá hạn thẩm định (kết thúc');
    } finally {
      await sql(`update campaign set appraisal_closes = current_date + 20 where id = ?`, [campaignId]);
    }
  });

  it('shows the preliminary ranking on a page of its own, marked for the council only, exactly as the scoring core computes it', async () => {
    const overview = (await admin.get(url)).body;
    expect(overview).toContain('Kết quả sơ bộ — chỉ dành cho Hội đồng, chưa công bố');
    expect(overview).toContain(`href="${url}/ranking"`);
    expect(overview).not.toContain('id="preliminary-ranking"');
    const page = await admin.get(`${url}/ranking`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    const html = page.body;
    expect(html).toContain('Kết quả sơ bộ — chỉ dành cho Hội đồng, chưa công bố');
    const table = section(html, 'preliminary-ranking');
    const { input, results } = await currentResults(t.orm.em.fork(), campaignId);
    const places = input.rules.precision;
    const vi = (v: Dec | null | undefined) => (v == null ? '—' : formatScore(format(v, places), 'vi'));
    // Units that never submitted are a state, not a score: after the ranked units, by name, without rank or index.
    const { ranked, apart } = rankSubmitted(results, await notSubmittedUnits(t.orm.em.fork(), campaignId));
    expect(ranked.map((r) => r.code)).toEqual(['xa-truc-thanh', 'xa-truc-dao']);
    expect([...table.matchAll(/<tr data-unit="([^"]+)">/g)].map((m) => m[1])).toEqual(
      [...ranked, ...apart].map((r) => r.code),
    );
    for (const r of apart)
      expect(cells(table, `data-unit="${r.code}"`, 'data-col')).toEqual({
        rank: '—',
        self: '—',
        points: '—',
        index: '—',
        band: 'Không nộp báo cáo tự đánh giá',
        'component-appraisal': '—',
        'component-survey': '—',
      });
    for (const r of ranked) {
      expect(cells(table, `data-unit="${r.code}"`, 'data-col')).toEqual({
        rank: String(r.rank),
        self: vi(r.selfPoints),
        points: vi(r.points),
        index: vi(r.index),
        band: r.band,
        'component-appraisal': vi(r.components.appraisal),
        'component-survey': vi(r.components.survey),
      });
    }
    // Independently: exact sums in SQL, and the appraisal component of 70 over the applicable maximum.
    const sums = await sql<{ code: string; self: string; points: string; component: string }>(
      `select u.code, replace(trim_scale(coalesce(sum(cs.self_score), 0))::text, '.', ',') as self,
              replace(trim_scale(coalesce(sum(a.appraised_score), 0))::text, '.', ',') as points,
              replace(trim_scale(round(coalesce(sum(a.appraised_score), 0) / sum(c.max_score) * 70, 2))::text, '.', ',') as component
         from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
         join criterion c on c.id = cs.criterion_id left join appraisal a on a.criterion_score_id = cs.id
        where sa.campaign_id = ? and u.code in ('xa-truc-thanh', 'xa-truc-dao') group by u.code`,
      [campaignId],
    );
    expect(sums.length).toBe(2);
    for (const s of sums) {
      expect(cells(table, `data-unit="${s.code}"`, 'data-col')).toMatchObject({
        self: s.self,
        points: s.points,
        index: s.component,
        'component-appraisal': s.component,
        'component-survey': '0',
      });
    }
    const order = [...table.matchAll(/<tr data-unit="([^"]+)">/g)].map((m) => m[1]);
    expect(order.slice(0, 2)).toEqual(['xa-truc-thanh', 'xa-truc-dao']);
    expect(cells(table, 'data-unit="xa-truc-thanh"', 'data-col').rank).toBe('1');
    expect(cells(table, 'data-unit="xa-truc-dao"', 'data-col').rank).toBe('2');
    expect(cells(table, 'data-unit="xa-truc-tuan"', 'data-col').rank).toBe('—');
    expect(cells(table, 'data-unit="xa-truc-tuan"', 'data-col').band).toBe('Không nộp báo cáo tự đánh giá');
  });

  it('speaks English on the switch', async () => {
    const b = await Browser.signedIn(t.app, 'chutich');
    b.cookies.set('cchc_lang', 'en');
    const html = (await b.get(url)).body;
    expect(html).toContain('Preliminary results — for the council only, not published');
    expect(html).toContain('Progress by appraising agency');
  });

  it('reads everything in the same number of queries whatever the number of units submitted', async () => {
    await admin.get(url);
    queries = 0;
    await admin.get(url);
    const before = queries;
    await submit('xa-truc-tuan', 'c.max_score');
    await submit('thi-tran-co-le', 'c.max_score');
    await appraise('thi-tran-co-le', '3.%', 'accepted', 'thamdinh', 'cs.self_score');
    queries = 0;
    const page = await admin.get(url);
    expect(page.statusCode).toBe(200);
    expect(/id="sum-submitted">([^<]*)</.exec(page.body)![1]).toBe('4 / 21');
    expect(queries).toBe(before);
    expect(queries).toBeLessThanOrEqual(14);
  });
});
