// `npm run bench`: the portal measured end to end on a generated province-scale campaign, each figure beside what it
// is measured against in the same run. It starts its own embedded PostgreSQL in a temporary directory (never ./data),
// migrates, generates the data set, runs the real app (buildApp) on 127.0.0.1 and drives it over real HTTP; the
// browser part uses Debian's Chromium. Prints a table and writes bench/results.md. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate, openOrm } from '../src/db/orm.ts';
import { ensureLoginRole, grantAppRole, urlAs } from '../src/db/roles.ts';
import { demoPassword, seedDemoIfEmpty } from '../src/features/demo/seed.ts';
import { writeDueReminders } from '../src/features/reminders.ts';
import { computeResults } from '../src/domain/scoring.ts';
import { appraisalCampaigns, nextAction, queueScope } from '../src/features/appraisal/queue.ts';
import { effectiveAgencyCte } from '../src/features/appraisal/scope.ts';
import { buildDocument, toCsv, toJsonText, toXlsx } from '../src/features/publication/document.ts';
import { approveCampaign, publishCampaign } from '../src/features/publication/publish.ts';
import { loadScoringInput } from '../src/features/results.ts';
import { addDays, todayInVietnam } from '../src/domain/dates.ts';
import { hashPassword } from '../src/features/auth/passwords.ts';
import type { Browser } from 'playwright-core';
import { commune3g, launch, measureLoads, type LoadResult, type LoadSample } from './chromium.ts';
import {
  concurrentAppraisers,
  generate,
  generateSet,
  provinceCommunes,
  provinceDepartments,
  unitCode,
  type DataSet,
  type Generated,
} from './data.ts';
import { assetsOf, Client, csrfToken, hiddenValue, Session, type Response } from './http.ts';
import { runInWorker, type AppraiserPlan, type AppraisersResult, type RpsResult } from './load.ts';
import { Report } from './report.ts';
import { measureUploads } from './uploads.ts';
import { measureResumable } from './resumable.ts';
import { measureSurvey } from './survey.ts';
import { measureDocuments } from './documents.ts';
import { int, kb, kbExact, mb, medP95, ms, pct, ratio, sec, summarize, type Summary } from './stats.ts';

// ---------------------------------------------------------------------------------------------------------------
// Settings

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

/** National scale by default (issue 7): about 3,300 communes, 150 leaf criteria each. */
const UNITS = intEnv('BENCH_UNITS', 3300, 60, 20_000);
const LEAVES: number | null = process.env.BENCH_LEAVES === 'demo' ? null : intEnv('BENCH_LEAVES', 150, 1, 1000);
const SEED = intEnv('BENCH_SEED', 20241220, 0, 2 ** 31 - 1);
/** The province beside the national data set (issue 15): its communes and wards in two blocks, and its departments. */
const PROVINCE_UNITS = intEnv('BENCH_PROVINCE_UNITS', 170, 0, 2_000);
const PROVINCE_DEPARTMENTS = 20;
/** The whole run stops by itself: optional parts are skipped when the budget runs low, and a hard stop follows. */
const BUDGET_MS = intEnv('BENCH_BUDGET_MIN', 14, 2, 600) * 60_000;
const SEQ_REQUESTS = 60;
const SEQ_ACCEPTS = 80;
const SEQ_ACCEPTS_WHOLE_QUEUE = 25;
const CONCURRENT_ITEMS_EACH = 30;
const CONCURRENT_MS = 60_000;
const RPS_MS = 5_000;
const BROWSER_REPS = 3;

/** `npm run bench -- --only uploads`: only figures 9 (hostile uploads) and 12 (resumable uploads), on the demo district. */
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
// `--only signatures`: issue 19's verification of a 20 MB signed PDF, on its own (no database): bench/signatures.ts.
if (ONLY === 'signatures') process.exit(await (await import('./signatures.ts')).benchSignatures());
if (ONLY !== undefined && ONLY !== 'uploads' && ONLY !== 'survey') {
  console.error('--only takes: uploads, survey, signatures');
  process.exit(2);
}

const resultsFile = new URL(ONLY ? `./results-${ONLY}.md` : './results.md', import.meta.url);
const started = performance.now();
const elapsed = () => performance.now() - started;
const left = () => BUDGET_MS - elapsed();
const log = (line: string) => console.log(`[${(elapsed() / 1000).toFixed(0).padStart(4)} s] ${line}`);

const report = new Report();

