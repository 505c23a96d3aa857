// The online survey (issue 17), `npm run bench -- --only survey`: how many answers one instance accepts per second
// (target ≥ 500/s, so that every commune of a province answering at once is no load), and the form's cold weight on
// a phone. The app runs as server.ts runs it (production mode) on the run's embedded PostgreSQL (fsync on); the
// phones are simulated by a worker thread of their own, each with its own cookie and network address (X-Forwarded-For
// from a trusted loopback proxy), so that neither the per-device nor the per-address limit is what is measured.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MikroORM } from '@mikro-orm/postgresql';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { addDays, todayInVietnam } from '../src/domain/dates.ts';
import { saveQuestionnaire } from '../src/features/survey-online/questionnaire.ts';
import { Client, Session } from './http.ts';
import type { Report } from './report.ts';
import { int, kbExact, medP95, ms, summarize } from './stats.ts';

/** Phones answering, and how many at once. */
const DEVICES = 6000;
const CONCURRENCY = 48;
const TARGET_PER_SECOND = 500;
const COLD_LIMIT = 15 * 1024;

interface Job {
  base: string;
  /** Per device: the form's address, its cookie, its token, group and question names, its address. */
  devices: { path: string; cookie: string; token: string; group: string; questions: string[]; address: string }[];
  concurrency: number;
}

interface Result {
  accepted: number;
  refused: Record<string, number>;
  wallMs: number;
  latencies: number[];
}

