import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { runCli } from '../helpers/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openOrm } from '../../src/db/orm.ts';
import type { BackupManifest } from '../../src/features/backup.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { submitUnitBySql } from '../helpers/appraisal.ts';
import { makePng } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'cchc-backup-'));
// The session secret lives in DATA_DIR, not in the database: the restored portal is given the same one.
const sessionSecret = randomBytes(24).toString('hex');
const unit = 'xa-truc-thanh';
const png = makePng(96, 96, true);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let t: TestApp;
let code: string;
let canbo: Browser;
let evidenceId: number;
const backupDir = path.join(work, 'backup');
const created: string[] = [];

const cli = async (args: string[], env: { DATABASE_URL: string; DATA_DIR: string }) => {
  const run = await runCli(args, env);
  return { ...run, stdout: run.stdout.toString() };
};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database with nothing in it (not even the migrations), on the test server. */
async function emptyDatabase(): Promise<string> {
  const name = `cchc_restore_${randomBytes(5).toString('hex')}`;
  await onServer(withDatabase(t.databaseUrl, 'postgres'), (c) => c.query(`create database ${name}`));
  created.push(name);
  return withDatabase(t.databaseUrl, name);
}

const query = <T extends pg.QueryResultRow = Record<string, any>>(url: string, text: string, params: unknown[] = []) =>
  onServer(url, async (c) => (await c.query<T>(text, params)).rows);

/** Every application table with its row count and a hash of its rows in a fixed order. */
async function tableDigests(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  return onServer(url, async (c) => {
    const tables = (
      await c.query<{ name: string }>(
        `select relname::text as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname <> 'mikro_orm_migrations' order by 1`,
      )
    ).rows;
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of tables) {
      const [r] = (
        await c.query<{ rows: number; md5: string }>(
          `select count(*)::int as rows, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as md5 from "${name}" x`,
        )
      ).rows;
      out[name] = r!;
    }
    return out;
  });
}

/** Changes one byte in the middle of a file (its size stays). */
function flipByte(file: string): void {
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1] ^= 0x01;
  writeFileSync(file, bytes);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

