import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, screenshotsDir, shown, textOf } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';

// Issue 14, items 3, 6 and 9 on a 390 px phone: a refused save opens on its error summary (without JavaScript too),
// the upload keeps what was typed and says what to do, "Không áp dụng" disables what it makes irrelevant, the
// assignments a field at a time (a form per criterion), controls are big enough for a thumb, and no save breaks the CSP.

const width = 390;
let browser: Browser;
let t: TestApp;
let base: string;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

/** What the phone shows first, before any scrolling: a viewport screenshot beside the helper's full-page ones. */
async function firstScreen(page: Page, name: string) {
  const dir = path.join(screenshotsDir, 'forms');
  mkdirSync(dir, { recursive: true });
  // caret 'initial': hiding the caret leaves style="" on inputs, which htmx would copy into a swap (a CSP report).
  await page.screenshot({ path: path.join(dir, name), caret: 'initial' });
}

async function signedIn(javaScriptEnabled: boolean, problems: string[] = [], username = 'canbo'): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width, height: 740 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(demoPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

const campaignCode = async () =>
  (await t.orm.em.fork().getConnection().execute<{ code: string }[]>('select code from campaign'))[0]!.code;
const criterion = (page: Page, code: string) =>
  page.getByRole('region', { name: new RegExp(`^${code.replaceAll('.', '\\.')} `) });

/** Whether the element's box lies within the first screen. */
const inFirstScreen = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const box = document.querySelector(s)!.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight && box.height > 0;
  }, selector);

describe('without JavaScript, at 390 px', () => {
  it('a refused score and a refused upload open on their error summary, with every value kept', async () => {
    const page = await signedIn(false);
    const code = await campaignCode();
    await page.goto(`${base}/unit/xa-truc-thanh/campaigns/${code}/criteria?field=1`);
    // 1.6.2 is far down the field's page.
    const c162 = criterion(page, '1.6.2');
    await c162.getByLabel('Điểm tự chấm').fill('abc');
    await c162.getByLabel('Giải trình').fill('Giữ nguyên lời giải trình này');
    await c162.getByRole('button', { name: 'Lưu 1.6.2' }).click();
    await page.waitForURL(/\/criteria\/1\.6\.2$/);
    const summary = page.locator('#error-summary');
    expect(await shown(summary)).toBe('Có lỗi cần sửa Tiêu chí 1.6.2: Điểm phải là số, ví dụ 0,5.');
    // The page opens on it: focused, in the first screen (the field page's top scrolled away).
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await inFirstScreen(page, '#error-summary')).toBe(true);
    await firstScreen(page, 'no-js-score-first-screen.png');
    await c162.screenshot({ path: path.join(screenshotsDir, 'forms', 'no-js-score-refused.png') });
    expect(await c162.getByLabel('Điểm tự chấm').inputValue()).toBe('abc');
    expect(await c162.getByLabel('Giải trình').inputValue()).toBe('Giữ nguyên lời giải trình này');
    // Its link goes to the field.
    await summary.getByRole('link').click();
    expect(page.url()).toMatch(/#c-1-6-2-score$/);

    // An upload with a wrong type and a date that does not exist: both said at once, the typed fields kept.
    await page.goto(`${base}/unit/xa-truc-thanh/campaigns/${code}/criteria?field=1`);
    await criterion(page, '1.3').getByRole('link', { name: 'Thêm tài liệu kiểm chứng' }).click();
    await page.waitForURL(/\/criteria\/1\.3\/evidence$/);
    const main = page.locator('main');
    await main.getByLabel('Chọn tệp').setInputFiles({
      name: 'ke-hoach.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('only words, not a PDF'),
    });
    await main.getByLabel('Số, ký hiệu').fill('15/KH-UBND');
    await main.getByLabel('Ngày ban hành').fill('31/02/2026');
    await main.getByLabel('Cơ quan ban hành').fill('UBND xã Trực Thanh');
    await main.getByRole('button', { name: 'Tải lên' }).click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/criteria\/1\.3\/evidence$/);
    expect(page.url()).not.toContain('_csrf');
    const items = await page.locator('#error-summary li').allTextContents();
    expect(items.map((x) => x.trim())).toEqual([
      'Tệp này không được nhận. Chỉ nhận PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG.',
      '31/02/2026 không phải là ngày có thật. Kiểm tra lại ngày và tháng.',
    ]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await main.getByLabel('Số, ký hiệu').inputValue()).toBe('15/KH-UBND');
    expect(await main.getByLabel('Ngày ban hành').inputValue()).toBe('31/02/2026');
    expect(await main.getByLabel('Cơ quan ban hành').inputValue()).toBe('UBND xã Trực Thanh');
    await firstScreen(page, 'no-js-upload-first-screen.png');

    // A good PDF with the date put right is taken.
    await main.getByLabel('Chọn tệp').setInputFiles({
      name: 'ke-hoach.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfBytes({ text: 'Ke hoach 15' }),
    });
    await main.getByLabel('Ngày ban hành').fill('28/02/2026');
    await main.getByLabel('Ngày ban hành').fill('10/01/2026');
    await main.getByRole('button', { name: 'Tải lên' }).click();
    await page.waitForURL(/\/criteria\?field=1#c-1-3$/);
    expect(await textOf(criterion(page, '1.3').locator('.evidence'))).toContain('ke-hoach.pdf');
  });
});

