import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile } from '../../src/features/evidence/inspect.ts';
import { ensureSignatureCheck } from '../../src/features/evidence/verification.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, shown } from '../helpers/browser.ts';
import { caSignedPdf, makeTestCa, type TestCa } from '../helpers/signing.ts';

// Issue 19's journey at 390 px: the secretariat trusts the test root on its page; the appraiser opens an item whose
// evidence carries one valid signature and one made with a certificate that had expired, sees both badges in words,
// and gives the zero with the one-click signature ground. JavaScript on and off.

let browser: Browser;
let ca: TestCa;
beforeAll(async () => {
  browser = await launchChromium();
  ca = await makeTestCa();
});
afterAll(async () => {
  await browser?.close();
});

const password = 'demo-cchc-2024';
async function signIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

describe.each([true, false])('signatures seen and used by the appraiser, JavaScript %s', (javaScriptEnabled) => {
  let t: TestApp;
  let base: string;
  let itemId: number;
  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    t.orm.em.fork().execute<T[]>(text, values);

  /** Attaches a PDF to the unit's criterion 1.1.1 as an upload does: verified once, stored, listed. */
  async function attach(name: string, pdf: Buffer) {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const temp = await t.app.evidenceStore.tempPath();
    await writeFile(temp, pdf);
    const found = await inspectFile(temp);
    await ensureSignatureCheck(t.orm.em.fork() as EntityManager, sha256, temp, found!.signatures);
    await t.app.evidenceStore.put(temp, sha256);
    await sql(
      `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, document_number, signed, uploaded_by_id, uploaded_at)
       select cs.id, ?, ?, 'application/pdf', ?, '12/KH-UBND', true, (select id from app_user where username = 'canbo'), now()
         from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = '1.1.1'`,
      [sha256, pdf.length, name],
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const signingTime = new Date('2026-06-10T02:12:00Z');
    await attach('ke-hoach-12.pdf', await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], signingTime }));
    await attach('bao-cao-3.pdf', await caSignedPdf({ signer: ca.expired, chain: [ca.intermediate], signingTime }));
    await submitUnitBySql(t.orm, 'xa-truc-thanh');
    await setCampaignState(t.orm, 'appraisal');
    [{ id: itemId }] = await sql<{ id: number }>(
      `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
        join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where c.code = '1.1.1' and u.code = 'xa-truc-thanh'`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the secretariat trusts the root; the appraiser sees the badges and gives the zero for the invalid signature', async () => {
    const journey = `signatures-js-${javaScriptEnabled ? 'on' : 'off'}`;
    const contexts: BrowserContext[] = [];
    /** A person's own browser (their own cookies), a phone's width. */
    const newPage = async () => {
      const context = await browser.newContext({
        javaScriptEnabled,
        locale: 'vi-VN',
        viewport: { width: 390, height: 740 },
      });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    };
    try {
      // The secretariat: the empty list, then the root uploaded as PEM.
      const admin = await newPage();
      await signIn(admin, base, 'admin');
      await admin.goto(`${base}/admin`);
      await admin.getByRole('link', { name: 'Chứng thư tin cậy' }).click();
      await expect.poll(() => shown(admin.getByRole('heading', { level: 1 }))).toBe('Chứng thư gốc được tin cậy');
      expect(await shown(admin.locator('main'))).toContain('Chưa có chứng thư nào được tin cậy');
      const pem = `-----BEGIN CERTIFICATE-----\n${ca.root.der.toString('base64').replace(/.{64}/g, '$&\n').trim()}\n-----END CERTIFICATE-----\n`;
      await admin.getByLabel('Tệp chứng thư').setInputFiles({
        name: 'ban-co-yeu-root.pem',
        mimeType: 'application/x-pem-file',
        buffer: Buffer.from(pem),
      });
      await admin.getByRole('button', { name: 'Thêm chứng thư' }).click();
      await expect.poll(() => shown(admin.getByRole('status'))).toBe('Đã thêm 1 chứng thư vào danh sách tin cậy.');
      const row = admin.getByRole('row').filter({ hasText: 'Test Root CA' });
      expect(await shown(row)).toContain('CN=Test Root CA (Ban Co yeu thu nghiem), C=VN');
      expect(await shown(row)).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
      await screenshot(admin, journey, '1-trust-anchors.png');
      await admin.close();

      // The appraiser: both files with their badges in words, and the signature ground among the quick zeros.
      const page = await newPage();
      await signIn(page, base, 'thamdinh');
      await page.goto(`${base}/appraisal/items/${itemId}`);
      const files = page.locator('.evidence-links');
      const valid = files.getByRole('listitem').filter({ hasText: 'ke-hoach-12.pdf' });
      expect(await shown(valid)).toContain('✔ Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc 10/06/2026 09:12');
      const invalid = files.getByRole('listitem').filter({ hasText: 'bao-cao-3.pdf' });
      expect(await shown(invalid)).toContain(
        '✖ Chữ ký không hợp lệ — Trần Thị C, UBND xã B: chứng thư đã hết hạn khi ký',
      );
      expect(await shown(invalid)).toContain('⚠ chứng thư hết hạn hoặc chưa có hiệu lực khi ký');
      await screenshot(page, journey, '2-appraiser-item.png');

      const ground = page.getByRole('button', { name: 'Chữ ký số không hợp lệ → 0' });
      expect(await ground.getAttribute('title')).toContain('Chữ ký số trên tài liệu kiểm chứng không hợp lệ');
      await ground.click();
      await expect
        .poll(async () => (await sql<{ state: string }>('select state from appraisal where id = ?', [itemId]))[0].state)
        .toBe('adjusted');
      const [decided] = await sql<{ appraised_score: string; reason: string }>(
        'select appraised_score, reason from appraisal where id = ?',
        [itemId],
      );
      expect(Number(decided.appraised_score)).toBe(0);
      expect(decided.reason).toMatch(/^Chữ ký số trên tài liệu kiểm chứng không hợp lệ/);
      // The portal went on to the next item, saying what was saved.
      await expect.poll(() => page.url()).not.toContain(`/appraisal/items/${itemId}?`);
      await screenshot(page, journey, '3-after-zero.png');
    } finally {
      for (const c of contexts) await c.close();
    }
  });
});
