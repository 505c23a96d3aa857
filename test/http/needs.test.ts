import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';

// Issue 14, items 4 and 5: what waits for each person (the unit's request banner with its due date, the appraiser's
// submitted units and opening date, the published result in the unit's workspace, buttons that follow the state) and
// an appraisal that flows to its end (the "queue done" page, appraiser-only and deduction criteria keyboard-first,
// plain queue labels). One demo app walks the campaign through its phases in order.

let t: TestApp;
let code: string;
const unit = 'xa-truc-thanh';
const today = todayInVietnam();

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const signedIn = (username: string) => Browser.signedIn(t.app, username);
/** The page's text without tags, white space collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const itemOf = async (criterion: string, unitCode = unit) =>
  (
    await sql<{ id: number }>(
      `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where c.code = ? and u.code = ?`,
      [criterion, unitCode],
    )
  )[0]!.id;

async function decide(b: Browser, id: number, form: Record<string, string>, filter = { campaign: code }, hx = false) {
  const url = paths.appraisal.item(id, filter);
  const page = await b.get(url);
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  return b.request('POST', url, {
    form: { _csrf: csrfToken(page.body), version, ...form },
    headers: hx ? { 'HX-Request': 'true', 'HX-Target': '#item' } : undefined,
  });
}

beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, unit);
});
afterAll(async () => {
  await t?.close();
});

describe('during self-assessment', () => {
  it('the appraiser sees which units have submitted and the date appraisal opens, in a plain sentence', async () => {
    const [c] = await sql<{ opens: string }>(
      `select to_char(appraisal_opens, 'YYYY-MM-DD') as opens from campaign where code = ?`,
      [code],
    );
    const page = text((await (await signedIn('thamdinh')).get(paths.appraisal.index())).body);
    expect(page).toContain(`Giai đoạn thẩm định chưa mở. Dự kiến mở ngày ${formatDate(c!.opens)}`);
    expect(page).toContain('1 / 21 đơn vị đã nộp báo cáo tự đánh giá');
    expect(page).toContain('Xã Trực Thanh · nộp lúc');
  });

  it('after submission the review link is no longer the green submit button; before it, it is', async () => {
    const submitted = (await (await signedIn('canbo')).get(paths.unit.campaign(unit, code))).body;
    const review = paths.unit.submission(unit, code);
    expect(submitted).toContain(`<a href="${review}">Xem báo cáo đã nộp</a>`);
    expect(submitted).not.toContain('Xem lại và nộp');
    // Submitted answers are read, not worked on: no progress tags, nothing said to be missing.
    expect(submitted).not.toContain('class="tag task-');
    expect(submitted).not.toMatch(/thiếu/);
    const draft = (await (await signedIn('canbo2')).get(paths.unit.campaign('xa-truc-dao', code))).body;
    expect(draft).toContain(
      `<a class="button" href="${paths.unit.submission('xa-truc-dao', code)}">Xem lại và nộp</a>`,
    );
    expect(text(draft)).toMatch(/Hạn tự đánh giá: \d\d\/\d\d\/\d{4} · còn \d+ ngày/);
    expect(draft).toContain('class="tag task-');
  });
});

describe('during appraisal', () => {
  let requestId: number;
  const due = addDays(today, 3);
  beforeAll(async () => {
    await setCampaignState(t.orm, 'appraisal');
    [{ id: requestId }] = await sql<{ id: number }>(
      `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
       values (?, 'Bổ sung kế hoạch đã ký số', ?, (select id from app_user where username = 'thamdinh'), now()) returning id`,
      [await itemOf('1.1.1'), due],
    );
    await sql(`update appraisal set state = 'waiting' where id = ?`, [await itemOf('1.1.1')]);
  });

  it("the unit's home and task list show the request at the top with its criterion and due date", async () => {
    const officer = await signedIn('canbo');
    const banner = `Yêu cầu giải trình bổ sung tiêu chí 1.1.1 Ban hành kế hoạch CCHC năm của UBND xã`;
    const home = text((await officer.get(paths.unit.index())).body);
    expect(home).toContain(`Việc đang chờ bạn ${banner} — Xã Trực Thanh · hạn trả lời ${formatDate(due)} (còn 3 ngày)`);
    const tasks = (await officer.get(paths.unit.campaign(unit, code))).body;
    expect(text(tasks)).toContain(
      `Cơ quan thẩm định yêu cầu đơn vị giải trình bổ sung (1) ${banner} · hạn trả lời ${formatDate(due)} (còn 3 ngày)`,
    );
    expect(tasks).toContain(`href="${paths.unit.explanations(unit, code, {}, `r-${requestId}`)}"`);
    // The banner comes before the fields; the campaign is past self-assessment, so no deadline "still to come".
    expect(tasks.indexOf('class="needs"')).toBeLessThan(tasks.indexOf('Các lĩnh vực'));
    expect(text(tasks)).not.toContain('Hạn tự đánh giá');
    // Nothing waits for the contributor (who cannot answer) nor for another unit's officer.
    expect((await (await signedIn('congtac')).get(paths.unit.campaign(unit, code))).body).not.toContain(
      'class="needs"',
    );
    expect((await (await signedIn('canbo2')).get(paths.unit.index())).body).not.toContain('class="needs"');
  });

  it('the queue says "Không áp dụng" and names the fields in its filter', async () => {
    const id = await itemOf('1.6.2');
    await sql(
      `update criterion_score set not_applicable = true, self_score = null where id = (select criterion_score_id from appraisal where id = ?)`,
      [id],
    );
    const queue = (await (await signedIn('thamdinh')).get(paths.appraisal.queue({ campaign: code, field: '1' }))).body;
    expect(queue).not.toContain('KAD');
    expect(text(queue)).toContain('1.6.2 Áp dụng, nhân rộng mô hình CCHC hiệu quả Không áp dụng');
    expect(queue).toContain('<option value="1" selected>1. Công tác lãnh đạo, chỉ đạo</option>');
    expect(queue).toContain('<option value="4">4. ');
  });

  it('a deduction criterion only appraisers score is keyboard-first and says its range in words', async () => {
    const page = (await (await signedIn('thamdinh')).get(paths.appraisal.item(await itemOf('1.9'), { campaign: code })))
      .body;
    expect(text(page)).toContain('Điểm trừ từ −1 đến 0');
    expect(page).not.toContain('Tối đa 0');
    expect(page).not.toContain('Không có tài liệu kiểm chứng');
    expect(page).not.toContain('Chấp nhận và tiếp');
    expect(page).not.toContain('Lý do nhanh');
    expect(page).toMatch(/<input id="a-score" name="score"[^>]* autofocus>/);
    expect(page).toContain('<input type="hidden" name="action" value="adjust">');
    expect(text(page)).toContain('Đơn vị không tự chấm tiêu chí này.');
  });

  it('a self-scored criterion offers only the quick zero reasons that apply', async () => {
    const page = (await (await signedIn('thamdinh')).get(paths.appraisal.item(await itemOf('1.2'), { campaign: code })))
      .body;
    expect(page).toContain('value="unclear"');
    expect(page).not.toContain('value="scan"');
  });

  it('saves 0 on the appraiser-only criterion without a reason', async () => {
    const b = await signedIn('thamdinh');
    const id = await itemOf('1.9');
    const res = await decide(b, id, { action: 'adjust', score: '0', reason: '' });
    expect(res.statusCode).toBe(303);
    const [row] = await sql('select state, appraised_score, reason from appraisal where id = ?', [id]);
    expect([row!.state, Number(row!.appraised_score), row!.reason]).toEqual(['accepted', 0, '']);
    // A deduction is said with its sign and saved as typed.
    const again = await decide(b, id, { action: 'adjust', score: '-0,5', reason: '' });
    expect(again.statusCode).toBe(303);
    expect(Number((await sql('select appraised_score from appraisal where id = ?', [id]))[0]!.appraised_score)).toBe(
      -0.5,
    );
  });

  it('the last decision of a queue goes to the "queue done" page, with htmx too', async () => {
    const b = await signedIn('thamdinh');
    const filter = { campaign: code, unit, field: '1' };
    const last = await itemOf('1.9');
    // Everything else of the unit's field 1 decided; 1.1.1 still waits for the unit's answer (due in 3 days).
    await sql(
      `update appraisal a set state = 'accepted', appraised_score = cs.self_score from criterion_score cs, criterion c, self_assessment sa, unit u
        where cs.id = a.criterion_score_id and c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id
          and u.code = ? and split_part(c.code, '.', 1) = '1' and a.state = 'todo' and c.code <> '1.9'`,
      [unit],
    );
    await sql(`update appraisal set state = 'todo' where id = ?`, [last]);
    const res = await decide(b, last, { score: '0', action: 'adjust' }, filter);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(paths.appraisal.queueDone(filter));

    await sql(`update appraisal set state = 'todo' where id = ?`, [last]);
    const hx = await decide(b, last, { score: '0', action: 'adjust' }, filter, true);
    expect(hx.statusCode).toBe(200);
    expect(hx.headers['hx-redirect']).toBe(paths.appraisal.queueDone(filter));
    expect(hx.body).toBe('');

    const done = await b.get(paths.appraisal.queueDone(filter));
    expect(done.statusCode).toBe(200);
    expect(done.body.match(/<header/g)).toHaveLength(1);
    expect(done.body.match(/<footer/g)).toHaveLength(1);
    const words = text(done.body);
    expect(words).toContain('Đã xử lý hết danh sách thẩm định');
    expect(words).toContain('Xã Trực Thanh · lĩnh vực 1. Công tác lãnh đạo, chỉ đạo');
    expect(words).toContain('Không còn mục nào cần bạn xử lý trong danh sách này.');
    expect(words).toContain(`1 mục đang chờ đơn vị giải trình bổ sung; hạn sớm nhất ${formatDate(due)}`);
    expect(words).toMatch(/Ngoài bộ lọc này còn \d+ mục cần thẩm định\. Thẩm định tiếp/);
    expect(words).toContain('20 đơn vị chưa nộp báo cáo tự đánh giá');
  });
});

describe('steps waiting for the secretariat and the chair', () => {
  it("the secretariat's home names the phase step now due, with its date; the chair's the approval", async () => {
    const yesterday = addDays(today, -1);
    await sql(`update campaign set appraisal_closes = ? where code = ?`, [yesterday, code]);
    const admin = text((await (await signedIn('admin')).get(paths.home())).body);
    expect(admin).toContain(
      `Việc đang chờ bạn Hết hạn thẩm định: kết thúc thẩm định — Chỉ số CCHC các xã, thị trấn năm ${today.slice(0, 4)} · dự kiến từ ${formatDate(yesterday)}`,
    );
    await setCampaignState(t.orm, 'council-review');
    const chair = await signedIn('chutich');
    expect((await chair.get(paths.home())).headers.location).toBe(paths.area('council'));
    const council = (await chair.get(paths.council.index())).body;
    expect(text(council)).toContain('Việc đang chờ bạn Chờ Chủ tịch Hội đồng phê duyệt kết quả');
    expect(council).toContain(`href="${paths.council.campaign(code)}"`);
    // The secretariat does not approve: nothing waits for it in council review.
    expect((await (await signedIn('admin')).get(paths.home())).body).not.toContain('class="needs"');
  });
});

describe('after publication', () => {
  beforeAll(async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = coalesce(cs.self_score, 0) from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    await sql(
      `update appraisal set state = 'adjusted', appraised_score = 0.25, reason = 'Kế hoạch ban hành sau ngày 31/01' where id = ?`,
      [await itemOf('1.1.1')],
    );
    await setCampaignState(t.orm, 'council-review');
    const done = await publishCampaign(t.orm.em.fork() as EntityManager, null, code, { imported: true });
    if (!done.ok) throw new Error(JSON.stringify(done.errors));
  });

  it("the unit's workspace shows its appraised scores beside its own, the reasons and its public page", async () => {
    const page = (await (await signedIn('canbo')).get(paths.unit.campaign(unit, code))).body;
    const words = text(page);
    expect(words).toMatch(/Kết quả đã công bố Chỉ số [\d,]+ · xếp loại \S+ · xếp hạng \d+ \/ \d+ đơn vị\./);
    expect(words).toContain('1.1.1 Ban hành kế hoạch CCHC năm của UBND xã 0,5 0,25 Kế hoạch ban hành sau ngày 31/01');
    expect(page).toContain(`href="${paths.published.unit(code, unit)}"`);
    // A published campaign never shows a self-assessment deadline still to come, nor a submit button.
    expect(words).not.toContain('Hạn tự đánh giá');
    expect(words).not.toMatch(/còn \d+ ngày/);
    expect(page).not.toContain('Xem lại và nộp');
    expect(text((await (await signedIn('canbo')).get(paths.unit.index())).body)).not.toContain('Hạn tự đánh giá');
  });

  it('the workspace shows where the unit lost points, as its public page does, and links its improvement plan', async () => {
    const page = (await (await signedIn('canbo')).get(paths.unit.campaign(unit, code))).body;
    const words = text(page);
    expect(words).toContain('Điểm yếu');
    expect(words).toMatch(
      /1\.1\.1 Ban hành kế hoạch CCHC năm của UBND xã 0,25 \/ 0,5 [\d,]+ \(\d+ đơn vị\) Kế hoạch ban hành sau ngày 31\/01/,
    );
    expect(words).toContain('So sánh theo lĩnh vực');
    const plan = paths.published.improvementPlan(code, unit);
    expect(page).toContain(`href="${plan}"`);
    const file = await t.app.inject({ method: 'GET', url: plan });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
