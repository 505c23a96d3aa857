import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTo, type BackupManifest } from '../../src/features/backup.ts';
import { LocalEvidenceStore, referencedIn, sweepGraceMs } from '../../src/features/evidence/store.ts';
import { effectiveAgency } from '../../src/features/appraisal/scope.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { setCampaignState, startAppraisalApp, submitUnitBySql } from '../helpers/appraisal.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { multipart } from '../helpers/multipart.ts';

// On-site checks (issue 22): a visit recorded by the secretariat, its findings shown on that unit's items only, the
// one-click zero quoting a finding, the queue's filter, the unit's page and the council's counts; agencies only when
// the campaign allows, each seeing its own visits; every change audited, and frozen once appraisal closes.

let t: TestApp;
let code: string;
/** The appraisal item of Xã Trực Thanh's 1.1.1 (the Nội vụ appraiser's). */
let itemId: number;
/** The same criterion's item at Thị trấn Cổ Lễ. */
let otherUnitItem: number;
/** A leaf the Tư pháp agency appraises (not the Nội vụ's). */
let tuPhapLeaf: string;
let visitId: number;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const signedIn = (username: string) => Browser.signedIn(t.app, username);
const itemOf = async (unit: string, criterion: string) =>
  (
    await sql<{ id: number }>(
      `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0]!.id;
const auditCount = async (action: string) =>
  (await sql<{ n: number }>('select count(*)::int as n from audit_event where action = ?', [action]))[0]!.n;

async function post(b: Browser, page: string, url: string, form: Record<string, string>) {
  return b.submit(page, url, form);
}

beforeAll(async () => {
  ({ t, code, itemId } = await startAppraisalApp());
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  otherUnitItem = await itemOf('thi-tran-co-le', '1.1.1');
  [{ code: tuPhapLeaf }] = await sql<{ code: string }>(
    `with recursive ${effectiveAgency(null)}
     select c.code from criterion c join effective_agency ea on ea.criterion_id = c.id join agency a on a.id = ea.agency_id
      where a.code = 'tu-phap' and not exists (select 1 from criterion k where k.parent_id = c.id) order by c.position limit 1`,
  );
});
afterAll(async () => {
  await t.close();
});

describe('the secretariat records a visit', () => {
  it('refuses bad input with messages beside the fields, keeping what was typed and writing nothing', async () => {
    const admin = await signedIn('admin');
    const res = await post(admin, paths.onsite.newVisit('admin', code), paths.onsite.visits('admin', code), {
      unit: '',
      visitedOn: '31/02/2026',
      members: '',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Có lỗi cần sửa');
    expect(res.body).toContain('Chọn một đơn vị đã nộp báo cáo tự đánh giá.');
    expect(res.body).toContain('Ngày kiểm tra không có trên lịch.');
    expect(res.body).toContain('value="31/02/2026"');
    // A unit that did not submit cannot be visited; a future date is refused.
    const again = await post(admin, paths.onsite.newVisit('admin', code), paths.onsite.visits('admin', code), {
      unit: 'xa-truc-dao',
      visitedOn: '01/01/2099',
      members: 'Trần Thị Thu Hương',
    });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Chọn một đơn vị đã nộp báo cáo tự đánh giá.');
    expect(again.body).toContain('Ngày kiểm tra không được sau hôm nay.');
    expect(again.body).toContain('Trần Thị Thu Hương');
    expect((await sql('select 1 from onsite_visit')).length).toBe(0);
  });

  it('records the visit, a finding per criterion and the minutes, each audited', async () => {
    const admin = await signedIn('admin');
    const res = await post(admin, paths.onsite.newVisit('admin', code), paths.onsite.visits('admin', code), {
      unit: 'xa-truc-thanh',
      visitedOn: '01/12/2026',
      members: 'Trần Thị Thu Hương, Phòng Nội vụ\nNguyễn Văn Bình, Văn phòng HĐND-UBND',
    });
    expect(res.statusCode).toBe(303);
    visitId = Number(/\/visits\/(\d+)/.exec(res.headers.location as string)![1]);
    const page = paths.onsite.visit('admin', code, visitId);

    // "Không khớp" needs a note; the criterion must be a leaf of the campaign.
    const noNote = await post(admin, page, paths.onsite.findings('admin', code, visitId), {
      criterion: '1.1.1',
      result: 'mismatch',
      note: ' ',
    });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.body).toContain('Khi không khớp, ghi rõ điểm không khớp.');
    const badCriterion = await post(admin, page, paths.onsite.findings('admin', code, visitId), {
      criterion: '99.9',
      result: 'match',
      note: '',
    });
    expect(badCriterion.statusCode).toBe(422);
    expect(badCriterion.body).toContain('Chọn một tiêu chí trong danh sách.');
    expect((await sql('select 1 from onsite_finding')).length).toBe(0);

    const mismatch = await post(admin, page, paths.onsite.findings('admin', code, visitId), {
      criterion: '1.1.1',
      result: 'mismatch',
      note: 'Kế hoạch gốc ban hành ngày 15/02, không phải 03/02 như tài liệu đã nộp',
    });
    expect(mismatch.statusCode).toBe(303);
    const match = await post(admin, page, paths.onsite.findings('admin', code, visitId), {
      criterion: '1.1.2',
      result: 'match',
      note: '',
    });
    expect(match.statusCode).toBe(303);

    const token = csrfToken((await admin.get(page)).body);
    const { body, boundary } = multipart({ _csrf: token }, { filename: 'bien-ban.pdf', content: await pdfBytes() });
    const up = await t.app.inject({
      method: 'POST',
      url: paths.onsite.minutes('admin', code, visitId),
      headers: { cookie: admin.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(up.statusCode).toBe(303);
    const shown = await admin.get(page);
    expect(shown.body).toContain('bien-ban.pdf');
    expect(shown.body).toContain('Kế hoạch gốc ban hành ngày 15/02');
    const file = await admin.get(paths.onsite.minutes('admin', code, visitId));
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');

    // The minutes' bytes are kept by the store's sweep like any evidence a row names.
    const store = new LocalEvidenceStore(path.join(t.app.config.DATA_DIR, 'evidence'));
    const [{ sha256 }] = await sql<{ sha256: string }>('select minutes_sha256 as sha256 from onsite_visit');
    const old = new Date(Date.now() - sweepGraceMs - 60_000);
    utimesSync(store.pathOf(sha256), old, old);
    await store.sweep(referencedIn(t.orm.em.fork()));
    expect(existsSync(store.pathOf(sha256))).toBe(true);
    // And a backup copies them with the evidence.
    const backupDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cchc-onsite-')), 'backup');
    await backupTo(backupDir, { databaseUrl: t.databaseUrl, store: t.app.evidenceStore });
    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest.evidence.map((e) => e.sha256)).toContain(sha256);
    rmSync(path.dirname(backupDir), { recursive: true, force: true });

    expect(await auditCount('onsite.visit-recorded')).toBe(1);
    expect(await auditCount('onsite.finding-recorded')).toBe(2);
    expect(await auditCount('onsite.minutes-attached')).toBe(1);
    const list = await admin.get(paths.onsite.visits('admin', code));
    expect(list.body).toContain('Xã Trực Thanh');
    expect(list.body).toContain('Khớp 1 · Không khớp 1 · Không xuất trình được 0');
  });
});

describe('findings where decisions are made', () => {
  it("shows the finding on that unit's item only, not on another unit's", async () => {
    const b = await signedIn('thamdinh');
    const mine = await b.get(paths.appraisal.item(itemId, { campaign: code }));
    expect(mine.body).toContain('Kiểm tra thực tế tại đơn vị');
    expect(mine.body).toContain('Không khớp');
    expect(mine.body).toContain('Kế hoạch gốc ban hành ngày 15/02');
    const other = await b.get(paths.appraisal.item(otherUnitItem, { campaign: code }));
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('Kiểm tra thực tế tại đơn vị');
    expect(other.body).not.toContain('15/02');
  });

  it("another agency's appraiser sees nothing of it: not the item, not the visits", async () => {
    const b = await signedIn('thamdinh-tuphap');
    expect((await b.get(paths.appraisal.item(itemId, { campaign: code }))).statusCode).toBe(404);
    expect((await b.get(paths.onsite.visits('appraisal', code))).statusCode).toBe(404);
    expect((await b.get(paths.onsite.visit('appraisal', code, visitId))).statusCode).toBe(404);
  });

  it('the queue can be filtered to the criteria checked on site', async () => {
    const b = await signedIn('thamdinh');
    const res = await b.get(paths.appraisal.queue({ campaign: code, checked: '1' }));
    const ids = [...new Set([...res.body.matchAll(/href="\/appraisal\/items\/(\d+)\?/g)].map((m) => Number(m[1])))];
    const checked = [itemId, await itemOf('xa-truc-thanh', '1.1.2')].sort((x, y) => x - y);
    expect(ids.sort((x, y) => x - y)).toEqual(checked);
    expect(res.body).toContain('kiểm tra thực tế: Không khớp');
    // The filter travels with the appraiser to the item.
    expect(res.body).toContain(`/appraisal/items/${itemId}?campaign=${code}&amp;checked=1`);
    // Where the filtered queue ends says which filter it was, and what is left elsewhere.
    const done = await b.get(paths.appraisal.queueDone({ campaign: code, checked: '1' }));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Chỉ tiêu chí đã kiểm tra thực tế');
  });

  it('a "không khớp" finding gives a one-click zero quoting it; a matching one gives none', async () => {
    const b = await signedIn('thamdinh');
    const page = await b.get(paths.appraisal.item(itemId, { campaign: code }));
    const finding = Number(/name="finding" value="(\d+)"/.exec(page.body)![1]);
    // For a score other than zero, the finding's words go into the reason box with one link.
    const quote = paths.appraisal.item(itemId, { campaign: code }, { quote: finding }, 'a-reason');
    expect(page.body).toContain(quote.replaceAll('&', '&amp;'));
    expect((await b.get(quote)).body).toContain(
      'Kiểm tra thực tế ngày 01/12/2026: hồ sơ gốc không khớp với tài liệu kiểm chứng đã nộp (Kế hoạch gốc ban hành ngày 15/02, không phải 03/02 như tài liệu đã nộp).</textarea>',
    );
    const matchItem = await itemOf('xa-truc-thanh', '1.1.2');
    const matchPage = await b.get(paths.appraisal.item(matchItem, { campaign: code }));
    expect(matchPage.body).toContain('Khớp với hồ sơ');
    expect(matchPage.body).not.toContain('name="finding"');
    // A finding of another item cannot be used here.
    const [matching] = await sql<{ id: number }>(`select id from onsite_finding where result = 'match'`);
    const version = /name="version" value="(\d+)"/.exec(matchPage.body)![1];
    const wrong = await b.request('POST', paths.appraisal.item(matchItem, { campaign: code }), {
      form: { _csrf: csrfToken(matchPage.body), version, action: 'onsite', finding: String(matching!.id) },
    });
    expect(wrong.statusCode).toBe(422);

    const res = await b.request('POST', paths.appraisal.item(itemId, { campaign: code }), {
      form: {
        _csrf: csrfToken(page.body),
        version: /name="version" value="(\d+)"/.exec(page.body)![1],
        action: 'onsite',
        finding: String(finding),
      },
    });
    expect(res.statusCode).toBe(303);
    const [a] = await sql<{ state: string; appraised_score: string; reason: string }>(
      'select state, appraised_score, reason from appraisal where id = ?',
      [itemId],
    );
    expect(a!.state).toBe('adjusted');
    expect(Number(a!.appraised_score)).toBe(0);
    expect(a!.reason).toBe(
      'Kiểm tra thực tế ngày 01/12/2026: hồ sơ gốc không khớp với tài liệu kiểm chứng đã nộp (Kế hoạch gốc ban hành ngày 15/02, không phải 03/02 như tài liệu đã nộp) — chấm 0 điểm.',
    );
  });

  it('the unit sees the visit and its findings on its workspace; the council sees the counts', async () => {
    const unit = await signedIn('canbo');
    const res = await unit.get(paths.unit.campaign('xa-truc-thanh', code));
    expect(res.body).toContain('Kết quả kiểm tra thực tế tại đơn vị');
    expect(res.body).toContain('Ngày 01/12/2026 · Tổ thư ký');
    expect(res.body).toContain('Kế hoạch gốc ban hành ngày 15/02');
    const otherUnit = await signedIn('canbo2');
    const theirs = await otherUnit.get(paths.unit.campaign('xa-truc-dao', code));
    expect(theirs.body).not.toContain('Kết quả kiểm tra thực tế');
    // The minutes are the unit's to read too; another unit's address does not reach them.
    expect(res.body).toContain(paths.unit.visitMinutes('xa-truc-thanh', code, visitId));
    const minutes = await unit.get(paths.unit.visitMinutes('xa-truc-thanh', code, visitId));
    expect(minutes.statusCode).toBe(200);
    expect(minutes.headers['content-type']).toBe('application/pdf');
    expect((await otherUnit.get(paths.unit.visitMinutes('xa-truc-dao', code, visitId))).statusCode).toBe(404);
    const chair = await signedIn('chutich');
    const council = await chair.get(paths.council.campaign(code));
    expect(council.body).toContain(
      '1 đợt kiểm tra tại 1 đơn vị · 2 tiêu chí đã đối chiếu: khớp 1, không khớp 1, không xuất trình được 0.',
    );
  });
});

describe('an appraising agency, when the campaign allows it', () => {
  it('records its own visit on the criteria it appraises, and sees only its own visits', async () => {
    const admin = await signedIn('admin');
    const set = await post(admin, paths.onsite.visits('admin', code), paths.onsite.setting(code), { agencies: 'on' });
    expect(set.statusCode).toBe(303);
    expect(await auditCount('campaign.onsite-by-agencies')).toBe(1);

    const b = await signedIn('thamdinh');
    expect((await b.get(paths.appraisal.index())).body).toContain(paths.onsite.visits('appraisal', code));
    // The secretariat's visit is not the agency's.
    expect((await b.get(paths.onsite.visit('appraisal', code, visitId))).statusCode).toBe(404);
    const res = await post(b, paths.onsite.newVisit('appraisal', code), paths.onsite.visits('appraisal', code), {
      unit: 'thi-tran-co-le',
      visitedOn: '02/12/2026',
      members: 'Nguyễn Thị Lan Anh',
    });
    expect(res.statusCode).toBe(303);
    const own = Number(/\/visits\/(\d+)/.exec(res.headers.location as string)![1]);
    const page = paths.onsite.visit('appraisal', code, own);
    const notMine = await post(b, page, paths.onsite.findings('appraisal', code, own), {
      criterion: tuPhapLeaf,
      result: 'not-shown',
      note: '',
    });
    expect(notMine.statusCode).toBe(422);
    const shown = await post(b, page, paths.onsite.findings('appraisal', code, own), {
      criterion: '1.1.1',
      result: 'not-shown',
      note: '',
    });
    expect(shown.statusCode).toBe(303);
    const [v] = await sql<{ name: string }>(
      'select a.name from onsite_visit v join agency a on a.id = v.agency_id where v.id = ?',
      [own],
    );
    expect(v!.name).toBeTruthy();
    const list = await b.get(paths.onsite.visits('appraisal', code));
    expect(list.body).toContain('Thị trấn Cổ Lễ');
    expect(list.body).not.toContain('Xã Trực Thanh');
    // Another agency sees the campaign's pages now, but none of the Nội vụ's visits.
    const tuPhap = await signedIn('thamdinh-tuphap');
    const theirs = await tuPhap.get(paths.onsite.visits('appraisal', code));
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Thị trấn Cổ Lễ');
    expect((await tuPhap.get(paths.onsite.visit('appraisal', code, own))).statusCode).toBe(404);
    // The Nội vụ appraiser sees the agency's finding on that unit's item.
    const item = await b.get(paths.appraisal.item(otherUnitItem, { campaign: code }));
    expect(item.body).toContain('Không xuất trình được');
  });
});

describe('after appraisal closes', () => {
  it('the visits are frozen with the campaign: shown, never changed', async () => {
    const admin = await signedIn('admin');
    const page = paths.onsite.visit('admin', code, visitId);
    const form = await admin.get(page);
    const token = csrfToken(form.body);
    await setCampaignState(t.orm, 'council-review');
    const before = await sql('select criterion_id, result, note from onsite_finding order by id');
    const res = await admin.request('POST', paths.onsite.findings('admin', code, visitId), {
      form: { _csrf: token, criterion: '1.1.3', result: 'match', note: '' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Giai đoạn thẩm định đã kết thúc');
    const removal = await admin.request('POST', paths.onsite.findingRemoval('admin', code, visitId, '1.1.1'), {
      form: { _csrf: token },
    });
    expect(removal.statusCode).toBe(409);
    const edit = await admin.request('POST', page, {
      form: { _csrf: token, visitedOn: '30/11/2026', members: 'Khác' },
    });
    expect(edit.statusCode).toBe(409);
    const created = await admin.request('POST', paths.onsite.visits('admin', code), {
      form: { _csrf: token, unit: 'xa-truc-thanh', visitedOn: '30/11/2026', members: 'Khác' },
    });
    expect(created.statusCode).toBe(409);
    expect(await sql('select criterion_id, result, note from onsite_finding order by id')).toEqual(before);
    // The agencies' setting is fixed too: refused with the error summary, and its form gone.
    const setting = await admin.request('POST', paths.onsite.setting(code), { form: { _csrf: token } });
    expect(setting.statusCode).toBe(409);
    expect(setting.body).toContain('Có lỗi cần sửa');
    expect(setting.body).not.toContain(`action="${paths.onsite.setting(code)}"`);
    const [campaign] = await sql<{ on: boolean }>('select onsite_by_agencies as on from campaign where code = ?', [
      code,
    ]);
    expect(campaign!.on).toBe(true);
    const shown = await admin.get(page);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Kế hoạch gốc ban hành ngày 15/02');
    expect(shown.body).not.toContain(paths.onsite.findings('admin', code, visitId));
    await setCampaignState(t.orm, 'appraisal');
  });
});
