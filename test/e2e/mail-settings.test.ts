import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';

// Issue 16, item 2, walked in Chromium on a 390 px phone, with and without JavaScript: the commune officer goes from
// the inbox to the mail settings, types a wrong address (the error beside the field and in the summary, the typed
// text kept), corrects it, chooses the daily digest and sees it saved.

const password = 'demo-cchc-2024';
let browser: Browser;
let t: TestApp;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:2525', PUBLIC_URL: 'https://cchc.example.gov.vn' } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

async function signedIn(username: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    locale: 'vi-VN',
    viewport: { width: 390, height: 800 },
    javaScriptEnabled,
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${base}${paths.signIn()}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname !== paths.signIn());
  return page;
}

describe('mail settings on a phone', () => {
  for (const js of [true, false]) {
    it(`an officer sets an address and the daily digest (${js ? 'with' : 'without'} JavaScript)`, async () => {
      const who = js ? 'canbo' : 'canbo2';
      const page = await signedIn(who, js);
      await page.goto(`${base}${paths.inbox.index()}`);
      await page.getByRole('link', { name: 'Nhận thông báo qua thư điện tử' }).click();
      await page.waitForURL((u) => u.pathname === paths.account.mail());
      await page.getByLabel('Địa chỉ thư điện tử').fill('canbo@xa truc thanh');
      await page.getByLabel('Tóm tắt hằng ngày (một thư mỗi ngày)').check();
      await page.getByRole('button', { name: 'Lưu' }).click();
      expect(await shown(page.locator('#email-error'))).toBe(
        'Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.gov.vn).',
      );
      expect(await shown(page.locator('.error-summary'))).toContain('Địa chỉ thư điện tử không hợp lệ');
      expect(await page.getByLabel('Địa chỉ thư điện tử').inputValue()).toBe('canbo@xa truc thanh');
      expect(await page.getByLabel('Tóm tắt hằng ngày (một thư mỗi ngày)').isChecked()).toBe(true);
      if (js) await screenshot(page, 'mail-settings', '1-wrong-address.png');
      await page.getByLabel('Địa chỉ thư điện tử').fill(`${who}@xatructhanh.gov.vn`);
      await page.getByRole('button', { name: 'Lưu' }).click();
      expect(await shown(page.locator('.banner'))).toContain('Đã lưu cách nhận thông báo qua thư.');
      expect(await page.getByLabel('Tóm tắt hằng ngày (một thư mỗi ngày)').isChecked()).toBe(true);
      if (js) await screenshot(page, 'mail-settings', '2-saved.png');
      const [row] = await t.orm.em
        .fork()
        .execute<{ email: string; mail_mode: string }[]>('select email, mail_mode from app_user where username = ?', [
          who,
        ]);
      expect(row).toEqual({ email: `${who}@xatructhanh.gov.vn`, mail_mode: 'digest' });
    });
  }
});
