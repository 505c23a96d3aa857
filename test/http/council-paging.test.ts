import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

// A province's council overview: its units table and its preliminary ranking (a page of its own) come 250 rows a page.
let t: TestApp;
let url: string;
let admin: Browser;
const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(text, params);

beforeAll(async () => {
  t = await startTestApp();
  const [campaign] = await sql<{ id: number; code: string }>('select id, code from campaign limit 1');
  url = paths.council.campaign(campaign!.code);
  await sql(`insert into unit (code, name, kind, parent_id, created_at)
             select 'xa-them-' || lpad(n::text, 3, '0'), 'Xã Thêm ' || lpad(n::text, 3, '0'), 'xã', (select parent_id from unit where code = 'xa-truc-thanh'), now()
               from generate_series(1, 300) n`);
  await sql(`insert into campaign_unit (campaign_id, unit_id) select ?, id from unit where code like 'xa-them-%'`, [
    campaign!.id,
  ]);
  await sql(`update campaign set state = 'appraisal' where id = ?`, [campaign!.id]);
  admin = new Browser(t.app);
  await admin.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

const rowsOf = (html: string, table: string) => {
  const body = new RegExp(`<table class="table" id="${table}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1]!);
};

describe('the council overview of many units', () => {
  it('lists units and ranking 250 rows a page, every unit once', async () => {
    const [{ n }] = await sql<{ n: number }>(
      'select count(*)::int as n from campaign_unit cu join campaign c on c.id = cu.campaign_id',
    );
    expect(n).toBeGreaterThan(300);
    const first = await admin.get(url);
    expect(first.statusCode).toBe(200);
    expect(rowsOf(first.body, 'by-unit')).toHaveLength(250);
    expect(first.body).toContain(`href="${url}?units=2#units" rel="next"`);
    const second = await admin.get(`${url}?units=2`);
    const units = [...rowsOf(first.body, 'by-unit'), ...rowsOf(second.body, 'by-unit')];
    expect(units).toHaveLength(n);
    expect(new Set(units).size).toBe(n);
    expect(second.body).toContain(`href="${url}#units" rel="prev"`);
    expect(second.body).toContain(`Trang 2 / 2: dòng 251–${n} trong ${n}.`);

    const ranking1 = await admin.get(`${url}/ranking`);
    expect(rowsOf(ranking1.body, 'preliminary-ranking')).toHaveLength(250);
    expect(ranking1.body).toContain(`href="${url}/ranking?page=2" rel="next"`);
    const ranking2 = await admin.get(`${url}/ranking?page=2`);
    const ranked = [...rowsOf(ranking1.body, 'preliminary-ranking'), ...rowsOf(ranking2.body, 'preliminary-ranking')];
    expect(ranked).toHaveLength(n);
    expect(new Set(ranked)).toEqual(new Set(units));
  });
});
