import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { openOrm } from '../../src/db/orm.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { addContributors, uploadAs } from '../helpers/hands.ts';

// Issue 23, item 1 (seed 003's "Các tiêu chí nhiều người thực hiện"): a criterion given to several people and bodies of
// the unit, each with an internal due date and a note; only the officer or the head compiles the score; the
// secretariat's "cannot sign digitally" mark shown instead of the unsigned flag; the single assignments migrated.

let t: TestApp;
let code: string;
const unit = 'xa-truc-thanh';
const today = todayInVietnam();
const yesterday = formatDate(addDays(today, -1));
const later = formatDate(addDays(today, 5));
beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await addContributors(t.orm, unit, [
    ['huy', 'Lưu Ngọc Huy'],
    ['ty', 'Ma Thị Tý'],
  ]);
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const idOf = async (username: string) =>
  (await sql<{ id: number }>('select id from app_user where username = ?', [username]))[0].id;
const bodyId = async (name: string) =>
  (await sql<{ id: number }>('select id from unit_body where name = ?', [name]))[0].id;
const signedIn = (username: string) => Browser.signedIn(t.app, username);
const sections = (html: string) => [...html.matchAll(/<section id="c-([\d-]+)"/g)].map((m) => m[1]);
const criteria4 = () => paths.unit.criteria(unit, code, { field: '4' });
/** The list item of the evidence file named `name` on a page. */
const itemOf = (html: string, name: string) =>
  new RegExp(`<li>\\s*<a [^>]*>${name}</a>[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';

async function assign(b: Browser, criterion: string, form: Record<string, string>) {
  const page = await b.get(paths.unit.assignment(unit, code, criterion));
  return b.request('POST', paths.unit.assignment(unit, code, criterion), {
    form: { _csrf: csrfToken(page.body), ...form },
  });
}

async function saveScore(b: Browser, criterion: string, score: string) {
  const page = await b.get(criteria4());
  const version =
    new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      page.body,
    )?.[1] ?? '1';
  return b.request('POST', paths.unit.criterion(unit, code, criterion), {
    form: { _csrf: csrfToken(page.body), version, score, explanation: 'Tổng hợp từ các báo cáo của HĐND, MTTQ' },
  });
}

describe('several hands on one criterion', () => {
  it('assigns people and bodies, each with an internal due date; the overview marks the late ones in words', async () => {
    const officer = await signedIn('canbo');
    // The unit's bodies: a new one with its contact, and the demo's HĐND given one (its name typed again).
    const bodies = await officer.get(paths.unit.bodies(unit, code));
    expect(bodies.body).toContain('HĐND xã');
    for (const [name, who] of [
      ['Trạm Y tế', 'huy'],
      ['HĐND xã', 'ty'],
    ])
      expect(
        (
          await officer.request('POST', paths.unit.bodies(unit, code), {
            form: { _csrf: csrfToken(bodies.body), name, contact: String(await idOf(who)) },
          })
        ).statusCode,
      ).toBe(303);
    const noName = await officer.request('POST', paths.unit.bodies(unit, code), {
      form: { _csrf: csrfToken(bodies.body), name: '  ', contact: '' },
    });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('Nhập tên tổ chức.');

    const res = await assign(officer, '4.3.2', {
      [`u-${await idOf('congtac')}`]: 'on',
      [`due-u-${await idOf('congtac')}`]: later,
      [`u-${await idOf('huy')}`]: 'on',
      [`b-${await bodyId('HĐND xã')}`]: 'on',
      [`due-b-${await bodyId('HĐND xã')}`]: yesterday,
      [`b-${await bodyId('Trạm Y tế')}`]: 'on',
    });
    expect(res.statusCode).toBe(303);
    const rows = await sql<{ n: number }>(
      `select count(*)::int as n from criterion_assignment ca join criterion_score cs on cs.id = ca.criterion_score_id
         join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = ? and c.code = '4.3.2'`,
      [unit],
    );
    expect(rows[0].n).toBe(4);

    const overview = (await officer.get(res.headers.location as string)).body;
    const item = /<li id="a-4-3-2">[\s\S]*?<\/ul>/.exec(overview)![0];
    expect(item).toContain(`Lê Thị Ơn · hạn ${later}`);
    expect(item).toContain('Lưu Ngọc Huy');
    expect(item).toMatch(
      new RegExp(
        `HĐND xã <span class="muted">\\(Ma Thị Tý\\)</span> · hạn ${yesterday} <strong class="tag hands-late">⚠ QUÁ HẠN</strong>`,
      ),
    );
    expect(item).toContain('Trạm Y tế <span class="muted">(Lưu Ngọc Huy)</span>');
    expect(overview).toContain('1 người/tổ chức quá hạn nội bộ');
    // The late ones alone: 4.3.2 listed, 4.3.3 (nobody late) not.
    const late = (await officer.get(`${paths.unit.assignments(unit, code)}?late=1`)).body;
    expect(late).toContain('id="a-4-3-2"');
    expect(late).not.toContain('id="a-4-3-3"');

    // A day that does not exist: refused beside its field, what was ticked kept, nothing written.
    const bad = await assign(officer, '4.3.3', {
      [`u-${await idOf('huy')}`]: 'on',
      [`due-u-${await idOf('huy')}`]: '31/02/2026',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Hạn nội bộ phải là một ngày có thật, viết dd/mm/yyyy.');
    expect(bad.body).toContain('value="31/02/2026"');
    expect(bad.body).toMatch(
      new RegExp(`id="u-${await idOf('huy')}" name="u-${await idOf('huy')}" value="on" checked`),
    );
    const [audited] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'criterion-score.assigned'`,
    );
    expect(audited.n).toBe(1);
  });

  it('lets each assignee see the shared criterion, add a file and a note, and not see the others’ criteria', async () => {
    const congtac = await signedIn('congtac');
    const ty = await signedIn('ty');
    // Her own list with the due date; the criteria page shows only what she holds.
    const home = (await congtac.get(paths.unit.campaign(unit, code))).body;
    expect(home).toContain('Tiêu chí bạn thực hiện');
    expect(home).toMatch(new RegExp(`4\\.3\\.2</span> [^<]*</a> · hạn ${later}`));
    expect(sections((await congtac.get(criteria4())).body)).toEqual(['4-3-2']);
    // Ma Thị Tý acts for the HĐND, given 4.3.1 by the demo and 4.3.2 above.
    const tyHome = (await ty.get(paths.unit.campaign(unit, code))).body;
    expect(tyHome).toContain('(thay HĐND xã)');
    expect(tyHome).toContain('QUÁ HẠN');
    expect(sections((await ty.get(criteria4())).body)).toEqual(['4-3-1', '4-3-2']);

    expect(
      (await uploadAs(t, congtac, unit, code, '4.3.2', 'bao-cao-cong-tac.pdf', await pdfBytes({ text: 'a' })))
        .statusCode,
    ).toBe(303);
    expect(
      (await uploadAs(t, ty, unit, code, '4.3.2', 'bao-cao-hdnd.pdf', await pdfBytes({ text: 'b' }))).statusCode,
    ).toBe(303);
    // Not hers: neither the page nor the upload finds 4.3.3.
    expect((await uploadAs(t, congtac, unit, code, '4.3.3', 'x.pdf', await pdfBytes({ text: 'c' }))).statusCode).toBe(
      404,
    );
    expect((await congtac.get(paths.unit.criterion(unit, code, '4.3.3'))).statusCode).toBe(404);
    const [file] = await sql<{ body: string | null }>(
      `select b.name as body from evidence_file ef left join unit_body b on b.id = ef.body_id where ef.original_name = 'bao-cao-hdnd.pdf'`,
    );
    expect(file.body).toBe('HĐND xã');
    // On a shared criterion a contributor removes only what they sent.
    const [theirs] = await sql<{ id: number }>(`select id from evidence_file where original_name = 'bao-cao-hdnd.pdf'`);
    const removal = await congtac.request('POST', paths.unit.evidenceRemoval(unit, code, theirs.id), {
      form: { _csrf: csrfToken((await congtac.get(criteria4())).body) },
    });
    expect(removal.statusCode).toBe(403);
    expect(removal.body).toContain('Bạn chỉ xóa được tệp do mình tải lên.');
    expect((await congtac.get(criteria4())).body).not.toContain('aria-label="Xóa tệp bao-cao-hdnd.pdf"');

    const page = await congtac.get(criteria4());
    const note = await congtac.request('POST', paths.unit.criterionNote(unit, code, '4.3.2'), {
      form: { _csrf: csrfToken(page.body), note: 'Đã gửi báo cáo số 12/BC-UBND, mục II.' },
    });
    expect(note.statusCode).toBe(303);
    // The others on the criterion, and the officer, read it; the HĐND is no longer late (it sent a file).
    const seen = (await ty.get(criteria4())).body;
    expect(seen).toContain('Đã gửi báo cáo số 12/BC-UBND, mục II.');
    expect(seen).toContain('Ghi chú của HĐND xã');
    const officer = await signedIn('canbo');
    const officerView = (await officer.get(criteria4())).body;
    expect(officerView).toContain('Đã gửi báo cáo số 12/BC-UBND, mục II.');
    const overview = (await officer.get(paths.unit.assignments(unit, code, { field: '4' }))).body;
    const item = /<li id="a-4-3-2">[\s\S]*?<\/ul>/.exec(overview)![0];
    expect(item).not.toContain('QUÁ HẠN');
    expect(item).toContain('HĐND xã <span class="muted">(Ma Thị Tý)</span> · hạn');
    expect(item).toContain('đã nộp 1 tệp');
    // A note on a criterion someone does not hold is refused.
    const huy = await signedIn('huy');
    const refused = await huy.request('POST', paths.unit.criterionNote(unit, code, '4.3.1'), {
      form: { _csrf: csrfToken((await huy.get(criteria4())).body), note: 'x' },
    });
    expect(refused.statusCode).toBe(404);
    const tooLong = await congtac.request('POST', paths.unit.criterionNote(unit, code, '4.3.2'), {
      form: { _csrf: csrfToken(page.body), note: 'x'.repeat(5001) },
    });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Ghi chú dài quá 5.000 ký tự.');
  });

  it('leaves the one score and explanation to the officer or the head', async () => {
    const congtac = await saveScore(await signedIn('congtac'), '4.3.2', '0,25');
    expect(congtac.statusCode).toBe(403);
    expect(congtac.body).toContain('Điểm và giải trình do cán bộ CCHC hoặc Chủ tịch tổng hợp');
    const form = (await (await signedIn('congtac')).get(criteria4())).body;
    expect(/<section id="c-4-3-2"[\s\S]*?<fieldset disabled>/.test(form)).toBe(true);
    expect((await saveScore(await signedIn('canbo'), '4.3.2', '0,25')).statusCode).toBe(303);
    expect((await saveScore(await signedIn('chutichxa'), '4.3.2', '0,5')).statusCode).toBe(303);
    const [row] = await sql<{ s: string }>(
      `select cs.self_score::text as s from criterion_score cs join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = '4.3.2'`,
      [unit],
    );
    expect(row.s).toBe('0.500');
  });

  it('shows "không có ký số (được miễn)" instead of the unsigned flag for a body the secretariat marked', async () => {
    const admin = await signedIn('admin');
    const page = await admin.get(paths.admin.signing());
    expect(page.body).toContain('Không có ký số: HĐND xã');
    const res = await admin.request('POST', paths.admin.signing(), {
      form: {
        _csrf: csrfToken(page.body),
        unit,
        [`body-${await bodyId('HĐND xã')}`]: 'on',
        [`body-${await bodyId('UB MTTQ xã')}`]: 'on',
      },
    });
    expect(res.statusCode).toBe(303);
    // Back at the unit's own form, the message in it names the unit.
    const location = res.headers.location as string;
    expect(location).toBe(`${paths.admin.signing({ saved: unit })}#s-${unit}`);
    const saved = (await admin.get(location.split('#')[0])).body;
    const form = new RegExp(`<form[^>]*id="s-${unit}"[\\s\\S]*?</form>`).exec(saved)![0];
    expect(form).toMatch(/role="status">Đã lưu đánh dấu ký số của Xã [^<]+\.</);
    expect(saved.match(/role="status"/g)).toHaveLength(1);
    expect(
      (await admin.request('POST', paths.admin.signing(), { form: { _csrf: csrfToken(page.body), unit: 'nope' } }))
        .statusCode,
    ).toBe(422);
    const [audited] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'signing-exemption.set'`,
    );
    expect(audited.n).toBe(1);

    const unitPage = (await (await signedIn('canbo')).get(criteria4())).body;
    expect(itemOf(unitPage, 'bao-cao-hdnd.pdf')).toContain('không có ký số (được miễn)');
    expect(itemOf(unitPage, 'bao-cao-hdnd.pdf')).not.toContain('chưa ký số');
    expect(itemOf(unitPage, 'bao-cao-cong-tac.pdf')).toContain('chưa ký số');

    // The appraiser's item and queue: the same words, and only the other file counted unsigned.
    await submitUnitBySql(t.orm, unit);
    await setCampaignState(t.orm, 'appraisal');
    const [item] = await sql<{ id: number }>(
      `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = '4.3.2'`,
      [unit],
    );
    const appraiser = await signedIn('thamdinh');
    const itemPage = (await appraiser.get(paths.appraisal.item(item.id, { campaign: code }))).body;
    expect(itemPage).toContain('không có ký số (được miễn)');
    const links = /<ul class="plain evidence-links">[\s\S]*?<\/ul>/.exec(itemPage)![0];
    expect(itemOf(links, 'bao-cao-hdnd.pdf')).toContain('ℹ không có ký số (được miễn)');
    expect(itemOf(links, 'bao-cao-hdnd.pdf')).not.toContain('chưa ký số');
    expect(itemOf(links, 'bao-cao-cong-tac.pdf')).toContain('⚠ chưa ký số');
    const queue = (await appraiser.get(paths.appraisal.queue({ campaign: code, unit, field: '4' }))).body;
    expect(queue).toMatch(/4\.3\.2<\/a>[\s\S]*?⚠ 1 chưa ký số/);

    // The whole unit marked: the other file too.
    await admin.request('POST', paths.admin.signing(), {
      form: { _csrf: csrfToken(page.body), unit, cannot: 'on', [`body-${await bodyId('HĐND xã')}`]: 'on' },
    });
    const again = (await appraiser.get(paths.appraisal.item(item.id, { campaign: code }))).body;
    expect(itemOf(again, 'bao-cao-cong-tac.pdf')).toContain('ℹ không có ký số (được miễn)');
    expect(itemOf(again, 'bao-cao-cong-tac.pdf')).not.toContain('chưa ký số');
  });
});

describe('the migration', () => {
  it('keeps the single assignments: the person, and a body typed by name as a body of the unit', async () => {
    const orm = await openOrm(await freshDatabaseUrl(), { poolMax: 2 });
    try {
      await seedDemoIfEmpty(orm);
      // Back to the migration before this one (any later ones reverted too, and applied again below).
      const executed = (await orm.migrator.getExecuted()).map((m) => m.name);
      const before = executed[executed.findIndex((n) => n.startsWith('Migration20261203000337_several_hands')) - 1];
      await orm.migrator.down({ to: before });
      const em = orm.em.fork();
      await em.execute(
        `update criterion_score cs set assignee_id = (select id from app_user where username = 'congtac'), assignee_body = 'Văn phòng - Thống kê'
          from criterion c, self_assessment sa, unit u
         where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = ? and c.code = '1.6.2'`,
        [unit],
      );
      await orm.migrator.up();
      const rows = await orm.em.fork().execute<{ code: string; who: string }[]>(
        `select c.code, coalesce(au.username, b.name) as who from criterion_assignment ca
           join criterion_score cs on cs.id = ca.criterion_score_id join criterion c on c.id = cs.criterion_id
           left join app_user au on au.id = ca.user_id left join unit_body b on b.id = ca.body_id
          order by c.code, who`,
      );
      // 4.3.1 was the demo's (down kept one person and one body of it); 1.6.2 comes from the old columns.
      expect(rows).toEqual([
        { code: '1.6.2', who: 'congtac' },
        { code: '1.6.2', who: 'Văn phòng - Thống kê' },
        { code: '4.3.1', who: 'Ban Thanh tra nhân dân' },
        { code: '4.3.1', who: 'canbo' },
      ]);
    } finally {
      await orm.close();
    }
  });
});
