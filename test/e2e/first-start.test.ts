import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';
import { freePort } from '../../src/db/embedded.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';

// `npm start` in production on an empty database: no demo, a one-time address for the first secretariat account.

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-first-start-'));
let child: ChildProcess | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A tiny browser over fetch: keeps cookies, reads the CSRF token of a form page. */
function client(base: string) {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
    return res;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    get: async (url: string) => keep(await fetch(base + url, { headers: { cookie: cookie() }, redirect: 'manual' })),
    async post(formPage: string, url: string, form: Record<string, string>) {
      const page = await this.get(formPage);
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      return keep(
        await fetch(base + url, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
          body: new URLSearchParams({ _csrf: token, ...form }),
        }),
      );
    },
  };
}

describe('a production first start on an empty database', () => {
  it('creates no demo and prints a one-time address that makes the first secretariat account', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const server = await startServer({
      NODE_ENV: 'production',
      DATABASE_URL: await freshDatabaseUrl(),
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    child = server.child;
    const out = server.output();
    expect(out).not.toContain('demo');
    expect(out).not.toContain('Demo');
    const address = /http:\/\/127\.0\.0\.1:\d+(\/setup\?token=[A-Za-z0-9_-]+)/.exec(out)?.[1];
    expect(address, out).toBeDefined();
    expect(out).toContain('npm run cli -- create-admin USERNAME');

    const base = `http://127.0.0.1:${port}`;
    const b = client(base);
    expect((await b.post('/sign-in', '/sign-in', { username: 'admin', password: 'demo-cchc-2024' })).status).toBe(422);
    expect((await b.get(address!)).status).toBe(200);
    const token = new URLSearchParams(address!.split('?')[1]).get('token')!;
    const own = 'so noi vu tinh nam dinh';
    const made = await b.post(address!, '/setup', {
      token,
      username: 'thuky',
      fullName: 'Trần Thư Ký',
      password: own,
      repeat: own,
    });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/admin');
    expect((await b.get('/admin')).status).toBe(200);
    expect((await client(base).get(address!)).status).toBe(404);
  });
});
