// Issue 23, items 2 and 4, through the real routes and PostgreSQL: the council as constituted gives its roles per
// campaign (a member reads the ranking and the units' reports, cannot approve), the working group follows up without
// administration rights, every opening of a unit's report from outside the unit is audited and never cached, and the
// unit's signed report (a PDF with its number and date) is uploaded, refused when it is not a PDF, and shown beside
// the generated report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayApprove, mayReadCouncil, type Grant } from '../../src/domain/permissions.ts';
import { noticePhaseOpened } from '../../src/features/notices.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { makePng, pdfBytes } from '../helpers/evidence.ts';
import { multipart } from '../helpers/multipart.ts';

let t: TestApp;
let code: string;
let itemId: number;
const unit = 'xa-truc-thanh';
const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, values);
const audits = (action: string) =>
  sql<{ actor: string; after: Record<string, string> | null }>(
    `select u.username as actor, e.after from audit_event e left join app_user u on u.id = e.actor_id where e.action = ? order by e.id`,
    [action],
  );

/** Posts the signed-report form as the page's browser would (the token first in the body). */
async function uploadSigned(b: Browser, fields: Record<string, string>, file?: { filename: string; content: Buffer }) {
  const page = paths.council2.unitSigned(unit, code);
  const token = csrfToken((await b.get(page)).body);
  const { body, boundary } = multipart({ _csrf: token, ...fields }, file);
  return t.app.inject({
    method: 'POST',
    url: page,
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

beforeAll(async () => {
  // The demo with Xã Trực Thanh submitted and the campaign in appraisal (as startAppraisalApp), uploads up to 0,1 MB.
  t = await startTestApp({ env: { EVIDENCE_MAX_MB: '0.1' } });
  await submitUnitBySql(t.orm, unit);
  await setCampaignState(t.orm, 'appraisal');
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  [{ id: itemId }] = await sql<{ id: number }>(
    `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id where c.code = '1.1.1'`,
  );
  // An agency that appraises nothing of this campaign's criteria set, and its appraiser.
  await sql(`insert into agency (code, name, active, created_at) values ('cong-an', 'Công an huyện', true, now())`);
  await sql(
    `insert into app_user (username, full_name, password_hash, created_at)
     select 'thamdinh-congan', 'Lý Văn Cường', password_hash, now() from app_user where username = 'thamdinh'`,
  );
  await sql(
    `insert into role_assignment (user_id, role, agency_id, created_at)
     select u.id, 'appraiser', a.id, now() from app_user u, agency a where u.username = 'thamdinh-congan' and a.code = 'cong-an'`,
  );
});
afterAll(async () => {
  await t.close();
});

describe('campaign roles from the council as recorded', () => {
  it('holds a role only for the campaign it was recorded in; the chair alone approves', () => {
    const member: Grant[] = [{ role: 'council-member', unitId: null, agencyId: null, campaignId: 7 }];
    expect(mayReadCouncil(member, 7)).toBe(true);
    expect(mayReadCouncil(member, 8)).toBe(false);
    expect(mayApprove(member, 7)).toBe(false);
    const chairOf7: Grant[] = [{ role: 'chair', unitId: null, agencyId: null, campaignId: 7 }];
    expect(mayApprove(chairOf7, 7)).toBe(true);
    expect(mayApprove(chairOf7, 8)).toBe(false);
    expect(mayApprove([{ role: 'chair', unitId: null, agencyId: null }], 8)).toBe(true);
    expect(mayApprove([{ role: 'admin', unitId: null, agencyId: null }], 7)).toBe(false);
  });
});

describe('a council member', () => {
  it('reads the progress, the preliminary ranking and the reports, never cached, and cannot approve', async () => {
    const b = await Browser.signedIn(t.app, 'uyvien');
    // One area: the home page leads straight to the council's.
    const home = await b.get(paths.home());
    expect(home.headers.location).toBe(paths.council.index());
    const index = await b.get(paths.council.index());
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain(paths.council.campaign(code));
    for (const url of [paths.council.campaign(code), paths.council.ranking(code), paths.council.progress(code)]) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
      expect(res.headers['cache-control'], url).not.toContain('public');
    }
    const overview = await b.get(paths.council.campaign(code));
    expect(overview.body).toContain(paths.council2.report(code, unit, 'docx'));
    // Not the chair: no approval form, and the approval itself is not found.
    expect(overview.body).not.toContain(`action="${paths.council.approval(code)}"`);
    const approval = await b.submit(paths.council.campaign(code), paths.council.approval(code), {
      decision: '12/QĐ-HĐ',
      decisionDate: '01/01/2026',
      confirm: 'yes',
    });
    expect(approval.statusCode).toBe(404);
    // Nothing of the secretariat's.
    expect((await b.get(paths.admin.campaign(code))).statusCode).toBe(404);
  });

  it('opens a unit report, each opening audited with who and which file', async () => {
    const b = await Browser.signedIn(t.app, 'uyvien');
    const before = (await audits('report.opened')).length;
    const docx = await b.get(paths.council2.report(code, unit, 'docx'));
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.headers['cache-control']).toBe('private, no-store');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const xlsx = await b.get(paths.council2.report(code, unit, 'xlsx'));
    expect(xlsx.statusCode).toBe(200);
    const opened = (await audits('report.opened')).slice(before);
    expect(opened).toEqual([
      { actor: 'uyvien', after: { campaign: code, unit, file: 'docx', reader: 'council' } },
      { actor: 'uyvien', after: { campaign: code, unit, file: 'xlsx', reader: 'council' } },
    ]);
  });

  it('is told, with the chair, that the ranking waits for the council, and the notice opens a page they read', async () => {
    const [{ id }] = await sql<{ id: number }>('select id from campaign where code = ?', [code]);
    await noticePhaseOpened(t.orm.em.fork(), id!, 'council-review');
    const told = await sql<{ username: string; id: number }>(
      `select u.username, n.id from notice n join app_user u on u.id = n.recipient_id where n.kind = 'review' order by u.username`,
    );
    expect(told.map((n) => n.username)).toEqual(['chutich', 'phochutich', 'uyvien']);
    const b = await Browser.signedIn(t.app, 'uyvien');
    const opened = await b.submit(
      paths.inbox.index(),
      paths.inbox.open(told.find((n) => n.username === 'uyvien')!.id),
      {},
    );
    expect(opened.statusCode).toBe(303);
    expect((await b.get(String(opened.headers.location))).statusCode).toBe(200);
  });

  it('loses the campaign with their place in the council', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = await admin.get(paths.council2.admin(code));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nguyễn Thị Hạnh');
    const [row] = await sql<{ id: number }>(
      `select m.id from council_member m join app_user u on u.id = m.user_id where u.username = 'phochutich'`,
    );
    const removed = await admin.submit(
      paths.council2.admin(code),
      paths.council2.adminMemberRemoval(code, row!.id),
      {},
    );
    expect(removed.statusCode).toBe(303);
    const vice = await Browser.signedIn(t.app, 'phochutich');
    expect((await vice.get(paths.council.ranking(code))).statusCode).toBe(404);
    expect((await vice.get(paths.council2.report(code, unit, 'docx'))).statusCode).toBe(404);
    const [gone] = await audits('council.member-removed');
    expect(gone).toMatchObject({ actor: 'admin', after: null });
    // Recorded again, the vice-chair reads the ranking again from the next request.
    const added = await admin.submit(paths.council2.admin(code), paths.council2.adminMembers(code), {
      body: 'council',
      position: 'vice-chair',
      username: 'phochutich',
      agency: 'noi-vu',
      title: 'Trưởng phòng Nội vụ',
    });
    expect(added.statusCode).toBe(303);
    expect((await vice.get(paths.council.ranking(code))).statusCode).toBe(200);
  });
});

