import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { add, dec, format, ZERO } from '../../../domain/decimal.ts';
import type { UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { loadTree, missingOf, progress } from '../../../features/self-assessment/criteria-tree.ts';
import { submitSelfAssessment } from '../../../features/self-assessment/submit.ts';
import { paths } from '../../paths.ts';
import { anchorOf, contextOf, type UnitParams } from './shared.ts';

/** What is still missing, and the head's submission of the self-assessment. */
export default async function unitSubmissionRoutes(app: FastifyInstance) {
  const submissionPage = async (
    req: FastifyRequest<{ Params: UnitParams }>,
    reply: FastifyReply,
    ctx: UnitContext,
    status = 200,
    errors: Record<string, string> = {},
  ) => {
    const nodes = await loadTree(req.em, ctx);
    const missing = nodes.filter((n) => missingOf(n).length > 0).map((n) => ({ n, missing: missingOf(n) }));
    const fields = progress(nodes);
    // The whole self-assessment, under the fields: what the unit gives itself out of the maximum, criteria done.
    const total = {
      selfTotal: format(fields.reduce((sum, f) => add(sum, dec(f.selfTotal)), ZERO)),
      max: format(fields.reduce((sum, f) => add(sum, dec(f.max)), ZERO)),
      done: fields.reduce((sum, f) => sum + f.done, 0),
      leaves: fields.reduce((sum, f) => sum + f.leaves, 0),
    };
    return reply.page(
      'unit/submission',
      { ctx, fields, total, missing, anchorOf, errors },
      { status, title: req.t('unit.submit.title') },
    );
  };

  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code/submission', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    return submissionPage(req, reply, ctx);
  });

  app.post<{ Params: UnitParams }>('/:unit/campaigns/:code/submission', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    const outcome = await submitSelfAssessment(req.em, ctx);
    if (outcome.ok) return reply.redirect(paths.unit.submission(ctx.unit.code, ctx.campaign.code), 303);
    const status = outcome.kind === 'forbidden' ? 403 : outcome.kind === 'locked' ? 409 : 422;
    return submissionPage(req, reply, ctx, status, {
      _form: req.t(`unit.submit.${outcome.kind}` as 'unit.submit.incomplete'),
    });
  });
}
