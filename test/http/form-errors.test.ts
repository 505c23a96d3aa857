import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { multipartParts as multipart } from '../helpers/multipart.ts';

// Issue 14, item 3: every refused form answers 4xx with the error summary at the top (focused as the page opens, a
// link to each field), every value typed kept, all errors at once, a date that does not exist said as such, and the
// file asked for again after an upload error; no CSRF token ever in an address.

let t: TestApp;
let code: string;
const unit = 'xa-truc-thanh';
beforeAll(async () => {
  t = await startTestApp();
  code = (await sql<{ code: string }>('select code from campaign'))[0]!.code;
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

/** The error summary's box: its opening tag and its text, or null when the page has none. */
function summaryOf(html: string): { tag: string; html: string } | null {
  const m = /(<div class="error-summary"[^>]*>)([\s\S]*?)<\/div>/.exec(html);
  return m ? { tag: m[1]!, html: m[2]! } : null;
}
const linksOf = (summary: string) => [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);

const criteriaPage = () => paths.unit.criteria(unit, code, { field: '1' });

/** The criterion's form as the page gives it: its token and version. */
async function criterionForm(b: Browser, criterion: string) {
  const page = await b.get(criteriaPage());
  const id = `c-${criterion.replaceAll('.', '-')}`;
  const section = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(page.body)![0];
  return { _csrf: csrfToken(page.body), version: /name="version" value="(\d+)"/.exec(section)![1]! };
}

describe('a criterion saved with "abc" as its score', () => {
  it('without JavaScript: 422, the page opens on the summary above the field page, every value kept', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const form = await criterionForm(b, '1.3');
    const explanation = 'Kế hoạch số 15/KH-UBND, trang 3.';
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.3'), {
      form: { ...form, score: 'abc', explanation },
    });
    expect(res.statusCode).toBe(422);
    const summary = summaryOf(res.body)!;
    // role=alert, focusable, and focused as the page opens (autofocus works without JavaScript).
    expect(summary.tag).toBe('<div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus>');
    expect(summary.html).toContain('<h2>Có lỗi cần sửa</h2>');
    expect(linksOf(summary.html)).toEqual([['c-1-3-score', 'Tiêu chí 1.3: Điểm phải là số, ví dụ 1,5.']]);
    // At the top: before the field's navigation and the first criterion, after only the heading.
    const at = res.body.indexOf('class="error-summary"');
    expect(at).toBeLessThan(res.body.indexOf('class="fieldnav"'));
    expect(at).toBeLessThan(res.body.indexOf('<section id="c-'));
    expect(res.body.match(/class="error-summary"/g)).toHaveLength(1);
    // The message beside the field, the field marked, what was typed kept.
    const section = /<section id="c-1-3"[\s\S]*?<\/section>/.exec(res.body)![0];
    expect(section).toContain('id="c-1-3-score-e"');
    expect(section).toMatch(
      /id="c-1-3-score" name="score" inputmode="decimal" size="6" value="abc"[^>]*aria-invalid="true"/,
    );
    expect(section).toContain(`>${explanation}</textarea>`);
    // Nothing saved.
    const [row] = await sql<{ explanation: string }>(
      `select cs.explanation from criterion_score cs join criterion c on c.id = cs.criterion_id
        join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
       where u.code = ? and c.code = '1.3'`,
      [unit],
    );
    expect(row!.explanation).toBe('');
  });

  it('with htmx: 422, the criterion swapped in with its own summary at its top, focused', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const form = await criterionForm(b, '1.3');
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.3'), {
      form: { ...form, score: 'abc', explanation: 'x' },
      headers: { 'hx-request': 'true', 'hx-target': 'section#c-1-3' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body.trimStart().startsWith('<section id="c-1-3"')).toBe(true);
    const summary = summaryOf(res.body)!;
    expect(summary.tag).toBe('<div class="error-summary" role="alert" tabindex="-1" id="c-1-3-errors" autofocus>');
    expect(linksOf(summary.html).map(([id]) => id)).toEqual(['c-1-3-score']);
    expect(res.body).toContain('value="abc"');
  });

  it('with htmx: marks only the field in error, not the explanation beside it nor the whole criterion', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const form = await criterionForm(b, '1.3');
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.3'), {
      form: { ...form, score: 'abc', explanation: 'Kế hoạch số 10' },
      headers: { 'hx-request': 'true', 'hx-target': 'section#c-1-3' },
    });
    expect(res.statusCode).toBe(422);
    // The criterion's own tag carries no has-error (which would paint every box inside it red).
    const open = /^\s*<section [^>]*>/.exec(res.body)![0];
    expect(open).not.toContain('has-error');
    expect(open).toContain('in-error');
    expect([...res.body.matchAll(/<div class="field has-error">\s*<label for="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'c-1-3-score',
    ]);
    expect(res.body).toMatch(/<input id="c-1-3-score"[^>]*aria-invalid="true"/);
    expect(res.body).toMatch(/<textarea id="c-1-3-x"(?![^>]*aria-invalid)[^>]*>Kế hoạch số 10<\/textarea>/);
  });

  it('marks each wrong count of a ratio criterion invalid, and only those', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const form = await criterionForm(b, '1.1.2');
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.1.2'), {
      form: { ...form, achieved: 'mười', total: '4', explanation: 'Giải trình' },
      headers: { 'hx-request': 'true', 'hx-target': 'section#c-1-1-2' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/<input id="c-1-1-2-a"[^>]*aria-invalid="true"/);
    expect(res.body).toMatch(/<input id="c-1-1-2-b"(?![^>]*aria-invalid)[^>]*>/);
    expect(res.body).not.toMatch(/<textarea id="c-1-1-2-x"[^>]*aria-invalid/);
  });

  it('reports both counts of a ratio criterion at once, each linked to its control', async () => {
    // 1.1.2 is scored by a ratio: the achieved and the total counts both wrong.
    const b = await Browser.signedIn(t.app, 'canbo');
    const form = await criterionForm(b, '1.1.2');
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.1.2'), {
      form: { ...form, achieved: 'mười', total: '-3', explanation: 'Giải trình giữ nguyên' },
    });
    expect(res.statusCode).toBe(422);
    const links = linksOf(summaryOf(res.body)!.html);
    expect(links.map(([id]) => id)).toEqual(['c-1-1-2-a', 'c-1-1-2-b']);
    for (const [id] of links) expect(res.body).toContain(`id="${id}"`);
    expect(res.body).toContain('value="mười"');
    expect(res.body).toContain('value="-3"');
    expect(res.body).toContain('>Giải trình giữ nguyên</textarea>');
  });

  it("the address a refused save leaves, opened again, is the criterion on its field's page", async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const res = await b.get(paths.unit.criterion(unit, code, '1.3'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(paths.unit.criteria(unit, code, { field: '1' }, 'c-1-3'));
  });
});

