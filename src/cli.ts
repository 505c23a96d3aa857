// `npm run cli -- <command>`: work on the configured database from the command line.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from './config.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrate, migrationsPath, ormConfig } from './db/orm.ts';
import { createFirstAdmin, firstAdminForm } from './features/auth/accounts.ts';
import { backupTo, restoreFrom } from './features/backup.ts';
import { localEvidenceStore } from './features/evidence/store.ts';
import { findPublication, publicationFile, type OpenDataFormat } from './features/publication/stored.ts';
import { publishCampaign } from './features/publication/publish.ts';
import { exportWorkbook, formatIssue, importWorkbook, type LimitExceeded } from './features/workbook/index.ts';
import type { Message } from './domain/message.ts';
import { translateMessage } from './http/forms.ts';
import { translator } from './i18n/catalog.ts';
import { limitMessage } from './http/uploads.ts';

const usage = `Usage: npm run cli -- <command>
  migrate                                 apply the committed migrations
  import-workbook FILE.xlsx [--publish]   import a campaign workbook (docs/workbook.md); all or nothing
  export-workbook CODE --out FILE.xlsx    write a campaign's workbook
  export-results CODE [--format json|csv|xlsx] [--out FILE]
                                          the newest published results (docs/open-data.md); stdout without --out
  backup DIR                              the database and the evidence files into DIR (new or empty), with SHA-256s
  restore DIR                             a backup into an empty database and DATA_DIR/evidence, everything checked
  create-admin USERNAME [--name "FULL NAME"]
                                          the first secretariat account; the password is asked for (or read from
                                          stdin's first line when it is not a terminal); refused once one exists

Without DATABASE_URL the commands work on the embedded PostgreSQL under DATA_DIR (started if the portal is not
running) and apply the committed migrations first, as \`npm start\` does. With DATABASE_URL they need a database
already migrated with \`npm run cli -- migrate\`.`;

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<number>> = {
  async migrate() {
    const { orm, close } = await connect({ schema: 'as-is' });
    try {
      const applied = await migrate(orm);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await close();
    }
  },

  async 'import-workbook'(args) {
    const publish = args.includes('--publish');
    const [file, ...extra] = args.filter((arg) => arg !== '--publish');
    if (!file || extra.length > 0) return usageError();
    // The same bounds as the upload form: the size first, the rest while reading.
    const overLimit = (limit: LimitExceeded) => {
      console.error(limitMessage(translator('vi'), 'vi', limit));
      console.error(limitMessage(translator('en'), 'en', limit));
      return 1;
    };
    const maxBytes = loadConfig().workbookMaxBytes;
    if ((await stat(file)).size > maxBytes) return overLimit({ kind: 'size', limit: maxBytes, sheet: null, row: null });
    const data = await readFile(file);
    const progress = progressPrinter();
    const { orm, close } = await connect();
    try {
      // Import and publication commit together or not at all.
      const em = orm.em.fork();
      let published: { version: number; sha256: string } | null = null;
      let publishError: string | null = null;
      const result = await em
        .transactional(async (tx) => {
          const imported = await importWorkbook(tx, data, { actorId: null, progress });
          if (!imported.ok || !publish) return imported;
          if (imported.summary.state !== 'council-review') {
            publishError = 'The workbook carries no results (sheets scores or components) to publish.';
            throw new Error(publishError);
          }
          const outcome = await publishCampaign(tx, null, imported.summary.code, { imported: true, progress });
          if (!outcome.ok) {
            publishError = Object.values(outcome.errors)
              .map((m) => translateMessage(translator('en'), m))
              .join('; ');
            throw new Error(publishError);
          }
          published = outcome.value;
          return imported;
        })
        .catch((err: unknown) => {
          if (publishError) return null;
          throw err;
        });
      if (!result) {
        console.error(`${publishError} Nothing was imported.`);
        return 1;
      }
      if (!result.ok && result.limit) return overLimit(result.limit);
      // Each issue in Vietnamese, then in English, as the limit messages are.
      for (const warning of result.warnings)
        console.error(`warning: ${formatIssue(warning, 'vi')}\nwarning: ${formatIssue(warning, 'en')}`);
      if (!result.ok) {
        for (const error of result.errors) console.error(`${formatIssue(error, 'vi')}\n${formatIssue(error, 'en')}`);
        console.error(`Nothing was imported: ${result.errors.length} error(s).`);
        return 1;
      }
      const s = result.summary;
      console.log(`Imported campaign ${s.code} (state ${s.state}):`);
      console.log(`  agencies: ${s.agencies.created} new, ${s.agencies.updated} updated`);
      console.log(`  units: ${s.units.created} new, ${s.units.updated} updated`);
      console.log(
        `  criteria: ${s.criteria}, scores: ${s.scores}, survey results: ${s.survey}, component points: ${s.components}`,
      );
      const p = published as { version: number; sha256: string } | null;
      if (p) console.log(`Published version ${p.version} as an imported past result; results.json SHA-256 ${p.sha256}`);
      return 0;
    } finally {
      await close();
    }
  },

  async 'export-workbook'(args) {
    const at = args.indexOf('--out');
    const out = at >= 0 ? args[at + 1] : undefined;
    const rest = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
    if (!out || rest.length !== 1) return usageError();
    const { orm, close } = await connect();
    try {
      const workbook = await exportWorkbook(orm.em.fork(), rest[0]!);
      if (!workbook) {
        console.error(`No campaign with code ${rest[0]}.`);
        return 1;
      }
      await writeFile(out, workbook);
      console.log(`Wrote ${out}`);
      return 0;
    } finally {
      await close();
    }
  },

  async 'export-results'(args) {
    const option = (name: string) => {
      const at = args.indexOf(name);
      return at >= 0 ? args[at + 1] : undefined;
    };
    const format = (option('--format') ?? 'json') as OpenDataFormat;
    const out = option('--out');
    const rest = args.filter((arg, i) => !arg.startsWith('--') && !['--format', '--out'].includes(args[i - 1] ?? ''));
    if (rest.length !== 1 || !['json', 'csv', 'xlsx'].includes(format)) return usageError();
    const { orm, close } = await connect();
    try {
      const publication = await findPublication(orm.em.fork(), rest[0]!);
      if (!publication) {
        console.error(`No published results for campaign ${rest[0]}.`);
        return 1;
      }
      const data = await publicationFile(orm.em.fork(), publication.id, format);
      if (out) {
        await writeFile(out, data);
        console.error(`Wrote ${out} (version ${publication.version})`);
      } else {
        process.stdout.write(data);
      }
      return 0;
    } finally {
      await close();
    }
  },

  async 'create-admin'(args) {
    const at = args.indexOf('--name');
    const fullName = at >= 0 ? args[at + 1] : undefined;
    const rest = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
    if (rest.length !== 1 || (at >= 0 && !fullName)) return usageError();
    const password = await readPassword();
    const form = firstAdminForm.safeParse({
      username: rest[0],
      fullName: fullName ?? rest[0],
      password: password.value,
      repeat: password.repeat ?? password.value,
    });
    const say = (message: Message) => translateMessage(translator('en'), message);
    if (!form.success) {
      for (const issue of form.error.issues) console.error(`${String(issue.path[0])}: ${say(issue.message)}`);
      return 1;
    }
    const { orm, close } = await connect();
    try {
      const result = await createFirstAdmin(orm.em, form.data, 'command line');
      if (result === 'admin-exists' || result === 'token-unusable') {
        console.error(
          'A secretariat account exists already: the secretariat creates further accounts at /admin/users.',
        );
        return 1;
      }
      if (!result.ok) {
        for (const [field, key] of Object.entries(result.errors)) console.error(`${field}: ${say(key)}`);
        return 1;
      }
      console.log(`Created the secretariat account ${result.value.username}; sign in with it at /sign-in.`);
      return 0;
    } finally {
      await close();
    }
  },

  async backup(args) {
    if (args.length !== 1) return usageError();
    const { config, url, stop } = await database();
    try {
      const s = await backupTo(args[0]!, {
        databaseUrl: url,
        store: localEvidenceStore(config.DATA_DIR),
        log: (line) => console.error(line),
      });
      console.log(
        `Backed up ${s.tables} tables (${s.rows} rows) and ${s.evidenceFiles} evidence files (${megabytes(s.evidenceBytes)} MB) into ${args[0]}`,
      );
      if (s.missingEvidence.length)
        console.error(
          `warning: ${s.missingEvidence.length} evidence file(s) named by rows were missing from the store; see manifest.json`,
        );
      return 0;
    } finally {
      await stop();
    }
  },

  async restore(args) {
    if (args.length !== 1) return usageError();
    const { config, url, stop } = await database();
    try {
      const s = await restoreFrom(args[0]!, {
        databaseUrl: url,
        store: localEvidenceStore(config.DATA_DIR),
        log: (line) => console.error(line),
      });
      console.log(`Restored ${s.tables} tables (${s.rows} rows) and ${s.evidenceFiles} evidence files from ${args[0]}`);
      return 0;
    } finally {
      await stop();
    }
  },
};

