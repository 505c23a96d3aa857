import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server.ts';
import { freePort } from '../../src/db/embedded.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-restart-'));
chmodSync(dataDir, 0o755);
const children: ChildProcess[] = [];

/** `npm start`'s own command, with the embedded PostgreSQL in a fresh DATA_DIR. */
async function start(port: number): Promise<ServerProcess> {
  const server = await startServer(
    { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    90_000,
  );
  children.push(server.child);
  return server;
}

async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const csrfCookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, username: 'canbo', password: 'demo-cchc-2024' }),
  });
  expect(res.status).toBe(303);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('cchc_session='))!;
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start after kill -9', () => {
  it('comes back up on the same data, with nothing acknowledged lost', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(port);
    expect(first.output()).toContain('A demo province was created');
    const session = await signIn(base);
    expect((await fetch(`${base}/unit`, { headers: { cookie: session }, redirect: 'manual' })).status).toBe(200);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    expect(existsSync(pidFile), 'the orphaned postgres still holds its pid file').toBe(true);
    const orphan = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow();

    const second = await start(port);
    expect(second.output()).not.toContain('A demo province was created');
    const res = await fetch(`${base}/unit`, { headers: { cookie: session }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Chỉ số CCHC các xã, phường, đặc khu');
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
    expect(existsSync(pidFile), 'a clean stop removes the pid file').toBe(false);
  });
});
