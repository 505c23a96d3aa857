import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

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
