import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, shown, signedInPage } from '../helpers/browser.ts';
import { makePng, pdfBytes } from '../helpers/evidence.ts';

// Evidence over a slow connection that drops: with JavaScript the form uploads in resumable chunks (tus). Throttled by
// Chromium itself (CDP Network.emulateNetworkConditions), an upload cut off half way by going offline goes on when the
// network returns; one half way when the page is reloaded goes on from where it was once the file is chosen again;
// the stored file's SHA-256 is the original's.

let browser: Browser;
let t: TestApp;
let base: string;
let campaign: string;
const unit = 'xa-truc-thanh';
/** Upload at about 3G speed (bytes per second), so that a file of a megabyte and a half takes a few seconds. */
const throttle = { offline: false, latency: 40, downloadThroughput: 2_000_000, uploadThroughput: 400_000 };

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [{ code: campaign }] = await t.orm.em.fork().getConnection().execute<{ code: string }[]>('select code from campaign');
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PDF of about 1,5 MB (a picture of noise), its text making it unlike any other. */
const bigPdf = (text: string) => pdfBytes({ image: makePng(1200, 1200, true), text });

/** Bytes the server holds of the one upload under way (0 when none). */
function receivedOnServer(): number {
  const dir = t.app.config.evidenceUploadsDir;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  return names.reduce((sum, n) => sum + statSync(path.join(dir, n)).size, 0);
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`waited in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function storedSha(name: string): Promise<string | undefined> {
  const rows = await t.orm.em
    .fork()
    .getConnection()
    .execute<{ sha256: string }[]>('select sha256 from evidence_file where original_name = ? and removed_at is null', [
      name,
    ]);
  return rows[0]?.sha256;
}

async function openForm(criterion: string): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const { page, context } = await signedInPage(browser, base, 'canbo');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await page.goto(`${base}/unit/${unit}/campaigns/${campaign}/criteria/${criterion}/evidence`);
  await cdp.send('Network.emulateNetworkConditions', throttle);
  return { page, cdp, close: () => context.close() };
}

/** Chooses the file from the disk (as a person does: the same file keeps its date, which the upload is known by). */
async function choose(page: Page, ...files: [name: string, buffer: Buffer][]) {
  const paths = files.map(([name, buffer]) => {
    const file = path.join(t.app.config.DATA_DIR, name);
    if (!existsSync(file)) writeFileSync(file, buffer);
    return file;
  });
  await page.getByLabel('Chọn tệp').setInputFiles(paths);
  await page.getByRole('button', { name: 'Tải lên' }).click();
}

describe('an evidence upload over a connection that drops', () => {
  it('pauses when the browser goes offline half way and completes when it is back', async () => {
    const file = await bigPdf('Ke hoach mat mang giua chung');
    const { page, cdp, close } = await openForm('1.1.1');
    try {
      // Two files at once (a scan and its signed copy), each with its own line.
      const copy = await pdfBytes({ text: 'Ban ky so' });
      await choose(page, ['ke-hoach-cai-cach.pdf', file], ['ban-ky-so.pdf', copy]);
      const line = page.locator('.tus-files li').first();
      const second = page.locator('.tus-files li').nth(1);
      expect(await shown(second)).toMatch(/^ban-ky-so\.pdf: /);
      await until(() => receivedOnServer() > file.length * 0.3, 'a third of the file on the server');
      expect(await shown(line)).toMatch(/^ke-hoach-cai-cach\.pdf: \d+ %/);
      await screenshot(page, 'resumable-upload', 'progress.png');

      await cdp.send('Network.emulateNetworkConditions', { ...throttle, offline: true });
      await until(async () => /mất kết nối/.test((await line.textContent()) ?? ''), 'the pause shown');
      const pausedAt = receivedOnServer();
      expect(pausedAt).toBeLessThan(file.length);
      await screenshot(page, 'resumable-upload', 'offline.png');

      await cdp.send('Network.emulateNetworkConditions', throttle);
      await until(async () => ((await line.textContent()) ?? '').includes('đã tải lên'), 'the upload done', 20_000);
      expect(await storedSha('ke-hoach-cai-cach.pdf')).toBe(sha256(file));
      expect(await shown(second)).toBe('ban-ky-so.pdf: đã tải lên.');
      expect(await storedSha('ban-ky-so.pdf')).toBe(sha256(copy));
      // The evidence block fetched again lists it.
      await until(
        async () => ((await page.locator('#evidence-1-1-1').textContent()) ?? '').includes('ke-hoach-cai-cach.pdf'),
        'the block refreshed',
      );
      await screenshot(page, 'resumable-upload', 'done.png');
    } finally {
      await close();
    }
  });

  it('goes on from where it was after a reload, once the same file is chosen again', async () => {
    const file = await bigPdf('Bao cao tai lai trang');
    const { page, cdp, close } = await openForm('1.1.2');
    try {
      await choose(page, ['bao-cao.pdf', file]);
      await until(() => receivedOnServer() > file.length * 0.4, 'two fifths of the file on the server');
      await page.reload();
      await cdp.send('Network.emulateNetworkConditions', throttle);
      // The page says the upload is remembered, and how far it got.
      const remembered = page.locator('.tus-files li').first();
      expect(await shown(remembered)).toMatch(/^Tệp bao-cao\.pdf đang tải dở \(\d+ %\)/);
      await screenshot(page, 'resumable-upload', 'remembered.png');
      const before = receivedOnServer();
      expect(before).toBeGreaterThan(0);

      const offsets: number[] = [];
      page.on('request', (req) => {
        if (req.method() === 'PATCH') offsets.push(Number(req.headers()['upload-offset']));
      });
      await choose(page, ['bao-cao.pdf', file]);
      await until(
        async () => ((await remembered.textContent()) ?? '').includes('đã tải lên'),
        'the upload done',
        20_000,
      );
      // Resumed, not started again: the first chunk after the reload began where the server was.
      expect(offsets[0]).toBeGreaterThanOrEqual(before);
      expect(await storedSha('bao-cao.pdf')).toBe(sha256(file));
    } finally {
      await close();
    }
  });
});
