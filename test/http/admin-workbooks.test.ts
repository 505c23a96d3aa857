import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook } from '../../src/features/workbook/index.ts';
import { Browser, startTestApp, uploadAction, type TestApp } from '../helpers/app.ts';
import { buildWorkbook, samplesDir, setCell, tableCounts, validSheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sample = () => readFile(new URL('sample-district-2020.xlsx', samplesDir));

/** The upload form's action, CSRF token included, as the page gives it. */
async function formAction(b: Browser): Promise<string> {
  const page = await b.get('/admin/workbooks/import');
  expect(page.statusCode).toBe(200);
  return uploadAction(page.body);
}

/** Posts a file as a browser posts an upload form. */
function upload(b: Browser, url: string, file: Buffer | null) {
  const boundary = `----cchc${randomBytes(8).toString('hex')}`;
  const part = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file ? 'ky-danh-gia.xlsx' : ''}"\r\nContent-Type: ${file ? xlsxType : 'application/octet-stream'}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(part), file ?? Buffer.alloc(0), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function admin(): Promise<Browser> {
  const b = await Browser.signedIn(t.app, 'admin');
  return b;
}

describe('the upload form', () => {
  it('imports a workbook and sends the secretariat to the new campaign', async () => {
    const b = await admin();
    const res = await upload(b, await formAction(b), await sample());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/campaigns/mau-2020');
    const [row] = await t.orm.em
      .getConnection()
      .execute(
        "select state, (select count(*)::int from campaign_unit where campaign_id = c.id) as units from campaign c where code = 'mau-2020'",
      );
    expect(row).toEqual({ state: 'council-review', units: 10 });
  });

  it('shows every error with its sheet, row and column, with status 422, and imports nothing', async () => {
    const b = await admin();
    const sheets = validSheets('web-loi');
    setCell(sheets, 'scores', 3, 'unit_code', 'xa-khong-co');
    setCell(sheets, 'criteria', 4, 'max_score', 'sáu');
    const before = await tableCounts(t.orm);
    const res = await upload(b, await formAction(b), await buildWorkbook(sheets));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Tệp có 2 lỗi nên chưa có gì được nhập.');
    expect(res.body).toContain(
      '<tr><td data-label="Trang tính">criteria</td><td class="num" data-label="Dòng">4</td><td data-label="Cột">max_score</td><td data-label="Nội dung">«sáu» không phải là số (tối đa 3 chữ số thập phân)</td></tr>',
    );
    expect(res.body).toContain(
      '<tr><td data-label="Trang tính">scores</td><td class="num" data-label="Dòng">3</td><td data-label="Cột">unit_code</td><td data-label="Nội dung">đơn vị xa-khong-co không có trong trang units</td></tr>',
    );
    expect(await tableCounts(t.orm)).toEqual(before);
  });

  it('asks for a file when none was chosen', async () => {
    const b = await admin();
    const res = await upload(b, await formAction(b), null);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#file">Chọn một tệp .xlsx để nhập.</a>');
  });

  it('is refused without the CSRF token, and nothing is imported', async () => {
    const b = await admin();
    await formAction(b);
    const before = await tableCounts(t.orm);
    const res = await upload(b, '/admin/workbooks/import', await buildWorkbook(validSheets('web-csrf')));
    expect(res.statusCode).toBe(403);
    const forged = await upload(
      b,
      '/admin/workbooks/import?_csrf=forged',
      await buildWorkbook(validSheets('web-csrf')),
    );
    expect(forged.statusCode).toBe(403);
    expect(await tableCounts(t.orm)).toEqual(before);
  });

  it('does not exist for anyone but the secretariat', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    expect((await b.get('/admin/workbooks/import')).statusCode).toBe(404);
    expect((await b.get('/admin/workbooks/template.xlsx')).statusCode).toBe(404);
    expect((await b.get('/admin/campaigns/mau-2020/workbook.xlsx')).statusCode).toBe(404);
    const before = await tableCounts(t.orm);
    const res = await upload(b, '/admin/workbooks/import', await buildWorkbook(validSheets('web-canbo')));
    expect(res.statusCode).toBe(404);
    expect(await tableCounts(t.orm)).toEqual(before);
  });
});

describe('downloads', () => {
  it("gives a campaign's workbook under its code, and 404 for an unknown code", async () => {
    const b = await admin();
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/campaigns/mau-2020/workbook.xlsx',
      headers: { cookie: b.cookieHeader },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(xlsxType);
    expect(res.headers['content-disposition']).toBe('attachment; filename="mau-2020.xlsx"');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const read = await readWorkbook(res.rawPayload);
    expect(read.ok && [read.workbook.campaign.code, read.workbook.units.length, read.workbook.scores.length]).toEqual([
      'mau-2020',
      10,
      180,
    ]);
    expect((await b.get('/admin/campaigns/khong-co/workbook.xlsx')).statusCode).toBe(404);
  });

  it('exports the demo campaign, which reads back without an error', async () => {
    const b = await admin();
    const [demo] = await t.orm.em
      .getConnection()
      .execute<{ code: string }[]>("select code from campaign where code like 'truc-ninh-%'");
    const res = await t.app.inject({
      method: 'GET',
      url: paths.admin.campaignWorkbook(demo!.code),
      headers: { cookie: b.cookieHeader },
    });
    expect(res.statusCode).toBe(200);
    const read = await readWorkbook(res.rawPayload);
    expect(read.ok && read.workbook.units.length).toBe(21);
  });

  it('gives the template', async () => {
    const b = await admin();
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/workbooks/template.xlsx',
      headers: { cookie: b.cookieHeader },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="mau-ky-danh-gia.xlsx"');
    expect((await readWorkbook(res.rawPayload)).ok).toBe(true);
  });
});
