import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';

// The online survey end to end, at 390 px and without JavaScript: the secretariat opens it, prints Xã Trực Thanh's
// poster, a citizen scans the poster's QR code (decoded here from a screenshot), answers and is thanked, and the
// unit's tally on the secretariat's page moves.

// jsqr is CommonJS whose types say `export default`: under Node's interop the function is the module itself.
const jsQR = ((jsqr as unknown as { default?: typeof jsqr }).default ?? jsqr) as unknown as (typeof jsqr)['default'];

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

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'vi-VN',
    viewport: { width: 390, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

async function signedIn(): Promise<Page> {
  const page = await phonePage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill('demo-cchc-2024');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/home$/);
  return page;
}

/** The unit's row on the answers page: online answers, paper forms, satisfied answers, component. */
async function tallyRow(page: Page, unit: string): Promise<string[]> {
  await page.goto(`${base}${paths.admin.surveyAnswers(code)}`);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: unit }) });
  return (await row.locator('td').allTextContents()).map((s) => s.trim());
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('scan → answer → thanks', () => {
  it('works on a phone without JavaScript, and the tally moves', async () => {
    const admin = await signedIn();
    await admin.goto(`${base}${paths.admin.surveyQuestionnaire(code)}`);
    await admin.getByLabel('Điểm điều tra xã hội học tính từ phiếu trả lời').check();
    await admin.getByLabel('Mở khảo sát từ ngày').fill(formatDate(addDays(todayInVietnam(), -1)));
    await admin.getByLabel('Đóng khảo sát sau ngày').fill(formatDate(addDays(todayInVietnam(), 30)));
    await admin.getByRole('button', { name: 'Lưu' }).click();
    expect(await shown(admin.getByRole('status'))).toBe('Đã lưu bảng hỏi.');
    await screenshot(admin, 'survey-online', 'questionnaire-390.png');
    expect(await tallyRow(admin, 'Xã Trực Thanh')).toEqual(['0', '0', '0', '0']);

    // The poster: the unit's name, and a QR code that a phone's camera reads as the form's address.
    await admin.goto(`${base}${paths.admin.surveyPoster(code, 'xa-truc-thanh')}`);
    const poster = admin.locator('section.poster', { hasText: 'Xã Trực Thanh' });
    await poster.scrollIntoViewIfNeeded();
    const png = PNG.sync.read(await poster.locator('.qr').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    const [link] = await t.orm.em.execute<{ code: string }[]>(
      `select l.code from survey_link l join unit u on u.id = l.unit_id where u.code = 'xa-truc-thanh'`,
    );
    expect(decoded?.data).toBe(`${base}${paths.surveyForm(link!.code)}`);
    expect(await shown(poster.locator('.address'))).toBe(decoded!.data);
    await screenshot(admin, 'survey-online', 'poster-390.png');

    // A citizen's phone, with none of the secretariat's cookies.
    const citizen = await phonePage();
    await citizen.goto(decoded!.data);
    expect(await shown(citizen.locator('h1'))).toBe('Khảo sát sự hài lòng');
    await screenshot(citizen, 'survey-online', 'form-groups-390.png');
    await citizen.getByRole('link', { name: 'Người dân' }).click();
    const questions = citizen.locator('fieldset');
    expect(await questions.count()).toBe(8);
    await citizen.getByRole('button', { name: 'Gửi ý kiến' }).click();
    // Nothing chosen: every question says so, at the top and beside it.
    expect(await citizen.locator('.error-summary li').count()).toBe(8);
    await screenshot(citizen, 'survey-online', 'form-errors-390.png');
    const chosen = [
      'Rất hài lòng',
      'Hài lòng',
      'Hài lòng',
      'Bình thường',
      'Rất hài lòng',
      'Không hài lòng',
      'Hài lòng',
      'Không ý kiến',
    ];
    for (const [i, level] of chosen.entries()) await questions.nth(i).getByLabel(level, { exact: true }).check();
    await citizen.getByLabel('Góp ý thêm (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình.');
    expect(await overflow(citizen)).toBeLessThanOrEqual(0);
    await screenshot(citizen, 'survey-online', 'form-390.png');
    await citizen.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await citizen.waitForURL(/\/thanks$/);
    expect(await shown(citizen.locator('h1'))).toBe('Cảm ơn ông/bà!');
    await screenshot(citizen, 'survey-online', 'thanks-390.png');

    // Back on the form the same day: refused kindly.
    await citizen.goto(decoded!.data);
    await citizen.getByRole('link', { name: 'Người dân' }).click();
    for (let i = 0; i < 8; i++) await questions.nth(i).getByLabel('Rất hài lòng', { exact: true }).check();
    await citizen.getByRole('button', { name: 'Gửi ý kiến' }).click();
    expect(await shown(citizen.locator('h1'))).toBe('Ông/bà đã trả lời hôm nay');
    await screenshot(citizen, 'survey-online', 'again-390.png');

    // The tally moved: one online answer, 5 satisfied of 8 questions: 5 / 8 × 30 = 18,75.
    expect(await tallyRow(admin, 'Xã Trực Thanh')).toEqual(['1', '0', '5', '18,75']);
    await screenshot(admin, 'survey-online', 'answers-390.png');

    // Once published, anyone reads the unit's rate per question, with a chart, on a phone.
    await t.orm.em.execute(`update campaign set state = 'published' where code = ?`, [code]);
    await citizen.goto(`${base}${paths.published.unitSurvey(code, 'xa-truc-thanh')}`);
    expect(await shown(citizen.locator('h1'))).toBe('Kết quả khảo sát sự hài lòng — Xã Trực Thanh');
    expect(await citizen.locator('svg.chart').count()).toBe(1);
    expect(await overflow(citizen)).toBeLessThanOrEqual(0);
    await screenshot(citizen, 'survey-online', 'published-unit-390.png');
    await citizen.context().close();
    await admin.context().close();
  });
});
