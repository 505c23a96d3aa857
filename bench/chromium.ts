// Load time under a "commune 3G" profile (400 kbps down and up, 400 ms latency), emulated through the Chrome
// DevTools Protocol in Debian's Chromium (never a downloaded browser).
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { summarize } from './stats.ts';

export const commune3g = { latencyMs: 400, kbps: 400 };

export interface LoadSample {
  /** navigation start → load event, from the page's own Navigation Timing. */
  loadMs: number;
  /** navigation start → DOMContentLoaded. */
  dclMs: number;
  /** Bytes on the wire (CDP encodedDataLength, headers included) and the requests that went to the network. */
  bytes: number;
  requests: number;
}

export interface LoadResult {
  name: string;
  url: string;
  cold: LoadSample[];
  warm: LoadSample[];
  reload: LoadSample[];
  unthrottledCold: LoadSample[];
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    timeout: 60_000,
  });
}

async function instrument(context: BrowserContext, page: Page, throttle: boolean) {
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle) {
    const bytesPerSecond = (commune3g.kbps * 1000) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: commune3g.latencyMs,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
      connectionType: 'cellular3g',
    });
  }
  let bytes = 0;
  let requests = 0;
  const fromCache = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e: { requestId: string }) => fromCache.add(e.requestId));
  cdp.on(
    'Network.responseReceived',
    (e: {
      requestId: string;
      response: { fromDiskCache?: boolean; fromPrefetchCache?: boolean; fromServiceWorker?: boolean };
    }) => {
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) fromCache.add(e.requestId);
    },
  );
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (fromCache.has(e.requestId)) return;
    bytes += e.encodedDataLength;
    requests++;
  });
  return {
    reset() {
      bytes = 0;
      requests = 0;
      fromCache.clear();
    },
    read() {
      return { bytes, requests };
    },
  };
}

async function timing(page: Page): Promise<{ loadMs: number; dclMs: number }> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      loadMs: nav ? nav.loadEventEnd - nav.startTime : Number.NaN,
      dclMs: nav ? nav.domContentLoadedEventEnd - nav.startTime : Number.NaN,
    };
  });
}

/**
 * For each page: `reps` cold loads (a new browser context each, so an empty cache), each followed by a warm visit
 * (navigating to it again: cached assets and, where the page allows it, the cached HTML) and a reload (revalidation:
 * If-None-Match / 304 where the page has an ETag). Also `reps` unthrottled cold loads as the reference.
 */
export async function measureLoads(
  browser: Browser,
  pages: { name: string; url: string; cookies?: { name: string; value: string }[] }[],
  reps: number,
  log: (s: string) => void,
): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const p of pages) {
    const r: LoadResult = { name: p.name, url: p.url, cold: [], warm: [], reload: [], unthrottledCold: [] };
    for (let i = 0; i < reps * 2; i++) {
      const throttle = i < reps;
      const context = await browser.newContext({ javaScriptEnabled: true });
      try {
        if (p.cookies) await context.addCookies(p.cookies.map((c) => ({ ...c, url: new URL(p.url).origin })));
        const page = await context.newPage();
        page.setDefaultTimeout(90_000);
        const net = await instrument(context, page, throttle);
        const sample = async (go: () => Promise<unknown>): Promise<LoadSample> => {
          net.reset();
          await go();
          await page.waitForLoadState('load');
          await new Promise((res) => setTimeout(res, 100));
          return { ...(await timing(page)), ...net.read() };
        };
        const cold = await sample(() => page.goto(p.url, { waitUntil: 'load' }));
        if (!throttle) {
          r.unthrottledCold.push(cold);
          continue;
        }
        r.cold.push(cold);
        r.warm.push(await sample(() => page.goto(p.url, { waitUntil: 'load' })));
        r.reload.push(await sample(() => page.reload({ waitUntil: 'load' })));
      } finally {
        await context.close();
      }
    }
    const med = (xs: LoadSample[]) => summarize(xs.map((x) => x.loadMs)).median.toFixed(0);
    log(
      `  ${p.name}: cold ${med(r.cold)} ms, warm ${med(r.warm)} ms, reload ${med(r.reload)} ms (unthrottled cold ${med(r.unthrottledCold)} ms)`,
    );
    results.push(r);
  }
  return results;
}
