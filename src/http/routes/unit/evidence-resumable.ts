// Resumable evidence uploads: the tus protocol 1.0.0 (core, creation, expiration, termination) under a criterion's
// address, for the upload form with JavaScript (public/evidence-resumable.js with tus-js-client). Every request is the
// signed-in person's own: the criterion is found through scoreRef (another unit's, or a contributor's unassigned one,
// is not found), an upload only with its person and criterion (anyone else's id answers 404), and every request but
// HEAD carries the CSRF token in X-CSRF-Token (the app's hook checks it). Without JavaScript the plain form is used.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { msg, spell } from '../../../domain/message.ts';
import {
  appendChunk,
  createUpload,
  findUpload,
  finishUpload,
  removeUpload,
  type ResumableOptions,
} from '../../../features/evidence/resumable.ts';
import type { EvidenceStore } from '../../../features/evidence/store.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { scoreRef, type UnitContext } from '../../../features/self-assessment/unit-access.ts';
import type { MessageKey } from '../../../i18n/catalog.ts';
import { parseForm } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { metaFields, metaForm, refusalStatus } from './evidence.ts';
import { contextOf, type UnitParams } from './shared.ts';

type P = UnitParams & { id?: string };

type Block = (
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: UnitContext,
  code: string,
  scoreId: number,
  status?: number,
  errors?: FieldErrors,
  values?: Record<string, string>,
) => Promise<unknown>;

const tusVersion = '1.0.0';

