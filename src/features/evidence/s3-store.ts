import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  sha256Pattern,
  sweepGraceMs,
  type EvidenceStore,
  type LocalEvidenceStore,
  type ReferencedHashes,
} from './store.ts';

export interface S3EvidenceStoreOptions {
  bucket: string;
  /** An S3-compatible server (`http://127.0.0.1:9000` for MinIO); unset for AWS itself. */
  endpoint?: string;
  region: string;
  /** Unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, a profile, an instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `http://host/bucket/key` rather than `http://bucket.host/key`; most self-hosted servers want it. */
  forcePathStyle: boolean;
  /** Uploads in progress are written, hashed and inspected on this machine: in this local store's `tmp` folder. */
  local: LocalEvidenceStore;
}

const keyPattern = /^evidence\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/**
 * Evidence in an S3-compatible bucket, one object per SHA-256 under `evidence/ab/cd/<sha256>`. Temporary files stay
 * local (the local store's), so several app instances can share the bucket without a shared folder.
 */
export class S3EvidenceStore implements EvidenceStore {
  readonly bucket: string;
  readonly client: S3Client;
  private readonly local: LocalEvidenceStore;

  constructor(opts: S3EvidenceStoreOptions) {
    this.bucket = opts.bucket;
    this.local = opts.local;
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
    });
  }

  keyOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new TypeError('not a SHA-256 in hex');
    return `evidence/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  tempPath(): Promise<string> {
    return this.local.tempPath();
  }

  ensureRoom(): Promise<void> {
    return this.local.ensureRoom();
  }

  clearTemp(before: Date): Promise<number> {
    return this.local.clearTemp(before);
  }

  /**
   * Uploads the temporary file unless the content is already stored, then deletes it. The server checks the bytes
   * against their SHA-256 (and MD5, for servers that know only Content-MD5), so a damaged transfer is refused.
   */
  async put(tempFile: string, sha256: string): Promise<void> {
    const key = this.keyOf(sha256);
    const stored = await this.lastModified(key);
    if (stored) {
      // As the local store touches its file: the sweep spares young objects only, and this upload's row is about
      // to name an old one. Copying it onto itself is done by the server and gives it a new Last-Modified.
      if (stored.getTime() < Date.now() - sweepGraceMs / 2) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: key,
            CopySource: `${this.bucket}/${key}`,
            MetadataDirective: 'REPLACE',
          }),
        );
      }
    } else {
      const { size } = await stat(tempFile);
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: createReadStream(tempFile),
          ContentLength: size,
          ContentType: 'application/octet-stream',
          ContentMD5: await md5Of(tempFile),
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
      );
    }
    await rm(tempFile, { force: true });
  }

  /** The object's bytes as a stream at once; a missing object or a broken connection becomes the stream's error. */
  open(sha256: string): Readable {
    const key = this.keyOf(sha256);
    const out = new PassThrough();
    this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })).then(
      (res) => {
        if (!res.Body) out.destroy(new Error(`no body for ${key}`));
        // On either side's failure (or the reader going away) pipeline destroys both: the connection is freed.
        else pipeline(res.Body as Readable, out, () => {});
      },
      (err: unknown) => out.destroy(err as Error),
    );
    return out;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.lastModified(this.keyOf(sha256))) !== null;
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
  }

  /**
   * As the local sweep: removes objects no row references once older than the grace period, and stale local
   * temporary files. Lists the bucket a page at a time (`pageSize` keys), asking about each page's old objects at once.
   */
  async sweep(
    referenced: ReferencedHashes,
    now = Date.now(),
    pageSize = 1000,
  ): Promise<{ removed: number; staleTemps: number }> {
    const staleTemps = await this.local.clearTemp(new Date(now - sweepGraceMs));
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: 'evidence/',
          ContinuationToken: token,
          MaxKeys: pageSize,
        }),
      );
      const old = (page.Contents ?? []).flatMap((o) => {
        const m = keyPattern.exec(o.Key ?? '');
        if (!m) return [];
        const ours = m[3].startsWith(m[1] + m[2]);
        return ours && o.LastModified && o.LastModified.getTime() < now - sweepGraceMs ? [m[3]] : [];
      });
      if (old.length) {
        const kept = await referenced(old);
        for (const hash of old) {
          if (!kept.has(hash)) {
            await this.remove(hash);
            removed++;
          }
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { removed, staleTemps };
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  /** When the object was last written, or null when there is none. */
  private async lastModified(key: string): Promise<Date | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (
        err instanceof S3ServiceException &&
        (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)
      )
        return null;
      throw err;
    }
  }
}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}
