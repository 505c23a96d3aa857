// Resumable evidence uploads (the tus protocol, https://tus.io/protocols/resumable-upload): the bytes of a file arrive
// in chunks, each appended to a file of its own, over as many requests (and connections, and server restarts) as it
// takes. What the upload is (its person, criterion, declared length, typed fields, expiry) is a row of
// `evidence_upload`; how far it got is the size of its file, so nothing lives only in memory. Once the file is whole it
// goes through the same checks as a plain upload (addEvidence) and only then is the evidence row committed.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UnitContext, ScoreRef } from '../self-assessment/unit-access.ts';
import { NoRoomError, noRoomFrom, type EvidenceStore } from './store.ts';
import { addEvidence, cleanFileName, type EvidenceMeta, type EvidenceOutcome } from './upload.ts';

export interface ResumableOptions {
  /** Where the bytes received so far are kept, one file per upload (a folder every app instance shares). */
  dir: string;
  /** The evidence size limit: a larger declared length is refused before any byte is sent. */
  maxBytes: number;
  /** Bytes one person may have declared across the uploads not yet finished. */
  pendingBytesPerPerson: number;
  /** How long an upload may stay unfinished. */
  expiresInMs: number;
}

export interface PendingUpload {
  id: string;
  userId: number;
  scoreId: number;
  length: number;
  /** Bytes received so far. */
  offset: number;
  fileName: string;
  meta: EvidenceMeta;
  expiresAt: Date;
}

interface UploadRow {
  id: string;
  user_id: number;
  criterion_score_id: number;
  length: string | number;
  file_name: string;
  document_number: string;
  document_date: string | null;
  issuer: string;
  expires_at: Date | string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const uploadFileOf = (opts: Pick<ResumableOptions, 'dir'>, id: string) => {
  if (!uuidPattern.test(id)) throw new TypeError('not an upload id');
  return path.join(opts.dir, id);
};

/** The file's size, or null when it is not there. */
async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}

export type CreateRefusal = 'tooLarge' | 'empty' | 'ceiling' | 'locked' | 'noRoom';

/**
 * A new upload of `length` bytes for this criterion, by this person: refused when the length is over the size limit
 * (before a byte is sent), zero, or would take the person's unfinished uploads past their ceiling.
 */
