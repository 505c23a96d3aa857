import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { samplesDir } from '../helpers/workbook.ts';

// The command line on a database it has not seen before: the embedded one of a new data folder is migrated first,
// as `npm start` does; an external one without the schema is left alone, with one line naming the migrate command.

const work = mkdtempSync(path.join(os.tmpdir(), 'cchc-cli-new-'));
// Run as root, the embedded PostgreSQL runs as its own user, which must reach the data folder inside.
chmodSync(work, 0o755);
const sample = fileURLToPath(new URL('sample-province-2023.xlsx', samplesDir));
const created: string[] = [];
const serverUrl = (database: string) =>
  Object.assign(new URL(inject('templateUrl')), { pathname: `/${database}` }).toString();

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server: no tables, no migrations table. */
async function emptyDatabase(): Promise<string> {
  const name = `cchc_bare_${randomBytes(5).toString('hex')}`;
  await query(serverUrl('postgres'), `create database ${name}`);
  created.push(name);
  return serverUrl(name);
}

afterAll(async () => {
  for (const name of created) await query(serverUrl('postgres'), `drop database if exists ${name} with (force)`);
  rmSync(work, { recursive: true, force: true });
});

const appliedLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('[migrator] Applied'));

// Each run starts Node and, for the embedded database, PostgreSQL: seconds apiece.
describe('on the embedded database of a new data folder', { timeout: 120_000 }, () => {
  it('import-workbook applies the migrations first and imports; the next command finds the schema current', async () => {
    const dataDir = path.join(work, 'data');
    const run = await runCli(['import-workbook', sample], { DATA_DIR: dataDir });
    expect(run.stderr).not.toMatch(/does not exist/);
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toContain('Imported campaign tinh-mau-2023 (state council-review):');
    // Every committed migration, reported on stderr (stdout stays the command's own output).
    expect(appliedLines(run.stderr)[0]).toMatch(/Migration\d{14}_initial/);
    expect(run.stdout.toString()).not.toContain('[migrator]');

    const out = path.join(work, 'again.xlsx');
    const again = await runCli(['export-workbook', 'tinh-mau-2023', '--out', out], { DATA_DIR: dataDir });
    expect(again.status).toBe(0);
    expect(again.stdout.toString()).toBe(`Wrote ${out}\n`);
    expect(appliedLines(again.stderr)).toEqual([]);
  });
});

describe('on an external database (DATABASE_URL) without the schema', { timeout: 60_000 }, () => {
  const noSchema = 'The database at DATABASE_URL has no schema yet: run `npm run cli -- migrate` first.';

  it('stops with one line naming the migrate command, exit 1, and creates nothing', async () => {
    const url = await emptyDatabase();
    const env = { DATABASE_URL: url, DATA_DIR: path.join(work, 'external') };
    for (const args of [
      ['import-workbook', sample],
      ['export-results', 'tinh-mau-2023'],
    ]) {
      const run = await runCli(args, env);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`${noSchema}\n`);
      expect(run.stdout.length).toBe(0);
    }
    expect(await query(url, `select relname from pg_class where relnamespace = 'public'::regnamespace`)).toEqual([]);

    // As the line says: migrate, then the command works.
    const migrated = await runCli(['migrate'], env);
    expect(migrated.status).toBe(0);
    expect(migrated.stdout.toString()).toMatch(/^Applied: Migration\d{14}_initial, /);
    const imported = await runCli(['import-workbook', sample], env);
    expect(imported.status).toBe(0);
    expect(imported.stdout.toString()).toContain('Imported campaign tinh-mau-2023');
  });

  it('names what an older schema lacks', async () => {
    const url = await emptyDatabase();
    const env = { DATABASE_URL: url, DATA_DIR: path.join(work, 'older') };
    expect((await runCli(['migrate'], env)).status).toBe(0);
    const [newest] = await query<{ name: string }>(
      url,
      'delete from mikro_orm_migrations where id = (select max(id) from mikro_orm_migrations) returning name',
    );
    const run = await runCli(['export-workbook', 'x', '--out', path.join(work, 'x.xlsx')], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `The database at DATABASE_URL lacks 1 migration(s) of this version (${newest!.name}): run \`npm run cli -- migrate\` first.\n`,
    );
  });
});
