import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown, signedInPage } from '../helpers/browser.ts';

// Issue 16, item 1, walked in Chromium on a real server: the appraiser asks Xã Trực Thanh for two explanations; the
// commune officer, on a 390 px phone with and without JavaScript, sees the count in the header, opens the inbox,
// follows the notice to the explanations page, and the count goes down.

const unit = 'xa-truc-thanh';
let browser: Browser;
let t: TestApp;
let base: string;
let code: string;
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, unit);
  await setCampaignState(t.orm, 'appraisal');
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const contexts: BrowserContext[] = [];
async function signedIn(username: string, width: number, javaScriptEnabled = true): Promise<Page> {
  const { page, context } = await signedInPage(browser, base, username, { width, javaScriptEnabled });
  contexts.push(context);
  return page;
}
afterAll(async () => {
  for (const c of contexts) await c.close();
});

/** The appraiser asks about two more items of the unit, through the item page as an appraiser does. */
async function appraiserAsksTwice() {
  const page = await signedIn('thamdinh', 1366);
  for (let i = 0; i < 2; i++) {
    await page.goto(`${base}${paths.appraisal.queue({ campaign: code, unit, state: 'todo' })}`);
    await page.locator('a[href^="/appraisal/items/"]').first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/appraisal/items/'));
    const item = page.url();
    await page.getByLabel('Nội dung cần giải trình').fill('Đề nghị gửi văn bản đã ký số.');
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await page.waitForURL((u) => u.href !== item);
    await page.waitForLoadState();
  }
}

describe('the inbox', () => {
  it.each([true, false])(
    'at 390 px (JavaScript %s) the officer sees the count, opens the notice, lands on the request, and the count goes down',
    async (javaScriptEnabled) => {
      await sql(`update notice set read_at = now() where read_at is null`);
      await appraiserAsksTwice();
      const page = await signedIn('canbo', 390, javaScriptEnabled);
      const shot = (name: string) =>
        screenshot(page, 'notices', `${name}-${javaScriptEnabled ? 'js' : 'nojs'}-390.png`, 390);
      const link = page.locator('#inbox-link');
      expect(await shown(link)).toContain('Thông báo 1');
      await shot('header');
      await link.click();
      await page.waitForURL((u) => u.pathname === paths.inbox.index());
      const notice = page.locator('#notices li.unread').first();
      expect(await shown(notice)).toContain('2 yêu cầu giải trình bổ sung cho Xã Trực Thanh');
      await shot('inbox');
      await notice.getByRole('button').click();
      await page.waitForURL((u) => u.pathname === paths.unit.explanations(unit, code));
      expect(await shown(page.locator('#inbox-link'))).not.toMatch(/\d/);
      await shot('after');
    },
  );
});
