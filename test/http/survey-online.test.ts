import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { format } from '../../src/domain/decimal.ts';
import { currentResults } from '../../src/features/results.ts';
import { addressLimit } from '../../src/features/survey-online/answers.ts';
import { paths } from '../../src/http/paths.ts';
import { auditSince, expectAdminOnly, fieldError, lastAuditId, withAdminApp } from '../helpers/admin.ts';
import { Browser, csrfToken } from '../helpers/app.ts';

// The satisfaction survey collected online (issue 17): the secretariat's questionnaire, the citizens' form at its short
// address, what keeps only real answers (one per device and day, the address limit, slips, the window), voiding,
// paper forms, and the tallies that feed the index by the seed's formula.

const ctx = withAdminApp();
const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  ctx.t.orm.em.getConnection().execute<T[]>(text, params);

let code: string;
let campaignId: number;
const today = todayInVietnam();
/** Unit code → its short code. */
const shortCodes = new Map<string, string>();

/** Every field of the questionnaire form as the page fills it (inputs, checked boxes, textareas). */
function questionnaireFields(html: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const m of html.matchAll(/<input id="[^"]*" name="([^"]+)" type="text"[^>]* value="([^"]*)"/g))
    fields.push([m[1]!, m[2]!]);
  for (const m of html.matchAll(/<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields.push([
      m[1]!,
      m[2]!
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ]);
  for (const m of html.matchAll(/<input type="checkbox" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)" checked/g))
    fields.push([m[1]!, m[2]!]);
  return fields;
}

async function saveQuestionnaire(changes: Record<string, string | null>, slipUnits?: string[]) {
  const url = paths.admin.surveyQuestionnaire(code);
  const page = await ctx.admin.get(url);
  let fields = questionnaireFields(page.body).filter(([name]) => !(name in changes));
  if (slipUnits) fields = fields.filter(([name]) => name !== 'slipUnits');
  for (const [name, value] of Object.entries(changes)) if (value !== null) fields.push([name, value]);
  for (const unit of slipUnits ?? []) fields.push(['slipUnits', unit]);
  return ctx.admin.request('POST', url, { form: [['_csrf', csrfToken(page.body)], ...fields] });
}

const dmy = (iso: string) => formatDate(iso);

/** A phone: its own cookies, its network address. */
const phone = (address = '203.0.113.10') => new Browser(ctx.t.app, { remoteAddress: address });

/**
 * Answers a unit's form as a person would: opens it (choosing the first group when asked), picks `levels` in question
 * order (null leaves a question unanswered) and sends. Returns the POST's response.
 */
async function answer(
  device: Browser,
  unit: string,
  levels: (number | null)[],
  extra: Record<string, string> = {},
): Promise<{ status: number; body: string; location?: string }> {
  const shortCode = shortCodes.get(unit)!;
  let page = await device.get(paths.surveyForm(shortCode));
  if (page.statusCode !== 200) return { status: page.statusCode, body: page.body };
  const choice = /href="(\/ks\/[a-z0-9]+\?g=\d+)"/.exec(page.body)?.[1];
  if (choice && !page.body.includes('name="group"')) page = await device.get(choice);
  const token = /name="t" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const group = /name="group" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const questions = [...new Set([...page.body.matchAll(/name="(q\d+)"/g)].map((m) => m[1]!))];
  expect(questions).toHaveLength(levels.length);
  const form: Record<string, string> = { t: token, group, comment: '', ...extra };
  questions.forEach((q, i) => {
    if (levels[i] !== null) form[q] = String(levels[i]);
  });
  const res = await device.request('POST', paths.surveyForm(shortCode), { form });
  return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined };
}

const surveyComponents = async () => {
  const { results } = await currentResults(ctx.t.orm.em.fork(), campaignId);
  return Object.fromEntries(results.map((r) => [r.code, format(r.components.survey!)]));
};

beforeAll(async () => {
  [{ code, id: campaignId }] = await sql<{ code: string; id: number }>(
    'select code, id from campaign order by id limit 1',
  );
});

describe('the questionnaire', () => {
  it('starts from the usual 8 questions in two groups and refuses groups of different lengths, keeping what was typed', async () => {
    const page = await ctx.admin.get(paths.admin.surveyQuestionnaire(code));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Thái độ giao tiếp, ứng xử của công chức tiếp nhận hồ sơ');
    expect(page.body).toContain('value="Tổ chức, doanh nghiệp"');
    const res = await saveQuestionnaire({ 'group-1-questions': 'Một câu\nHai câu', opensOn: '31/02/2026' });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'group-1-questions')).toContain('cùng số câu hỏi');
    expect(fieldError(res.body, 'opensOn')).toBe('Ngày này không có trong lịch.');
    expect(res.body).toContain('Một câu\nHai câu');
    expect(await sql('select * from survey_group where campaign_id = ?', [campaignId])).toHaveLength(0);
  });

  it('saves groups, window and the online switch, audited, and gives every assessed unit a short address', async () => {
    const before = await lastAuditId(ctx.t);
    const res = await saveQuestionnaire({
      online: 'on',
      opensOn: dmy(addDays(today, -1)),
      closesOn: dmy(addDays(today, 10)),
    });
    expect(res.statusCode).toBe(303);
    const links = await sql<{ unit: string; code: string }>(
      'select u.code as unit, l.code from survey_link l join unit u on u.id = l.unit_id where l.campaign_id = ?',
      [campaignId],
    );
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from campaign_unit where campaign_id = ?', [
      campaignId,
    ]);
    expect(links).toHaveLength(n);
    for (const link of links) {
      expect(link.code).toMatch(/^[a-z0-9]{6,8}$/);
      shortCodes.set(link.unit, link.code);
    }
    const events = await auditSince(ctx.t, before);
    expect(events.map((e) => [e.action, e.actor])).toEqual([['survey.questionnaire.saved', 'admin']]);
    const questions = await sql(
      'select q.* from survey_question q join survey_group g on g.id = q.group_id where g.campaign_id = ?',
      [campaignId],
    );
    expect(questions).toHaveLength(16);
  });

  it('is for the secretariat only', async () => {
    await expectAdminOnly(
      ctx.t,
      [
        paths.admin.surveyQuestionnaire(code),
        paths.admin.surveyAnswers(code),
        paths.admin.surveyPaper(code),
        paths.admin.surveyPosters(code),
        paths.admin.surveySlips(code, 'xa-truc-thanh'),
      ],
      [
        paths.admin.surveyQuestionnaire(code),
        paths.admin.surveyPaper(code),
        paths.admin.surveySlips(code, 'xa-truc-thanh'),
        paths.admin.surveyAnswerVoid(code, 1),
      ],
    );
  });
});

