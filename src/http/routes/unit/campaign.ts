import type { FastifyInstance } from 'fastify';
import { signedReportOf } from '../../../features/council/reports.ts';
import { todayInVietnam } from '../../../domain/dates.ts';
import { listRequests } from '../../../features/appraisal/explanations.ts';
import { daysUntil } from '../../../features/needs.ts';
import { unitVisitMinutes, unitVisits } from '../../../features/onsite/visits.ts';
import { sendStoredFile } from '../../downloads.ts';
import { unitPublishedResult } from '../../../features/self-assessment/published-result.ts';
import { progress, loadTree } from '../../../features/self-assessment/criteria-tree.ts';
import { settingsOf } from '../../../features/survey-online/questionnaire.ts';
import { unitSurveySetting } from '../../../features/survey-by-units.ts';
import { contextOf, daysLeft, type UnitParams } from './shared.ts';
import { precisionOf } from '../../../domain/decimal.ts';
import { findPublication } from '../../../features/publication/stored.ts';
import { criterionTexts, publishedUnitWeakPoints } from '../../../features/published/weak-points.ts';
import { paths } from '../../paths.ts';
import { myAssignments } from '../../../features/self-assessment/hands.ts';
import { unitWeakView } from '../../weak-points.ts';

/**
 * A campaign's page for the unit: what waits for an answer first (the appraisers' open requests, with their due
 * dates), progress per field, the deadline and the way to each step; once published, the appraised result beside
 * the unit's own scores.
 */
export default async function unitCampaignRoutes(app: FastifyInstance) {
  /** The minutes of an on-site check at the unit, as the visit page of the secretariat offers them. */
  app.get<{ Params: UnitParams & { visit: string } }>(
    '/:unit/campaigns/:code/visits/:visit/minutes',
    { compress: false },
    async (req, reply) => {
      const ctx = await contextOf(req);
      const m =
        ctx && /^\d{1,9}$/.test(req.params.visit)
          ? await unitVisitMinutes(req.em, ctx.campaign.id, ctx.unit.id, Number(req.params.visit))
          : null;
      if (!m || !(await app.evidenceStore.has(m.sha256))) return reply.callNotFound();
      return sendStoredFile(reply, app.evidenceStore, m);
    },
  );

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
    // Once published, where the unit lost points, as its public page shows them, with its improvement plan.
    const publication = published && published.rank !== null ? await findPublication(req.em, ctx.campaign.code) : null;
    const weakPage = publication
      ? await publishedUnitWeakPoints(req.em, publication, ctx.unit.code, precisionOf(ctx.campaign.precision))
      : null;
    const weak = weakPage
      ? unitWeakView(req.t, req.lang, weakPage, await criterionTexts(req.em, ctx.campaign.id), new Map())
      : null;
    return reply.page(
      'unit/campaign',
      {
        ctx,
        fields,
        daysLeft: daysLeft(ctx),
        requests,
        published,
        weak,
        planHref: paths.published.improvementPlan(ctx.campaign.code, ctx.unit.code),
        today,
        daysUntil,
        visits: await unitVisits(req.em, ctx.campaign.id, ctx.unit.id),
        surveyPaper: (await settingsOf(req.em, ctx.campaign.id))?.unitsTypePaper === true,
        mine: ctx.campaign.state === 'self-assessment' ? await myAssignments(req.em, ctx, today) : [],
        signedReport: await signedReportOf(req.em, ctx.selfAssessment.id),
        surveyFigures: ctx.role !== 'contributor' && (await unitSurveySetting(req.em, ctx.campaign.id)).unitsEnter,
      },
      { title: `${ctx.campaign.name} — ${ctx.unit.name}` },
    );
  });
}
