import { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { safeNext } from '../../src/http/forms.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { buildWorkbook, validSheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

// Item 5 of issue 12: every `next` stays on the site, and NUL bytes or Vietnamese letters anywhere in a request get a
// 4xx or a normal page, never a 500 nor an error in the log.

const base = 'https://portal.example';
/** The app's log, one parsed line each. */
const lines: { level: number; msg?: string }[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});
const errorLines = () => lines.filter((l) => l.level >= 50);

let t: TestApp;
let published: string;
let campaign: string;
beforeAll(async () => {
  t = await startTestApp({ log: { level: 'info', stream: logStream } });
  campaign = (await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1'))[0]!.code;
  const em = t.orm.em.fork() as EntityManager;
  const imported = await importWorkbook(em, await buildWorkbook(validSheets('thu-2024')), { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const done = await publishCampaign(t.orm.em.fork() as EntityManager, null, imported.summary.code, { imported: true });
  if (!done.ok) throw new Error(JSON.stringify(done.errors));
  published = imported.summary.code;
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  lines.length = 0;
});

/** What a browser makes of a Location: it must stay on the site, as a path. */
function expectSameOrigin(location: string) {
  expect(location).toMatch(/^\/(?![/\\])/);
  expect(location).toMatch(/^[\x21-\x7e]+$/);
  expect(new URL(location, base).origin).toBe(base);
  expect(new URL(location, base).host).toBe('portal.example');
}

const fragments = [
  '/',
  '//',
  '\\',
  '/\\',
  '%2F',
  '%2f',
  '%5C',
  '%09',
  '\t',
  '\n',
  '\r',
  '%0A',
  '%0d',
  ' ',
  '%20',
  'evil.example',
  'https:',
  'javascript:',
  ':',
  '@',
  '.',
  '..',
  '?',
  '#',
  '%',
  '%E1%BB%B1',
  'trực',
  'Đạo',
  '\u202e',
  '\u00a0',
  '\u3000',
  '\uff0f',
  '%ff',
  '%C0%AF',
  'x',
];
const nextLike = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.constantFrom(...fragments), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.array(fc.constantFrom(...fragments), { maxLength: 8 }).map((parts) => `/${parts.join('')}`),
);

describe('next stays on the site', () => {
  it('safeNext: any string gives a same-origin path', () => {
    fc.assert(
      fc.property(nextLike, (next) => expectSameOrigin(safeNext(next))),
      { numRuns: 2000, seed: 12 },
    );
  });

  it('refuses what browsers read as another host, keeps real paths', () => {
    for (const bad of [
      '/\t/evil.example',
      '/%09/evil.example',
      '//evil.example',
      '/\\evil.example',
      '/%5Cevil.example',
      '/%2F/evil.example',
      'https://evil.example',
      'evil.example',
      '/\n/evil.example',
      '/a\\b',
      '/ok\u0000',
      '/%E1%BB',
      '',
    ]) {
      expect(safeNext(bad), JSON.stringify(bad)).toBe('/home');
    }
    expect(safeNext('/campaigns/tr%E1%BB%B1c')).toBe('/campaigns/tr%E1%BB%B1c');
    expect(safeNext('/campaigns/trực')).toBe('/campaigns/tr%E1%BB%B1c');
    expect(safeNext('/unit/xa-truc-thanh/campaigns/x/criteria?field=1#c-1-1')).toBe(
      '/unit/xa-truc-thanh/campaigns/x/criteria?field=1#c-1-1',
    );
  });

  it('/lang/en: the reported address goes home, and any next ends on the site (or is refused with a 400)', async () => {
    const tab = await t.app.inject({ url: '/lang/en?next=/%09/evil.example' });
    expect(tab.statusCode).toBe(303);
    expect(tab.headers.location).toBe('/');
    await fc.assert(
      fc.asyncProperty(nextLike, async (next) => {
        const res = await t.app.inject({ url: `/lang/en?next=${encodeURIComponent(next)}` });
        if (res.statusCode === 400) expect(next).toMatch(/[\0-\x08\x0b\x0c\x0e-\x1f]/);
        else {
          expect(res.statusCode).toBe(303);
          expectSameOrigin(String(res.headers.location));
        }
      }),
      { numRuns: 300, seed: 12 },
    );
    expect(errorLines()).toEqual([]);
  });

  it('sign-in: next the same, Vietnamese letters encoded', async () => {
    const cases: [string, string][] = [
      ['/%09/evil.example', '/home'],
      ['//evil.example', '/home'],
      ['/\\evil.example', '/home'],
      [`/campaigns/${published}?q=tr%E1%BB%B1c`, `/campaigns/${published}?q=tr%E1%BB%B1c`],
      ['/campaigns/trực', '/campaigns/tr%E1%BB%B1c'],
    ];
    for (const [next, location] of cases) {
      const b = new Browser(t.app);
      const res = await b.submit('/sign-in', '/sign-in', { username: 'admin', password: 'demo-cchc-2024', next });
      expect(res.statusCode, next).toBe(303);
      expect(res.headers.location, next).toBe(location);
    }
    expect(errorLines()).toEqual([]);
  });

  it('Vietnamese letters in next: a redirect, not a 500', async () => {
    for (const next of [
      '/campaigns/tr%E1%BB%B1c',
      '/campaigns/trực-đạo',
      '/campaigns/%C4%90%E1%BA%A1o?q=Tr%E1%BB%B1c',
    ]) {
      const res = await t.app.inject({ url: `/lang/en?next=${encodeURIComponent(next)}` });
      expect(res.statusCode, next).toBe(303);
      expectSameOrigin(String(res.headers.location));
    }
    const raw = await t.app.inject({ url: '/lang/en?next=/campaigns/tr%E1%BB%B1c' });
    expect(raw.headers.location).toBe('/campaigns/tr%E1%BB%B1c');
    expect(errorLines()).toEqual([]);
  });
});

describe('NUL and control characters', () => {
  const refused = (res: { statusCode: number; body: string }, what: string) => {
    expect(res.statusCode, what).toBe(400);
    expect(res.body, what).toContain('Có ký tự không được phép');
  };

  it("in a path, a published search, the admin lists' searches and headers: 400 with the usual page", async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    for (const url of [
      '/campaigns/a%00b',
      `/campaigns/${published}/units/%00`,
      `/open-data/${published}/results.%00`,
      `/campaigns/${published}?q=tr%00c`,
      `/campaigns/${published}?q=%01`,
      '/unit/%00/campaigns/x',
    ]) {
      refused(await t.app.inject({ url }), url);
    }
    for (const url of [
      '/admin/users?q=a%00',
      '/admin/units?q=%00',
      '/admin/agencies?q=x%00y',
      `/admin/campaigns/${campaign}?x=%00`,
      '/home%00',
    ]) {
      refused(await admin.get(url), url);
    }
    refused(await t.app.inject({ url: '/', headers: { 'hx-target': 'main\u0000' } }), 'header');
    // The search itself still works with Vietnamese letters.
    expect((await t.app.inject({ url: `/campaigns/${published}?q=${encodeURIComponent('Xã')}` })).statusCode).toBe(200);
    expect(errorLines()).toEqual([]);
  });

  it('in a username and in the fields of several forms: 400, nothing written', async () => {
    const audit = async () =>
      (
        await t.orm.em
          .fork()
          .execute<{ n: number }[]>("select count(*)::int as n from audit_event where action <> 'user.signed-in'")
      )[0]!.n;
    const before = await audit();
    const anonymous = new Browser(t.app);
    refused(
      await anonymous.submit('/sign-in', '/sign-in', { username: 'admin\u0000', password: 'demo-cchc-2024' }),
      'username',
    );
    refused(await anonymous.submit('/sign-in', '/sign-in', { username: 'admin', password: 'x\u0000y' }), 'password');
    const admin = await Browser.signedIn(t.app, 'admin');
    refused(
      await admin.submit('/admin/units/new', '/admin/units', { code: 'xa-nul', name: 'Xã\u0000Nul', kind: 'xã' }),
      'unit name',
    );
    refused(
      await admin.submit('/admin/users/new', '/admin/users', {
        username: 'nul',
        fullName: 'A\u0000B',
        password: 'mat-khau-rat-dai-123',
      }),
      'full name',
    );
    const officer = await Browser.signedIn(t.app, 'canbo');
    const criteria = paths.unit.criteria('xa-truc-thanh', campaign);
    refused(
      await officer.submit(criteria, `${criteria}/1.1.1`, { score: '1', explanation: 'Kế hoạch\u0000', version: '1' }),
      'explanation',
    );
    refused(await officer.submit(criteria, `${criteria}/1.1.1`, { 'sco\u0000re': '1' }), 'field name');
    expect(await audit()).toBe(before);
    // Word's manual line break (a vertical tab) in pasted text is kept as a line break, not refused.
    const score = async () =>
      (
        await t.orm.em.fork().execute<{ explanation: string; version: number }[]>(
          `select cs.explanation, cs.version from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = '1.1.1'`,
        )
      )[0]!;
    const { version } = await score();
    const saved = await officer.submit(criteria, `${criteria}/1.1.1`, {
      notApplicable: 'on',
      explanation: 'Kế hoạch số 10/KH-UBND\u000btrang 3',
      version: String(version),
    });
    expect(saved.statusCode).toBe(303);
    expect((await score()).explanation).toBe('Kế hoạch số 10/KH-UBND\ntrang 3');
    expect(errorLines()).toEqual([]);
  });

  it("in a multipart field read by its handler: the database's refusal is a 400, not a 500", async () => {
    const officer = await Browser.signedIn(t.app, 'canbo');
    const token = csrfToken((await officer.get('/unit')).body);
    const boundary = '----cchcnul';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        part('documentNumber', '12/KH\u0000UBND') + part('documentDate', '03/02/2024') + part('issuer', 'UBND'),
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ke-hoach.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      await pdfBytes(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: paths.unit.criterionEvidence('xa-truc-thanh', campaign, '1.1.1', { _csrf: token }),
      headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Có ký tự không được phép');
    expect((await t.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from evidence_file'))[0]!.n).toBe(
      0,
    );
    expect(errorLines()).toEqual([]);
  });
});
