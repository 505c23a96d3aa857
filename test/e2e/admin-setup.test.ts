import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown, textOf } from '../helpers/browser.ts';

// The secretariat's set-up of a year, as a person does it in the browser (issue 3's journey): a criteria set with three
// levels, a campaign from it, its assessed units, a new appraiser, and the step that opens self-assessment.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The value a page's summary list gives for `term`. */
const summaryValue = (page: Page, term: string) =>
  shown(
    page
      .locator('dl.summary > div')
      .filter({ has: page.getByRole('term').getByText(term, { exact: true }) })
      .getByRole('definition'),
  );

/** The body rows of a small table as they read, cells separated by one space. */
const shownRows = async (table: Locator) =>
  (await table.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());

async function signIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

describe.each([true, false])('the secretariat sets up a campaign with JavaScript %s', (javaScriptEnabled) => {
  const suffix = javaScriptEnabled ? 'js' : 'nojs';
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a three-level criteria set, a campaign, an appraiser, and opens self-assessment', async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const today = todayInVietnam();
    const year = Number(today.slice(0, 4));
    const date = (days: number) => formatDate(addDays(today, days));
    const toAdminHome = async () => {
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Quản trị' }).click();
      await page.waitForURL(/\/admin$/);
    };

    await signIn(page, base, 'admin', 'demo-cchc-2024');
    await page.waitForURL(/\/home$/);
    await toAdminHome();

    // The criteria set: a field, a criterion and two sub-criteria. Every page is reached by its link, never by a typed address.
    await page.getByRole('link', { name: 'Bộ tiêu chí', exact: true }).first().click();
    await page.waitForURL(/\/admin\/criteria-sets$/);
    await page.getByRole('link', { name: 'Tạo bộ tiêu chí' }).click();
    await page.waitForURL(/\/admin\/criteria-sets\/new$/);
    await page.getByLabel('Tên bộ tiêu chí').fill('Bộ tiêu chí thử nghiệm');
    await page.getByLabel('Năm', { exact: true }).fill(String(year));
    await page.getByLabel('Quyết định ban hành').fill('Quyết định số 01/QĐ-UBND (thử nghiệm)');
    await page.getByRole('button', { name: 'Tạo mới' }).click();
    await page.waitForURL(/\/admin\/criteria-sets\/\d+$/);
    const setUrl = page.url();
    expect(await shown(page.locator('h1'))).toBe('Bộ tiêu chí thử nghiệm');

    /** Fills the criterion form that `link` opens, checks the code it proposes, saves, and waits for the new row. */
    async function addCriterion(
      link: Locator,
      code: string,
      title: string,
      max: string,
      more: (p: Page) => Promise<void> = async () => {},
    ) {
      await link.click();
      await page.waitForURL(/\/criteria\/new/);
      expect(await page.getByLabel('Mã', { exact: true }).inputValue()).toBe(code);
      await page.getByLabel('Nội dung tiêu chí').fill(title);
      await page.getByLabel('Điểm tối đa').fill(max);
      await more(page);
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.getByRole('rowheader', { name: code, exact: true }).waitFor();
      expect(page.url().split('?')[0]).toBe(setUrl);
      expect(await shown(page.getByRole('status'))).toBe('Đã lưu thay đổi.');
    }

    // The field's own maximum is a first guess: once it has children, it is their sum.
    await addCriterion(
      page.getByRole('link', { name: 'Thêm lĩnh vực' }),
      '1',
      'Công tác chỉ đạo, điều hành cải cách hành chính',
      '3',
      async (p) => {
        await p.getByLabel('Cơ quan thẩm định').selectOption({ label: 'Phòng Nội vụ' });
      },
    );
    await addCriterion(
      page.getByRole('link', { name: 'Thêm tiêu chí con 1', exact: true }),
      '1.1',
      'Kế hoạch cải cách hành chính năm',
      '1',
    );
    await addCriterion(
      page.getByRole('link', { name: 'Thêm tiêu chí con 1.1', exact: true }),
      '1.1.1',
      'Ban hành kế hoạch đúng thời hạn',
      '1,5',
      async (p) => {
        await p.getByLabel('Hướng dẫn chấm điểm').fill('Ban hành trước ngày 31/12: 1,5 điểm; chậm: 0 điểm.');
        await p.getByLabel('Bắt buộc có tài liệu kiểm chứng').check();
        // The scoring rule as a table of levels: "Thêm dòng" brings more rows, everything typed kept.
        await p
          .getByLabel('Cách tính điểm theo số liệu kê khai')
          .selectOption({ label: 'Theo mức: đơn vị chọn một mức, mỗi mức một số điểm' });
        const levels = p.getByRole('group', { name: 'Các mức' });
        await levels.getByLabel('Mức, dòng 1').fill('Đúng hạn');
        await levels.getByLabel('Điểm, dòng 1').fill('1,5');
        await levels.getByRole('button', { name: 'Thêm dòng' }).click();
        await levels.getByLabel('Mức, dòng 5').waitFor();
        expect(await levels.getByLabel('Điểm, dòng 1').inputValue()).toBe('1,5');
        expect(await p.getByLabel('Nội dung tiêu chí').inputValue()).toBe('Ban hành kế hoạch đúng thời hạn');
        await levels.getByLabel('Mức, dòng 2').fill('Chậm');
        await levels.getByLabel('Điểm, dòng 2').fill('0');
        if (!javaScriptEnabled) await screenshot(p, 'admin-setup', 'criterion-levels.png', 390);
      },
    );
    await addCriterion(
      page.getByRole('link', { name: 'Thêm tiêu chí con 1.1', exact: true }),
      '1.1.2',
      'Mức độ hoàn thành kế hoạch',
      '0,5',
    );

    const row = (code: string) =>
      page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: code, exact: true }) });
    const maxOf = async (code: string) => textOf(row(code).locator(':scope > td').nth(1));
    expect(await maxOf('1.1.1')).toBe('1,5');
    expect(await maxOf('1.1.2')).toBe('0,5');
    expect(await maxOf('1.1')).toBe('= 2');
    expect(await maxOf('1')).toBe('= 2');
    expect(await textOf(row('1'))).toContain('Phòng Nội vụ');
    expect(await shownRows(row('1.1.1').locator('table.rule-shown'))).toEqual(['Đúng hạn 1,5', 'Chậm 0']);
    expect(await summaryValue(page, 'Số tiêu chí')).toBe('4');
    expect(await summaryValue(page, 'Tổng điểm tối đa')).toBe('2');
    expect(await page.getByRole('region', { name: 'Bộ tiêu chí còn lỗi' }).count()).toBe(0);
    if (!javaScriptEnabled) await screenshot(page, 'admin-setup', 'criteria-set.png');

    // The campaign, from that set.
    const code = `thu-nghiem-${suffix}`;
    const name = `Chỉ số CCHC thử nghiệm năm ${year}`;
    await toAdminHome();
    await page.getByRole('link', { name: 'Kỳ đánh giá', exact: true }).first().click();
    await page.waitForURL(/\/admin\/campaigns$/);
    await page.getByRole('link', { name: 'Tạo kỳ đánh giá' }).click();
    await page.waitForURL(/\/admin\/campaigns\/new$/);
    await page.getByLabel('Mã kỳ').fill(code);
    await page.getByLabel('Tên kỳ đánh giá').fill(name);
    await page.getByLabel('Năm', { exact: true }).fill(String(year));
    await page.getByLabel('Cơ quan tổ chức').fill('UBND huyện Trực Ninh');
    await page.getByLabel('Bộ tiêu chí', { exact: true }).selectOption({ label: `${year} — Bộ tiêu chí thử nghiệm` });
    // Composition and bands come as rows to read and change, with decimal commas.
    expect(await page.getByLabel('Thành phần, dòng 1').inputValue()).toBe('appraisal');
    expect(await page.getByLabel('Điểm tối đa, dòng 2').inputValue()).toBe('30');
    expect(await page.getByLabel('Xếp loại, dòng 3').inputValue()).toBe('Khá');
    await page.getByLabel('Từ (điểm), dòng 3').fill('72,5');
    if (!javaScriptEnabled) await screenshot(page, 'admin-setup', 'campaign-form.png', 390);
    await page.getByLabel('Bắt đầu tự đánh giá').fill(date(-1));
    await page.getByLabel('Hạn nộp tự đánh giá').fill(date(7));
    await page.getByLabel('Bắt đầu thẩm định').fill(date(8));
    await page.getByLabel('Kết thúc thẩm định').fill(date(21));
    await page.getByLabel('Hạn công bố').fill(date(35));
    await page.getByRole('button', { name: 'Tạo mới' }).click();
    await page.waitForURL(new RegExp(`/admin/campaigns/${code}$`));
    const campaignUrl = page.url();
    expect(await shown(page.locator('h1'))).toBe(name);
    const setting = (label: string) =>
      textOf(
        page
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) })
          .getByRole('cell'),
      );
    expect(await setting('Bộ tiêu chí')).toBe('Bộ tiêu chí thử nghiệm');
    expect(await shownRows(page.locator('#composition-shown'))).toEqual(['Thẩm định 70', 'Điều tra xã hội học 30']);
    expect(await shownRows(page.locator('#bands-shown'))).toEqual([
      'Xuất sắc 95',
      'Tốt 85',
      'Khá 72,5',
      'Trung bình 70',
      'Yếu 0',
    ]);
    expect(await setting('Tự đánh giá')).toBe(`${date(-1)} – ${date(7)}`);
    expect(await setting('Thẩm định')).toBe(`${date(8)} – ${date(21)}`);
    const phases = page.getByRole('list', { name: 'Giai đoạn' });
    expect(await textOf(phases.locator('[aria-current="step"]'))).toBe('Bản nháp');

    // Its assessed units.
    await page.getByRole('link', { name: 'Đơn vị được đánh giá' }).click();
    await page.waitForURL(new RegExp(`/admin/campaigns/${code}/units$`));
    const choice = page.getByRole('group', { name: 'Chọn các đơn vị được đánh giá' });
    await choice.getByLabel('Thị trấn Cổ Lễ').check();
    await choice.getByLabel('Xã Trực Đạo').check();
    await choice.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(new RegExp(`/admin/campaigns/${code}/units\\?saved=1$`));
    expect(await shown(page.getByRole('status'))).toBe('Đã lưu thay đổi.');
    expect(
      await page
        .getByRole('group', { name: 'Chọn các đơn vị được đánh giá' })
        .getByRole('checkbox', { checked: true })
        .count(),
    ).toBe(2);
    expect(await page.getByLabel('Gia hạn đến — Thị trấn Cổ Lễ').count()).toBe(1);
    expect(await page.getByLabel('Gia hạn đến — Xã Trực Đạo').count()).toBe(1);

    // A new person, made appraiser for Phòng Nội vụ.
    const username = `tham-dinh-${suffix}`;
    const fullName = 'Nguyễn Thị Thẩm Định';
    await toAdminHome();
    await page.getByRole('link', { name: 'Người dùng', exact: true }).first().click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('link', { name: 'Thêm người dùng' }).click();
    await page.waitForURL(/\/admin\/users\/new$/);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Họ và tên').fill(fullName);
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.waitForURL(new RegExp(`/admin/users/${username}\\?done=created$`));
    expect(await shown(page.getByRole('status').filter({ hasText: 'Đã tạo tài khoản' }))).toBe(
      `Đã tạo tài khoản cho ${fullName}.`,
    );
    const password = await shown(
      page
        .getByRole('status')
        .filter({ hasText: `Mật khẩu tạm của ${fullName}` })
        .locator('code'),
    );
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Thành viên thẩm định' });
    await page.getByLabel('Cơ quan thẩm định', { exact: true }).selectOption({ label: 'Phòng Nội vụ' });
    await page.getByRole('button', { name: 'Gán vai trò' }).click();
    await page.waitForURL(new RegExp(`/admin/users/${username}\\?done=role-assigned$`));
    expect(await shown(page.getByRole('status').filter({ hasText: 'Đã gán vai trò' }))).toBe(
      `Đã gán vai trò cho ${fullName}.`,
    );
    const grant = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Thành viên thẩm định' }) });
    expect(await textOf(grant.getByRole('cell').first())).toBe('Phòng Nội vụ');

    // The step that opens self-assessment, once its checks are all ticked.
    await toAdminHome();
    await page.getByRole('link', { name: 'Kỳ đánh giá', exact: true }).first().click();
    await page.waitForURL(/\/admin\/campaigns$/);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(campaignUrl);
    const next = page.getByRole('region', { name: 'Bước tiếp theo: Tự đánh giá' });
    const checks = next.getByRole('listitem');
    expect((await checks.allTextContents()).map((s) => s.trim())).toEqual([
      'Bộ tiêu chí hợp lệ',
      '2 đơn vị được đánh giá',
      'Đã đặt thời hạn tự đánh giá',
    ]);
    expect(await next.locator('li.fail').count()).toBe(0);
    expect(await next.locator('li.ok').count()).toBe(3);
    if (!javaScriptEnabled) await screenshot(page, 'admin-setup', 'campaign.png');
    await next.getByRole('button', { name: 'Mở tự đánh giá' }).click();
    // A weighty step: first its confirmation page, then the deliberate second press.
    await page.waitForURL(/\/state\?to=self-assessment$/);
    expect(await shown(page.locator('h1'))).toBe('Xác nhận: Mở tự đánh giá');
    await page.getByRole('button', { name: 'Tôi đã đọc, xác nhận: Mở tự đánh giá' }).click();
    await page.waitForURL(new RegExp(`/admin/campaigns/${code}\\?saved=step$`));
    expect(await shown(page.getByRole('status'))).toBe('Kỳ đánh giá đã chuyển sang giai đoạn: Tự đánh giá.');
    expect(await textOf(page.getByRole('list', { name: 'Giai đoạn' }).locator('[aria-current="step"]'))).toBe(
      'Tự đánh giá',
    );
    expect(await page.getByRole('region', { name: 'Bước tiếp theo: Thẩm định' }).count()).toBe(1);
    expect(await summaryValue(page, 'Đơn vị')).toBe('2');
    if (!javaScriptEnabled) await screenshot(page, 'admin-setup', 'campaign-opened.png');

    // The criteria set is now in use: it says so and offers no more editing.
    await page.getByRole('link', { name: 'Bộ tiêu chí thử nghiệm' }).click();
    await page.waitForURL(setUrl);
    expect(await shown(page.getByRole('note'))).toContain(`Bộ tiêu chí đang dùng cho kỳ «${name}»`);
    expect(await page.getByRole('link', { name: 'Thêm lĩnh vực' }).count()).toBe(0);

    // The campaign's rules are now fixed: shown read-only with the reason, not as inputs refused on save.
    await page.goto(`${campaignUrl}/settings`);
    expect(await shown(page.locator('#rules-locked'))).toContain(
      'Không sửa được từ khi kỳ đánh giá chuyển sang «Tự đánh giá»',
    );
    expect(await page.getByLabel('Làm tròn').count()).toBe(0);
    expect(await shownRows(page.locator('#bands-shown'))).toContain('Khá 72,5');
    if (!javaScriptEnabled) await screenshot(page, 'admin-setup', 'campaign-settings-locked.png', 390);
    await context.close();

    // The appraiser signs in with the password shown once.
    const appraiserContext = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN' });
    appraiserContext.setDefaultTimeout(15_000);
    const appraiser = await appraiserContext.newPage();
    await signIn(appraiser, base, username, password);
    // The password was temporary: the first page asks for the appraiser's own.
    await appraiser.waitForURL(/\/account\/password$/);
    expect(await shown(appraiser.getByRole('status'))).toContain('Bạn đang dùng mật khẩu tạm');
    await appraiser.getByLabel('Mật khẩu hiện tại').fill(password);
    await appraiser.getByLabel('Mật khẩu mới', { exact: true }).fill('tham dinh vien tu dat mat khau');
    await appraiser.getByLabel('Nhập lại mật khẩu mới').fill('tham dinh vien tu dat mat khau');
    await appraiser.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await appraiser.waitForURL(/\/appraisal$/);
    const nav = appraiser.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Thẩm định']);
    expect(await shown(appraiser.locator('header'))).toContain(fullName);
    await appraiserContext.close();
  }, 90_000);
});
