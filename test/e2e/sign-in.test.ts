import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';

let t: TestApp;
let browser: Browser;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

describe.each([true, false])('signing in with JavaScript %s', (javaScriptEnabled) => {
  it("takes the commune officer from the public page to the unit's campaign and back out", async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await expect(page.locator('h1')).toHaveTextLike('Chỉ số cải cách hành chính công bố');
    await page.getByRole('link', { name: 'Đăng nhập' }).first().click();
    await page.getByLabel('Tên đăng nhập').fill('canbo');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Tên đăng nhập hoặc mật khẩu không đúng.').first().waitFor();
    await page.getByLabel('Mật khẩu').fill('demo-cchc-2024');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/unit$/);
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Tự đánh giá']);
    await page.getByRole('link', { name: /Chỉ số CCHC các xã, thị trấn/ }).click();
    await page.waitForURL(/\/unit\/xa-truc-thanh\/campaigns\//);
    await expect(page.locator('h1')).toHaveTextLike('Xã Trực Thanh');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('button', { name: 'Đăng xuất' }).count()).toBe(0);
    await context.close();
  });
});

declare module 'vitest' {
  interface Assertion<T> {
    toHaveTextLike(text: string): Promise<void>;
  }
}
expect.extend({
  async toHaveTextLike(locator: { textContent(): Promise<string | null> }, text: string) {
    const actual = (await locator.textContent()) ?? '';
    return { pass: actual.includes(text), message: () => `expected "${actual}" to contain "${text}"` };
  },
});
