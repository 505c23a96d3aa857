import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';
import { publishedRanks } from '../../src/features/published/campaign-page.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { fieldError } from '../helpers/admin.ts';
import { submitUnitBySql } from '../helpers/appraisal.ts';

// The demo district's campaign walked through every weighty step over HTTP, as the issue saw it go wrong: moved to
// appraisal with 2 of 21 units submitted, 10 days before the deadline. Each step first shows its confirmation page
// with the numbers and changes nothing; only the POST with confirm=yes takes it. Then the published results show the
// units that never submitted as a state, not a score.

let t: TestApp;
let code: string;
let admin: Browser;
let chair: Browser;
const today = todayInVietnam();
const submitted = ['xa-truc-thanh', 'thi-tran-co-le'];

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const state = async () => (await sql<{ state: string }>('select state from campaign where code = ?', [code]))[0]!.state;
const audits = async (action: string) =>
  (await sql<{ n: number }>('select count(*)::int as n from audit_event where action = ?', [action]))[0]!.n;
/** The visible text of a page, tags dropped and spaces folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
/** The markup from an element with this id to the first list, table, definition list or box that closes after it. */
const section = (html: string, id: string) => {
  const from = html.indexOf(`id="${id}"`);
  expect(from, id).toBeGreaterThan(-1);
  const ends = ['</ul>', '</table>', '</dl>', '</div>'].map((e) => html.indexOf(e, from)).filter((i) => i > -1);
  return html.slice(from, Math.min(...ends));
};

async function post(b: Browser, page: string, url: string, form: Record<string, string>) {
  const html = (await b.get(page)).body;
  return b.request('POST', url, { form: { _csrf: csrfToken(html), ...form } });
}

beforeAll(async () => {
  t = await startTestApp({ today });
  [{ code }] = await sql<{ code: string }>('select code from campaign order by id limit 1');
  for (const unit of submitted) await submitUnitBySql(t.orm, unit, unit === 'xa-truc-thanh' ? 1 : 0.5);
  // Last year, published with every unit submitted: the change against it is shown where both years are real.
  await seedPublishedPastYear(t.orm, Number(today.slice(0, 4)) - 1);
  admin = await Browser.signedIn(t.app, 'admin');
  chair = await Browser.signedIn(t.app, 'chutich');
});
afterAll(async () => {
  await t.close();
});

