import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { paths } from '../../src/http/paths.ts';

// Issue 23, item 6 (reopening a submitted self-assessment) and item 5's last sentence (units' own survey figures),
// through the real routes on the demo: Xã Trực Thanh submitted, the campaign in appraisal, every item appraised.

let t: TestApp;
let code: string;
/** Three plain leaves of field 1 (Nội vụ's, the demo appraiser's agency): A edited, B saved unchanged, C a file removed. */
let A: string;
let B: string;
let C: string;
const unit = 'xa-truc-thanh';

const sql = <T = Record<string, any>>(text: string, values: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, values);
const appraisalOf = async (criterion: string) =>
  (
    await sql(
      `select a.* from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0];
const selfState = async () =>
  (
    await sql(
      `select sa.state, sa.reopen_reason from self_assessment sa join unit u on u.id = sa.unit_id join campaign c on c.id = sa.campaign_id
        where u.code = ? and c.code = ?`,
      [unit, code],
    )
  )[0];
const reopenUrl = () => paths.admin.campaignUnitReopen(code, unit);

beforeAll(async () => {
  ({ t, code } = await startAppraisalApp());
  const plain = await sql<{ code: string }>(
    `select c.code from criterion c where c.kind = 'self' and c.scoring is null and c.min_score = 0 and c.code like '1.%'
        and not exists (select 1 from criterion k where k.parent_id = c.id) order by c.position`,
  );
  [A, B, C] = plain.map((p) => p.code);
  expect(C).toBeDefined();
  // Every leaf that asks for evidence has a file; C has one more, which the unit will remove.
  const fileOf = (sha: string, where: string) =>
    sql(
      `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
       select cs.id, ?, 10, 'application/pdf', 'kiem-chung.pdf', (select id from app_user where username = 'canbo'), now()
         from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = ? and ${where}`,
      [sha, unit],
    );
  await fileOf('a'.repeat(64), 'c.evidence_required');
  await fileOf('b'.repeat(64), `c.code = '${C}'`);
  // Every item of the unit appraised: accepted at its own score.
  await sql(
    `update appraisal a set state = 'accepted', appraised_score = cs.self_score, appraiser_id = (select id from app_user where username = 'thamdinh'),
            updated_at = now(), version = a.version + 1
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
      where cs.id = a.criterion_score_id and u.code = ?`,
    [unit],
  );
});
afterAll(async () => {
  await t.close();
});

describe('reopening a submitted self-assessment', () => {
  it('the confirmation page states the consequences in numbers, and asks for a reason', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const units = await admin.get(paths.admin.campaignUnits(code));
    expect(units.body).toContain(`href="${reopenUrl()}"`);
    const res = await admin.get(reopenUrl());
    expect(res.statusCode).toBe(200);
    const [{ n }] = await sql<{ n: number }>(
      `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ?`,
      [unit],
    );
    expect(res.body).toMatch(new RegExp(`id="n-items">${n}<`));
    expect(res.body).toMatch(new RegExp(`id="n-decided">${n}<`));
    expect(res.body).toContain('trở lại hàng chờ, chưa thẩm định, có dấu &quot;Đơn vị đã sửa sau khi mở lại&quot;');
    expect(res.body).toContain('name="reason"');
  });

  it('a person of the unit cannot reopen, nor see the page', async () => {
    for (const who of ['chutichxa', 'canbo']) {
      const b = await Browser.signedIn(t.app, who);
      expect([403, 404]).toContain((await b.get(reopenUrl())).statusCode);
      const home = await b.get(paths.unit.campaign(unit, code));
      const res = await b.request('POST', reopenUrl(), { form: { _csrf: csrfToken(home.body), reason: 'Tự mở lại' } });
      expect([403, 404]).toContain(res.statusCode);
    }
    expect((await selfState()).state).toBe('submitted');
  });

  it('without a reason: 422, the message beside the field and in the summary, nothing written', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const res = await admin.submit(reopenUrl(), reopenUrl(), { reason: '   ' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('id="reason-error"');
    expect(res.body).toContain('Nhập lý do mở lại.');
    expect((await selfState()).state).toBe('submitted');
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from reopening');
    expect(n).toBe(0);
  });

  it('reopens with its reason: audited, the officer and the head told on their home page and in their notices', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const reason = 'Nộp nhầm: thiếu tài liệu kiểm chứng tiêu chí 1.4';
    const res = await admin.submit(reopenUrl(), reopenUrl(), { reason });
    expect(res.statusCode).toBe(303);
    expect(await selfState()).toEqual({ state: 'draft', reopen_reason: reason });
    const [event] = await sql(`select * from audit_event where action = 'self-assessment.reopened'`);
    expect(event.reason).toBe(reason);
    expect(event.after.appraisalsMade).toBeGreaterThan(0);
    const told = await sql<{ username: string }>(
      `select u.username from notice n join app_user u on u.id = n.recipient_id where n.kind = 'reopened' order by u.username`,
    );
    expect(told.map((r) => r.username)).toEqual(['canbo', 'chutichxa']);
    for (const who of ['canbo', 'chutichxa']) {
      const home = await (await Browser.signedIn(t.app, who)).get(paths.unit.index());
      expect(home.body).toContain('Tổ thư ký đã mở lại bản tự đánh giá');
      expect(home.body).toContain(reason);
      const inbox = await (await Browser.signedIn(t.app, who)).get(paths.inbox.index());
      expect(inbox.body).toContain(`Lý do: ${reason}`);
      const campaign = await (await Browser.signedIn(t.app, who)).get(paths.unit.campaign(unit, code));
      expect(campaign.body).toContain('id="reopened"');
      expect(campaign.body).toContain(`href="${paths.unit.submission(unit, code)}">Xem lại và nộp<`);
    }
    expect((await admin.get(paths.admin.campaignUnits(code))).body).toContain('Đã mở lại, chờ đơn vị nộp lại');
    // A second reopening while this one is open is refused with its reason.
    const again = await admin.submit(reopenUrl(), reopenUrl(), { reason: 'Lần hai' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('đơn vị chưa nộp bản tự đánh giá');
  });

  it('the chair cannot approve while a reopened self-assessment waits to be submitted again', async () => {
    await sql(`update campaign set state = 'council-review' where code = ?`, [code]);
    try {
      const chair = await Browser.signedIn(t.app, 'chutich');
      const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
      const res = await chair.submit(paths.council.campaign(code), paths.council.approval(code), {
        decision: '123/QĐ-UBND',
        decisionDate: today,
        confirm: 'yes',
      });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Chưa phê duyệt được: 1 đơn vị được mở lại bản tự đánh giá và chưa nộp lại.');
      expect((await sql(`select state from campaign where code = ?`, [code]))[0].state).toBe('council-review');
    } finally {
      await sql(`update campaign set state = 'appraisal' where code = ?`, [code]);
    }
  });

  it('the unit edits one criterion, saves another unchanged, removes a file of a third, and submits again', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const save = async (criterion: string, explanation: string) => {
      const page = await officer.get(paths.unit.criteria(unit, code, { field: '1' }));
      const block = new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`);
      const [row] = await sql(
        `select cs.self_score from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
           join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
        [unit, criterion],
      );
      return officer.request('POST', paths.unit.criterion(unit, code, criterion), {
        form: {
          _csrf: csrfToken(page.body),
          score: String(Number(row.self_score)).replace('.', ','),
          explanation,
          version: block.exec(page.body)![1],
        },
      });
    };
    // Editable in the appraisal phase, because it was reopened.
    expect((await save(A, 'Kế hoạch số 10/KH-UBND, mục 2, trang 3 và Báo cáo số 5/BC-UBND')).statusCode).toBe(303);
    expect((await save(B, 'Kế hoạch số 10/KH-UBND, mục 2, trang 3')).statusCode).toBe(303);
    const [file] = await sql(
      `select ef.id from evidence_file ef join criterion_score cs on cs.id = ef.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
        where u.code = ? and c.code = ? and ef.sha256 = ?`,
      [unit, C, 'b'.repeat(64)],
    );
    const page = await officer.get(paths.unit.criteria(unit, code, { field: '1' }));
    const removed = await officer.request('POST', paths.unit.evidenceRemoval(unit, code, file.id), {
      form: { _csrf: csrfToken(page.body) },
    });
    expect(removed.statusCode).toBe(303);

    const head = await Browser.signedIn(t.app, 'chutichxa');
    const submission = paths.unit.submission(unit, code);
    const submitted = await head.submit(submission, submission, {});
    expect(submitted.statusCode).toBe(303);
    expect(await selfState()).toEqual({ state: 'submitted', reopen_reason: null });

    // The changed criteria are back in the queue, undecided; the unchanged ones keep their appraisal.
    for (const changed of [A, C]) {
      const a = await appraisalOf(changed);
      expect(a.state).toBe('todo');
      expect(a.appraised_score).toBeNull();
    }
    expect((await appraisalOf(B)).state).toBe('accepted');
    const [{ left }] = await sql<{ left: number }>(
      `select count(*)::int as left from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and a.state <> 'accepted'`,
      [unit],
    );
    expect(left).toBe(2);
    const returned = await sql(`select * from audit_event where action = 'appraisal.returned-after-reopening'`);
    expect(returned).toHaveLength(2);
    const [done] = await sql(`select * from audit_event where action = 'self-assessment.resubmitted'`);
    expect(done.after).toMatchObject({ changed: [A, C], returned: 2 });
    expect(done.after.kept).toBeGreaterThan(0);

    // The appraiser sees them marked, in the queue and on the item.
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const queue = await appraiser.get(paths.appraisal.queue({ campaign: code, unit, state: 'todo' }));
    expect(queue.statusCode).toBe(200);
    expect(queue.body.match(/Đơn vị đã sửa sau khi mở lại/g)).toHaveLength(2);
    const item = await appraiser.get(paths.appraisal.item((await appraisalOf(A)).id));
    expect(item.body).toContain('id="reopen-mark"');
    const kept = await appraiser.get(paths.appraisal.item((await appraisalOf(B)).id));
    expect(kept.body).not.toContain('id="reopen-mark"');
    // The appraisers of the items' agency are told once, with the count, and the notice opens the unit's queue.
    const told = await sql<{ username: string; count: number; params: Record<string, string> }>(
      `select u.username, n.count, n.params from notice n join app_user u on u.id = n.recipient_id where n.kind = 'returned'`,
    );
    expect(told.map((n) => [n.username, n.count])).toEqual([['thamdinh', 2]]);
    const inbox = await appraiser.get(paths.inbox.index());
    expect(inbox.body).toContain('2 mục đơn vị đã sửa trở lại hàng chờ thẩm định');
    const [{ id: noticeId }] = await sql<{ id: string }>(`select id::text as id from notice where kind = 'returned'`);
    const opened = await appraiser.submit(paths.inbox.index(), paths.inbox.open(noticeId), {});
    expect(opened.headers.location).toBe(paths.appraisal.queue({ campaign: code, unit, state: 'todo' }));
    // The unit's home no longer says it is reopened.
    const home = await (await Browser.signedIn(t.app, 'canbo')).get(paths.unit.index());
    expect(home.body).not.toContain('Tổ thư ký đã mở lại bản tự đánh giá');
  });
});

describe("units' own survey figures", () => {
  const figures = () => paths.unit.surveyFigures(unit, code);
  const key = (field: string) => `${field}-${unit}`;
  const stored = async () =>
    (
      await sql(
        `select s.respondents, s.satisfied_answers, s.questions_per_respondent from survey_result s join unit u on u.id = s.unit_id
           join campaign c on c.id = s.campaign_id where u.code = ? and c.code = ?`,
        [unit, code],
      )
    )[0] ?? null;
  const setting = (admin: Browser, form: Record<string, string>) =>
    admin.submit(paths.admin.survey(code), paths.admin.surveyByUnits(code), form);

  it('the campaign setting needs its closing date; the unit is refused while it is off', async () => {
    // The demo lets its units enter their figures until the self-assessment closes; the secretariat turns it off.
    const admin = await Browser.signedIn(t.app, 'admin');
    expect((await admin.get(paths.admin.survey(code))).body).toContain('Đơn vị tự nhập số liệu khảo sát đến hết ngày');
    expect((await setting(admin, { unitSurveyCloses: '' })).statusCode).toBe(303);
    const officer = await Browser.signedIn(t.app, 'canbo');
    const off = await officer.submit(figures(), figures(), { [key('respondents')]: '100' });
    expect(off.statusCode).toBe(409);
    expect(off.body).toContain('Kỳ đánh giá không cho đơn vị tự nhập số liệu khảo sát');
    const noDate = await setting(admin, { unitsEnter: 'on', unitSurveyCloses: '' });
    expect(noDate.statusCode).toBe(422);
    expect(noDate.body).toContain('id="unitSurveyCloses-error"');
    expect(noDate.body).toContain('Nhập ngày cuối cùng đơn vị được tự nhập số liệu.');
    const on = await setting(admin, { unitsEnter: 'on', unitSurveyCloses: '31/12/2099' });
    expect(on.statusCode).toBe(303);
    const [event] = await sql(
      `select * from audit_event where action = 'survey.units-enter-set' order by id desc limit 1`,
    );
    expect(event.after).toEqual({ unitsEnter: true, closes: '2099-12-31' });
  });

  it("within the date the officer enters the unit's figures, checked as the secretariat's are; a contributor cannot", async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const page = await officer.get(figures());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('31/12/2099');
    expect(page.body).not.toContain('<fieldset disabled');
    const bad = await officer.submit(figures(), figures(), {
      [key('respondents')]: '10',
      [key('satisfiedAnswers')]: '500',
      [key('questionsPerRespondent')]: '8',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('value="500"');
    expect(await stored()).toBeNull();
    const good = await officer.submit(figures(), figures(), {
      [key('respondents')]: '100',
      [key('satisfiedAnswers')]: '640',
      [key('questionsPerRespondent')]: '8',
    });
    expect(good.statusCode).toBe(303);
    expect(await stored()).toEqual({ respondents: 100, satisfied_answers: 640, questions_per_respondent: 8 });
    const [event] = await sql(`select * from audit_event where action = 'survey.saved-by-unit'`);
    expect(event.after).toEqual({ [unit]: { respondents: 100, satisfiedAnswers: 640, questionsPerRespondent: 8 } });
    expect((await officer.get(figures())).body).toContain('id="survey-component"');
    const contributor = await Browser.signedIn(t.app, 'congtac');
    expect((await contributor.get(figures())).statusCode).toBe(404);
  });

  it("after the date the unit reads them only, and the secretariat's figures stand", async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    expect((await setting(admin, { unitsEnter: 'on', unitSurveyCloses: '01/01/2020' })).statusCode).toBe(303);
    const survey = await admin.get(paths.admin.survey(code));
    const form: Record<string, string> = { _csrf: csrfToken(survey.body) };
    for (const [, name, value] of survey.body.matchAll(/<input id="[^"]+" name="([^"]+)" value="([^"]*)" inputmode/g))
      form[name] = value;
    form[key('respondents')] = '120';
    form[key('satisfiedAnswers')] = '900';
    expect((await admin.request('POST', paths.admin.survey(code), { form })).statusCode).toBe(303);

    const officer = await Browser.signedIn(t.app, 'canbo');
    const late = await officer.submit(figures(), figures(), {
      [key('respondents')]: '100',
      [key('satisfiedAnswers')]: '800',
      [key('questionsPerRespondent')]: '8',
    });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Đã hết hạn đơn vị nhập số liệu khảo sát (01/01/2020)');
    expect(await stored()).toEqual({ respondents: 120, satisfied_answers: 900, questions_per_respondent: 8 });
    const page = await officer.get(figures());
    expect(page.body).toContain('<fieldset disabled');
    expect(page.body).toContain('value="120"');
  });
});

describe('reopening during council review', () => {
  it('the appraisers cannot decide what comes back; the secretariat corrects it, then the chair approves', async () => {
    // Every item decided again, and appraisal over: the council reviews the proposed ranking.
    await sql(
      `update appraisal a set state = 'accepted', appraised_score = cs.self_score, version = a.version + 1
         from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
        where cs.id = a.criterion_score_id and u.code = ?`,
      [unit],
    );
    await sql(`update campaign set state = 'council-review' where code = ?`, [code]);
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = await admin.get(reopenUrl());
    expect(page.body).toContain(
      'Giai đoạn thẩm định đã kết thúc: các tiêu chí trở lại hàng chờ được Tổ thư ký chấm lại',
    );
    expect(
      (await admin.submit(reopenUrl(), reopenUrl(), { reason: 'Hội đồng đề nghị bổ sung tiêu chí 1' })).statusCode,
    ).toBe(303);

    // The unit edits A in council review, because it was reopened, and submits again: A comes back undecided.
    const officer = await Browser.signedIn(t.app, 'canbo');
    const criteria = await officer.get(paths.unit.criteria(unit, code, { field: '1' }));
    const version = new RegExp(`id="c-${A.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      criteria.body,
    )![1];
    const [{ self_score }] = await sql(
      `select cs.self_score from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unit, A],
    );
    const saved = await officer.request('POST', paths.unit.criterion(unit, code, A), {
      form: {
        _csrf: csrfToken(criteria.body),
        score: String(Number(self_score)).replace('.', ','),
        explanation: 'Kế hoạch số 10/KH-UBND và Quyết định số 7/QĐ-UBND bổ sung theo đề nghị của Hội đồng',
        version: version!,
      },
    });
    expect(saved.statusCode).toBe(303);
    const submission = paths.unit.submission(unit, code);
    expect((await (await Browser.signedIn(t.app, 'chutichxa')).submit(submission, submission, {})).statusCode).toBe(
      303,
    );
    const back = await appraisalOf(A);
    expect(back.state).toBe('todo');
    // Appraisal is over: the secretariat is told, not the appraisers.
    const told = await sql<{ username: string; kind: string; count: number }>(
      `select u.username, n.kind, n.count from notice n join app_user u on u.id = n.recipient_id
        where n.kind like 'returned%' and n.read_at is null order by n.kind, u.username`,
    );
    expect(told).toEqual([{ username: 'admin', kind: 'returnedForCorrection', count: 1 }]);

    // The appraiser may not decide it: appraisal is over.
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const item = paths.appraisal.item(back.id);
    const refused = await appraiser.submit(item, item, { action: 'accept', version: String(back.version) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Giai đoạn thẩm định đã kết thúc; mọi thay đổi phải qua đính chính có ghi lại.');
    expect((await appraisalOf(A)).state).toBe('todo');

    // The secretariat's recorded correction scores it, and the chair approves.
    const corrections = paths.admin.campaignCorrections(code);
    const corrected = await admin.submit(paths.admin.campaign(code), corrections, {
      unit,
      criterion: A,
      score: String(Number(self_score)).replace('.', ','),
      reason: 'Đã đối chiếu tài liệu bổ sung sau khi mở lại',
      confirm: 'yes',
    });
    expect(corrected.statusCode).toBe(303);
    const after = await appraisalOf(A);
    expect(after.state).toBe('adjusted');
    expect(Number(after.appraised_score)).toBe(Number(self_score));
    const chair = await Browser.signedIn(t.app, 'chutich');
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const approved = await chair.submit(paths.council.campaign(code), paths.council.approval(code), {
      decision: '123/QĐ-UBND',
      decisionDate: today,
      confirm: 'yes',
    });
    expect(approved.statusCode).toBe(303);
    expect((await sql(`select state from campaign where code = ?`, [code]))[0].state).toBe('approved');
  });
});

describe('reopening once the campaign is approved', () => {
  it('is refused with a clear message, and nothing changes', async () => {
    await sql(`update campaign set state = 'approved' where code = ?`, [code]);
    const reopenings = async () => (await sql<{ n: number }>('select count(*)::int as n from reopening'))[0]!.n;
    const before = await reopenings();
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = await admin.get(reopenUrl());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="reopen-refused"');
    expect(page.body).toContain('kết quả kỳ đánh giá đã được phê duyệt hoặc công bố');
    expect(page.body).not.toContain('name="reason"');
    const units = await admin.get(paths.admin.campaignUnits(code));
    const res = await admin.request('POST', reopenUrl(), {
      form: { _csrf: csrfToken(units.body), reason: 'Hội đồng trả lại' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Không thể mở lại: kết quả kỳ đánh giá đã được phê duyệt hoặc công bố.');
    expect((await selfState()).state).toBe('submitted');
    expect(await reopenings()).toBe(before);
  });
});
