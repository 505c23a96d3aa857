// Figure 12: resumable evidence uploads (issue 20). 50 officers (accounts of their own, one commune) each upload a
// 20 MB PDF in 1 MB tus chunks, all at once; half of them lose their connection once, in the middle of a chunk, then
// ask the server where it got (HEAD) and go on from there. Measured: every file stored with the SHA-256 it was sent
// with, the server's peak RSS over idle, and the wall time against the same bytes sent by the same 50 as one plain
// multipart request each. Files are made on the fly (a distinct head, a shared body of random bytes), never held whole.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { demoPassword } from '../src/features/demo/seed.ts';
import { type Client, csrfToken, Session } from './http.ts';
import type { Report } from './report.ts';
import { mb, sec } from './stats.ts';

const OFFICERS = 50;
const FILE_BYTES = 20 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const unit = 'xa-truc-thanh';
const criterion = '1.1.1';

/** The shared middle of every file: random, so that nothing compresses it. */
const body = randomBytes(FILE_BYTES);
const trailer = Buffer.from('\nendstream\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** Officer `i`'s file, bytes [start, end): `%PDF-1.4` and the officer's number, the shared body, a trailer. */
function slice(i: number, start: number, end: number): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% officer ${String(i).padStart(3, '0')}\n1 0 obj\n<<>>\nstream\n`);
  const middle = FILE_BYTES - head.length - trailer.length;
  const parts: Buffer[] = [];
  const take = (part: Buffer, from: number) => {
    const a = Math.max(start, from);
    const b = Math.min(end, from + part.length);
    if (a < b) parts.push(part.subarray(a - from, b - from));
  };
  take(head, 0);
  take(body.subarray(0, middle), head.length);
  take(trailer, head.length + middle);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function sha256Of(i: number): string {
  const hash = createHash('sha256');
  for (let at = 0; at < FILE_BYTES; at += CHUNK) hash.update(slice(i, at, Math.min(FILE_BYTES, at + CHUNK)));
  return hash.digest('hex');
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/** One request on its own connection; `cutAfter` bytes of the body are sent, then the connection is dropped. */
function send(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: Buffer | (() => AsyncIterable<Buffer>),
  cutAfter?: number,
): Promise<Answer | 'dropped'> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', (err) => (cutAfter !== undefined ? resolve('dropped') : reject(err)));
    if (payload === undefined) return void req.end();
    if (Buffer.isBuffer(payload)) {
      if (cutAfter === undefined) return void req.end(payload);
      req.write(payload.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 50));
      return;
    }
    void (async () => {
      for await (const part of payload()) if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch((err) => req.destroy(err as Error));
  });
}

export async function measureResumable(
  base: string,
  client: Client,
  owner: MikroORM,
  report: Report,
  log: (line: string) => void,
): Promise<void> {
  const url = new URL(base);
  // Fifty officers of one commune, with the demo password (copied from its officer).
  const conn = owner.em.fork().getConnection();
  await conn.execute(
    `insert into app_user (username, full_name, password_hash, created_at)
       select 'bench-officer-' || n, 'Cán bộ ' || n, (select password_hash from app_user where username = 'canbo'), now()
         from generate_series(1, ?) n on conflict (username) do nothing`,
    [OFFICERS],
  );
  await conn.execute(
    `insert into role_assignment (user_id, role, unit_id, created_at)
       select u.id, 'officer', (select id from unit where code = ?), now() from app_user u
        where u.username like 'bench-officer-%'
          and not exists (select 1 from role_assignment r where r.user_id = u.id)`,
    [unit],
  );
  const [{ code: campaign }] = await conn.execute<{ code: string }[]>('select code from campaign order by id limit 1');
  const officers: { cookie: string; token: string }[] = [];
  for (let i = 1; i <= OFFICERS; i++) {
    const s = new Session(client);
    await s.signIn(`bench-officer-${i}`, demoPassword);
    const form = await s.get(`/unit/${unit}/campaigns/${campaign}/criteria/${criterion}/evidence`);
    officers.push({ cookie: s.cookieHeader, token: csrfToken(form.text()) });
  }
  log(`${OFFICERS} officers signed in; hashing their files`);
  const expected = officers.map((_, i) => sha256Of(i));
  const uploads = `/unit/${unit}/campaigns/${campaign}/criteria/${criterion}/uploads`;

  const run = async (label: string, each: (i: number) => Promise<void>) => {
    global.gc?.();
    await sleep(500);
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    await Promise.all(officers.map((_, i) => each(i)));
    const ms = performance.now() - t0;
    clearInterval(sampler);
    const rows = await conn.execute<{ sha256: string }[]>(
      `select ef.sha256 from evidence_file ef where ef.removed_at is null and ef.sha256 = any(?::text[])`,
      [`{${expected.join(',')}}`],
    );
    const stored = new Set(rows.map((r) => r.sha256));
    const all = expected.filter((h) => stored.has(h)).length;
    log(`${label}: ${all}/${OFFICERS} stored in ${sec(ms)}, peak RSS ${mb(peak)} (+${mb(peak - idle)})`);
    // Removed again, so that the next way stores the same files anew rather than refusing duplicates.
    await conn.execute(`delete from evidence_file where sha256 = any(?::text[])`, [`{${expected.join(',')}}`]);
    return { ms, idle, peak, all };
  };

  let drops = 0;
  let retries = 0;
  const resumable = await run('tus, 1 MB chunks, half dropping once', async (i) => {
    const { cookie, token } = officers[i]!;
    const h = { cookie, 'x-csrf-token': token, 'tus-resumable': '1.0.0' };
    const meta = `filename ${Buffer.from(`bao-cao-${i}.pdf`).toString('base64')}`;
    const created = await send(url, 'POST', uploads, {
      ...h,
      'upload-length': String(FILE_BYTES),
      'upload-metadata': meta,
    });
    if (created === 'dropped' || created.status !== 201) throw new Error(`creation: ${JSON.stringify(created)}`);
    const at = created.headers.location!;
    // The odd officers lose the connection half way through their eleventh chunk.
    let dropAt = i % 2 === 1 ? 10 * CHUNK + CHUNK / 2 : -1;
    let offset = 0;
    while (offset < FILE_BYTES) {
      const chunk = slice(i, offset, Math.min(FILE_BYTES, offset + CHUNK));
      const cut = dropAt >= offset && dropAt < offset + chunk.length ? dropAt - offset : undefined;
      const res = await send(
        url,
        'PATCH',
        at,
        {
          ...h,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
          'content-length': String(chunk.length),
        },
        chunk,
        cut,
      );
      if (res === 'dropped' || res.status !== 204) {
        if (res === 'dropped') drops++;
        else retries++;
        dropAt = -1;
        // Back: where did the server get to?
        const head = await send(url, 'HEAD', at, h);
        if (head === 'dropped' || head.status !== 200) throw new Error(`HEAD after a drop: ${JSON.stringify(head)}`);
        offset = Number(head.headers['upload-offset']);
        continue;
      }
      offset = Number(res.headers['upload-offset']);
      if (offset >= FILE_BYTES && res.headers['evidence-outcome'] !== 'stored')
        throw new Error(`officer ${i}: ${res.headers['evidence-outcome']}`);
    }
  });

  const boundary = '----cchcbench';
  const plain = await run('one plain multipart request each', async (i) => {
    const { cookie, token } = officers[i]!;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bao-cao-${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const res = await send(
      url,
      'POST',
      `/unit/${unit}/campaigns/${campaign}/criteria/${criterion}/evidence`,
      {
        cookie,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + FILE_BYTES + tail.length),
      },
      async function* () {
        yield head;
        for (let at = 0; at < FILE_BYTES; at += CHUNK) yield slice(i, at, Math.min(FILE_BYTES, at + CHUNK));
        yield tail;
      },
    );
    if (res === 'dropped' || res.status !== 303) throw new Error(`plain upload ${i}: ${JSON.stringify(res)}`);
  });

  report.add(
    '12',
    `${OFFICERS} officers × 20 MB in 1 MB tus chunks, half dropping once: stored, time, peak RSS`,
    `${resumable.all}/${OFFICERS} stored, ${sec(resumable.ms)}, peak ${mb(resumable.peak)}`,
    `one plain request each: ${plain.all}/${OFFICERS}, ${sec(plain.ms)}, peak ${mb(plain.peak)}`,
    `${(resumable.ms / plain.ms).toFixed(2)}× the time`,
  );
  report.section(
    '12. Resumable evidence uploads (tus), 50 officers at once',
    ['way', 'stored (SHA-256 as sent)', 'wall time', 'peak RSS', 'over idle'],
    [
      [
        `tus, 1 MB chunks; ${drops} connections dropped mid-chunk, ${retries} chunks refused and resent`,
        `${resumable.all}/${OFFICERS}`,
        sec(resumable.ms),
        mb(resumable.peak),
        `+${mb(resumable.peak - resumable.idle)}`,
      ],
      [
        'one plain multipart request each (the form without JavaScript)',
        `${plain.all}/${OFFICERS}`,
        sec(plain.ms),
        mb(plain.peak),
        `+${mb(plain.peak - plain.idle)}`,
      ],
    ],
    `${OFFICERS} × ${mb(FILE_BYTES)} over loopback, all at once; the app, the database and this client on one machine. Each chunk is written and fsynced as it arrives; each whole file is hashed again, inspected and moved into the store as the plain form's is. RSS is the bench process's (the app in it, the client's 20 MB of shared random bytes included in idle). The tus run goes first: the heap it grows (RSS is not given back) is the plain run's idle, so compare the peaks rather than the growth.`,
  );
}
