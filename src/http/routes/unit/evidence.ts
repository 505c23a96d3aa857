import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { calendarDateProblem, parseCalendarDate, todayInVietnam } from '../../../domain/dates.ts';
import { msg, spell } from '../../../domain/message.ts';
import type { EvidenceStore } from '../../../features/evidence/store.ts';
import {
  addEvidence,
  discard,
  refusedFile,
  findEvidence,
  listEvidence,
  removeEvidence,
  type EvidenceRefusal,
} from '../../../features/evidence/upload.ts';
import { scoreRef, type UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { storedFileHeaders } from '../../downloads.ts';
import { parseForm } from '../../forms.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import type { MessageKey } from '../../../i18n/catalog.ts';
import { paths } from '../../paths.ts';
import { anchorOf, contextOf, maxMbOf, receiveEvidence, type UnitParams } from './shared.ts';
import resumableEvidenceRoutes from './evidence-resumable.ts';

type P = UnitParams;

export const metaForm = z.object({
  documentNumber: z.string().trim().max(128, 'evidence.error.documentNumber').default(''),
  documentDate: z
    .string()
    .trim()
    .max(20, 'evidence.error.documentDate')
    .default('')
    .transform((v, ctx) => {
      if (!v) return null;
      const iso = parseCalendarDate(v);
      const problem = calendarDateProblem(v);
      if (problem === 'nonexistent')
        ctx.addIssue({ code: 'custom', message: 'evidence.error.documentDateNonexistent' });
      else if (!iso) ctx.addIssue({ code: 'custom', message: 'evidence.error.documentDate' });
      else if (iso > todayInVietnam()) ctx.addIssue({ code: 'custom', message: 'evidence.error.documentDateFuture' });
      return iso;
    }),
  issuer: z.string().trim().max(255, 'evidence.error.issuer').default(''),
});
export const metaFields = ['documentNumber', 'documentDate', 'issuer'] as const;

export const refusalStatus: Record<EvidenceRefusal, number> = {
  locked: 409,
  empty: 422,
  tooLarge: 413,
  type: 415,
  mismatch: 415,
  duplicate: 422,
  noRoom: 507,
};

/**
 * Evidence files of a unit's criteria: upload, open, remove. Registered inside the unit area (prefix `/unit`, its guard
 * applied); every lookup goes through unitContext and scoreRef, so another unit's file or a criterion not assigned to
 * a contributor is simply not found. `store` is the app's (`app.evidenceStore`) unless another is given.
 */
export default async function unitEvidenceRoutes(app: FastifyInstance, opts: { store?: EvidenceStore } = {}) {
  const store = opts.store ?? app.evidenceStore;
  /** Where a form without JavaScript goes back to: the criterion on its field's page. */
  const criterionUrl = (ctx: UnitContext, code: string) =>
    paths.unit.criteria(ctx.unit.code, ctx.campaign.code, { field: code.split('.')[0] }, anchorOf(code));
  /** htmx and upload.js ask for the evidence block; a boosted navigation wants a whole page. */
  const wantsBlock = (req: FastifyRequest) =>
    req.headers['hx-request'] === 'true' &&
    req.headers['hx-boosted'] !== 'true' &&
    req.headers['hx-request-type'] !== 'full';
  const maxMb = (req: FastifyRequest) => maxMbOf(app, req);
  const context = contextOf;

  /** The criterion's evidence block: alone for htmx, else as a small page of its own (an error after a plain post). */
  async function evidenceBlock(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: UnitContext,
    code: string,
    scoreId: number,
    status = 200,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
  ) {
    const files = (await listEvidence(req.em, [scoreId])).get(scoreId) ?? [];
    const mb = maxMb(req);
    const shown = Object.fromEntries(
      Object.entries(errors).map(([field, message]) => [
        field,
        spell(message, (key, params) => req.t(key as MessageKey, { mb, ...params })),
      ]),
    );
    const data = { ctx, criterionCode: code, files, errors: shown, values, maxMb: mb };
    if (wantsBlock(req)) return reply.page('unit/_evidence', data, { status });
    return reply.page(
      'unit/_evidence',
      { ...data, standalone: true, backUrl: criterionUrl(ctx, code) },
      { status, title: req.t('evidence.pageTitle', { code }) },
    );
  }

  /** The upload form: alone for htmx (the block's "add" link), else the evidence block as a page of its own. */
  app.get<{ Params: P }>('/:unit/campaigns/:code/criteria/:criterion/evidence', async (req, reply) => {
    const ctx = await context(req);
    const ref = ctx && (await scoreRef(req.em, ctx, req.params.criterion!));
    if (!ctx || !ref) return reply.callNotFound();
    if (wantsBlock(req) && ctx.editable)
      return reply.page('unit/_evidence-form', {
        ctx,
        criterionCode: ref.criterionCode,
        maxMb: maxMb(req),
        focus: true,
      });
    return evidenceBlock(req, reply, ctx, ref.criterionCode, ref.id);
  });

  // The form's token is the body's first field (see src/http/body-token.ts).
  const tokenInBody = { config: { csrfInMultipartBody: true } };
  app.post<{ Params: P }>('/:unit/campaigns/:code/criteria/:criterion/evidence', tokenInBody, async (req, reply) => {
    const ctx = await context(req);
    const ref = ctx && (await scoreRef(req.em, ctx, req.params.criterion!));
    if (!ctx || !ref) return reply.callNotFound();
    const block = (status: number, errors: FieldErrors, values?: Record<string, string>) =>
      evidenceBlock(req, reply, ctx, ref.criterionCode, ref.id, status, errors, values);
    if (!req.isMultipart()) return block(422, { file: 'evidence.error.empty' });

    // A file past the limit comes truncated; the refusal is ours, with the form shown again.
    const upload = await receiveEvidence(app, req, reply, store, ctx.editable);
    const valuesOf = (fields: Record<string, string>) =>
      Object.fromEntries(metaFields.map((f) => [f, fields[f] ?? '']));
    // No room: what was typed is kept, and the file must be chosen again (a form shown again cannot hold it).
    if (!upload.ok) return block(upload.status, { file: upload.key }, valuesOf(upload.fields));
    const { fields, file } = upload.received;
    const values = valuesOf(fields);
    if (!ctx.editable) return block(409, { _form: 'evidence.error.locked' });
    /** The file chosen must be chosen again after any refusal: the form shown again cannot keep it. */
    const chooseAgain = (errors: FieldErrors): FieldErrors =>
      file && !errors.file ? { file: msg('evidence.error.chooseAgain', { name: file.name }), ...errors } : errors;
    // Every mistake at once (the file's type and the typed fields), so that a slow connection carries the file again
    // only after all are put right.
    const meta = parseForm(metaForm, fields);
    if (!file || !meta.ok) {
      const refused = file ? await refusedFile(file) : 'empty';
      await discard(file);
      const metaErrors: FieldErrors = meta.ok ? {} : { ...meta.errors };
      if (metaErrors.documentDate === 'evidence.error.documentDateNonexistent')
        metaErrors.documentDate = msg('evidence.error.documentDateNonexistent', { date: values.documentDate ?? '' });
      // In the form's order: the file first.
      const errors = { ...(refused ? { file: `evidence.error.${refused}` } : {}), ...metaErrors };
      const status = refused ? refusalStatus[refused] : 422;
      return block(status, chooseAgain(errors), values);
    }
    const outcome = await addEvidence(req.em, store, ctx, ref, file, meta.data);
    if (!outcome.ok) {
      if (outcome.kind === 'noRoom') req.log.error('evidence upload refused: no room on the disk to store it');
      const field = outcome.kind === 'locked' ? '_form' : 'file';
      return block(refusalStatus[outcome.kind], { [field]: `evidence.error.${outcome.kind}` }, values);
    }
    if (wantsBlock(req)) return block(200, {});
    return reply.redirect(criterionUrl(ctx, ref.criterionCode), 303);
  });

  // The same upload in resumable chunks (tus), for the form with JavaScript; its answers show this same block.
  await app.register(resumableEvidenceRoutes, { store, block: evidenceBlock });

  app.get<{ Params: P }>('/:unit/campaigns/:code/evidence/:file', { compress: false }, async (req, reply) => {
    const ctx = await context(req);
    const file =
      ctx && /^\d{1,9}$/.test(req.params.file!) ? await findEvidence(req.em, ctx, Number(req.params.file)) : null;
    if (!file) return reply.callNotFound();
    if (!(await store.has(file.sha256))) {
      req.log.error({ evidence: file.id, sha256: file.sha256 }, 'evidence bytes missing from the store');
      return reply.callNotFound();
    }
    const etag = `"${file.sha256}"`;
    storedFileHeaders(reply, { mediaType: file.mediaType, name: file.originalName }).header('ETag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('Content-Length', file.size).send(store.open(file.sha256));
  });

  app.post<{ Params: P }>('/:unit/campaigns/:code/evidence/:file/removal', async (req, reply) => {
    const ctx = await context(req);
    const file =
      ctx && /^\d{1,9}$/.test(req.params.file!) ? await findEvidence(req.em, ctx, Number(req.params.file)) : null;
    if (!ctx || !file) return reply.callNotFound();
    // Issue 23: on a criterion several people share, a contributor removes only what they sent.
    if (ctx.role === 'contributor' && file.uploadedById !== ctx.userId)
      return evidenceBlock(req, reply, ctx, file.criterionCode, file.scoreId, 403, {
        _form: 'hands.evidence.notYours',
      });
    const outcome = await removeEvidence(req.em, ctx, file);
    if (!outcome.ok)
      return evidenceBlock(req, reply, ctx, file.criterionCode, file.scoreId, 409, { _form: 'evidence.error.locked' });
    if (wantsBlock(req)) return evidenceBlock(req, reply, ctx, file.criterionCode, file.scoreId);
    return reply.redirect(criterionUrl(ctx, file.criterionCode), 303);
  });
}
