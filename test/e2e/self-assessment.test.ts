import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown, textOf } from '../helpers/browser.ts';
import { makeP12, pdfBytes, signedPdf } from '../helpers/evidence.ts';
import { todayInVietnam } from '../../src/domain/dates.ts';

// Issue 4's journey, as the commune's people do it in the browser: the officer scores criteria, uploads evidence and
// assigns a criterion; the contributor sees only that one; the head reviews and submits; the report is downloaded.
// Each JavaScript mode runs on its own fresh app (the demo district, Xã Trực Thanh), so the two never meet.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The criterion's block on the criteria page: a region named by its code and title. */
const criterion = (page: Page, code: string) =>
  page.getByRole('region', { name: new RegExp(`^${code.replaceAll('.', '\\.')} `) });

const isZip = (bytes: Buffer) =>
  bytes.length > 100 && bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

describe.each([true, false])('the commune self-assesses with JavaScript %s', (javaScriptEnabled) => {
  let t: TestApp;
  let base: string;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await t?.close();
  });

  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(demoPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/unit$/);
    return page;
  }

  /** From /unit, the campaign's home of Xã Trực Thanh. */
  async function openCampaign(page: Page): Promise<string> {
    await page.getByRole('link', { name: /Chỉ số CCHC các xã, thị trấn/ }).click();
    await page.waitForURL(/\/unit\/xa-truc-thanh\/campaigns\/[^/]+$/);
    expect(await shown(page.locator('h1'))).toContain('Xã Trực Thanh');
    return page.url();
  }

  it('officer scores, uploads and assigns; the contributor sees one criterion; the head submits; the report downloads', async () => {
    const year = todayInVietnam().slice(0, 4);

    // --- The officer: the campaign's task list.
    const page = await signedIn('canbo');
    if (!javaScriptEnabled) await screenshot(page, 'self-assessment', 'unit.png');
    const home = await openCampaign(page);
    expect(await shown(page.locator('p.status'))).toMatch(
      /Tự đánh giá · Hạn tự đánh giá: \d\d\/\d\d\/\d{4} · còn \d+ ngày/,
    );
    await page.getByRole('heading', { name: 'Các lĩnh vực' }).waitFor();
    const tasks = page
      .getByRole('list')
      .filter({ has: page.getByRole('link', { name: '1. Công tác lãnh đạo, chỉ đạo' }) })
      .getByRole('listitem');
    expect(await tasks.count()).toBe(8);
    const firstTask = await textOf(tasks.first());
    expect(firstTask).toMatch(
      /^1\. Công tác lãnh đạo, chỉ đạo 0 \/ (\d+) Chưa bắt đầu \(\1 chưa chấm · \d+ thiếu giải trình · \d+ thiếu tài liệu kiểm chứng\)$/,
    );
    expect(await shown(page.getByText(/^Tiến độ: 0 \/ \d+ tiêu chí đã xong$/))).toBeTruthy();
    if (!javaScriptEnabled) await screenshot(page, 'self-assessment', 'campaign-home.png');

    // --- A field, and a plain criterion scored with a Vietnamese comma.
    await page.getByRole('link', { name: '1. Công tác lãnh đạo, chỉ đạo' }).click();
    await page.waitForURL(/\/criteria\?field=1$/);
    expect(await shown(page.locator('h1'))).toBe('Tự chấm điểm: 1. Công tác lãnh đạo, chỉ đạo');
    const criteriaUrl = page.url();
    if (!javaScriptEnabled) await screenshot(page, 'self-assessment', 'criteria.png');

    const c13 = criterion(page, '1.3');
    expect(await shown(c13.locator('p.meta'))).toBe('Tối đa 1,5 · Bắt buộc có tài liệu kiểm chứng');
    const explanation13 = `Kế hoạch số 15/KH-UBND ngày 10/01/${year} và Báo cáo số 120/BC-UBND, trang 3, mục II.1: đã kiểm tra 6/8 bộ phận.`;
    if (javaScriptEnabled)
      await page.evaluate(() => {
        (window as unknown as { sameDocument: boolean }).sameDocument = true;
      });
    await c13.getByLabel('Điểm tự chấm').fill('1,25');
    await c13.getByLabel('Giải trình').fill(explanation13);
    await c13.getByRole('button', { name: 'Lưu 1.3' }).click();
    if (javaScriptEnabled) {
      // htmx swapped just this criterion: same address, same document, "Đã lưu" beside it.
      await c13.locator('.savebar strong', { hasText: 'Đã lưu' }).waitFor();
      expect(page.url()).toBe(criteriaUrl);
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    } else {
      await page.waitForURL(/\/criteria\?field=1&saved=1\.3#c-1-3$/);
      await c13.locator('.savebar strong', { hasText: 'Đã lưu' }).waitFor();
    }
    expect(await shown(c13.locator('.savebar'))).toMatch(
      /^Lưu 1\.3 Đã lưu \d\d:\d\d \d\d\/\d\d\/\d{4} bởi Đỗ Thị Minh Ngọc$/,
    );
    expect(await c13.getByLabel('Điểm tự chấm').inputValue()).toBe('1,25');
    expect(await c13.getByLabel('Giải trình').inputValue()).toBe(explanation13);

    // --- A score above the maximum: the error beside the field, what was typed kept.
    const c14 = criterion(page, '1.4');
    await c14.getByLabel('Điểm tự chấm').fill('0,75');
    await c14.getByLabel('Giải trình').fill('Nghị quyết số 05/NQ-HĐND, trang 2.');
    await c14.getByRole('button', { name: 'Lưu 1.4' }).click();
    const error14 = c14.locator('.field.has-error .error-message');
    expect(await shown(error14)).toBe('Điểm phải từ 0 đến 0,5. Điểm tối đa là 0,5.');
    expect(await c14.getByLabel('Điểm tự chấm').inputValue()).toBe('0,75');
    expect(await c14.getByLabel('Điểm tự chấm').getAttribute('aria-invalid')).toBe('true');
    expect(await c14.getByLabel('Giải trình').inputValue()).toBe('Nghị quyết số 05/NQ-HĐND, trang 2.');
    if (javaScriptEnabled) expect(page.url()).toBe(criteriaUrl);
    // The other criterion is untouched by the error.
    expect(await c13.getByLabel('Điểm tự chấm').inputValue()).toBe('1,25');

    // --- Evidence for 1.3: a PDF made here, with its number, date and issuer.
    const fileName = `Kế hoạch kiểm tra CCHC năm ${year}.pdf`;
    const pdf = javaScriptEnabled
      ? // The signer's name comes from the certificate (pdf-lib writes /Name as a Latin-1 string, unfit for Vietnamese).
        await signedPdf(makeP12('Hoàng Văn Tuấn'), '')
      : await pdfBytes({ text: 'Ke hoach kiem tra cong tac CCHC so 15/KH-UBND' });
    // The upload form is fetched into the criterion with JavaScript, and opens as a page of its own without.
    await c13.getByRole('link', { name: 'Thêm tài liệu kiểm chứng' }).click();
    if (!javaScriptEnabled) await page.waitForURL(/\/criteria\/1\.3\/evidence$/);
    const upload = javaScriptEnabled ? c13 : page.locator('main');
    if (javaScriptEnabled) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('file-1-3');
    await upload.getByLabel('Chọn tệp').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdf });
    await upload.getByLabel('Số, ký hiệu').fill('15/KH-UBND');
    await upload.getByLabel('Ngày ban hành').fill(`10/01/${year}`);
    await upload.getByLabel('Cơ quan ban hành').fill('UBND xã Trực Thanh');
    await upload.getByRole('button', { name: 'Tải lên' }).click();
    if (!javaScriptEnabled) await page.waitForURL(/\/criteria\?field=1#c-1-3$/);
    const fileItem = c13.getByRole('listitem').filter({ has: page.getByRole('link', { name: fileName }) });
    const listed = await shown(fileItem);
    expect(listed).toContain(`· 15/KH-UBND · 10/01/${year} · UBND xã Trực Thanh`);
    expect(listed).toContain(
      javaScriptEnabled ? 'Chữ ký đúng nhưng chứng thư chưa được tin cậy — Hoàng Văn Tuấn' : 'chưa ký số',
    );
    if (javaScriptEnabled) expect(listed).not.toContain('chưa ký số');
    expect(listed).not.toContain('bản quét');
    expect(await fileItem.getByRole('button', { name: `Xóa tệp ${fileName}` }).count()).toBe(1);
    if (javaScriptEnabled) expect(page.url()).toBe(criteriaUrl);

    // --- Assignments: 1.6.2 to the contributor.
    await page.getByRole('link', { name: /^← Chỉ số CCHC các xã, thị trấn .* — Xã Trực Thanh$/ }).click();
    await page.waitForURL(home);
    await page.getByRole('link', { name: 'Phân công tiêu chí' }).click();
    await page.waitForURL(/\/assignments$/);
    // A field at a time: field 1 folds open, each criterion with its own form (issue 23: several hands, a due date each).
    await page.locator('details#f-1 > summary').click();
    await page.getByRole('link', { name: 'Phân công 1.6.2' }).click();
    await page.waitForURL(/\/assignments\/1\.6\.2$/);
    await page.getByRole('checkbox', { name: /Giao cho Lê Thị Ơn$/ }).check();
    await page.getByRole('button', { name: 'Lưu phân công' }).click();
    await page.waitForURL(/\/assignments\?saved=1\.6\.2&field=1(#a-1-6-2)?$/);
    expect(await shown(page.getByRole('status'))).toBe('Đã lưu phân công tiêu chí 1.6.2.');
    expect(await textOf(page.locator('#a-1-6-2 .hands-assignees'))).toBe('Lê Thị Ơn');
    // The officer sees who does what on the criteria page.
    await page.goto(criteriaUrl);
    expect(await shown(criterion(page, '1.6.2').locator('p.meta'))).toBe(
      'Tối đa 0,5 · Phụ trách: Lê Thị Ơn · Bắt buộc có tài liệu kiểm chứng',
    );

    // --- The contributor, in a browser of her own, sees only the criterion assigned to her.
    const helper = await signedIn('congtac');
    await openCampaign(helper);
    expect(await shown(helper.getByText(/^Tiến độ: /))).toBe('Tiến độ: 0 / 1 tiêu chí đã xong');
    const helperTasks = helper
      .getByRole('list')
      .filter({ has: helper.getByRole('link', { name: /^1\. / }) })
      .getByRole('listitem');
    expect(await helperTasks.count()).toBe(1);
    expect(await textOf(helperTasks.first())).toMatch(
      /^1\. Công tác lãnh đạo, chỉ đạo 0 \/ 1 Chưa bắt đầu \(1 chưa chấm/,
    );
    await helper.getByRole('link', { name: '1. Công tác lãnh đạo, chỉ đạo' }).click();
    await helper.waitForURL(/\/criteria\?field=1$/);
    await criterion(helper, '1.6.2').waitFor();
    expect(await helper.getByRole('region', { name: /^\d+(\.\d+)+ / }).count()).toBe(1);
    // Issue 23: the score is the officer's to compile; the contributor adds files and a note.
    expect(await helper.getByRole('button', { name: 'Lưu 1.6.2' }).count()).toBe(0);
    expect(await helper.getByRole('button', { name: 'Lưu ghi chú 1.6.2' }).count()).toBe(1);
    expect(await helper.getByRole('link', { name: 'Phân công tiêu chí' }).count()).toBe(0);
    await helper.context().close();

    // --- The rest of the criteria, filled by SQL to keep the journey short.
    await t.orm.em.fork().execute(
      `update criterion_score cs
          set self_score = c.max_score, explanation = 'Văn bản số 01/BC-UBND, trang 1.', version = cs.version + 1, updated_at = now()
         from criterion c, self_assessment sa, unit u
        where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = 'xa-truc-thanh'
          and c.kind = 'self' and cs.self_score is null and not cs.not_applicable`,
    );
    await t.orm.em.fork().execute(
      `update criterion c set evidence_required = false
        where c.evidence_required and not exists (
          select 1 from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
                   join evidence_file ef on ef.criterion_score_id = cs.id and ef.removed_at is null
           where cs.criterion_id = c.id and u.code = 'xa-truc-thanh')`,
    );
    await page.goto(home);
    expect(await shown(page.getByText(/^Tiến độ: /))).toMatch(/^Tiến độ: (\d+) \/ \1 tiêu chí đã xong$/);
    await page.context().close();

    // --- The head reviews and submits.
    const head = await signedIn('chutichxa');
    await openCampaign(head);
    await head.getByRole('link', { name: 'Xem lại và nộp' }).click();
    await head.waitForURL(/\/submission$/);
    expect(await shown(head.locator('h1'))).toBe('Xem lại và nộp tự đánh giá');
    await head.getByText('Đã đủ thông tin. Sau khi nộp, tự đánh giá bị khóa và chuyển sang thẩm định.').waitFor();
    const field1 = head
      .getByRole('row')
      .filter({ has: head.getByRole('rowheader', { name: '1. Công tác lãnh đạo, chỉ đạo' }) });
    expect((await field1.getByRole('cell').allTextContents()).map((s) => s.trim())).toEqual([
      '7,75',
      '9',
      '10 / 10 tiêu chí',
    ]);
    // The total under the fields, each number labelled (on a phone the label shows before it).
    const total = head.getByRole('row').filter({ has: head.getByRole('rowheader', { name: 'Tổng cộng' }) });
    expect(await total.getByRole('cell').first().getAttribute('data-label')).toBe('Tự chấm');
    expect((await total.getByRole('cell').allTextContents()).map((s) => s.trim())).toEqual([
      expect.stringMatching(/^\d+(,\d+)?$/),
      '70',
      expect.stringMatching(/^\d+ \/ \d+ tiêu chí$/),
    ]);
    await screenshot(head, 'self-assessment', `submission-${javaScriptEnabled ? 'js' : 'no-js'}.png`, 390);
    await head.getByRole('button', { name: 'Nộp tự đánh giá' }).click();
    await head.getByRole('heading', { name: 'Đã nộp tự đánh giá' }).waitFor();
    expect(head.url()).toMatch(/\/submission$/);
    expect(await shown(head.getByRole('status'))).toMatch(
      /^Nộp lúc \d\d:\d\d \d\d\/\d\d\/\d{4} bởi Hoàng Văn Tuấn\. Tự đánh giá đã được khóa\.$/,
    );
    expect(await head.getByRole('button', { name: 'Nộp tự đánh giá' }).count()).toBe(0);

    // --- The report, as DOCX and XLSX, from the campaign's home.
    await head.getByRole('link', { name: /^← / }).click();
    await head.waitForURL(/\/campaigns\/[^/]+$/);
    expect(await shown(head.getByRole('status'))).toMatch(
      /^Đã nộp lúc \d\d:\d\d \d\d\/\d\d\/\d{4} bởi Hoàng Văn Tuấn\.$/,
    );
    const download = async (name: string | RegExp) => {
      const [file] = await Promise.all([head.waitForEvent('download'), head.getByRole('link', { name }).click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
    };
    const docx = await download('Báo cáo tự đánh giá (DOCX)');
    expect(docx.name).toBe(`Báo cáo tự đánh giá - Xã Trực Thanh - ${year}.docx`);
    expect(isZip(docx.bytes)).toBe(true);
    const xlsx = await download('Báo cáo tự đánh giá (XLSX)');
    expect(xlsx.name).toBe(`Báo cáo tự đánh giá - Xã Trực Thanh - ${year}.xlsx`);
    expect(isZip(xlsx.bytes)).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          cells.push(String(cell.text));
        }),
      ),
    );
    expect(cells.some((c) => c.includes('Xã Trực Thanh'))).toBe(true);
    expect(cells).toContain(explanation13);
    expect(cells.some((c) => c.includes('15/KH-UBND') && c.includes(fileName))).toBe(true);
  }, 120_000);
});
