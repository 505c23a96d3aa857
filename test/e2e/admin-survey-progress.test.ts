import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';

// The secretariat types survey figures with mistakes, without JavaScript, on a laptop and on a phone: the table keeps
// its columns on the screen and each message names the unit; then reads the appraisal progress on the phone.

let browser: Browser;
let t: TestApp;
let base: string;
let code: string;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [{ code }] = await t.orm.em.execute<{ code: string }[]>('select code from campaign order by id limit 1');
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedInPage(width: number): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'vi-VN',
    viewport: { width, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill('demo-cchc-2024');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/home$/);
  return page;
}

/** How far the page is wider than the window (0 when nothing is off the screen). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the survey table with errors', () => {
  it.each([1366, 390])('stays readable at %i px, each message naming the unit and row', async (width) => {
    const page = await signedInPage(width);
    await page.goto(`${base}${paths.admin.survey(code)}`);
    await page.getByLabel('Số phiếu — Xã Trực Thanh').fill('abc');
    await page.getByLabel('Số câu hài lòng và rất hài lòng — Xã Trực Đạo').fill('1,5');
    await page.getByRole('button', { name: 'Lưu kết quả khảo sát' }).click();
    const summary = page.locator('.error-summary');
    const first = await shown(summary.getByRole('link').first());
    expect(first).toMatch(/^Xã Trực (Thanh|Đạo) \(dòng \d+\), Số (phiếu|câu hài lòng và rất hài lòng): /);
    expect(await summary.getByRole('link').count()).toBeGreaterThanOrEqual(2);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // No column squeezed to a word a line: on a laptop every heading is wider than a long word; on a phone, where
    // the rows stack, each message takes the screen's width.
    const narrowest = (selector: string) =>
      page.locator(selector).evaluateAll((cells) => Math.min(...cells.map((c) => c.getBoundingClientRect().width)));
    if (width > 600) expect(await narrowest('.survey-table thead th')).toBeGreaterThan(60);
    expect(await narrowest('.survey-table .row-errors td')).toBeGreaterThan(width > 600 ? 600 : 300);
    await screenshot(page, 'admin-survey', `survey-errors-${width}.png`, width);
    await page.context().close();
  });
});

describe('the appraisal progress page', () => {
  it('reads on a phone, per agency then per appraiser', async () => {
    await t.orm.em.execute(`update campaign set state = 'appraisal' where code = ?`, [code]);
    await submitUnitBySql(t.orm, 'xa-truc-thanh');
    await submitUnitBySql(t.orm, 'xa-truc-dao');
    await t.orm.em.execute(
      `update appraisal set state = 'accepted', appraiser_id = (select id from app_user where username = 'thamdinh')
        where id in (select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
                       join criterion c on c.id = cs.criterion_id where c.code like '1.%')`,
    );
    const page = await signedInPage(390);
    await page.goto(`${base}${paths.admin.campaignProgress(code)}`);
    expect(await shown(page.locator('h1'))).toBe('Tiến độ thẩm định');
    expect(await page.getByRole('heading', { name: 'Theo cơ quan thẩm định' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Theo người thẩm định' }).count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: /Trịnh Thị Mai/ }).count()).toBe(1);
    expect(await shown(page.locator('tr[data-agency="Phòng Nội vụ"] td').last())).toBe('Xã Trực Đạo, Xã Trực Thanh');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'admin-progress', 'progress-390.png', 390);
    await page.context().close();
  });
});
