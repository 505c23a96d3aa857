import { readFile } from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonNumber } from '../../src/domain/decimal.ts';
import { currentResults } from '../../src/features/results.ts';
import { formatIssue, importWorkbook } from '../../src/features/workbook/index.ts';
import { freshOrm } from '../helpers/db.ts';
import { samplesDir } from '../helpers/workbook.ts';

let orm: MikroORM;
beforeAll(async () => {
  orm = await freshOrm();
});
afterAll(async () => {
  await orm.close();
});

describe('results from the database', () => {
  it.each(['sample-district-2020', 'sample-province-2023'])(
    '%s: the stored campaign gives exactly the expected ranks, indexes, bands and components',
    async (name) => {
      const imported = await importWorkbook(orm.em.fork(), await readFile(new URL(`${name}.xlsx`, samplesDir)), {
        actorId: null,
      });
      if (!imported.ok) throw new Error(imported.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
      const [{ id, precision }] = await orm.em.execute('select id, precision from campaign where code = ?', [
        imported.summary.code,
      ]);
      const { results } = await currentResults(orm.em.fork(), id);
      const expected = JSON.parse(await readFile(new URL(`${name}.expected.json`, samplesDir), 'utf8')) as {
        code: string;
        rank: number;
        index: number;
        band: string;
        components: Record<string, number>;
      }[];
      expect(
        results.map((r) => ({
          code: r.code,
          rank: r.rank,
          index: toJsonNumber(r.index, precision),
          band: r.band,
          components: Object.fromEntries(Object.entries(r.components).map(([k, v]) => [k, toJsonNumber(v, precision)])),
        })),
      ).toEqual(expected.map(({ code, rank, index, band, components }) => ({ code, rank, index, band, components })));
    },
  );

  it("takes criteria the secretariat exempted out of the unit's maximum", async () => {
    const [{ id }] = await orm.em.execute(`select id from campaign where code = 'mau-2020'`);
    const before = (await currentResults(orm.em.fork(), id)).results.find((r) => r.code === 'mau-1')!;
    await orm.em.execute(
      `insert into exemption (campaign_id, unit_id, criterion_id, reason)
      select ?, u.id, c.id, 'thử' from unit u, criterion c join campaign k on k.criteria_set_id = c.criteria_set_id
       where u.code = 'mau-1' and k.id = ? and c.code = '1'`,
      [id, id],
    );
    const after = (await currentResults(orm.em.fork(), id)).results.find((r) => r.code === 'mau-1')!;
    expect(after.applicableMax! < before.applicableMax!).toBe(true);
    expect(after.fields.find((f) => f.code === '1')!.applicableMax).toBe(0n);
  });
});
