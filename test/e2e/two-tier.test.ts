// A citizen of a province in the two-tier shape, on a 390 px phone without JavaScript: the year's index across the
// province's campaigns, one block's ranking, and a merged commune's history.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { formatIssue, importWorkbook } from '../../src/features/workbook/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot } from '../helpers/browser.ts';
import { formerDistrict, province } from '../helpers/two-tier.ts';
import { type Sheets, buildWorkbook } from '../helpers/workbook.ts';

let t: TestApp;
let browser: Browser;
let phone: BrowserContext;
let base: string;

async function importAndPublish(sheets: Sheets) {
  const read = await importWorkbook(t.orm.em.fork() as EntityManager, await buildWorkbook(sheets), { actorId: null });
  if (!read.ok) throw new Error(read.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
  const done = await publishCampaign(t.orm.em.fork() as EntityManager, null, read.summary.code, { imported: true });
  if (!done.ok) throw new Error(JSON.stringify(done.errors));
}

beforeAll(async () => {
  t = await startTestApp({ seed: false });
  await importAndPublish(formerDistrict);
  await importAndPublish(province());
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  phone = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'vi-VN',
    viewport: { width: 390, height: 800 },
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const words = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
const fitsThePhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 390);

describe('a province in blocks, on a phone without JavaScript', () => {
  it("goes from the home page to the year's index, then to one block's ranking, then to a merged commune", async () => {
    const page = await phone.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Chỉ số CCHC năm 2025 — UBND tỉnh Thử' }).click();
    expect(await words(page, 'h1')).toBe('Chỉ số CCHC năm 2025 — UBND tỉnh Thử');
    expect(await words(page, '.year-campaign')).toContain('Dẫn đầu: Đặc khu Thử 95,00');
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'two-tier', 'year-390.png');

    // The second block, chosen from the year's page: its own ranks, the merged commune said to be new.
    await page.getByRole('link', { name: 'khối Xã, đặc khu' }).click();
    expect(await words(page, 'h2#ranking')).toBe('Bảng xếp hạng — khối Xã, đặc khu');
    const rows = page.locator('#ranking-table tbody tr');
    expect(await rows.count()).toBe(2);
    const cells = async (n: number) =>
      (await rows.nth(n).locator('td, th').allTextContents()).map((c) => c.trim()).slice(0, 4);
    expect(await cells(0)).toEqual(['1', 'Đặc khu Thử', '95,00', 'Xuất sắc']);
    expect(await cells(1)).toEqual(['2', 'Xã Mới', '80,00', 'Khá']);
    expect(await page.locator('nav.blocks a[aria-current="true"]').textContent()).toContain('Xã, đặc khu');
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'two-tier', 'block-ranking-390.png');

    // The first block through the chooser, then a ward formed from two former communes.
    await page
      .locator('nav.blocks')
      .getByRole('link', { name: /Phường/ })
      .click();
    expect(await words(page, 'h2#ranking')).toBe('Bảng xếp hạng — khối Phường');
    await page.getByRole('link', { name: 'Phường Mới' }).click();
    expect(await words(page, 'h1')).toBe('Phường Mới');
    expect(await words(page, '#formed-from')).toMatch(/Xã Cũ A \(2024: 85,20 — Tốt\).*Xã Cũ B \(2024: 78,10 — Khá\)/);
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'two-tier', 'merged-commune-390.png');

    // And on to the former commune's own published page.
    await page.locator('#formed-from').getByRole('link', { name: '2024' }).first().click();
    expect(await words(page, 'h1')).toBe('Xã Cũ A');
  });
});
