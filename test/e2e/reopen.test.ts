import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import type { TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown, signedInPage } from '../helpers/browser.ts';

// A look at the reopening (issue 23, item 6) on a 390 px phone in Debian's Chromium: the secretariat's confirmation
// page with the appraisals it touches, the reason typed and confirmed without JavaScript, and the unit's home saying
// so. Screenshots in test/e2e/__screenshots__/reopen/.

const journey = 'reopen';
let t: TestApp;
let browser: Browser;
let base: string;
let code: string;
const unit = 'xa-truc-thanh';

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  ({ t, code } = await startAppraisalApp());
  // Some of the unit's items already appraised, one waiting for an explanation.
  await t.orm.em.fork().execute(
    `update appraisal a set state = case when c.code = '1.1.1' then 'waiting' else 'accepted' end, appraised_score = cs.self_score
       from criterion_score cs join criterion c on c.id = cs.criterion_id
      where cs.id = a.criterion_score_id and c.code like '1.%'`,
  );
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('reopening at 390 px', () => {
  it('the confirmation page states the numbers and asks for the reason; the unit is told on its home page', async () => {
    const { page, context } = await signedInPage(browser, base, 'admin', { javaScriptEnabled: false });
    await page.goto(`${base}${paths.admin.campaignUnits(code)}`);
    await page.getByRole('link', { name: 'Mở lại' }).click();
    await page.waitForURL((u) => u.pathname === paths.admin.campaignUnitReopen(code, unit));
    expect(await shown(page.locator('h1'))).toBe('Mở lại bản tự đánh giá của Xã Trực Thanh');
    expect(Number(await shown(page.locator('#n-decided')))).toBeGreaterThan(0);
    expect(await shown(page.locator('#n-request'))).toBe('1');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, journey, '1-confirmation.png');
    // Confirmed without a reason: the message beside the field, the summary on top.
    await page.getByRole('button', { name: 'Mở lại bản tự đánh giá' }).click();
    expect(await shown(page.locator('#reason-error'))).toBe('Nhập lý do mở lại.');
    await screenshot(page, journey, '2-no-reason.png');
    await page.getByLabel('Lý do mở lại').fill('Hội đồng trả lại: thiếu tài liệu kiểm chứng tiêu chí 1.3');
    await page.getByRole('button', { name: 'Mở lại bản tự đánh giá' }).click();
    await page.waitForURL((u) => u.pathname === paths.admin.campaignUnits(code));
    // Back on the campaign's units, the secretariat reads which unit was reopened and what follows.
    expect(await shown(page.getByRole('status'))).toBe(
      'Đã mở lại bản tự đánh giá của Xã Trực Thanh. Đơn vị đã được thông báo kèm lý do; khi đơn vị nộp lại, trạng thái trong danh sách dưới đây đổi theo.',
    );
    await context.close();

    const officer = await signedInPage(browser, base, 'canbo');
    await officer.page.goto(`${base}${paths.unit.index()}`);
    const told = await shown(officer.page.locator(`#reopened-${unit}-${code}`));
    expect(told).toContain('Tổ thư ký đã mở lại bản tự đánh giá của Xã Trực Thanh');
    expect(told).toContain('Hội đồng trả lại: thiếu tài liệu kiểm chứng tiêu chí 1.3');
    expect(await overflow(officer.page)).toBeLessThanOrEqual(0);
    await screenshot(officer.page, journey, '3-unit-home.png');
    // Its campaign page says why, and leads to the submission again although appraisal is under way.
    await officer.page.getByRole('link', { name: 'Sửa và nộp lại' }).click();
    await officer.page.waitForURL((u) => u.pathname === paths.unit.campaign(unit, code));
    expect(await shown(officer.page.locator('#reopened'))).toContain('Hội đồng trả lại');
    expect(await officer.page.getByRole('link', { name: 'Xem lại và nộp' }).count()).toBe(1);
    await screenshot(officer.page, journey, '4-unit-campaign.png');
    await officer.context.close();
  });
});
