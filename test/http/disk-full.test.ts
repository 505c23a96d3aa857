import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openOrm } from '../../src/db/orm.ts';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { Browser, csrfToken } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { makePng } from '../helpers/evidence.ts';
import { appUrlFor } from '../helpers/roles.ts';
import { paths } from '../../src/http/paths.ts';
import { multipart as multipartBody } from '../helpers/multipart.ts';

// An upload that finds no room: a reserve of free space set above what the disk has, and a real full disk (a 1 MB
// tmpfs under the evidence folder). The officer is told the server has no room and to tell the secretariat; the log
// says so at error level; nothing of the file is kept; saves and sign-in go on working.

interface LoggedApp {
  app: FastifyInstance;
  orm: MikroORM;
  dataDir: string;
  logs: { level: number; msg: string }[];
}
const apps: LoggedApp[] = [];
let mounted: string | null = null;

/** The real app on a fresh database, its log lines kept. */
async function appWith(env: Record<string, string>, before?: (dataDir: string) => void): Promise<LoggedApp> {
  const databaseUrl = await freshDatabaseUrl();
  const orm = await openOrm(appUrlFor(databaseUrl), { poolMax: 5 });
  await seedDemoIfEmpty(orm);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-full-'));
  before?.(dataDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: LoggedApp['logs'] = [];
  const app = await buildApp({
    config,
    orm,
    logger: { level: 'info', stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
  });
  await app.ready();
  const made = { app, orm, dataDir, logs };
  apps.push(made);
  return made;
}

afterAll(async () => {
  for (const a of apps) {
    await a.app.close();
    await a.orm.close();
  }
  if (mounted) execFileSync('umount', [mounted]);
  for (const a of apps) rmSync(a.dataDir, { recursive: true, force: true });
});

const multipart = (fields: Record<string, string>, file: { name: string; content: Buffer }) =>
  multipartBody(fields, { filename: file.name, content: file.content, type: 'image/png' });

async function upload(
  a: LoggedApp,
  b: Browser,
  content: Buffer,
  headers: Record<string, string> = {},
  criterion = '1.1.1',
) {
  const [{ code }] = await a.orm.em
    .fork()
    .getConnection()
    .execute<{ code: string }[]>('select code from campaign limit 1');
  const token = csrfToken((await b.get('/unit')).body);
  const { body, boundary } = multipart(
    { documentNumber: '12/KH-UBND', documentDate: '03/02/2024', issuer: 'UBND xã Trực Thanh' },
    { name: 'anh.png', content },
  );
  return a.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence('xa-truc-thanh', code, criterion, { _csrf: token }),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers },
    payload: body,
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const evidenceRows = async (a: LoggedApp) =>
  (await a.orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*)::int as n from evidence_file'))[0]!
    .n;

/** A save of a criterion's score, as the criteria page's form sends it. */
async function save(a: LoggedApp, b: Browser) {
  const db = a.orm.em.fork().getConnection();
  const [{ code }] = await db.execute<{ code: string }[]>('select code from campaign limit 1');
  const [{ code: criterion }] = await db.execute<{ code: string }[]>(
    `select c.code from criterion c
      where c.kind = 'self' and c.scoring is null and not exists (select 1 from criterion k where k.parent_id = c.id) order by c.position limit 1`,
  );
  const page = await b.get(paths.unit.criteria('xa-truc-thanh', code, { field: criterion!.split('.')[0] }));
  const version = new RegExp(`id="c-${criterion!.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
    page.body,
  )![1]!;
  return b.request('POST', paths.unit.criterion('xa-truc-thanh', code, criterion), {
    form: { _csrf: csrfToken(page.body), score: '0', explanation: 'Kế hoạch số 12/KH-UBND', version },
  });
}

const noRoomLines = (a: LoggedApp) => a.logs.filter((l) => /no room/.test(l.msg));

describe('an upload with no room on the disk', () => {
  let reserved: LoggedApp;
  beforeAll(async () => {
    // A reserve far above what any disk here has free.
    reserved = await appWith({ EVIDENCE_MIN_FREE_MB: String(1024 * 1024 * 1024) });
  });

  it('below the reserve: refused with the no-room message, an error in the log, nothing kept', async () => {
    const officer = await Browser.signedIn(reserved.app, 'canbo');
    const res = await upload(reserved, officer, makePng(16, 16));
    expect(res.statusCode).toBe(507);
    expect(res.body).toContain('Máy chủ đã hết chỗ lưu trữ nên tệp chưa được lưu. Hãy báo cho Thư ký (Phòng Nội vụ)');
    expect(res.body).toContain('class="error-summary"');
    // What was typed beside the file is kept for the form shown again.
    expect(res.body).toContain('value="12/KH-UBND"');
    expect(res.body).toContain('value="03/02/2024"');
    expect(res.body).toContain('value="UBND xã Trực Thanh"');
    expect(noRoomLines(reserved).map((l) => l.level)).toEqual([50]);
    expect(reserved.logs.some((l) => /broke off/.test(l.msg))).toBe(false);
    expect(filesUnder(path.join(reserved.dataDir, 'evidence'))).toEqual([]);
    expect(await evidenceRows(reserved)).toBe(0);

    const english = new Browser(reserved.app);
    english.cookies.set('cchc_lang', 'en');
    await english.signIn('canbo');
    const again = await upload(reserved, english, makePng(16, 16));
    expect(again.statusCode).toBe(507);
    expect(again.body).toContain('The server has no room left, so the file was not saved. Please tell the secretariat');

    // The upload script (progress bar) asks for the evidence block and shows it whatever the status: the message too.
    const block = await upload(reserved, officer, makePng(16, 16), {
      'hx-request': 'true',
      'hx-target': 'div#evidence-1-1-1',
    });
    expect(block.statusCode).toBe(507);
    expect(block.body.trim()).toMatch(/^<div id="[^"]+"/);
    expect(block.body).toContain('Máy chủ đã hết chỗ lưu trữ nên tệp chưa được lưu.');
  });

  it('below the reserve: saves and sign-in go on working', async () => {
    const officer = await Browser.signedIn(reserved.app, 'canbo');
    expect((await save(reserved, officer)).statusCode).toBe(303);
    expect((await Browser.signedIn(reserved.app, 'chutichxa')).cookies.has('cchc_session')).toBe(true);
  });

  it('below the reserve: an extra file for a supplementary explanation is refused the same way', async () => {
    await submitUnitBySql(reserved.orm, 'xa-truc-thanh');
    await setCampaignState(reserved.orm, 'appraisal');
    const db = reserved.orm.em.fork().getConnection();
    const [{ id: requestId }] = await db.execute<{ id: number }[]>(
      `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
       select a.id, 'Đề nghị bổ sung tài liệu.', current_date + 5, (select id from app_user where username = 'thamdinh'), now()
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
        where c.code = '1.1.1' returning id`,
    );
    const [{ code }] = await db.execute<{ code: string }[]>('select code from campaign limit 1');
    const officer = await Browser.signedIn(reserved.app, 'canbo');
    const list = await officer.get(paths.unit.explanations('xa-truc-thanh', code));
    const logged = noRoomLines(reserved).length;
    const { body, boundary } = multipart(
      { documentNumber: '20/BC-UBND' },
      { name: 'anh.png', content: makePng(16, 16) },
    );
    const res = await reserved.app.inject({
      method: 'POST',
      url: paths.unit.explanationEvidence('xa-truc-thanh', code, requestId, { _csrf: csrfToken(list.body) }),
      headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(507);
    expect(res.body).toContain('Máy chủ đã hết chỗ lưu trữ nên tệp chưa được lưu.');
    expect(
      noRoomLines(reserved)
        .slice(logged)
        .map((l) => l.level),
    ).toEqual([50]);
    expect(await evidenceRows(reserved)).toBe(0);
  });

  it('a disk that fills up while the file is written: the same answer, the half-written file removed', async () => {
    const full = await appWith({ EVIDENCE_MIN_FREE_MB: '0' }, (dataDir) => {
      const dir = path.join(dataDir, 'evidence');
      mkdirSync(dir);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
      mounted = dir;
    });
    const officer = await Browser.signedIn(full.app, 'canbo');
    // About 2 MB that does not compress: twice what the disk holds.
    const big = makePng(1500, 1500, true);
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await upload(full, officer, big);
    expect(res.statusCode).toBe(507);
    expect(res.body).toContain('Máy chủ đã hết chỗ lưu trữ nên tệp chưa được lưu.');
    expect(noRoomLines(full).map((l) => l.level)).toEqual([50]);
    expect(filesUnder(path.join(full.dataDir, 'evidence'))).toEqual([]);
    expect(await evidenceRows(full)).toBe(0);
    // Nothing of it is left taking the room: a small file fits, and the officer goes on saving.
    expect((await upload(full, officer, makePng(16, 16))).statusCode).toBe(303);
    expect(await evidenceRows(full)).toBe(1);
    expect((await save(full, officer)).statusCode).toBe(303);
  });
});
