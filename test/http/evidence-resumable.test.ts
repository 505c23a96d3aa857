import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { sweepUploads } from '../../src/features/evidence/resumable.ts';
import { paths } from '../../src/http/paths.ts';
import { startSchedule } from '../../src/http/schedule.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { makePng, pdfBytes } from '../helpers/evidence.ts';

// Resumable evidence uploads (tus 1.0.0) at the HTTP edge: creation checked before a byte is sent, chunks only at the
// right offset and within the declared length, uploads only their own person's, expiry swept, a restart survived,
// and a whole upload through the plain form's checks.

let t: TestApp;
let campaign: string;
const unit = 'xa-truc-thanh';
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestApp({
    env: { EVIDENCE_MAX_MB: '1', EVIDENCE_PENDING_MB: '1.5' },
    log: process.env.TUS_LOG ? { level: 'error', stream: process.stderr } : undefined,
  });
  campaign = (await sql<{ code: string }>('select code from campaign'))[0].code;
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

const uploadsOf = (criterion: string) => paths.unit.criterionUploads(unit, campaign, criterion);
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A signed-in person with the CSRF token of the criterion's upload form. */
async function person(username: string, criterion = '1.1.1') {
  const browser = await Browser.signedIn(t.app, username);
  const form = await browser.get(paths.unit.criterionEvidence(unit, campaign, criterion));
  return { browser, token: csrfToken(form.body) };
}
type Person = Awaited<ReturnType<typeof person>>;

function tus(
  app: FastifyInstance,
  who: Person,
  method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string> = {},
  payload?: Buffer,
) {
  return app.inject({
    method,
    url,
    payload,
    headers: {
      cookie: who.browser.cookieHeader,
      'tus-resumable': '1.0.0',
      'x-csrf-token': who.token,
      ...(payload ? { 'content-type': 'application/offset+octet-stream' } : {}),
      ...headers,
    },
  });
}

async function create(
  who: Person,
  length: number,
  meta: Record<string, string> = { filename: 'ke-hoach.pdf' },
  criterion = '1.1.1',
  app = t.app,
) {
  const metadata = Object.entries(meta)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
  return tus(app, who, 'POST', uploadsOf(criterion), {
    'upload-length': String(length),
    'upload-metadata': metadata,
  });
}

const patch = (who: Person, url: string, offset: number, bytes: Buffer, app = t.app) =>
  tus(app, who, 'PATCH', url, { 'upload-offset': String(offset) }, bytes);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PDF of about `size` bytes (a picture of noise inside it), different each time by its text. */
async function pdfOf(size: number, text: string): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(size));
  return pdfBytes({ image: makePng(side, side, true), text });
}

