import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let base: string;
let queries = 0;
beforeAll(async () => {
  t = await startTestApp({
    onQuery: (sqlText) => {
      if (/\b(select|insert|update|delete|with)\b/i.test(sqlText)) queries++;
    },
  });
  const [{ code, criteria_set_id: setId }] = await t.orm.em.execute(
    'select code, criteria_set_id from campaign limit 1',
  );
  base = paths.unit.campaign('xa-truc-thanh', code);
  // Grow the demo set to 150 leaves: a ninth field of 39 plain criteria, each with the unit's (empty) answer.
  const [{ n }] = await t.orm.em.execute(
    `select count(*)::int as n from criterion c where criteria_set_id = ? and kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id)`,
    [setId],
  );
  const extra = 150 - n;
  await t.orm.em.execute(
    `insert into criterion (criteria_set_id, code, title, guidance, kind, min_score, max_score, evidence_required, position)
    values (?, '9', 'Lĩnh vực bổ sung để đo trang', '', 'self', 0, ?, false, 900)`,
    [setId, extra * 0.25],
  );
  await t.orm.em.execute(
    `insert into criterion (criteria_set_id, parent_id, code, title, guidance, kind, min_score, max_score, evidence_required, position)
    select ?, (select id from criterion where criteria_set_id = ? and code = '9'), '9.' || g, 'Tiêu chí bổ sung số ' || g || ' về thực hiện nhiệm vụ cải cách hành chính tại địa phương',
           'Có kế hoạch và báo cáo đúng hạn: 0,25 điểm; không có: 0 điểm.', 'self', 0, 0.25, true, 900 + g
      from generate_series(1, ?) g`,
    [setId, setId, extra],
  );
  await t.orm.em.execute(
    `insert into criterion_score (self_assessment_id, criterion_id, explanation, not_applicable, version)
    select sa.id, c.id, '', false, 1 from self_assessment sa cross join criterion c
     where c.criteria_set_id = ? and c.code like '9.%'`,
    [setId],
  );
});
afterAll(async () => {
  await t.close();
});

async function measure(b: Browser, url: string) {
  queries = 0;
  const res = await b.get(url, { 'accept-encoding': 'br' });
  return { res, queries, html: brotliDecompressSync(res.rawPayload).toString() };
}

describe('the criteria page of a unit with 150 self-assessed criteria', () => {
  it('transfers under 40 KB compressed with every criterion on it', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const { res, html } = await measure(b, `${base}/criteria?missing=score`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect((html.match(/<section id="c-/g) ?? []).length).toBe(150);
    expect(res.rawPayload.length).toBeLessThan(40 * 1024);
  });

  it('renders with the same number of queries whatever the number of criteria shown', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    await b.get(`${base}/criteria?field=1`);
    const few = await measure(b, `${base}/criteria?field=1`);
    const all = await measure(b, `${base}/criteria?missing=score`);
    expect((few.html.match(/<section id="c-/g) ?? []).length).toBeLessThan(20);
    expect(all.queries).toBe(few.queries);
    expect(all.queries).toBeLessThanOrEqual(6);
  });
});
