// A commune officer on a 390 px phone without JavaScript reads where the unit lost points on its public page, then
// downloads its improvement plan; a citizen reads the province's weak points from the campaign page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, screenshotsDir } from '../helpers/browser.ts';
import { lastYear, thisYear } from '../helpers/weak-points.ts';
import { buildWorkbook, type Sheets } from '../helpers/workbook.ts';

let t: TestApp;
let browser: Browser;
let phone: BrowserContext;
let base: string;

async function importAndPublish(sheets: Sheets) {
  const read = await importWorkbook(t.orm.em.fork() as EntityManager, await buildWorkbook(sheets), { actorId: null });
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  const done = await publishCampaign(t.orm.em.fork() as EntityManager, null, read.summary.code, { imported: true });
  if (!done.ok) throw new Error(JSON.stringify(done.errors));
}

beforeAll(async () => {
  t = await startTestApp({ seed: false });
  await importAndPublish(lastYear());
  await importAndPublish(thisYear());
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  phone = await browser.newContext({
    javaScriptEnabled: false,
    acceptDownloads: true,
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

describe('weak points on a phone', () => {
  it("reads a unit's weak points and downloads its improvement plan", async () => {
    const page = await phone.newPage();
    await page.goto(`${base}/campaigns/yeu-2024`);
    await page.getByRole('link', { name: 'Xã A' }).first().click();
    expect(await words(page, 'h1')).toBe('Xã A');
    const weak = await words(page, '#weak-points');
    expect(weak).toContain('Tiêu chí bị mất nhiều điểm nhất');
    expect(weak).toContain('Thiếu một tài liệu');
    expect(weak).toContain('Năm 2023: 10 / 10 (100%)');
    expect(await fitsThePhone(page)).toBe(true);
    await page.locator('#weak-points').scrollIntoViewIfNeeded();
    await screenshot(page, 'weak-points', 'unit-390.png');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải kế hoạch khắc phục (DOCX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Kế hoạch khắc phục - Xã A - 2024.docx');
    // Kept beside the screenshots, to be opened in LibreOffice and looked at.
    const saved = path.join(screenshotsDir, 'weak-points', 'improvement-plan.docx');
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    // A DOCX is a ZIP archive.
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it("reads the province's weak points from the campaign page, one block at a time", async () => {
    const page = await phone.newPage();
    await page.goto(`${base}/campaigns/yeu-2024`);
    await page.getByRole('link', { name: 'Xem đầy đủ: tiêu chí, lĩnh vực và bản đồ nhiệt' }).click();
    expect(await words(page, 'h1')).toBe('Điểm yếu chung của các đơn vị');
    expect(await words(page, '#weak-criteria tbody tr')).toContain('1.1 Tiêu chí 1.1');
    expect(await page.locator('svg.heat').count()).toBe(1);
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'weak-points', 'province-390.png');
    await page.locator('nav.blocks').getByRole('link', { name: 'Khối phường' }).click();
    expect(await words(page, 'h2#criteria')).toContain('khối phường');
    await screenshot(page, 'weak-points', 'province-block-2-390.png');
  });
});
