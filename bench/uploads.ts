// Figure 9: the server's memory while it refuses hostile uploads (issue 12): a workbook of 1,000,000 score rows, a
// workbook that inflates to 3 GiB, and one whose sheet lies about its size. Each is posted through the secretariat's
// real upload form over HTTP; RSS is sampled every 10 ms while the request runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoPassword } from '../src/features/demo/seed.ts';
import { type Client, csrfToken, Session } from './http.ts';
import type { Report } from './report.ts';
import { mb, sec } from './stats.ts';

/** The bound issue 12 sets: the server grows by at most this much while reading any upload. */
const boundBytes = 300 * 1024 * 1024;

export async function measureUploads(
  base: string,
  client: Client,
  report: Report,
  log: (line: string) => void,
  dir: string,
): Promise<void> {
  log('making the hostile workbooks in a process of their own (a million rows takes several seconds)');
  const made = JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(new URL('./hostile-files.ts', import.meta.url)), dir], {
      encoding: 'utf8',
    }),
  ) as { name: string; file: string }[];
  const files = made.map((file) => ({ name: file.name, data: readFileSync(file.file) }));

  const admin = new Session(client);
  await admin.signIn('admin', demoPassword);
  const page = await admin.get('/admin/workbooks/import');
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/
    .exec(page.text())?.[1]
    ?.replace(/&amp;/g, '&');
  if (!action) throw new Error('no upload form on /admin/workbooks/import');
  // The form sends its token in the body, before the file (an import form's token is never in its address).
  const token = csrfToken(page.text());

  // A full collection before the idle figure, so that the generator's garbage is not counted as room.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  await sleep(1000);
  const idle = process.memoryUsage().rss;
  log(`idle RSS ${mb(idle)}`);
  const rows: string[][] = [];
  let worst = 0;
  for (const file of files) {
    const form = new FormData();
    form.append('_csrf', token);
    form.append(
      'file',
      new Blob([new Uint8Array(file.data)], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'hostile.xlsx',
    );
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const t0 = performance.now();
    const res = await fetch(new URL(action, base), {
      method: 'POST',
      body: form,
      headers: { cookie: admin.cookieHeader },
    });
    const body = await res.text();
    const took = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const message = /id="file-error">([^<]*)</.exec(body)?.[1] ?? '(no message)';
    const growth = peak - idle;
    worst = Math.max(worst, growth);
    log(`${file.name}: HTTP ${res.status} in ${sec(took)}, peak ${mb(peak)} (+${mb(growth)}): ${message}`);
    rows.push([file.name, mb(file.data.length), `${res.status}`, sec(took), mb(peak), `+${mb(growth)}`, message]);
    gc();
    await sleep(500);
  }
  report.add(
    '9',
    'peak RSS while the app refuses the largest hostile upload (1,000,000 rows; 3 GiB bombs)',
    `${mb(idle + worst)} (+${mb(worst)})`,
    `idle: ${mb(idle)}; bound: idle + ${mb(boundBytes)} = ${mb(idle + boundBytes)}`,
    worst <= boundBytes ? 'within' : 'OVER THE BOUND',
  );
  report.section(
    '9. Hostile uploads (workbook import form, WORKBOOK_MAX_MB=10, default limits)',
    ['file', 'size', 'HTTP', 'time', 'peak RSS', 'over idle', 'message'],
    rows,
    `Idle RSS of the bench process (the app in it) just before: ${mb(idle)}; the bound is idle + 300 MB. Before issue 12, a 14 MB workbook of 1,000,000 rows took the server from 228 MB to 2.8 GB for 25 s, and a 3 MB workbook inflating to 3 GB added 1.1 GB.`,
  );
}
