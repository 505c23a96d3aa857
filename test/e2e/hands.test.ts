import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown, textOf } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { addContributors, phoneSignedIn } from '../helpers/hands.ts';

// Issue 23's acceptance, seed 003's row 18 ("Các tiêu chí nhiều người thực hiện: 4.3.1 … HĐND, UB MTTQ, Lưu Ngọc Huy,
// Ma Thị Tý, Đường Ngọc Duy …"): the commune's officer gives 4.3.1 to five hands (two bodies through their contact
// persons, three officials) with an internal due date; each of the five, on a 390 px phone, finds it on their home,
// adds a file; the Front, marked by the demo as unable to sign digitally, gets "không có ký số (được miễn)"; the officer
// sees the five files and compiles the one score. The demo's Xã Trực Thanh has criterion 4.3.1 itself.

let browser: Browser;
let t: TestApp;
let base: string;
let code: string;
const unit = 'xa-truc-thanh';
const today = todayInVietnam();
const due = formatDate(addDays(today, 3));
const yesterday = formatDate(addDays(today, -1));
const five: { username: string; name: string; as: string }[] = [
  { username: 'duyn', name: 'Nguyễn Văn Duy', as: 'HĐND xã' },
  { username: 'hoa', name: 'Hoàng Thị Hoa', as: 'UB MTTQ xã' },
  { username: 'huy', name: 'Lưu Ngọc Huy', as: 'Lưu Ngọc Huy' },
  { username: 'ty', name: 'Ma Thị Tý', as: 'Ma Thị Tý' },
  { username: 'duyd', name: 'Đường Ngọc Duy', as: 'Đường Ngọc Duy' },
];

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const em = t.orm.em.fork();
  [{ code }] = await em.execute<{ code: string }[]>('select code from campaign limit 1');
  await addContributors(
    t.orm,
    unit,
    five.map((p) => [p.username, p.name]),
  );
  // The bodies' contact persons (the officer's "Tổ chức của đơn vị" page sets them; its HTTP test covers it).
  for (const [body, username] of [
    ['HĐND xã', 'duyn'],
    ['UB MTTQ xã', 'hoa'],
  ])
    await em.execute(`update unit_body set contact_id = (select id from app_user where username = ?) where name = ?`, [
      username,
      body,
    ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const criterion = (page: Page, c: string) =>
  page.getByRole('region', { name: new RegExp(`^${c.replaceAll('.', '\\.')} `) });

describe('seed 003, row 18: five hands on 4.3.1', () => {
  it('the officer assigns five, each adds a file on a phone, the officer compiles', async () => {
    const officer = await phoneSignedIn(browser, t, base, 'canbo');
    const page = officer.page;
    try {
      // --- The officer: 4.3.1's own form, five ticked (the demo's two others unticked), a due date each.
      await page.goto(`${base}/unit/${unit}/campaigns/${code}/assignments?field=4`);
      await page.getByRole('link', { name: 'Phân công 4.3.1' }).click();
      await page.waitForURL(/\/assignments\/4\.3\.1$/);
      await page.getByRole('checkbox', { name: /Giao cho Đỗ Thị Minh Ngọc$/ }).uncheck();
      await page.getByRole('checkbox', { name: /Giao cho Ban Thanh tra nhân dân$/ }).uncheck();
      for (const p of five) {
        await page.getByRole('checkbox', { name: new RegExp(`Giao cho ${p.as}$`) }).check();
        await page.getByLabel(`Hạn nội bộ của ${p.as}`).fill(p.username === 'duyd' ? yesterday : due);
      }
      await screenshot(page, 'hands', '1-assign-4.3.1.png');
      await page.getByRole('button', { name: 'Lưu phân công' }).click();
      await page.waitForURL(/\/assignments\?saved=4\.3\.1&field=4(#a-4-3-1)?$/);
      expect(await shown(page.getByRole('status'))).toBe('Đã lưu phân công tiêu chí 4.3.1.');
      const row = page.locator('#a-4-3-1');
      const names = await row.locator('.hands-assignees > li').allTextContents();
      expect(names.map((n) => n.replace(/\s+/g, ' ').trim())).toEqual([
        `Đường Ngọc Duy · hạn ${yesterday} ⚠ QUÁ HẠN`,
        `Lưu Ngọc Huy · hạn ${due}`,
        `Ma Thị Tý · hạn ${due}`,
        `HĐND xã (Nguyễn Văn Duy) · hạn ${due}`,
        `UB MTTQ xã (Hoàng Thị Hoa) · hạn ${due}`,
      ]);
      await screenshot(page, 'hands', '2-overview-late.png');

      // --- Each of the five, on a phone: the criterion on their home with the due date, a file added.
      for (const [i, p] of five.entries()) {
        const hand = await phoneSignedIn(browser, t, base, p.username);
        try {
          await hand.page.goto(`${base}/unit/${unit}/campaigns/${code}`);
          const mine = hand.page.getByRole('region', { name: 'Tiêu chí bạn thực hiện' });
          const item = await shown(mine.getByRole('listitem'));
          expect(item).toContain('4.3.1 Công khai thông tin theo Luật Thực hiện dân chủ ở cơ sở');
          expect(item).toContain(`hạn ${p.username === 'duyd' ? yesterday : due}`);
          if (p.as !== p.name) expect(item).toContain(`(thay ${p.as})`);
          if (i === 0) await screenshot(hand.page, 'hands', '3-assignee-home.png');
          await mine.getByRole('link', { name: /4\.3\.1/ }).click();
          const block = criterion(hand.page, '4.3.1');
          await block.waitFor();
          // Only what they hold; the score is the officer's to compile.
          expect(await hand.page.getByRole('region', { name: /^\d+(\.\d+)+ / }).count()).toBe(1);
          expect(await block.getByText('Điểm và giải trình do cán bộ CCHC hoặc Chủ tịch tổng hợp').count()).toBe(1);
          await block.getByRole('link', { name: 'Thêm tài liệu kiểm chứng' }).click();
          const name = `4.3.1-${p.username}.pdf`;
          await block.getByLabel('Chọn tệp').setInputFiles({
            name,
            mimeType: 'application/pdf',
            buffer: await pdfBytes({ text: `Bao cao cong khai thong tin - ${p.username}` }),
          });
          await block.getByLabel('Số, ký hiệu').fill(`${10 + i}/BC`);
          await block.getByRole('button', { name: 'Tải lên' }).click();
          const file = block.getByRole('listitem').filter({ has: hand.page.getByRole('link', { name }) });
          const listed = await shown(file);
          expect(listed).toContain(p.as === 'UB MTTQ xã' ? 'không có ký số (được miễn)' : 'chưa ký số');
          if (i === 1) await screenshot(hand.page, 'hands', '4-front-file-exempt.png');
          if (i === 4) {
            await block.getByLabel('Ghi chú của bạn').fill('Đã gửi biên bản niêm yết công khai, trang 2.');
            await block.getByRole('button', { name: /^Lưu ghi chú/ }).click();
            await criterion(hand.page, '4.3.1')
              .getByText('Đã gửi biên bản niêm yết công khai, trang 2.')
              .first()
              .waitFor();
            await screenshot(hand.page, 'hands', '5-assignee-note.png');
          }
        } finally {
          await hand.context.close();
        }
      }

      // --- The officer: the five files, nobody late any more; the one score compiled.
      await page.goto(`${base}/unit/${unit}/campaigns/${code}/assignments?field=4`);
      const after = await textOf(page.locator('#a-4-3-1'));
      expect(after).not.toContain('QUÁ HẠN');
      expect(after.match(/đã nộp 1 tệp/g)).toHaveLength(5);
      await page.goto(`${base}/unit/${unit}/campaigns/${code}/criteria?field=4`);
      const block = criterion(page, '4.3.1');
      expect(await block.locator('.evidence li').count()).toBe(5);
      expect(await textOf(block.locator('.hands-notes'))).toContain('Đã gửi biên bản niêm yết công khai, trang 2.');
      await block.getByLabel('Đầy đủ (0,5)').check();
      await block
        .getByLabel('Giải trình')
        .fill('Tổng hợp báo cáo của HĐND, UB MTTQ và ba công chức: công khai đầy đủ (tài liệu 10–14/BC).');
      await block.getByRole('button', { name: /^Lưu / }).first().click();
      await expect
        .poll(
          async () =>
            (
              await t.orm.em.fork().execute<{ s: string }[]>(
                `select cs.self_score::text as s from criterion_score cs join criterion c on c.id = cs.criterion_id
                   join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
                  where u.code = ? and c.code = '4.3.1'`,
                [unit],
              )
            )[0]?.s,
        )
        .toBe('0.500');
      await screenshot(page, 'hands', '6-officer-compiled.png');
    } finally {
      await officer.context.close();
    }
  });
});
