// Bounded work for every upload: the workbook and survey imports refuse, while reading, a file over the size limit, a
// decompression bomb, a million rows, too many columns; nothing is written; and one person has at most
// UPLOADS_PER_USER uploads under way at once.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook, workbookLimits } from '../../src/features/workbook/index.ts';
import { Browser, startTestApp, uploadAction, type TestApp } from '../helpers/app.ts';
import { bombSheet, millionRowWorkbook, rawXlsx, rowsSheet } from '../helpers/raw-xlsx.ts';
import { buildWorkbook, tableCounts, validSheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let admin: Browser;
/** 3 GiB of one letter in one cell, about 3 MB deflated; made once (its CRC takes a moment). */
const bomb3g = bombSheet('units', 3 * 1024 ** 3);
let surveyUrl: string;
beforeAll(async () => {
  t = await startTestApp({ env: { WORKBOOK_MAX_MB: '10', UPLOADS_PER_USER: '3' } });
  admin = await Browser.signedIn(t.app, 'admin');
  const [{ code }] = await t.orm.em.getConnection().execute('select code from campaign order by id limit 1');
  surveyUrl = paths.admin.survey(code);
});
afterAll(async () => {
  await t.close();
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The upload form's action on a page, CSRF token included. */
async function actionOn(page: string, pattern: RegExp): Promise<string> {
  return uploadAction((await admin.get(page)).body, pattern);
}
const workbookAction = () =>
  actionOn('/admin/workbooks/import', /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/);
const surveyAction = () => actionOn(surveyUrl, /action="([^"]+\/survey\/import)"/);

function multipart(_file: Buffer): { boundary: string; head: Buffer; tail: Buffer } {
  const boundary = `----cchc${randomBytes(8).toString('hex')}`;
  return {
    boundary,
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tep.xlsx"\r\nContent-Type: ${xlsxType}\r\n\r\n`,
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

async function upload(url: string, file: Buffer) {
  const { boundary, head, tail } = multipart(file);
  return t.app.inject({
    method: 'POST',
    url,
    payload: Buffer.concat([head, file, tail]),
    headers: { cookie: admin.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const fieldError = (html: string) => /id="file-error">([^<]*)</.exec(html)?.[1]?.replace(/&#39;/g, "'");
const surveyRows = async () =>
  (
    await t.orm.em
      .getConnection()
      .execute('select count(*)::int as n, coalesce(sum(respondents), 0)::int as r from survey_result')
  )[0];

describe('the workbook import', () => {
  it('refuses a file over WORKBOOK_MAX_MB as it arrives, with 413 and the limit named', async () => {
    const before = await tableCounts(t.orm);
    const res = await upload(
      await workbookAction(),
      Buffer.concat([await buildWorkbook(validSheets('qua-lon')), randomBytes(10 * 1024 * 1024)]),
    );
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe('Tệp lớn hơn 10 MB, mức tối đa được nhận. Chưa có gì được nhập.');
    expect(res.body).toContain('class="error-summary"');
    expect(await tableCounts(t.orm)).toEqual(before);
  });

  it('refuses a 3 GB decompression bomb from the ZIP directory, before inflating it', async () => {
    const before = await tableCounts(t.orm);
    const bomb = rawXlsx([{ name: 'units', part: bomb3g }]);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const res = await upload(await workbookAction(), bomb);
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'Phần xl/worksheets/sheet1.xml của tệp khi giải nén lớn hơn 256 MB, mức tối đa được nhận. Chưa có gì được nhập.',
    );
    expect(await tableCounts(t.orm)).toEqual(before);
  });

  it('stops a bomb that declares a small size as soon as it inflates past it', async () => {
    const liar = rawXlsx([{ name: 'units', part: { ...bomb3g, declaredSize: 1024 * 1024 } }]);
    const res = await upload(await workbookAction(), liar);
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'Phần xl/worksheets/sheet1.xml của tệp giải nén ra nhiều hơn kích thước mà tệp khai báo: tệp hỏng hoặc bị làm sai. Chưa có gì được nhập.',
    );
  });

  it('refuses a part compressed beyond any real sheet', async () => {
    const dense = rawXlsx([{ name: 'units', part: bombSheet('units', 100 * 1024 * 1024) }]);
    const res = await upload(await workbookAction(), dense);
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'Phần xl/worksheets/sheet1.xml của tệp được nén hơn 200 lần (bom giải nén): tệp như vậy không được nhận. Chưa có gì được nhập.',
    );
  });

  it('stops reading a million-row workbook at the first row past the limit, and writes nothing', async () => {
    const before = await tableCounts(t.orm);
    const million = millionRowWorkbook();
    expect(million.length).toBeLessThan(10 * 1024 * 1024);
    const res = await upload(await workbookAction(), million);
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'Trang tính units có hơn 50.000 dòng, mức tối đa được nhận; việc đọc dừng ở dòng 50.001. Chưa có gì được nhập.',
    );
    expect(await tableCounts(t.orm)).toEqual(before);
  });

  it('says it in English to an English reader', async () => {
    const english = new Browser(t.app);
    english.cookies = new Map([...admin.cookies, ['cchc_lang', 'en']]);
    const page = (await english.get('/admin/workbooks/import')).body;
    const action = uploadAction(page);
    const file = rawXlsx([{ name: 'units', part: bomb3g }]);
    const { boundary, head, tail } = multipart(file);
    const res = await t.app.inject({
      method: 'POST',
      url: action,
      payload: Buffer.concat([head, file, tail]),
      headers: { cookie: english.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'The part xl/worksheets/sheet1.xml of the file inflates to more than 256 MB, the most accepted. Nothing was imported.',
    );
  });

  it('refuses rows, columns, cells and long text over their limits while reading (limits made small)', async () => {
    // Rows with a value, the header included: the sixth such row of scores is spreadsheet row 6.
    const small = { ...workbookLimits, rows: { ...workbookLimits.rows, scores: 5 } };
    const book = await buildWorkbook(validSheets('gioi-han'));
    const limitOf = async (limits: typeof workbookLimits) => {
      const read = await readWorkbook(book, limits);
      return read.ok ? null : read.limit;
    };
    expect(await limitOf(small)).toEqual({ kind: 'rows', limit: 5, sheet: 'scores', row: 6 });
    expect(await limitOf({ ...workbookLimits, cells: 60 })).toMatchObject({
      kind: 'cells',
      limit: 60,
      sheet: 'criteria',
    });
    expect(await limitOf({ ...workbookLimits, columns: 5 })).toEqual({
      kind: 'columns',
      limit: 5,
      sheet: 'criteria',
      row: 1,
    });
    expect(await limitOf({ ...workbookLimits, cellChars: 20 })).toMatchObject({
      kind: 'cellChars',
      limit: 20,
      sheet: 'campaign',
    });
    // Within every limit, the same workbook reads without a word.
    expect((await readWorkbook(book)).ok).toBe(true);
  });

  it('refuses a value past column 100 through the form', async () => {
    const wide = rawXlsx([
      {
        name: 'units',
        part: rowsSheet('units', ['code', 'name'], 1, () => ['xa', 'Xã', ...Array<null>(98).fill(null), 'CW']),
      },
    ]);
    const res = await upload(await workbookAction(), wide);
    expect(res.statusCode).toBe(413);
    expect(fieldError(res.body)).toBe(
      'Trang tính units, dòng 2: có giá trị ở sau cột thứ 100, mức tối đa được nhận. Chưa có gì được nhập.',
    );
  });
});

describe('the survey import', () => {
  it('refuses the bomb, a million rows and a file over the size limit, writing nothing', async () => {
    const before = await surveyRows();
    const bomb = await upload(await surveyAction(), rawXlsx([{ name: 'survey', part: bomb3g }]));
    expect(bomb.statusCode).toBe(413);
    expect(fieldError(bomb.body)).toContain('lớn hơn 256 MB');
    const rows = rowsSheet('survey', ['unit_code', 'respondents', 'satisfied_answers'], 1_000_000, (n) => [n], 1);
    const million = await upload(await surveyAction(), rawXlsx([{ name: 'survey', part: rows }]));
    expect(million.statusCode).toBe(413);
    expect(fieldError(million.body)).toBe(
      'Trang tính survey có hơn 50.000 dòng, mức tối đa được nhận; việc đọc dừng ở dòng 50.001. Chưa có gì được nhập.',
    );
    const large = await upload(await surveyAction(), randomBytes(11 * 1024 * 1024));
    expect(large.statusCode).toBe(413);
    expect(fieldError(large.body)).toBe('Tệp lớn hơn 10 MB, mức tối đa được nhận. Chưa có gì được nhập.');
    expect(await surveyRows()).toEqual(before);
  });
});

describe('uploads under way at once', () => {
  it('gives the fourth upload of one person 429 while three are under way, and the next one room once one ends', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(base);
    const [{ id: adminId }] = await t.orm.em
      .getConnection()
      .execute("select id from app_user where username = 'admin'");
    const action = await workbookAction();
    /** An upload whose body never ends: the server is left reading it. */
    const held = () => {
      const socket = net.connect(Number(port), '127.0.0.1');
      const { boundary, head } = multipart(Buffer.alloc(0));
      socket.write(
        `POST ${action} HTTP/1.1\r\nHost: localhost\r\nCookie: ${admin.cookieHeader}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n`,
      );
      socket.write(head);
      socket.write(Buffer.alloc(1000, 0x41));
      return socket;
    };
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const sockets = [held(), held(), held()];
    try {
      await until(() => t.app.uploadsUnderWay(adminId) === 3);
      const refused = await upload(await workbookAction(), await buildWorkbook(validSheets('thu-tu')));
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain(
        'Bạn đang tải lên 3 tệp cùng lúc, mức tối đa cho phép. Chờ một tệp tải xong rồi gửi lại tệp này.',
      );
      // The survey import counts with them.
      expect((await upload(await surveyAction(), await buildWorkbook(validSheets('thu-tu')))).statusCode).toBe(429);
      // Someone else is not held back by them: the officer's evidence upload goes on to its own answer.
      const officer = await Browser.signedIn(t.app, 'canbo');
      const { boundary, head, tail } = multipart(Buffer.from('x'));
      const other = await t.app.inject({
        method: 'POST',
        url: '/unit/xa-khong-co/campaigns/khong-co/criteria/1.1/evidence',
        payload: Buffer.concat([head, Buffer.from('x'), tail]),
        headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(other.statusCode).not.toBe(429);

      sockets.pop()!.destroy();
      await until(() => t.app.uploadsUnderWay(adminId) === 2);
      const accepted = await upload(await workbookAction(), await buildWorkbook(validSheets('thu-tu')));
      expect(accepted.statusCode).toBe(303);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await until(() => t.app.uploadsUnderWay(adminId) === 0);
  });
});
