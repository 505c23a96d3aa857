import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A locator's text with white space collapsed. */
export const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Waits for `locator` to show, then gives its text with white space collapsed. */
export async function shown(locator: Locator): Promise<string> {
  await locator.waitFor();
  return textOf(locator);
}

/** Where the journeys' screenshots go, one folder per journey (ignored by git): to be looked at by a person. */
export const screenshotsDir = fileURLToPath(new URL('../e2e/__screenshots__/', import.meta.url));

/**
 * A full-page screenshot at `width` (a phone's 390 unless said) into `test/e2e/__screenshots__/<journey>/`; the page's
 * own size is put back afterwards.
 */
export async function screenshot(page: Page, journey: string, name: string, width = 390) {
  const size = page.viewportSize();
  await page.setViewportSize({ width, height: width > 600 ? 900 : 740 });
  const dir = path.join(screenshotsDir, journey);
  mkdirSync(dir, { recursive: true });
  // caret 'initial': Playwright hides the caret through the inputs' style, leaving style="" on them, which htmx copies
  // into a swapped fragment and the CSP then reports; the shot must not change the page it shows.
  await page.screenshot({ path: path.join(dir, name), fullPage: true, caret: 'initial' });
  if (size) await page.setViewportSize(size);
}

/**
 * A new browser context (Vietnamese, `width` × `height`, JavaScript on unless said) signed in through the sign-in
 * form as `username` with the demo password; resolves once the sign-in page is left. Close the context when done.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  username: string,
  opts: { width?: number; height?: number; javaScriptEnabled?: boolean } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    locale: 'vi-VN',
    viewport: { width: opts.width ?? 390, height: opts.height ?? 900 },
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo-cchc-2024');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
  return { page, context };
}
