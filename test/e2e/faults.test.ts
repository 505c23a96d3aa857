import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server.ts';
import { freePort } from '../../src/db/embedded.ts';

// Faults met by a real `node src/server.ts` on the embedded PostgreSQL in a fresh DATA_DIR: clients too slow to be
// served, the database killed (and back, or not), SIGTERM in the middle of an upload. Timeouts are short here.

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-faults-'));
chmodSync(dataDir, 0o755);
const pgVersion = path.join(dataDir, 'postgres', 'PG_VERSION');
const tempDir = path.join(dataDir, 'evidence', 'tmp');
const graceSeconds = 2;
let port: number;
let base: string;
let server: ServerProcess | null = null;

async function start(): Promise<void> {
  server = await startServer({
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    HTTP_HEADERS_TIMEOUT_SECONDS: '2',
    HTTP_IDLE_TIMEOUT_SECONDS: '3',
    HTTP_REQUEST_TIMEOUT_SECONDS: '4',
    SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    DATABASE_RESTART_TRIES: '3',
  });
}

/** The server's log lines (pino's JSON) with this message. */
const logged = (msg: string) =>
  server!
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.msg.includes(msg));

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}:\n${server?.output().slice(-3000)}`);
}

const postmasterPid = () =>
  Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** A query on the embedded PostgreSQL, as its owner (port from postmaster.pid). */
async function sql<T extends pg.QueryResultRow = Record<string, any>>(text: string): Promise<T[]> {
  const pgPort = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password, database: 'cchc' });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Signs in as `username` and returns the cookies a browser would send. */
async function signIn(username: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const cookies = form.headers.getSetCookie().map((c) => c.split(';')[0]);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, username, password: 'demo-cchc-2024' }),
  });
  expect(res.status).toBe(303);
  return withCookies(cookies.join('; '), res);
}

/** `cookies` updated by a response's Set-Cookie, as a browser would: a new value replaces the old, an empty one removes it. */
function withCookies(cookies: string, res: Response): string {
  const jar = new Map(
    cookies
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]),
  );
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0]!;
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** A raw connection to the server that keeps what it is sent and notes when the server closes it. */
function rawClient(): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => {
      received += d;
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

/** Waits for the server to close `closed`'s connection: it must, long before the test's own limit. */
async function closedByServer(client: { closed: Promise<void> }): Promise<void> {
  const outcome = await Promise.race([client.closed.then(() => 'closed'), sleep(30_000).then(() => 'still open')]);
  expect(outcome).toBe('closed');
}

beforeAll(async () => {
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await start();
}, 180_000);

afterAll(async () => {
  const child = server?.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await Promise.race([server!.exited, sleep(20_000)]);
  }
  // A failed test may leave the embedded PostgreSQL running: stop it.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(postmasterPid(), 'SIGINT');
      for (let i = 0; i < 100 && existsSync(pidFile); i++) await sleep(100);
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('slow clients', () => {
  it('a client that sends nothing after the headers is cut off after the idle timeout', async () => {
    const client = await rawClient();
    client.socket.write(
      `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`,
    );
    await closedByServer(client);
    expect(client.received()).toBe('');
  });

  it('a sign-in body sent one byte at a time gets a 408 once the whole request has taken too long', async () => {
    const client = await rawClient();
    client.socket.write(
      `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`,
    );
    let open = true;
    void client.closed.then(() => {
      open = false;
    });
    // A byte every half second: never idle for long, but the request never ends.
    for (let i = 0; i < 60 && open; i++) {
      client.socket.write('u');
      await sleep(500);
    }
    await closedByServer(client);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('headers sent one byte at a time get a 408 once the headers have taken too long', async () => {
    const client = await rawClient();
    let open = true;
    void client.closed.then(() => {
      open = false;
    });
    const head = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}`;
    for (let i = 0; i < head.length && open; i++) {
      client.socket.write(head[i]!);
      await sleep(100);
    }
    await closedByServer(client);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('the portal answers as usual meanwhile', async () => {
    expect((await fetch(`${base}/sign-in`)).status).toBe(200);
  });
});

