// `backup DIR` and `restore DIR`: the database and the evidence files together, every file checked by SHA-256.
//
// DIR/manifest.json      what the backup holds: migrations, per table its columns, rows and the SHA-256 of its file,
//                        per evidence file its SHA-256 and size, the serial sequences' positions, when it was made
// DIR/db/<table>.copy    the table in PostgreSQL's COPY text format, ordered by primary key (no pg_dump needed)
// DIR/evidence/ab/cd/<sha256>   a copy of every evidence file a row names, laid out as in DATA_DIR/evidence
//
// The manifest is written last: a folder without one is an unfinished backup, and restore refuses it.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationsPath, ormConfig } from '../db/orm.ts';
import { appendOnlyTables } from '../db/roles.ts';
import type { EvidenceStore } from './evidence/store.ts';

/** MikroORM's own table of applied migrations: not application data, the migrator fills it. */
const migrationsTable = 'mikro_orm_migrations';
const identifier = /^[a-z_][a-z0-9_$]*$/;
const sha256Hex = /^[0-9a-f]{64}$/;

const manifestSchema = z.object({
  format: z.literal('cchc-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  migrations: z.array(z.string().regex(/^[\w.-]+$/)).min(1),
  tables: z.array(
    z.object({
      name: z.string().regex(identifier),
      columns: z.array(z.string().regex(identifier)).min(1),
      rows: z.number().int().min(0),
      bytes: z.number().int().min(0),
      sha256: z.string().regex(sha256Hex),
    }),
  ),
  sequences: z.array(
    z.object({
      sequence: z.string().regex(identifier),
      table: z.string().regex(identifier),
      column: z.string().regex(identifier),
      /** Where the sequence stood (null: never used); a restore never sets it lower, so no id is handed out twice. */
      lastValue: z
        .string()
        .regex(/^-?\d+$/)
        .nullable(),
    }),
  ),
  evidence: z.array(z.object({ sha256: z.string().regex(sha256Hex), size: z.number().int().min(0) })),
  /** Files that rows name but that were not in the store when the backup was made. */
  missingEvidence: z.array(z.string().regex(sha256Hex)),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export interface BackupOptions {
  databaseUrl: string;
  store: EvidenceStore;
  /** Progress lines (the command line prints them on stderr). */
  log?: (line: string) => void;
}

export interface BackupSummary {
  tables: number;
  rows: number;
  evidenceFiles: number;
  evidenceBytes: number;
  missingEvidence: string[];
}

/** Where a table's data and an evidence file live inside a backup folder (relative, `/`-separated: used in messages). */
export const tableFile = (table: string) => `db/${table}.copy`;
export const evidenceFile = (sha256: string) => `evidence/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

/**
 * Writes a backup into `dir` (new or empty): every application table read in one REPEATABLE READ transaction, so that
 * the tables agree with each other and with the evidence list, then the evidence files that the snapshot's rows name.
 */
export async function backupTo(dir: string, opts: BackupOptions): Promise<BackupSummary> {
  const log = opts.log ?? (() => {});
  await ensureEmptyDir(dir);
  const client = await connectClient(opts.databaseUrl);
  let written = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    await setCopySettings(client);
    // The transaction's start: the moment the snapshot shows.
    const [{ at }] = (await client.query<{ at: Date }>('select now() as at')).rows;
    const migrations = (
      await client.query<{ name: string }>(`select name from ${pg.escapeIdentifier(migrationsTable)} order by id`)
    ).rows.map((r) => r.name);
    if (!migrations.length) throw new Error('The database has no migrations applied: there is nothing to back up.');
    const { tables, sequences } = await readCatalog(client);
    written = true;

    await mkdir(path.join(dir, 'db'), { recursive: true });
    const tableEntries: BackupManifest['tables'] = [];
    for (const t of tables) {
      const order = t.key.length ? ` order by ${t.key.map(pg.escapeIdentifier).join(', ')}` : '';
      const source = client.query(
        copyTo(
          `copy (select ${t.columns.map(pg.escapeIdentifier).join(', ')} from ${pg.escapeIdentifier(t.name)}${order}) to stdout`,
        ),
      );
      const tap = hashing();
      await pipeline(source, tap, createWriteStream(path.join(dir, tableFile(t.name)), { flags: 'wx', flush: true }));
      tableEntries.push({
        name: t.name,
        columns: t.columns,
        rows: source.rowCount,
        bytes: tap.bytes(),
        sha256: tap.digest(),
      });
      log(`database: ${t.name}, ${source.rowCount} rows (${megabytes(tap.bytes())} MB)`);
    }
    const sequenceEntries: BackupManifest['sequences'] = [];
    for (const s of sequences) {
      const [state] = (
        await client.query<{ last_value: string; is_called: boolean }>(
          `select last_value::text, is_called from ${pg.escapeIdentifier(s.sequence)}`,
        )
      ).rows;
      sequenceEntries.push({ ...s, lastValue: state!.is_called ? state!.last_value : null });
    }
    // Removed files keep their rows (history), so their bytes are kept too; so are the on-site checks' minutes.
    const referenced = (
      await client.query<{ sha256: string; size: string }>(
        `select sha256, max(size)::text as size from (
           select sha256, size from evidence_file
           union all select minutes_sha256, minutes_size from onsite_visit where minutes_sha256 is not null) f
          group by sha256 order by sha256`,
      )
    ).rows;
    await client.query('commit');

    const evidence: BackupManifest['evidence'] = [];
    const missingEvidence: string[] = [];
    const progress = progressLog(log, 'evidence', referenced.length);
    let evidenceBytes = 0;
    for (const [i, row] of referenced.entries()) {
      if (!(await opts.store.has(row.sha256))) {
        log(
          `warning: evidence file ${row.sha256} is named by a row but missing from the store; the backup notes it as missing`,
        );
        missingEvidence.push(row.sha256);
        continue;
      }
      const target = path.join(dir, evidenceFile(row.sha256));
      await mkdir(path.dirname(target), { recursive: true });
      const tap = hashing();
      await pipeline(opts.store.open(row.sha256), tap, createWriteStream(target, { flags: 'wx', flush: true }));
      if (tap.digest() !== row.sha256 || tap.bytes() !== Number(row.size)) {
        throw new Error(
          `The stored evidence file ${row.sha256} is damaged: its content has SHA-256 ${tap.digest()} and ${tap.bytes()} bytes ` +
            `(expected ${row.size} bytes). No backup was written.`,
        );
      }
      evidence.push({ sha256: row.sha256, size: tap.bytes() });
      evidenceBytes += tap.bytes();
      progress(i + 1, evidenceBytes);
    }
    progress(referenced.length, evidenceBytes, true);

    const manifest: BackupManifest = {
      format: 'cchc-backup',
      version: 1,
      createdAt: at!.toISOString(),
      migrations,
      tables: tableEntries,
      sequences: sequenceEntries,
      evidence,
      missingEvidence,
    };
    await writeFile(path.join(dir, 'manifest.json.part'), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
    await rename(path.join(dir, 'manifest.json.part'), path.join(dir, 'manifest.json'));
    return {
      tables: tableEntries.length,
      rows: tableEntries.reduce((n, t) => n + t.rows, 0),
      evidenceFiles: evidence.length,
      evidenceBytes,
      missingEvidence,
    };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    // An unfinished backup must not look like one: what this run wrote goes.
    if (written)
      for (const sub of ['db', 'evidence', 'manifest.json.part'])
        await rm(path.join(dir, sub), { recursive: true, force: true });
    throw err;
  } finally {
    await client.end();
  }
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  evidenceFiles: number;
  appliedMigrations: string[];
}

/**
 * Restores a backup into an empty database (no application row at all) and the evidence store: checks the manifest
 * against the code's migrations and every table file against its SHA-256 before anything is written, migrates to
 * exactly the backup's migrations, then loads the tables, copies the evidence files in (each checked again) and sets
 * the sequences in one transaction, which commits only when every row count matches.
 */
export async function restoreFrom(dir: string, opts: BackupOptions): Promise<RestoreSummary> {
  const log = opts.log ?? (() => {});
  const manifest = await readManifest(dir);
  checkMigrationsKnown(manifest.migrations, await codeMigrations());
  for (const t of manifest.tables) {
    const file = tableFile(t.name);
    const found = await hashFile(path.join(dir, file), file);
    if (found.sha256 !== t.sha256 || found.bytes !== t.bytes) throw tampered(file, found.sha256, t.sha256);
  }
  log(`checked ${manifest.tables.length} table files against the manifest`);

  const client = await connectClient(opts.databaseUrl);
  try {
    const executed = await appliedMigrations(client);
    if (executed.some((name, i) => manifest.migrations[i] !== name)) {
      throw new Error(
        `The database's migrations (${executed.join(', ')}) are not a beginning of the backup's (${manifest.migrations.join(', ')}): ` +
          'restore into a new, empty database.',
      );
    }
    await refuseData(
      client,
      (await readCatalog(client)).tables.map((t) => t.name),
    );
    const appliedNow = await migrateTo(opts.databaseUrl, manifest.migrations, executed);
    if (appliedNow.length) log(`applied migrations: ${appliedNow.join(', ')}`);

    const { tables } = await readCatalog(client);
    const known = new Set(tables.map((t) => t.name));
    const absent = manifest.tables.filter((t) => !known.has(t.name)).map((t) => t.name);
    const extra = tables.filter((t) => !manifest.tables.some((m) => m.name === t.name)).map((t) => t.name);
    if (absent.length || extra.length) {
      throw new Error(
        `The backup's tables do not match the schema of its own migrations (not in the database: ${absent.join(', ') || 'none'}; ` +
          `not in the backup: ${extra.join(', ') || 'none'}).`,
      );
    }

    const added: string[] = [];
    await client.query('begin');
    try {
      await setCopySettings(client);
      // Rows the migrations themselves wrote (the list of unit types) are in the backup too: it replaces them.
      for (const t of [...manifest.tables].reverse())
        if (!(appendOnlyTables as readonly string[]).includes(t.name))
          await client.query(`delete from ${pg.escapeIdentifier(t.name)}`);
      let rows = 0;
      for (const t of manifest.tables) {
        const file = tableFile(t.name);
        const tap = hashing();
        const sink = client.query(
          copyFrom(`copy ${pg.escapeIdentifier(t.name)} (${t.columns.map(pg.escapeIdentifier).join(', ')}) from stdin`),
        );
        try {
          await pipeline(createReadStream(path.join(dir, file)), tap, sink);
        } catch (err) {
          throw new Error(`${file}: PostgreSQL refused its rows: ${err instanceof Error ? err.message : err}`, {
            cause: err,
          });
        }
        if (tap.digest() !== t.sha256) throw tampered(file, tap.digest(), t.sha256);
        if (sink.rowCount !== t.rows)
          throw new Error(`${file}: ${sink.rowCount} rows loaded, the manifest says ${t.rows}.`);
        rows += t.rows;
        log(`database: ${t.name}, ${t.rows} rows`);
      }

      const progress = progressLog(log, 'evidence', manifest.evidence.length);
      let bytes = 0;
      for (const [i, e] of manifest.evidence.entries()) {
        if (await copyEvidenceIn(dir, e, opts.store)) added.push(e.sha256);
        bytes += e.size;
        progress(i + 1, bytes);
      }
      progress(manifest.evidence.length, bytes, true);
      for (const sha256 of manifest.missingEvidence)
        log(`warning: evidence file ${sha256} was already missing when the backup was made`);

      for (const t of manifest.tables) {
        const [{ n }] = (
          await client.query<{ n: string }>(`select count(*)::text as n from ${pg.escapeIdentifier(t.name)}`)
        ).rows;
        if (Number(n) !== t.rows)
          throw new Error(`Table ${t.name} holds ${n} rows after the restore, the manifest says ${t.rows}.`);
      }
      await resetSequences(client, manifest.sequences);
      await client.query('commit');
      await client.query('analyze');
      return {
        tables: manifest.tables.length,
        rows,
        evidenceFiles: manifest.evidence.length,
        appliedMigrations: appliedNow,
      };
    } catch (err) {
      await client.query('rollback').catch(() => {});
      for (const sha256 of added) await opts.store.remove(sha256).catch(() => {});
      throw err;
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface TableInfo {
  name: string;
  columns: string[];
  key: string[];
}
interface SequenceInfo {
  sequence: string;
  table: string;
  column: string;
}

/** The application's tables in foreign-key order (a referenced table before the tables that refer to it). */
async function readCatalog(client: pg.Client): Promise<{ tables: TableInfo[]; sequences: SequenceInfo[] }> {
  const tables = (
    await client.query<TableInfo>(
      `select c.relname::text as name,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum) as columns,
            array(select a.attname::text from pg_index x cross join unnest(x.indkey::int2[]) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
                   where x.indrelid = c.oid and x.indisprimary order by k.i) as key
       from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> $1
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
      [migrationsTable],
    )
  ).rows;
  const references = (
    await client.query<{ from: string; to: string }>(
      `select src.relname::text as "from", dst.relname::text as "to"
       from pg_constraint f join pg_class src on src.oid = f.conrelid join pg_class dst on dst.oid = f.confrelid
      where f.contype = 'f' and src.relnamespace = current_schema()::regnamespace`,
    )
  ).rows;
  const sequences = (
    await client.query<SequenceInfo>(
      `select s.relname::text as sequence, t.relname::text as table, a.attname::text as column
       from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
        and t.relnamespace = current_schema()::regnamespace and t.relname <> $1
      order by t.relname, a.attname`,
      [migrationsTable],
    )
  ).rows;
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new Error(`The foreign keys form a cycle (${[...trail, name].join(' → ')}): no loading order exists.`);
    state.set(name, 'visiting');
    // A table referring to itself (a tree) loads in one COPY: its foreign keys are checked at the statement's end.
    for (const r of references) if (r.from === name && r.to !== name && byName.has(r.to)) visit(r.to, [...trail, name]);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const t of tables) visit(t.name, []);
  return { tables: ordered, sequences };
}

/** COPY's text format depends on these; the same on both sides, whatever the server's defaults. */
async function setCopySettings(client: pg.Client): Promise<void> {
  await client.query(`set local datestyle = 'ISO, YMD'; set local intervalstyle = 'postgres'; set local timezone = 'UTC';
    set local extra_float_digits = 3; set local bytea_output = 'hex'`);
}

async function connectClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const [{ found }] = (
    await client.query<{ found: boolean }>('select to_regclass($1) is not null as found', [
      pg.escapeIdentifier(migrationsTable),
    ])
  ).rows;
  if (!found) return [];
  return (
    await client.query<{ name: string }>(`select name from ${pg.escapeIdentifier(migrationsTable)} order by id`)
  ).rows.map((r) => r.name);
}

/** The committed migrations, in the order the migrator runs them (the names it records: file names without `.ts`). */
async function codeMigrations(): Promise<string[]> {
  return (await readdir(migrationsPath))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => f.slice(0, -3));
}

function checkMigrationsKnown(wanted: string[], known: string[]): void {
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length) {
    throw new Error(
      `The backup was made by a newer version of the portal: this code does not know its migration(s) ${unknown.join(', ')}. ` +
        'Restore with that version or a later one.',
    );
  }
  if (wanted.some((name, i) => known[i] !== name)) {
    throw new Error(
      `The backup's migrations (${wanted.join(', ')}) are not the beginning of this code's (${known.join(', ')}).`,
    );
  }
}

/** Only an empty database is restored into: a row in any application table (a user, a unit, …) refuses it. */
async function refuseData(client: pg.Client, tables: string[]): Promise<void> {
  const first = ['app_user', 'unit'].filter((t) => tables.includes(t));
  for (const table of [...first, ...tables.filter((t) => !first.includes(t))]) {
    const [{ any }] = (
      await client.query<{ any: boolean }>(`select exists (select 1 from ${pg.escapeIdentifier(table)}) as any`)
    ).rows;
    if (any)
      throw new Error(`The database is not empty (table ${table} has rows): restore only into a new, empty database.`);
  }
}

/** Applies the code's migrations up to exactly the backup's last one. */
async function migrateTo(databaseUrl: string, wanted: string[], executed: string[]): Promise<string[]> {
  if (executed.length === wanted.length) return [];
  // An older backup migrates to an older schema: that must not be written over the code's migrations/.snapshot.json.
  const config = ormConfig(databaseUrl, { poolMax: 1 });
  const orm = await MikroORM.init({ ...config, migrations: { ...config.migrations, snapshotOnMigrate: false } });
  try {
    return (await orm.migrator.up({ to: wanted.at(-1)! })).map((m) => m.name);
  } finally {
    await orm.close();
  }
}

async function resetSequences(client: pg.Client, sequences: BackupManifest['sequences']): Promise<void> {
  for (const s of sequences) {
    const [{ top }] = (
      await client.query<{ top: string | null }>(
        `select greatest(max(${pg.escapeIdentifier(s.column)})::bigint, $1::bigint)::text as top from ${pg.escapeIdentifier(s.table)}`,
        [s.lastValue],
      )
    ).rows;
    if (top === null) await client.query('select setval($1::regclass, 1, false)', [pg.escapeIdentifier(s.sequence)]);
    else await client.query('select setval($1::regclass, $2::bigint, true)', [pg.escapeIdentifier(s.sequence), top]);
  }
}

/** Copies one evidence file from the backup into the store, checking its SHA-256 and size; true when the store lacked it. */
async function copyEvidenceIn(
  dir: string,
  e: BackupManifest['evidence'][number],
  store: EvidenceStore,
): Promise<boolean> {
  const file = evidenceFile(e.sha256);
  const temp = await store.tempPath();
  const tap = hashing();
  try {
    await pipeline(
      await openBackupFile(path.join(dir, file), file),
      tap,
      createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
    );
    if (tap.digest() !== e.sha256 || tap.bytes() !== e.size) throw tampered(file, tap.digest(), e.sha256);
    const fresh = !(await store.has(e.sha256));
    await store.put(temp, e.sha256);
    return fresh;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new Error(`${path.join(dir, 'manifest.json')} is missing: ${dir} is not a backup, or an unfinished one.`);
  }
  let parsed: ReturnType<typeof manifestSchema.safeParse>;
  try {
    parsed = manifestSchema.safeParse(JSON.parse(text));
  } catch {
    throw new Error('manifest.json is not valid JSON: the backup is damaged.');
  }
  if (!parsed.success) {
    throw new Error(
      `manifest.json is not a backup manifest this code reads: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

function tampered(file: string, found: string, expected: string): Error {
  return new Error(
    `${file}: SHA-256 ${found} does not match the manifest's ${expected}: the backup is damaged or was changed. Nothing was restored.`,
  );
}

async function hashFile(file: string, name: string): Promise<{ sha256: string; bytes: number }> {
  const tap = hashing();
  await pipeline(await openBackupFile(file, name), tap, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return { sha256: tap.digest(), bytes: tap.bytes() };
}

/** A file of the backup, or an error naming it when it is not there. */
async function openBackupFile(file: string, name: string): Promise<Readable> {
  try {
    await stat(file);
  } catch {
    throw new Error(`${name} is missing from the backup. Nothing was restored.`);
  }
  return createReadStream(file);
}

/** A pass-through stream that hashes and counts what flows through it. */
function hashing(): Transform & { digest(): string; bytes(): number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | null = null;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(tap, { digest: () => (digest ??= hash.digest('hex')), bytes: () => bytes });
}

async function ensureEmptyDir(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a folder.`);
    if ((await readdir(dir)).length) throw new Error(`${dir} is not empty: back up into a new or empty folder.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
  }
}

/** A progress line at most every two seconds, and one at the end (`force`). */
function progressLog(log: (line: string) => void, label: string, total: number) {
  let last = Date.now();
  return (done: number, bytes: number, force = false) => {
    if (!force && Date.now() - last < 2000) return;
    last = Date.now();
    log(`${label}: ${done}/${total} files, ${megabytes(bytes)} MB`);
  };
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