/** Prints a line every 15 s while a long single step runs. */
async function heartbeat<T>(label: string, work: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const timer = setInterval(() => log(`  … ${label}: ${sec(performance.now() - t0)}`), 15_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Peak memory, sampled all along (the bench process: the app, the data generator's driver and the load worker).

let phase = 'start';
let rssPeak = { bytes: 0, phase: '' };
const phasePeaks = new Map<string, number>();
const sampleMemory = () => {
  const rss = process.memoryUsage().rss;
  if (rss > rssPeak.bytes) rssPeak = { bytes: rss, phase };
  if (rss > (phasePeaks.get(phase) ?? 0)) phasePeaks.set(phase, rss);
};
const sampler = setInterval(sampleMemory, 100);
sampler.unref();
function enter(name: string) {
  sampleMemory();
  phase = name;
  log(`── ${name}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Clean-up: whatever happens (an error, Ctrl-C, the hard time limit), the embedded PostgreSQL is stopped.

const cleanups: { name: string; fn: () => Promise<unknown> | unknown }[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const { name, fn } = cleanups.pop()!;
      try {
        await Promise.race([
          Promise.resolve(fn()),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 30_000).unref()),
        ]);
      } catch (err) {
        console.error(`clean-up of ${name} failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

let written = false;
function writeResults(status: string) {
  if (written) return;
  written = true;
  const total = `Total run time: ${sec(elapsed())} (${status}).`;
  writeFileSync(resultsFile, report.markdown('Benchmark results (`npm run bench`)', total));
  console.log(`\n${report.main()}\n`);
  for (const s of report.orderedSections()) console.log(`${s.title}\n${s.body}\n`);
  if (report.notes.length) console.log(`Notes\n${report.notes.map((n) => `- ${n}`).join('\n')}`);
  if (report.todos.length) console.log(report.todos.map((t) => `TODO: ${t}`).join('\n'));
  console.log(`\n${total}\nWritten to ${path.relative(process.cwd(), resultsFile.pathname)}`);
}

for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (err: unknown) => {
    console.error(`${event}:`, err);
    report.notes.push(`Crashed (${event}) during "${phase}": ${(err as Error)?.message ?? err}`);
    void cleanup().finally(() => {
      writeResults(`crashed during ${phase}`);
      process.exit(1);
    });
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    report.notes.push(`Interrupted by ${signal} during "${phase}".`);
    void cleanup().finally(() => {
      writeResults(`interrupted during ${phase}`);
      process.exit(130);
    });
  });
}
const hardStop = setTimeout(() => {
  log('hard time limit reached: stopping');
  report.notes.push(`Stopped by the hard time limit (BENCH_BUDGET_MIN + 1 min) during "${phase}".`);
  void cleanup().finally(() => {
    writeResults(`stopped at the time limit during ${phase}`);
    process.exit(3);
  });
}, BUDGET_MS + 60_000);

// ---------------------------------------------------------------------------------------------------------------
// Requests measured one at a time: client time, the server's own time (an onResponse hook added by the bench)
// and the SQL statements issued for it (openOrm's onQuery; nothing else runs meanwhile).

let queryCount = 0;
/** The slowest SQL statements of the run (MikroORM's own timing, from the query log), for the report. */
const slowest: { ms: number; sql: string; phase: string }[] = [];
/** SQL statements and their total time per phase. */
const sqlByPhase = new Map<string, { n: number; ms: number }>();
/** True while a load worker runs many requests at once: statement times then include waiting for a pooled connection. */
let loadRunning = false;
function onQuery(message: string) {
  queryCount++;
  const m = /\[took (\d+) ms[^\]]*\]\s*$/.exec(message);
  const took = m ? Number(m[1]) : 0;
  const acc = sqlByPhase.get(phase) ?? { n: 0, ms: 0 };
  acc.n++;
  acc.ms += took;
  sqlByPhase.set(phase, acc);
  if (loadRunning || took < 20 || (slowest.length >= 12 && took <= slowest.at(-1)!.ms)) return;
  const sql = message
    .replace(/^\[query\]\s*/, '')
    .replace(/\s*\[took[^\]]*\]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const key = sql.slice(0, 120);
  const same = slowest.findIndex((x) => x.sql.slice(0, 120) === key);
  if (same >= 0) {
    if (slowest[same]!.ms >= took) return;
    slowest.splice(same, 1);
  }
  slowest.push({ ms: took, sql, phase });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 12);
}
const serverTimes = new Map<string, number>();
let server5xx = 0;
const serverErrors: string[] = [];
let benchSeq = 0;

interface Measured {
  res: Response;
  serverMs: number;
  queries: number;
}

async function measured(
  s: Session,
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Measured> {
  const id = `b${++benchSeq}`;
  const before = queryCount;
  const res = await s.request(method, url, { form, headers: { ...headers, 'x-bench-id': id } });
  for (let i = 0; i < 1000 && !serverTimes.has(id); i++) await tick();
  const serverMs = serverTimes.get(id) ?? Number.NaN;
  serverTimes.delete(id);
  return { res, serverMs, queries: queryCount - before };
}

interface Series {
  server: Summary;
  client: Summary;
  queries: Summary;
  last: Measured;
  statuses: Set<number>;
}

/** `n` sequential requests after `warmup` ones, or fewer when they take longer than `capMs` in all (at least one). */
async function series(s: Session, urls: (i: number) => string, n: number, warmup = 3, capMs = 20_000): Promise<Series> {
  const t0 = performance.now();
  for (let i = 0; i < warmup && performance.now() - t0 < capMs / 4; i++) await s.get(urls(i));
  const server: number[] = [],
    client: number[] = [],
    queries: number[] = [];
  const statuses = new Set<number>();
  let last: Measured | null = null;
  const t1 = performance.now();
  for (let i = 0; i < n && (i === 0 || performance.now() - t1 < capMs); i++) {
    last = await measured(s, 'GET', urls(i));
    server.push(last.serverMs);
    client.push(last.res.ms);
    queries.push(last.queries);
    statuses.add(last.res.status);
  }
  return { server: summarize(server), client: summarize(client), queries: summarize(queries), last: last!, statuses };
}

const qText = (s: Summary) => (s.min === s.max ? String(s.min) : `${s.min}–${s.max}`);
const statusText = (set: Set<number>) => [...set].join(', ');

// ---------------------------------------------------------------------------------------------------------------
// Page weight: the HTML as transferred (brotli), plus what a cold load also fetches (stylesheet, scripts, icon).

const assetCache = new Map<string, number>();
interface Weight {
  name: string;
  url: string;
  status: number;
  raw: number;
  br: number;
  headers: number;
  assets: string[];
  assetBytes: number;
  notModified: number | null;
  server: Summary;
  queries: Summary;
}

async function weigh(s: Session, anon: Session, name: string, url: string, conditional: boolean): Promise<Weight> {
  const r = await series(s, () => url, 5, 1);
  const html = r.last.res.text();
  const assets = r.last.res.status === 200 ? assetsOf(html) : [];
  let assetBytes = 0;
  for (const a of assets) {
    if (!assetCache.has(a)) assetCache.set(a, (await anon.get(a)).bodyBytes);
    assetBytes += assetCache.get(a)!;
  }
  let notModified: number | null = null;
  const etag = r.last.res.headers.etag;
  if (conditional && etag) {
    const again = await s.get(url, { 'if-none-match': String(etag) });
    notModified = again.status === 304 ? again.headerBytes + again.bodyBytes : null;
  }
  return {
    name,
    url,
    status: r.last.res.status,
    raw: r.last.res.body.length,
    br: r.last.res.bodyBytes,
    headers: r.last.res.headerBytes,
    assets,
    assetBytes,
    notModified,
    server: r.server,
    queries: r.queries,
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface Ctx {
  gen: Generated;
  /** The province's two campaigns (BENCH_PROVINCE_UNITS=0: none). */
  province: { communes: DataSet; departments: DataSet } | null;
  app: FastifyInstance;
  orm: MikroORM;
  base: string;
  client: Client;
  today: string;
  weights: Weight[];
}

async function main() {
  report.context.push(
    `Data: ${UNITS} units × ${LEAVES ?? "the demo set's"} leaves (BENCH_UNITS=${UNITS}${LEAVES ? ` BENCH_LEAVES=${LEAVES}` : ''}), seed ${SEED}.`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${mb(os.totalmem())} RAM; Node ${process.version}; ${new Date().toISOString()}.`,
  );
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'views', 'public', 'migrations'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    report.context.push(
      `Code: commit ${commit}${dirty ? ' with uncommitted changes in src/, views/ or public/' : ''}.`,
    );
  } catch {
    /* not a git checkout */
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-'));
  chmodSync(tmp, 0o755);
  cleanups.push({ name: 'the temporary directory', fn: () => rmSync(tmp, { recursive: true, force: true }) });

  enter('PostgreSQL');
  log(`starting an embedded PostgreSQL in ${tmp}`);
  const db: EmbeddedDatabase = await startEmbeddedPostgres({
    dir: path.join(tmp, 'pg'),
    database: 'cchc_bench',
    persistent: false,
    settings: { max_connections: '200' },
  });
  cleanups.push({ name: 'the embedded PostgreSQL', fn: () => db.stop() });
  const orm = await openOrm(db.url, { onQuery });
  cleanups.push({ name: 'the database pool', fn: () => orm.close() });
  const [{ server_version: pgVersion }] = await orm.em
    .fork()
    .execute<{ server_version: string }[]>('show server_version');
  report.context.push(
    `PostgreSQL ${pgVersion} (embedded, default settings, fsync on) on the same machine; app pool: openOrm's default (10).`,
  );
  const applied = await migrate(orm);
  log(`migrated (${applied.length} migrations)`);
  const today = todayInVietnam();
  await seedDemoIfEmpty(orm, today);

  if (ONLY === 'uploads') {
    await uploadsOnly(tmp, db, orm);
    return;
  }
  if (ONLY === 'survey') {
    enter('10 online survey');
    await measureSurvey(tmp, db.url, orm, report, log, cleanups);
    return;
  }

  // 1. The data set.
  enter('1 data set');
  const gen = await generate(db.url, {
    units: UNITS,
    leaves: LEAVES,
    seed: SEED,
    passwordHash: await hashPassword(demoPassword),
    today,
    log,
  });
  const generatedRows = [
    'criterion_score',
    'appraisal',
    'evidence_file',
    'audit_event',
    'survey_result',
    'component_points',
  ].reduce((s, k) => s + (gen.counts[k] ?? 0), 0);
  report.add(
    '1',
    `data set generated (set-based SQL, seeded PRNG): ${int(gen.units)} units × ${gen.leaves} leaves (${gen.nodes} criteria)`,
    sec(gen.totalMs),
    `${int(generatedRows)} rows: ${int(gen.counts.criterion_score ?? 0)} scores, ${int(gen.counts.appraisal ?? 0)} appraisal items, ${int(gen.counts.evidence_file ?? 0)} evidence records, ${int(gen.counts.audit_event ?? 0)} audit events`,
    `${int(generatedRows / (gen.totalMs / 1000))} rows/s`,
  );
  report.section(
    '1. Data set',
    ['step', 'time'],
    [...gen.steps.map((s) => [s.name, sec(s.ms)]), ['total', sec(gen.totalMs)]],
    `Rows in the database afterwards: ${Object.entries(gen.counts)
      .filter(([k]) => k.startsWith('table '))
      .map(([k, v]) => `${k.slice(6)} ${int(v)}`)
      .join(', ')}.`,
  );

  // The province beside it, in the same database: its communes and wards in two blocks, its departments on a criteria
  // set of their own.
  let province: Ctx['province'] = null;
  if (PROVINCE_UNITS > 0) {
    const options = { leaves: LEAVES, seed: SEED, passwordHash: '', today, log };
    log(`province: ${PROVINCE_UNITS} communes and wards, ${PROVINCE_DEPARTMENTS} departments`);
    const communes = await generateSet(db.url, { ...options, units: PROVINCE_UNITS }, provinceCommunes);
    const departments = await generateSet(db.url, { ...options, units: PROVINCE_DEPARTMENTS }, provinceDepartments);
    province = { communes, departments };
  }

  // The app, as server.ts runs it but on a free loopback port, production mode, no log.
  enter('app start');
  const { app } = await startBenchApp(tmp, db, orm, onQuery);
  app.addHook('onResponse', async (req, reply) => {
    const id = req.headers['x-bench-id'];
    if (typeof id === 'string') serverTimes.set(id, reply.elapsedTime);
    if (reply.statusCode >= 500) server5xx++;
  });
  app.addHook('onError', async (req, _reply, error) => {
    if (serverErrors.length < 5) serverErrors.push(`${req.method} ${req.url}: ${error.message}`);
  });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  cleanups.push({ name: 'the app', fn: () => app.close() });
  const base = `http://127.0.0.1:${port}`;
  const client = new Client(base, 16);
  cleanups.push({ name: 'the HTTP client', fn: () => client.close() });
  sampleMemory();
  const rssAfterStart = process.memoryUsage().rss;
  log(`app listening on ${base}`);

  const ctx: Ctx = { gen, province, app, orm, base, client, today, weights: [] };
  const steps: [string, (c: Ctx) => Promise<void>, number][] = [
    ['2 criteria page', criteriaPage, 0],
    ['6a signed-in page weights', signedInWeights, 30_000],
    ['3 accept-and-next, one appraiser', acceptSequential, 0],
    ['3 accept-and-next, 50 appraisers', acceptConcurrent, 90_000],
    ['4 publication', publication, 0],
    ['12 council documents', (c) => measureDocuments(c.orm, c.gen.campaign.code, report, log), 60_000],
    ['5 public campaign page', publicPage, 45_000],
    ['6b public page weights', publicWeights, 10_000],
    ['7 commune 3G in Chromium', browserLoads, 120_000],
    ['10 province scale', provinceScale, 30_000],
    ['9 hostile uploads', (c) => measureUploads(c.base, c.client, report, log, tmp), 60_000],
    ['11 reminders', reminders, 20_000],
  ];
  for (const [name, fn, needs] of steps) {
    if (left() < needs) {
      report.notes.push(`Skipped "${name}": ${sec(left())} of the time budget left, it needs about ${sec(needs)}.`);
      continue;
    }
    enter(name);
    try {
      await fn(ctx);
    } catch (err) {
      log(`${name} failed: ${(err as Error).stack ?? err}`);
      report.notes.push(`"${name}" failed: ${(err as Error).message}`);
    }
  }
  weightsSection(ctx);
  scaleSection(ctx);

  // 8. Memory.
  enter('done');
  report.add(
    '8',
    "peak memory (RSS) of the bench process: the app, the load worker thread, the generator's driver",
    `${mb(rssPeak.bytes)} (during "${rssPeak.phase}")`,
    `after app start, before any load: ${mb(rssAfterStart)}`,
    ratio(rssPeak.bytes, rssAfterStart),
  );
  report.section(
    '8. Peak RSS by phase',
    ['phase', 'peak RSS'],
    [...phasePeaks].map(([p, b]) => [p, mb(b)]),
    'PostgreSQL and Chromium are separate processes and not included.',
  );
  if (slowest.length) {
    report.section(
      'Slowest SQL statements (≥ 20 ms, one per statement shape; not counted while many requests ran at once)',
      ['ms', 'phase', 'statement (start)'],
      slowest.map((q) => [String(q.ms), q.phase, `\`${q.sql.slice(0, 220)}${q.sql.length > 220 ? '…' : ''}\``]),
    );
  }
  if (server5xx)
    report.notes.push(
      `The server answered ${server5xx} request(s) with a 5xx status. First errors: ${serverErrors.join(' · ')}`,
    );
}

/**
 * The app as server.ts runs it, production mode, no log, on its own role (which owns nothing); not yet listening.
 * `onQuery` sees every statement the app sends.
 */
async function startBenchApp(tmp: string, db: EmbeddedDatabase, orm: MikroORM, onQuery?: (sql: string) => void) {
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: path.join(tmp, 'data'),
    DATABASE_URL: db.url,
    SESSION_SECRET: `bench-${SEED}-${'x'.repeat(40)}`,
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
  });
  await ensureLoginRole(orm, 'cchc_app', 'bench-app-role-password');
  await grantAppRole(orm, 'cchc_app');
  const appOrm = await openOrm(urlAs(db.url, 'cchc_app', 'bench-app-role-password'), { onQuery });
  cleanups.push({ name: "the app's database pool", fn: () => appOrm.close() });
  const app = await buildApp({ config, orm: appOrm, logger: false });
  return { config, app };
}

/** Figures 9 and 12 alone: the real app on the demo district, the hostile uploads, then the resumable ones. */
async function uploadsOnly(tmp: string, db: EmbeddedDatabase, orm: MikroORM) {
  enter('app start');
  const { app } = await startBenchApp(tmp, db, orm);
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  cleanups.push({ name: 'the app', fn: () => app.close() });
  const client = new Client(`http://127.0.0.1:${port}`, 4);
  cleanups.push({ name: 'the HTTP client', fn: () => client.close() });
  enter('9 hostile uploads');
  await measureUploads(`http://127.0.0.1:${port}`, client, report, log, tmp);
  enter('12 resumable uploads');
  await measureResumable(`http://127.0.0.1:${port}`, client, orm, report, log);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The unit criteria page.

let floorSeries: Series | null = null;

async function criteriaPage(c: Ctx) {
  const officer = new Session(c.client);
  await officer.signIn(c.gen.officer, demoPassword);
  // The floor: a signed-in GET that only looks the session up and redirects (/sign-in when signed in → 303).
  floorSeries = await series(officer, () => '/sign-in', 40);
  const floor = floorSeries;
  log(`floor (session lookup + redirect): ${medP95(floor.server)}`);

  const u1 = unitCode(1);
  const allUrl = `/unit/${u1}/campaigns/${c.gen.open.code}/criteria?missing=score`;
  const all = await series(officer, () => allUrl, SEQ_REQUESTS);
  const shown = (all.last.res.text().match(/<[a-z]+[^>]* id="c-[0-9-]+"/g) ?? []).length;
  log(
    `all criteria (${shown} blocks): server ${medP95(all.server)}, ${qText(all.queries)} queries, ${kb(all.last.res.bodyBytes)} br`,
  );

  const fieldUrl = (i: number) =>
    `/unit/${u1}/campaigns/${c.gen.campaign.code}/criteria?field=${c.gen.fields[i % c.gen.fields.length]}`;
  const perField: { field: string; br: number; raw: number; blocks: number; queries: number; server: number }[] = [];
  for (let i = 0; i < c.gen.fields.length; i++) {
    const m = await measured(officer, 'GET', fieldUrl(i));
    perField.push({
      field: c.gen.fields[i]!,
      br: m.res.bodyBytes,
      raw: m.res.body.length,
      blocks: (m.res.text().match(/<[a-z]+[^>]* id="c-[0-9-]+"/g) ?? []).length,
      queries: m.queries,
      server: m.serverMs,
    });
  }
  const fields = await series(officer, fieldUrl, SEQ_REQUESTS);
  const biggest = perField.reduce((a, b) => (b.br > a.br ? b : a));
  const smallest = perField.reduce((a, b) => (b.blocks < a.blocks ? b : a));
  log(`one field at a time (filled unit): server ${medP95(fields.server)}, ${qText(fields.queries)} queries`);

  const title = `unit criteria page, all ${shown} criteria to score at once (${c.gen.open.code}, ?missing=score, nothing scored yet; HTTP ${statusText(all.statuses)})`;
  report.add(
    '2',
    `${title}: server time median / p95 over ${SEQ_REQUESTS} sequential requests`,
    medP95(all.server),
    `floor, a signed-in request that only checks the session and redirects: ${medP95(floor.server)}`,
    ratio(all.server.median, floor.server.median),
  );
  report.add('2', '… client time (loopback, brotli decoded) median / p95', medP95(all.client), '', '');
  report.add(
    '2',
    '… SQL statements per request',
    qText(all.queries),
    `the same page with one field (field ${smallest.field}, ${smallest.blocks} criteria): ${smallest.queries}; floor: ${qText(floor.queries)}`,
    all.queries.max === smallest.queries ? 'same: fixed, whatever the number of criteria' : 'differs',
  );
  report.add(
    '2',
    '… transferred (brotli, HTML only)',
    kbExact(all.last.res.bodyBytes),
    `issue 4 budget: 40 KB; uncompressed ${kb(all.last.res.body.length)}`,
    pct(all.last.res.bodyBytes, 40 * 1024),
  );
  report.add(
    '2',
    `unit criteria page of a submitted unit, one field at a time (${c.gen.campaign.code}, fields cycled, scores, explanations, evidence; HTTP ${statusText(fields.statuses)}): server median / p95`,
    medP95(fields.server),
    `floor: ${medP95(floor.server)}`,
    ratio(fields.server.median, floor.server.median),
  );
  report.add(
    '2',
    '… SQL statements per request',
    qText(fields.queries),
    `all criteria at once: ${qText(all.queries)}`,
    '',
  );
  report.add(
    '2',
    `… largest field transferred (brotli): field ${biggest.field}, ${biggest.blocks} criteria`,
    kbExact(biggest.br),
    'issue 4 budget: 40 KB',
    pct(biggest.br, 40 * 1024),
  );
  report.section(
    '2. Criteria page, one field at a time (submitted unit)',
    ['field', 'criteria shown', 'HTML', 'brotli', 'SQL statements', 'server (one request)'],
    perField.map((f) => [f.field, String(f.blocks), kb(f.raw), kb(f.br), String(f.queries), ms(f.server)]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 6a. Signed-in pages (campaign in appraisal).

async function itemOf(c: Ctx, agencyId: number, unit: string | null): Promise<number | null> {
  const em = c.orm.em.fork();
  const campaign = (await appraisalCampaigns(em)).find((x) => x.code === c.gen.campaign.code);
  if (!campaign) throw new Error(`${c.gen.campaign.code} is not in the appraisal list`);
  return nextAction(em, await queueScope(em, campaign, [agencyId], unit ? { unit } : {}, c.today), null);
}

async function signedInWeights(c: Ctx) {
  const anon = new Session(c.client);
  const officer = new Session(c.client);
  await officer.signIn(c.gen.officer, demoPassword);
  const appraiser = new Session(c.client);
  await appraiser.signIn(c.gen.sequentialAppraiser.username, demoPassword);
  const admin = new Session(c.client);
  await admin.signIn('admin', demoPassword);
  const chair = new Session(c.client);
  await chair.signIn('chutich', demoPassword);
  const code = c.gen.campaign.code;
  const u1 = unitCode(1);
  const item = await itemOf(c, c.gen.sequentialAppraiser.agencyId, u1);
  const pages: [Session, string, string][] = [
    [anon, 'sign-in', '/sign-in'],
    [officer, 'unit home (campaign list)', '/unit'],
    [officer, 'unit home (campaign, task list)', `/unit/${u1}/campaigns/${code}`],
    [
      officer,
      'criteria page, all criteria (nothing scored)',
      `/unit/${u1}/campaigns/${c.gen.open.code}/criteria?missing=score`,
    ],
    [
      officer,
      'criteria page, field 1 (submitted unit)',
      `/unit/${u1}/campaigns/${code}/criteria?field=${c.gen.fields[0]}`,
    ],
    [
      appraiser,
      `appraisal queue, whole campaign (${c.gen.agencies.find((a) => a.id === c.gen.sequentialAppraiser.agencyId)?.name})`,
      `/appraisal/queue?campaign=${code}`,
    ],
    [appraiser, 'appraisal queue, one unit', `/appraisal/queue?campaign=${code}&unit=${u1}`],
    ...(item
      ? [
          [appraiser, 'appraisal item', `/appraisal/items/${item}?campaign=${code}&unit=${u1}`] as [
            Session,
            string,
            string,
          ],
        ]
      : []),
    [admin, 'admin campaign page', `/admin/campaigns/${code}`],
    [admin, 'admin progress page', `/admin/campaigns/${code}/progress`],
    [admin, 'admin units page', `/admin/campaigns/${code}/units`],
    [chair, 'council overview (progress)', `/council/campaigns/${code}`],
    [chair, 'council preliminary ranking', `/council/campaigns/${code}/ranking`],
  ];
  for (const [s, name, url] of pages) {
    const w = await weigh(s, anon, name, url, false);
    c.weights.push(w);
    log(`${name}: HTTP ${w.status}, ${kb(w.br)} br, server ${ms(w.server.median)}, ${qText(w.queries)} queries`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Accept-and-next.

interface AcceptRun {
  posts: Summary;
  postClient: Summary;
  gets: Summary;
  cycles: Summary;
  postQueries: Summary;
  getQueries: Summary;
  done: number;
  errors: string[];
}

async function acceptLoop(
  _c: Ctx,
  s: Session,
  starts: () => Promise<string | null>,
  n: number,
  capMs: number,
): Promise<AcceptRun> {
  const until = performance.now() + capMs;
  const posts: number[] = [],
    postClient: number[] = [],
    gets: number[] = [],
    cycles: number[] = [],
    postQueries: number[] = [],
    getQueries: number[] = [];
  const errors: string[] = [];
  let url: string | null = await starts();
  let done = 0;
  while (url && done < n && performance.now() < until) {
    const t0 = performance.now();
    const page = await measured(s, 'GET', url);
    if (page.res.status !== 200) {
      errors.push(`GET ${url}: HTTP ${page.res.status}`);
      url = await starts();
      continue;
    }
    const html = page.res.text();
    const version = hiddenValue(html, 'version');
    if (!version) {
      errors.push(`GET ${url}: no version`);
      break;
    }
    const post = await measured(s, 'POST', url, { _csrf: csrfToken(html), version, action: 'accept' });
    if (post.res.status !== 303) {
      errors.push(`POST ${url}: HTTP ${post.res.status}`);
      url = await starts();
      continue;
    }
    gets.push(page.serverMs);
    getQueries.push(page.queries);
    posts.push(post.serverMs);
    postClient.push(post.res.ms);
    postQueries.push(post.queries);
    cycles.push(performance.now() - t0);
    done++;
    const location = String(post.res.headers.location ?? '');
    url = location.startsWith('/appraisal/items/') ? location : await starts();
  }
  return {
    posts: summarize(posts),
    postClient: summarize(postClient),
    gets: summarize(gets),
    cycles: summarize(cycles),
    postQueries: summarize(postQueries),
    getQueries: summarize(getQueries),
    done,
    errors,
  };
}

let sequentialUnit: AcceptRun | null = null;

async function acceptSequential(c: Ctx) {
  const s = new Session(c.client);
  const a = c.gen.sequentialAppraiser;
  await s.signIn(a.username, demoPassword);
  const code = c.gen.campaign.code;
  const agencyName = c.gen.agencies.find((x) => x.id === a.agencyId)?.name ?? '';
  const perUnit = c.gen.agencies.find((x) => x.id === a.agencyId)?.selfLeaves ?? 0;

  // Unit by unit (the queue filtered by unit), from bx-0002 on.
  let unitN = 1;
  const nextUnitStart = async () => {
    while (++unitN <= 10) {
      const id = await itemOf(c, a.agencyId, unitCode(unitN));
      if (id) return `/appraisal/items/${id}?campaign=${code}&unit=${unitCode(unitN)}`;
    }
    return null;
  };
  const unit = await acceptLoop(c, s, nextUnitStart, SEQ_ACCEPTS, 60_000);
  sequentialUnit = unit;
  log(`unit filter: ${unit.done} accepts, POST server ${medP95(unit.posts)}, cycle ${medP95(unit.cycles)}`);

  // The whole campaign's queue for the agency (no filter), as the queue's "start" button leads.
  let once = false;
  const wholeStart = async () => {
    if (once) return null;
    once = true;
    const id = await itemOf(c, a.agencyId, null);
    return id ? `/appraisal/items/${id}?campaign=${code}` : null;
  };
  const whole = await acceptLoop(c, s, wholeStart, SEQ_ACCEPTS_WHOLE_QUEUE, 45_000);
  log(`whole queue: ${whole.done} accepts, POST server ${medP95(whole.posts)}, cycle ${medP95(whole.cycles)}`);

  const floor = floorSeries;
  const queueSize = perUnit * c.gen.units;
  report.add(
    '3',
    `accept-and-next, one appraiser (${agencyName}), queue filtered by unit (${perUnit} items per unit): POST accept → 303 to the next item, server median / p95 over ${unit.done}`,
    medP95(unit.posts),
    floor ? `floor (session check + redirect): ${medP95(floor.server)}` : '',
    floor ? ratio(unit.posts.median, floor.server.median) : '',
  );
  report.add('3', "… the next item's page (GET), server median / p95", medP95(unit.gets), '', '');
  report.add('3', '… GET + POST cycle as the appraiser sees it (client) median / p95', medP95(unit.cycles), '', '');
  report.add(
    '3',
    '… SQL statements per POST / per GET',
    `${qText(unit.postQueries)} / ${qText(unit.getQueries)}`,
    floor ? `floor: ${qText(floor.queries)}` : '',
    '',
  );
  report.add(
    '3',
    `accept-and-next on the agency's whole campaign queue (no unit filter, ≈${int(queueSize)} items): POST server median / p95 over ${whole.done}`,
    medP95(whole.posts),
    `the same with the unit filter: ${medP95(unit.posts)}`,
    ratio(whole.posts.median, unit.posts.median),
  );
  report.add(
    '3',
    '… GET + POST cycle (client) median / p95',
    medP95(whole.cycles),
    `with the unit filter: ${medP95(unit.cycles)}`,
    ratio(whole.cycles.median, unit.cycles.median),
  );
  for (const e of [...unit.errors, ...whole.errors].slice(0, 5)) report.notes.push(`Sequential accept-and-next: ${e}`);
}

async function acceptConcurrent(c: Ctx) {
  const code = c.gen.campaign.code;
  // Each appraiser works through its own units, never another's: appraiser j takes units 11 + j, 61 + j, 111 + j, …
  const unitsOf = (j: number) => {
    const list: number[] = [];
    for (let n = 11 + j; n <= c.gen.units && list.length < 12; n += concurrentAppraisers) list.push(n);
    return list;
  };
  const em = c.orm.em.fork();
  const firsts = await em.execute<{ unit_code: string; agency_id: number; id: number }[]>(
    `with recursive ${effectiveAgencyCte}
     select distinct on (u.code, ea.agency_id) u.code as unit_code, ea.agency_id, a.id
       from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id and sa.state = 'submitted'
       join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
       join effective_agency ea on ea.criterion_id = c.id
      where sa.campaign_id = ? and a.state = 'todo'
      order by u.code, ea.agency_id, c.position`,
    [c.gen.criteriaSetId, c.gen.campaign.id],
  );
  const first = new Map(firsts.map((f) => [`${f.unit_code}|${f.agency_id}`, f.id]));

  const t0 = performance.now();
  const plans: AppraiserPlan[] = [];
  for (const [j, a] of c.gen.appraisers.entries()) {
    const s = new Session(c.client);
    await s.signIn(a.username, demoPassword);
    const starts = unitsOf(j).flatMap((n) => {
      const id = first.get(`${unitCode(n)}|${a.agencyId}`);
      return id ? [`/appraisal/items/${id}?campaign=${code}&unit=${unitCode(n)}`] : [];
    });
    plans.push({ username: a.username, cookies: [...s.cookies], starts });
  }
  const signInMs = performance.now() - t0;
  log(
    `${plans.length} appraisers signed in through POST /sign-in in ${sec(signInMs)}; running for up to ${sec(CONCURRENT_MS)} or ${CONCURRENT_ITEMS_EACH} items each`,
  );

  const before5xx = server5xx;
  loadRunning = true;
  const r = await runInWorker<AppraisersResult>(
    {
      kind: 'appraisers',
      base: c.base,
      appraisers: plans,
      maxItemsEach: CONCURRENT_ITEMS_EACH,
      durationMs: CONCURRENT_MS,
    },
    (p) => log(`  ${p}`),
  ).finally(() => {
    loadRunning = false;
  });
  const posts = summarize(r.posts),
    cycles = summarize(r.cycles),
    gets = summarize(r.gets);
  const throughput = r.accepted / (r.wallMs / 1000);
  log(
    `${r.accepted} accepts in ${sec(r.wallMs)}: ${throughput.toFixed(1)} items/s, POST ${medP95(posts)}, cycle ${medP95(cycles)}, ${r.errors} errors`,
  );
  const seq = sequentialUnit;
  const seqRate = seq ? 1000 / seq.cycles.median : Number.NaN;
  report.add(
    '3',
    `${plans.length} appraisers at once (real sessions, each its own units, queue filtered by unit; ${plans.length} connections, load client in a worker thread): throughput`,
    `${throughput.toFixed(1)} items/s (${int(r.accepted)} accepts in ${sec(r.wallMs)})`,
    seq ? `one appraiser alone: ${seqRate.toFixed(1)} items/s (1 / median cycle)` : '',
    seq ? ratio(throughput, seqRate) : '',
  );
  report.add(
    '3',
    '… POST accept-and-next latency p50 / p95 (client)',
    medP95(posts),
    seq ? `one appraiser alone: ${medP95(seq.postClient)}` : '',
    seq ? ratio(posts.p95, seq.postClient.p95) : '',
  );
  report.add(
    '3',
    '… GET + POST cycle p50 / p95 (client)',
    medP95(cycles),
    seq ? `one appraiser alone: ${medP95(seq.cycles)}` : '',
    seq ? ratio(cycles.p95, seq.cycles.p95) : '',
  );
  report.add('3', '… item page GET p50 / p95 (client)', medP95(gets), '', '');
  report.add(
    '3',
    '… errors (POST not 303, GET not 200, or no answer)',
    `${r.errors} of ${int(r.posts.length + r.gets.length)} requests`,
    `server 5xx during the run: ${server5xx - before5xx}`,
    '',
  );
  report.section(
    '3. Concurrent appraisers',
    ['figure', 'value'],
    [
      [
        'appraisers (one session each, signed in through POST /sign-in)',
        `${plans.length}, sign-ins took ${sec(signInMs)} in all (argon2id)`,
      ],
      [
        'items per appraiser (cap / min / median / max)',
        `${CONCURRENT_ITEMS_EACH} / ${Math.min(...r.perAppraiser)} / ${summarize(r.perAppraiser).median} / ${Math.max(...r.perAppraiser)}`,
      ],
      ['wall time (cap)', `${sec(r.wallMs)} (${sec(CONCURRENT_MS)})`],
      ['POST p50 / p95 / max', `${ms(posts.median)} / ${ms(posts.p95)} / ${ms(posts.max)}`],
      ['cycle p50 / p95 / max', `${ms(cycles.median)} / ${ms(cycles.p95)} / ${ms(cycles.max)}`],
      ['error samples', r.errorSamples.join(' · ') || 'none'],
    ],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Publication.

/** The national publication's time, for the province and national table (figure 10). */
let nationalPublishMs = Number.NaN;

async function publication(c: Ctx) {
  const em = c.orm.em.fork();
  const [{ id: chairId }] = await em.execute<{ id: number }[]>(`select id from app_user where username = 'chutich'`);
  const [{ id: adminId }] = await em.execute<{ id: number }[]>(`select id from app_user where username = 'admin'`);
  // The past year, known by component points: published as imported so that the campaign page has a comparison.
  const tPrev = performance.now();
  const prev = await publishCampaign(c.orm.em.fork(), adminId, c.gen.previous.code, { imported: true });
  const prevMs = performance.now() - tPrev;
  if (!prev.ok) throw new Error(`publishing ${c.gen.previous.code}: ${JSON.stringify(prev.errors)}`);
  log(`past year ${c.gen.previous.code} published (imported, component points): ${sec(prevMs)}`);

  await em.execute(`update campaign set state = 'council-review' where id = ?`, [c.gen.campaign.id]);
  const approved = await approveCampaign(
    c.orm.em.fork(),
    chairId,
    c.gen.campaign.code,
    `Quyết định số 123/QĐ-UBND`,
    c.today,
    { today: c.today },
  );
  if (!approved.ok) throw new Error(`approval: ${JSON.stringify(approved.errors)}`);

  // The reference: one bare SQL aggregate over the same rows.
  const bare: number[] = [];
  let groups = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const rows = await c.orm.em.fork().execute(
      `select sa.unit_id, sum(a.appraised_score) as appraised, sum(cs.self_score) as self, count(*) as n
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
        where sa.campaign_id = ? group by sa.unit_id`,
      [c.gen.campaign.id],
    );
    bare.push(performance.now() - t);
    groups = rows.length;
  }
  const bareMs = summarize(bare).median;

  // Where the time goes (read-only, before publishing): loading the input, the scoring core, the three documents.
  // In a function of its own, so that nothing of it is still held in memory while the publication runs.
  const { loadMs, computeMs, documentsMs, jsonBytes } = await (async () => {
    const t1 = performance.now();
    const input = await loadScoringInput(c.orm.em.fork(), c.gen.campaign.id);
    const t2 = performance.now();
    const results = computeResults(input);
    const t3 = performance.now();
    const doc = buildDocument({
      campaign: {
        code: c.gen.campaign.code,
        name: 'bench',
        year: c.gen.year,
        organizer: 'bench',
        precision: 2,
        rounding: 'half-up',
      },
      composition: input.rules.composition,
      bands: input.rules.bands,
      version: 1,
      publishedAt: new Date(),
      results,
    });
    const json = toJsonText(doc);
    toCsv(doc);
    await toXlsx(doc);
    const t4 = performance.now();
    return { loadMs: t2 - t1, computeMs: t3 - t2, documentsMs: t4 - t3, jsonBytes: Buffer.byteLength(json) };
  })();

  phase = '4 publication (publishCampaign)';
  const sqlBefore = { ...(sqlByPhase.get(phase) ?? { n: 0, ms: 0 }) };
  const tp = performance.now();
  const published = await heartbeat(
    `publishing ${c.gen.campaign.code} (one transaction)`,
    publishCampaign(c.orm.em.fork(), adminId, c.gen.campaign.code),
  );
  const publishMs = performance.now() - tp;
  nationalPublishMs = publishMs;
  const sqlAfter = sqlByPhase.get(phase) ?? { n: 0, ms: 0 };
  const sqlN = sqlAfter.n - sqlBefore.n,
    sqlMs = sqlAfter.ms - sqlBefore.ms;
  if (!published.ok) throw new Error(`publication: ${JSON.stringify(published.errors)}`);
  log(
    `published ${c.gen.campaign.code} v${published.value.version} in ${sec(publishMs)} (bare aggregate ${ms(bareMs)})`,
  );
  const rest = publishMs - loadMs - computeMs - documentsMs;
  report.add(
    '4',
    `publication of ${int(c.gen.units)} units × ${c.gen.leaves} leaves (publishCampaign: scoring core, results.json/csv/xlsx, a row per unit, one transaction)`,
    sec(publishMs),
    `one bare SQL aggregate over the same rows (sum of appraised and self scores by unit, ${int(groups)} groups): ${ms(bareMs)}`,
    ratio(publishMs, bareMs, 0),
  );
  report.add(
    '4',
    '… of which (timed separately, same calls): load the input / scoring core / three documents / the rest (inserts, reasons by unit, audit)',
    `${ms(loadMs, 0)} / ${ms(computeMs, 0)} / ${ms(documentsMs, 0)} / ${ms(rest, 0)}`,
    `inside publishCampaign: ${int(sqlN)} SQL statements taking ${ms(sqlMs, 0)} in all; results.json ${kb(jsonBytes)}`,
    '',
  );
  report.add('4', `… the past year (${int(c.gen.units)} units by component points, imported)`, sec(prevMs), '', '');
}

// ---------------------------------------------------------------------------------------------------------------
// 5. The public campaign page against the same bytes served as a static file.

async function publicPage(c: Ctx) {
  const anon = new Session(c.client);
  const url = `/campaigns/${c.gen.campaign.code}`;
  const probe = await anon.get(url);
  if (probe.status !== 200) {
    const todo = `the public campaign page ${url} answered HTTP ${probe.status}: figure 5 (requests per second against a static file) was not measured; rerun once src/http/routes/published/ is registered in buildApp.`;
    report.todos.push(todo);
    report.add('5', 'public campaign page', `HTTP ${probe.status}`, 'TODO: not served yet', '');
    return;
  }
  const s = await series(anon, () => url, 30);
  const html = s.last.res;
  const etag = html.headers.etag ? String(html.headers.etag) : null;
  const headers: Record<string, string> = { 'accept-encoding': 'br, gzip', accept: 'text/html' };

  // The same bytes (brotli, as the app sent them) from a minimal node:http server in this process.
  const raw = await c.client.request('GET', url, { headers, decode: false });
  const bytes = raw.raw;
  const staticHeaders = {
    'content-type': String(raw.headers['content-type'] ?? 'text/html; charset=utf-8'),
    'content-encoding': String(raw.headers['content-encoding'] ?? 'identity'),
    'cache-control': String(raw.headers['cache-control'] ?? 'public, max-age=300'),
    ...(etag ? { etag } : {}),
    'content-length': String(bytes.length),
  };
  const staticServer = http.createServer((_req, res) => {
    res.writeHead(200, staticHeaders);
    res.end(bytes);
  });
  const staticPort = await freePort();
  await new Promise<void>((resolve) => staticServer.listen(staticPort, '127.0.0.1', resolve));
  try {
    const run = async (base: string, concurrency: number) => {
      loadRunning = true;
      try {
        return await runInWorker<RpsResult>({
          kind: 'rps',
          base,
          path: url,
          headers,
          concurrency,
          durationMs: RPS_MS,
          warmupMs: 500,
        });
      } finally {
        loadRunning = false;
      }
    };
    const staticBase = `http://127.0.0.1:${staticPort}`;
    const appSeq = await run(c.base, 1);
    const staticSeq = await run(staticBase, 1);
    const app10 = await run(c.base, 10);
    const static10 = await run(staticBase, 10);
    const rps = (r: RpsResult) => r.count / (r.wallMs / 1000);
    log(
      `rps: app ${rps(appSeq).toFixed(0)} vs static ${rps(staticSeq).toFixed(0)} (sequential); app ${rps(app10).toFixed(0)} vs static ${rps(static10).toFixed(0)} (concurrency 10)`,
    );
    const links = new Set(html.text().match(/\/units\/[a-z0-9-]+/g) ?? []).size;
    const share = (a: number, b: number) =>
      `app = ${((a / b) * 100).toFixed(1)} % of static (static ${(b / a).toFixed(0)}× faster)`;
    report.add(
      '5',
      `public campaign page (${int(c.gen.units)} units, ${links} unit links; no cookie, brotli): requests/s, one connection, sequential, ${RPS_MS / 1000} s`,
      `${rps(appSeq).toFixed(0)} req/s (p50 ${ms(summarize(appSeq.latencies).median)})`,
      `the same ${int(bytes.length)} bytes as a static file (node:http, same process): ${rps(staticSeq).toFixed(0)} req/s (p50 ${ms(summarize(staticSeq.latencies).median)})`,
      share(rps(appSeq), rps(staticSeq)),
    );
    report.add(
      '5',
      '… requests/s with concurrency 10',
      `${rps(app10).toFixed(0)} req/s (p95 ${ms(summarize(app10.latencies).p95)})`,
      `static: ${rps(static10).toFixed(0)} req/s (p95 ${ms(summarize(static10.latencies).p95)})`,
      share(rps(app10), rps(static10)),
    );
    report.add(
      '5',
      '… server time median / p95; SQL statements per request',
      `${medP95(s.server)}; ${qText(s.queries)}`,
      '',
      '',
    );
    if (appSeq.errors + app10.errors)
      report.notes.push(`Public campaign page load: ${appSeq.errors + app10.errors} non-200 answers.`);
  } finally {
    await new Promise((resolve) => staticServer.close(resolve));
  }
}

async function publicWeights(c: Ctx) {
  const anon = new Session(c.client);
  const code = c.gen.campaign.code;
  const pages: [string, string][] = [
    ['public home', '/'],
    ['public campaign page', `/campaigns/${code}`],
    ['public unit page', `/campaigns/${code}/units/${unitCode(1)}`],
    ['methodology', `/campaigns/${code}/methodology`],
  ];
  for (const [name, url] of pages) {
    const w = await weigh(anon, anon, name, url, true);
    c.weights.push(w);
    log(`${name}: HTTP ${w.status}, ${kb(w.br)} br, cold ${kb(w.br + w.assetBytes)}, server ${ms(w.server.median)}`);
  }
  const campaign = c.weights.find((w) => w.name === 'public campaign page');
  if (campaign && campaign.status === 200) {
    const cold = campaign.br + campaign.assetBytes;
    report.add(
      '5',
      `… compressed weight, cold: HTML + ${campaign.assets.map((a) => path.basename(a).replace(/\.[0-9a-f]{12}\./, '.')).join(' + ')}`,
      kbExact(cold),
      `issue 6 budget: 30 KB for 200 units (this page: ${int(c.gen.units)} units)`,
      pct(cold, 30 * 1024),
    );
    report.add(
      '5',
      '… warm: HTML only (stylesheet cached, immutable)',
      kbExact(campaign.br),
      `cold: ${kb(cold)}`,
      pct(campaign.br, cold),
    );
    report.add(
      '5',
      '… revalidation: If-None-Match → 304 (headers only)',
      campaign.notModified === null ? 'no 304' : `${int(campaign.notModified)} B`,
      `warm, HTML + headers: ${int(campaign.br + campaign.headers)} B`,
      campaign.notModified === null ? '' : pct(campaign.notModified, campaign.br + campaign.headers),
    );
  }
}

function weightsSection(c: Ctx) {
  if (!c.weights.length) return;
  const rows = c.weights.map((w) => [
    w.name,
    `\`${w.url.length > 60 ? `${w.url.slice(0, 57)}…` : w.url}\``,
    String(w.status),
    kb(w.raw),
    kb(w.br),
    `${kb(w.br + w.assetBytes)}${w.assets.length ? ` (${w.assets.length} files)` : ''}`,
    kb(w.br),
    w.notModified === null ? '—' : `${w.notModified} B`,
    ms(w.server.median),
    qText(w.queries),
  ]);
  report.section(
    '6. Page weight of each main page (brotli as served)',
    [
      'page',
      'address',
      'HTTP',
      'HTML',
      'HTML brotli',
      'cold (HTML + CSS, scripts, icon)',
      'warm (HTML only)',
      '304',
      'server median (5)',
      'SQL',
    ],
    rows,
    'Cold counts every stylesheet, script and icon the HTML refers to (served precompressed, brotli 11, immutable); warm assumes them cached. Response headers are not included except in the 304 column.',
  );
  const heaviest = c.weights
    .filter((w) => w.status === 200)
    .reduce((a, b) => (b.br + b.assetBytes > a.br + a.assetBytes ? b : a));
  const criteria = c.weights.find((w) => w.name.startsWith('criteria page, all'));
  report.add(
    '6',
    `page weight of ${c.weights.length} pages (table below): heaviest cold load`,
    `${heaviest.name}: ${kb(heaviest.br + heaviest.assetBytes)}`,
    criteria ? `criteria page (all criteria), cold: ${kb(criteria.br + criteria.assetBytes)}` : '',
    '',
  );
  const failing = c.weights.filter((w) => w.status !== 200);
  if (failing.length)
    report.notes.push(
      `Pages not answering 200: ${failing.map((w) => `${w.name} (${w.url}) → ${w.status}`).join('; ')}.`,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Commune 3G in Chromium.

async function browserLoads(c: Ctx) {
  let browser: Browser | null = null;
  try {
    browser = await launch();
    const b = browser;
    cleanups.push({ name: 'Chromium', fn: () => b.close() });
    const officer = new Session(c.client);
    await officer.signIn(c.gen.officer, demoPassword);
    const session = officer.cookies.get('cchc_session');
    const pages = [
      { name: 'public campaign page', url: `${c.base}/campaigns/${c.gen.campaign.code}` },
      {
        name: 'unit criteria page, all criteria',
        url: `${c.base}/unit/${unitCode(1)}/campaigns/${c.gen.open.code}/criteria?missing=score`,
        cookies: session ? [{ name: 'cchc_session', value: session }] : [],
      },
    ];
    const loads = await measureLoads(browser, pages, BROWSER_REPS, log);
    const med = (xs: LoadSample[], k: 'loadMs' | 'bytes' | 'requests' | 'dclMs') =>
      summarize(xs.map((x) => x[k])).median;
    const rtt = commune3g.latencyMs;
    const perByte = (8 / (commune3g.kbps * 1000)) * 1000;
    const rows: string[][] = [];
    for (const l of loads as LoadResult[]) {
      const floorCold = 2 * rtt + med(l.cold, 'bytes') * perByte;
      report.add(
        '7',
        `${l.name} on commune 3G (${commune3g.kbps} kbps, ${rtt} ms): load event cold / warm / reload, median of ${BROWSER_REPS}`,
        `${sec(med(l.cold, 'loadMs'))} / ${sec(med(l.warm, 'loadMs'))} / ${sec(med(l.reload, 'loadMs'))}`,
        `floor for the cold bytes (2 round trips + ${kb(med(l.cold, 'bytes'))} at ${commune3g.kbps} kbps): ${sec(floorCold)}; unthrottled cold: ${ms(med(l.unthrottledCold, 'loadMs'), 0)}`,
        ratio(med(l.cold, 'loadMs'), floorCold, 2),
      );
      for (const [kind, xs] of [
        ['cold', l.cold],
        ['warm (navigate again)', l.warm],
        ['reload (revalidate)', l.reload],
        ['cold, unthrottled', l.unthrottledCold],
      ] as const) {
        rows.push([
          l.name,
          kind,
          ms(med(xs, 'dclMs'), 0),
          ms(med(xs, 'loadMs'), 0),
          kb(med(xs, 'bytes')),
          String(med(xs, 'requests')),
        ]);
      }
    }
    report.section(
      '7. Loads in Chromium (CDP Network.emulateNetworkConditions)',
      ['page', 'load', 'DOMContentLoaded', 'load event', 'bytes on the wire', 'requests to the network'],
      rows,
      `Medians of ${BROWSER_REPS}. Each cold load is a new browser context (empty cache); warm navigates to the page again in the same context; reload revalidates. Bytes are CDP encodedDataLength (headers included) of responses not served from the cache. CDP adds the latency per request, not per TCP or TLS handshake (plain HTTP on loopback here).`,
    );
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    report.notes.push(`Chromium loads not measured: ${message}`);
    log(`Chromium: ${message}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 10. The province beside the nation: the secretariat's and the council's pages and the publication, both sizes.

/** The pages the secretariat and the council open for a campaign, as named in the table. */
const scalePages = [
  {
    key: 'admin',
    who: 'admin',
    figure: "secretariat's campaign page",
    path: (code: string) => `/admin/campaigns/${code}`,
  },
  {
    key: 'progress',
    who: 'admin',
    figure: '… its appraisal progress page (per agency, per appraiser)',
    path: (code: string) => `/admin/campaigns/${code}/progress`,
  },
  {
    key: 'units',
    who: 'admin',
    figure: '… its units page (units, blocks, extensions)',
    path: (code: string) => `/admin/campaigns/${code}/units`,
  },
  {
    key: 'overview',
    who: 'chair',
    figure: 'council overview (progress)',
    path: (code: string) => `/council/campaigns/${code}`,
  },
  {
    key: 'ranking',
    who: 'chair',
    figure: 'council preliminary ranking',
    path: (code: string) => `/council/campaigns/${code}/ranking`,
  },
] as const;
type ScaleKey = (typeof scalePages)[number]['key'];
/** The national page of each figure in the page weights (6a). */
const nationalWeightOf: Record<ScaleKey, string> = {
  admin: 'admin campaign page',
  progress: 'admin progress page',
  units: 'admin units page',
  overview: 'council overview (progress)',
  ranking: 'council preliminary ranking',
};
/** Targets (issue 15): server time at province size, and at national size where the issue sets one. */
const scaleTargets: Record<ScaleKey | 'publication', { province: number; national: number | null }> = {
  admin: { province: 300, national: null },
  progress: { province: 300, national: null },
  units: { province: 300, national: null },
  overview: { province: 300, national: 1500 },
  ranking: { province: 300, national: 1500 },
  publication: { province: 2000, national: null },
};
const SCALE_REQUESTS = 20;

interface ProvinceCampaign {
  set: DataSet;
  pages: Map<ScaleKey, Series>;
  publishMs: number;
  publishSql: number;
}
const provinceResults: ProvinceCampaign[] = [];

/**
 * Figure 11 (issue 16): the "self-assessment closes in 3 days" notices of a national campaign, written as the
 * scheduler writes them (writeDueReminders). Every national unit gets an officer (one statement), and a campaign of
 * all of them opens for self-assessment closing in three days, none submitted; against the same number of rows put
 * by one bare insert … select into a table of the same shape.
 */
async function reminders(c: Ctx) {
  const em = c.orm.em.fork();
  const year = c.gen.year;
  await em.execute(
    `insert into app_user (username, full_name, password_hash, active, language, created_at)
     select 'bench-cb-' || u.code, 'Cán bộ ' || u.name, '', true, 'vi', now()
       from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ?`,
    [c.gen.campaign.id],
  );
  await em.execute(
    `insert into role_assignment (user_id, role, unit_id, created_at)
     select au.id, 'officer', u.id, now()
       from campaign_unit cu join unit u on u.id = cu.unit_id join app_user au on au.username = 'bench-cb-' || u.code
      where cu.campaign_id = ?`,
    [c.gen.campaign.id],
  );
  const closes = addDays(c.today, 3);
  const [{ id: campaignId }] = await em.execute<{ id: number }[]>(
    `insert into campaign (code, name, year, organizer, decision, criteria_set_id, composition, bands, precision, rounding,
                           state, created_at, self_assessment_opens, self_assessment_closes, reminder_days)
     select 'bench-remind-' || ?, 'Nhắc hạn ' || name, year, organizer, decision, criteria_set_id, composition, bands,
            precision, rounding, 'self-assessment', now(), ?::date, ?::date, '3,1'
       from campaign where id = ? returning id`,
    [year, addDays(c.today, -5), closes, c.gen.campaign.id],
  );
  await em.execute(
    `insert into campaign_unit (campaign_id, unit_id) select ?, unit_id from campaign_unit where campaign_id = ?`,
    [campaignId, c.gen.campaign.id],
  );
  await em.execute('analyze notice; analyze role_assignment; analyze app_user; analyze campaign_unit');
  const before = queryCount;
  const t = performance.now();
  const written = await writeDueReminders(c.orm.em.fork(), c.today);
  const ms = performance.now() - t;
  const statements = queryCount - before;
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from notice where campaign_id = ? and kind = 'selfAssessmentClosing'`,
    [campaignId],
  );
  // The floor: the same number of rows of the same shape by one bare statement, no joins, no grouping.
  await em.execute('create temporary table bench_notice (like notice including defaults)');
  const f = performance.now();
  await em.execute(
    `insert into bench_notice (recipient_id, kind, campaign_id, group_key, params)
     select recipient_id, kind, campaign_id, group_key || ':floor', params from notice where campaign_id = ?`,
    [campaignId],
  );
  const floorMs = performance.now() - f;
  await em.execute('drop table bench_notice');
  const again = await writeDueReminders(c.orm.em.fork(), c.today);
  report.add(
    '11',
    `"self-assessment closes in 3 days" notices of a national campaign (${int(c.gen.units)} units, none submitted, an officer each): writeDueReminders, as the scheduler runs it`,
    `${ms.toFixed(1)} ms: ${int(n)} notices in ${statements} SQL statements (${int(written)} reported); run again the same day: ${int(again)}`,
    `the same ${int(n)} rows by one bare insert … select: ${floorMs.toFixed(1)} ms`,
    ratio(ms, floorMs),
  );
}

async function provinceScale(c: Ctx) {
  if (!c.province) return;
  const admin = new Session(c.client);
  await admin.signIn('admin', demoPassword);
  const chair = new Session(c.client);
  await chair.signIn('chutich', demoPassword);
  const em = c.orm.em.fork();
  const [{ id: chairId }] = await em.execute<{ id: number }[]>(`select id from app_user where username = 'chutich'`);
  const [{ id: adminId }] = await em.execute<{ id: number }[]>(`select id from app_user where username = 'admin'`);
  for (const set of [c.province.communes, c.province.departments]) {
    const code = set.campaign.code;
    const pages = new Map<ScaleKey, Series>();
    for (const page of scalePages) {
      const s = await series(page.who === 'chair' ? chair : admin, () => page.path(code), SCALE_REQUESTS, 2);
      pages.set(page.key, s);
      log(
        `${code} ${page.key}: HTTP ${statusText(s.statuses)}, server ${medP95(s.server)}, ${qText(s.queries)} queries`,
      );
    }
    // The publication as the secretariat makes it, after the past year (imported) and the chair's approval.
    const prev = await publishCampaign(c.orm.em.fork(), adminId, set.previous.code, { imported: true });
    if (!prev.ok) throw new Error(`publishing ${set.previous.code}: ${JSON.stringify(prev.errors)}`);
    await em.execute(`update campaign set state = 'council-review' where id = ?`, [set.campaign.id]);
    const approved = await approveCampaign(c.orm.em.fork(), chairId, code, 'Quyết định số 45/QĐ-UBND', c.today, {
      today: c.today,
    });
    if (!approved.ok) throw new Error(`approval of ${code}: ${JSON.stringify(approved.errors)}`);
    const before = queryCount;
    const t = performance.now();
    const published = await publishCampaign(c.orm.em.fork(), adminId, code);
    const publishMs = performance.now() - t;
    if (!published.ok) throw new Error(`publication of ${code}: ${JSON.stringify(published.errors)}`);
    log(`${code} published in ${sec(publishMs)}`);
    provinceResults.push({ set, pages, publishMs, publishSql: queryCount - before });
  }
}

function scaleSection(c: Ctx) {
  if (!provinceResults.length) return;
  const [communes, departments] = provinceResults;
  const within = (value: number, target: number | null) =>
    target === null || !Number.isFinite(value) ? '' : value < target ? 'yes' : 'NO';
  const timed = (s: Series | undefined) =>
    s
      ? `${medP95(s.server)} (${qText(s.queries)} SQL${s.statuses.has(200) ? '' : `, HTTP ${statusText(s.statuses)}`})`
      : '—';
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const blocks = (set: DataSet) =>
    set.blocks.length
      ? ` in ${set.blocks.length} blocks (${set.blocks.map((b) => `${b.name} ${b.units}`).join(', ')})`
      : '';
  rows.push([
    'data set generated (campaign in appraisal + the past year by component points)',
    `${sec(communes!.set.totalMs)}: ${int(communes!.set.units)} communes and wards${blocks(communes!.set)} × ${communes!.set.leaves} leaves`,
    `${sec(c.gen.totalMs)}: ${int(c.gen.units)} communes × ${c.gen.leaves} leaves`,
    '',
    '',
  ]);
  for (const page of scalePages) {
    const p = communes!.pages.get(page.key);
    const n = c.weights.find((w) => w.name === nationalWeightOf[page.key]);
    const target = scaleTargets[page.key];
    const verdict = [
      within(p?.server.median ?? Number.NaN, target.province),
      n ? within(n.server.median, target.national) : '',
    ];
    verdicts.push(...verdict.filter(Boolean));
    rows.push([
      `${page.figure}: server median / p95`,
      timed(p),
      n ? `${medP95(n.server)} (${qText(n.queries)} SQL)` : '—',
      `< ${ms(target.province, 0)}${target.national ? ` / < ${sec(target.national)}` : ''}`,
      verdict.filter(Boolean).join(' / '),
    ]);
  }
  const t = scaleTargets.publication;
  verdicts.push(within(communes!.publishMs, t.province));
  rows.push([
    'publication (publishCampaign: scoring core, results.json/csv/xlsx, a row per unit, one transaction)',
    `${sec(communes!.publishMs)} (${communes!.publishSql} SQL)`,
    Number.isFinite(nationalPublishMs) ? sec(nationalPublishMs) : '—',
    `< ${sec(t.province)}`,
    within(communes!.publishMs, t.province),
  ]);
  if (departments) {
    const d = departments.set;
    rows.push([
      `the departments' campaign (${int(d.units)} sở, ban, ngành × ${d.leaves} leaves, a criteria set of their own), generated`,
      sec(d.totalMs),
      '',
      '',
      '',
    ]);
    for (const page of scalePages) {
      const p = departments.pages.get(page.key);
      const target = scaleTargets[page.key].province;
      verdicts.push(within(p?.server.median ?? Number.NaN, target));
      rows.push([
        `… ${page.figure.replace(/^… /, '')}`,
        timed(p),
        '',
        `< ${ms(target, 0)}`,
        within(p?.server.median ?? Number.NaN, target),
      ]);
    }
    verdicts.push(within(departments.publishMs, t.province));
    rows.push([
      '… publication',
      `${sec(departments.publishMs)} (${departments.publishSql} SQL)`,
      '',
      `< ${sec(t.province)}`,
      within(departments.publishMs, t.province),
    ]);
  }
  report.section(
    '10. Province and national scale',
    [
      'figure',
      `province (${communes!.set.campaign.code})`,
      `national (${c.gen.campaign.code})`,
      'target (province / national)',
      'within',
    ],
    rows,
    `Server time is Fastify's reply.elapsedTime: province ${SCALE_REQUESTS} sequential requests after 2 to warm up, national the page weights' 5 (figure 6). SQL: statements per request. National publication: figure 4.`,
  );
  const missed = verdicts.filter((v) => v === 'NO').length;
  report.add(
    '10',
    `province scale (${int(communes!.set.units)} communes and wards in ${communes!.set.blocks.length} blocks, ${departments ? int(departments.set.units) : 0} departments, ${communes!.set.leaves} leaves) beside the national one: the secretariat's and the council's pages, the publication (table 10)`,
    `${verdicts.length - missed} of ${verdicts.length} within target`,
    'issue 15: province pages < 300 ms, publication < 2 s; national overview and ranking < 1.5 s',
    missed ? `${missed} missed` : 'all within',
  );
}

// ---------------------------------------------------------------------------------------------------------------

let status = 'complete';
try {
  await main();
} catch (err) {
  status = `failed: ${(err as Error).message}`;
  console.error(err);
  report.notes.push(`The run failed during "${phase}": ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(hardStop);
  clearInterval(sampler);
  log('stopping the app and the embedded PostgreSQL');
  await cleanup();
  writeResults(status);
  // Nothing may keep the run (and the lock it is run under) alive: a socket left open by a failed request would.
  process.exit(process.exitCode ?? 0);
}