beforeAll(async () => {
  t = await startTestApp({ env: { SESSION_SECRET: sessionSecret } });
  [{ code }] = await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign order by id limit 1');

  // An evidence file through the upload route, by the commune's officer.
  canbo = new Browser(t.app);
  await canbo.signIn('canbo');
  const token = csrfToken((await canbo.get('/unit')).body);
  const boundary = `----cchc${randomBytes(6).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field('documentNumber', '12/KH-UBND') +
        field('documentDate', '03/02/2024') +
        field('issuer', 'UBND xã Trực Thanh'),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Ảnh hiện trường.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(unit, code, '1.1.1', { _csrf: token }),
    headers: { cookie: canbo.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  expect(res.statusCode).toBe(303);
  [{ id: evidenceId }] = await t.orm.em.fork().execute<{ id: number }[]>('select max(id) as id from evidence_file');

  // Scores, two submitted units with their appraisals, the chair's approval and a publication.
  await submitUnitBySql(t.orm, unit);
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  const em = t.orm.em.fork();
  await em.execute(`update appraisal set state = 'accepted', appraised_score = cs.self_score, appraiser_id = (select id from app_user where username = 'thamdinh')
                      from criterion_score cs where cs.id = appraisal.criterion_score_id`);
  await em.execute(
    `update campaign set state = 'approved', approval_decision = '15/QĐ-UBND', approval_date = '2027-01-10', approved_at = now(),
                           approved_by_id = (select id from app_user where username = 'chutich') where code = ?`,
    [code],
  );
  const [{ id: adminId }] = await em.execute<{ id: number }[]>(`select id from app_user where username = 'admin'`);
  const published = await publishCampaign(t.orm.em.fork(), adminId, code);
  expect(published.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (t) {
    await onServer(withDatabase(t.databaseUrl, 'postgres'), async (c) => {
      for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
    });
    rmSync(t.app.config.DATA_DIR, { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  let restoredUrl: string;
  let restoredDataDir: string;

  it('backs up every table and the evidence, and restores them into an empty database: the same rows, the same bytes', {
    timeout: 180_000,
  }, async () => {
    const backup = await cli(['backup', backupDir], { DATABASE_URL: t.databaseUrl, DATA_DIR: t.app.config.DATA_DIR });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backed up \d+ tables \(\d+ rows\) and 1 evidence files/);
    expect(backup.stderr).toContain('database: criterion_score');

    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    const source = await tableDigests(t.databaseUrl);
    const names = manifest.tables.map((x) => x.name);
    expect([...names].sort()).toEqual(Object.keys(source));
    // Foreign-key order: a referenced table comes before the tables that refer to it.
    expect(names.indexOf('app_user')).toBeLessThan(names.indexOf('user_session'));
    expect(names.indexOf('criterion_score')).toBeLessThan(names.indexOf('appraisal'));
    expect(names.indexOf('publication')).toBeLessThan(names.indexOf('published_result'));
    for (const entry of manifest.tables) {
      expect(entry.rows, entry.name).toBe(source[entry.name]!.rows);
      expect(sha(readFileSync(path.join(backupDir, 'db', `${entry.name}.copy`))), entry.name).toBe(entry.sha256);
    }
    expect(manifest.migrations).toEqual(
      (await query<{ name: string }>(t.databaseUrl, 'select name from mikro_orm_migrations order by id')).map(
        (r) => r.name,
      ),
    );
    expect(manifest.evidence).toEqual([{ sha256: sha(png), size: png.length }]);
    expect(
      readFileSync(path.join(backupDir, 'evidence', sha(png).slice(0, 2), sha(png).slice(2, 4), sha(png))),
    ).toEqual(png);
    expect(source.publication!.rows).toBe(1);
    expect(source.published_result!.rows).toBeGreaterThan(0);
    expect(source.appraisal!.rows).toBeGreaterThan(0);

    restoredUrl = await emptyDatabase();
    restoredDataDir = mkdtempSync(path.join(work, 'restored-'));
    const restore = await cli(['restore', backupDir], { DATABASE_URL: restoredUrl, DATA_DIR: restoredDataDir });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toContain('applied migrations:');

    expect(await tableDigests(restoredUrl)).toEqual(source);
    expect(
      (await query<{ name: string }>(restoredUrl, 'select name from mikro_orm_migrations order by id')).map(
        (r) => r.name,
      ),
    ).toEqual(manifest.migrations);
    const stored = path.join(restoredDataDir, 'evidence', sha(png).slice(0, 2), sha(png).slice(2, 4), sha(png));
    expect(sha(readFileSync(stored))).toBe(sha(png));
    expect(filesUnder(path.join(restoredDataDir, 'evidence'))).toEqual([stored]);
    // Every serial sequence continues after the restored rows.
    await onServer(restoredUrl, async (c) => {
      let checked = 0;
      for (const table of Object.keys(source)) {
        const [{ seq }] = (
          await c
            .query(`select pg_get_serial_sequence($1, 'id') as seq`, [table])
            .catch(() => ({ rows: [{ seq: null }] }))
        ).rows;
        if (!seq) continue;
        const [{ last }] = (await c.query(`select last_value as last from ${seq}`)).rows;
        const [{ top }] = (await c.query(`select coalesce(max(id), 0) as top from "${table}"`)).rows;
        expect(Number(last), table).toBeGreaterThanOrEqual(Number(top));
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    });
  });

  it('keeps the append-only guards, the sessions and the sign-ins on the restored database', {
    timeout: 60_000,
  }, async () => {
    await expect(query(restoredUrl, 'update published_result set index = 0')).rejects.toThrow(/append-only/);
    await expect(query(restoredUrl, 'delete from publication')).rejects.toThrow(/append-only/);
    await expect(query(restoredUrl, 'truncate audit_event')).rejects.toThrow(/append-only/);

    const orm = await openOrm(restoredUrl, { poolMax: 3 });
    let app: FastifyInstance | null = null;
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: restoredDataDir,
        DATABASE_URL: restoredUrl,
        LOG_LEVEL: 'silent',
        SESSION_SECRET: sessionSecret,
      });
      app = await buildApp({ config, orm, logger: false });
      await app.ready();
      // The officer's session from before the backup still opens the unit, and the evidence file answers with its bytes.
      const before = new Browser(app);
      before.cookies = new Map(canbo.cookies);
      expect((await before.get('/unit')).statusCode).toBe(200);
      const file = await before.get(paths.unit.evidence(unit, code, evidenceId));
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload).toEqual(png);
      // A new sign-in with the restored password hash, which also writes new rows (sequences set).
      const fresh = await Browser.signedIn(app, 'canbo');
      expect((await fresh.get('/unit')).statusCode).toBe(200);
      const admin = await Browser.signedIn(app, 'admin');
      expect((await admin.get(paths.admin.campaign(code))).statusCode).toBe(200);
      await orm.em
        .fork()
        .execute(
          `insert into audit_event (at, action, entity_type, entity_id) values (now(), 'test.after-restore', 'Test', '1')`,
        );
    } finally {
      await app?.close();
      await orm.close();
    }
  });

  it('refuses a changed evidence copy, naming it, and keeps nothing', { timeout: 60_000 }, async () => {
    const dir = path.join(work, 'tampered-evidence');
    cpSync(backupDir, dir, { recursive: true });
    const relative = `evidence/${sha(png).slice(0, 2)}/${sha(png).slice(2, 4)}/${sha(png)}`;
    flipByte(path.join(dir, relative));
    const url = await emptyDatabase();
    const dataDir = mkdtempSync(path.join(work, 'refused-'));
    const run = await cli(['restore', dir], { DATABASE_URL: url, DATA_DIR: dataDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(relative);
    expect(run.stderr).toMatch(/does not match the manifest/);
    expect((await query(url, 'select count(*)::int as n from app_user'))[0]!.n).toBe(0);
    expect((await query(url, 'select count(*)::int as n from criterion_score'))[0]!.n).toBe(0);
    expect(filesUnder(path.join(dataDir, 'evidence'))).toEqual([]);
  });

  it('refuses a changed table file, naming it, before it touches the database', { timeout: 60_000 }, async () => {
    const dir = path.join(work, 'tampered-table');
    cpSync(backupDir, dir, { recursive: true });
    flipByte(path.join(dir, 'db', 'unit.copy'));
    const url = await emptyDatabase();
    const run = await cli(['restore', dir], { DATABASE_URL: url, DATA_DIR: mkdtempSync(path.join(work, 'refused-')) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('db/unit.copy');
    expect((await query(url, `select to_regclass('app_user') is null as none`))[0]!.none).toBe(true);
  });

  it('refuses a database that has data, and a backup whose migrations the code does not know', {
    timeout: 60_000,
  }, async () => {
    const into = await cli(['restore', backupDir], {
      DATABASE_URL: t.databaseUrl,
      DATA_DIR: mkdtempSync(path.join(work, 'refused-')),
    });
    expect(into.status).toBe(1);
    expect(into.stderr).toMatch(/not empty \(table app_user has rows\)/);
    // restoring twice into the same database is the same refusal
    const again = await cli(['restore', backupDir], { DATABASE_URL: restoredUrl, DATA_DIR: restoredDataDir });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/not empty/);

    const dir = path.join(work, 'future');
    cpSync(backupDir, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    manifest.migrations.push('Migration29991231000000_future');
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const url = await emptyDatabase();
    const future = await cli(['restore', dir], {
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(path.join(work, 'refused-')),
    });
    expect(future.status).toBe(1);
    expect(future.stderr).toContain('Migration29991231000000_future');
    expect((await query(url, `select to_regclass('app_user') is null as none`))[0]!.none).toBe(true);

    expect(
      (await cli(['backup', backupDir], { DATABASE_URL: t.databaseUrl, DATA_DIR: t.app.config.DATA_DIR })).stderr,
    ).toMatch(/not empty/);
  });
});
