import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';
import { freshOrm } from '../helpers/db.ts';

let orm: MikroORM;
beforeAll(async () => {
  orm = await freshOrm();
  await seedDemoIfEmpty(orm, '2026-11-22');
});
afterAll(async () => {
  await orm.close();
});

describe("the demo's past year", () => {
  it('is published with every demo commune ranked, and the same on every fresh start', async () => {
    const code = await seedPublishedPastYear(orm, 2025);
    const em = orm.em.fork();
    const [p] = await em.execute(
      `select p.version, p.sha256, p.results_json from publication p join campaign c on c.id = p.campaign_id where c.code = ?`,
      [code],
    );
    const doc = JSON.parse(p.results_json);
    const [{ n }] = await em.execute(`select count(*)::int as n from unit where parent_id is not null`);
    expect(doc.units).toHaveLength(n);
    expect(doc.units.every((u: { index: number }) => u.index > 40 && u.index <= 100)).toBe(true);
    expect(new Set(doc.units.map((u: { band: string }) => u.band)).size).toBeGreaterThan(1);

    const again = await freshOrm();
    try {
      await seedDemoIfEmpty(again, '2026-11-22');
      await seedPublishedPastYear(again, 2025);
      const [q] = await again.em
        .fork()
        .execute(`select p.sha256 from publication p join campaign c on c.id = p.campaign_id where c.code = ?`, [code]);
      expect(q.sha256).toBe(p.sha256);
    } finally {
      await again.close();
    }
  });
});
