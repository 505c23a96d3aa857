import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';

// Property-based fuzzing of every form and query string, generated from the route table: whatever arrives, the
// answer is never a server error, and a refused request (4xx) stores nothing (every change writes an audit event).

let t: TestApp;
let params: Record<string, string>;
beforeAll(async () => {
  let code: string, itemId: number;
  ({ t, code, itemId } = await startAppraisalApp());
  params = {
    code,
    unit: 'xa-truc-thanh',
    id: String(itemId),
    cid: '1',
    criterion: '1.1.1',
    file: '1',
    username: 'congtac',
  };
});
afterAll(async () => {
  await t.close();
});

const fieldNames = [
  'score',
  'level',
  'achieved',
  'total',
  'explanation',
  'version',
  'notApplicable',
  'action',
  'ground',
  'reason',
  'message',
  'dueDate',
  'code',
  'name',
  'title',
  'year',
  'maxScore',
  'minScore',
  'scoring',
  'kind',
  'composition',
  'bands',
  'precision',
  'rounding',
  'selfAssessmentOpens',
  'username',
  'fullName',
  'password',
  'role',
  'unit',
  'agency',
  'units',
  'decision',
  'decisionDate',
  'answer',
  'correctionReason',
  'to',
  'until',
  'q',
  'field',
  'state',
  'page',
  'sort',
  'v',
  'next',
  'parent',
  'direction',
];
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1,5',
    '1e9',
    'NaN',
    '99999999999999999999',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '../../etc/passwd',
    '\u0000',
    '%00',
    'Trực Đạo',
    'x'.repeat(5000),
    '31/02/2025',
    '2025-13-01',
    'accept',
    'quick',
    'draft',
    'published',
    'on',
    'null',
    '{}',
    '[]',
  ),
  fc.integer({ min: -5, max: 1_000_000 }).map(String),
);
const form = fc.dictionary(fc.constantFrom(...fieldNames), nasty, { maxKeys: 8 });

const address = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '1');
const auditCount = async () =>
  (await t.orm.em.fork().execute('select count(*)::int as n from audit_event'))[0].n as number;

describe.each(['canbo', 'thamdinh', 'chutich', 'admin'])('fuzzing as %s', (who) => {
  it('never answers 5xx, and stores nothing when it refuses', async () => {
    const b = await Browser.signedIn(t.app, who);
    const home = await b.get('/home');
    const token = csrfToken((home.statusCode === 303 ? await b.get(home.headers.location as string) : home).body);
    const routes = t.app.routeTable.filter(
      (r) =>
        !r.url.startsWith('/assets') &&
        r.url !== '/sign-out' &&
        !r.url.endsWith('/active') &&
        !r.url.endsWith('/password'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), form, async (route, fields) => {
        const url = address(route.url);
        const before = await auditCount();
        const res =
          route.method === 'GET'
            ? await b.get(`${url}?${new URLSearchParams(fields)}`)
            : await b.request('POST', url, { form: { ...fields, _csrf: token } });
        expect(res.statusCode, `${route.method} ${url} ${JSON.stringify(fields).slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400)
          expect(await auditCount(), `${route.method} ${url} stored something while refusing`).toBe(before);
      }),
      { numRuns: 150, seed: 20261122 },
    );
  });
});
