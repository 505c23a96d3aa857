import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';

// The journeys at 390 px, in Debian's Chromium against the real app: the secretariat moves the demo campaign
// to appraisal with 2 of 21 units submitted and 10 days before the deadline, and is stopped by a red warning naming the
// units; the chair reads the ranking, then approves below it and confirms; a citizen's ranking fits the phone, shows
// the units that never submitted apart, and comes before the downloads.

const width = 390;
const journey = 'weighty-steps';
let t: TestApp;
let browser: Browser;
let base: string;
let code: string;
const contexts: BrowserContext[] = [];
const today = todayInVietnam();

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

async function phone(javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width, height: 800 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(demoPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const top = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!.y;

beforeAll(async () => {
  t = await startTestApp({ today });
  [{ code }] = await sql<{ code: string }>('select code from campaign order by id limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  await seedPublishedPastYear(t.orm, Number(today.slice(0, 4)) - 1);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('weighty steps at 390 px', () => {
  it('the secretariat moves to appraisal early: a red warning with the unit count and names, then the confirmation', async () => {
    const page = await phone();
    await signIn(page, 'admin');
    await page.goto(`${base}/admin/campaigns/${code}`);
    await page.getByRole('button', { name: 'Chuyển sang thẩm định' }).click();
    await page.waitForURL(/\/state\?to=appraisal$/);
    const warning = page.getByRole('alert');
    const said = await shown(warning);
    expect(said).toContain('Cảnh báo: bước này đến sớm');
    expect(said).toContain('còn 10 ngày');
    expect(said).toContain('19 / 21 đơn vị chưa nộp báo cáo tự đánh giá');
    // Red, and not by colour alone: a heading and a symbol say it too.
    expect(await warning.evaluate((e) => getComputedStyle(e).borderTopColor)).toBe('rgb(177, 14, 30)');
    const names = await page.locator('#not-submitted li').allTextContents();
    expect(names).toHaveLength(19);
    expect(names).toContain('Xã Trực Đạo');
    expect(names).not.toContain('Xã Trực Thanh');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    await screenshot(page, journey, 'secretariat-confirm-appraisal.png', width);
    expect((await sql<{ state: string }>('select state from campaign where code = ?', [code]))[0]!.state).toBe(
      'self-assessment',
    );

    await page.getByRole('button', { name: 'Vẫn thực hiện dù đến sớm: Chuyển sang thẩm định' }).click();
    await page.waitForURL(/\/admin\/campaigns\/[^/]+\?saved=step$/);
    expect(await shown(page.locator('.banner').first())).toContain('Kỳ đánh giá đã chuyển sang giai đoạn');
    expect((await sql<{ state: string }>('select state from campaign where code = ?', [code]))[0]!.state).toBe(
      'appraisal',
    );
  });

  it('the chair reads the ranking, then approves below it and confirms', async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = cs.self_score from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    await sql(`update campaign set state = 'council-review' where code = ?`, [code]);
    const page = await phone();
    await signIn(page, 'chutich');
    await page.goto(`${base}/council/campaigns/${code}/ranking`);
    expect(await top(page, '#preliminary-ranking')).toBeLessThan(await top(page, '#approval'));
    expect(await shown(page.locator('[data-unit="xa-truc-dao"] [data-col="band"]'))).toBe(
      'Không nộp báo cáo tự đánh giá',
    );
    await screenshot(page, journey, 'chair-ranking.png', width);
    await page.getByLabel('Số, ký hiệu quyết định phê duyệt').fill('15/QĐ-UBND');
    await page.getByLabel('Ngày quyết định (dd/mm/yyyy)').fill(formatDate(today));
    await page.getByRole('button', { name: 'Phê duyệt kết quả' }).click();
    await page.waitForURL(/\/approval$/);
    expect(await shown(page.locator('h1'))).toBe('Xác nhận: Phê duyệt kết quả');
    expect(await shown(page.locator('main'))).toContain(`Số 15/QĐ-UBND ngày ${formatDate(today)}`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    await screenshot(page, journey, 'chair-confirm-approval.png', width);
    await page.getByRole('button', { name: 'Tôi đã đọc, xác nhận: Phê duyệt kết quả' }).click();
    await page.waitForURL(/\/council\/campaigns\/[^/]+(#approval)?$/);
    expect(await shown(page.locator('#approval'))).toContain(
      `Đã phê duyệt theo Quyết định số 15/QĐ-UBND ngày ${formatDate(today)}`,
    );
  });

  it("the citizen's ranking fits 390 px, comes before the downloads and lists the units that did not submit apart", async () => {
    const [{ id: adminId }] = await sql<{ id: number }>(`select id from app_user where username = 'admin'`);
    const published = await publishCampaign(t.orm.em.fork() as EntityManager, adminId, code);
    expect(published.ok).toBe(true);
    const page = await phone(false);
    await page.goto(`${base}/campaigns/${code}`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    expect(await top(page, '#ranking-table')).toBeLessThan(await top(page, '#downloads'));
    expect(await top(page, '#ranking-table')).toBeLessThan(800);
    expect(await page.locator('#ranking-table tbody tr').count()).toBe(2);
    // On the phone: rank, unit, index and band; the rest is on the unit's page, as the hint says.
    expect(await page.locator('#ranking-table thead th:visible').allTextContents()).toEqual([
      'Hạng',
      'Đơn vị',
      'Chỉ số',
      'Xếp loại',
    ]);
    expect(await shown(page.locator('.phone-only'))).toContain('trang của từng đơn vị');
    expect(await shown(page.locator('#not-submitted'))).toBe('Không nộp báo cáo tự đánh giá (19 đơn vị)');
    expect(await page.locator('#not-submitted-list li').count()).toBe(19);
    expect(await shown(page.locator('#not-submitted-list'))).not.toContain('Yếu');
    await screenshot(page, journey, 'citizen-ranking.png', width);
    await screenshot(page, journey, 'citizen-ranking-wide.png', 1366);

    await page.locator('#ranking-table').getByRole('link', { name: 'Xã Trực Thanh' }).click();
    const summary = await shown(page.locator('#result ~ .summary'));
    expect(summary).toContain('Thẩm định');
    expect(summary).toContain(`So với ${Number(today.slice(0, 4)) - 1}`);
    await screenshot(page, journey, 'citizen-unit.png', width);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    await page.goBack();
    await page.locator('#not-submitted-list').getByRole('link', { name: 'Xã Trực Đạo' }).click();
    expect(await shown(page.locator('#not-submitted'))).toContain('Không nộp báo cáo tự đánh giá');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    await screenshot(page, journey, 'citizen-unit-not-submitted.png', width);
  });
});
