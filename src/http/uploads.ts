// Bounds of uploads at the HTTP edge: the spreadsheet's size as it arrives, the message naming any limit the reading
// passed, and a ceiling on the uploads one signed-in person has under way at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkBodyToken } from './body-token.ts';
import type { LimitExceeded } from '../features/workbook/index.ts';
import type { Language } from '../domain/language.ts';
import type { Translate } from '../i18n/catalog.ts';

const MiB = 1024 * 1024;

/** The message that names the limit passed, in the reader's language (numbers as the reader writes them). */
export function limitMessage(t: Translate, lang: Language, exceeded: LimitExceeded): string {
  const number = (n: number) => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
  const inMb = exceeded.kind === 'size' || exceeded.kind === 'part' || exceeded.kind === 'total';
  return t(`upload.limit.${exceeded.kind}`, {
    limit: number(inMb ? exceeded.limit / MiB : exceeded.limit),
    sheet: exceeded.sheet ?? '',
    row: exceeded.row === null ? '' : number(exceeded.row),
    part: exceeded.part ?? '',
  });
}

export type ReceivedSpreadsheet =
  | { ok: true; data: Buffer }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'limit'; limit: LimitExceeded };

/**
 * The uploaded file of a multipart form, read into memory only up to `maxBytes`: a larger one is cut off as it
 * arrives (the rest of the body is discarded) and refused with the size limit.
 */
export async function receiveSpreadsheet(
  req: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Promise<ReceivedSpreadsheet> {
  if (!req.isMultipart()) return { ok: false, reason: 'missing' };
  const tooLarge = {
    ok: false,
    reason: 'limit',
    limit: { kind: 'size', limit: maxBytes, sheet: null, row: null },
  } as const;
  const upload = await req.file({ limits: { fileSize: maxBytes } });
  // No file part: the form is refused as it is, nothing done (its fields cannot be read without a file part).
  if (!upload) return { ok: false, reason: 'missing' };
  // The form's token is its first field (never in the address): checked before the file is read.
  const token = upload.fields._csrf;
  await checkBodyToken(req, reply, token && 'value' in token ? token.value : undefined);
  let data: Buffer;
  try {
    data = await upload.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge;
    throw err;
  }
  if (upload.file.truncated) return tooLarge;
  return data.length === 0 ? { ok: false, reason: 'missing' } : { ok: true, data };
}

/**
 * At most `perUser` multipart requests or resumable chunks (every upload: evidence, explanation attachments, workbook,
 * survey) under way at once for one signed-in person; the next gets 429 with a page saying why, its body discarded
 * unread. The count is kept by this server process: with several instances behind a proxy, the ceiling holds per
 * instance.
 */
export function limitConcurrentUploads(app: FastifyInstance, perUser: number): void {
  const underWay = new Map<number, number>();
  app.decorate('uploadsUnderWay', (userId: number) => underWay.get(userId) ?? 0);
  app.addHook('preHandler', async (req, reply) => {
    // A chunk of a resumable evidence upload (a tus PATCH) is an upload under way too.
    const chunk = req.method === 'PATCH' && req.headers['content-type'] === 'application/offset+octet-stream';
    if (!req.user || (!chunk && (req.method !== 'POST' || !req.isMultipart()))) return;
    const userId = req.user.id;
    const count = underWay.get(userId) ?? 0;
    if (count >= perUser) {
      req.raw.resume();
      req.log.info({ userId, underWay: count }, 'upload refused: too many at once');
      const heading = req.t('upload.busy.title');
      return reply.page(
        'errors/error',
        { heading, body: req.t('upload.busy', { limit: perUser }) },
        { status: 429, title: heading },
      );
    }
    underWay.set(userId, count + 1);
    let released = false;
    reply.raw.once('close', () => {
      if (released) return;
      released = true;
      const left = (underWay.get(userId) ?? 1) - 1;
      if (left > 0) underWay.set(userId, left);
      else underWay.delete(userId);
    });
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Uploads one person has under way in this process (what the ceiling counts). */
    uploadsUnderWay(userId: number): number;
  }
}
