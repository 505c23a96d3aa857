import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { cleanFileName, evidenceFileName } from '../../src/features/evidence/upload.ts';
import { redactUrl } from '../../src/http/request-guards.ts';
import { Migration20261202143416_evidence_names } from '../../migrations/Migration20261202143416_evidence_names.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { makePng, pdfBytes } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';

// Item 9 of issue 12: evidence names lose bidirectional and other control or format characters and end in an
// extension of their detected kind; no token or password reaches the log.

let t: TestApp;
let code: string;
let log = '';
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    log += chunk.toString('utf8');
    done();
  },
});
const unit = 'xa-truc-thanh';

beforeAll(async () => {
  t = await startTestApp({ log: { level: 'info', stream: logStream } });
  code = (await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1'))[0]!.code;
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;

async function upload(b: Browser, criterion: string, filename: string, content: Buffer) {
  const token = csrfToken((await b.get('/unit')).body);
  const boundary = '----cchcnames';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field('documentNumber', '12/KH-UBND') +
        field('documentDate', '03/02/2024') +
        field('issuer', 'UBND xã Trực Thanh'),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(unit, code, criterion, { _csrf: token }),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  return { res, token };
}

const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('evidence names', () => {
  it('lose control, bidirectional and format characters', () => {
    expect(cleanFileName('\u202eRLOfdp.exe')).toBe('RLOfdp.exe');
    expect(
      cleanFileName('a\u2066b\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068c\u0007\u200b\ufeff.pdf'),
    ).toBe('abc.pdf');
    expect(cleanFileName('C:\\Users\\x\\Kế hoạch số 12.pdf')).toBe('Kế hoạch số 12.pdf');
    expect(cleanFileName('\u202e')).toBe('tep');
  });

  it('end in an extension of the kind their bytes are', () => {
    expect(evidenceFileName('\u202eRLOfdp.exe', 'pdf')).toBe('RLOfdp.exe.pdf');
    expect(evidenceFileName('x.exe', 'pdf')).toBe('x.exe.pdf');
    expect(evidenceFileName('Ảnh chụp', 'png')).toBe('Ảnh chụp.png');
    expect(evidenceFileName('Ảnh.JPEG', 'jpeg')).toBe('Ảnh.JPEG');
    expect(evidenceFileName('Báo cáo.PDF', 'pdf')).toBe('Báo cáo.PDF');
    expect(evidenceFileName(`${'a'.repeat(300)}.exe`, 'docx')).toMatch(/^a{250}\.docx$/);
  });

  it('an uploaded RLOfdp.exe behind a right-to-left override, holding a PDF, is kept, shown and offered as RLOfdp.exe.pdf', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const { res } = await upload(officer, '1.1.1', '\u202eRLOfdp.exe', await pdfBytes());
    expect(res.statusCode).toBe(303);
    const [row] = await sql<{ id: number; original_name: string }>(
      'select id, original_name from evidence_file order by id desc limit 1',
    );
    expect(row!.original_name).toBe('RLOfdp.exe.pdf');
    const page = await officer.get(paths.unit.criteria(unit, code, { field: '1' }));
    expect(page.body).toContain('RLOfdp.exe.pdf');
    expect(page.body).not.toMatch(bidi);
    const download = await officer.get(paths.unit.evidence(unit, code, row!.id));
    expect(download.statusCode).toBe(200);
    const disposition = String(download.headers['content-disposition']);
    expect(disposition).toBe(`inline; filename="RLOfdp.exe.pdf"; filename*=UTF-8''RLOfdp.exe.pdf`);
    expect(decodeURIComponent(disposition)).not.toMatch(bidi);
  });

  it('names stored before are cleaned by the migration', async () => {
    const [score] = await sql<{ id: number }>(
      `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = ? and c.code = '1.1.2'`,
      [unit],
    );
    const [user] = await sql<{ id: number }>(`select id from app_user where username = 'canbo'`);
    const insert = (name: string, mediaType: string) =>
      sql<{ id: number }>(
        `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
       values (?, ?, 1, ?, ?, ?, now()) returning id`,
        [score!.id, 'f'.repeat(64), mediaType, name, user!.id],
      );
    const [old] = await insert('\u202eRLOfdp.exe', 'application/pdf');
    const [photo] = await insert('\u2066Ảnh\u2069', 'image/png');
    const [fine] = await insert('Kế hoạch.pdf', 'application/pdf');
    const migration = new Migration20261202143416_evidence_names(null as never, null as never);
    await migration.up();
    for (const query of migration.getQueries()) await sql(String(query));
    const names = async (id: number) =>
      (await sql<{ original_name: string }>('select original_name from evidence_file where id = ?', [id]))[0]!
        .original_name;
    expect(await names(old!.id)).toBe('RLOfdp.exe.pdf');
    expect(await names(photo!.id)).toBe('Ảnh.png');
    expect(await names(fine!.id)).toBe('Kế hoạch.pdf');
    await sql('delete from evidence_file where id = any(?::int[])', [`{${[old!.id, photo!.id, fine!.id].join(',')}}`]);
  });

  it('a PNG named .png stays as it is', async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const { res } = await upload(officer, '1.1.1', 'Ảnh chụp.png', makePng());
    expect(res.statusCode).toBe(303);
    expect(
      (await sql<{ original_name: string }>('select original_name from evidence_file order by id desc limit 1'))[0]!
        .original_name,
    ).toBe('Ảnh chụp.png');
  });
});

describe('the log', () => {
  it('redacts secrets from addresses', () => {
    expect(redactUrl('/unit/x/evidence?_csrf=abc.def&field=1')).toBe('/unit/x/evidence?_csrf=[redacted]&field=1');
    expect(redactUrl('/sign-in?next=%2Fadmin&token=t&password=p&q=tr%E1%BB%B1c')).toBe(
      '/sign-in?next=[redacted]&token=[redacted]&password=[redacted]&q=tr%E1%BB%B1c',
    );
    expect(redactUrl('/setup/Qm9vdHN0cmFwVG9rZW4tMTIzNDU2Nzg5MGFiY2RlZg')).toBe('/setup/[redacted]');
    expect(redactUrl('/campaigns/truc-ninh-2026/units/xa-truc-thanh?v=2')).toBe(
      '/campaigns/truc-ninh-2026/units/xa-truc-thanh?v=2',
    );
  });

  it('holds no CSRF token, password or session token during an upload and a sign-in', async () => {
    log = '';
    const b = new Browser(t.app);
    const signIn = await b.submit('/sign-in?next=/unit', '/sign-in', {
      username: 'canbo',
      password: demoPassword,
      next: '/unit',
    });
    expect(signIn.statusCode).toBe(303);
    const wrong = await new Browser(t.app).submit('/sign-in', '/sign-in', {
      username: 'canbo',
      password: 'sai-mat-khau-bi-mat',
    });
    expect(wrong.statusCode).toBe(422);
    const { res, token } = await upload(b, '1.1.2', 'Kế hoạch.pdf', await pdfBytes({ text: 'Ke hoach so 13/KH-UBND' }));
    expect(res.statusCode).toBe(303);
    expect(log).toContain('/evidence?_csrf=[redacted]');
    const secrets = [
      token,
      encodeURIComponent(token),
      demoPassword,
      'sai-mat-khau-bi-mat',
      b.cookies.get('cchc_session')!,
      b.cookies.get('_csrf')!,
    ];
    for (const secret of secrets) expect(log.includes(secret), `the log holds ${secret.slice(0, 6)}…`).toBe(false);
  });
});