describe('an evidence upload refused', () => {
  async function upload(
    b: Browser,
    fields: Record<string, string>,
    file: { filename: string; content: Buffer } | null,
    opts: { token?: 'body' | 'none'; htmx?: boolean } = {},
  ) {
    const token = csrfToken((await b.get(criteriaPage())).body);
    const { body, boundary } = multipart([
      ...(opts.token === 'none' ? [] : [{ name: '_csrf', value: token }]),
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      ...(file ? [{ name: 'file', ...file }] : []),
    ]);
    return t.app.inject({
      method: 'POST',
      url: paths.unit.criterionEvidence(unit, code, '1.1.1'),
      headers: {
        cookie: b.cookieHeader,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(opts.htmx ? { 'hx-request': 'true', 'hx-target': 'div#evidence-1-1-1' } : {}),
      },
      payload: body,
    });
  }
  const rows = async () => Number((await sql<{ n: string }>('select count(*) as n from evidence_file'))[0]!.n);

  it('a wrong type and a date that does not exist: both at once, the values kept, no token in the address', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const before = await rows();
    const res = await upload(
      b,
      { documentNumber: '12/KH-UBND', documentDate: '31/02/2026', issuer: 'UBND xã Trực Thanh' },
      { filename: 'ke-hoach.pdf', content: Buffer.from('not a PDF at all, only words') },
    );
    expect(res.statusCode).toBe(415);
    const summary = summaryOf(res.body)!;
    expect(summary.tag).toContain('id="error-summary" autofocus');
    expect(linksOf(summary.html)).toEqual([
      ['file-1-1-1', expect.stringMatching(/^Tệp này không được nhận/)],
      ['documentDate-1-1-1', '31/02/2026 không phải là ngày có thật. Kiểm tra lại ngày và tháng.'],
    ]);
    expect(res.body).toContain('value="12/KH-UBND"');
    expect(res.body).toContain('value="31/02/2026"');
    expect(res.body).toContain('value="UBND xã Trực Thanh"');
    // The form posts again to a plain address; its token is a field of the body.
    expect(res.body).not.toContain('_csrf=');
    expect(res.body).toMatch(/enctype="multipart\/form-data"[\s\S]*?<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(await rows()).toBe(before);
  });

  it('a good file with a date in the wrong format: the format message, and the file asked for again by name', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const before = await rows();
    const res = await upload(
      b,
      { documentNumber: '5/QĐ-UBND', documentDate: 'ngày 3 tháng 2', issuer: '' },
      { filename: 'quyet-dinh.pdf', content: await pdfBytes() },
    );
    expect(res.statusCode).toBe(422);
    expect(linksOf(summaryOf(res.body)!.html)).toEqual([
      ['file-1-1-1', 'Chọn lại tệp “quyet-dinh.pdf” rồi tải lên: trang báo lỗi không giữ được tệp đã chọn.'],
      ['documentDate-1-1-1', 'Nhập ngày theo dạng ngày/tháng/năm, ví dụ 03/02/2024.'],
    ]);
    expect(res.body).toContain('value="5/QĐ-UBND"');
    expect(res.body).toContain('value="ngày 3 tháng 2"');
    expect(await rows()).toBe(before);
  });

  it('sent by upload.js: the evidence block with its summary at its top', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const res = await upload(
      b,
      { documentNumber: '7/BC', documentDate: '29/02/2025', issuer: '' },
      { filename: 'bao-cao.pdf', content: await pdfBytes() },
      { htmx: true },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body.trimStart().startsWith('<div id="evidence-1-1-1"')).toBe(true);
    const summary = summaryOf(res.body)!;
    expect(summary.tag).toContain('id="evidence-1-1-1-errors" autofocus');
    expect(summary.html).toContain('29/02/2025 không phải là ngày có thật');
    expect(summary.html).toContain('Chọn lại tệp “bao-cao.pdf”');
  });

  it('is taken with its token in the body, and refused as an expired form without one', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const before = await rows();
    const fields = { documentNumber: '9/KH', documentDate: '03/02/2024', issuer: '' };
    const none = await upload(
      b,
      fields,
      { filename: 'kh.pdf', content: await pdfBytes({ text: 'a' }) },
      { token: 'none' },
    );
    expect(none.statusCode).toBe(403);
    expect(await rows()).toBe(before);
    const done = await upload(b, fields, { filename: 'kh.pdf', content: await pdfBytes({ text: 'a' }) });
    expect(done.statusCode).toBe(303);
    expect(await rows()).toBe(before + 1);
  });
});