describe('with JavaScript, at 390 px', () => {
  it('saves without a CSP error, focuses a refusal, disables what "Không áp dụng" makes irrelevant, thumb-sized', async () => {
    const problems: string[] = [];
    const page = await signedIn(true, problems);
    const code = await campaignCode();
    await page.goto(`${base}/unit/xa-truc-thanh/campaigns/${code}/criteria?field=1`);

    // A save, then a refusal: swapped in place, the refusal's summary focused; no console error (the CSP included).
    const c13 = criterion(page, '1.3');
    await c13.getByLabel('Điểm tự chấm').fill('1,25');
    await c13.getByLabel('Giải trình').fill('Báo cáo số 3');
    await c13.getByRole('button', { name: 'Lưu 1.3' }).click();
    await c13.locator('.savebar strong').waitFor();
    expect(await textOf(c13.locator('.savebar .muted'))).toMatch(/^Đã lưu \d\d:\d\d \d\d\/\d\d\/\d{4} bởi /);
    // htmx made no style sheet of its own (includeIndicatorCSS off): its indicator rules come from app.css.
    expect(await page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
    const c162 = criterion(page, '1.6.2');
    await c162.getByLabel('Điểm tự chấm').fill('abc');
    await c162.getByRole('button', { name: 'Lưu 1.6.2' }).click();
    await page.locator('#c-1-6-2-errors').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('c-1-6-2-errors');
    expect(await shown(page.locator('#c-1-6-2-errors'))).toBe('Có lỗi cần sửa Điểm phải là số, ví dụ 0,5.');
    await firstScreen(page, 'js-score-refused-first-screen.png');

    // "Không áp dụng": at once the score box, the evidence-required note and the upload are disabled and greyed (in
    // the muted colour, still readable: not faded by opacity).
    const c14 = criterion(page, '1.4');
    const score = c14.getByLabel('Điểm tự chấm');
    const muted = 'rgb(80, 90, 95)';
    const look = (selector: string) =>
      c14
        .locator(selector)
        .first()
        .evaluate((e) => ({ color: getComputedStyle(e).color, opacity: Number(getComputedStyle(e).opacity) }));
    expect(await score.isDisabled()).toBe(false);
    await c14.getByLabel('Không áp dụng').check();
    expect(await score.isDisabled()).toBe(true);
    expect(await look('.meta .na-off')).toEqual({ color: muted, opacity: 1 });
    expect((await look('.add-evidence a')).color).toBe(muted);
    expect(await c14.getByRole('link', { name: 'Thêm tài liệu kiểm chứng' }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    await c14.screenshot({
      path: path.join(screenshotsDir, 'forms', 'js-not-applicable.png'),
      caret: 'initial',
    });
    await c14.getByLabel('Không áp dụng').uncheck();
    expect(await score.isDisabled()).toBe(false);
    expect((await look('.add-evidence a')).color).not.toBe(muted);
    await c14.getByLabel('Không áp dụng').check();
    await c14.getByLabel('Giải trình').fill('Xã không có đơn vị sự nghiệp');
    await c14.getByRole('button', { name: 'Lưu 1.4' }).click();
    await c14.locator('.savebar strong').waitFor();
    expect(await c14.getByLabel('Điểm tự chấm').isDisabled()).toBe(true);

    // Thumb-sized: buttons and text boxes at least 44 px high, checkboxes and radios 24 px, the explanation full width.
    const sizes = await page.evaluate(() => {
      const box = (e: Element) => e.getBoundingClientRect();
      const visible = (e: Element) => box(e).width > 0;
      const all = (s: string) => [...document.querySelectorAll(s)].filter(visible);
      return {
        buttons: all('.score-form button[type=submit]').map((e) => box(e).height),
        inputs: all('.score-form input[inputmode]').map((e) => box(e).height),
        checks: all('.score-form input[type=checkbox], .score-form input[type=radio]').map((e) =>
          Math.min(box(e).width, box(e).height),
        ),
        checkRows: all('.score-form label.check').map((e) => box(e).height),
        explanation: box(document.querySelector('#c-1-3-x')!).width,
        form: box(document.querySelector('#c-1-3 .score-form')!).width,
        scroll: document.documentElement.scrollWidth,
      };
    });
    expect(sizes.buttons.length).toBeGreaterThan(3);
    for (const h of [...sizes.buttons, ...sizes.inputs, ...sizes.checkRows]) expect(h).toBeGreaterThanOrEqual(44);
    for (const s of sizes.checks) expect(s).toBeGreaterThanOrEqual(24);
    expect(sizes.explanation).toBeGreaterThanOrEqual(sizes.form - 30);
    expect(sizes.scroll).toBeLessThanOrEqual(width);

    // The assignments: a field at a time, a form per criterion (issue 23: several hands, a due date each).
    await page.goto(`${base}/unit/xa-truc-thanh/campaigns/${code}/assignments`);
    await screenshot(page, 'forms', 'js-assignments.png', width);
    await page.locator('details#f-2 > summary').click();
    await page.locator('details#f-2').getByRole('link', { name: 'Phân công 2.1.1' }).click();
    await page.waitForURL(/\/assignments\/2\.1\.1$/);
    const give = page.getByRole('checkbox', { name: /Giao cho Lê Thị Ơn$/ });
    await give.check();
    const due = formatDate(addDays(todayInVietnam(), 7));
    await page.getByLabel('Hạn nội bộ của Lê Thị Ơn').fill(due);
    const row = await page.locator('label.check').filter({ has: give }).boundingBox();
    const dueBox = await page.getByLabel('Hạn nội bộ của Lê Thị Ơn').boundingBox();
    expect(row!.height).toBeGreaterThanOrEqual(44);
    expect(dueBox!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.getByRole('button', { name: 'Lưu phân công' }).click();
    await page.waitForURL(/\/assignments\?saved=2\.1\.1&field=2/);
    expect(await shown(page.getByRole('status'))).toBe('Đã lưu phân công tiêu chí 2.1.1.');
    expect(await page.locator('details#f-2').getAttribute('open')).toBe('');
    expect(await textOf(page.locator('#a-2-1-1 .hands-assignees'))).toBe(`Lê Thị Ơn · hạn ${due}`);
    await screenshot(page, 'forms', 'js-assignments-saved.png', width);

    // No CSP violation (htmx's indicator style included) and no script error; the browser's own line for the 422
    // the refused save answered is the only one expected.
    expect(problems.filter((p) => /Content Security Policy/.test(p))).toEqual([]);
    expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });

  it("a refused form keeps its page's address; a saved one shows where it went", async () => {
    const problems: string[] = [];
    const page = await signedIn(true, problems, 'admin');
    await page.goto(`${base}/admin/units/new`);
    await page.locator('#name').fill('Xã Thử Nghiệm');
    await page.locator('main form button[type=submit]').first().click();
    await page.locator('#error-summary').waitFor();
    // Refused: the address is still the form's (not /admin/units, the list, where the form posts).
    expect(new URL(page.url()).pathname).toBe('/admin/units/new');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await page.locator('#name').inputValue()).toBe('Xã Thử Nghiệm');
    await page.locator('#code').fill('xa-thu-nghiem');
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForURL(/\/admin\/units\?done=created&code=xa-thu-nghiem$/);
    expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });
});