export async function createUpload(
  em: EntityManager,
  store: EvidenceStore,
  opts: ResumableOptions,
  ctx: UnitContext,
  ref: ScoreRef,
  upload: { length: number; fileName: string; meta: EvidenceMeta },
  now = new Date(),
): Promise<EvidenceOutcome<PendingUpload> | { ok: false; kind: 'ceiling' }> {
  if (!ctx.editable) return { ok: false, kind: 'locked' };
  if (upload.length > opts.maxBytes) return { ok: false, kind: 'tooLarge' };
  if (upload.length <= 0) return { ok: false, kind: 'empty' };
  try {
    // tempPath makes the temporary folder (whose disk the reserve is measured on) and checks the room.
    await store.tempPath();
  } catch (err) {
    const cause = noRoomFrom(err);
    if (cause instanceof NoRoomError) return { ok: false, kind: 'noRoom' };
    throw cause;
  }
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + opts.expiresInMs);
  const fileName = cleanFileName(upload.fileName);
  const created = await em.transactional(async (tx) => {
    // One person's uploads are counted under a lock on the person, so two creations at once cannot both slip under.
    await tx.execute('select 1 from app_user where id = ? for update', [ctx.userId]);
    const [{ pending }] = await tx.execute<{ pending: string | null }[]>(
      'select sum(length) as pending from evidence_upload where user_id = ? and expires_at > ?',
      [ctx.userId, now],
    );
    if (Number(pending ?? 0) + upload.length > opts.pendingBytesPerPerson) return false;
    await tx.execute(
      `insert into evidence_upload (id, user_id, criterion_score_id, length, file_name, document_number, document_date,
         issuer, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        ctx.userId,
        ref.id,
        upload.length,
        fileName,
        upload.meta.documentNumber,
        upload.meta.documentDate,
        upload.meta.issuer,
        now,
        expiresAt,
      ],
    );
    return true;
  });
  if (!created) return { ok: false, kind: 'ceiling' };
  await mkdir(opts.dir, { recursive: true });
  // The file exists from the start: its size is the offset, 0 until the first chunk.
  await (await open(uploadFileOf(opts, id), 'a', 0o600)).close();
  return {
    ok: true,
    value: {
      id,
      userId: ctx.userId,
      scoreId: ref.id,
      length: upload.length,
      offset: 0,
      fileName,
      meta: upload.meta,
      expiresAt,
    },
  };
}

/**
 * The unfinished, unexpired upload `id` of this person for this criterion, or null: another person's upload, another
 * criterion's or one that expired is simply not found.
 */
export async function findUpload(
  em: EntityManager,
  opts: Pick<ResumableOptions, 'dir'>,
  id: string,
  userId: number,
  scoreId: number,
  now = new Date(),
): Promise<PendingUpload | null> {
  if (!uuidPattern.test(id)) return null;
  const [row] = await em.execute<UploadRow[]>(
    `select id, user_id, criterion_score_id, length, file_name, document_number,
            to_char(document_date, 'YYYY-MM-DD') as document_date, issuer, expires_at
       from evidence_upload where id = ? and user_id = ? and criterion_score_id = ? and expires_at > ?`,
    [id, userId, scoreId, now],
  );
  if (!row) return null;
  // A row without its bytes (a restored backup holds the table, not the folder; a folder not shared): not resumable.
  const offset = await sizeOf(uploadFileOf(opts, row.id));
  if (offset === null) return null;
  return {
    id: row.id,
    userId: row.user_id,
    scoreId: row.criterion_score_id,
    length: Number(row.length),
    offset,
    fileName: row.file_name,
    meta: { documentNumber: row.document_number, documentDate: row.document_date, issuer: row.issuer },
    expiresAt: new Date(row.expires_at),
  };
}

/**
 * Uploads of this process with a chunk arriving, and how to stop it. A dropped 3G connection often leaves its socket
 * open on the server until the idle timeout: when the client comes back and sends the chunk again, the newer request
 * takes over (the stale one is cut off, what it received kept) rather than waiting for that timeout.
 */
const receiving = new Map<string, { stop: () => void; done: Promise<void> }>();

export type ChunkRefusal = 'offset' | 'length' | 'noRoom' | 'aborted';

/**
 * Appends a chunk sent at `offset` (which must be the bytes received so far: else 'offset') and declared as
 * `declaredLength` bytes (when known: past the upload's length, 'length', before reading). Bytes are appended as they
 * arrive, so a chunk cut off by a dropped connection still counts for what came ('aborted'). Returns the new offset.
 */
export async function appendChunk(
  store: EvidenceStore,
  opts: Pick<ResumableOptions, 'dir'>,
  upload: PendingUpload,
  offset: number,
  declaredLength: number | null,
  body: Readable,
): Promise<{ ok: true; offset: number } | { ok: false; kind: ChunkRefusal }> {
  // Checked again against the file once this request holds the upload (a request it took over may have written).
  if (offset !== upload.offset) return { ok: false, kind: 'offset' };
  if (declaredLength !== null && offset + declaredLength > upload.length) return { ok: false, kind: 'length' };
  for (let earlier = receiving.get(upload.id); earlier; earlier = receiving.get(upload.id)) {
    earlier.stop();
    await earlier.done;
  }
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  receiving.set(upload.id, { stop: () => body.destroy(new Error('taken over by a newer request')), done });
  const file = uploadFileOf(opts, upload.id);
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  let at = offset;
  try {
    await store.tempPath();
    handle = await open(file, 'r+');
    // Another instance (or a lost race) may have written since: the file's own size is the truth.
    if ((await handle.stat()).size !== offset) return { ok: false, kind: 'offset' };
    const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch {
        // The connection dropped mid-chunk: what arrived is kept (durably), and the client asks for the offset.
        await handle.sync();
        return { ok: false, kind: 'aborted' };
      }
      if (next.done) break;
      const chunk = next.value;
      if (at + chunk.length > upload.length) {
        // More than the upload's length: the whole chunk is refused, the file cut back to where it started.
        await handle.truncate(offset);
        body.resume();
        return { ok: false, kind: 'length' };
      }
      await writeAllAt(handle, chunk, at);
      at += chunk.length;
    }
    await handle.sync();
    return { ok: true, offset: at };
  } catch (err) {
    const cause = noRoomFrom(err);
    if (cause instanceof NoRoomError) {
      // A chunk half written on a full disk is cut back to where it started: its bytes come again.
      await handle?.truncate(offset).catch(() => {});
      return { ok: false, kind: 'noRoom' };
    }
    throw cause;
  } finally {
    await handle?.close().catch(() => {});
    if (receiving.get(upload.id)?.done === done) receiving.delete(upload.id);
    release();
  }
}

async function writeAllAt(handle: Awaited<ReturnType<typeof open>>, chunk: Buffer, position: number) {
  for (let done = 0; done < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('nothing could be written'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A whole upload through the plain form's pipeline (type from content, the size limit, seed 003's flags, signature
 * checks, stored by SHA-256 once, the row and its audit event in one transaction); the upload's row and file are gone
 * afterwards, whatever the outcome.
 */
export async function finishUpload(
  em: EntityManager,
  store: EvidenceStore,
  opts: Pick<ResumableOptions, 'dir'>,
  ctx: UnitContext,
  ref: ScoreRef,
  upload: PendingUpload,
): Promise<EvidenceOutcome<{ id: number }>> {
  const file = uploadFileOf(opts, upload.id);
  try {
    const sha256 = await sha256Of(file);
    return await addEvidence(
      em,
      store,
      ctx,
      ref,
      { tempFile: file, sha256, size: upload.offset, name: upload.fileName, truncated: upload.offset > upload.length },
      upload.meta,
    );
  } finally {
    await em.execute('delete from evidence_upload where id = ?', [upload.id]);
    await rm(file, { force: true });
  }
}

/** Ends an upload at its person's request (tus termination): its row and bytes are gone. */
export async function removeUpload(em: EntityManager, opts: Pick<ResumableOptions, 'dir'>, upload: PendingUpload) {
  await em.execute('delete from evidence_upload where id = ?', [upload.id]);
  await rm(uploadFileOf(opts, upload.id), { force: true });
}

/**
 * The scheduler's sweep: expired uploads (row and bytes), and files in the folder that no row names once older than
 * `graceMs` (a creation that died between its row and its file, or a row removed by a cascade).
 */
export async function sweepUploads(
  em: EntityManager,
  opts: Pick<ResumableOptions, 'dir'>,
  now = new Date(),
  graceMs = 60 * 60 * 1000,
): Promise<{ expired: number; orphans: number }> {
  const gone = await em.execute<{ id: string }[]>('delete from evidence_upload where expires_at <= ? returning id', [
    now,
  ]);
  for (const { id } of gone) await rm(uploadFileOf(opts, id), { force: true });
  let names: string[];
  try {
    names = (await readdir(opts.dir)).filter((n) => uuidPattern.test(n));
  } catch {
    names = [];
  }
  let orphans = 0;
  if (names.length) {
    const rows = await em.execute<{ id: string }[]>('select id from evidence_upload where id = any(?::uuid[])', [
      `{${names.join(',')}}`,
    ]);
    const known = new Set(rows.map((r) => r.id));
    for (const name of names) {
      if (known.has(name)) continue;
      const file = uploadFileOf(opts, name);
      const mtime = await stat(file).then(
        (s) => s.mtimeMs,
        () => Number.POSITIVE_INFINITY,
      );
      if (mtime < now.getTime() - graceMs) {
        await rm(file, { force: true });
        orphans++;
      }
    }
  }
  return { expired: gone.length, orphans };
}

/** Bytes declared by this person's unfinished uploads (the ceiling's measure). */
export async function pendingBytes(em: EntityManager, userId: number, now = new Date()): Promise<number> {
  const [{ pending }] = await em.execute<{ pending: string | null }[]>(
    'select sum(length) as pending from evidence_upload where user_id = ? and expires_at > ?',
    [userId, now],
  );
  return Number(pending ?? 0);
}
