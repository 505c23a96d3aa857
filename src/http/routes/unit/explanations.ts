import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { answerRequest, listRequests, requestFiles } from '../../../features/appraisal/explanations.ts';
import { addEvidence, discard } from '../../../features/evidence/upload.ts';
import { scoreRef, type UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { translateErrors } from '../../forms.ts';
import { todayInVietnam } from '../../../domain/dates.ts';
import type { MessageKey } from '../../../i18n/catalog.ts';
import { paths } from '../../paths.ts';
import { contextOf, receiveEvidence, type UnitParams } from './shared.ts';

type P = UnitParams;

/** The appraisers' requests for supplementary explanations, and the unit's answers. Mounted in the unit area. */
export default async function unitExplanationRoutes(app: FastifyInstance) {
  const context = contextOf;

  const page = async (
    req: FastifyRequest<{ Params: P; Querystring: Record<string, string> }>,
    reply: FastifyReply,
    ctx: UnitContext,
    status = 200,
    errors: Record<string, Record<string, string>> = {},
    values: Record<string, string> = {},
  ) => {
    const requests = await listRequests(req.em, ctx, todayInVietnam());
    const files = await requestFiles(
      req.em,
      requests.map((r) => r.id),
    );
    return reply.page(
      'unit/explanations',
      { ctx, requests, files, errors, values, saved: req.query.saved },
      { status, title: req.t('explanations.title') },
    );
  };

  app.get<{ Params: P; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/explanations',
    async (req, reply) => {
      const ctx = await context(req);
      if (!ctx) return reply.callNotFound();
      return page(req, reply, ctx);
    },
  );

  /**
   * The addresses a refused answer or upload leaves in the browser without JavaScript, opened again: the request on
   * the explanations page. The contributor answers no request, so finds neither.
   */
  for (const url of ['/:unit/campaigns/:code/explanations/:id', '/:unit/campaigns/:code/explanations/:id/evidence'])
    app.get<{ Params: P }>(url, async (req, reply) => {
      const ctx = await context(req);
      if (!ctx || ctx.role === 'contributor') return reply.callNotFound();
      const request = (await listRequests(req.em, ctx, todayInVietnam())).find((r) => String(r.id) === req.params.id);
      if (!request) return reply.callNotFound();
      return reply.redirect(paths.unit.explanations(ctx.unit.code, ctx.campaign.code, {}, `r-${request.id}`), 303);
    });

  const store = app.evidenceStore;

  /** Extra evidence for an answer: one file with its document number, date and issuer, while the request is open. */
  app.post<{ Params: P; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/explanations/:id/evidence',
    { config: { csrfInMultipartBody: true } },
    async (req, reply) => {
      const ctx = await context(req);
      if (!ctx) return reply.callNotFound();
      const today = todayInVietnam();
      const request = (await listRequests(req.em, ctx, today)).find((r) => String(r.id) === req.params.id);
      const ref =
        request &&
        (await scoreRef(req.em, { ...ctx, role: ctx.role === 'contributor' ? 'officer' : ctx.role }, request.code));
      if (!request || !ref || ctx.role === 'contributor') return reply.callNotFound();
      // What was typed beside the file is kept; the file must be chosen again (the messages say so).
      let typed: Record<string, string> = {};
      const fail = (key: string, status: number) =>
        page(
          req,
          reply,
          ctx,
          status,
          { [request.id]: { file: req.t(key as MessageKey, { mb: app.config.EVIDENCE_MAX_MB }) } },
          { [`doc-${request.id}`]: typed.documentNumber ?? '' },
        );
      if (!req.isMultipart()) return fail('evidence.error.empty', 422);
      const upload = await receiveEvidence(app, req, reply, store, request.open);
      if (!upload.ok) {
        typed = upload.fields;
        return fail(upload.key, upload.status);
      }
      const { fields, file } = upload.received;
      typed = fields;
      if (!request.open) return fail('explanations.closed', 409);
      if (!file || file.truncated) {
        await discard(file);
        return fail(file ? 'evidence.error.tooLarge' : 'evidence.error.empty', file ? 413 : 422);
      }
      const outcome = await addEvidence(
        req.em,
        store,
        ctx,
        ref,
        file,
        {
          documentNumber: (fields.documentNumber ?? '').trim().slice(0, 128),
          documentDate: null,
          issuer: (fields.issuer ?? '').trim().slice(0, 255),
        },
        { explanationRequestId: request.id, today },
      );
      if (!outcome.ok && outcome.kind === 'noRoom')
        req.log.error('evidence upload refused: no room on the disk to store it');
      if (!outcome.ok)
        return fail(
          `evidence.error.${outcome.kind}`,
          outcome.kind === 'locked' ? 409 : outcome.kind === 'tooLarge' ? 413 : outcome.kind === 'noRoom' ? 507 : 415,
        );
      return reply.redirect(paths.unit.explanations(ctx.unit.code, ctx.campaign.code, {}, `r-${request.id}`), 303);
    },
  );

  app.post<{ Params: P; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/explanations/:id',
    async (req, reply) => {
      const ctx = await context(req);
      if (!ctx) return reply.callNotFound();
      const request = (await listRequests(req.em, ctx, todayInVietnam())).find((r) => String(r.id) === req.params.id);
      if (!request) return reply.callNotFound();
      const form = z.object({ answer: z.string().max(20_000).default('') }).safeParse(req.body ?? {});
      const answer = form.success ? form.data.answer : '';
      const outcome = await answerRequest(req.em, ctx, request, answer, todayInVietnam());
      if (outcome.ok)
        return reply.redirect(
          paths.unit.explanations(ctx.unit.code, ctx.campaign.code, { saved: request.id }, `r-${request.id}`),
          303,
        );
      const status = outcome.kind === 'invalid' ? 422 : outcome.kind === 'forbidden' ? 403 : 409;
      const errors =
        outcome.kind === 'invalid'
          ? translateErrors(req.t, outcome.errors)
          : { _form: req.t(`explanations.${outcome.kind}` as MessageKey) };
      return page(req, reply, ctx, status, { [request.id]: errors }, { [request.id]: answer });
    },
  );
}
