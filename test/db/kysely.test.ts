import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRow, rows, tables } from '../../src/db/kysely.ts';
import { openOrm } from '../../src/db/orm.ts';
import { CriteriaSetSchema, CriterionSchema } from '../../src/db/entities/index.ts';
import { loadCriterionNodes } from '../../src/features/criteria-sets.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';

// Typed Kysely queries run through MikroORM's execute: they are logged (the tests count statements there), take the
// entity manager's transaction, and give what the raw SQL gave.
let orm: MikroORM;
let log: string[] = [];
let setId: number;
beforeAll(async () => {
  orm = await openOrm(await freshDatabaseUrl(), { poolMax: 2, onQuery: (sql) => log.push(sql) });
  const em = orm.em.fork() as EntityManager;
  const set = em.create(CriteriaSetSchema, { name: 'Bộ thử', year: 2026 });
  const field = em.create(CriterionSchema, { criteriaSet: set, code: '1', title: 'Lĩnh vực 1', maxScore: '3' });
  em.create(CriterionSchema, {
    criteriaSet: set,
    parent: field,
    code: '1.1',
    title: 'Tiêu chí 1.1',
    maxScore: '2',
    minScore: '-1',
  });
  em.create(CriterionSchema, {
    criteriaSet: set,
    parent: field,
    code: '1.2',
    title: 'Tiêu chí 1.2',
    maxScore: '1.25',
    kind: 'survey',
  });
  await em.flush();
  setId = set.id;
});
afterAll(async () => orm.close());

describe('typed queries', () => {
  it('load criterion nodes: a parent has no maximum of its own, a leaf its exact one; the statement is in the log', async () => {
    log = [];
    const nodes = await loadCriterionNodes(orm.em.fork() as EntityManager, setId);
    expect(nodes.sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: '1', title: 'Lĩnh vực 1', kind: 'self', minScore: 0n, maxScore: null },
      { code: '1.1', title: 'Tiêu chí 1.1', kind: 'self', minScore: -1000n, maxScore: 2000n },
      { code: '1.2', title: 'Tiêu chí 1.2', kind: 'survey', minScore: 0n, maxScore: 1250n },
    ]);
    expect(log.filter((sql) => /select .*from "criterion"/.test(sql))).toHaveLength(1);
  });

  it("see the entity manager's transaction, and take values as parameters, quotes included", async () => {
    const title = 'l\'ô "?" $1';
    const seen = await orm.em.fork().transactional(async (tx) => {
      await tx.execute('update criterion set title = ? where code = ? and criteria_set_id = ?', [title, '1.1', setId]);
      return firstRow(
        tx,
        tables(tx)
          .selectFrom('criterion')
          .select('title')
          .where('criteria_set_id', '=', setId)
          .where('code', '=', '1.1'),
      );
    });
    expect(seen).toEqual({ title });
    const none = await rows(
      orm.em.fork() as EntityManager,
      tables(orm.em).selectFrom('criterion').select('id').where('title', '=', 'no such title'),
    );
    expect(none).toEqual([]);
  });
});