/** The worker: every device sends its answer once, `concurrency` at a time; returns what came back. */
async function answerAll(job: Job): Promise<Result> {
  const client = new Client(job.base, job.concurrency);
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const started = performance.now();
  const one = async () => {
    while (next < job.devices.length) {
      const d = job.devices[next++]!;
      const form = new URLSearchParams({ t: d.token, group: d.group, comment: '' });
      for (const [i, q] of d.questions.entries()) form.set(q, String(((i + next) % 5) + 1));
      const body = form.toString();
      const res = await client.request('POST', d.path, {
        headers: {
          cookie: d.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': d.address,
          'accept-encoding': 'br, gzip',
        },
        body,
        decode: false,
      });
      latencies.push(res.ms);
      if (res.status === 303) accepted++;
      else refused[res.status] = (refused[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, one));
  const wallMs = performance.now() - started;
  client.close();
  return { accepted, refused, wallMs, latencies };
}

if (!isMainThread && workerData?.surveyJob) {
  answerAll(workerData.surveyJob as Job).then((result) => parentPort!.postMessage(result));
}

function inWorker(job: Job): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { surveyJob: job } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/**
 * Opens the demo campaign's survey, starts the app, measures the form's cold weight and then the answers per second.
 * `cleanups` receives what to close.
 */
export async function measureSurvey(
  tmp: string,
  dbUrl: string,
  orm: MikroORM,
  report: Report,
  log: (line: string) => void,
  cleanups: { name: string; fn: () => Promise<unknown> | unknown }[],
): Promise<void> {
  const em = orm.em.fork();
  const [campaign] = await em.execute<{ code: string }[]>('select code from campaign order by id limit 1');
  const today = todayInVietnam();
  const saved = await saveQuestionnaire(em, { id: 1 }, campaign!.code, {
    online: true,
    opensOn: addDays(today, -1),
    closesOn: addDays(today, 30),
    noOpinion: true,
    unitsTypePaper: false,
    groups: [{ name: 'Người dân', questions: Array.from({ length: 8 }, (_, i) => `Câu hỏi ${i + 1}`).join('\n') }],
    slipUnits: [],
  });
  if (!saved.ok) throw new Error(`questionnaire: ${JSON.stringify(saved)}`);
  const links = (await em.execute<{ code: string }[]>('select code from survey_link order by code')).map((l) => l.code);
  log(`survey open for ${links.length} units`);

  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: path.join(tmp, 'data'),
    DATABASE_URL: dbUrl,
    SESSION_SECRET: `bench-survey-${'x'.repeat(40)}`,
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    TRUST_PROXY: '127.0.0.1',
  });
  const app = await buildApp({ config, orm, logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push({ name: 'the survey app', fn: () => app.close() });
  const client = new Client(base, 16);
  cleanups.push({ name: 'the survey HTTP client', fn: () => client.close() });

  // Cold weight: what a phone that never saw the portal downloads (brotli, as a browser asks).
  const phone = new Session(client);
  const form = await phone.get(`/ks/${links[0]}`);
  if (form.status !== 200) throw new Error(`form: HTTP ${form.status}`);
  const css = /href="(\/assets\/survey\.[^"]+\.css)"/.exec(form.text())?.[1];
  const sheet = await phone.get(css!);
  const cold = form.headerBytes + form.bodyBytes + sheet.headerBytes + sheet.bodyBytes;
  const rawBytes = form.body.length + sheet.body.length;
  log(`cold weight ${kbExact(cold)} transferred (${kbExact(rawBytes)} uncompressed)`);

  // The phones: each opens its unit's form (its cookie and token), spread over the units.
  log(`opening the form on ${DEVICES} phones`);
  const devices: Job['devices'] = [];
  const opened: number[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const device = new Session(client);
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const formPath = `/ks/${links[i % links.length]}`;
    const page = await device.request('GET', formPath, { headers: { 'x-forwarded-for': address } });
    opened.push(page.ms);
    const html = page.text();
    devices.push({
      path: formPath,
      cookie: device.cookieHeader,
      token: /name="t" value="([^"]+)"/.exec(html)![1]!,
      group: /name="group" value="([^"]+)"/.exec(html)![1]!,
      questions: [...new Set([...html.matchAll(/name="(q\d+)"/g)].map((m) => m[1]!))],
      address,
    });
  }
  const openSummary = summarize(opened);

  log(`${DEVICES} answers, ${CONCURRENCY} at a time, from a worker thread`);
  const result = await inWorker({ base, devices, concurrency: CONCURRENCY });
  const perSecond = (result.accepted / result.wallMs) * 1000;
  const latency = summarize(result.latencies);
  const [{ n: stored }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from survey_answer where source = 'online'`,
  );
  log(`${int(perSecond)} answers/s; ${result.accepted} accepted, ${stored} stored`);

  report.notes.push(
    `--only survey runs on the demo district (${links.length} units), not on the generated data set the Data line names.`,
  );
  report.add(
    '10',
    'survey answers accepted per second, one instance',
    `${int(perSecond)} /s`,
    `target ≥ ${TARGET_PER_SECOND} /s`,
    `${(perSecond / TARGET_PER_SECOND).toFixed(1)} ×`,
  );
  report.add(
    '10',
    "survey form's cold weight (HTML + stylesheet, brotli, headers)",
    kbExact(cold),
    `≤ ${kbExact(COLD_LIMIT)}`,
  );
  report.section(
    '10. Online survey',
    ['measure', 'value'],
    [
      ['answers sent / accepted (303) / stored', `${DEVICES} / ${result.accepted} / ${stored}`],
      ['refused, by status', JSON.stringify(result.refused)],
      ['wall time', ms(result.wallMs, 0)],
      ['answers per second', int(perSecond)],
      [`answer latency at ${CONCURRENCY} at once (median / p95)`, medP95(latency)],
      ['form GET, one at a time (median / p95)', medP95(openSummary)],
      ['cold weight transferred (HTML + CSS, with headers)', kbExact(cold)],
      ['… HTML, brotli', kbExact(form.bodyBytes)],
      ['… stylesheet, brotli', kbExact(sheet.bodyBytes)],
      ['… uncompressed (HTML + CSS)', kbExact(rawBytes)],
    ],
    `Units: ${links.length}; each phone its own cookie and address; the client runs in a worker thread of the same process.`,
  );
}
