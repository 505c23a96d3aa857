import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown, signedInPage, textOf } from '../helpers/browser.ts';
import { makePng } from '../helpers/evidence.ts';

// Issue 14, items 4 and 5, walked in Chromium on a real server: at 390 px the commune officer sees the appraiser's
// request at the top of the unit's home, with its due date, and answers it; the appraiser scores an appraiser-only
// deduction criterion with Enter and lands on the "queue done" page; at 1366 px the evidence opens beside the form.

const unit = 'xa-truc-thanh';
let browser: Browser;
let t: TestApp;
let base: string;
let code: string;
const due = addDays(todayInVietnam(), 3);
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const itemOf = async (criterion: string) =>
  (
    await sql<{ id: number; score_id: number }>(
      `select a.id, cs.id as score_id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where c.code = ? and u.code = ?`,
      [criterion, unit],
    )
  )[0]!;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, unit);
  await setCampaignState(t.orm, 'appraisal');
  // The appraiser asked about 1.1.1 and 1.3, both due in three days.
  for (const criterion of ['1.1.1', '1.3']) {
    const asked = await itemOf(criterion);
    await sql(
      `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
       values (?, 'Gửi bản kế hoạch CCHC đã ký số.', ?, (select id from app_user where username = 'thamdinh'), now())`,
      [asked.id, due],
    );
    await sql(`update appraisal set state = 'waiting' where id = ?`, [asked.id]);
  }
  // The unit's evidence for 1.2: a picture of its report register.
  const png = makePng(600, 400, true);
  const sha256 = createHash('sha256').update(png).digest('hex');
  const temp = await t.app.evidenceStore.tempPath();
  await writeFile(temp, png);
  await t.app.evidenceStore.put(temp, sha256);
  await sql(
    `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
     values (?, ?, ?, 'image/png', 'so-theo-doi-bao-cao.png', (select id from app_user where username = 'canbo'), now())`,
    [(await itemOf('1.2')).score_id, sha256, png.length],
  );
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const contexts: BrowserContext[] = [];
async function signedIn(username: string, width: number, javaScriptEnabled = true): Promise<Page> {
  const { page, context } = await signedInPage(browser, base, username, { width, javaScriptEnabled });
  contexts.push(context);
  return page;
}
afterAll(async () => {
  for (const c of contexts) await c.close();
});

