import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInVietnam } from '../../src/domain/dates.ts';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { createPracticeCampaign } from '../../src/features/practice.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';

// Issue 21's journey on a phone (390 px): a trainee officer of Xã Trực Thanh self-assesses and submits in the practice
// campaign the secretariat made from the real one, then a trainee appraiser of Phòng Nội vụ appraises it and both read
// the preview of its results. Every page of the practice carries the band "Tập huấn — dữ liệu không có giá trị"; the
// lists that show it beside the real campaign mark it. JavaScript on and off.

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

const band = 'Tập huấn — dữ liệu không có giá trị';

/** The band, as a reader sees it at the top of the page. */
async function expectBand(page: Page) {
  const shownBand = page.locator('#practice-band');
  expect(await shown(shownBand), page.url()).toContain(band);
  expect(await shownBand.isVisible()).toBe(true);
}

describe.each([true, false])('a trainee officer and a trainee appraiser with JavaScript %s', (javaScriptEnabled) => {
  let t: TestApp;
  let base: string;
  let practice: string;
  let admin: Browser;
  const shot = (page: Page, name: string) =>
    screenshot(page, 'practice', `${name}-${javaScriptEnabled ? 'js' : 'no-js'}.png`, 390);

  beforeAll(async () => {
    const today = todayInVietnam();
    t = await startTestApp({ today });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const em = t.orm.em.fork();
    const [{ code, admin_id }] = await em.execute<{ code: string; admin_id: number }[]>(
      `select c.code, (select id from app_user where username = 'admin') as admin_id from campaign c order by c.id limit 1`,
    );
    const made = await createPracticeCampaign(t.orm.em.fork(), { id: admin_id }, code, { samples: false, today });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    practice = made.value.code;
    // The training lets the officer submit, and has filled in every answer but 1.3 (the one the trainee writes).
    await em.execute('update campaign set officer_may_submit = true where code = ?', [practice]);
    await em.execute(`update criterion set evidence_required = false`);
    await em.execute(
      `update criterion_score cs set self_score = c.max_score, explanation = 'Báo cáo số 45/BC-UBND, trang 2', version = version + 1
         from criterion c, self_assessment sa, unit u, campaign k
        where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and k.id = sa.campaign_id
          and u.code = 'xa-truc-thanh' and k.code = ? and c.code <> '1.3'`,
      [practice],
    );
    admin = await Browser.signedIn(t.app, 'admin');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('self-assesses, submits, appraises and reads the preview, the band on every page of the practice', async () => {
    const contexts: BrowserContext[] = [];
    const newPage = async () => {
      const context = await chromium.newContext({
        javaScriptEnabled,
        locale: 'vi-VN',
        viewport: { width: 390, height: 740 },
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    };
    const signIn = async (page: Page, username: string) => {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(demoPassword);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
    };
    try {
      // --- The trainee officer: the practice beside the real campaign, marked.
      const officer = await newPage();
      await signIn(officer, 'canbo');
      await officer.waitForURL(/\/unit$/);
      const item = officer.getByRole('listitem').filter({ has: officer.getByRole('link', { name: /^Tập huấn — / }) });
      expect(await shown(item)).toMatch(/^Tập huấn — Chỉ số CCHC .* Tập huấn — Xã Trực Thanh · Tự đánh giá/);
      expect(await officer.locator('#practice-band').count()).toBe(0);
      await shot(officer, '1-unit-list');
      await officer.getByRole('link', { name: /^Tập huấn — / }).click();
      await officer.waitForURL((u) => u.pathname === paths.unit.campaign('xa-truc-thanh', practice));
      await expectBand(officer);
      await shot(officer, '2-unit-campaign');

      // Field 1, criterion 1.3: scored and explained as in the real campaign.
      await officer.getByRole('link', { name: '1. Công tác lãnh đạo, chỉ đạo' }).click();
      await officer.waitForURL(/\/criteria\?field=1$/);
      await expectBand(officer);
      const c13 = officer.getByRole('region', { name: /^1\.3 / });
      await c13.getByLabel('Điểm tự chấm').fill('1,25');
      await c13.getByLabel('Giải trình').fill('Kế hoạch số 12/KH-UBND ngày 10/01, mục II, trang 3.');
      await c13.getByRole('button', { name: 'Lưu 1.3' }).click();
      if (!javaScriptEnabled) await officer.waitForURL(/saved=1\.3/);
      await c13.locator('.savebar strong', { hasText: 'Đã lưu' }).waitFor();
      await expectBand(officer);
      await shot(officer, '3-unit-criterion-saved');

      // Reviewed and submitted.
      await officer.goto(`${base}${paths.unit.submission('xa-truc-thanh', practice)}`);
      await expectBand(officer);
      await officer.getByText('Đã đủ thông tin.', { exact: false }).first().waitFor();
      await officer.getByRole('button', { name: 'Nộp tự đánh giá' }).click();
      await officer.getByRole('heading', { name: 'Đã nộp tự đánh giá' }).waitFor();
      await expectBand(officer);
      await shot(officer, '4-unit-submitted');

      // --- The secretariat opens the practice's appraisal (its phases move freely).
      const moved = await admin.submit(paths.admin.campaign(practice), paths.practice.phase(practice), {
        to: 'appraisal',
      });
      expect(moved.statusCode).toBe(303);

      // --- The trainee appraiser: the practice beside the real campaign, then its queue and an item.
      const appraiser = await newPage();
      await signIn(appraiser, 'thamdinh');
      await appraiser.waitForURL(/\/appraisal$/);
      expect(await appraiser.locator('#practice-band').count()).toBe(0);
      const section = appraiser.getByRole('region', { name: /^Tập huấn — / });
      expect(await shown(section.getByRole('heading'))).toMatch(/^Tập huấn — .* Tập huấn · Thẩm định$/);
      await shot(appraiser, '5-appraisal-home');
      await section.getByRole('link', { name: 'Danh sách thẩm định' }).click();
      await appraiser.waitForURL(
        (u) => u.pathname === '/appraisal/queue' && u.searchParams.get('campaign') === practice,
      );
      await expectBand(appraiser);
      await shot(appraiser, '6-appraisal-queue');
      await appraiser.getByRole('link', { name: 'Bắt đầu thẩm định' }).click();
      await appraiser.waitForURL(/\/appraisal\/items\/\d+\?/);
      await expectBand(appraiser);
      const heading = appraiser.getByRole('heading', { level: 1 });
      const first = await shown(heading);
      expect(first).toContain('Xã Trực Thanh › ');
      await appraiser.getByRole('button', { name: 'Chấp nhận và tiếp' }).click();
      await appraiser.waitForFunction((before) => document.querySelector('h1')?.textContent?.trim() !== before, first);
      await expectBand(appraiser);
      await shot(appraiser, '7-appraisal-item');
      const accepted = await t.orm.em.fork().execute<{ n: number }[]>(
        `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
             join self_assessment sa on sa.id = cs.self_assessment_id join campaign k on k.id = sa.campaign_id
            where k.code = ? and a.state = 'accepted'`,
        [practice],
      );
      expect(accepted[0].n).toBe(1);

      // --- The secretariat closes the practice's appraisal and publishes its preview; both trainees read it.
      await admin.submit(paths.admin.campaign(practice), paths.practice.phase(practice), { to: 'council-review' });
      expect(
        (await admin.submit(paths.admin.campaign(practice), paths.practice.publish(practice), {})).statusCode,
      ).toBe(303);
      for (const [page, name] of [
        [appraiser, '8-preview-appraiser'],
        [officer, '9-preview-officer'],
      ] as const) {
        await page.goto(`${base}${paths.practice.preview(practice)}`);
        await expectBand(page);
        const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Xã Trực Thanh' }) });
        await row.waitFor();
        expect((await row.getByRole('cell').allTextContents()).map((c) => c.trim())).toEqual([
          '1',
          expect.stringMatching(/^\d+(,\d+)?$/),
          expect.any(String),
        ]);
        await shot(page, name);
      }
      // The secretariat's page of the practice and the discard's confirmation, with the numbers it removes.
      const secretariat = await newPage();
      await signIn(secretariat, 'admin');
      await secretariat.waitForURL(/\/(home|admin)$/);
      await secretariat.goto(`${base}${paths.admin.campaign(practice)}`);
      await expectBand(secretariat);
      await secretariat.getByRole('heading', { name: 'Điều hành đợt tập huấn' }).waitFor();
      await shot(secretariat, '10-secretariat-practice');
      await secretariat.getByRole('link', { name: 'Hủy bỏ đợt tập huấn…' }).click();
      await secretariat.waitForURL((u) => u.pathname === paths.practice.discard(practice));
      await expectBand(secretariat);
      expect(await shown(secretariat.locator('#n-submitted'))).toBe('1');
      expect(await shown(secretariat.locator('#n-publications'))).toBe('1');
      await shot(secretariat, '11-secretariat-discard-confirm');
      // Nothing of it on the public pages.
      const visitor = await newPage();
      await visitor.goto(`${base}/`);
      expect(await shown(visitor.locator('main'))).not.toContain('Tập huấn');
      const missing = await visitor.goto(`${base}${paths.published.campaign(practice)}`);
      expect(missing?.status()).toBe(404);
    } finally {
      for (const c of contexts) await c.close();
    }
  });
});
