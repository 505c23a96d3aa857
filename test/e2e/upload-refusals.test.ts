import net from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, shown } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';

// An evidence upload refused by a page of the server's own (not the evidence block): with JavaScript, upload.js says
// what the server said, as an error, instead of blaming the connection.

let browser: Browser;
let t: TestApp;
let base: string;
beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({ env: { UPLOADS_PER_USER: '1' } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('an evidence upload with JavaScript', () => {
  it("refused for too many uploads at once shows the server's reason beside the button", async () => {
    const context = await browser.newContext({ javaScriptEnabled: true, locale: 'vi-VN' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Tên đăng nhập').fill('canbo');
      await page.getByLabel('Mật khẩu').fill(demoPassword);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/unit$/);
      await page
        .getByRole('link', { name: /Chỉ số CCHC các xã, thị trấn/ })
        .first()
        .click();
      await page.waitForURL(/\/unit\/xa-truc-thanh\/campaigns\/[^/]+$/);
      await page.goto(`${page.url()}/criteria/1.1.1/evidence`);
      const form = page.locator('form[data-upload]');
      const action = (await form.getAttribute('action'))!;

      // One upload of this person under way (its body never ends): the ceiling of one is reached.
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const { port } = new URL(base);
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      socket.write(
        `POST ${action} HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=held\r\nContent-Length: 1000000\r\n\r\n`,
      );
      socket.write(
        '--held\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-',
      );
      const [{ id }] = await t.orm.em.getConnection().execute("select id from app_user where username = 'canbo'");
      while (t.app.uploadsUnderWay(id) < 1) await new Promise((resolve) => setTimeout(resolve, 10));
      try {
        await page
          .getByLabel('Chọn tệp')
          .setInputFiles({ name: 'ke-hoach.pdf', mimeType: 'application/pdf', buffer: await pdfBytes() });
        await page.getByRole('button', { name: 'Tải lên' }).click();
        const status = form.locator('[data-upload-status].error-message');
        expect(await shown(status)).toBe(
          'Bạn đang tải lên 1 tệp cùng lúc, mức tối đa cho phép. Chờ một tệp tải xong rồi gửi lại tệp này.',
        );
        expect(await page.getByRole('button', { name: 'Tải lên' }).isEnabled()).toBe(true);
      } finally {
        socket.destroy();
      }
    } finally {
      await context.close();
    }
  });
});