/**
 * A password from a person at a terminal (asked twice, not echoed), or the first line of stdin otherwise
 * (a script: `printf '%s\n' "$PASSWORD" | npm run cli -- create-admin …`).
 */
async function readPassword(): Promise<{ value: string; repeat?: string }> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { value: Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '' };
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      process.stderr.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let typed = '';
      const onData = (data: Buffer) => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            stdin.setRawMode(false);
            stdin.pause();
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (ch === '\u0003') {
            stdin.setRawMode(false);
            reject(new Error('Cancelled.'));
            return;
          }
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  const value = await ask('Password: ');
  return { value, repeat: await ask('Repeat the password: ') };
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function usageError(): number {
  console.error(usage);
  return 1;
}

/**
 * The configured database, or the embedded one under DATA_DIR: the portal's own when it is running (used as it is, so
 * that a backup taken while the portal serves does not stop its database), otherwise started here and stopped by `stop`.
 */
async function database() {
  const config = loadConfig();
  const dir = path.join(config.DATA_DIR, 'postgres');
  const running = config.DATABASE_URL ? null : runningEmbedded(dir);
  const embedded = config.DATABASE_URL || running ? null : await startEmbeddedPostgres({ dir, database: 'cchc' });
  return {
    config,
    url: config.DATABASE_URL ?? running ?? embedded!.url,
    stop: async () => {
      await embedded?.stop();
    },
  };
}

