// Reopening a unit's submitted self-assessment (issue 23, item 6): the confirmation page, with what it would do in
// numbers and the reason to give, and the step itself (features/self-assessment/reopen.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { reasonMaxLength, reopenPreview, reopenSelfAssessment } from '../../../features/self-assessment/reopen.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

type P = { code: string; unit: string };

const reopenForm = z.object({
  _csrf: z.string().optional(),
  // Length is checked by the use case, so that a long reason comes back with its own message and is kept.
  reason: z
    .string({ error: 'reopen.error.reason' })
    .max(reasonMaxLength * 4, 'reopen.error.reasonLong')
    .default(''),
});

export default async function reopenRoutes(app: FastifyInstance) {
  const page = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    found: { reason?: string; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const preview = await reopenPreview(req.em, req.params.code, req.params.unit);
    if (!preview) return reply.callNotFound();
    return reply.page(
      'admin/reopen/confirm',
      {
        preview,
        reason: found.reason ?? '',
        errors: translateErrors(req.t, found.errors ?? {}),
        refusal: preview.refusal ? req.t(preview.refusal) : null,
        back: paths.admin.campaignUnits(preview.campaign.code),
      },
      { status, title: req.t('reopen.title', { unit: preview.unit.name }) },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/units/:unit/reopen', async (req, reply) => page(req, reply));

  app.post<{ Params: P }>('/campaigns/:code/units/:unit/reopen', async (req, reply) => {
    const typed = String((req.body as Record<string, unknown> | undefined)?.reason ?? '');
    const form = parseForm(reopenForm, req.body);
    if (!form.ok) return page(req, reply, { reason: typed, errors: form.errors }, 422);
    const outcome = await reopenSelfAssessment(
      req.em,
      { id: req.user!.id },
      req.params.code,
      req.params.unit,
      form.data.reason,
    );
    if (outcome.ok)
      return reply.redirect(paths.admin.campaignUnits(req.params.code, { reopened: req.params.unit }), 303);
    return page(req, reply, { reason: typed, errors: outcome.errors ?? {} }, outcome.kind === 'invalid' ? 422 : 409);
  });
}
