// On a phone (below 40rem) a `.table` hides its column headings and labels each cell from its `data-label`
// attribute: every body cell of every such table with column headings, on every page a person may open, must carry
// one, or the phone shows bare numbers and words nobody can place. A cell spanning columns (colspan) stands alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';

let t: TestApp;
let params: Record<string, string>;
let grantId: string;

beforeAll(async () => {
  const { t: app, code, itemId, criterionId } = await startAppraisalApp();
  t = app;
  const sql = <T extends object>(text: string) => t.orm.em.fork().execute<T[]>(text);
  [{ id: grantId }] = await sql<{ id: string }>(
    `select r.id::text as id from role_assignment r join app_user u on u.id = r.user_id where u.username = 'canbo'`,
  );
  // An exemption, so that the exemptions table has a row.
  await sql(
    `insert into exemption (campaign_id, unit_id, criterion_id, reason)
     select c.id, u.id, cr.id, 'Không có TTHC' from campaign c, unit u, criterion cr
      where c.code = '${code}' and u.code = 'xa-truc-dao' and cr.id = ${criterionId}`,
  );
  params = {
    username: 'canbo',
    code,
    unit: 'xa-truc-thanh',
    id: String(itemId),
    cid: String(criterionId),
    criterion: '1.1.1',
  };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function address(url: string): string {
  const code = url.startsWith('/admin/units')
    ? 'xa-truc-thanh'
    : url.startsWith('/admin/agencies')
      ? 'noi-vu'
      : url.startsWith('/admin/criteria-sets')
        ? '1'
        : params.code;
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'code') return code;
    if (name === 'id' && url.startsWith('/admin/criteria-sets')) return '1';
    if (name === 'id' && url.startsWith('/admin/users')) return grantId;
    return params[name] ?? '1';
  });
}

/**
 * The body cells of the page's `.table` tables with column headings that have neither a data-label nor a colspan.
 * Tables nest (a scoring rule's small table inside a cell), so each cell belongs to the innermost open table.
 */
function unlabelledCells(html: string): string[] {
  const found: string[] = [];
  const open: { phone: boolean; cells: string[]; headed: boolean }[] = [];
  for (const [tag, name, attrs = ''] of html.matchAll(/<(\/?(?:table|thead|td))(\s[^>]*)?>/g)) {
    const top = open.at(-1);
    if (name === 'table') open.push({ phone: /\sclass="table[ "]/.test(`${attrs}"`), cells: [], headed: false });
    else if (name === '/table') {
      const done = open.pop();
      // A table without column headings (a row heading beside each value) loses nothing on a phone.
      if (done?.phone && done.headed) found.push(...done.cells);
    } else if (name === 'thead' && top) top.headed = true;
    else if (name === 'td' && top && !/\sdata-label="[^"]+"/.test(attrs) && !/\scolspan=/.test(attrs))
      top.cells.push(tag);
  }
  return found;
}

describe('tables on a phone', () => {
  it('label every body cell of every table, for every person', async () => {
    const bare: string[] = [];
    let tables = 0;
    const seen = new Set<string>();
    for (const who of ['canbo', 'thamdinh', 'chutich', 'admin']) {
      const b = await Browser.signedIn(t.app, who);
      for (const route of t.app.routeTable) {
        if (route.method !== 'GET' || route.public || /\.[:\w]+$/.test(route.url)) continue;
        if (route.url.startsWith('/assets') || route.url.startsWith('/lang/')) continue;
        const url = address(route.url);
        const res = await b.get(url);
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
        seen.add(route.url);
        tables += (res.body.match(/<table class="table[ "]/g) ?? []).length;
        const cells = unlabelledCells(res.body);
        if (cells.length) bare.push(`${who} ${url}: ${cells.length} × ${cells[0]}`);
      }
    }
    expect(tables).toBeGreaterThan(10);
    for (const page of [
      '/appraisal/queue',
      '/admin/units',
      '/admin/agencies',
      '/admin/users',
      '/admin/users/:username',
    ]) {
      expect(seen).toContain(page);
    }
    expect(seen).toContain('/admin/campaigns/:code/exemptions');
    expect(bare).toEqual([]);
  }, 60_000);
});
