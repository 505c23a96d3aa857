import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot } from '../helpers/browser.ts';
import { buildWorkbook, samplesDir, validSheets } from '../helpers/workbook.ts';

// What a citizen reads, in a browser with JavaScript off: the campaign, a unit and the methodology of a published
// campaign; and an axe-core scan of each page (run in a separate JavaScript-on context, which axe itself needs).

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let t: TestApp;
let browser: Browser;
let base: string;
let noScript: BrowserContext;

async function importAndPublish(data: Uint8Array): Promise<string> {
  const em = t.orm.em.fork() as EntityManager;
  const imported = await importWorkbook(em, data, { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const published = await publishCampaign(t.orm.em.fork() as EntityManager, null, imported.summary.code, {
    imported: true,
  });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  return imported.summary.code;
}

beforeAll(async () => {
  t = await startTestApp({ seed: false });
  await importAndPublish(readFileSync(new URL('sample-district-2020.xlsx', samplesDir)));
  const earlier = validSheets('thu-2023');
  earlier.campaign = earlier.campaign!.map((row) => (row[0] === 'year' ? ['year', 2023] : row));
  await importAndPublish(await buildWorkbook(earlier));
  await importAndPublish(await buildWorkbook(validSheets('thu-2024')));
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('with JavaScript disabled', () => {
  it('reads the campaign page: ranking, sorting and search by plain links and a form, downloads', async () => {
    const page = await noScript.newPage();
    const response = await page.goto(`${base}/campaigns/thu-2024`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('script').count()).toBe(0);
    expect(await text(page, 'h1')).toBe('Chỉ số CCHC thử năm 2024 — UBND huyện Thử');
    expect(await text(page, '.pubmeta')).toMatch(/^Công bố \d{2}\/\d{2}\/\d{4} .* · Phiên bản 1$/);
    const table = page.locator('#ranking-table');
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Hạng',
      'Đơn vị',
      'Chỉ số',
      'Xếp loại',
      'Thẩm định',
      'Khảo sát',
      'So với 2023',
    ]);
    expect(await page.getByRole('link', { name: 'JSON' }).getAttribute('href')).toBe(
      '/open-data/thu-2024/v/1/results.json',
    );
    await page.locator('svg[role="img"][aria-labelledby="bands-chart"]').waitFor();
    await screenshot(page, 'public-pages', 'campaign.png');

    await table.getByRole('link', { name: 'Đơn vị' }).click();
    await page.waitForURL(/\?sort=name$/);
    expect(await page.locator('#ranking-table tbody th').allTextContents()).toEqual(['UBND huyện Thử', 'Xã A', 'Xã B']);

    await page.getByLabel('Tìm đơn vị').fill('huyen thu');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.waitForURL(/q=huyen\+thu/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    expect(await page.locator('#ranking-table tbody th').allTextContents()).toEqual(['UBND huyện Thử']);
    expect(await text(page, '[role="status"]')).toBe('Tìm thấy 1 / 3 đơn vị.');
    await page.close();
  });

  it("reads a unit page: the trend, the fields and, opened without script, a field's criteria with the appraiser's reason", async () => {
    const page = await noScript.newPage();
    await page.goto(`${base}/campaigns/thu-2024`);
    await page.locator('#ranking-table').getByRole('link', { name: 'Xã A' }).click();
    await page.waitForURL(/\/campaigns\/thu-2024\/units\/xa-a$/);
    expect(await text(page, 'h1')).toBe('Xã A');
    expect(await page.locator('script').count()).toBe(0);
    expect(
      await page.getByRole('img', { name: /Chỉ số của Xã A qua các năm: 2023: [\d,]+, 2024: [\d,]+/ }).count(),
    ).toBe(1);
    expect(await page.getByRole('img', { name: /Điểm thẩm định từng lĩnh vực/ }).count()).toBe(1);
    // The field's own criteria (the weak points above also quote the reason, always shown).
    const reason = page.locator('details.field').getByText('Thiếu một tài liệu');
    expect(await reason.isVisible()).toBe(false);
    await page.locator('details.field summary').first().click();
    await reason.waitFor();
    expect(await reason.isVisible()).toBe(true);
    await screenshot(page, 'public-pages', 'unit.png');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/campaigns\/thu-2024\/units\/xa-a$/);
    expect(await text(page, 'h2#trend')).toBe('Index over the years');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await page.waitForURL(/\/units\/xa-a$/);
    await page.close();
  });

  it('reads the methodology page', async () => {
    const page = await noScript.newPage();
    await page.goto(`${base}/campaigns/thu-2024`);
    await page.getByRole('link', { name: 'Phương pháp tính' }).click();
    await page.waitForURL(/\/methodology$/);
    expect(await text(page, 'h1')).toBe('Phương pháp tính: Chỉ số CCHC thử năm 2024');
    expect(await page.getByText('Thẩm định: tối đa 70 điểm.').count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: '2.3 Điểm trừ' }).count()).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    await screenshot(page, 'public-pages', 'methodology.png');
    await page.close();
  });
});

describe('axe-core', () => {
  it.each([
    '/campaigns/thu-2024',
    '/campaigns/thu-2024?sort=survey&q=xa',
    '/campaigns/mau-2020',
    '/campaigns/thu-2024/units/xa-a',
    '/campaigns/thu-2024/units/huyen-thu',
    '/campaigns/thu-2024/methodology',
  ])('finds no serious or critical violation on %s', async (url) => {
    // Axe is a script: it goes in through the DevTools protocol, past the page's script policy, which stays as it is.
    const context = await browser.newContext({ javaScriptEnabled: true, locale: 'vi-VN' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(base + url);
    await page.evaluate(() =>
      document.querySelectorAll('details').forEach((d) => {
        d.open = true;
      }),
    );
    await cdp.send('Runtime.evaluate', { expression: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
        }
      ).axe;
      const result = await axe.run();
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await context.close();
  });
});
