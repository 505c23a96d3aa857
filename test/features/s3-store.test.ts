import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  type CopyObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3EvidenceStore } from '../../src/features/evidence/s3-store.ts';
import { LocalEvidenceStore, sweepGraceMs } from '../../src/features/evidence/store.ts';
import { Browser, csrfToken, startTestApp } from '../helpers/app.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';

// A real S3-compatible server (s3rver keeps its objects as files in its own folder) on a free loopback port.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const [storeBucket, appBucket] = ['cchc-store', 'cchc-app'];
let dir: string;
let server: ChildProcess;
let endpoint: string;
let store: S3EvidenceStore;
let tmpDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-s3-'));
  ({ server, endpoint } = await startS3rver(path.join(dir, 's3rver'), [storeBucket, appBucket]));
  const local = new LocalEvidenceStore(path.join(dir, 'local', 'evidence'));
  tmpDir = local.tmpDir;
  store = new S3EvidenceStore({
    bucket: storeBucket,
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    local,
  });
});
afterAll(async () => {
  store?.close();
  if (server && server.exitCode === null) {
    server.stdin!.end(); // it exits when its input closes
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

/**
 * s3rver in a process of its own: its continuation tokens (a listing of more than one page) are DES-encrypted, which
 * Node's OpenSSL 3 offers only with `--openssl-legacy-provider`. It prints its address, and exits when its input
 * closes (in afterAll, or when this test process dies).
 */
async function startS3rver(directory: string, buckets: string[]): Promise<{ server: ChildProcess; endpoint: string }> {
  const script = `
    const S3rver = require('s3rver');
    const [directory, ...buckets] = process.argv.slice(1);
    new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name, configs: [] })) })
      .run().then((address) => console.log(JSON.stringify(address)), (err) => { console.error(err); process.exit(1); });
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, directory, ...buckets], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return { server: child, endpoint: `http://127.0.0.1:${address.port}` };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Puts these bytes as an upload does: a local temporary file first, then into the store. */
async function put(content: Buffer): Promise<string> {
  const tmp = await store.tempPath();
  await writeFile(tmp, content);
  await store.put(tmp, sha(content));
  expect(existsSync(tmp)).toBe(false);
  return sha(content);
}

async function keysIn(bucket: string, client = store.client): Promise<string[]> {
  return ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
}

/** s3rver's Last-Modified is its file's mtime: this makes an object look written long ago. */
function age(bucket: string, key: string): void {
  const old = new Date(Date.now() - sweepGraceMs - 60_000);
  utimesSync(path.join(dir, 's3rver', bucket, `${key}._S3rver_object`), old, old);
}

describe('the S3 store', () => {
  it('puts a file under evidence/ab/cd/<sha256> and gives back the exact bytes', async () => {
    const content = randomBytes(300_000);
    const hash = await put(content);
    expect(store.keyOf(hash)).toBe(`evidence/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`);
    expect(await keysIn(storeBucket)).toContain(store.keyOf(hash));
    expect(await store.has(hash)).toBe(true);
    const back = await bytesOf(store.open(hash));
    expect(back.equals(content)).toBe(true);
    expect(sha(back)).toBe(hash);
    expect(tmpDir.startsWith(path.join(dir, 'local', 'evidence'))).toBe(true);
    expect(await readdir(tmpDir)).toEqual([]);

    const absent = sha(Buffer.from('never stored'));
    expect(await store.has(absent)).toBe(false);
    await expect(bytesOf(store.open(absent))).rejects.toThrow();
    expect(() => store.open('../../etc/passwd')).toThrow(TypeError);
  });

  it('stores the same content once, and refreshes an old copy on the server instead of uploading it again', async () => {
    const content = Buffer.from('the same plan, uploaded by two units');
    const hash = await put(content);
    const send = vi.spyOn(store.client, 'send');
    try {
      await put(content);
      expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['HeadObjectCommand']);
      expect((await keysIn(storeBucket)).filter((k) => k.endsWith(hash))).toEqual([store.keyOf(hash)]);

      send.mockClear();
      age(storeBucket, store.keyOf(hash));
      await put(content);
      expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual([
        'HeadObjectCommand',
        'CopyObjectCommand',
      ]);
      const copy = send.mock.calls[1][0] as CopyObjectCommand;
      expect(copy.input).toMatchObject({
        Bucket: storeBucket,
        Key: store.keyOf(hash),
        CopySource: `${storeBucket}/${store.keyOf(hash)}`,
      });
    } finally {
      send.mockRestore();
    }
    expect((await bytesOf(store.open(hash))).equals(content)).toBe(true);
  });

  it('removes an object', async () => {
    const hash = await put(Buffer.from('to be removed'));
    await store.remove(hash);
    expect(await store.has(hash)).toBe(false);
    await store.remove(hash); // already gone: no error
  });

  it('sweeps old objects no row references, page by page, and stale temporary files', async () => {
    const [kept, orphan, young] = await Promise.all(
      ['kept', 'orphan', 'young'].map((s) => put(Buffer.from(`sweep ${s}`))),
    );
    // Not evidence objects: another prefix, and a key outside the ab/cd/<sha256> scheme. Left alone.
    for (const key of ['other/notes.txt', `evidence/zz/zz/${orphan}`]) {
      await store.client.send(new PutObjectCommand({ Bucket: storeBucket, Key: key, Body: 'not ours' }));
      age(storeBucket, key);
    }
    for (const hash of [kept, orphan]) age(storeBucket, store.keyOf(hash));
    const staleTemp = await store.tempPath();
    const liveTemp = await store.tempPath();
    await writeFile(staleTemp, 'dead upload');
    await writeFile(liveTemp, 'running upload');
    const old = new Date(Date.now() - sweepGraceMs - 60_000);
    utimesSync(staleTemp, old, old);

    // Only `orphan` is unreferenced among the old ones; `young` is unreferenced too, but its row may be about to commit.
    const asked: string[][] = [];
    const result = await store.sweep(
      async (hashes) => {
        asked.push(hashes);
        return new Set(hashes.filter((h) => h !== orphan && h !== young));
      },
      Date.now(),
      2,
    );
    expect(result).toEqual({ removed: 1, staleTemps: 1 });
    expect(asked.length).toBeGreaterThan(1); // more than one page
    expect(asked.flat()).not.toContain(young);
    expect(await store.has(kept)).toBe(true);
    expect(await store.has(orphan)).toBe(false);
    expect(await store.has(young)).toBe(true);
    expect(await keysIn(storeBucket)).toEqual(expect.arrayContaining(['other/notes.txt', `evidence/zz/zz/${orphan}`]));
    expect(await readdir(tmpDir)).toEqual([path.basename(liveTemp)]);
  });
});

describe('the portal with EVIDENCE_S3_BUCKET set', () => {
  it('keeps an uploaded PDF in the bucket, not in DATA_DIR/evidence, and serves it back byte for byte', async () => {
    const t = await startTestApp({
      env: {
        EVIDENCE_S3_BUCKET: appBucket,
        EVIDENCE_S3_ENDPOINT: endpoint,
        EVIDENCE_S3_ACCESS_KEY_ID: credentials.accessKeyId,
        EVIDENCE_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    });
    try {
      expect(t.app.evidenceStore).toBeInstanceOf(S3EvidenceStore);
      const [{ code }] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ code: string }[]>(`select code from campaign where state = 'self-assessment'`);
      const unitUrl = paths.unit.campaign('xa-truc-thanh', code);
      const b = await Browser.signedIn(t.app, 'canbo');
      const pdf = await pdfBytes({ text: 'Ke hoach CCHC 2024' });
      const boundary = `cchc${randomBytes(8).toString('hex')}`;
      const field = (name: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const body = Buffer.concat([
        Buffer.from(field('documentNumber', '12/KH-UBND') + field('issuer', 'UBND xã Trực Thanh')),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ke-hoach.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const token = csrfToken((await b.get('/unit')).body);
      const res = await t.app.inject({
        method: 'POST',
        url: `${unitUrl}/criteria/1.1.1/evidence?_csrf=${encodeURIComponent(token)}`,
        payload: body,
        headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.statusCode).toBe(303);
      const [row] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ id: number; sha256: string }[]>('select id, sha256 from evidence_file order by id desc limit 1');
      expect(row.sha256).toBe(sha(pdf));

      const download = await b.get(`${unitUrl}/evidence/${row.id}`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(pdf)).toBe(true);

      const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
      try {
        const key = `evidence/${row.sha256.slice(0, 2)}/${row.sha256.slice(2, 4)}/${row.sha256}`;
        expect(await keysIn(appBucket, client)).toEqual([key]);
        expect((await client.send(new HeadObjectCommand({ Bucket: appBucket, Key: key }))).ContentLength).toBe(
          pdf.length,
        );
      } finally {
        client.destroy();
      }
      // Only the (empty) folder of uploads in progress is local.
      const evidenceDir = path.join(t.app.config.DATA_DIR, 'evidence');
      expect(readdirSync(evidenceDir)).toEqual(['tmp']);
      expect(readdirSync(path.join(evidenceDir, 'tmp'))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
