import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Where evidence bytes live, one copy per SHA-256. Small on purpose: an S3-compatible store will implement the same
 * interface. Uploads are always written to a local temporary file first (they are hashed and inspected there), so
 * `tempPath` belongs to every implementation.
 */
export interface EvidenceStore {
  /** A fresh local path for an upload in progress; the file does not exist yet. NoRoomError below the reserve. */
  tempPath(): Promise<string>;
  /** Throws NoRoomError when the disk of the temporary files has less free space than the configured reserve. */
  ensureRoom(): Promise<void>;
  /** Moves a finished temporary file in under its SHA-256; when that content is already stored, drops the copy. */
  put(tempFile: string, sha256: string): Promise<void>;
  open(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * The disk is full, or below the free space kept in reserve (EVIDENCE_MIN_FREE_MB) so that the database and the
 * sign-ins never run out of room because of uploads. Nothing of the upload is kept.
 */
export class NoRoomError extends Error {
  /** Bytes free for the server when this was found, when known. */
  readonly free: number | null;
  /** The text fields of the upload it refused, when it came from one (kept for the form shown again). */
  fields?: Record<string, string>;
  constructor(message: string, free: number | null, cause?: unknown) {
    super(message, { cause });
    this.name = 'NoRoomError';
    this.free = free;
  }
}

/** ENOSPC (no space) and EDQUOT (a quota) are both "no room"; anything else stays what it was. */
export function noRoomFrom(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof NoRoomError || (code !== 'ENOSPC' && code !== 'EDQUOT')) return err;
  return new NoRoomError(`no space left on the disk of the evidence files (${code})`, null, err);
}

/** Files and temporary files younger than this are left alone by the sweep. */
export const sweepGraceMs = 60 * 60 * 1000;

/** Which of these hashes some row still names (removed rows count: their bytes are kept for history). */
export type ReferencedHashes = (hashes: string[]) => Promise<Set<string>>;

export function referencedIn(em: EntityManager): ReferencedHashes {
  return async (hashes) => {
    if (!hashes.length) return new Set();
    // Hashes are checked against sha256Pattern before they get here, so the array literal needs no quoting.
    const rows = await em
      .getConnection()
      // The minutes of on-site checks (onsite_visit) and the units' signed reports are kept in the same store.
      .execute<{ sha256: string }[]>(
        `select sha256 from evidence_file where sha256 = any(?::text[])
         union select minutes_sha256 from onsite_visit where minutes_sha256 = any(?::text[])
         union select sha256 from signed_report where sha256 = any(?::text[])`,
        [`{${hashes.join(',')}}`, `{${hashes.join(',')}}`, `{${hashes.join(',')}}`],
      );
    return new Set(rows.map((r) => r.sha256));
  };
}

/** `DATA_DIR/evidence/ab/cd/<sha256>`, with uploads in progress under `DATA_DIR/evidence/tmp`. */
export class LocalEvidenceStore implements EvidenceStore {
  readonly root: string;
  readonly tmpDir: string;
  /** Free space that uploads must leave on the disk of the temporary folder. */
  readonly minFreeBytes: number;

  constructor(root: string, opts: { minFreeBytes?: number } = {}) {
    this.root = root;
    this.tmpDir = path.join(root, 'tmp');
    this.minFreeBytes = opts.minFreeBytes ?? 0;
  }

  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new TypeError('not a SHA-256 in hex');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async tempPath(): Promise<string> {
    try {
      await mkdir(this.tmpDir, { recursive: true });
    } catch (err) {
      throw noRoomFrom(err);
    }
    await this.ensureRoom();
    return path.join(this.tmpDir, `${randomUUID()}.part`);
  }

  async ensureRoom(): Promise<void> {
    if (this.minFreeBytes <= 0) return;
    const fs = await statfs(this.tmpDir);
    // bavail: the blocks an unprivileged process may still use (root's own reserve is not ours to take).
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free < this.minFreeBytes) {
      throw new NoRoomError(
        `${Math.floor(free / 1048576)} MB free on the disk of ${this.tmpDir}, below the reserve of ${Math.ceil(this.minFreeBytes / 1048576)} MB`,
        free,
      );
    }
  }

