// Notices by e-mail (issue 16, item 2), against a real SMTP server on loopback: each person's address and choice on
// the account page; a request reaches the unit's officer with the right link; a daily digest gathers a day's notices;
// a server that refuses, then accepts, gets the message once; a crash between sweep and send, and two senders on one
// database, still send each message once.
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openOrm } from '../../src/db/orm.ts';
import { type SenderOptions, sendDueMail, smtpTransport, sweepNotices } from '../../src/features/mail.ts';
import { paths } from '../../src/http/paths.ts';
import { noticeHref } from '../../src/http/routes/inbox.ts';
import { fieldError } from '../helpers/admin.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { appUrlFor } from '../helpers/roles.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

const base = 'https://cchc.example.gov.vn';
let t: TestApp;
let smtp: TestSmtp;
let code: string;
let sender: SenderOptions;
const others: MikroORM[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: base } });
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await setCampaignState(t.orm, 'appraisal');
  sender = {
    transport: smtpTransport(smtp.url),
    from: 'Chỉ số CCHC <cchc@example.gov.vn>',
    baseUrl: base,
    noticePath: noticeHref,
    settingsPath: paths.account.mail(),
    retryBaseSeconds: 60,
  };
});
afterAll(async () => {
  sender.transport.close();
  for (const orm of others) await orm.close();
  await t.close();
  await smtp.close();
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

async function saveMail(who: string, form: Record<string, string>) {
  const b = await Browser.signedIn(t.app, who);
  const page = await b.get(paths.account.mail());
  expect(page.statusCode).toBe(200);
  return b.request('POST', paths.account.mail(), { form: { _csrf: csrfToken(page.body), ...form } });
}

/** A message notice to `username` about Xã Trực Thanh, written at `createdAt`. */
async function message(username: string, words: string, createdAt = new Date()) {
  await sql(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params, created_at, updated_at)
     select au.id, 'message', c.id, 'message:' || gen_random_uuid(),
            jsonb_build_object('campaign', c.code, 'campaignName', c.name, 'unit', 'xa-truc-thanh',
                               'unitName', 'Xã Trực Thanh', 'from', 'Văn phòng', 'text', ?::text), ?, ?
       from app_user au, campaign c where au.username = ? and c.code = ?`,
    [words, createdAt, createdAt, username, code],
  );
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

describe('e-mail of notices', () => {
  it('each person sets an address and a mode on the account page; a bad address is refused beside the field', async () => {
    const bad = await saveMail('canbo', { email: 'canbo at xa', mode: 'immediate' });
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'email')).toContain('Địa chỉ thư điện tử không hợp lệ');
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('value="canbo at xa"');
    const none = await saveMail('canbo', { email: '', mode: 'digest' });
    expect(none.statusCode).toBe(422);
    expect(fieldError(none.body, 'email')).toContain('Nhập địa chỉ thư điện tử');

    const saved = await saveMail('canbo', { email: 'canbo@xatructhanh.gov.vn', mode: 'immediate' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(paths.account.mail({ done: 1 }));
    await sql(`update app_user set language = 'en' where username = 'chutichxa'`);
    expect((await saveMail('chutichxa', { email: 'chutich@xatructhanh.gov.vn', mode: 'immediate' })).statusCode).toBe(
      303,
    );
    expect((await saveMail('canbo2', { email: 'canbo2@xatrucdao.gov.vn', mode: 'digest' })).statusCode).toBe(303);
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get(paths.account.mail({ done: 1 }));
    expect(text(page.body)).toContain('Đã lưu cách nhận thông báo qua thư.');
    expect(page.body).toMatch(/value="immediate" checked/);
    expect(page.body).toContain('value="canbo@xatructhanh.gov.vn"');
  });

  it("a request for explanation reaches the unit's officer, in Vietnamese, with the link to the explanations page", async () => {
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const queue = await appraiser.get(paths.appraisal.queue({ campaign: code, unit: 'xa-truc-thanh', state: 'todo' }));
    const [, itemId] = /href="\/appraisal\/items\/(\d+)\?/.exec(queue.body)!;
    const item = await appraiser.get(paths.appraisal.item(Number(itemId), { campaign: code }));
    const version = /name="version" value="(\d+)"/.exec(item.body)?.[1] ?? '1';
    const res = await appraiser.request('POST', paths.appraisal.item(Number(itemId), { campaign: code }), {
      form: { _csrf: csrfToken(item.body), version, action: 'request', message: 'Bổ sung quyết định.', dueDate: '' },
    });
    expect(res.statusCode).toBe(303);

    expect(await sweepNotices(t.orm.em.fork())).toBe(2); // canbo and chutichxa; canbo2 (digest) has nothing
    expect(await sendDueMail(t.orm.em.fork(), sender)).toEqual({ sent: 2, failed: 0 });
    const link = base + paths.unit.explanations('xa-truc-thanh', code);
    const [mail, ...more] = mailsTo('canbo@xatructhanh.gov.vn');
    expect(more).toEqual([]);
    expect(mail!.subject).toContain('Chỉ số CCHC: ');
    expect(mail!.subject).toContain('yêu cầu giải trình bổ sung cho Xã Trực Thanh');
    expect(mail!.text).toContain('Kính gửi Đỗ Thị Minh Ngọc,');
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    expect(mail!.text).toContain(base + paths.account.mail());
    const [english] = mailsTo('chutich@xatructhanh.gov.vn');
    expect(english!.subject).toContain('CCHC index: ');
    expect(english!.text).toContain('requests for explanation to Xã Trực Thanh: 1');
    expect(english!.text).toContain(link);

    // Nothing is mailed twice: the notice is marked, the delivery sent.
    expect(await sweepNotices(t.orm.em.fork())).toBe(0);
    expect(await sendDueMail(t.orm.em.fork(), sender)).toEqual({ sent: 0, failed: 0 });
    expect(mailsTo('canbo@xatructhanh.gov.vn')).toHaveLength(1);
  });

  it("a daily digest gathers the notices of the day before (Hà Nội's day) into one message", async () => {
    await message('canbo2', 'Thư buổi sáng.', new Date('2026-12-02T02:00:00Z'));
    await message('canbo2', 'Thư buổi tối.', new Date('2026-12-02T16:30:00Z')); // 23:30 in Hà Nội
    await message('canbo2', 'Thư sau nửa đêm.', new Date('2026-12-02T17:30:00Z')); // 00:30 on the 3rd
    const morning = new Date('2026-12-03T01:00:00Z'); // 08:00 on the 3rd
    expect(await sweepNotices(t.orm.em.fork(), morning)).toBe(1);
    expect(await sendDueMail(t.orm.em.fork(), sender, morning)).toEqual({ sent: 1, failed: 0 });
    const [digest, ...more] = mailsTo('canbo2@xatrucdao.gov.vn');
    expect(more).toEqual([]);
    expect(digest!.subject).toBe('Chỉ số CCHC: tóm tắt 2 thông báo trong ngày');
    expect(digest!.text).toContain('Thư buổi sáng.');
    expect(digest!.text).toContain('Thư buổi tối.');
    expect(digest!.text).not.toContain('Thư sau nửa đêm.');
    // The next morning's digest has the rest.
    const next = new Date('2026-12-04T01:00:00Z');
    expect(await sweepNotices(t.orm.em.fork(), next)).toBe(1);
    await sendDueMail(t.orm.em.fork(), sender, next);
    expect(mailsTo('canbo2@xatrucdao.gov.vn').map((m) => m.subject)).toEqual([
      'Chỉ số CCHC: tóm tắt 2 thông báo trong ngày',
      'Chỉ số CCHC: tóm tắt 1 thông báo trong ngày',
    ]);
    expect(mailsTo('canbo2@xatrucdao.gov.vn')[1]!.text).toContain('Thư sau nửa đêm.');
  });

  it('a server that refuses (451) is tried again after the back-off, and gets the message once', async () => {
    const at = new Date('2026-12-10T01:00:00Z');
    await message('canbo', 'Thư thử lại.', at);
    expect(await sweepNotices(t.orm.em.fork(), at)).toBe(1);
    smtp.refuse(1);
    expect(await sendDueMail(t.orm.em.fork(), sender, at)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.refused).toBe(1);
    const [row] = await sql<{ attempts: number; last_error: string; wait: number }>(
      `select attempts, last_error, extract(epoch from next_attempt_at - ?::timestamptz)::int as wait
         from mail_delivery where sent_at is null`,
      [at],
    );
    expect(row).toMatchObject({ attempts: 1, wait: 60 });
    expect(row!.last_error).toContain('451');
    // Not due yet; then due, and accepted.
    expect(await sendDueMail(t.orm.em.fork(), sender, new Date(at.getTime() + 30_000))).toEqual({ sent: 0, failed: 0 });
    const later = new Date(at.getTime() + 61_000);
    expect(await sendDueMail(t.orm.em.fork(), sender, later)).toEqual({ sent: 1, failed: 0 });
    expect(await sendDueMail(t.orm.em.fork(), sender, new Date(at.getTime() + 86_400_000))).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(smtp.received.filter((m) => m.text.includes('Thư thử lại.'))).toHaveLength(1);
  });

  it("the secretariat sees a message given up, with the mail server's answer", async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    expect(text((await admin.get(paths.admin.mail())).body)).toContain('Không có thư nào bị từ chối hay chờ gửi lại.');
    const at = new Date('2026-12-11T01:00:00Z');
    await message('canbo', 'Thư bị từ chối.', at);
    expect(await sweepNotices(t.orm.em.fork(), at)).toBe(1);
    smtp.refuse(1);
    expect(await sendDueMail(t.orm.em.fork(), { ...sender, maxAttempts: 1 }, at)).toEqual({ sent: 0, failed: 1 });
    const page = text((await admin.get(paths.admin.mail())).body);
    expect(page).toContain('Đỗ Thị Minh Ngọc (canbo) canbo@xatructhanh.gov.vn');
    expect(page).toContain('Đã bỏ qua lúc 08:00 11/12/2026 (sau 1 lần thử)');
    expect(page).toContain('451 Try again later');
    // Given up means never sent, however late the sender runs.
    expect(await sendDueMail(t.orm.em.fork(), sender, new Date('2027-01-01T00:00:00Z'))).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(smtp.received.filter((m) => m.text.includes('Thư bị từ chối.'))).toHaveLength(0);
    const officer = await Browser.signedIn(t.app, 'canbo');
    expect((await officer.get(paths.admin.mail())).statusCode).toBe(404); // the admin area is not theirs
  });

  it('a process gone between sweep and send: the next one sends, once', async () => {
    const first = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 2 });
    await message('canbo', 'Thư trước khi dừng.');
    expect(await sweepNotices(first.em.fork())).toBe(1);
    await first.close(true); // gone before sending
    const second = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 2 });
    others.push(second);
    expect(await sendDueMail(second.em.fork(), sender)).toEqual({ sent: 1, failed: 0 });
    expect(await sendDueMail(second.em.fork(), sender)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received.filter((m) => m.text.includes('Thư trước khi dừng.'))).toHaveLength(1);
  });

  it('two instances on one database sweep and send each notice once', async () => {
    const a = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 3 });
    const b = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 3 });
    others.push(a, b);
    const words = Array.from({ length: 12 }, (_, i) => `Thư song song số ${i + 1}.`);
    // Deliveries of one or two notices each, made by both instances sweeping at once.
    for (let i = 0; i < words.length; i += 2) {
      await message('canbo', words[i]!);
      await message('canbo', words[i + 1]!);
      await Promise.all([sweepNotices(a.em.fork()), sweepNotices(b.em.fork())]);
    }
    const [{ unswept }] = await sql<{ unswept: number }>(
      `select count(*)::int as unswept from notice where mailed_at is null and params->>'text' like 'Thư song song%'`,
    );
    expect(unswept).toBe(0);
    const transportB = smtpTransport(smtp.url);
    const [ra, rb] = await Promise.all([
      sendDueMail(a.em.fork(), sender),
      sendDueMail(b.em.fork(), { ...sender, transport: transportB }),
    ]);
    transportB.close();
    expect(ra.sent + rb.sent).toBe(6);
    for (const w of words) expect(smtp.received.filter((m) => m.text.includes(w))).toHaveLength(1);
    const [{ pending }] = await sql<{ pending: number }>(
      'select count(*)::int as pending from mail_delivery where sent_at is null and failed_at is null',
    );
    expect(pending).toBe(0);
  });

  it('without SMTP_URL the account page says mail is off; SMTP_URL needs PUBLIC_URL', async () => {
    const off = await startTestApp({ seed: true });
    try {
      const b = await Browser.signedIn(off.app, 'canbo');
      expect(text((await b.get(paths.account.mail())).body)).toContain('Cổng chưa được cấu hình gửi thư điện tử');
    } finally {
      await off.close();
    }
    expect(() => loadConfig({ SMTP_URL: 'smtp://localhost:25', DATA_DIR: '/tmp' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_URL: 'http://localhost', PUBLIC_URL: base, DATA_DIR: '/tmp' })).toThrow(
      /SMTP_URL: must be an smtp/,
    );
  });
});