describe('a phase change is confirmed on a page of its own', () => {
  it('moving to appraisal early: the button leads to a page that warns in red with the count and names of the units not submitted and the days left', async () => {
    const overview = (await admin.get(paths.admin.campaign(code))).body;
    expect(overview).toContain(`<form method="get" action="${paths.admin.campaignState(code)}">`);
    // The checklist no longer shows a green tick when most units have not submitted.
    expect(overview).toContain(`<li class="warn">${submitted.length} / 21 đơn vị đã nộp tự đánh giá</li>`);
    const res = await admin.get(paths.admin.campaignState(code, { to: 'appraisal' }));
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const units = await sql<{ code: string; name: string }>(
      `select u.code, u.name from campaign_unit cu join unit u on u.id = cu.unit_id join campaign c on c.id = cu.campaign_id where c.code = ? order by u.name collate "vi-x-icu"`,
      [code],
    );
    const missing = units.filter((u) => !submitted.includes(u.code));
    expect(missing.length).toBeGreaterThan(10);
    const warning = text(section(html, 'early-warning'));
    expect(warning).toContain('Cảnh báo: bước này đến sớm');
    expect(warning).toContain(`Chưa hết hạn tự đánh giá (${formatDate(addDays(today, 10))}: còn 10 ngày).`);
    expect(warning).toContain(`${missing.length} / ${units.length} đơn vị chưa nộp báo cáo tự đánh giá`);
    expect(html).toContain('role="alert" id="early-warning"');
    expect(text(html)).toContain(`Đơn vị chưa nộp tự đánh giá (${missing.length})`);
    const listed = [...section(html, 'not-submitted').matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(listed).toEqual(missing.map((u) => u.name));
    expect(text(section(html, 'confirm-numbers'))).toContain(
      `Đơn vị đã nộp tự đánh giá ${submitted.length} / ${units.length}`,
    );
    // The items of the submitted units, per agency, that appraisal will have to decide.
    const [{ n: items }] = await sql<{ n: number }>(`select count(*)::int as n from appraisal where state = 'todo'`);
    expect(text(html)).toContain(`Mục chưa thẩm định xong theo cơ quan (${items})`);
    expect(html).toContain('id="open-by-agency"');
    expect(html).toContain('name="confirm" value="yes"');
    expect(html).toContain('Vẫn thực hiện dù đến sớm: Chuyển sang thẩm định');
    const english = await Browser.signedIn(t.app, 'admin');
    english.cookies.set('cchc_lang', 'en');
    const inEnglish = text((await english.get(paths.admin.campaignState(code, { to: 'appraisal' }))).body);
    expect(inEnglish).toContain('Warning: this step comes early');
    expect(inEnglish).toContain(`${missing.length} / ${units.length} units have not submitted their self-assessment`);
    expect(inEnglish).toContain('Go ahead although it is early: Move to appraisal');
    expect(await state()).toBe('self-assessment');
  });

  it('a POST without the confirmation renders the same page and changes nothing; with it the campaign moves', async () => {
    const before = await audits('campaign.state-changed');
    const unconfirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignState(code), {
      to: 'appraisal',
    });
    expect(unconfirmed.statusCode).toBe(200);
    expect(unconfirmed.body).toContain('Xác nhận: Chuyển sang thẩm định');
    expect(unconfirmed.body).toContain('id="early-warning"');
    expect(unconfirmed.body).toContain('<input type="hidden" name="to" value="appraisal">');
    expect(await state()).toBe('self-assessment');
    expect(await audits('campaign.state-changed')).toBe(before);
    const confirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignState(code), {
      to: 'appraisal',
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(await state()).toBe('appraisal');
    expect(await audits('campaign.state-changed')).toBe(before + 1);
  });

  it('a step that cannot be taken is refused with its checks, confirmed or not', async () => {
    // Items are still open: closing appraisal is blocked, and its confirmation address leads back to the checks.
    const blocked = await admin.get(paths.admin.campaignState(code, { to: 'council-review' }));
    expect(blocked.statusCode).toBe(303);
    expect(blocked.headers.location).toBe(paths.admin.campaign(code, {}, 'next-step'));
    const refused = await post(admin, paths.admin.campaign(code), paths.admin.campaignState(code), {
      to: 'council-review',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('mục chưa thẩm định xong');
    expect(await state()).toBe('appraisal');
  });

  it('closing appraisal before its deadline warns, states what becomes final, and needs the confirmation', async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = cs.self_score from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    const page = await admin.get(paths.admin.campaignState(code, { to: 'council-review' }));
    expect(page.statusCode).toBe(200);
    const html = text(page.body);
    expect(html).toContain('Thẩm định kết thúc: thành viên thẩm định không sửa được điểm nữa');
    expect(html).toContain(`Chưa hết hạn thẩm định (${formatDate(addDays(today, 17))}: còn 17 ngày).`);
    expect(html).toContain('Không còn mục nào chưa thẩm định.');
    const unconfirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignState(code), {
      to: 'council-review',
    });
    expect(unconfirmed.statusCode).toBe(200);
    expect(await state()).toBe('appraisal');
    const confirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignState(code), {
      to: 'council-review',
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(await state()).toBe('council-review');
  });
});

describe("the chair's approval", () => {
  it('the chair reads the ranking first, the approval form below it', async () => {
    for (const url of [paths.council.ranking(code), paths.council.campaign(code)]) {
      const html = (await chair.get(url)).body;
      const ranking = html.indexOf(url.endsWith('/ranking') ? 'id="preliminary-ranking"' : 'id="ranking"');
      expect(ranking, url).toBeGreaterThan(-1);
      expect(html.indexOf('id="approval"'), url).toBeGreaterThan(ranking);
      expect(html.indexOf(`action="${paths.council.approval(code)}"`), url).toBeGreaterThan(ranking);
    }
  });

  it('refuses a decision dated in the future or before appraisal closed, beside the field and in the summary', async () => {
    const cases = [
      { date: formatDate(addDays(today, 18)), error: `Ngày quyết định không được sau hôm nay (${formatDate(today)}).` },
      {
        date: formatDate(addDays(today, -1)),
        error: `Ngày quyết định không được trước ngày kết thúc thẩm định (${formatDate(today)}).`,
      },
    ];
    for (const c of cases) {
      for (const confirm of ['', 'yes']) {
        const res = await post(chair, paths.council.campaign(code), paths.council.approval(code), {
          decision: '15/QĐ-UBND',
          decisionDate: c.date,
          confirm,
        });
        expect(res.statusCode).toBe(422);
        expect(fieldError(res.body, 'decisionDate')).toBe(c.error);
        expect(res.body).toContain(`<a href="#decisionDate">${c.error}</a>`);
        expect(res.body.indexOf('class="error-summary"')).toBeLessThan(res.body.indexOf('id="summary"'));
        expect(res.body).toContain(`value="${c.date}"`);
        expect(res.body).toContain('value="15/QĐ-UBND"');
      }
    }
    const english = await Browser.signedIn(t.app, 'chutich');
    english.cookies.set('cchc_lang', 'en');
    const res = await post(english, paths.council.campaign(code), paths.council.approval(code), {
      decision: '15/QĐ-UBND',
      decisionDate: formatDate(addDays(today, 18)),
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'decisionDate')).toBe(
      `The decision date cannot be after today (${formatDate(today)}).`,
    );
    expect(await state()).toBe('council-review');
  });

  it('asks to confirm with the decision and the units that never submitted, then approves', async () => {
    const before = await audits('campaign.approved');
    const unconfirmed = await post(chair, paths.council.campaign(code), paths.council.approval(code), {
      decision: '15/QĐ-UBND',
      decisionDate: formatDate(today),
    });
    expect(unconfirmed.statusCode).toBe(200);
    const html = text(unconfirmed.body);
    expect(html).toContain('Xác nhận: Phê duyệt kết quả');
    expect(html).toContain(`Quyết định Số 15/QĐ-UBND ngày ${formatDate(today)}`);
    expect(html).toContain('Đơn vị chưa nộp tự đánh giá (19)');
    expect(unconfirmed.body).not.toContain('id="early-warning"');
    expect(await state()).toBe('council-review');
    expect(await audits('campaign.approved')).toBe(before);
    const confirmed = await chair.request('POST', paths.council.approval(code), {
      form: {
        _csrf: csrfToken(unconfirmed.body),
        decision: '15/QĐ-UBND',
        decisionDate: formatDate(today),
        confirm: 'yes',
      },
    });
    expect(confirmed.statusCode).toBe(303);
    expect(await state()).toBe('approved');
  });
});

describe('publication and corrections', () => {
  it('publication is confirmed on its page; a POST without it publishes nothing', async () => {
    const page = await admin.get(paths.admin.campaignPublications(code));
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Kết quả được đóng băng thành phiên bản 1 và công khai cho mọi người');
    const unconfirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {});
    expect(unconfirmed.statusCode).toBe(200);
    expect(
      (await sql('select p.id from publication p join campaign c on c.id = p.campaign_id where c.code = ?', [code]))
        .length,
    ).toBe(0);
    const confirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(await state()).toBe('published');
  });

  it('a score correction states the score before and after; only the confirmed one is written', async () => {
    const score = async () =>
      (
        await sql<{ s: string }>(
          `select a.appraised_score::text as s from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
             join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
            where u.code = 'thi-tran-co-le' and c.code = '1.1.1'`,
        )
      )[0]!.s;
    const was = await score();
    const form = { unit: 'thi-tran-co-le', criterion: '1.1.1', score: '0', reason: 'Kết luận kiểm tra số 3/KL-NV' };
    const unconfirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), form);
    expect(unconfirmed.statusCode).toBe(200);
    expect(text(unconfirmed.body)).toContain(
      'Điểm thẩm định của tiêu chí 1.1.1, đơn vị Thị trấn Cổ Lễ (thi-tran-co-le): 0,25 → 0.',
    );
    expect(await score()).toBe(was);
    expect(await audits('appraisal.corrected')).toBe(0);
    const confirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      ...form,
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(Number(await score())).toBe(0);
    expect(await audits('appraisal.corrected')).toBe(1);
  });

  it('a correction version is confirmed with its reason first', async () => {
    const versions = async () =>
      (
        await sql<{ n: number }>(
          'select count(*)::int as n from publication p join campaign c on c.id = p.campaign_id where c.code = ?',
          [code],
        )
      )[0]!.n;
    const reason = 'Sửa điểm tiêu chí 1.1.1 của Thị trấn Cổ Lễ';
    const unconfirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      correctionReason: reason,
    });
    expect(unconfirmed.statusCode).toBe(200);
    expect(text(unconfirmed.body)).toContain('Phiên bản 2 được công bố với lý do dưới đây');
    expect(unconfirmed.body).toContain(`<input type="hidden" name="correctionReason" value="${reason}">`);
    expect(await versions()).toBe(1);
    const confirmed = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      correctionReason: reason,
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(await versions()).toBe(2);
  });
});

