import type { FastifyInstance } from 'fastify';
import { progress, loadTree } from '../../../features/self-assessment/criteria-tree.ts';
import { contextOf, daysLeft, type UnitParams } from './shared.ts';

/** A campaign's page for the unit: progress per field, the deadline and the way to each step. */
export default async function unitCampaignRoutes(app: FastifyInstance) {
  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    const nodes = await loadTree(req.em, ctx);
    const fields = progress(nodes);
    return reply.page(
      'unit/campaign',
      { ctx, fields, daysLeft: daysLeft(ctx) },
      { title: `${ctx.campaign.name} — ${ctx.unit.name}` },
    );
  });
}
