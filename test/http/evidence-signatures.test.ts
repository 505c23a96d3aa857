import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { caSignedPdf, makeTestCa, type TestCa } from '../helpers/signing.ts';
import { multipart } from '../helpers/multipart.ts';

// Issue 19 through the app: signatures verified at upload (once per content), the badge on the unit's page and the
// appraiser's item, trust that follows the secretariat's list at once, "verify again", and the zero ground it offers.

let t: TestApp;
let code: string;
let ca: TestCa;
const unit = 'xa-truc-thanh';

beforeAll(async () => {
  t = await startTestApp();
  code = (await sql<{ code: string }>('select code from campaign'))[0].code;
  ca = await makeTestCa();
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function uploadEvidence(b: Browser, criterion: string, filename: string, content: Buffer) {
  const token = csrfToken((await b.get('/unit')).body);
  const { body, boundary } = multipart(
    { documentNumber: '12/KH-UBND', documentDate: '', issuer: 'UBND xã Trực Thanh' },
    { filename, content },
  );
  return t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(unit, code, criterion, { _csrf: token }),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

async function uploadAnchor(b: Browser, filename: string, content: Buffer) {
  const token = csrfToken((await b.get(paths.admin.trustAnchors())).body);
  const { body, boundary } = multipart({ _csrf: token }, { filename, content });
  return t.app.inject({
    method: 'POST',
    url: paths.admin.trustAnchors(),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

const pem = (der: Buffer) =>
  Buffer.from(
    `-----BEGIN CERTIFICATE-----\n${der
      .toString('base64')
      .replace(/.{64}/g, '$&\n')
      .trim()}\n-----END CERTIFICATE-----\n`,
  );
const criteriaPage = async (b: Browser) => (await b.get(paths.unit.criteria(unit, code, { field: '1' }))).body;

describe('signatures through the app', () => {
  let valid: Buffer;
  let expired: Buffer;

  it('verifies at upload, once per distinct content, and says untrusted until the secretariat trusts a root', async () => {
    valid = await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], text: 'Ke hoach 12/KH-UBND' });
    expired = await caSignedPdf({ signer: ca.expired, chain: [ca.intermediate], text: 'Bao cao 3/BC-UBND' });
    const b = await Browser.signedIn(t.app, 'canbo');
    expect((await uploadEvidence(b, '1.1.1', 'ke-hoach.pdf', valid)).statusCode).toBe(303);
    expect((await uploadEvidence(b, '1.1.1', 'bao-cao.pdf', expired)).statusCode).toBe(303);
    expect((await uploadEvidence(b, '1.1.2', 'ke-hoach-lan-2.pdf', valid)).statusCode).toBe(303);
    const checks = await sql<{ sha256: string }>('select sha256 from evidence_signature_check order by sha256');
    expect(checks.map((c) => c.sha256)).toEqual([sha(valid), sha(expired)].sort());

    const page = await criteriaPage(b);
    expect(page).toContain('Chữ ký đúng nhưng chứng thư chưa được tin cậy — Nguyễn Văn A, UBND xã B, ký lúc');
    expect(page).toContain('chứng thư chưa được tin cậy');
    expect(page).toContain(
      'Chữ ký không hợp lệ — Trần Thị C, UBND xã B: chứng thư đã hết hạn khi ký; chứng thư không thuộc tổ chức chứng thực được tin cậy',
    );
  });

  it('the secretariat uploads a root: listed with its subject, validity and fingerprint; the badge turns valid', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const empty = await admin.get(paths.admin.trustAnchors());
    expect(empty.body).toContain('Chưa có chứng thư nào được tin cậy');

    const bad = await uploadAnchor(admin, 'goc.cer', Buffer.from('khong phai chung thu'));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('Tệp này không phải chứng thư số (X.509)');

    const added = await uploadAnchor(admin, 'goc.pem', pem(ca.root.der));
    expect(added.statusCode).toBe(303);
    const list = (await admin.get(added.headers.location as string)).body;
    expect(list).toContain('Đã thêm 1 chứng thư vào danh sách tin cậy.');
    expect(list).toContain('CN=Test Root CA (Ban Co yeu thu nghiem), C=VN');
    expect(list).toContain(sha(ca.root.der).toUpperCase().match(/.{2}/g)!.join(':'));
    expect(list).toMatch(/từ \d\d\/\d\d\/\d{4} đến \d\d\/\d\d\/\d{4}/);
    // The same certificate again (DER this time) adds nothing.
    const again = await uploadAnchor(admin, 'goc.cer', ca.root.der);
    expect((await admin.get(again.headers.location as string)).body).toContain('Các chứng thư trong tệp đã có');

    const page = await criteriaPage(await Browser.signedIn(t.app, 'canbo'));
    expect(page).toContain('Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc');
    expect(page).toContain('Chữ ký không hợp lệ — Trần Thị C, UBND xã B: chứng thư đã hết hạn khi ký<');
    const [event] = await sql<{ action: string }>(
      `select action from audit_event where entity_type = 'TrustAnchor' order by id desc limit 1`,
    );
    expect(event.action).toBe('trustAnchor.added');
  });

  it('the unit’s report names each file’s signature in words', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const res = await b.get(paths.unit.report(unit, code, 'xlsx'));
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const texts: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value ?? '')))));
    const evidence = texts.find((x) => x.includes('(ke-hoach.pdf)'));
    expect(evidence).toContain('(ke-hoach.pdf) — Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc');
  });

  it('signed after the self-assessment closed: the campaign’s last day, or the unit’s extension when later', async () => {
    const [before] = await sql<{ closes: string | null }>(
      `select to_char(self_assessment_closes, 'YYYY-MM-DD') as closes from campaign where code = ?`,
      [code],
    );
    const b = await Browser.signedIn(t.app, 'canbo');
    try {
      await sql(`update campaign set self_assessment_closes = current_date - 10 where code = ?`, [code]);
      expect(await criteriaPage(b)).toContain('ký sau khi hết hạn tự đánh giá');
      await sql(
        `update campaign_unit set deadline_extended_to = current_date + 5
          where unit_id = (select id from unit where code = ?) and campaign_id = (select id from campaign where code = ?)`,
        [unit, code],
      );
      expect(await criteriaPage(b)).not.toContain('ký sau khi hết hạn tự đánh giá');
    } finally {
      await sql('update campaign set self_assessment_closes = ? where code = ?', [before.closes, code]);
      await sql('update campaign_unit set deadline_extended_to = null');
    }
  });

  it('the appraiser sees the badges, verifies again, and is offered the signature ground for a zero', async () => {
    await submitUnitBySql(t.orm, unit);
    await setCampaignState(t.orm, 'appraisal');
    const [item] = await sql<{ id: number }>(
      `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
        join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where c.code = '1.1.1' and u.code = ?`,
      [unit],
    );
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const page = await b.get(paths.appraisal.item(item.id));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc');
    expect(page.body).toContain('Chữ ký không hợp lệ — Trần Thị C, UBND xã B: chứng thư đã hết hạn khi ký');
    expect(page.body).toContain('chứng thư hết hạn hoặc chưa có hiệu lực khi ký');
    expect(page.body).toContain('Chữ ký số không hợp lệ → 0');

    const [file] = await sql<{ id: number }>('select id from evidence_file where sha256 = ? order by id limit 1', [
      sha(expired),
    ]);
    const token = csrfToken(page.body);
    const verified = await b.request('POST', paths.appraisal.evidenceVerification(item.id, file.id), {
      form: { _csrf: token },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('Đã kiểm tra lại chữ ký của tệp bao-cao.pdf.');
    const [audited] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'evidence.signaturesVerified' and entity_id = ?`,
      [String(file.id)],
    );
    expect(audited.n).toBe(1);

    const zero = await b.request('POST', paths.appraisal.item(item.id), {
      form: { _csrf: token, action: 'quick', version: '1', ground: 'signature' },
    });
    expect([200, 303]).toContain(zero.statusCode);
    const [decided] = await sql<{ appraised_score: string; reason: string }>(
      'select appraised_score, reason from appraisal where id = ?',
      [item.id],
    );
    expect(Number(decided.appraised_score)).toBe(0);
    expect(decided.reason).toContain('Chữ ký số trên tài liệu kiểm chứng không hợp lệ');
  });

  it('a ground not offered for the item is refused: no signature ground where every signature holds', async () => {
    const [item] = await sql<{ id: number; version: number }>(
      `select a.id, a.version from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
        join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where c.code = '1.1.2' and u.code = ?`,
      [unit],
    );
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const page = await b.get(paths.appraisal.item(item.id));
    expect(page.body).toContain('Chữ ký hợp lệ — Nguyễn Văn A');
    expect(page.body).not.toContain('Chữ ký số không hợp lệ → 0');
    const refused = await b.request('POST', paths.appraisal.item(item.id), {
      form: { _csrf: csrfToken(page.body), action: 'quick', version: String(item.version), ground: 'signature' },
    });
    expect(refused.statusCode).toBe(422);
  });

  it('the secretariat verifies files stored before verification existed, a batch per click', async () => {
    // A signed file stored as before issue 19: its row says signed, no check is kept for its content.
    const old = await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], text: 'Quyet dinh 7/QD-UBND' });
    const temp = await t.app.evidenceStore.tempPath();
    await writeFile(temp, old);
    await t.app.evidenceStore.put(temp, sha(old));
    await sql(
      `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, signed, uploaded_by_id, uploaded_at)
       select cs.id, ?, ?, 'application/pdf', 'quyet-dinh-7.pdf', true, (select id from app_user where username = 'canbo'), now()
         from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = ? and c.code = '1.1.2'`,
      [sha(old), old.length, unit],
    );
    const admin = await Browser.signedIn(t.app, 'admin');
    const before = await admin.get(paths.admin.trustAnchors());
    expect(before.body).toContain('Còn 1 tệp PDF có chữ ký số chưa được kiểm tra');
    const done = await admin.request('POST', paths.admin.trustAnchorVerification(), {
      form: { _csrf: csrfToken(before.body) },
    });
    expect(done.statusCode).toBe(303);
    const after = (await admin.get(done.headers.location as string)).body;
    expect(after).toContain('Đã kiểm tra chữ ký của 1 tệp.');
    expect(after).toContain('Mọi tệp PDF có chữ ký số đã được kiểm tra chữ ký.');
    expect(await sql('select 1 from evidence_signature_check where sha256 = ?', [sha(old)])).toHaveLength(1);
  });

  it('removing the root takes trust away at once, audited', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const list = await admin.get(paths.admin.trustAnchors());
    const [anchor] = await sql<{ id: number }>('select id from trust_anchor');
    const removed = await admin.request('POST', paths.admin.trustAnchorRemoval(anchor.id), {
      form: { _csrf: csrfToken(list.body) },
    });
    expect(removed.statusCode).toBe(303);
    expect((await admin.get(removed.headers.location as string)).body).toContain('Đã bỏ tin cậy chứng thư.');
    const page = await criteriaPage(await Browser.signedIn(t.app, 'canbo'));
    expect(page).toContain('Chữ ký đúng nhưng chứng thư chưa được tin cậy — Nguyễn Văn A');
    const [event] = await sql<{ action: string }>(
      `select action from audit_event where entity_type = 'TrustAnchor' order by id desc limit 1`,
    );
    expect(event.action).toBe('trustAnchor.removed');
  });
});
