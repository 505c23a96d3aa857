// What the unit area's pages share: the unit and campaign a request names, the time left.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../../domain/dates.ts';
import { NoRoomError, type EvidenceStore } from '../../../features/evidence/store.ts';
import { discard, receiveUpload, type Received, type UploadPart } from '../../../features/evidence/upload.ts';
import { checkBodyToken } from '../../body-token.ts';
import { unitContext, type UnitContext } from '../../../features/self-assessment/unit-access.ts';

export type UnitParams = { unit: string; code: string; criterion?: string; id?: string; file?: string };

/** The unit and campaign the address names, as the signed-in person may see them (null: not found). */
export const contextOf = (req: FastifyRequest<{ Params: UnitParams }>) =>
  unitContext(req.em, req.user!, req.params.unit, req.params.code);

/** The HTML id of a criterion's block: `c-3-2-6`. */
export const anchorOf = (code: string) => `c-${code.replaceAll('.', '-')}`;

/** The evidence size limit as the reader writes numbers (0,1 MB). */
export const maxMbOf = (app: FastifyInstance, req: FastifyRequest) =>
  String(app.config.EVIDENCE_MAX_MB).replace('.', req.lang === 'vi' ? ',' : '.');

/** Days left before the unit's self-assessment deadline (null without one). */
export const daysLeft = (ctx: UnitContext) =>
  ctx.deadline ? Math.round((Date.parse(ctx.deadline) - Date.parse(todayInVietnam())) / 86_400_000) : null;

/**
 * A multipart evidence upload received into a temporary file (kept only when `accept`), or why not: no room on the
 * disk (507, logged as an error) or a body broken off (400: nothing was kept; the answer only reaches a client still
 * listening). Past the size limit busboy cuts the file short and marks it truncated: the caller refuses it.
 */
export async function receiveEvidence(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  store: EvidenceStore,
  accept: boolean,
): Promise<
  | { ok: true; received: Received }
  | {
      ok: false;
      status: 400 | 507;
      key: 'evidence.error.aborted' | 'evidence.error.noRoom';
      /** What was typed beside the file, when the body was read to its end (no room on the disk). */
      fields: Record<string, string>;
    }
> {
  const maxBytes = app.config.evidenceMaxBytes;
  const parts = req.parts({ limits: { fileSize: maxBytes }, throwFileSizeLimit: false } as Parameters<
    typeof req.parts
  >[0]) as AsyncIterable<UploadPart>;
  let received: Received;
  try {
    received = await receiveUpload(parts, store, { maxBytes, accept });
  } catch (err) {
    if (err instanceof NoRoomError) {
      req.log.error({ err, free: err.free }, 'evidence upload refused: no room on the disk');
      return { ok: false, status: 507, key: 'evidence.error.noRoom', fields: err.fields ?? {} };
    }
    req.log.info({ err }, 'evidence upload broke off');
    return { ok: false, status: 400, key: 'evidence.error.aborted', fields: {} };
  }
  // The form's token came in its body (routes with `csrfInMultipartBody`; an older form's address still works): checked
  // now, before anything it sent is used. A refusal is the usual "form expired" page.
  try {
    await checkBodyToken(req, reply, received.fields._csrf);
  } catch (err) {
    await discard(received.file);
    throw err;
  }
  return { ok: true, received };
}