describe('the embedded PostgreSQL killed', () => {
  it('is noticed, logged as an error and restarted; cached public pages are served meanwhile, other pages say 503', {
    timeout: 120_000,
  }, async () => {
    const session = await signIn('canbo');
    expect((await fetch(`${base}/unit`, { headers: { cookie: session } })).status).toBe(200);
    const [{ code }] = await sql<{ code: string }>(
      'select c.code from campaign c where not c.practice and exists (select 1 from publication p where p.campaign_id = c.id) limit 1',
    );
    const published = `${base}/campaigns/${code}`;
    const first = await fetch(published);
    expect(first.status).toBe(200);
    const page = await first.text();
    const etag = first.headers.get('etag')!;

    // Its restarts fail until the test puts the data folder right: the database stays away as long as the test needs.
    const version = readFileSync(pgVersion, 'utf8');
    writeFileSync(pgVersion, '7.4\n');
    process.kill(postmasterPid(), 'SIGKILL');
    await until('the error in the log', () => logged('the embedded PostgreSQL stopped unexpectedly').length > 0);
    expect(logged('the embedded PostgreSQL stopped unexpectedly').map((l) => l.level)).toEqual([50]);

    const cached = await fetch(published);
    expect(cached.status).toBe(200);
    expect(await cached.text()).toBe(page);
    expect((await fetch(published, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const signedIn = await fetch(`${base}/unit`, { headers: { cookie: session } });
    expect(signedIn.status).toBe(503);
    expect(await signedIn.text()).toContain('Cơ sở dữ liệu đang khởi động lại');
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(503);

    // The first start after the back-off has failed (on the data folder); then the folder is put right.
    await until('a failed restart', () => logged('the embedded PostgreSQL did not restart').length > 0);
    writeFileSync(pgVersion, version);
    await until(
      'the portal to answer signed-in pages again',
      async () => (await fetch(`${base}/unit`, { headers: { cookie: session } })).status === 200,
    );
    // The log line comes through the child's stdout, which may trail the first answer under load.
    await until('the restart in the log', () => logged('the embedded PostgreSQL is running again').length > 0);
    expect(logged('the embedded PostgreSQL is running again')).toHaveLength(1);
    expect(readFileSync(path.join(dataDir, 'postgres.log'), 'utf8')).toContain(
      'database files are incompatible with server',
    );
    expect(server!.child.exitCode).toBeNull();
  });

  it('when it cannot come back, the server exits non-zero', { timeout: 120_000 }, async () => {
    const version = readFileSync(pgVersion, 'utf8');
    writeFileSync(pgVersion, '7.4\n');
    try {
      process.kill(postmasterPid(), 'SIGKILL');
      const outcome = await Promise.race([server!.exited, sleep(60_000).then(() => 'still running')]);
      expect(outcome).toBe(1);
      expect(logged('the embedded PostgreSQL could not be restarted; exiting').map((l) => l.level)).toEqual([60]);
    } finally {
      writeFileSync(pgVersion, version);
    }
  });
});

describe('SIGTERM', () => {
  it('during a slow upload: exits 0 once the grace has passed, the half-written upload removed', {
    timeout: 120_000,
  }, async () => {
    await start();
    const session = await signIn('canbo');
    const unit = await fetch(`${base}/unit`, { headers: { cookie: session } });
    const cookies = withCookies(session, unit);
    const token = /name="_csrf" value="([^"]+)"/.exec(await unit.text())![1]!;
    const [{ code }] = await sql<{ code: string }>(
      `select code from campaign where state = 'self-assessment' order by id limit 1`,
    );
    const boundary = `----cchc${randomBytes(6).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bien-ban.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const fileSize = 8 * 1024 * 1024;
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const client = await rawClient();
    client.socket.write(
      `POST /unit/xa-song-may/campaigns/${code}/criteria/1.1.1/evidence?_csrf=${encodeURIComponent(token)} HTTP/1.1\r\n` +
        `Host: 127.0.0.1:${port}\r\nCookie: ${cookies}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + fileSize + tail.length}\r\n\r\n`,
    );
    client.socket.write(head);
    // 16 KB every 100 ms, about 160 KB/s: the 8 MB would take close to a minute.
    let sending = true;
    void client.closed.then(() => {
      sending = false;
    });
    const sender = (async () => {
      for (let sent = 0; sent < fileSize && sending; sent += 16 * 1024) {
        client.socket.write(randomBytes(16 * 1024));
        await sleep(100);
      }
    })();
    const temps = () => (existsSync(tempDir) ? readdirSync(tempDir) : []);
    await until("the upload's temporary file", () => temps().some((f) => statSync(path.join(tempDir, f)).size > 0));

    server!.child.kill('SIGTERM');
    // It stops taking connections at once, while the upload goes on for the grace period.
    await until('new connections to be refused', async () => {
      try {
        await fetch(`${base}/sign-in`);
        return false;
      } catch {
        return true;
      }
    });
    expect(sending).toBe(true);
    const outcome = await Promise.race([server!.exited, sleep((graceSeconds + 20) * 1000).then(() => 'still running')]);
    expect(outcome).toBe(0);
    await sender;
    expect(sending).toBe(false);
    expect(temps()).toEqual([]);
    // A clean stop: the connection cut off is the only warning; the upload's handler finished before the pools closed.
    const lines = server!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    const after = lines.slice(lines.findIndex((l) => l.msg === 'shutting down'));
    expect(after.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
      'closing the connections of requests still under way',
    ]);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'PostgreSQL stopped cleanly').toBe(false);
  });
});
