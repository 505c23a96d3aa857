import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';

// Issue 22's journey, on a 390 px phone without JavaScript (a visit is recorded on site): the secretariat records a
// visit to Xã Trực Thanh, a "không khớp" finding with its note, a matching one and the signed minutes; the appraiser
// filters the queue to the checked criteria, reads the finding beside the evidence and gives the zero in one click.

const password = 'demo-cchc-2024';
const journey = 'onsite';

let browser: Browser;
let t: TestApp;
let base: string;
let code: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  await setCampaignState(t.orm, 'appraisal');
  [{ code }] = await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1');
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

async function phone(username: string): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'vi-VN',
    viewport: { width: 390, height: 740 },
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  return page;
}

const note = 'Kế hoạch gốc ban hành ngày 15/02, không phải 03/02 như tài liệu đã nộp';

describe('an on-site check, recorded on a phone and used by the appraiser', () => {
  it('the secretariat records the visit, its findings and minutes without JavaScript', async () => {
    const page = await phone('admin');
    await page.goto(`${base}/admin/campaigns/${code}`);
    await page.getByRole('link', { name: 'Kiểm tra thực tế tại đơn vị' }).click();
    await page.getByRole('link', { name: 'Ghi đợt kiểm tra mới' }).click();
    await page.getByLabel('Đơn vị được kiểm tra').selectOption({ label: 'Xã Trực Thanh' });
    await page.getByLabel('Thành phần đoàn kiểm tra').fill('Trần Thị Thu Hương, Phòng Nội vụ\nLê Văn Nam, Văn phòng');
    await screenshot(page, journey, '01-new-visit.png');
    await page.getByRole('button', { name: 'Lưu và ghi kết quả từng tiêu chí' }).click();
    expect(await shown(page.getByRole('heading', { level: 1 }))).toBe('Kiểm tra thực tế tại Xã Trực Thanh');

    // "Không khớp" without its note is refused, with the choice kept.
    await page.getByLabel('Tiêu chí đã kiểm tra').selectOption('1.1.1');
    await page.getByLabel('Không khớp').check();
    await page.getByRole('button', { name: 'Lưu kết quả tiêu chí' }).click();
    expect(await shown(page.locator('.error-summary'))).toContain('Khi không khớp, ghi rõ điểm không khớp.');
    await screenshot(page, journey, '02-finding-refused.png');
    expect(await page.getByLabel('Không khớp').isChecked()).toBe(true);
    await page.getByLabel('Ghi chú').fill(note);
    await page.getByRole('button', { name: 'Lưu kết quả tiêu chí' }).click();
    await page.getByLabel('Tiêu chí đã kiểm tra').selectOption('1.1.2');
    await page.getByLabel('Khớp với hồ sơ').check();
    await page.getByRole('button', { name: 'Lưu kết quả tiêu chí' }).click();

    await page.getByLabel('Tệp biên bản (PDF, Word, Excel hoặc ảnh)').setInputFiles({
      name: 'bien-ban-kiem-tra.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfBytes({ text: 'Bien ban kiem tra' }),
    });
    await page.getByRole('button', { name: 'Tải biên bản lên' }).click();
    await page.getByRole('link', { name: 'bien-ban-kiem-tra.pdf' }).waitFor();
    const findings = await shown(page.locator('.onsite-findings ul'));
    expect(findings).toContain('1.1.1');
    expect(findings).toContain(note);
    expect(findings).toContain('Khớp với hồ sơ');
    await screenshot(page, journey, '03-visit-recorded.png');
  });

  it('the appraiser filters to the checked criteria, reads the finding and gives the zero in one click', async () => {
    const page = await phone('thamdinh');
    await page.goto(`${base}/appraisal/queue?campaign=${code}`);
    await page.getByLabel('Chỉ tiêu chí đã kiểm tra thực tế').check();
    await page.getByRole('button', { name: 'Lọc' }).click();
    // Two items: the criteria checked at Xã Trực Thanh (1.1.1, 1.1.2); none of Thị trấn Cổ Lễ's.
    const items = page.locator('table a[href*="/appraisal/items/"]');
    expect(await items.allTextContents()).toEqual(['1.1.1', '1.1.2']);
    expect(await shown(page.locator('table'))).not.toContain('Thị trấn Cổ Lễ');
    await screenshot(page, journey, '04-queue-checked.png');
    await page.getByRole('link', { name: '1.1.1', exact: true }).click();
    const unitSide = await shown(page.locator('#unit-h').locator('..'));
    expect(unitSide).toContain('Kiểm tra thực tế tại đơn vị');
    expect(unitSide).toContain(note);
    await screenshot(page, journey, '05-item-finding.png');
    const before = page.url();
    await page.getByRole('button', { name: 'Theo kết quả kiểm tra thực tế → 0' }).click();
    await page.waitForURL((u) => u.href !== before);
    const [a] = await t.orm.em.fork().execute<{ state: string; appraised_score: string; reason: string }[]>(
      `select a.state, a.appraised_score, a.reason from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
           join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
          where u.code = 'xa-truc-thanh' and c.code = '1.1.1'`,
    );
    expect(a!.state).toBe('adjusted');
    expect(Number(a!.appraised_score)).toBe(0);
    expect(a!.reason).toContain(note);
    // Accept-and-next moved on within the checked criteria: the matching one is next.
    expect(await shown(page.getByRole('heading', { level: 1 }))).toContain('1.1.2');
    await screenshot(page, journey, '06-next-checked-item.png');
  });

  it('the unit sees the visit and its findings on its workspace', async () => {
    const page = await phone('canbo');
    await page.goto(`${base}/unit/xa-truc-thanh/campaigns/${code}`);
    const section = await shown(page.locator('section.onsite-findings'));
    expect(section).toContain('Kết quả kiểm tra thực tế tại đơn vị');
    expect(section).toContain(note);
    await screenshot(page, journey, '07-unit-workspace.png');
  });
});
