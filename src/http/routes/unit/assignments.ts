import type { FastifyInstance } from 'fastify';
import { loadTree } from '../../../features/self-assessment/criteria-tree.ts';
import { assignableUsers, assignCriteria } from '../../../features/self-assessment/submit.ts';
import { paths } from '../../paths.ts';
import { contextOf, type UnitParams } from './shared.ts';

/** Who answers which criterion: the officer assigns leaves to colleagues (contributors) or names another body. */
export default async function unitAssignmentRoutes(app: FastifyInstance) {
  app.get<{ Params: UnitParams; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/assignments',
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx?.mayAssign) return reply.callNotFound();
      const nodes = await loadTree(req.em, ctx);
      return reply.page(
        'unit/assignments',
        {
          ctx,
          nodes,
          people: await assignableUsers(req.em, ctx.unit.id),
          saved: req.query.saved,
          open: req.query.field ?? null,
        },
        { title: req.t('unit.assign.title') },
      );
    },
  );

  app.post<{ Params: UnitParams }>('/:unit/campaigns/:code/assignments', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Only what the unit scores itself can be assigned (not the appraisers' criteria, not an exempted one).
    const nodes = (await loadTree(req.em, ctx)).filter((n) => n.leaf && n.score && n.kind === 'self' && !n.exempt);
    // One field's form at a time: its code comes back to open it again.
    const field = typeof body.field === 'string' && /^[0-9A-Za-z.]{1,20}$/.test(body.field) ? body.field : undefined;
    const changes = nodes
      .filter((n) => `who-${n.score!.id}` in body)
      .map((n) => {
        const who = String(body[`who-${n.score!.id}`] ?? '');
        const bodyName = String(body[`body-${n.score!.id}`] ?? '').slice(0, 255);
        return {
          scoreId: n.score!.id,
          assigneeId: /^\d+$/.test(who) ? Number(who) : null,
          assigneeBody: bodyName || null,
        };
      });
    const outcome = await assignCriteria(req.em, ctx, changes);
    if (!outcome.ok) {
      const status = outcome.kind === 'unknownAssignee' ? 422 : 409;
      const message =
        outcome.kind === 'unknownAssignee' ? 'unit.assign.invalid' : (`unit.assign.${outcome.kind}` as const);
      return reply.page(
        'unit/assignments',
        {
          ctx,
          nodes: await loadTree(req.em, ctx),
          people: await assignableUsers(req.em, ctx.unit.id),
          errors: { _form: req.t(message) },
          open: field ?? null,
          // What was chosen is kept: the form shown again has it.
          chosen: body,
        },
        { status, title: req.t('unit.assign.title') },
      );
    }
    return reply.redirect(
      paths.unit.assignments(
        ctx.unit.code,
        ctx.campaign.code,
        { saved: outcome.value, field },
        field ? `f-${field}` : undefined,
      ),
      303,
    );
  });
}