describe('the report where it is judged', () => {
  it('is opened by the secretariat and the appraisers of the fields, not by others', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    expect((await admin.get(paths.council2.report(code, unit, 'xlsx'))).statusCode).toBe(200);
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    expect((await appraiser.get(paths.council2.report(code, unit, 'docx'))).statusCode).toBe(200);
    // The queue filtered on the unit and the item page link to it.
    const item = await appraiser.get(paths.appraisal.item(itemId));
    expect(item.body).toContain(paths.council2.report(code, unit, 'docx'));
    const queue = await appraiser.get(paths.appraisal.queue({ campaign: code, unit }));
    expect(queue.body).toContain(paths.council2.report(code, unit, 'xlsx'));
    // An appraiser whose agency appraises nothing of this campaign, the unit's own people (they have /unit/),
    // another unit's officer, and a unit that has not submitted: not found.
    const other = await Browser.signedIn(t.app, 'thamdinh-congan');
    expect((await other.get(paths.council2.report(code, unit, 'docx'))).statusCode).toBe(404);
    for (const who of ['canbo', 'canbo2', 'thuky']) {
      const b = await Browser.signedIn(t.app, who);
      expect((await b.get(paths.council2.report(code, unit, 'docx'))).statusCode, who).toBe(404);
    }
    expect((await admin.get(paths.council2.report(code, 'xa-truc-dao', 'docx'))).statusCode).toBe(404);
    const readers = (await audits('report.opened')).map((a) => `${a.actor}:${a.after?.reader}`);
    expect(readers).toContain('admin:secretariat');
    expect(readers).toContain('thamdinh:appraiser');
    expect(readers.some((r) => r.startsWith('thamdinh-congan') || r.startsWith('canbo'))).toBe(false);
  });

  it('takes the signed PDF from the officer, refuses another type beside the field, and shows it everywhere', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    // A PNG named .pdf: refused for its content, the typed number and date kept, nothing written.
    const wrong = await uploadSigned(
      officer,
      { number: '45/BC-UBND', date: '02/12/2026' },
      { filename: 'bao-cao.pdf', content: makePng() },
    );
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('id="s-file-error"');
    expect(wrong.body).toContain('Tệp này không phải PDF');
    expect(wrong.body).toContain('class="error-summary"');
    expect(wrong.body).toContain('value="45/BC-UBND"');
    expect(wrong.body).toContain('value="02/12/2026"');
    const noNumber = await uploadSigned(
      officer,
      { number: '', date: '31/02/2026' },
      {
        filename: 'bao-cao.pdf',
        content: await pdfBytes(),
      },
    );
    expect(noNumber.statusCode).toBe(422);
    expect(noNumber.body).toContain('Nhập số báo cáo.');
    expect(noNumber.body).toContain('Ngày này không có trên lịch.');
    expect((await sql('select id from signed_report')).length).toBe(0);
    // The contributor may not.
    const contributor = await Browser.signedIn(t.app, 'congtac');
    const refused = await uploadSigned(
      contributor,
      { number: '45/BC-UBND', date: '01/12/2026' },
      {
        filename: 'bao-cao.pdf',
        content: await pdfBytes(),
      },
    );
    expect(refused.statusCode).toBe(409);
    // Past the size limit (0,1 MB here): refused beside the field with the limit in words.
    const big = Buffer.concat([await pdfBytes(), Buffer.alloc(150_000, 0x20)]);
    const tooLarge = await uploadSigned(
      officer,
      { number: '45/BC-UBND', date: '01/12/2026' },
      {
        filename: 'bao-cao.pdf',
        content: big,
      },
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toContain('Tệp lớn hơn 0,1 MB');
    expect(tooLarge.body).toContain('id="s-file-error"');
    expect((await sql('select id from signed_report')).length).toBe(0);

    const sent = await uploadSigned(
      officer,
      { number: '45/BC-UBND', date: '01/12/2026' },
      {
        filename: 'Báo cáo đã ký.pdf',
        content: await pdfBytes(),
      },
    );
    expect(sent.statusCode).toBe(303);
    const [uploaded] = await audits('report.signed-uploaded');
    expect(uploaded).toMatchObject({ actor: 'canbo', after: { unit, number: '45/BC-UBND', date: '2026-12-01' } });
    const shownAs = 'Bản đã ký, số 45/BC-UBND ngày 01/12/2026 (PDF)';
    expect((await officer.get(paths.unit.campaign(unit, code))).body).toContain(shownAs);
    const own = await officer.get(paths.council2.unitSignedFile(unit, code));
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');

    // Beside the generated report: the council's overview, the item page, the queue; and the file, audited.
    const member = await Browser.signedIn(t.app, 'uyvien');
    expect((await member.get(paths.council.campaign(code))).body).toContain(shownAs);
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    expect((await appraiser.get(paths.appraisal.item(itemId))).body).toContain(shownAs);
    expect((await appraiser.get(paths.appraisal.queue({ campaign: code, unit }))).body).toContain(shownAs);
    const file = await member.get(paths.council2.signed(code, unit));
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['cache-control']).toBe('private, no-store');
    const last = (await audits('report.opened')).at(-1);
    expect(last).toEqual({ actor: 'uyvien', after: { campaign: code, unit, file: 'signed', reader: 'council' } });
  });
});