describe('the public form', () => {
  it('is a light page without script, its own cookie and no staff session', async () => {
    const device = phone('203.0.113.1');
    const res = await device.get(paths.surveyForm(shortCodes.get('xa-truc-thanh')!));
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('Xã Trực Thanh');
    expect(res.body).toContain('Người dân');
    expect(Buffer.byteLength(res.body)).toBeLessThan(15_000);
    expect([...device.cookies.keys()]).toEqual(['ks_device']);
    expect(String(res.headers['set-cookie'])).toMatch(/Path=\/ks; .*HttpOnly; SameSite=Lax/);
    expect(String(res.headers['cache-control'])).toContain('no-store');
  });

  it('keeps the choices and names each unanswered question, with a 422', async () => {
    const res = await answer(phone('203.0.113.2'), 'xa-truc-thanh', [5, 5, null, 5, 5, 5, 5, null]);
    expect(res.status).toBe(422);
    expect(res.body).toContain('Chọn một mức cho câu này.');
    expect([...res.body.matchAll(/class="msg"/g)]).toHaveLength(2);
    expect(res.body).toContain('>Câu 3: Chọn một mức cho câu này.</a>');
    expect(res.body).toContain('>Câu 8: Chọn một mức cho câu này.</a>');
    expect([...res.body.matchAll(/value="5" checked/g)]).toHaveLength(6);
    expect(await sql('select * from survey_answer')).toHaveLength(0);
  });

  it('thanks the person, and refuses a second answer from the same phone kindly', async () => {
    const device = phone('203.0.113.3');
    const first = await answer(device, 'xa-truc-thanh', [5, 5, 5, 5, 5, 5, 5, 5]);
    expect(first.status).toBe(303);
    expect(first.location).toBe(paths.surveyThanks(shortCodes.get('xa-truc-thanh')!));
    const thanks = await device.get(first.location!);
    expect(thanks.body).toContain('Cảm ơn ông/bà!');
    const second = await answer(device, 'xa-truc-thanh', [1, 1, 1, 1, 1, 1, 1, 1]);
    expect(second.status).toBe(409);
    expect(second.body).toContain('Ông/bà đã trả lời hôm nay');
    expect(second.body).toContain('phiếu của ông/bà đã được ghi nhận');
    // The same phone may still answer for another unit.
    expect((await answer(device, 'xa-truc-dao', [4, 4, 4, 4, 4, 4, 4, 4])).status).toBe(303);
  });

  it('records nothing without the form cookie: the same form comes back, choices kept', async () => {
    const device = phone('203.0.113.4');
    const shortCode = shortCodes.get('xa-truc-thanh')!;
    const chooser = await device.get(paths.surveyForm(shortCode));
    const page = await device.get(/href="(\/ks\/[a-z0-9]+\?g=\d+)"/.exec(chooser.body)![1]!);
    const group = /name="group" value="([^"]+)"/.exec(page.body)![1]!;
    const q1 = /name="(q\d+)"/.exec(page.body)![1]!;
    device.cookies.clear();
    const res = await device.request('POST', paths.surveyForm(shortCode), {
      form: { t: 'forged', group, [q1]: '5' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('xin bấm “Gửi ý kiến” một lần nữa');
    expect(res.body).toContain(`name="${q1}" value="5" checked`);
    expect(device.cookies.has('ks_device')).toBe(true);
    expect(
      await sql('select * from survey_answer where address_hash = (select address_hash from survey_answer limit 0)'),
    ).toHaveLength(0);
    expect((await sql('select id from survey_answer')).length).toBe(2);
  });

  it(`limits one address to ${addressLimit.answers} answers in ${addressLimit.minutes} minutes`, async () => {
    const address = '198.51.100.7';
    for (let i = 0; i < addressLimit.answers; i++)
      expect((await answer(phone(address), 'xa-truc-dao', [3, 3, 3, 3, 3, 3, 3, 3])).status).toBe(303);
    const refused = await answer(phone(address), 'xa-truc-dao', [3, 3, 3, 3, 3, 3, 3, 3]);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('Quá nhiều phiếu từ cùng một mạng');
    // Another address is not held back.
    expect((await answer(phone('198.51.100.8'), 'xa-truc-dao', [3, 3, 3, 3, 3, 3, 3, 3])).status).toBe(303);
  });

  it('flags the burst for the secretariat: many from one address, many within minutes; never the address', async () => {
    const page = await ctx.admin.get(`${paths.admin.surveyAnswers(code, { unit: 'xa-truc-dao' })}&flagged=1`);
    expect(page.statusCode).toBe(200);
    const rows = [...page.body.matchAll(/<tr id="answer-\d+"[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    // The 20 answers from one address within seconds are flagged both ways; so is the other address's answer sent
    // within the same two minutes; the answer sent before them from a third address is among them too.
    expect(rows.length).toBeGreaterThanOrEqual(addressLimit.answers);
    const sameAddress = rows.filter((r) => r.includes('nhiều phiếu từ cùng địa chỉ'));
    expect(sameAddress).toHaveLength(addressLimit.answers);
    expect(new Set(sameAddress.map((r) => /data-label="Người gửi">(A\d+)</.exec(r)?.[1])).size).toBe(1);
    expect(rows.every((r) => r.includes('nhiều phiếu trong vài phút'))).toBe(true);
    expect(page.body).not.toMatch(/198\.51\.100|[0-9a-f]{64}/);
  });

  it('keeps no address in clear: only a salted hash, the same for the same address', async () => {
    const rows = await sql<{ address_hash: string; device_hash: string }>(
      `select address_hash, device_hash from survey_answer where source = 'online'`,
    );
    const dump = JSON.stringify(await sql('select * from survey_answer'));
    expect(dump).not.toMatch(/198\.51\.100|203\.0\.113/);
    for (const row of rows) expect(row.address_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(rows.map((r) => r.address_hash)).size).toBe(3);
  });
});

describe('one-time codes on paper slips', () => {
  it('are asked for once the unit uses them, and each works once', async () => {
    const slipsUrl = paths.admin.surveySlips(code, 'xa-truc-dao');
    const made = await ctx.admin.submit(slipsUrl, slipsUrl, { count: '3' });
    expect(made.statusCode).toBe(200);
    const codes = [...made.body.matchAll(/<li>([a-z0-9]{8})<\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(3);
    const levels = [5, 4, 5, 4, 5, 4, 5, 4];
    const without = await answer(phone('192.0.2.1'), 'xa-truc-dao', levels);
    expect(without.status).toBe(422);
    expect(without.body).toContain('Nhập mã trên phiếu được phát.');
    const wrong = await answer(phone('192.0.2.1'), 'xa-truc-dao', levels, { slip: 'zzzzzzzz' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toContain('Mã này không đúng hoặc đã được dùng.');
    expect((await answer(phone('192.0.2.2'), 'xa-truc-dao', levels, { slip: codes[0]! })).status).toBe(303);
    const again = await answer(phone('192.0.2.3'), 'xa-truc-dao', levels, { slip: codes[0]! });
    expect(again.status).toBe(422);
    expect(again.body).toContain('đã được dùng');
    const [{ used }] = await sql<{ used: number }>(
      'select count(*)::int as used from survey_slip where used_at is not null and answer_id is not null',
    );
    expect(used).toBe(1);
    // Back to the open form for the rest of the file.
    await saveQuestionnaire({}, []);
  });
});

describe('the survey window', () => {
  it('closes the form after its last day and before its first, recording nothing', async () => {
    const count = async () => (await sql('select id from survey_answer')).length;
    const before = await count();
    expect(
      (await saveQuestionnaire({ opensOn: dmy(addDays(today, -10)), closesOn: dmy(addDays(today, -1)) })).statusCode,
    ).toBe(303);
    const closed = await phone('192.0.2.20').get(paths.surveyForm(shortCodes.get('xa-truc-thanh')!));
    expect(closed.body).toContain('Khảo sát đã đóng');
    expect(closed.body).toContain(dmy(addDays(today, -1)));
    expect(closed.body).not.toContain('<form');
    const device = phone('192.0.2.21');
    const shortCode = shortCodes.get('xa-truc-thanh')!;
    await device.get(paths.surveyForm(shortCode));
    const posted = await device.request('POST', paths.surveyForm(shortCode), { form: { t: 'x', q1: '5' } });
    expect(posted.statusCode).toBe(409);
    expect(posted.body).toContain('Khảo sát đã đóng');
    expect(
      (await saveQuestionnaire({ opensOn: dmy(addDays(today, 1)), closesOn: dmy(addDays(today, 9)) })).statusCode,
    ).toBe(303);
    expect((await phone('192.0.2.22').get(paths.surveyForm(shortCode))).body).toContain('Khảo sát chưa mở');
    expect(await count()).toBe(before);
    await saveQuestionnaire({ opensOn: dmy(addDays(today, -1)), closesOn: dmy(addDays(today, 10)) });
  });
});

describe('tallies feed the index', () => {
  it('equal the formula by hand, with paper forms, a voided answer and a unit without answers', async () => {
    // Xã Trực Thanh so far: one answer, all "Rất hài lòng" (8 satisfied). Add one online, one on paper, one to void.
    expect((await answer(phone('192.0.2.30'), 'xa-truc-thanh', [4, 4, 3, 2, 1, 0, 5, 3])).status).toBe(303);
    expect((await answer(phone('192.0.2.31'), 'xa-truc-thanh', [5, 5, 5, 5, 5, 5, 5, 5])).status).toBe(303);
    const paperUrl = paths.admin.surveyPaper(code);
    const typed = await ctx.admin.submit(paperUrl, paperUrl, {
      unit: 'xa-truc-thanh',
      'paper-0-group': '2',
      'paper-0-levels': '44444444',
      'paper-1-group': '1',
      'paper-1-levels': '4444',
    });
    expect(typed.statusCode).toBe(422);
    expect(typed.body).toContain('Nhập đúng số chữ số, mỗi chữ số từ 0 đến 5.');
    expect(typed.body).toContain('value="44444444"');
    const saved = await ctx.admin.submit(paperUrl, paperUrl, {
      unit: 'xa-truc-thanh',
      'paper-0-group': '2',
      'paper-0-levels': '44444444',
      'paper-0-comment': 'Góp ý riêng tư của người dân',
      'paper-1-group': '1',
      'paper-1-levels': '1 2 3 3 2 1 2 3',
    });
    expect(saved.statusCode).toBe(303);

    // Void the last online answer (all 5s) with a reason.
    const [last] = await sql<{ id: string }>(
      `select a.id::text from survey_answer a join unit u on u.id = a.unit_id
        where u.code = 'xa-truc-thanh' and a.source = 'online' order by a.id desc limit 1`,
    );
    const answersUrl = paths.admin.surveyAnswers(code, { unit: 'xa-truc-thanh' });
    const noReason = await ctx.admin.submit(answersUrl, paths.admin.surveyAnswerVoid(code, last!.id), { reason: ' ' });
    expect(noReason.statusCode).toBe(422);
    expect(fieldError(noReason.body, `reason-${last!.id}`)).toBe('Nhập lý do hủy phiếu.');
    const before = await lastAuditId(ctx.t);
    const voided = await ctx.admin.submit(answersUrl, paths.admin.surveyAnswerVoid(code, last!.id), {
      reason: 'Gửi thử khi tập huấn',
      unit: 'xa-truc-thanh',
    });
    expect(voided.statusCode).toBe(303);
    const events = await auditSince(ctx.t, before);
    expect(events.map((e) => e.action)).toEqual(['survey.answer.voided']);

    // Standing for Xã Trực Thanh: 8 + 3 (online) + 8 + 0 (paper) = 19 satisfied of 4 respondents × 8 questions.
    // 19 / 32 × 30 = 17.8125 → 17.81. Xã Trực Đạo: its answers by hand.
    const dao = await sql<{ levels: number[] }>(
      `select a.levels from survey_answer a join unit u on u.id = a.unit_id
        where u.code = 'xa-truc-dao' and a.voided_at is null`,
    );
    const daoSatisfied = dao.reduce((sum, a) => sum + a.levels.filter((l) => l >= 4).length, 0);
    const byHand = (satisfied: number, respondents: number) =>
      (Math.round(((satisfied / (respondents * 8)) * 30 + Number.EPSILON) * 100) / 100).toFixed(2);
    const components = await surveyComponents();
    expect(components['xa-truc-thanh']).toBe('17.81');
    expect(components['xa-truc-dao']).toBe(byHand(daoSatisfied, dao.length));
    const without = Object.entries(components).filter(([unit]) => !['xa-truc-thanh', 'xa-truc-dao'].includes(unit));
    expect(without.length).toBeGreaterThan(0);
    for (const [, component] of without) expect(Number(component)).toBe(0);

    // The secretariat's page shows where the answers came from and the same component.
    const page = await ctx.admin.get(answersUrl);
    expect(page.body).toMatch(
      /Xã Trực Thanh<\/a><\/th>\s*<td class="num" data-label="Phiếu trực tuyến">2<\/td>\s*<td class="num" data-label="Phiếu giấy">2<\/td>/,
    );
    expect(page.body).toContain('17,81');
    expect(page.body).toContain('Gửi thử khi tập huấn');
  });

  it('are shown to the council beside the preliminary ranking, with where the answers came from', async () => {
    const chair = await Browser.signedIn(ctx.t.app, 'chutich');
    const ranking = await chair.get(paths.council.ranking(code));
    expect(ranking.body).toContain(`href="${paths.council.survey(code)}"`);
    const page = await chair.get(paths.council.survey(code));
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /Xã Trực Thanh<\/th>\s*<td[^>]*>2<\/td>\s*<td[^>]*>2<\/td>\s*<td[^>]*>4<\/td>\s*<td[^>]*>19<\/td>\s*<td[^>]*>17,81<\/td>/,
    );
    expect(page.body).not.toContain('Góp ý riêng tư');
  });

  it('leaves the typed tallies in force while the campaign does not collect online', async () => {
    await saveQuestionnaire({ online: null });
    await sql(
      `insert into survey_result (campaign_id, unit_id, respondents, satisfied_answers, questions_per_respondent)
       select ?, id, 10, 40, 8 from unit where code = 'xa-truc-thanh'`,
      [campaignId],
    );
    expect((await surveyComponents())['xa-truc-thanh']).toBe('15');
    await saveQuestionnaire({ online: 'on' });
    expect((await surveyComponents())['xa-truc-thanh']).toBe('17.81');
  });

  it('freezes the questions once answers arrived', async () => {
    const res = await saveQuestionnaire({ 'group-0-questions': 'Câu mới' });
    expect(res.statusCode).toBe(303);
    const page = await ctx.admin.get(paths.admin.surveyQuestionnaire(code));
    expect(page.body).toContain('câu hỏi không thể sửa nữa');
    expect(page.body).not.toContain('Câu mới');
  });
});

describe('paper forms typed by the unit', () => {
  it('only where the campaign lets units type them, marked as paper and typed by the unit, audited', async () => {
    const officer = await Browser.signedIn(ctx.t.app, 'canbo2');
    const url = paths.unit.surveyPaper('xa-truc-dao', code);
    const closed = await officer.submit(url, url, { 'paper-0-group': '1', 'paper-0-levels': '55555555' });
    expect(closed.statusCode).toBe(422);
    expect(closed.body).toContain('không cho đơn vị tự nhập phiếu khảo sát giấy');
    expect((await officer.get(paths.unit.campaign('xa-truc-dao', code))).body).not.toContain(`href="${url}"`);

    expect((await saveQuestionnaire({ unitsTypePaper: 'on' })).statusCode).toBe(303);
    expect((await officer.get(paths.unit.campaign('xa-truc-dao', code))).body).toContain(`href="${url}"`);
    const before = await lastAuditId(ctx.t);
    const countBefore = (await surveyComponents())['xa-truc-dao'];
    const typed = await officer.submit(url, url, { 'paper-0-group': '1', 'paper-0-levels': '55555555' });
    expect(typed.statusCode).toBe(303);
    const [row] = await sql<{ source: string; username: string }>(
      `select a.source, u.username from survey_answer a join app_user u on u.id = a.entered_by order by a.id desc limit 1`,
    );
    expect(row).toEqual({ source: 'paper', username: 'canbo2' });
    expect((await auditSince(ctx.t, before)).map((e) => [e.action, e.actor])).toEqual([
      ['survey.paper.entered', 'canbo2'],
    ]);
    expect((await surveyComponents())['xa-truc-dao']).not.toBe(countBefore);
    // Another unit's page is not theirs.
    expect((await officer.get(paths.unit.surveyPaper('xa-truc-thanh', code))).statusCode).toBe(404);
  });
});

describe('results for people, once published', () => {
  it('are not shown before publication', async () => {
    const anonymous = new Browser(ctx.t.app);
    expect((await anonymous.get(paths.published.surveyCampaign(code))).statusCode).toBe(404);
    expect((await anonymous.get(paths.published.surveyOpenData(code))).statusCode).toBe(404);
  });

  it('rank units within their block by satisfaction rate, per question and group, counts only in the open data', async () => {
    await sql(`update campaign set state = 'published' where id = ?`, [campaignId]);
    const anonymous = new Browser(ctx.t.app);
    const page = await anonymous.get(paths.published.surveyCampaign(code));
    expect(page.statusCode).toBe(200);
    // Xã Trực Thanh: 19 satisfied of 4 × 8 answers = 59,4 %.
    expect(page.body).toMatch(
      /Xã Trực Thanh<\/a><\/th><td class="num" data-label="Số phiếu">4<\/td><td class="num" data-label="Tỷ lệ hài lòng">59,4 %/,
    );
    expect(page.body).toContain('<svg class="chart"');
    const unit = await anonymous.get(paths.published.unitSurvey(code, 'xa-truc-thanh'));
    expect(unit.statusCode).toBe(200);
    expect(unit.body).toContain('59,4 %');
    const csv = await anonymous.get(paths.published.surveyOpenData(code));
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'unit_code,unit_name,group,question_no,question,respondents,very_dissatisfied,dissatisfied,neutral,satisfied,very_satisfied,no_opinion',
    );
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from campaign_unit where campaign_id = ?', [
      campaignId,
    ]);
    expect(lines).toHaveLength(1 + n * 2 * 8);
    const thanh = lines.filter((l) => l.startsWith('xa-truc-thanh,'));
    const satisfied = thanh.reduce((sum, l) => {
      const cells = l.split(',');
      return sum + Number(cells.at(-3)) + Number(cells.at(-2));
    }, 0);
    expect(satisfied).toBe(19);
    for (const body of [page.body, unit.body, csv.body]) {
      expect(body).not.toContain('Góp ý riêng tư');
      expect(body).not.toMatch(/[0-9a-f]{64}/);
    }
    // Published: the form is closed and nothing can be voided.
    expect((await phone('192.0.2.40').get(paths.surveyForm(shortCodes.get('xa-truc-thanh')!))).body).toContain(
      'Khảo sát đã đóng',
    );
  });
});