describe('other forms', () => {
  it('a campaign with 31/02: the summary says the date is not on the calendar, not a wrong format', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = await admin.get(paths.admin.newCampaign());
    const res = await admin.request('POST', paths.admin.campaigns(), {
      form: { _csrf: csrfToken(page.body), code: 'thu', name: 'Thử', selfAssessmentOpens: '31/02/2026' },
    });
    expect(res.statusCode).toBe(422);
    const summary = summaryOf(res.body)!;
    expect(summary.tag).toContain('autofocus');
    expect(summary.html).toContain('Ngày này không có thật trên lịch');
    expect(res.body).toContain('value="31/02/2026"');
  });

  it('a boosted form refused keeps the address of the page it was on (HX-Push-Url: false)', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get(paths.account.password());
    const res = await b.request('POST', paths.account.password(), {
      form: { _csrf: csrfToken(page.body), current: 'sai', password: 'x', repeat: 'y' },
      headers: { 'hx-request': 'true', 'hx-boosted': 'true' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['hx-push-url']).toBe('false');
    expect(summaryOf(res.body)!.tag).toContain('autofocus');
  });

  it('the import forms carry their token in the body, not the address', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = await admin.get(paths.admin.workbookImport());
    expect(page.body).not.toContain('_csrf=');
    const token = csrfToken(page.body);
    const { body, boundary } = multipart([{ name: '_csrf', value: token }]);
    const res = await t.app.inject({
      method: 'POST',
      url: paths.admin.workbookImport(),
      headers: { cookie: admin.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    // No file chosen: the form's own refusal, not an expired form.
    expect(res.statusCode).toBe(422);
    expect(summaryOf(res.body)).not.toBeNull();
  });
});

describe('an explanation answer refused', () => {
  let a: Awaited<ReturnType<typeof startAppraisalApp>>;
  beforeAll(async () => {
    a = await startAppraisalApp();
  });
  afterAll(async () => {
    await a.t.close();
  });

  it('an empty answer and a wrong file: the summary links each box, what was typed is kept', async () => {
    const appraiser = await Browser.signedIn(a.t.app, 'thamdinh');
    const item = await appraiser.get(paths.appraisal.item(a.itemId, { campaign: a.code }));
    const version = /name="version" value="(\d+)"/.exec(item.body)?.[1] ?? '1';
    const asked = await appraiser.request('POST', paths.appraisal.item(a.itemId, { campaign: a.code }), {
      form: { _csrf: csrfToken(item.body), version, action: 'request', message: 'Nêu rõ trang.', dueDate: '' },
    });
    expect(asked.statusCode).toBe(303);

    const officer = await Browser.signedIn(a.t.app, 'canbo');
    const base = paths.unit.campaign(unit, a.code);
    const list = await officer.get(`${base}/explanations`);
    const requestId = /action="[^"]*\/explanations\/(\d+)"/.exec(list.body)![1]!;
    const empty = await officer.request('POST', `${base}/explanations/${requestId}`, {
      form: { _csrf: csrfToken(list.body), answer: '  ' },
    });
    expect(empty.statusCode).toBe(422);
    const summary = summaryOf(empty.body)!;
    expect(summary.tag).toContain('id="error-summary" autofocus');
    expect(linksOf(summary.html).map(([id]) => id)).toEqual([`answer-${requestId}`]);

    // The extra evidence's form carries its token in the body; a wrong file keeps the number typed beside it.
    expect(list.body).not.toContain('_csrf=');
    const { body, boundary } = multipart([
      { name: '_csrf', value: csrfToken(list.body) },
      { name: 'documentNumber', value: '20/BC-UBND' },
      { name: 'file', filename: 'bo-sung.pdf', content: Buffer.from('words, not a PDF') },
    ]);
    const wrong = await a.t.app.inject({
      method: 'POST',
      url: `${base}/explanations/${requestId}/evidence`,
      headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(wrong.statusCode).toBe(415);
    expect(linksOf(summaryOf(wrong.body)!.html)).toEqual([
      [`file-${requestId}`, expect.stringMatching(/^Tệp này không được nhận/)],
    ]);
    expect(wrong.body).toContain('value="20/BC-UBND"');

    // The addresses the refusals leave, opened again, are the request on the explanations page.
    for (const url of [`${base}/explanations/${requestId}`, `${base}/explanations/${requestId}/evidence`]) {
      const again = await officer.get(url);
      expect(again.statusCode).toBe(303);
      expect(again.headers.location).toBe(paths.unit.explanations(unit, a.code, {}, `r-${requestId}`));
    }
  });
});