describe('what needs me now, and an appraisal that flows to the end', () => {
  it('at 390 px, before appraisal opens, the appraiser reads who has submitted and when appraisal opens', async () => {
    await setCampaignState(t.orm, 'self-assessment');
    try {
      const page = await signedIn('thamdinh', 390);
      await page.waitForURL((u) => u.pathname === paths.appraisal.index());
      const waiting = page.getByRole('region', { name: /Chỉ số CCHC/ });
      const words = await shown(waiting);
      expect(words).toMatch(/Giai đoạn thẩm định chưa mở\. Dự kiến mở ngày \d\d\/\d\d\/\d{4}/);
      expect(words).toContain('1 / 21 đơn vị đã nộp báo cáo tự đánh giá');
      expect(words).toContain('Xã Trực Thanh · nộp lúc');
      await screenshot(page, 'needs', 'appraiser-before-opening-390.png', 390);
    } finally {
      await setCampaignState(t.orm, 'appraisal');
    }
  });

  it.each([
    [true, '1.1.1', 'Ban hành kế hoạch CCHC năm của UBND xã'],
    [false, '1.3', 'Tự kiểm tra công tác CCHC đối với các bộ phận, công chức thuộc UBND xã'],
  ])(
    'at 390 px (JavaScript %s) the commune officer sees the request banner with its deadline and answers it',
    async (javaScriptEnabled, criterion, title) => {
      const page = await signedIn('canbo', 390, javaScriptEnabled);
      const shot = (name: string) =>
        screenshot(page, 'needs', `${name}-${javaScriptEnabled ? 'js' : 'nojs'}-390.png`, 390);
      const codePattern = criterion.replaceAll('.', '\\.');
      await page.waitForURL((u) => u.pathname === paths.unit.index());
      const needs = page.getByRole('region', { name: 'Việc đang chờ bạn' });
      expect(await shown(needs)).toContain(
        `Yêu cầu giải trình bổ sung tiêu chí ${criterion} ${title} — Xã Trực Thanh · hạn trả lời ${formatDate(due)} (còn 3 ngày)`,
      );
      await shot('unit-home');

      // The task list says it too, above the fields.
      await page
        .getByRole('link', { name: /Chỉ số CCHC/ })
        .first()
        .click();
      await page.waitForURL((u) => u.pathname === paths.unit.campaign(unit, code));
      const banner = page.getByRole('region', { name: /yêu cầu đơn vị giải trình bổ sung/ });
      expect(await shown(banner)).toContain(`hạn trả lời ${formatDate(due)} (còn 3 ngày)`);
      const top = (await banner.boundingBox())!.y;
      expect(top).toBeLessThan((await page.getByRole('heading', { name: 'Các lĩnh vực' }).boundingBox())!.y);
      await shot('unit-tasks');

      await banner.getByRole('link', { name: new RegExp(`tiêu chí ${codePattern} `) }).click();
      await page.waitForURL((u) => u.pathname === paths.unit.explanations(unit, code));
      const asked = page.getByRole('region', { name: new RegExp(`^${codePattern} `) });
      await asked
        .getByLabel('Nội dung giải trình bổ sung')
        .fill('Kế hoạch số 12/KH-UBND ngày 20/01, đã ký số; xem trang 1.');
      await asked.getByRole('button', { name: 'Gửi giải trình' }).click();
      expect(await shown(asked.getByRole('status'))).toContain('Đã gửi giải trình bổ sung.');
      await shot('unit-answered');

      // Answered: this request no longer waits for the officer.
      await page.goto(`${base}${paths.unit.index()}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.locator('main').textContent()).not.toContain(`tiêu chí ${criterion} `);
    },
  );

  it('at 390 px the appraiser presses Enter on an appraiser-only criterion and reaches the "queue done" page', async () => {
    // Everything else of the unit's field 1 is decided; 1.9 (a deduction only appraisers score) is the last item.
    await sql(
      `update appraisal a set state = 'accepted', appraised_score = cs.self_score from criterion_score cs, criterion c
        where cs.id = a.criterion_score_id and c.id = cs.criterion_id and split_part(c.code, '.', 1) = '1' and c.code <> '1.9'`,
    );
    const page = await signedIn('thamdinh', 390);
    await page.waitForURL((u) => u.pathname === paths.appraisal.index());
    expect(await shown(page.getByRole('region', { name: /Chỉ số CCHC/ }).first())).toMatch(/\d+ mục cần thẩm định/);
    const filter = { campaign: code, unit, field: '1' };
    await page.goto(`${base}${paths.appraisal.queue(filter)}`);
    expect(await textOf(page.getByLabel('Lĩnh vực', { exact: true }).locator('option:checked'))).toBe(
      '1. Công tác lãnh đạo, chỉ đạo',
    );
    await page.getByRole('link', { name: 'Bắt đầu thẩm định' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/appraisal/items/'));
    const heading = page.getByRole('heading', { level: 1 });
    expect(await shown(heading)).toContain('Xã Trực Thanh › 1.9 ');
    expect(await shown(page.locator('main'))).toContain('Điểm trừ từ −1 đến 0');
    await page.waitForFunction(() => document.activeElement?.id === 'a-score');
    await screenshot(page, 'needs', 'appraiser-only-390.png', 390);

    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === paths.appraisal.queueDone(filter).split('?')[0]);
    expect(new URL(page.url()).searchParams.get('unit')).toBe(unit);
    expect(await shown(heading)).toBe('Đã xử lý hết danh sách thẩm định');
    expect(await page.locator('header.top').count()).toBe(1);
    expect(await page.locator('footer').count()).toBe(1);
    expect(await shown(page.locator('main'))).toContain('Không còn mục nào cần bạn xử lý trong danh sách này.');
    const saved = await sql<{ state: string; appraised_score: string; reason: string }>(
      'select state, appraised_score, reason from appraisal where id = ?',
      [(await itemOf('1.9')).id],
    );
    expect([saved[0]!.state, Number(saved[0]!.appraised_score), saved[0]!.reason]).toEqual(['accepted', 0, '']);
    await screenshot(page, 'needs', 'queue-done-390.png', 390);
  });

  it('at 1366 px the evidence opens in a panel beside the form, sandboxed', async () => {
    const page = await signedIn('thamdinh', 1366);
    await page.goto(`${base}${paths.appraisal.item((await itemOf('1.2')).id, { campaign: code })}`);
    const link = page.getByRole('link', { name: 'so-theo-doi-bao-cao.png' });
    const served = page.waitForResponse((r) => r.url().includes('/evidence/'));
    await link.click();
    const panel = page.getByRole('region', { name: 'Tài liệu kiểm chứng: so-theo-doi-bao-cao.png' });
    await panel.waitFor();
    const response = await served;
    expect(response.headers()['content-security-policy']).toBe('sandbox');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(page.url()).toContain('/appraisal/items/');
    expect(page.context().pages()).toHaveLength(1);
    const frame = (await panel.locator('iframe').boundingBox())!;
    const form = (await page.getByRole('region', { name: 'Thẩm định' }).boundingBox())!;
    expect(frame.width).toBeGreaterThan(500);
    expect(frame.x + frame.width).toBeLessThanOrEqual(form.x);
    expect(frame.y).toBeLessThan(form.y + 200);
    // The picture shows inline in the panel, at its own size.
    const picture = page.frameLocator('.evidence-panel iframe').locator('img');
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
      .toBe(600);
    await screenshot(page, 'needs', 'evidence-panel-1366.png', 1366);
    await panel.getByRole('button', { name: 'Đóng' }).click();
    expect(await panel.count()).toBe(0);
  });

  it("at 390 px, once published, the officer reads the appraised scores beside the unit's own and opens the public page", async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = coalesce(cs.self_score, 0) from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    await sql(`update appraisal set state = 'adjusted', appraised_score = 0.25, reason = ? where id = ?`, [
      'Kế hoạch ban hành sau ngày 31/01',
      (await itemOf('1.1.1')).id,
    ]);
    await setCampaignState(t.orm, 'council-review');
    const published = await publishCampaign(t.orm.em.fork() as EntityManager, null, code, { imported: true });
    if (!published.ok) throw new Error(JSON.stringify(published.errors));
    const page = await signedIn('canbo', 390);
    await page.goto(`${base}${paths.unit.campaign(unit, code)}`);
    const result = page.getByRole('region', { name: 'Kết quả đã công bố' });
    expect(await shown(result)).toMatch(/Chỉ số [\d,]+ · xếp loại \S+ · xếp hạng \d+ \/ \d+ đơn vị\./);
    const row = result.getByRole('row', { name: /^1\.1\.1 / });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['0,5', '0,25', 'Kế hoạch ban hành sau ngày 31/01']);
    expect(await page.locator('main').textContent()).not.toMatch(/Hạn tự đánh giá|còn \d+ ngày/);
    await screenshot(page, 'needs', 'unit-published-390.png', 390);
    await result.getByRole('link', { name: 'Xem trang kết quả công khai của đơn vị' }).click();
    await page.waitForURL((u) => u.pathname === paths.published.unit(code, unit));
  });
});
