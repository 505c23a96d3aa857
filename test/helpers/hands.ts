import type { MikroORM } from '@mikro-orm/postgresql';
import { paths } from '../../src/http/paths.ts';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import { Browser as AppBrowser, csrfToken, type Browser, type TestApp } from './app.ts';
import { multipart as multipartBody } from './multipart.ts';

// Issue 23 (several hands per criterion): more people in a demo unit, and a file sent the way the upload form sends it.

/** Contributors of a unit, with the demo's password (the contributor's hash copied), by username and full name. */
export async function addContributors(orm: MikroORM, unitCode: string, people: [string, string][]): Promise<void> {
  const em = orm.em.fork();
  for (const [username, fullName] of people) {
    await em.execute(
      `with u as (
         insert into app_user (username, full_name, password_hash, created_at)
         select ?, ?, password_hash, now() from app_user where username = 'congtac' returning id)
       insert into role_assignment (user_id, role, unit_id, created_at)
       select u.id, 'contributor', un.id, now() from u, unit un where un.code = ?`,
      [username, fullName, unitCode],
    );
  }
}

/** A multipart body with these fields and one file. */
export const multipart = (fields: Record<string, string>, filename: string, content: Buffer) =>
  multipartBody(fields, { filename, content, type: 'application/pdf' });

/** Uploads a file to a unit's criterion as `b` (the token in the address, as upload.js allows). */
export async function uploadAs(
  t: TestApp,
  b: Browser,
  unit: string,
  code: string,
  criterion: string,
  filename: string,
  content: Buffer,
) {
  const token = csrfToken((await b.get('/unit')).body);
  const { body, boundary } = multipart({ documentNumber: '05/BC-HĐND', issuer: '' }, filename, content);
  return t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(unit, code, criterion, { _csrf: token }),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

/**
 * A phone-sized page (390 px, Vietnamese, JavaScript on) already signed in as `username`: the session is opened through
 * the app (no sign-in page to load) and its cookie handed to a new browser context. Close the context when done.
 */
export async function phoneSignedIn(browser: PlaywrightBrowser, t: TestApp, base: string, username: string) {
  const session = await AppBrowser.signedIn(t.app, username);
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(15_000);
  await context.addCookies([...session.cookies].map(([name, value]) => ({ name, value, url: base })));
  return { context, page: await context.newPage() };
}
