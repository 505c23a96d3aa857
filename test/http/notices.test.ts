// Notices (issue 16, item 1): each event writes its notices in one statement, grouped per unit while unread; the header
// counts them on every page; the inbox lists them and opening one goes to the page where the person acts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticePhaseOpened } from '../../src/features/notices.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { fieldError } from '../helpers/admin.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';

let t: TestApp;
let code: string;
let campaignId: number;
const statements: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ onQuery: (sql) => statements.push(sql) });
  [{ code, id: campaignId }] = await sql<{ code: string; id: number }>('select code, id from campaign limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await setCampaignState(t.orm, 'appraisal');
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
// The ORM's query log: one line per statement sent ("[query] insert into notice …").
const noticeInserts = () => statements.filter((s) => /insert into notice/i.test(s)).length;
const itemIds = (html: string) => [
  ...new Set([...html.matchAll(/href="\/appraisal\/items\/(\d+)\?/g)].map((m) => Number(m[1]))),
];
const headerCount = (html: string) =>
  /id="inbox-link"[^>]*>[^<]*<span class="count"[^>]*>(\d+)</.exec(html)?.[1] ?? '0';
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

async function act(b: Browser, id: number, form: Record<string, string>) {
  const page = await b.get(paths.appraisal.item(id, { campaign: code }));
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
  return b.request('POST', paths.appraisal.item(id, { campaign: code }), {
    form: { _csrf: csrfToken(page.body), version, ...form },
  });
}

describe('notices', () => {
  it('a phase opening tells every officer and head of every unit, in one statement', async () => {
    const before = noticeInserts();
    await t.orm.em.fork().transactional((tx) => noticePhaseOpened(tx, campaignId, 'self-assessment'));
    expect(noticeInserts() - before).toBe(1);
    const rows = await sql<{ username: string; unit: string }>(
      `select u.username, n.params->>'unitName' as unit from notice n join app_user u on u.id = n.recipient_id
        where n.kind = 'selfAssessmentOpened' order by u.username`,
    );
    expect(rows).toEqual([
      { username: 'canbo', unit: 'Xã Trực Thanh' },
      { username: 'canbo2', unit: 'Xã Trực Đạo' },
      { username: 'chutichxa', unit: 'Xã Trực Thanh' },
    ]);
    await sql(`update notice set read_at = now()`);
  });

  it('three requests on one unit make one notice per person with a count of 3, one statement each', async () => {
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const ids = itemIds(
      (await appraiser.get(paths.appraisal.queue({ campaign: code, unit: 'xa-truc-thanh', state: 'todo' }))).body,
    );
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const before = noticeInserts();
    for (const id of ids.slice(0, 3)) {
      const res = await act(appraiser, id, { action: 'request', message: 'Đề nghị bổ sung văn bản.', dueDate: '' });
      expect(res.statusCode).toBe(303);
    }
    expect(noticeInserts() - before).toBe(3);
    const rows = await sql<{ username: string; count: number; kind: string }>(
      `select u.username, n.count, n.kind from notice n join app_user u on u.id = n.recipient_id
        where n.read_at is null order by u.username`,
    );
    expect(rows).toEqual([
      { username: 'canbo', count: 3, kind: 'requested' },
      { username: 'chutichxa', count: 3, kind: 'requested' },
    ]);
    // Nobody of another unit, no appraiser, no secretariat hears of it.
  });

  it('the header counts unread notices; opening one goes to the explanations page and the count goes down', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const inbox = await officer.get(paths.inbox.index());
    expect(inbox.statusCode).toBe(200);
    expect(headerCount(inbox.body)).toBe('1');
    const words = text(inbox.body);
    expect(words).toContain('3 yêu cầu giải trình bổ sung cho Xã Trực Thanh');
    expect(words).toContain('1 thông báo chưa đọc');
    const [, id] = /action="\/inbox\/(\d+)"/.exec(inbox.body)!;
    const opened = await officer.request('POST', paths.inbox.open(id), { form: { _csrf: csrfToken(inbox.body) } });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(paths.unit.explanations('xa-truc-thanh', code));
    const page = await officer.get(String(opened.headers.location));
    expect(page.statusCode).toBe(200);
    expect(headerCount(page.body)).toBe('0');
    expect(text((await officer.get(paths.inbox.index())).body)).toContain('Không có thông báo chưa đọc.');
  });

  it("another person's notice is not found, and a new request after reading starts a new notice", async () => {
    const [{ id }] = await sql<{ id: string }>(
      `select n.id::text as id from notice n join app_user u on u.id = n.recipient_id where u.username = 'chutichxa'`,
    );
    const other = await Browser.signedIn(t.app, 'canbo2');
    const inbox = await other.get(paths.inbox.index());
    const res = await other.request('POST', paths.inbox.open(id), { form: { _csrf: csrfToken(inbox.body) } });
    expect(res.statusCode).toBe(404);
    expect((await sql(`select read_at from notice where id = ?`, [id]))[0].read_at).toBeNull();

    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const [next] = itemIds(
      (await appraiser.get(paths.appraisal.queue({ campaign: code, unit: 'xa-truc-thanh', state: 'todo' }))).body,
    );
    expect((await act(appraiser, next!, { action: 'request', message: 'Bổ sung.', dueDate: '' })).statusCode).toBe(303);
    const canbo = await sql<{ count: number; read: boolean }>(
      `select n.count, n.read_at is not null as read from notice n join app_user u on u.id = n.recipient_id
        where u.username = 'canbo' and n.kind = 'requested' order by n.id`,
    );
    expect(canbo).toEqual([
      { count: 3, read: true },
      { count: 1, read: false },
    ]);
  });

  it('an answer reaches the appraiser who asked; the decision reaches the unit', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const base = paths.unit.explanations('xa-truc-thanh', code);
    const list = await officer.get(base);
    const [, requestId] = /action="[^"]*\/explanations\/(\d+)"/.exec(list.body)!;
    const answered = await officer.request(
      'POST',
      `${paths.unit.campaign('xa-truc-thanh', code)}/explanations/${requestId}`,
      {
        form: { _csrf: csrfToken(list.body), answer: 'Số liệu tại trang 4.' },
      },
    );
    expect(answered.statusCode).toBe(303);
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const inbox = await appraiser.get(paths.inbox.index());
    expect(text(inbox.body)).toContain('Xã Trực Thanh đã giải trình 1 mục');
    const [, id] = /action="\/inbox\/(\d+)"/.exec(inbox.body)!;
    const opened = await appraiser.request('POST', paths.inbox.open(id), { form: { _csrf: csrfToken(inbox.body) } });
    expect(opened.headers.location).toBe(
      paths.appraisal.queue({ campaign: code, unit: 'xa-truc-thanh', state: 'answered' }),
    );
    const [item] = itemIds((await appraiser.get(String(opened.headers.location))).body);
    expect((await act(appraiser, item!, { action: 'accept' })).statusCode).toBe(303);
    const decided = await sql<{ username: string }>(
      `select u.username from notice n join app_user u on u.id = n.recipient_id where n.kind = 'decided' order by 1`,
    );
    expect(decided.map((r) => r.username)).toEqual(['canbo', 'chutichxa']);
  });

  it('reads in English for a person who chose English', async () => {
    const officer = await Browser.signedIn(t.app, 'chutichxa');
    await officer.get(paths.language('en', { next: paths.inbox.index() }));
    const inbox = await officer.get(paths.inbox.index());
    expect(text(inbox.body)).toContain('requests for explanation to Xã Trực Thanh');
  });

  it('the secretariat writes to the units that have not submitted: a notice each, recorded in the audit log', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const form = paths.admin.campaignMessage(code);
    const empty = await admin.submit(form, form, { audience: 'notSubmitted', text: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'text')).toBe('Nhập nội dung thông báo.');
    expect(empty.body).toContain('<option value="notSubmitted" selected');
    const before = noticeInserts();
    const sent = await admin.submit(form, form, {
      audience: 'notSubmitted',
      text: 'Đề nghị các xã nộp báo cáo tự đánh giá trước 17 giờ ngày mai.',
    });
    expect(sent.statusCode).toBe(303);
    expect(noticeInserts() - before).toBe(1);
    // Twenty units have not submitted; of the demo people only Xã Trực Đạo's officer works in one of them.
    expect(text((await admin.get(String(sent.headers.location))).body)).toContain(
      'Đã gửi thông báo đến 1 người của 1 đơn vị.',
    );
    const rows = await sql<{ username: string }>(
      `select u.username from notice n join app_user u on u.id = n.recipient_id where n.kind = 'message'`,
    );
    expect(rows.map((r) => r.username)).toEqual(['canbo2']);
    const [logged] = await sql<{ after: { text: string; people: number } }>(
      `select after from audit_event where action = 'campaign.message-sent'`,
    );
    expect(logged!.after).toMatchObject({
      text: 'Đề nghị các xã nộp báo cáo tự đánh giá trước 17 giờ ngày mai.',
      people: 1,
    });
    const officer = await Browser.signedIn(t.app, 'canbo2');
    expect(text((await officer.get(paths.inbox.index())).body)).toContain(
      'Trần Thị Thu Hương gửi Xã Trực Đạo: Đề nghị các xã nộp báo cáo tự đánh giá trước 17 giờ ngày mai.',
    );
  });
});
