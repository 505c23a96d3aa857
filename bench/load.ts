// Load generation in a worker thread: the client's own work (sockets, decoding, parsing HTML for the CSRF token and
// version) runs beside the server's event loop, not in it. The same file is the worker's entry point.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Client, csrfToken, hiddenValue, Session } from './http.ts';

export interface AppraiserPlan {
  username: string;
  cookies: [string, string][];
  /** The first item of each unit this appraiser works through, in order: `/appraisal/items/ID?campaign=…&unit=…`. */
  starts: string[];
}

export type Job =
  | { kind: 'appraisers'; base: string; appraisers: AppraiserPlan[]; maxItemsEach: number; durationMs: number }
  | {
      kind: 'rps';
      base: string;
      path: string;
      headers: Record<string, string>;
      concurrency: number;
      durationMs: number;
      warmupMs: number;
    };

export interface AppraisersResult {
  kind: 'appraisers';
  /** Client-side latency of each POST (accept-and-next: 303 to the next item). */
  posts: number[];
  /** Client-side latency of each GET of an item page. */
  gets: number[];
  /** GET + POST of one item, as one appraiser experiences it. */
  cycles: number[];
  accepted: number;
  errors: number;
  errorSamples: string[];
  wallMs: number;
  perAppraiser: number[];
}

export interface RpsResult {
  kind: 'rps';
  count: number;
  wallMs: number;
  latencies: number[];
  errors: number;
  bodyBytes: number;
}

async function runAppraisers(job: Extract<Job, { kind: 'appraisers' }>): Promise<AppraisersResult> {
  const client = new Client(job.base, job.appraisers.length + 4);
  const out: AppraisersResult = {
    kind: 'appraisers',
    posts: [],
    gets: [],
    cycles: [],
    accepted: 0,
    errors: 0,
    errorSamples: [],
    wallMs: 0,
    perAppraiser: [],
  };
  const error = (text: string) => {
    out.errors++;
    if (out.errorSamples.length < 10) out.errorSamples.push(text);
  };
  const started = performance.now();
  const deadline = started + job.durationMs;
  const ticker = setInterval(
    () =>
      parentPort?.postMessage({
        progress: `${((performance.now() - started) / 1000).toFixed(0)} s: ${out.accepted} accepted, ${out.errors} errors`,
      }),
    10_000,
  );
  await Promise.all(
    job.appraisers.map(async (plan, index) => {
      const s = new Session(client, plan.cookies);
      let done = 0;
      for (const start of plan.starts) {
        let url: string | null = start;
        while (url && done < job.maxItemsEach && performance.now() < deadline) {
          const t0 = performance.now();
          try {
            const page = await s.get(url);
            out.gets.push(page.ms);
            if (page.status !== 200) {
              error(`${plan.username} GET ${url}: HTTP ${page.status}`);
              break;
            }
            const html = page.text();
            const version = hiddenValue(html, 'version');
            if (!version) {
              error(`${plan.username} GET ${url}: no version on the page`);
              break;
            }
            const res = await s.post(url, { _csrf: csrfToken(html), version, action: 'accept' });
            out.posts.push(res.ms);
            if (res.status !== 303) {
              error(`${plan.username} POST ${url}: HTTP ${res.status}`);
              break;
            }
            out.cycles.push(performance.now() - t0);
            out.accepted++;
            done++;
            const location = String(res.headers.location ?? '');
            url = location.startsWith('/appraisal/items/') ? location : null;
          } catch (err) {
            error(`${plan.username} ${url}: ${(err as Error).message}`);
            break;
          }
        }
        if (done >= job.maxItemsEach || performance.now() >= deadline) break;
      }
      out.perAppraiser[index] = done;
    }),
  );
  clearInterval(ticker);
  out.wallMs = performance.now() - started;
  client.close();
  return out;
}

async function runRps(job: Extract<Job, { kind: 'rps' }>): Promise<RpsResult> {
  const client = new Client(job.base, job.concurrency + 2);
  const out: RpsResult = { kind: 'rps', count: 0, wallMs: 0, latencies: [], errors: 0, bodyBytes: 0 };
  const warmEnd = performance.now() + job.warmupMs;
  while (performance.now() < warmEnd)
    await Promise.all(
      Array.from({ length: job.concurrency }, () =>
        client.request('GET', job.path, { headers: job.headers, decode: false }),
      ),
    );
  const started = performance.now();
  const deadline = started + job.durationMs;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          const res = await client.request('GET', job.path, { headers: job.headers, decode: false });
          if (res.status !== 200) out.errors++;
          out.count++;
          out.latencies.push(res.ms);
          out.bodyBytes = res.bodyBytes;
        } catch {
          out.errors++;
        }
      }
    }),
  );
  out.wallMs = performance.now() - started;
  client.close();
  return out;
}

/** Runs one job in a fresh worker thread; the worker is terminated if it overruns its time by a minute. */
export function runInWorker<R extends AppraisersResult | RpsResult>(
  job: Job,
  progress?: (line: string) => void,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.on('message', (m: { progress?: string }) => {
      if (m.progress && progress) progress(m.progress);
    });
    const limit = setTimeout(
      () => {
        void worker.terminate();
        reject(new Error(`load worker (${job.kind}) overran its time`));
      },
      job.durationMs + (job.kind === 'rps' ? job.warmupMs : 0) + 60_000,
    );
    worker.on('message', (m: R | { progress: string }) => {
      if ('progress' in m) return;
      clearTimeout(limit);
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      clearTimeout(limit);
      reject(err);
    });
    worker.once('exit', (code) => {
      clearTimeout(limit);
      if (code !== 0 && code !== 1) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

if (!isMainThread && parentPort) {
  const job = workerData as Job;
  const result = job.kind === 'appraisers' ? await runAppraisers(job) : await runRps(job);
  parentPort.postMessage(result);
}