/** `Upload-Metadata`: `key base64,key base64`; a key may come without a value. Null when it cannot be read. */
export function parseUploadMetadata(header: string | undefined): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const pair of header.split(',')) {
    const [key, value, extra] = pair.trim().split(' ');
    if (!key || extra !== undefined || !/^[\x21-\x7e]+$/.test(key)) return null;
    if (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
    out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}

/** A header holding a non-negative integer, or null (absent or not one). */
function headerInt(value: string | string[] | undefined): number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

export default async function resumableEvidenceRoutes(
  app: FastifyInstance,
  opts: { store: EvidenceStore; block: Block },
) {
  const { store, block } = opts;
  const config = app.config;
  const resumable: ResumableOptions = {
    dir: config.evidenceUploadsDir,
    maxBytes: config.evidenceMaxBytes,
    pendingBytesPerPerson: Math.round(config.EVIDENCE_PENDING_MB * 1024 * 1024),
    expiresInMs: config.EVIDENCE_UPLOAD_EXPIRY_HOURS * 3600_000,
  };
  const base = '/:unit/campaigns/:code/criteria/:criterion/uploads';

  // A chunk's bytes are read by the handler as they come (never buffered whole by a parser).
  app.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null, undefined));

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Tus-Resumable', tusVersion);
    return payload;
  });

  /** The person's criterion, or null (not found for them); `tus` requests must name the protocol's version. */
  async function criterion(req: FastifyRequest<{ Params: P }>) {
    const ctx = await contextOf(req);
    const ref = ctx && (await scoreRef(req.em, ctx, req.params.criterion!));
    return ctx && ref ? { ctx, ref } : null;
  }
  const wrongVersion = (req: FastifyRequest, reply: FastifyReply) =>
    req.headers['tus-resumable'] !== tusVersion ? reply.code(412).header('Tus-Version', tusVersion).send() : null;

  app.options<{ Params: P }>(base, async (req, reply) => {
    if (!(await criterion(req))) return reply.callNotFound();
    return reply
      .code(204)
      .header('Tus-Version', tusVersion)
      .header('Tus-Extension', 'creation,expiration,termination')
      .header('Tus-Max-Size', String(resumable.maxBytes))
      .send();
  });

  /** The evidence block: what the form shows again once its uploads are done. */
  app.get<{ Params: P }>(base, async (req, reply) => {
    const found = await criterion(req);
    if (!found) return reply.callNotFound();
    return block(req, reply, found.ctx, found.ref.criterionCode, found.ref.id);
  });

  // Creation: the declared length and the typed fields are checked before a byte is sent; a refusal answers with the
  // evidence block, its message beside the field, as the plain form's refusal does.
  app.post<{ Params: P }>(base, async (req, reply) => {
    const found = await criterion(req);
    if (!found) return reply.callNotFound();
    const refusedVersion = wrongVersion(req, reply);
    if (refusedVersion) return refusedVersion;
    const { ctx, ref } = found;
    const length = headerInt(req.headers['upload-length']);
    const metadata = parseUploadMetadata(req.headers['upload-metadata'] as string | undefined);
    if (length === null || metadata === null) return reply.code(400).send();
    const values = Object.fromEntries(metaFields.map((f) => [f, metadata[f] ?? '']));
    const again = (status: number, errors: FieldErrors) =>
      block(req, reply, ctx, ref.criterionCode, ref.id, status, errors, values);
    if (!ctx.editable) return again(409, { _form: 'evidence.error.locked' });
    const meta = parseForm(metaForm, values);
    if (!meta.ok) {
      const errors: FieldErrors = { ...meta.errors };
      if (errors.documentDate === 'evidence.error.documentDateNonexistent')
        errors.documentDate = msg('evidence.error.documentDateNonexistent', { date: values.documentDate ?? '' });
      return again(422, errors);
    }
    const created = await createUpload(req.em, store, resumable, ctx, ref, {
      length,
      fileName: metadata.filename ?? '',
      meta: meta.data,
    });
    if (!created.ok) {
      if (created.kind === 'ceiling')
        return again(413, { file: msg('tus.error.ceiling', { mb: config.EVIDENCE_PENDING_MB }) });
      if (created.kind === 'noRoom') req.log.error('resumable upload refused: no room on the disk');
      const field = created.kind === 'locked' ? '_form' : 'file';
      return again(refusalStatus[created.kind], { [field]: `evidence.error.${created.kind}` });
    }
    return reply
      .code(201)
      .header(
        'Location',
        paths.unit.criterionUpload(ctx.unit.code, ctx.campaign.code, ref.criterionCode, created.value.id),
      )
      .header('Upload-Expires', created.value.expiresAt.toUTCString())
      .send();
  });

  /** The person's own unfinished upload of this criterion, or null. */
  async function pending(req: FastifyRequest<{ Params: P }>) {
    const found = await criterion(req);
    const upload = found && (await findUpload(req.em, resumable, req.params.id!, found.ctx.userId, found.ref.id));
    return found && upload ? { ...found, upload } : null;
  }

  app.head<{ Params: P }>(`${base}/:id`, async (req, reply) => {
    const found = await pending(req);
    if (!found) return reply.code(404).header('Cache-Control', 'no-store').send();
    return reply
      .code(200)
      .header('Cache-Control', 'no-store')
      .header('Upload-Offset', String(found.upload.offset))
      .header('Upload-Length', String(found.upload.length))
      .header('Upload-Expires', found.upload.expiresAt.toUTCString())
      .send();
  });

  // A chunk: at the offset the server has (else 409), within the declared length (else 400). The last one runs the
  // plain form's checks; its answer says how that went (Evidence-Outcome, and Evidence-Message for a refusal).
  app.patch<{ Params: P }>(`${base}/:id`, async (req, reply) => {
    const found = await pending(req);
    if (!found) {
      req.raw.resume();
      return reply.callNotFound();
    }
    const refusedVersion = wrongVersion(req, reply);
    if (refusedVersion) return refusedVersion;
    const offset = headerInt(req.headers['upload-offset']);
    if (offset === null) return reply.code(400).send();
    const { ctx, ref, upload } = found;
    const appended = await appendChunk(
      store,
      resumable,
      upload,
      offset,
      headerInt(req.headers['content-length']),
      req.raw,
    );
    if (!appended.ok) {
      req.raw.resume();
      const status = { offset: 409, length: 400, noRoom: 507, aborted: 400 }[appended.kind];
      if (appended.kind === 'noRoom') req.log.error('resumable upload chunk refused: no room on the disk');
      return reply.code(status).send();
    }
    reply.code(204).header('Upload-Offset', String(appended.offset));
    if (appended.offset < upload.length) return reply.send();
    const outcome = await finishUpload(req.em, store, resumable, ctx, ref, { ...upload, offset: appended.offset });
    if (outcome.ok) return reply.header('Evidence-Outcome', 'stored').send();
    const mb = String(config.EVIDENCE_MAX_MB).replace('.', req.lang === 'vi' ? ',' : '.');
    const words = spell(`evidence.error.${outcome.kind}`, (key, params) => req.t(key as MessageKey, { mb, ...params }));
    return reply.header('Evidence-Outcome', outcome.kind).header('Evidence-Message', encodeURIComponent(words)).send();
  });

  app.delete<{ Params: P }>(`${base}/:id`, async (req, reply) => {
    const found = await pending(req);
    if (!found) return reply.callNotFound();
    await removeUpload(req.em, resumable, found.upload);
    return reply.code(204).send();
  });
}
