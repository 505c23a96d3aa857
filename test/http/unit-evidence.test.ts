import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, utimesSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvidence } from '../../src/features/evidence/upload.ts';
import { LocalEvidenceStore, referencedIn, sweepGraceMs } from '../../src/features/evidence/store.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { makeDocx, makeP12, makePng, pdfBytes, scannedPdf, signedPdf } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';
import { multipartParts as multipart } from '../helpers/multipart.ts';

let t: TestApp;
let code: string;
let evidenceDir: string;
let p12: Buffer;
const unit = 'xa-truc-thanh';

beforeAll(async () => {
  // A small limit, so that an oversize upload is cheap to make.
  t = await startTestApp({ env: { EVIDENCE_MAX_MB: '0.1' } });
  code = (await sql<{ code: string }>('select code from campaign'))[0].code;
  evidenceDir = path.join(t.app.config.DATA_DIR, 'evidence');
  p12 = makeP12('UBND xã Trực Thanh');
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

/** Every file below the evidence folder, temporary ones included. */
function storedFiles(dir = evidenceDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? storedFiles(full) : [full];
  });
}
const isTemp = (file: string) => file.startsWith(path.join(evidenceDir, 'tmp') + path.sep);
const rowCount = async () => Number((await sql<{ n: string }>('select count(*) as n from evidence_file'))[0].n);
const scoreId = async (unitCode: string, criterion: string) =>
  (
    await sql<{ id: number }>(
      `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
     join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unitCode, criterion],
    )
  )[0].id;

const signedIn = (username: string) => Browser.signedIn(t.app, username);

interface UploadOpts {
  unit?: string;
  fields?: Record<string, string>;
  htmx?: boolean;
  body?: (whole: Buffer) => Buffer;
}

async function upload(b: Browser, criterion: string, filename: string, content: Buffer, opts: UploadOpts = {}) {
  const token = csrfToken((await b.get('/unit')).body);
  const fields = opts.fields ?? {
    documentNumber: '12/KH-UBND',
    documentDate: '03/02/2024',
    issuer: 'UBND xã Trực Thanh',
  };
  const { body, boundary } = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', filename, content },
  ]);
  return t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(opts.unit ?? unit, code, criterion, { _csrf: token }),
    headers: {
      cookie: b.cookieHeader,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(opts.htmx ? { 'hx-request': 'true', 'hx-target': 'div#evidence' } : {}),
    },
    payload: opts.body ? opts.body(body) : body,
  });
}

async function remove(b: Browser, id: number, opts: { unit?: string; htmx?: boolean } = {}) {
  const token = csrfToken((await b.get('/unit')).body);
  return b.request('POST', paths.unit.evidenceRemoval(opts.unit ?? unit, code, id), {
    form: { _csrf: token },
    headers: opts.htmx ? { 'hx-request': 'true' } : {},
  });
}

const lastId = async () => (await sql<{ id: number }>('select max(id) as id from evidence_file'))[0].id;
const fileUrl = (id: number, unitCode = unit) => paths.unit.evidence(unitCode, code, id);

/** Uploads without JavaScript, expects the redirect back, and gives the new file's id. */
async function uploaded(b: Browser, criterion: string, filename: string, content: Buffer): Promise<number> {
  expect((await upload(b, criterion, filename, content)).statusCode).toBe(303);
  return lastId();
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Runs `check` and asserts that it left no file in the evidence folder and no row behind. */
async function leavesNothing(check: () => Promise<void>) {
  const files = storedFiles();
  const rows = await rowCount();
  await check();
  expect(storedFiles()).toEqual(files);
  expect(await rowCount()).toBe(rows);
}

describe('uploading evidence', () => {
  it('stores a signed PDF and redirects back to the criterion without JavaScript', async () => {
    const b = await signedIn('canbo');
    const pdf = await signedPdf(p12, '');
    const res = await upload(b, '1.1.1', 'Kế hoạch CCHC năm.pdf', pdf);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/unit/${unit}/campaigns/${code}/criteria?field=1#c-1-1-1`);
    const [row] = await sql<Record<string, unknown>>(
      `select *, to_char(document_date, 'YYYY-MM-DD') as day from evidence_file where id = ?`,
      [await lastId()],
    );
    expect(row).toMatchObject({
      original_name: 'Kế hoạch CCHC năm.pdf',
      media_type: 'application/pdf',
      sha256: sha(pdf),
      document_number: '12/KH-UBND',
      day: '2024-02-03',
      issuer: 'UBND xã Trực Thanh',
      signed: true,
      signer: 'UBND xã Trực Thanh',
      signature_covers_whole: true,
      looks_scanned: false,
      removed_at: null,
    });
    expect(Number(row.size)).toBe(pdf.length);
    const stored = path.join(evidenceDir, sha(pdf).slice(0, 2), sha(pdf).slice(2, 4), sha(pdf));
    expect(storedFiles()).toContain(stored);
    expect(storedFiles().filter(isTemp)).toEqual([]);
    const [event] = await sql<{ action: string }>(
      `select action from audit_event where entity_type = 'EvidenceFile' and entity_id = ?`,
      [String(row.id)],
    );
    expect(event.action).toBe('evidence.uploaded');
  });

  it('answers htmx with the evidence block, its checks in words', async () => {
    const b = await signedIn('canbo');
    const res = await upload(b, '1.1.2', 'BC-15b.pdf', await scannedPdf(), {
      htmx: true,
      fields: { documentNumber: '15b/QĐ-UBND', documentDate: '10/06/2024', issuer: '' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.trim().startsWith('<div id="evidence-1-1-2"')).toBe(true);
    expect(res.body).not.toContain('<html');
    for (const words of ['BC-15b.pdf', '15b/QĐ-UBND', '10/06/2024', 'chưa ký số', 'bản quét', 'số có chữ a, b'])
      expect(res.body).toContain(words);
    expect(res.body).toContain('<span aria-hidden="true">⚠</span>');

    const signed = await upload(b, '1.1.2', 'KH.pdf', await signedPdf(p12, 'Le Dinh Nga'), { htmx: true });
    // Verified at upload (issue 19): the signature holds, but nothing is trusted until the secretariat says so.
    expect(signed.body).toContain(
      '<span aria-hidden="true">⚠</span> Chữ ký đúng nhưng chứng thư chưa được tin cậy — UBND xã Trực Thanh, ký lúc',
    );
    const changed = Buffer.concat([
      await signedPdf(p12, 'Nguyen Van A'),
      Buffer.from('\n% sua sau khi ky\n1 0 obj\n(x)\nendobj\n'),
    ]);
    const changedBody = (await upload(b, '1.1.2', 'KH-sua.pdf', changed, { htmx: true })).body;
    expect(changedBody).toContain('Chữ ký không hợp lệ — UBND xã Trực Thanh: nội dung bị thêm hoặc sửa sau khi ký');
    expect(changedBody).toContain('<span aria-hidden="true">⚠</span> nội dung bị sửa sau khi ký');
  });

  it('stores the same content once, and refuses it twice on one criterion', async () => {
    const b = await signedIn('canbo');
    const pdf = await pdfBytes({ text: 'Bao cao 45/BC-UBND' });
    expect((await upload(b, '1.5.1', 'BC-45.pdf', pdf)).statusCode).toBe(303);
    expect((await upload(b, '1.5.2', 'bao-cao-45.pdf', pdf)).statusCode).toBe(303);
    expect(storedFiles().filter((f) => path.basename(f) === sha(pdf))).toHaveLength(1);
    expect(await sql('select id from evidence_file where sha256 = ?', [sha(pdf)])).toHaveLength(2);
    await leavesNothing(async () => {
      const again = await upload(b, '1.5.2', 'lan-nua.pdf', pdf);
      expect(again.statusCode).toBe(422);
      expect(again.body).toContain('Tệp này đã có trong tài liệu của tiêu chí.');
    });
  });

  it('refuses an oversize file with a message beside the file field, leaving nothing', async () => {
    const b = await signedIn('canbo');
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200 * 1024, 0x41)]);
    await leavesNothing(async () => {
      const res = await upload(b, '1.1.1', 'qua-lon.pdf', big);
      expect(res.statusCode).toBe(413);
      expect(res.body).toContain('id="file-1-1-1-error">Tệp lớn hơn 0,1 MB');
      expect(res.body).toContain('value="12/KH-UBND"'); // what was typed is kept
      // Without JavaScript: a small page of its own, its error summary linking to the field.
      expect(res.body).toContain('<html');
      expect(res.body).toContain('<a href="#file-1-1-1">Tệp lớn hơn 0,1 MB');
      // With it: the block alone, for upload.js to swap in.
      const block = await upload(b, '1.1.1', 'qua-lon.pdf', big, { htmx: true });
      expect(block.statusCode).toBe(413);
      expect(block.body.trim().startsWith('<div id="evidence-1-1-1"')).toBe(true);
    });
  });

  it('refuses a file that is not what its .pdf name says, leaving nothing', async () => {
    const b = await signedIn('canbo');
    await leavesNothing(async () => {
      const text = await upload(b, '1.1.1', 'ke-hoach.pdf', Buffer.from('Đây không phải là tệp PDF mà chỉ là chữ.'));
      expect(text.statusCode).toBe(415);
      expect(text.body).toContain('Tệp này không được nhận');
      const png = await upload(b, '1.1.1', 'ke-hoach.pdf', makePng());
      expect(png.statusCode).toBe(415);
      expect(png.body).toContain('Đuôi tên tệp không khớp với nội dung');
    });
  });

  it('refuses a truncated multipart body, leaving nothing', async () => {
    const b = await signedIn('canbo');
    const pdf = await pdfBytes({ text: 'Bi cat ngang' });
    await leavesNothing(async () => {
      const res = await upload(b, '1.1.1', 'cat.pdf', pdf, { body: (whole) => whole.subarray(0, whole.length - 600) });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Tệp gửi lên không trọn vẹn');
    });
  });

  it('offers the upload form when asked: the criteria page carries a link, htmx gets the form alone, a plain GET a page', async () => {
    const b = await signedIn('canbo');
    const criteria = await b.get(paths.unit.criteria(unit, code, { field: '1' }));
    const block = /<section id="c-1-1-2"[\s\S]*?<\/section>/.exec(criteria.body)![0];
    const address = paths.unit.criterionEvidence(unit, code, '1.1.2');
    expect(block).toContain(
      `<a href="${address}" hx-get="${address}" hx-target="closest p" hx-swap="outerHTML">Thêm tài liệu kiểm chứng</a>`,
    );
    expect(block).not.toContain('type="file"');
    const fragment = await b.get(address, { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body.trim().startsWith('<form method="post"')).toBe(true);
    expect(fragment.body).toContain('id="file-1-1-2"');
    expect(fragment.body).toContain('autofocus');
    expect(fragment.body).not.toContain('<html');
    const page = await b.get(address);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html');
    expect(page.body).toContain('id="file-1-1-2"');
    expect(page.body).toContain(`href="/unit/${unit}/campaigns/${code}/criteria?field=1#c-1-1-2"`);
    // Another unit's officer finds nothing there.
    expect((await (await signedIn('canbo2')).get(address)).statusCode).toBe(404);
  });

  it('keeps only the last part of a name with path separators and drops control characters; the bytes stay in the store', async () => {
    const b = await signedIn('canbo');
    const cases: [string, string][] = [
      ['../../../../etc/Kế hoạch.pdf', 'Kế hoạch.pdf'],
      ['..\\..\\Windows\\Báo cáo\u0001\u001f\u007f quý 1.pdf', 'Báo cáo quý 1.pdf'],
      ['/tmp/\u0007\u0008.pdf', '.pdf'],
    ];
    for (const [i, [sent, kept]] of cases.entries()) {
      const before = storedFiles();
      const pdf = await pdfBytes({ text: `Ten tep ${i}` });
      const res = await upload(b, '1.1.2', sent, pdf);
      expect(res.statusCode, sent).toBe(303);
      const [row] = await sql<{ original_name: string }>('select original_name from evidence_file where id = ?', [
        await lastId(),
      ]);
      expect(row!.original_name).toBe(kept);
      // One new file, under the evidence folder, named by its SHA-256 only.
      const added = storedFiles().filter((f) => !before.includes(f));
      expect(added).toEqual([path.join(evidenceDir, sha(pdf).slice(0, 2), sha(pdf).slice(2, 4), sha(pdf))]);
      // Served back under the kept name, the header free of anything the sender put in.
      const opened = await b.get(fileUrl(await lastId()));
      expect(opened.statusCode).toBe(200);
      expect(String(opened.headers['content-disposition'])).not.toMatch(/[\u0000-\u001f\u007f]|\.\.\/|\\/);
    }
  });

  it('takes the first of several files sent at once and refuses more files than a form may carry, leaving nothing', async () => {
    const b = await signedIn('canbo');
    const token = csrfToken((await b.get('/unit')).body);
    const pdfs = await Promise.all(Array.from({ length: 12 }, (_, i) => pdfBytes({ text: `Nhieu tep ${i}` })));
    const send = (n: number) => {
      const { body, boundary } = multipart([
        { name: 'documentNumber', value: '15/KH-UBND' },
        { name: 'documentDate', value: '03/02/2024' },
        { name: 'issuer', value: 'UBND xã' },
        ...pdfs.slice(0, n).map((content, i) => ({ name: 'file', filename: `tep-${i}.pdf`, content })),
      ]);
      return t.app.inject({
        method: 'POST',
        url: paths.unit.criterionEvidence(unit, code, '1.1.2', { _csrf: token }),
        headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const rows = await rowCount();
    const before = storedFiles();
    expect((await send(5)).statusCode).toBe(303);
    expect(await rowCount()).toBe(rows + 1);
    const [row] = await sql<{ sha256: string; original_name: string }>(
      'select sha256, original_name from evidence_file where id = ?',
      [await lastId()],
    );
    expect(row).toEqual({ sha256: sha(pdfs[0]!), original_name: 'tep-0.pdf' });
    expect(storedFiles().filter((f) => !before.includes(f))).toHaveLength(1);
    await leavesNothing(async () => {
      const res = await send(12);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.body).toContain('Tệp gửi lên không trọn vẹn');
    });
  });

  it('leaves neither half a file nor a row when the connection drops mid-upload', async () => {
    const b = await signedIn('canbo');
    const token = csrfToken((await b.get('/unit')).body);
    const { body, boundary } = multipart([
      {
        name: 'file',
        filename: 'mat-ket-noi.pdf',
        content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(90 * 1024, 0x20)]),
      },
    ]);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const rows = await rowCount();
    const tmp = path.join(evidenceDir, 'tmp');
    const socket = net.connect(Number(new URL(address).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        `POST /unit/${unit}/campaigns/${code}/criteria/1.1.1/evidence?_csrf=${encodeURIComponent(token)} HTTP/1.1`,
        'Host: localhost',
        `Cookie: ${b.cookieHeader}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${body.length}`,
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(body.subarray(0, 60 * 1024));
    // Wait until the server is writing the temporary file, then drop the connection.
    for (let i = 0; i < 100 && !(existsSync(tmp) && readdirSync(tmp).length); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(tmp).length).toBe(1);
    socket.destroy();
    for (let i = 0; i < 100 && readdirSync(tmp).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(tmp)).toEqual([]);
    expect(await rowCount()).toBe(rows);
  });

  it('refuses an empty form and a wrong date with Vietnamese messages, all at once', async () => {
    const b = await signedIn('canbo');
    await leavesNothing(async () => {
      const none = await upload(b, '1.1.1', '', Buffer.alloc(0), {
        fields: { documentNumber: '', documentDate: '30/02/2024', issuer: '' },
      });
      expect(none.statusCode).toBe(422);
      expect(none.body).toMatch(
        /<li><a href="#file-1-1-1">Chọn một tệp để tải lên\.<\/a><\/li>\s*<li><a href="#documentDate-1-1-1">30\/02\/2024 không phải là ngày có thật/,
      );
      const date = await upload(b, '1.1.1', 'kh.pdf', await pdfBytes(), {
        fields: { documentNumber: '1/KH', documentDate: '31/02/2024', issuer: '' },
      });
      expect(date.statusCode).toBe(422);
      expect(date.body).toContain('id="documentDate-1-1-1-error">31/02/2024 không phải là ngày có thật.');
    });
  });
});

describe('opening evidence', () => {
  it('serves the original Vietnamese name, inline for a PDF, as an attachment for DOCX', async () => {
    const b = await signedIn('canbo');
    const pdf = await pdfBytes({ text: 'Quyet dinh' });
    const id = await uploaded(b, '1.6.1', 'Quyết định số 5 (bản chính).pdf', pdf);
    const res = await b.get(fileUrl(id));
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="Quyet dinh so 5 (ban chinh).pdf"; filename*=UTF-8''${encodeURIComponent('Quyết định số 5 ').replace(/'/g, '%27')}%28${encodeURIComponent('bản chính')}%29.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe('sandbox');
    const again = await b.get(fileUrl(id), { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);

    const docx = await b.get(fileUrl(await uploaded(b, '1.6.1', 'Báo cáo.docx', makeDocx())));
    expect(docx.headers['content-disposition']).toMatch(
      /^attachment; filename="Bao cao.docx"; filename\*=UTF-8''B%C3%A1o%20c%C3%A1o\.docx$/,
    );
  });
});

describe('who may see and change evidence', () => {
  it("is not found for another unit's officer: the file, the upload, the removal", async () => {
    const owner = await signedIn('canbo');
    const id = await uploaded(owner, '1.6.2', 'rieng.pdf', await pdfBytes({ text: 'Rieng' }));
    const other = await signedIn('canbo2');
    expect((await other.get(fileUrl(id))).statusCode).toBe(404);
    expect((await other.get(fileUrl(id, 'xa-truc-dao'))).statusCode).toBe(404);
    await leavesNothing(async () => {
      expect((await upload(other, '1.6.2', 'x.pdf', await pdfBytes())).statusCode).toBe(404);
    });
    expect((await remove(other, id)).statusCode).toBe(404);
    expect((await remove(other, id, { unit: 'xa-truc-dao' })).statusCode).toBe(404);
    expect((await sql('select removed_at from evidence_file where id = ?', [id]))[0].removed_at).toBeNull();
  });

  it('is not found for a contributor on a criterion not assigned to them, and open on one that is', async () => {
    const officer = await signedIn('canbo');
    const officersFile = await uploaded(officer, '1.1.1', 'cua-can-bo.pdf', await pdfBytes({ text: 'Cua can bo' }));
    const contributor = await signedIn('congtac');
    await leavesNothing(async () => {
      expect((await upload(contributor, '1.1.1', 'x.pdf', await pdfBytes())).statusCode).toBe(404);
    });
    expect((await contributor.get(fileUrl(officersFile))).statusCode).toBe(404);
    expect((await remove(contributor, officersFile)).statusCode).toBe(404);

    await sql(
      `insert into criterion_assignment (criterion_score_id, user_id) select ?, id from app_user where username = 'congtac'`,
      [await scoreId(unit, '1.5.1')],
    );
    const id = await uploaded(
      contributor,
      '1.5.1',
      'Kế hoạch tuyên truyền.pdf',
      await pdfBytes({ text: 'Tuyen truyen' }),
    );
    expect((await contributor.get(fileUrl(id))).statusCode).toBe(200);
  });
});

describe('removing evidence', () => {
  it('works until submission, keeping the bytes for the history', async () => {
    const b = await signedIn('canbo');
    const pdf = await pdfBytes({ text: 'Se bi xoa' });
    const id = await uploaded(b, '1.6.2', 'se-xoa.pdf', pdf);
    const res = await remove(b, id);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/unit/${unit}/campaigns/${code}/criteria?field=1#c-1-6-2`);
    expect((await sql('select removed_at from evidence_file where id = ?', [id]))[0].removed_at).not.toBeNull();
    expect(storedFiles().some((f) => path.basename(f) === sha(pdf))).toBe(true);
    const listed = await listEvidence(t.orm.em.fork(), [await scoreId(unit, '1.6.2'), await scoreId(unit, '1.1.1')]);
    expect(listed.get(await scoreId(unit, '1.6.2'))?.map((f) => f.id)).not.toContain(id);
    expect(listed.get(await scoreId(unit, '1.1.1'))?.length).toBeGreaterThan(0);
    expect(
      await sql(`select 1 from audit_event where action = 'evidence.removed' and entity_id = ?`, [String(id)]),
    ).toHaveLength(1);

    const kept = await uploaded(b, '1.6.2', 'con-lai.pdf', await pdfBytes({ text: 'Con lai' }));
    const fragment = await remove(b, kept, { htmx: true });
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body.trim().startsWith('<div id="evidence-1-6-2"')).toBe(true);
    expect(fragment.body).not.toContain('con-lai.pdf');

    const last = await uploaded(b, '1.6.2', 'sau-khi-nop.pdf', await pdfBytes({ text: 'Sau khi nop' }));
    await sql(`update self_assessment set state = 'submitted' where unit_id = (select id from unit where code = ?)`, [
      unit,
    ]);
    try {
      const refused = await remove(b, last);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Bản tự đánh giá đã nộp hoặc đã hết hạn');
      expect((await sql('select removed_at from evidence_file where id = ?', [last]))[0].removed_at).toBeNull();
      await leavesNothing(async () => {
        const late = await upload(b, '1.6.2', 'muon.pdf', await pdfBytes({ text: 'Muon' }));
        expect(late.statusCode).toBe(409);
      });
      expect((await b.get(fileUrl(last))).statusCode).toBe(200);
    } finally {
      await sql(`update self_assessment set state = 'draft' where unit_id = (select id from unit where code = ?)`, [
        unit,
      ]);
    }
  });
});

describe('the sweep', () => {
  it('removes old files no row references and keeps the referenced ones', async () => {
    const store = new LocalEvidenceStore(evidenceDir);
    const orphan = 'f'.repeat(64);
    mkdirSync(path.dirname(store.pathOf(orphan)), { recursive: true });
    writeFileSync(store.pathOf(orphan), 'a file whose row never committed');
    const old = new Date(Date.now() - sweepGraceMs - 60_000);
    const referenced = storedFiles().filter((f) => !isTemp(f));
    for (const f of referenced) utimesSync(f, old, old);
    const result = await store.sweep(referencedIn(t.orm.em.fork()));
    expect(result.removed).toBe(1);
    expect(existsSync(store.pathOf(orphan))).toBe(false);
    expect(storedFiles().length).toBe(referenced.length - 1);
  });
});
