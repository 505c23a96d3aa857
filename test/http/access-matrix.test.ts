import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';

// Every route of the app × every kind of person, generated from the route table: a new route cannot be forgotten.
// Each route's area decides who may reach it at all; inside the unit area the unit in the address decides.

let t: TestApp;
let params: Record<string, string>;
beforeAll(async () => {
  let code: string, itemId: number, criterionId: number;
  ({ t, code, itemId, criterionId } = await startAppraisalApp());
  params = { code, unit: 'xa-truc-thanh', id: String(itemId), cid: String(criterionId), criterion: '1.1.1', file: '1', username: 'canbo', version: '1', format: 'json' };
});
afterAll(async () => { await t.close(); });

type Who = 'anonymous' | 'admin' | 'chutich' | 'thamdinh' | 'canbo' | 'chutichxa' | 'congtac' | 'canbo2';
// The secretariat goes last: its POSTs (a password reset, a deactivation) change other people.
const people: Who[] = ['anonymous', 'chutich', 'thamdinh', 'canbo', 'chutichxa', 'congtac', 'canbo2', 'admin'];

/** Who may pass the route's guard; null means everyone (public). */
function allowed(url: string): Who[] | null {
  if (url.startsWith('/admin')) return ['admin'];
  if (url.startsWith('/council')) return url.endsWith('/approval') ? ['chutich'] : ['admin', 'chutich'];
  if (url.startsWith('/appraisal')) return ['thamdinh'];
  if (url.startsWith('/unit/:unit')) return ['canbo', 'chutichxa', 'congtac'];
  if (url.startsWith('/unit')) return ['canbo', 'chutichxa', 'congtac', 'canbo2'];
  if (url === '/home' || url.startsWith('/account/')) return people.filter((p) => p !== 'anonymous');
  return null;
}

const address = (url: string) => {
  const code = url.startsWith('/admin/units') ? 'xa-truc-thanh' : url.startsWith('/admin/agencies') ? 'noi-vu' : url.startsWith('/admin/criteria-sets') ? undefined : params.code;
  return url.replace(/:(\w+)/g, (_, name: string) => (name === 'code' ? code ?? '1' : name === 'id' && url.startsWith('/admin/criteria-sets') ? '1' : (params[name] ?? '1')));
};

describe('the authorization matrix', () => {
  it('lists the whole route table', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(60);
  });

  it.each(people)('%s: reaches only what its role may, and never a server error', async (who) => {
    const b = new Browser(t.app);
    if (who !== 'anonymous') await b.signIn(who);
    const home = await b.get(who === 'anonymous' ? '/sign-in' : '/home');
    const page = home.statusCode === 303 ? await b.get(home.headers.location as string) : home;
    const token = csrfToken(page.body);
    const failures: string[] = [];
    for (const route of t.app.routeTable) {
      if (route.url.startsWith('/assets') || route.url === '/sign-out') continue;
      const url = address(route.url);
      const res = route.method === 'GET' ? await b.get(url) : await b.request('POST', url, { form: { _csrf: token } });
      const may = allowed(route.url);
      if (res.statusCode >= 500) failures.push(`${route.method} ${url} → ${res.statusCode}`);
      else if (may && !may.includes(who)) {
        const refused = who === 'anonymous' ? res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in') : [403, 404].includes(res.statusCode);
        if (!refused) failures.push(`${route.method} ${url} → ${res.statusCode} (should be refused)`);
      }
    }
    expect(failures).toEqual([]);
  });
});
