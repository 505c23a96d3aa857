import { readFileSync } from 'node:fs';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { appUrlFor } from '../helpers/roles.ts';
import { samplesDir } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

// PUBLIC_DATABASE_URL: the published pages read from a second connection (a read replica in production). Here the
// "replica" is another database holding a campaign the primary does not have, so each page shows where it read.
let t: TestApp;
let replica: MikroORM;

async function importAndPublish(em: EntityManager, file: string): Promise<string> {
  const imported = await importWorkbook(em, readFileSync(new URL(file, samplesDir)), { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const published = await publishCampaign(em, null, imported.summary.code, { imported: true });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  return imported.summary.code;
}

let onPrimary: string;
let onReplica: string;
beforeAll(async () => {
  const replicaUrl = await freshDatabaseUrl();
  replica = await openOrm(appUrlFor(replicaUrl), { poolMax: 2 });
  onReplica = await importAndPublish(replica.em.fork() as EntityManager, 'sample-province-2023.xlsx');
  t = await startTestApp({ seed: false, publicUrl: appUrlFor(replicaUrl) });
  onPrimary = await importAndPublish(t.orm.em.fork() as EntityManager, 'sample-district-2020.xlsx');
});
afterAll(async () => {
  await t.close();
  await replica.close();
});

describe('published pages on a read replica', () => {
  it('read the publication, its units, its method and its open data from the replica', async () => {
    const [unit] = await replica.em
      .fork()
      .execute<{ unit_code: string }[]>('select unit_code from published_result limit 1');
    for (const url of [
      paths.published.campaign(onReplica),
      paths.published.unit(onReplica, unit!.unit_code),
      paths.published.methodology(onReplica),
      paths.published.openData(onReplica, 'json'),
    ]) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: paths.published.campaign(onPrimary) })).statusCode).toBe(404);
  });

  it('while everything else reads and writes the primary', async () => {
    const [row] = await t.orm.em
      .fork()
      .execute<{ n: number }[]>(
        'select count(*)::int as n from publication p join campaign c on c.id = p.campaign_id where c.code = ?',
        [onPrimary],
      );
    expect(row!.n).toBe(1);
    const signIn = await t.app.inject({ method: 'GET', url: '/sign-in' });
    expect(signIn.statusCode).toBe(200);
  });
});
