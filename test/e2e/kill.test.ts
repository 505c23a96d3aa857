import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server.ts';
import { freePort } from '../../src/db/embedded.ts';
import { makePng } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';

// kill -9 of a real `node src/server.ts` (embedded PostgreSQL in a fresh DATA_DIR) in the middle of an upload, a
// submission and a publication: after the restart nothing is half-written and nothing acknowledged is lost.

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-kill-'));
chmodSync(dataDir, 0o755);
const evidenceDir = path.join(dataDir, 'evidence');
const unit = 'xa-song-may'; // the demo province's (npm start) commune of the officer 'canbo'
let port: number;
let base: string;
let server: ServerProcess | null = null;
let code: string;

async function start(): Promise<string> {
  server = await startServer({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' });
  return server.output();
}

/** SIGKILL: no shutdown code runs; the embedded PostgreSQL stays up and the next start takes it over. */
async function kill9(): Promise<void> {
  const child = server!.child;
  server = null;
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A connection of the test's own to the embedded PostgreSQL (port from its postmaster.pid). */
async function database(): Promise<pg.Client> {
  const port = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'cchc' });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function sql<T extends pg.QueryResultRow = Record<string, any>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = await database();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Cookies as a browser keeps them. */
class Jar {
  cookies = new Map<string, string>();
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Response): Response {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  }
  async get(url: string): Promise<string> {
    const res = this.keep(await fetch(`${base}${url}`, { headers: { cookie: this.header }, redirect: 'manual' }));
    expect(res.status, url).toBe(200);
    return res.text();
  }
  /** The CSRF token from a page's form. */
  async token(page: string): Promise<string> {
    return /name="_csrf" value="([^"]+)"/.exec(await this.get(page))![1]!;
  }
  async post(url: string, form: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    return this.keep(
      await fetch(`${base}${url}`, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: { cookie: this.header, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      }),
    );
  }
}

async function signIn(username: string): Promise<Jar> {
  const jar = new Jar();
  const res = await jar.post('/sign-in', { _csrf: await jar.token('/sign-in'), username, password: 'demo-cchc-2024' });
  expect(res.status).toBe(303);
  return jar;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Holds a lock that the server's transaction needs half-way, waits until that transaction queues for it (its first
 * writes made, nothing committed), then kills the server: a kill in the middle of the transaction, every time.
 */
async function killMidTransaction(table: string, request: () => Promise<unknown>): Promise<void> {
  const blocker = await database();
  await blocker.query('begin');
  await blocker.query(`lock table ${table} in share mode`);
  const sent = request().catch(() => null);
  try {
    await until(
      `a write to ${table} waiting for its lock`,
      async () =>
        (
          await blocker.query(
            `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = $1 and not l.granted`,
            [table],
          )
        ).rows[0].n > 0,
    );
    await kill9();
  } finally {
    await blocker.query('rollback').catch(() => {});
    await blocker.end().catch(() => {});
  }
  await sent;
}

beforeAll(async () => {
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  expect(await start()).toContain('A demo province was created');
  [{ code }] = await sql<{ code: string }>(
    `select code from campaign where state = 'self-assessment' order by id limit 1`,
  );
}, 180_000);

