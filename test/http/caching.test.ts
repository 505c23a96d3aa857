import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { sessionCookie } from '../../src/http/plugins/auth.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { submitUnitBySql } from '../helpers/appraisal.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { appUrlFor } from '../helpers/roles.ts';
import { buildWorkbook, validSheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';
import { setSequence } from '../helpers/db.ts';

// Item 8 of issue 12: what a signed-in person is sent is `private, no-store`, every page and download of the route
// table; public pages and open data never touch the session, so they are the same bytes for everyone, with no
// Set-Cookie, read from the replica.

let t: TestApp;
let replica: MikroORM;
/** Statements run on the primary database since the last reset. */
let primary: string[] = [];
let code: string;
let published: string;
const params: Record<string, string> = {};

beforeAll(async () => {
  const replicaUrl = await freshDatabaseUrl();
  replica = await openOrm(appUrlFor(replicaUrl), { poolMax: 2 });
  const imported = await importWorkbook(
    replica.em.fork() as EntityManager,
    await buildWorkbook(validSheets('thu-2024')),
    { actorId: null },
  );
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const done = await publishCampaign(replica.em.fork() as EntityManager, null, 'thu-2024', { imported: true });
  if (!done.ok) throw new Error(JSON.stringify(done.errors));
  published = 'thu-2024';

  t = await startTestApp({ publicUrl: appUrlFor(replicaUrl), onQuery: (sql) => primary.push(sql) });
  code = (await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1'))[0]!.code;
  // An evidence file to download, then the unit submitted and the campaign in appraisal: every page has something.
  const officer = await Browser.signedIn(t.app, 'canbo');
  const token = csrfToken((await officer.get('/unit')).body);
  const boundary = '----cchccache';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="documentNumber"\r\n\r\n12/KH-UBND\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="documentDate"\r\n\r\n03/02/2024\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="issuer"\r\n\r\nUBND\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ke-hoach.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    await pdfBytes(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  // The file's id far from any item's, so that an address naming the wrong one cannot pass by chance.
  await setSequence(t.databaseUrl, 'evidence_file_id_seq', 900);
  const uploaded = await t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence('xa-truc-thanh', code, '1.1.1', { _csrf: token }),
    headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  expect(uploaded.statusCode).toBe(303);
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  const em = t.orm.em.fork();
  await em.execute(`update campaign set state = 'appraisal'`);
  const [file] = await em.execute<{ id: number }[]>('select id from evidence_file');
  const [item] = await em.execute<{ id: number }[]>(
    `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id where c.code = '1.1.1'`,
  );
  const [criterion] = await em.execute<{ id: number }[]>(`select id from criterion where code = '1.1.1'`);
  Object.assign(params, {
    code,
    unit: 'xa-truc-thanh',
    id: String(item!.id),
    cid: String(criterion!.id),
    criterion: '1.1.1',
    file: String(file!.id),
    username: 'canbo',
    version: '1',
    format: 'json',
  });
});
afterAll(async () => {
  await t.close();
  await replica.close();
});

/** Who may open a route (as in access-matrix.test.ts): the first one here is the one who asks. */
function askedBy(url: string): string {
  if (url.startsWith('/admin') || url === '/home') return 'admin';
  if (url.startsWith('/council')) return 'chutich';
  if (url.startsWith('/appraisal')) return 'thamdinh';
  if (url.startsWith('/unit')) return 'canbo';
  return 'chutichxa';
}

const address = (url: string) => {
  const c = url.startsWith('/admin/units')
    ? 'xa-truc-thanh'
    : url.startsWith('/admin/agencies')
      ? 'noi-vu'
      : url.startsWith('/admin/criteria-sets')
        ? undefined
        : params.code;
  return url.replace(/:(\w+)/g, (_, name: string) =>
    name === 'code'
      ? (c ?? '1')
      : name === 'id' && url.startsWith('/admin/criteria-sets')
        ? '1'
        : (params[name] ?? '1'),
  );
};

describe('signed-in responses are private, no-store', () => {
  it('every GET route of the route table but the public ones, downloads included', async () => {
    const browsers = new Map<string, Browser>();
    const checked: string[] = [];
    const failures: string[] = [];
    for (const route of t.app.routeTable) {
      if (route.method !== 'GET' || route.public || route.url.startsWith('/assets')) continue;
      const who = askedBy(route.url);
      if (!browsers.has(who)) browsers.set(who, await Browser.signedIn(t.app, who));
      const url = address(route.url);
      const res = await browsers.get(who)!.get(url);
      const cacheControl = String(res.headers['cache-control'] ?? '');
      checked.push(`${url} ${res.statusCode}`);
      if (!/\bprivate\b/.test(cacheControl) || !/\bno-store\b/.test(cacheControl) || /public/.test(cacheControl)) {
        failures.push(`${who} GET ${url} → ${res.statusCode} Cache-Control: ${cacheControl || '(none)'}`);
      }
    }
    expect(failures).toEqual([]);
    // The table reached real pages and files, not only refusals: the report downloads and the evidence file among them.
    for (const needed of [
      '/',
      '/home',
      '/unit',
      paths.unit.report('xa-truc-thanh', code, 'docx'),
      paths.unit.report('xa-truc-thanh', code, 'xlsx'),
      paths.unit.evidence('xa-truc-thanh', code, params.file),
      paths.appraisal.evidence(params.id, params.file),
      '/admin/users',
      paths.council.campaign(code),
    ]) {
      expect(checked, needed).toContain(`${needed} 200`);
    }
  });

  it('the home page is public for anonymous readers only', async () => {
    const anonymous = await t.app.inject({ url: '/' });
    expect(anonymous.headers['cache-control']).toBe('public, max-age=60');
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    const signedIn = await (await Browser.signedIn(t.app, 'admin')).get('/');
    expect(signedIn.body).toContain('Quản trị');
    expect(signedIn.headers['cache-control']).toBe('private, no-store');
    // A stale session is cleared there, and a response that sets a cookie is never public.
    const stale = await t.app.inject({ url: '/', headers: { cookie: `${sessionCookie}=stale` } });
    expect(String(stale.headers['set-cookie'])).toContain(`${sessionCookie}=;`);
    expect(stale.headers['cache-control']).toBe('private, no-store');
  });
});

describe('public pages and open data never touch the session', () => {
  it('with a valid or a stale session cookie: no lookup, no query on the primary, no Set-Cookie, the anonymous bytes', async () => {
    const reader = await Browser.signedIn(t.app, 'admin');
    const [unit] = await replica.em
      .fork()
      .execute<{ unit_code: string }[]>('select unit_code from published_result limit 1');
    const urls = [
      paths.published.campaign(published),
      paths.published.campaign(published, { q: 'x' }),
      paths.published.unit(published, unit!.unit_code),
      paths.published.methodology(published),
      paths.published.openData(published, 'json'),
      paths.published.openData(published, 'csv'),
      paths.published.openData(published, 'xlsx', 1),
      paths.published.campaign('nothing-here'),
    ];
    for (const url of urls) {
      for (const cookie of [
        reader.cookieHeader,
        `${sessionCookie}=stale-token`,
        `${reader.cookieHeader}; cchc_lang=en`,
      ]) {
        const lang = cookie.includes('cchc_lang=en') ? 'cchc_lang=en' : '';
        primary = [];
        const withSession = await t.app.inject({ url, headers: { cookie } });
        expect(primary, `${url} ran on the primary`).toEqual([]);
        const anonymous = await t.app.inject({ url, headers: lang ? { cookie: lang } : {} });
        expect(withSession.statusCode, url).toBe(anonymous.statusCode);
        expect(withSession.headers['set-cookie'], url).toBeUndefined();
        expect(withSession.rawPayload.equals(anonymous.rawPayload), `${url} differs for a signed-in reader`).toBe(true);
        expect(withSession.headers['cache-control'], url).toBe(anonymous.headers['cache-control']);
        expect(withSession.headers.etag, url).toBe(anonymous.headers.etag);
      }
    }
    expect(
      (await t.app.inject({ url: paths.published.campaign(published), headers: { cookie: reader.cookieHeader } }))
        .headers['cache-control'],
    ).toMatch(/^public/);
  });

  it('the language link needs no session either', async () => {
    primary = [];
    const res = await t.app.inject({
      url: '/lang/en?next=/campaigns/thu-2024',
      headers: { cookie: `${sessionCookie}=stale-token` },
    });
    expect(res.statusCode).toBe(303);
    expect(primary).toEqual([]);
    expect(String(res.headers['set-cookie'])).not.toContain(sessionCookie);
  });
});
