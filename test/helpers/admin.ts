import { afterAll, beforeAll, expect } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from './app.ts';
import { paths } from '../../src/http/paths.ts';

export interface AuditRow {
  action: string;
  entity_type: string;
  entity_id: string;
  actor: string | null;
  before: unknown;
  after: unknown;
}

/** Audit events written after `sinceId`, oldest first, with the actor's username. */
export async function auditSince(t: TestApp, sinceId: number): Promise<AuditRow[]> {
  return t.orm.em.getConnection().execute(
    `select a.action, a.entity_type, a.entity_id, u.username as actor, a.before, a.after
       from audit_event a left join app_user u on u.id = a.actor_id where a.id > ? order by a.id`,
    [sinceId],
  );
}

export async function lastAuditId(t: TestApp): Promise<number> {
  const [row] = await t.orm.em.getConnection().execute('select coalesce(max(id), 0)::int as id from audit_event');
  return row.id;
}

export async function countRows(t: TestApp, table: string): Promise<number> {
  const [row] = await t.orm.em.getConnection().execute(`select count(*)::int as n from ${table}`);
  return row.n;
}

/** The error beside a field, as the field partial writes it. */
export function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];
}

/** Where each name first appears on the page, to check an order. */
export function positions(html: string, names: string[]): number[] {
  return names.map((n) => {
    const at = html.indexOf(`>${n}<`);
    expect(at, `${n} on the page`).toBeGreaterThan(-1);
    return at;
  });
}

const areaOf: Record<string, string> = {
  canbo: paths.area('unit'),
  thamdinh: paths.area('appraisal'),
  chutich: paths.area('council'),
};

/** Signed in without the admin role, every page and post answers 404, and nothing is written. */
export async function expectAdminOnly(t: TestApp, pages: string[], posts: string[]) {
  for (const username of Object.keys(areaOf)) {
    const b = await Browser.signedIn(t.app, username);
    const token = csrfToken((await b.get(areaOf[username])).body);
    const before = await lastAuditId(t);
    for (const url of pages) expect((await b.get(url)).statusCode, `${username} GET ${url}`).toBe(404);
    for (const url of posts) {
      const res = await b.request('POST', url, {
        form: { _csrf: token, code: 'x', name: 'x', username: 'x', fullName: 'x', role: 'chair', active: 'false' },
      });
      expect(res.statusCode, `${username} POST ${url}`).toBe(404);
    }
    expect(await lastAuditId(t)).toBe(before);
  }
}

/** A fresh app for the file, and a browser signed in as the secretariat (`admin`). */
export function withAdminApp(): { t: TestApp; admin: Browser } {
  const ctx = {} as { t: TestApp; admin: Browser };
  beforeAll(async () => {
    ctx.t = await startTestApp();
    ctx.admin = new Browser(ctx.t.app);
    await ctx.admin.signIn('admin');
  });
  afterAll(async () => {
    await ctx.t?.close();
  });
  return ctx;
}