describe('creating a resumable upload', () => {
  it('refuses a declared length over the limit before any byte is sent, with the form’s message', async () => {
    const who = await person('canbo');
    const res = await create(who, MiB + 1);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('Tệp lớn hơn 1 MB');
    expect(res.headers.location).toBeUndefined();
    expect(await sql('select * from evidence_upload')).toHaveLength(0);
  });

  it('refuses a wrong date beside its field, keeping what was typed; no CSRF token: 403', async () => {
    const who = await person('canbo');
    const res = await create(who, 1000, { filename: 'a.pdf', documentDate: '31/02/2024', issuer: 'UBND xã' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/<div id="evidence-1-1-1"/);
    expect(res.body).toContain('value="UBND xã"');
    const noToken = await create({ ...who, token: 'wrong' }, 1000);
    expect(noToken.statusCode).toBe(403);
    expect(await sql('select * from evidence_upload')).toHaveLength(0);
  });

  it('holds each person to a ceiling of declared bytes not yet uploaded', async () => {
    const who = await person('canbo');
    const first = await create(who, MiB);
    expect(first.statusCode).toBe(201);
    const second = await create(who, MiB);
    expect(second.statusCode).toBe(413);
    expect(second.body).toContain('quá 1,5 MB');
    // Ended by its person (termination), its bytes count no more.
    expect((await tus(t.app, who, 'DELETE', first.headers.location as string)).statusCode).toBe(204);
    const third = await create(who, MiB);
    expect(third.statusCode).toBe(201);
    expect((await tus(t.app, who, 'DELETE', third.headers.location as string)).statusCode).toBe(204);
  });
});

describe('sending chunks', () => {
  it('takes chunks only at the offset it has and within the length; the whole file is checked and stored', async () => {
    const who = await person('canbo');
    const file = await pdfOf(300_000, 'Ke hoach 1');
    const created = await create(who, file.length, {
      filename: 'ke-hoach.pdf',
      documentNumber: '12/KH-UBND',
      documentDate: '02/01/2024',
      issuer: 'UBND xã',
    });
    expect(created.statusCode).toBe(201);
    const url = created.headers.location as string;
    expect(url).toMatch(new RegExp(`^${uploadsOf('1.1.1')}/[0-9a-f-]{36}$`));

    const first = await patch(who, url, 0, file.subarray(0, 100_000));
    expect(first.statusCode).toBe(204);
    expect(first.headers['upload-offset']).toBe('100000');
    // Out of order: a chunk for an offset the server does not have.
    const skipped = await patch(who, url, 200_000, file.subarray(200_000));
    expect(skipped.statusCode).toBe(409);
    const again = await patch(who, url, 0, file.subarray(0, 100_000));
    expect(again.statusCode).toBe(409);
    // Longer than what is left of the declared length: refused whole.
    const tooLong = await patch(who, url, 100_000, Buffer.concat([file.subarray(100_000), Buffer.alloc(10)]));
    expect(tooLong.statusCode).toBe(400);
    const head = await tus(t.app, who, 'HEAD', url);
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe('100000');
    expect(head.headers['upload-length']).toBe(String(file.length));
    expect(await sql('select * from evidence_file')).toHaveLength(0);

    const last = await patch(who, url, 100_000, file.subarray(100_000));
    expect(last.statusCode).toBe(204);
    expect(last.headers['evidence-outcome']).toBe('stored');
    const rows = await sql<{ sha256: string; size: string; original_name: string; document_number: string }>(
      'select sha256, size, original_name, document_number from evidence_file',
    );
    expect(rows).toEqual([
      { sha256: sha256(file), size: String(file.length), original_name: 'ke-hoach.pdf', document_number: '12/KH-UBND' },
    ]);
    const stored = path.join(t.app.config.DATA_DIR, 'evidence', rows[0].sha256.slice(0, 2), rows[0].sha256.slice(2, 4));
    expect(existsSync(path.join(stored, rows[0].sha256))).toBe(true);
    // Finished: the upload is gone.
    expect((await tus(t.app, who, 'HEAD', url)).statusCode).toBe(404);
    expect(await sql('select * from evidence_upload')).toHaveLength(0);
    const block = await who.browser.get(uploadsOf('1.1.1'), { 'hx-request': 'true' });
    expect(block.body).toContain('ke-hoach.pdf');
  });

  it('refuses a whole file that is not what it claims, as the plain form does, and keeps nothing', async () => {
    const who = await person('canbo');
    const bytes = Buffer.from('MZ not a document at all');
    const created = await create(who, bytes.length, { filename: 'scan.pdf' }, '1.1.2');
    const done = await patch(who, created.headers.location as string, 0, bytes);
    expect(done.statusCode).toBe(204);
    expect(done.headers['evidence-outcome']).toBe('type');
    expect(decodeURIComponent(String(done.headers['evidence-message']))).toContain('Tệp này không được nhận');
    expect(await sql("select * from evidence_file where original_name = 'scan.pdf'")).toHaveLength(0);
    expect(await sql('select * from evidence_upload')).toHaveLength(0);
  });

  it("answers 404 for another person's upload id, and for one named under another criterion", async () => {
    const who = await person('canbo');
    const other = await person('chutichxa');
    const created = await create(who, 1000);
    const url = created.headers.location as string;
    expect((await tus(t.app, other, 'HEAD', url)).statusCode).toBe(404);
    expect((await patch(other, url, 0, Buffer.alloc(10))).statusCode).toBe(404);
    expect((await tus(t.app, other, 'DELETE', url)).statusCode).toBe(404);
    const elsewhere = url.replace('/criteria/1.1.1/', '/criteria/1.1.2/');
    expect((await tus(t.app, who, 'HEAD', elsewhere)).statusCode).toBe(404);
    // Still there, untouched, for its own person.
    const head = await tus(t.app, who, 'HEAD', url);
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe('0');
    await tus(t.app, who, 'DELETE', url);
  });
});

describe('a connection that drops mid-chunk and stays open on the server', () => {
  it('keeps what arrived, and the chunk sent again takes over from the stale request', async () => {
    const who = await person('canbo');
    const file = await pdfOf(200_000, 'Ket noi treo');
    const created = await create(who, file.length, { filename: 'treo.pdf' }, '1.5.1');
    expect(created.statusCode, created.body).toBe(201);
    const url = created.headers.location as string;
    const base = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
    // A chunk of the whole file whose first 50,000 bytes arrive, then nothing: the socket stays open (3G gone quiet).
    const socket = net.connect(Number(base.port), '127.0.0.1');
    socket.on('error', () => {});
    socket.write(
      `PATCH ${url} HTTP/1.1\r\nHost: localhost\r\nCookie: ${who.browser.cookieHeader}\r\nX-CSRF-Token: ${who.token}\r\n` +
        `Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: ${file.length}\r\n\r\n`,
    );
    socket.write(file.subarray(0, 50_000));
    const offsetNow = async () => Number((await tus(t.app, who, 'HEAD', url)).headers['upload-offset']);
    const end = Date.now() + 10_000;
    while ((await offsetNow()) < 50_000 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(await offsetNow()).toBe(50_000);
    try {
      // The browser, back, asks where the server got and sends the rest: answered at once, not after the idle timeout.
      const rest = await patch(who, url, 50_000, file.subarray(50_000));
      expect(rest.statusCode).toBe(204);
      expect(rest.headers['evidence-outcome']).toBe('stored');
    } finally {
      socket.destroy();
    }
    const [row] = await sql<{ sha256: string }>("select sha256 from evidence_file where original_name = 'treo.pdf'");
    expect(row.sha256).toBe(sha256(file));
  });
});

describe('an unfinished upload over time', () => {
  it('expires and is swept by the schedule, bytes and all', async () => {
    const dir = { dir: t.app.config.evidenceUploadsDir };
    // What the cases before left behind, out of the way first (a year on, everything has expired).
    await sweepUploads(t.orm.em.fork(), dir, new Date(Date.now() + 365 * 24 * 3600_000));
    const who = await person('canbo');
    const created = await create(who, 1000);
    const url = created.headers.location as string;
    await patch(who, url, 0, Buffer.alloc(500, 1));
    const id = url.split('/').pop()!;
    const file = path.join(t.app.config.evidenceUploadsDir, id);
    expect(existsSync(file)).toBe(true);
    // Not yet due: kept.
    expect(await sweepUploads(t.orm.em.fork(), { dir: t.app.config.evidenceUploadsDir })).toEqual({
      expired: 0,
      orphans: 0,
    });
    // A day later (EVIDENCE_UPLOAD_EXPIRY_HOURS): the schedule's round sweeps it.
    const [{ expires }] = await sql<{ expires: string }>(
      `select (expires_at - created_at)::text as expires from evidence_upload where id = ?`,
      [id],
    );
    expect(expires).toBe('1 day');
    await sql(`update evidence_upload set expires_at = now() - interval '1 minute' where id = ?`, [id]);
    const schedule = startSchedule({
      orm: t.orm,
      log: t.app.log,
      mail: null,
      uploadsDir: t.app.config.evidenceUploadsDir,
      everySeconds: 3600,
    });
    await schedule.runOnce();
    await schedule.stop();
    expect(await sql('select * from evidence_upload where id = ?', [id])).toHaveLength(0);
    expect(existsSync(file)).toBe(false);
    expect((await tus(t.app, who, 'HEAD', url)).statusCode).toBe(404);
  });

  it('goes on after the portal restarts mid-upload, from the offset it had', async () => {
    const who = await person('canbo');
    const file = await pdfOf(200_000, 'Bao cao sau khi khoi dong lai');
    const created = await create(who, file.length, { filename: 'bao-cao.pdf' }, '1.1.2');
    expect(created.statusCode, created.body).toBe(201);
    const url = created.headers.location as string;
    expect((await patch(who, url, 0, file.subarray(0, 64_000))).statusCode).toBe(204);

    // Another app on the same database and folder: nothing of the upload was in the first one's memory.
    const restarted = await buildApp({ config: t.app.config, orm: t.orm, publicOrm: null, logger: false });
    await restarted.ready();
    try {
      const head = await tus(restarted, who, 'HEAD', url);
      expect(head.headers['upload-offset']).toBe('64000');
      const rest = await patch(who, url, 64_000, file.subarray(64_000), restarted);
      expect(rest.headers['evidence-outcome']).toBe('stored');
    } finally {
      await restarted.close();
    }
    const [row] = await sql<{ sha256: string }>("select sha256 from evidence_file where original_name = 'bao-cao.pdf'");
    expect(row.sha256).toBe(sha256(file));
  });
});