describe('the working group', () => {
  it('follows the units up and writes to them, without the administration', async () => {
    const b = await Browser.signedIn(t.app, 'thuky');
    const home = await b.get(paths.home());
    expect(home.headers.location).toBe(paths.council2.followup());
    const index = await b.get(paths.council2.followup());
    expect(index.body).toContain(paths.council2.followupCampaign(code));
    expect(index.body).toContain('Thư ký');
    const page = await b.get(paths.council2.followupCampaign(code));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Xã Trực Đạo'); // has not submitted
    expect(page.body).not.toMatch(/<li>Xã Trực Thanh/); // has
    expect((await b.get(paths.council2.followupProgress(code))).statusCode).toBe(200);
    const empty = await b.submit(paths.council2.followupCampaign(code), paths.council2.followupMessage(code), {
      audience: 'notSubmitted',
      text: '',
    });
    expect(empty.statusCode).toBe(422);
    const sent = await b.submit(paths.council2.followupCampaign(code), paths.council2.followupMessage(code), {
      audience: 'notSubmitted',
      text: 'Đề nghị nộp báo cáo tự đánh giá trước ngày 15/11.',
    });
    expect(sent.statusCode).toBe(303);
    const [notice] = await sql<{ username: string }>(
      `select u.username from notice n join app_user u on u.id = n.recipient_id where n.kind = 'message' and n.params->>'text' like 'Đề nghị nộp%' order by u.username limit 1`,
    );
    expect(notice?.username).toBe('canbo2');
    // No administration: criteria sets, users, campaigns; nor the council's ranking or the units' reports.
    for (const url of [
      paths.admin.criteriaSets(),
      paths.admin.criteriaSet(1),
      paths.admin.users(),
      paths.admin.campaign(code),
      paths.admin.campaignSettings(code),
      paths.council.ranking(code),
    ])
      expect((await b.get(url)).statusCode, url).toBe(404);
    const edit = await b.submit(paths.council2.followupCampaign(code), paths.admin.criteria(1), {
      code: '9',
      title: 'X',
    });
    expect(edit.statusCode).toBe(404);
  });
});