  async put(tempFile: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) {
      // The sweep spares young files only: an old unreferenced copy must not vanish before this upload's row commits.
      const now = new Date();
      await utimes(target, now, now);
      await rm(tempFile, { force: true });
      return;
    }
    try {
      // Data first, then the name: after a crash the store holds either the whole file or none of it.
      const handle = await open(tempFile, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempFile, target);
    } catch (err) {
      throw noRoomFrom(err);
    }
    await syncDir(path.dirname(target));
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /**
   * Removes stored files that no row references and temporary files left by uploads that died. Both only once older
   * than an hour: an upload moves its file in before its row commits, and a running upload writes its temporary file.
   */
  async sweep(referenced: ReferencedHashes, now = Date.now()): Promise<{ removed: number; staleTemps: number }> {
    const staleTemps = await this.clearTemp(new Date(now - sweepGraceMs));
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      const kept = await referenced(batch);
      for (const hash of batch) {
        if (!kept.has(hash)) {
          await this.remove(hash);
          removed++;
        }
      }
      batch = [];
    };
    for (const hash of await this.storedHashes()) {
      if (await olderThan(this.pathOf(hash), now - sweepGraceMs)) batch.push(hash);
      if (batch.length >= 500) await flush();
    }
    if (batch.length) await flush();
    return { removed, staleTemps };
  }

  /**
   * Removes temporary files last written before `before`. At start-up, with the server's own start time: an upload
   * that was running when the previous process died (kill -9, a power cut) left its half-written file there.
   */
  async clearTemp(before: Date): Promise<number> {
    let cleared = 0;
    for (const name of await listDir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      if (await olderThan(file, before.getTime())) {
        await rm(file, { force: true });
        cleared++;
      }
    }
    return cleared;
  }

  private async storedHashes(): Promise<string[]> {
    const hashes: string[] = [];
    for (const a of await listDir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await listDir(path.join(this.root, a))) {
        for (const name of await listDir(path.join(this.root, a, b))) {
          if (sha256Pattern.test(name) && name.startsWith(a + b)) hashes.push(name);
        }
      }
    }
    return hashes;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function olderThan(file: string, cutoff: number): Promise<boolean> {
  try {
    return (await stat(file)).mtimeMs < cutoff;
  } catch {
    return false;
  }
}

/** Makes a rename durable; some platforms cannot open a directory for this, which is not worth failing an upload over. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/** The store under `DATA_DIR/evidence`; uploads leave `minFreeBytes` free on its disk. */
export function localEvidenceStore(dataDir: string, opts: { minFreeBytes?: number } = {}): LocalEvidenceStore {
  return new LocalEvidenceStore(path.join(dataDir, 'evidence'), opts);
}

export { sha256Pattern };

/** The evidence store a running portal uses; both kinds also sweep and clear temporary files. */
export type ConfiguredEvidenceStore = LocalEvidenceStore | import('./s3-store.ts').S3EvidenceStore;

type StoreConfig = Pick<
  import('../../config.ts').Config,
  | 'DATA_DIR'
  | 'evidenceMinFreeBytes'
  | 'EVIDENCE_S3_BUCKET'
  | 'EVIDENCE_S3_ENDPOINT'
  | 'EVIDENCE_S3_REGION'
  | 'EVIDENCE_S3_ACCESS_KEY_ID'
  | 'EVIDENCE_S3_SECRET_ACCESS_KEY'
  | 'EVIDENCE_S3_FORCE_PATH_STYLE'
>;

/**
 * The store the configuration names: an S3-compatible bucket when `EVIDENCE_S3_BUCKET` is set, else the folder under
 * `DATA_DIR/evidence`. Temporary files are under `DATA_DIR/evidence/tmp` either way. The S3 client is loaded only
 * when it is used.
 */
export async function evidenceStoreFor(config: StoreConfig): Promise<ConfiguredEvidenceStore> {
  const local = localEvidenceStore(config.DATA_DIR, { minFreeBytes: config.evidenceMinFreeBytes });
  if (!config.EVIDENCE_S3_BUCKET) return local;
  const { S3EvidenceStore } = await import('./s3-store.ts');
  const { EVIDENCE_S3_ACCESS_KEY_ID: accessKeyId, EVIDENCE_S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return new S3EvidenceStore({
    bucket: config.EVIDENCE_S3_BUCKET,
    endpoint: config.EVIDENCE_S3_ENDPOINT,
    region: config.EVIDENCE_S3_REGION,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: config.EVIDENCE_S3_FORCE_PATH_STYLE,
    local,
  });
}
