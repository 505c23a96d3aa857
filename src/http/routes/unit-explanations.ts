import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { answerRequest, listRequests } from '../../features/appraisal/explanations.ts';
import { unitContext, type UnitContext } from '../../features/self-assessment/context.ts';
import { todayInVietnam, type MessageKey } from '../i18n.ts';

type P = { unit: string; code: string; id?: string };

/** The appraisers' requests for supplementary explanations, and the unit's answers. Mounted in the unit area. */
export default async function unitExplanationRoutes(app: FastifyInstance) {
  const context = (req: FastifyRequest<{ Params: P }>) => unitContext(req.em, req.user!, req.params.unit, req.params.code);
  const base = (ctx: UnitContext) => `/unit/${ctx.unit.code}/campaigns/${ctx.campaign.code}`;

  const page = async (req: FastifyRequest<{ Params: P; Querystring: Record<string, string> }>, reply: FastifyReply, ctx: UnitContext, status = 200, errors: Record<string, Record<string, string>> = {}, values: Record<string, string> = {}) => {
    const requests = await listRequests(req.em, ctx, todayInVietnam());
    return reply.page('unit/explanations', { ctx, base: base(ctx), requests, errors, values, saved: req.query.saved }, { status, title: req.t('explanations.title') });
  };

  app.get<{ Params: P; Querystring: Record<string, string> }>('/:unit/campaigns/:code/explanations', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    return page(req, reply, ctx);
  });

  app.post<{ Params: P; Querystring: Record<string, string> }>('/:unit/campaigns/:code/explanations/:id', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    const request = (await listRequests(req.em, ctx, todayInVietnam())).find((r) => String(r.id) === req.params.id);
    if (!request) return reply.callNotFound();
    const form = z.object({ answer: z.string().max(20_000).default('') }).safeParse(req.body ?? {});
    const answer = form.success ? form.data.answer : '';
    const outcome = await answerRequest(req.em, ctx, request, answer, todayInVietnam());
    if (outcome.ok) return reply.redirect(`${base(ctx)}/explanations?saved=${request.id}#r-${request.id}`, 303);
    const status = outcome.kind === 'invalid' ? 422 : outcome.kind === 'forbidden' ? 403 : 409;
    const errors = outcome.kind === 'invalid' ? outcome.errors : { _form: req.t(`explanations.${outcome.kind}` as MessageKey) };
    return page(req, reply, ctx, status, { [request.id]: errors }, { [request.id]: answer });
  });
}
