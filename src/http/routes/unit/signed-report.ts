// The unit's signed self-assessment report (issue 23, item 2): its page (the file kept, and the upload form for the
// officer or the head once the self-assessment is submitted) and the file itself. Inside the unit area (its guard),
// found through unitContext like every unit page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { msg } from '../../../domain/message.ts';
import { attachSignedReport, signedReportOf, signedReportOpen } from '../../../features/council/reports.ts';
import type { UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { sendStoredFile } from '../../downloads.ts';
import { translateErrors, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { contextOf, maxMbOf, receiveEvidence, type UnitParams } from './shared.ts';

const status = { invalid: 422, locked: 409, tooLarge: 413, noRoom: 507 } as const;

export default async function unitSignedReportRoutes(app: FastifyInstance) {
  const store = app.evidenceStore;

  const page = async (
    req: FastifyRequest<{ Params: UnitParams; Querystring: { saved?: string } }>,
    reply: FastifyReply,
    ctx: UnitContext,
    extra: { errors?: FieldErrors; values?: Record<string, string>; status?: number } = {},
  ) => {
    const signed = await signedReportOf(req.em, ctx.selfAssessment.id);
    const mayUpload = ctx.mayAssign && ctx.selfAssessment.state === 'submitted' && signedReportOpen(ctx.campaign.state);
    return reply.page(
      'council2/unit-signed',
      {
        ctx,
        signed,
        mayUpload,
        saved: req.query?.saved === '1',
        maxMb: maxMbOf(app, req),
        values: extra.values ?? {},
        errors: translateErrors(req.t, extra.errors ?? {}),
      },
      { status: extra.status ?? 200, title: `${req.t('council2.signed.title')} — ${ctx.unit.name}` },
    );
  };

  app.get<{ Params: UnitParams; Querystring: { saved?: string } }>(
    '/:unit/campaigns/:code/signed-report',
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx) return reply.callNotFound();
      return page(req, reply, ctx);
    },
  );

  // The form's token is the body's first field (see src/http/body-token.ts).
  app.post<{ Params: UnitParams; Querystring: { saved?: string } }>(
    '/:unit/campaigns/:code/signed-report',
    { config: { csrfInMultipartBody: true } },
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx) return reply.callNotFound();
      if (!req.isMultipart())
        return page(req, reply, ctx, { errors: { file: 'council2.signed.error.file' }, status: 422 });
      const mayUpload =
        ctx.mayAssign && ctx.selfAssessment.state === 'submitted' && signedReportOpen(ctx.campaign.state);
      const upload = await receiveEvidence(app, req, reply, store, mayUpload);
      if (!upload.ok) return page(req, reply, ctx, { errors: { file: upload.key }, status: upload.status });
      const { file, fields } = upload.received;
      const values = { number: fields.number ?? '', date: fields.date ?? '' };
      const outcome = await attachSignedReport(req.em, store, ctx, file, values);
      if (!outcome.ok) {
        const errors: FieldErrors = { ...(outcome.errors ?? {}) };
        if (outcome.kind === 'tooLarge') errors.file = msg('council2.signed.error.tooLarge', { mb: maxMbOf(app, req) });
        return page(req, reply, ctx, { errors, values, status: status[outcome.kind] });
      }
      return reply.redirect(paths.council2.unitSigned(ctx.unit.code, ctx.campaign.code, { saved: 1 }), 303);
    },
  );

  app.get<{ Params: UnitParams }>(
    '/:unit/campaigns/:code/signed-report.pdf',
    { compress: false },
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx) return reply.callNotFound();
      const signed = await signedReportOf(req.em, ctx.selfAssessment.id);
      if (!signed || !(await store.has(signed.sha256))) return reply.callNotFound();
      return sendStoredFile(reply, store, signed);
    },
  );
}
