import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A new database copied from the migrated template: each test file gets its own. */
export async function freshDatabaseUrl(): Promise<string> {
  const templateUrl = inject('templateUrl');
  const name = `cchc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${new URL(templateUrl).pathname.slice(1)}`);
  } finally {
    await admin.end();
  }
  return withDatabase(templateUrl, name);
}

export async function freshOrm() {
  return openOrm(await freshDatabaseUrl(), { poolMax: 5 });
}

/**
 * Moves a table's id sequence on (as the database's owner: the app's role may only read sequences), so that the next
 * row's id differs from every other table's small ids and an address naming the wrong record cannot pass by chance.
 */
export async function setSequence(ownerUrl: string, sequence: string, value: number): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('select setval($1::regclass, $2)', [sequence, value]);
  } finally {
    await client.end();
  }
}
