import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown, signedInPage } from '../helpers/browser.ts';

// Issue 23's co-appraised item on a 390 px phone: the Văn phòng HĐND-UBND co-appraises 7.4 (documents exchanged
// electronically) in the field the Phòng Văn hóa và Thông tin leads, as seed 002 has it. The co-appraiser finds the
// item under "Chờ ý kiến của tôi", is refused an empty opinion, then disagrees with a proposed score and a reason;
// the lead reads the opinion beside the unit's evidence and decides.

const journey = 'coappraisal';
const reason = 'Một nửa số văn bản gửi Huyện ủy vẫn là bản giấy, chưa qua trục liên thông.';

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
  await setCampaignState(t.orm, 'appraisal');
  [{ code }] = await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1');
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('a co-appraised item on a phone', () => {
  it('the co-appraiser gives an opinion; the lead reads it and decides', async () => {
    const co = await signedInPage(browser, base, 'thamdinh-vanphong');
    contexts.push(co.context);
    let page = co.page;
    await page.goto(`${base}/appraisal`);
    expect(await shown(page.locator('.window-bar').first())).toContain('còn');
    await page.getByRole('link', { name: 'Danh sách thẩm định' }).first().click();
    await page.getByLabel('Chờ ý kiến của tôi').check();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/opinion=1/);
    await screenshot(page, journey, '00-waiting-for-my-opinion.png');
    await page.getByRole('link', { name: '7.4', exact: true }).click();
    await page.waitForURL(/\/appraisal\/items\//);
    expect(await shown(page.getByRole('heading', { level: 1 }))).toContain('Xã Trực Thanh › 7.4');
    await screenshot(page, journey, '01-co-appraiser-item.png');

    await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
    expect(await shown(page.locator('.error-summary'))).toContain('Chọn đồng ý hoặc không đồng ý với điểm tự chấm.');
    await screenshot(page, journey, '02-opinion-refused.png');
    await page.getByLabel('Không đồng ý').check();
    await page.getByLabel('Điểm đề xuất').fill('0,5');
    await page.getByLabel('Lý do, căn cứ').fill(reason);
    await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await page.locator('li.opinion').waitFor();
    const opinions = await shown(page.locator('section.opinions'));
    expect(opinions).toContain('Không đồng ý · đề xuất 0,5 điểm');
    expect(opinions).toContain('Văn phòng HĐND-UBND · Trịnh Thị Mai');
    await screenshot(page, journey, '03-opinion-sent.png');

    const lead = await signedInPage(browser, base, 'thamdinh-vanhoa');
    contexts.push(lead.context);
    page = lead.page;
    await page.goto(`${base}/appraisal/queue?campaign=${code}&field=7`);
    expect(await shown(page.locator('tr', { hasText: '7.4' }))).toContain('1/1 ý kiến phối hợp');
    await page.getByRole('link', { name: '7.4', exact: true }).click();
    await page.waitForURL(/\/appraisal\/items\//);
    const read = await shown(page.locator('section.opinions'));
    expect(read).toContain('Ý kiến phối hợp thẩm định (1 ý kiến / 1 cơ quan phối hợp)');
    expect(read).toContain(reason);
    await screenshot(page, journey, '04-lead-reads.png');
    await page.getByRole('button', { name: 'Chấp nhận và tiếp' }).click();
    expect(await shown(page.locator('.banner[role="status"]'))).toContain('7.4');
    await screenshot(page, journey, '05-lead-decided.png');
    const [row] = await t.orm.em.fork().execute<{ state: string }[]>(
      `select a.state from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = '7.4'`,
    );
    expect(row!.state).toBe('accepted');
  });
});
