// The demo a first start creates (src/server.ts): a province in the two-tier shape. The district demo that most other
// tests use (startTestApp's default seed) stays covered by them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formerUnitCode,
  newUnitCode,
  provinceCampaignCodes,
  seedProvinceDemoIfEmpty,
} from '../../src/features/demo/province-seed.ts';
import { departments, formerDistricts, newUnits, provinceUsers } from '../../src/features/demo/province.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { freshOrm } from '../helpers/db.ts';

const today = '2026-11-22';
const codes = provinceCampaignCodes(2026);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ seed: 'province', today });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the province demo', () => {
  it('opens the communes in two blocks and the departments, each for self-assessment, organised by the province', async () => {
    const rows = await t.orm.em
      .fork()
      .execute<{ code: string; organizer: string; state: string; block: string | null; n: number }[]>(
        `select c.code, c.organizer, c.state, cu.block, count(*)::int as n
           from campaign c join campaign_unit cu on cu.campaign_id = c.id
          where c.year = 2026 group by c.code, c.organizer, c.state, cu.block order by c.code, cu.block`,
      );
    const organizer = 'UBND tỉnh Minh Họa';
    expect(rows).toEqual([
      { code: codes.departments, organizer, state: 'self-assessment', block: null, n: departments.length },
      { code: codes.communes, organizer, state: 'self-assessment', block: 'Phường', n: 12 },
      { code: codes.communes, organizer, state: 'self-assessment', block: 'Xã, đặc khu', n: 18 },
    ]);
    // Each campaign has its own criteria set; the departments' is not the communes'.
    const sets = await t.orm.em
      .fork()
      .execute<{ sets: number }[]>(
        `select count(distinct criteria_set_id)::int as sets from campaign where year = 2026`,
      );
    expect(sets[0]!.sets).toBe(2);
  });

  it('forms every ward and commune from former units that ended last year, each with its published result', async () => {
    const rows = await t.orm.em.fork().execute<
      {
        unit: string;
        official_code: string;
        exists_from: string;
        former: string;
        exists_until: string;
        index: string | null;
        year: number;
      }[]
    >(
      `select u.code as unit, u.official_code, to_char(u.exists_from, 'YYYY-MM-DD') as exists_from, f.code as former,
              to_char(f.exists_until, 'YYYY-MM-DD') as exists_until, r.index::text as index, c.year
         from unit u join unit_predecessor up on up.unit_id = u.id join unit f on f.id = up.predecessor_id
         left join published_result r on r.unit_code = f.code
         left join publication p on p.id = r.publication_id left join campaign c on c.id = p.campaign_id`,
    );
    const expected = newUnits.flatMap((u) =>
      u.from.map((name) => `${newUnitCode(u.name)} ← ${formerUnitCode(u.district, name)}`),
    );
    expect(rows.map((r) => `${r.unit} ← ${r.former}`).sort()).toEqual(expected.sort());
    expect(new Set(rows.map((r) => r.exists_from))).toEqual(new Set(['2026-01-01']));
    expect(new Set(rows.map((r) => r.exists_until))).toEqual(new Set(['2025-12-31']));
    expect(new Set(rows.map((r) => r.year))).toEqual(new Set([2025]));
    expect(rows.every((r) => r.index !== null && Number(r.index) > 40 && Number(r.index) <= 100)).toBe(true);
    expect(rows.every((r) => /^9\d{4}$/.test(r.official_code))).toBe(true);
    // Xã Mường Hoa is Xã Mường Khoa renamed: one predecessor.
    expect(rows.filter((r) => r.unit === newUnitCode('Xã Mường Hoa'))).toHaveLength(1);
  });

  it('published last year for each former district, by component points, on the year page', async () => {
    const b = new Browser(t.app);
    const year = await b.get(paths.published.year(2025));
    expect(year.statusCode).toBe(200);
    for (const d of Object.values(formerDistricts)) expect(text(year.body)).toContain(d.organizer);
    const home = await b.get(paths.root());
    expect(home.body).toContain(paths.published.year(2025));
  });

  it("shows a former commune's result and what it is now part of", async () => {
    const b = new Browser(t.app);
    const former = formerUnitCode('songMay', 'Xã An Bình');
    const res = await b.get(paths.published.unit('song-may-2025', former));
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Nay thuộc Xã Sông Mây — từ ngày 01/01/2026');
    expect(page).toContain('Xã An Bình');
  });

  it('signs every demo person in, each to their own work', async () => {
    for (const u of provinceUsers) {
      const b = await Browser.signedIn(t.app, u.username);
      // Home, or the one area a person works in (the chair goes straight to the council).
      const first = await b.get(paths.home());
      const home = first.statusCode === 303 ? await b.get(String(first.headers.location)) : first;
      expect(home.statusCode, u.username).toBe(200);
      if (u.role === 'officer') expect(text(home.body), u.username).toContain(u.works);
    }
    const officer = await Browser.signedIn(t.app, 'canbo');
    const criteria = await officer.get(paths.unit.campaign(newUnitCode('Xã Sông Mây'), codes.communes));
    expect(criteria.statusCode).toBe(200);
    const department = await Browser.signedIn(t.app, 'canbo-so');
    expect((await department.get(paths.unit.campaign('so-tu-phap', codes.departments))).statusCode).toBe(200);
    expect((await department.get(paths.unit.campaign(newUnitCode('Xã Sông Mây'), codes.communes))).statusCode).toBe(
      404,
    );
  });

  it('is the same on every fresh start: the past years publish the same bytes', async () => {
    const again = await freshOrm();
    try {
      expect(await seedProvinceDemoIfEmpty(again, today)).toBe(true);
      expect(await seedProvinceDemoIfEmpty(again, today)).toBe(false);
      const query = `select c.code, p.sha256 from publication p join campaign c on c.id = p.campaign_id order by c.code`;
      const first = await t.orm.em.fork().execute(query);
      expect(first).toHaveLength(2);
      expect(await again.em.fork().execute(query)).toEqual(first);
    } finally {
      await again.close();
    }
  });
});
