import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let adminRoutes: { method: string; url: string }[];
let params: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  adminRoutes = t.app.routeTable.filter((r) => r.url.startsWith('/admin'));
  const db = t.orm.em.getConnection();
  const [campaign] = await db.execute('select code from campaign limit 1');
  const [criterion] = await db.execute('select id, criteria_set_id from criterion limit 1');
  // An on-site visit, so that its pages name a real record (its minutes' download is checked by the access matrix,
  // which stores a file for it).
  const [visit] = await db.execute(
    `insert into onsite_visit (campaign_id, unit_id, visited_on, members, recorded_by_id)
     select c.id, u.id, current_date, 'Tổ kiểm tra', (select id from app_user where username = 'admin')
       from campaign c, unit u where c.code = ? and u.code = 'xa-truc-thanh' returning id`,
    [campaign.code],
  );
  params = {
    visit: String(visit.id),
    code: campaign.code,
    id: String(criterion.criteria_set_id),
    cid: String(criterion.id),
    unit: 'xa-truc-thanh',
    username: 'canbo',
  };
});
afterAll(async () => {
  await t.close();
});

/** A real address for a route pattern, so that the guard, not a missing record, gives the answer. */
const address = (url: string) => {
  const codeOf = url.startsWith('/admin/units')
    ? 'xa-truc-thanh'
    : url.startsWith('/admin/agencies')
      ? 'noi-vu'
      : params.code;
  return url.replace(/:(\w+)/g, (_, name: string) => (name === 'code' ? codeOf : (params[name] ?? '1')));
};

describe("the secretariat's pages", () => {
  it('are found in the route table (the matrix below cannot miss one)', () => {
    expect(adminRoutes.length).toBeGreaterThan(15);
  });

  it.each(['canbo', 'chutichxa', 'congtac', 'thamdinh', 'chutich'])(
    'refuse %s on every admin route, GET and POST',
    async (username) => {
      const b = await Browser.signedIn(t.app, username);
      const token = csrfToken(
        (await b.get('/home').then((r) => (r.statusCode === 303 ? b.get(r.headers.location as string) : r))).body,
      );
      for (const route of adminRoutes) {
        const url = address(route.url);
        const res =
          route.method === 'GET'
            ? await b.get(url)
            : await b.request('POST', url, { form: { _csrf: token, name: 'x', code: 'x' } });
        expect([403, 404], `${username} ${route.method} ${url} → ${res.statusCode}`).toContain(res.statusCode);
      }
    },
  );

  it('send an anonymous visitor to sign in, and change nothing', async () => {
    const before = (await t.orm.em.getConnection().execute('select count(*)::int as n from audit_event'))[0].n;
    for (const route of adminRoutes) {
      const res = await t.app.inject({ method: route.method as 'GET', url: address(route.url) });
      expect([303, 403], `${route.method} ${route.url} → ${res.statusCode}`).toContain(res.statusCode);
    }
    expect((await t.orm.em.getConnection().execute('select count(*)::int as n from audit_event'))[0].n).toBe(before);
  });

  it('open for the secretariat (every GET without a body answers 200 or a redirect)', async () => {
    const b = await Browser.signedIn(t.app, 'admin');
    const withBody = (url: string) => url.endsWith('/visits/:visit/minutes');
    for (const route of adminRoutes.filter((r) => r.method === 'GET' && !withBody(r.url))) {
      const res = await b.get(address(route.url));
      expect([200, 303], `${route.url} → ${res.statusCode}`).toContain(res.statusCode);
    }
  });
});
