import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('public pages', () => {
  it('load no script at all and speak Vietnamese by default', async () => {
    const res = await new Browser(t.app).get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('switch to English and back through a plain link', async () => {
    const b = new Browser(t.app);
    const to = await b.get('/lang/en?next=/sign-in');
    expect(to.headers.location).toBe('/sign-in');
    expect((await b.get('/sign-in')).body).toContain('<h1>Sign in</h1>');
    await b.get('/lang/vi?next=/');
    expect((await b.get('/sign-in')).body).toContain('<h1>Đăng nhập</h1>');
  });

  it('answer an unknown address with a friendly 404 page', async () => {
    const res = await new Browser(t.app).get('/khong-co');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Không tìm thấy trang');
    expect(res.body).toContain('href="/"');
  });

  it('never show a stack trace for a malformed request', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  });
});

describe('static assets', () => {
  it('are served under a content hash, precompressed, with immutable caching', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get('/unit');
    const src = /<script src="(\/assets\/htmx\.[0-9a-f]{12}\.js)"/.exec(page.body)?.[1];
    expect(src).toBeDefined();
    const res = await t.app.inject({ method: 'GET', url: src!, headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(res.rawPayload).toString()).toContain('htmx');
    const again = await t.app.inject({
      method: 'GET',
      url: src!,
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await t.app.inject({ method: 'GET', url: '/assets/htmx.000000000000.js' })).statusCode).toBe(404);
  });

  it('keep the stylesheet under 10 KB compressed', async () => {
    const home = await new Browser(t.app).get('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)![1];
    const css = await t.app.inject({ method: 'GET', url: href, headers: { 'accept-encoding': 'br' } });
    expect(css.rawPayload.length).toBeLessThan(10 * 1024);
  });
});