/** The URL of the embedded PostgreSQL running on `dir` (its postmaster.pid names a live process and its port), if any. */
function runningEmbedded(dir: string): string | null {
  try {
    const [pid, , , port] = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
    process.kill(Number(pid), 0);
    if (!readFileSync(`/proc/${Number(pid)}/cmdline`, 'utf8').includes(path.resolve(dir))) return null;
    const password = readFileSync(`${dir}.password`, 'utf8').trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/cchc`;
  } catch {
    return null;
  }
}

/**
 * The database, opened with its schema current: the embedded one is migrated here, as `npm start` does, so that a
 * command works on a new data folder; an external one (DATABASE_URL) is only checked, and a missing or older schema
 * stops the command with one line naming the migrate command (migrating a shared database is the operator's step).
 */
async function connect(opts: { schema: 'current' | 'as-is' } = { schema: 'current' }) {
  const { config, url, stop } = await database();
  // The migrator's lines ("Applied '…'") go to stderr: stdout may be the data itself (export-results > file).
  const orm = await MikroORM.init({ ...ormConfig(url), logger: (line: string) => console.error(line), colors: false });
  const close = async () => {
    await orm.close();
    await stop();
  };
  try {
    if (opts.schema === 'current' && !config.DATABASE_URL) {
      await migrate(orm);
    } else if (opts.schema === 'current') {
      const state = await schemaState(orm);
      if (state.pending.length) throw new SchemaNotCurrent(state);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { orm, close };
}

/** Stops a command on an external database whose schema is missing or older than this code's: one line, no trace. */
class SchemaNotCurrent extends Error {
  constructor({ applied, pending }: { applied: number; pending: string[] }) {
    const named = pending.length > 3 ? `${pending.slice(0, 3).join(', ')}, …` : pending.join(', ');
    super(
      applied === 0
        ? 'The database at DATABASE_URL has no schema yet: run `npm run cli -- migrate` first.'
        : `The database at DATABASE_URL lacks ${pending.length} migration(s) of this version (${named}): run \`npm run cli -- migrate\` first.`,
    );
  }
}

/** How many migrations the database has applied, and which committed ones it lacks. Reads only (the migrator would create its table). */
async function schemaState(orm: MikroORM): Promise<{ applied: number; pending: string[] }> {
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<{ found: boolean }[]>(
    `select to_regclass('mikro_orm_migrations') is not null as found`,
  );
  const applied = new Set(
    table!.found
      ? (await connection.execute<{ name: string }[]>('select name from mikro_orm_migrations')).map((row) => row.name)
      : [],
  );
  // The names the migrator records: the file names without `.ts`.
  const committed = (await readdir(migrationsPath))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => file.slice(0, -3));
  return { applied: applied.size, pending: committed.filter((name) => !applied.has(name)) };
}

/** Long steps say where they are on stderr, as "… step (12.3 s)", so that a national import is not a silent minute. */
function progressPrinter(): (step: string) => void {
  const started = performance.now();
  return (step) => console.error(`… ${step} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(usage);
  process.exit(command ? 1 : 0);
}
try {
  process.exit(await run(args));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
