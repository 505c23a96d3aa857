import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { demoPassword, seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { seedProvinceDemoIfEmpty } from '../../src/features/demo/province-seed.ts';
import { paths } from '../../src/http/paths.ts';
import { freshDatabaseUrl } from './db.ts';
import { openOrm } from '../../src/db/orm.ts';
import { appUrlFor } from './roles.ts';

export interface TestApp {
  app: FastifyInstance;
  /** The app's own connection: the role without ownership, as in production. */
  orm: MikroORM;
  /** The owner's URL (what migrations and the command line use). */
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on its own fresh database (the demo district seeded, the demo province with `seed: 'province'`, nothing
 * with `seed: false`); `env` overrides configuration.
 * It connects as the application role, like the server, so a missing grant fails here first. `log` captures the
 * app's log (a level and a stream, as Fastify's logger option takes them).
 */
export async function startTestApp(
  opts: {
    seed?: boolean | 'province';
    today?: string;
    env?: Record<string, string>;
    onQuery?: (sql: string) => void;
    publicUrl?: string;
    log?: { level: string; stream: NodeJS.WritableStream };
  } = {},
): Promise<TestApp> {
  const databaseUrl = await freshDatabaseUrl();
  const orm = await openOrm(appUrlFor(databaseUrl), { poolMax: 5, onQuery: opts.onQuery });
  if (opts.seed === 'province') await seedProvinceDemoIfEmpty(orm, opts.today);
  else if (opts.seed !== false) await seedDemoIfEmpty(orm, opts.today);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const publicOrm = opts.publicUrl ? await openOrm(opts.publicUrl, { poolMax: 2 }) : null;
  const app = await buildApp({
    config,
    orm,
    publicOrm,
    logger: opts.log ?? (process.env.TEST_LOG ? { level: 'error' } : false),
  });
  await app.ready();
  return {
    app,
    orm,
    databaseUrl,
    close: async () => {
      await app.close();
      await orm.close();
      await publicOrm?.close();
    },
  };
}

/** A cookie jar for app.inject: keeps what the server sets, like a browser. */
export class Browser {
  cookies = new Map<string, string>();
  private app: FastifyInstance;
  /** The client's address as the server's socket sees it (app.inject's remoteAddress); 127.0.0.1 when unset. */
  remoteAddress?: string;
  constructor(app: FastifyInstance, opts: { remoteAddress?: string } = {}) {
    this.app = app;
    this.remoteAddress = opts.remoteAddress;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    /** A form as a record, or as [name, value] pairs when a name repeats (the rows of a table). */
    opts: { form?: Record<string, string> | [string, string][]; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let payload: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(opts.form).toString();
    }
    const res = await this.app.inject({ method, url, headers, payload, remoteAddress: this.remoteAddress });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, { headers });
  }

  /** GETs `formPage` for a CSRF token, then posts the form to `url`. */
  async submit(
    formPage: string,
    url: string,
    form: Record<string, string> | [string, string][],
    headers?: Record<string, string>,
  ) {
    const page = await this.get(formPage);
    const token = csrfToken(page.body);
    const fields: Record<string, string> | [string, string][] = Array.isArray(form)
      ? [['_csrf', token], ...form]
      : { _csrf: token, ...form };
    return this.request('POST', url, { form: fields, headers });
  }

  /** A new browser on `app`, signed in as `username`. */
  static async signedIn(app: FastifyInstance, username: string): Promise<Browser> {
    const b = new Browser(app);
    await b.signIn(username);
    return b;
  }

  async signIn(username: string, password = demoPassword) {
    const res = await this.submit(paths.signIn(), paths.signIn(), { username, password });
    if (res.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${res.statusCode}`);
    return res;
  }
}

/**
 * The action of the page's multipart upload form (the one whose action matches `pattern`, the first without one),
 * with the form's CSRF token put in its query: a browser sends the token as the body's first field; the server also
 * takes it from the address, which lets a test post a FormData of its own.
 */
export function uploadAction(
  html: string,
  pattern = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/,
): string {
  const action = pattern.exec(html)?.[1];
  if (!action) throw new Error('no upload form on the page');
  const url = action.replace(/&amp;/g, '&');
  return `${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrfToken(html))}`;
}

export function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}