describe("the secretariat's page of the council", () => {
  it('records the decision, refusing a bad date beside its field, and audits it', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const bad = await admin.submit(paths.council2.admin(code), paths.council2.adminDecision(code), {
      number: '2150/QĐ-UBND',
      date: '32/10/2026',
      groupNumber: '',
      groupDate: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="d-date-error"');
    expect(bad.body).toContain('value="32/10/2026"');
    const good = await admin.submit(paths.council2.admin(code), paths.council2.adminDecision(code), {
      number: '2151/QĐ-UBND',
      date: '20/10/2026',
      groupNumber: '2152/QĐ-UBND',
      groupDate: '21/10/2026',
    });
    expect(good.statusCode).toBe(303);
    const page = await admin.get(paths.council2.admin(code));
    expect(page.body).toContain('Quyết định số 2151/QĐ-UBND ngày 20/10/2026');
    expect(page.body).toContain('Quyết định số 2152/QĐ-UBND ngày 21/10/2026');
    const [recorded] = (await audits('council.decision-recorded')).slice(-1);
    expect(recorded).toMatchObject({ actor: 'admin', after: { number: '2151/QĐ-UBND', date: '2026-10-20' } });
    // A second chair is refused beside the position; a working-group member is added and follows up at once.
    const chair = await admin.submit(paths.council2.admin(code), paths.council2.adminMembers(code), {
      body: 'council',
      position: 'chair',
      username: 'canbo2',
      agency: '',
      title: '',
    });
    expect(chair.statusCode).toBe(422);
    expect(chair.body).toContain('id="council-position-error"');
    const added = await admin.submit(paths.council2.admin(code), paths.council2.adminMembers(code), {
      body: 'working-group',
      position: 'member',
      username: 'thamdinh-tuphap',
      agency: 'tu-phap',
      title: 'Chuyên viên',
    });
    expect(added.statusCode).toBe(303);
    const member = await Browser.signedIn(t.app, 'thamdinh-tuphap');
    expect((await member.get(paths.council2.followupCampaign(code))).statusCode).toBe(200);
    expect((await audits('council.member-added')).at(-1)).toMatchObject({
      actor: 'admin',
      after: { body: 'working-group', position: 'member', username: 'thamdinh-tuphap' },
    });
  });
});
