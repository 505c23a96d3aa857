import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown, signedInPage, textOf } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';

// Issue 23, item 4, walked in Chromium on a real server: a member of the council (not its chair) signs in on a
// 390 px phone, lands on the council's pages, reads the overview with each unit's report (and the signed copy beside
// it), opens the preliminary ranking, and finds no way to approve it.

let browser: Browser;
let t: TestApp;
let base: string;
let code: string;
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh', 1);
  await submitUnitBySql(t.orm, 'xa-truc-dao', 0.8);
  await sql(`update appraisal set state = 'accepted', appraised_score = cs.self_score
               from criterion_score cs where cs.id = appraisal.criterion_score_id and cs.self_score is not null`);
  await setCampaignState(t.orm, 'council-review');
  // Xã Trực Thanh's signed report, kept in the store like an upload.
  const pdf = await pdfBytes();
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const temp = await t.app.evidenceStore.tempPath();
  await writeFile(temp, pdf);
  await t.app.evidenceStore.put(temp, sha256);
  await sql(
    `insert into signed_report (self_assessment_id, document_number, document_date, sha256, name, media_type, size, uploaded_by_id)
     select sa.id, '45/BC-UBND', '2026-11-20', ?, 'bao-cao-da-ky.pdf', 'application/pdf', ?, (select id from app_user where username = 'canbo')
       from self_assessment sa join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh'`,
    [sha256, pdf.length],
  );
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('a council member on a phone', () => {
  it('at 390 px reads the overview, the reports and the preliminary ranking, and cannot approve', async () => {
    const { page, context } = await signedInPage(browser, base, 'uyvien', { width: 390 });
    contexts.push(context);
    // The member's one area is the council's.
    await page.waitForURL((u) => u.pathname === paths.council.index());
    await page
      .getByRole('link', { name: /Chỉ số CCHC/ })
      .first()
      .click();
    await page.waitForURL((u) => u.pathname === paths.council.campaign(code));
    const row = page.locator('#by-unit tr[data-unit="xa-truc-thanh"]');
    const reports = await textOf(row.locator('.report-links'));
    expect(reports).toBe('DOCX XLSX Bản đã ký, số 45/BC-UBND ngày 20/11/2026 (PDF)');
    expect(await row.getByRole('link', { name: 'DOCX' }).getAttribute('href')).toBe(
      paths.council2.report(code, 'xa-truc-thanh', 'docx'),
    );
    // The report answers the member's session, never to be cached.
    const docx = await page.request.get(`${base}${paths.council2.report(code, 'xa-truc-thanh', 'docx')}`);
    expect(docx.status()).toBe(200);
    expect(docx.headers()['cache-control']).toBe('private, no-store');
    await screenshot(page, 'council-member', 'overview-390.png');

    await page.getByRole('link', { name: 'Xem kết quả sơ bộ' }).click();
    await page.waitForURL((u) => u.pathname === paths.council.ranking(code));
    const heading = await shown(page.getByRole('heading', { level: 1 }));
    expect(heading).toContain('Chỉ số CCHC');
    const table = await shown(page.locator('table').first());
    expect(table).toContain('Xã Trực Thanh');
    expect(table).toContain('Xã Trực Đạo');
    // Each ranked unit's report is a tap away, the signed copy beside it.
    const ranked = page.locator('tr[data-unit="xa-truc-thanh"] [data-report]');
    expect(await textOf(ranked)).toBe('DOCX XLSX Bản đã ký, số 45/BC-UBND ngày 20/11/2026 (PDF)');
    // The approval is the chair's: the member reads that it waits for the chair, with no form to approve.
    const approval = page.locator('#approval');
    expect(await shown(approval)).toContain('Chờ Chủ tịch Hội đồng phê duyệt.');
    expect(await page.getByRole('button', { name: 'Phê duyệt' }).count()).toBe(0);
    expect(await page.locator(`form[action="${paths.council.approval(code)}"]`).count()).toBe(0);
    await screenshot(page, 'council-member', 'ranking-390.png');
    const audited = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event e join app_user u on u.id = e.actor_id
        where e.action = 'report.opened' and u.username = 'uyvien'`,
    );
    expect(audited[0]!.n).toBe(1);
  });

  it('at 390 px the unit officer sees the signed report page beside the generated one', async () => {
    const { page, context } = await signedInPage(browser, base, 'canbo', { width: 390 });
    contexts.push(context);
    await page.goto(`${base}${paths.council2.unitSigned('xa-truc-thanh', code)}`);
    expect(await shown(page.locator('#signed-current'))).toContain('Bản đã ký, số 45/BC-UBND ngày 20/11/2026 (PDF)');
    await page.getByLabel('Số báo cáo').fill('46/BC-UBND');
    await page.getByLabel('Ngày báo cáo').fill('21/11/2026');
    await page.getByLabel('Tệp PDF đã ký').setInputFiles({
      name: 'ghi-chu.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a pdf'),
    });
    await page.getByRole('button', { name: 'Gửi báo cáo đã ký' }).click();
    await page.locator('#s-file-error').waitFor();
    expect(await shown(page.locator('#s-file-error'))).toContain('Tệp này không phải PDF');
    expect(await page.getByLabel('Số báo cáo').inputValue()).toBe('46/BC-UBND');
    await screenshot(page, 'council-member', 'unit-signed-refused-390.png');
  });
});