describe('not submitted is a state, not a score', () => {
  it('results.json: the submitted units ranked, the others after them with rank, index and band null and their status', async () => {
    const res = await new Browser(t.app).get(paths.published.openData(code, 'json'));
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    const ranked = doc.units.filter((u: { rank: number | null }) => u.rank !== null);
    expect(ranked.map((u: { code: string }) => u.code)).toEqual(submitted);
    expect(ranked.map((u: { rank: number }) => u.rank)).toEqual([1, 2]);
    expect(ranked.every((u: object) => !('status' in u))).toBe(true);
    const apart = doc.units.slice(2);
    expect(apart).toHaveLength(19);
    for (const u of apart)
      expect(Object.keys(u)).toEqual([
        'code',
        'name',
        'block',
        'rank',
        'index',
        'band',
        'status',
        'points',
        'applicableMax',
        'components',
        'fields',
        'predecessors',
      ]);
    expect(apart[0]).toMatchObject({
      rank: null,
      index: null,
      band: null,
      status: 'not-submitted',
      points: null,
      applicableMax: null,
      components: {},
      fields: [],
    });
    const names = apart.map((u: { name: string }) => u.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));
    const rows = await sql<{ unit_code: string; rank: number | null; index: string | null; status: string | null }>(
      `select r.unit_code, r.rank, r.index, r.status from published_result r join publication p on p.id = r.publication_id
         join campaign c on c.id = p.campaign_id where c.code = ? and p.version = 2 and r.rank is null`,
      [code],
    );
    expect(rows).toHaveLength(19);
    expect(rows.every((r) => r.index === null && r.status === 'not-submitted')).toBe(true);
    // Next year's change is computed against real results only: these units have no rank to compare with.
    const [{ id }] = await sql<{ id: number }>(
      'select p.id from publication p join campaign c on c.id = p.campaign_id where c.code = ? and p.version = 2',
      [code],
    );
    expect([...(await publishedRanks(t.orm.em.fork(), id)).keys()]).toEqual(expect.arrayContaining(submitted));
    expect((await publishedRanks(t.orm.em.fork(), id)).size).toBe(2);
  });

  it('results.csv: empty rank, index and points, the state in the band column', async () => {
    const csv = (await new Browser(t.app).get(paths.published.openData(code, 'csv'))).body;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(22);
    expect(lines[1]!.startsWith('1,xa-truc-thanh,')).toBe(true);
    const dao = lines.find((l) => l.includes(',xa-truc-dao,'))!;
    expect(dao).toMatch(/^,xa-truc-dao,Xã Trực Đạo,,Không nộp báo cáo tự đánh giá,+$/);
    expect(lines.slice(3).every((l) => l.includes(',Không nộp báo cáo tự đánh giá,'))).toBe(true);
  });

  it('the public ranking lists them apart, never as 0,00 Yếu, and compares with last year only real results', async () => {
    const res = await new Browser(t.app).get(paths.published.campaign(code));
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const table = html.slice(
      html.indexOf('id="ranking-table"'),
      html.indexOf('</table>', html.indexOf('id="ranking-table"')),
    );
    const rows = [
      ...table.matchAll(/<tr><td>(\d+)<\/td><th scope="row"><a href="[^"]+">([^<]+)<\/a><\/th>(.*?)<\/tr>/g),
    ];
    expect(rows.map((r) => r[2])).toEqual(['Xã Trực Thanh', 'Thị trấn Cổ Lễ']);
    // Both units have last year's real result: the change column says how they moved.
    for (const r of rows) expect(r[3]).toMatch(/(▲|▼) \d+ bậc, [+−]\d+,\d\d|= hạng/);
    expect(text(html)).toContain('Không nộp báo cáo tự đánh giá (19 đơn vị)');
    expect(text(html)).toMatch(/Yếu 2 · Không nộp báo cáo tự đánh giá 19 /);
    const apart = section(html, 'not-submitted-list');
    expect([...apart.matchAll(/<li>/g)]).toHaveLength(19);
    expect(apart).toContain('Xã Trực Đạo</a> — Không nộp báo cáo tự đánh giá');
    expect(html).not.toMatch(/0,00<\/td><td>Yếu/);
    // The ranking comes before the downloads and their hashes.
    expect(html.indexOf('id="ranking-table"')).toBeLessThan(html.indexOf('id="downloads"'));
    expect(html.indexOf('id="not-submitted-list"')).toBeLessThan(html.indexOf('SHA-256'));
  });

  it("the unit page of a unit that did not submit says so, and its trend keeps last year's real result", async () => {
    const html = (await new Browser(t.app).get(paths.published.unit(code, 'xa-truc-dao'))).body;
    expect(html).toContain(
      '<p class="banner warn" id="not-submitted"><strong>Không nộp báo cáo tự đánh giá</strong>. Đơn vị không nộp báo cáo tự đánh giá trong kỳ này',
    );
    expect(html).not.toContain('id="fields"');
    expect(html).not.toContain('Hạng</dt>');
    const year = Number(today.slice(0, 4));
    expect(html).toMatch(
      new RegExp(`<th scope="row">${year - 1}</th>.*?<td class="num" data-label="Hạng">\\d+ / 21</td>`),
    );
    expect(html).toMatch(
      new RegExp(`<th scope="row">${year}</th>.*?<td colspan="3">Không nộp báo cáo tự đánh giá</td>`),
    );
    // A ranked unit's page states the change the phone's ranking leaves out, against last year's real result.
    const ranked = (await new Browser(t.app).get(paths.published.unit(code, 'xa-truc-thanh'))).body;
    expect(ranked).toMatch(
      new RegExp(
        `<dt>So với ${year - 1}</dt><dd id="change">((▲|▼) \\d+ bậc, [+−]\\d+,\\d\\d|= hạng, [+−]?\\d+,\\d\\d)</dd>`,
      ),
    );
    const english = new Browser(t.app);
    english.cookies.set('cchc_lang', 'en');
    expect(text((await english.get(paths.published.unit(code, 'xa-truc-dao'))).body)).toContain(
      'Did not submit a self-assessment',
    );
  });
});