afterAll(async () => {
  const child = server?.child;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
  }
  // A test that failed between a kill and the restart leaves the killed server's PostgreSQL running: stop it.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && existsSync(pidFile); i++) await sleep(100);
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('kill -9 of the server', () => {
  it('during a large upload: after the restart no row and no file of it remain', { timeout: 240_000 }, async () => {
    const jar = await signIn('canbo');
    const token = await jar.token('/unit');
    const boundary = `----cchc${randomBytes(6).toString('hex')}`;
    const head = Buffer.from(
      ['documentNumber', '12/KH-UBND', 'documentDate', '03/02/2024', 'issuer', 'UBND xã Trực Thanh'].reduce(
        (s, v, i, a) =>
          i % 2 ? s : `${s}--${boundary}\r\nContent-Disposition: form-data; name="${v}"\r\n\r\n${a[i + 1]}\r\n`,
        '',
      ) +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Biên bản lớn.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const fileSize = 8 * 1024 * 1024;
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /unit/${unit}/campaigns/${code}/criteria/1.1.1/evidence?_csrf=${encodeURIComponent(token)} HTTP/1.1\r\n` +
        `Host: 127.0.0.1:${port}\r\nCookie: ${jar.header}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + fileSize + tail.length}\r\n\r\n`,
    );
    socket.write(head);
    // A quarter of the file, slowly, as a 3G phone would; the rest never comes.
    const temps = () => filesUnder(path.join(evidenceDir, 'tmp'));
    for (let sent = 0; sent < fileSize / 4; sent += 64 * 1024) {
      socket.write(randomBytes(64 * 1024));
      await sleep(5);
    }
    await until("the upload's temporary file", () => temps().some((f) => statSync(f).size > 0));
    await kill9();
    socket.destroy();
    expect(temps(), 'the killed upload left its temporary file').toHaveLength(1);

    const out = await start();
    expect(out).toContain('Removed 1 unfinished upload(s) left by an earlier run.');
    expect(filesUnder(evidenceDir)).toEqual([]);
    expect((await sql('select count(*)::int as n from evidence_file'))[0]!.n).toBe(0);
  });

  it('during a submission nothing of it is kept; right after its 303 all of it is', { timeout: 300_000 }, async () => {
    // A complete self-assessment: one real upload, then the scores and the remaining required evidence by SQL.
    const officer = await signIn('canbo');
    const form = new FormData();
    for (const [k, v] of Object.entries({
      documentNumber: '12/KH-UBND',
      documentDate: '03/02/2024',
      issuer: 'UBND xã Trực Thanh',
    }))
      form.append(k, v);
    form.append('file', new Blob([new Uint8Array(makePng(16, 16))], { type: 'image/png' }), 'anh.png');
    const uploaded = await fetch(
      `${base}/unit/${unit}/campaigns/${code}/criteria/1.1.1/evidence?_csrf=${encodeURIComponent(await officer.token('/unit'))}`,
      {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: officer.header },
        body: form,
      },
    );
    expect(uploaded.status).toBe(303);
    await sql(
      `update criterion_score cs set self_score = c.max_score, explanation = 'Kế hoạch số 10/KH-UBND', version = version + 1
                 from criterion c, self_assessment sa, unit u, campaign k
                where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and k.id = sa.campaign_id
                  and u.code = $1 and k.code = $2 and c.kind = 'self'`,
      [unit, code],
    );
    await sql(`insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
               select cs.id, f.sha256, f.size, f.media_type, f.original_name, f.uploaded_by_id, now()
                 from criterion_score cs join criterion c on c.id = cs.criterion_id, evidence_file f
                where cs.self_assessment_id = (select self_assessment_id from criterion_score where id = f.criterion_score_id)
                  and c.evidence_required and not exists (select 1 from evidence_file e where e.criterion_score_id = cs.id)`);
    const state = () =>
      sql<{ state: string; appraisals: number; scores: number; audited: number }>(
        `select sa.state, (select count(*)::int from appraisal a join criterion_score cs on cs.id = a.criterion_score_id where cs.self_assessment_id = sa.id) as appraisals,
              (select count(*)::int from criterion_score cs where cs.self_assessment_id = sa.id) as scores,
              (select count(*)::int from audit_event where action = 'self-assessment.submitted' and entity_id = sa.id::text) as audited
         from self_assessment sa join unit u on u.id = sa.unit_id join campaign k on k.id = sa.campaign_id where u.code = $1 and k.code = $2`,
        [unit, code],
      );

    const head = await signIn('chutichxa');
    const page = paths.unit.submission(unit, code);
    const token = await head.token(page);
    await killMidTransaction('appraisal', () => head.post(page, { _csrf: token }));
    await start();
    expect(await state()).toEqual([{ state: 'draft', appraisals: 0, scores: expect.any(Number), audited: 0 }]);

    // The session outlived both processes; the submission is acknowledged, then the server dies at once.
    const res = await head.post(page, { _csrf: await head.token(page) });
    expect(res.status).toBe(303);
    await kill9();
    await start();
    const [after] = await state();
    expect(after).toMatchObject({ state: 'submitted', audited: 1 });
    expect(after!.appraisals).toBe(after!.scores);
    expect(after!.scores).toBeGreaterThan(100);
  });

  it('during a publication nothing of it is kept; right after its 303 all of it is', { timeout: 300_000 }, async () => {
    await sql(
      `update appraisal set state = 'accepted', appraised_score = cs.self_score from criterion_score cs where cs.id = appraisal.criterion_score_id`,
    );
    await sql(
      `update campaign set state = 'approved', approval_decision = '15/QĐ-UBND', approval_date = current_date, approved_at = now(),
                      approved_by_id = (select id from app_user where username = 'chutich') where code = $1`,
      [code],
    );
    const state = async () => {
      const [c] = await sql<{ state: string; publications: number }>(
        `select state, (select count(*)::int from publication p where p.campaign_id = k.id) as publications from campaign k where code = $1`,
        [code],
      );
      const rows = await sql<{ version: number; expected: number; results: number; audited: number }>(
        `select p.version, jsonb_array_length(p.results->'units') as expected,
                (select count(*)::int from published_result r where r.publication_id = p.id) as results,
                (select count(*)::int from audit_event a where a.entity_type = 'Publication' and a.entity_id = p.id::text) as audited
           from publication p join campaign k on k.id = p.campaign_id where k.code = $1`,
        [code],
      );
      return { ...c!, rows };
    };

    const admin = await signIn('admin');
    const page = paths.admin.campaign(code);
    const token = await admin.token(page);
    await killMidTransaction('published_result', () =>
      admin.post(`${page}/publications`, { _csrf: token, confirm: 'yes' }),
    );
    await start();
    expect(await state()).toEqual({ state: 'approved', publications: 0, rows: [] });

    const res = await admin.post(`${page}/publications`, { _csrf: await admin.token(page), confirm: 'yes' });
    expect(res.status).toBe(303);
    await kill9();
    await start();
    const after = await state();
    expect(after).toMatchObject({ state: 'published', publications: 1 });
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ version: 1, audited: 1 });
    expect(after.rows[0]!.results).toBe(after.rows[0]!.expected);
    expect(after.rows[0]!.results).toBeGreaterThan(0);
    // The public page serves it after the restart.
    expect((await fetch(`${base}/campaigns/${code}`)).status).toBe(200);
  });
});
