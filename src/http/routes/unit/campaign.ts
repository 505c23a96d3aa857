import type { FastifyInstance } from 'fastify';
import { todayInVietnam } from '../../../domain/dates.ts';
import { listRequests } from '../../../features/appraisal/explanations.ts';
import { daysUntil } from '../../../features/needs.ts';
import { unitPublishedResult } from '../../../features/self-assessment/published-result.ts';
import { progress, loadTree } from '../../../features/self-assessment/criteria-tree.ts';
import { settingsOf } from '../../../features/survey-online/questionnaire.ts';
import { contextOf, daysLeft, type UnitParams } from './shared.ts';

/**
 * A campaign's page for the unit: what waits for an answer first (the appraisers' open requests, with their due
 * dates), progress per field, the deadline and the way to each step; once published, the appraised result beside
 * the unit's own scores.
 */
export default async function unitCampaignRoutes(app: FastifyInstance) {
  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    const nodes = await loadTree(req.em, ctx);
    const fields = progress(nodes);
    const today = todayInVietnam();
    // A contributor cannot answer a request (the officer or the head does): nothing waits for them here.
    const requests =
      ctx.role === 'contributor' || ctx.campaign.state !== 'appraisal'
        ? []
        : (await listRequests(req.em, ctx, today)).filter((r) => r.open);
    const published =
      ctx.campaign.state === 'published' ? await unitPublishedResult(req.em, ctx.campaign.id, ctx.unit.code) : null;
    return reply.page(
      'unit/campaign',
      {
        ctx,
        fields,
        daysLeft: daysLeft(ctx),
        requests,
        published,
        today,
        daysUntil,
        surveyPaper: (await settingsOf(req.em, ctx.campaign.id))?.unitsTypePaper === true,
      },
      { title: `${ctx.campaign.name} — ${ctx.unit.name}` },
    );
  });
}
