import type { FastifyInstance } from 'fastify';
import { unitCampaigns } from '../../../features/self-assessment/unit-access.ts';
import { todayInVietnam } from '../../../domain/dates.ts';
import { waitingRequests } from '../../../features/appraisal/explanations.ts';
import { daysUntil } from '../../../features/needs.ts';
import { requireArea } from '../../plugins/auth.ts';
import { unitAccess } from '../../../domain/permissions.ts';
import { openReopenings } from '../../../features/self-assessment/reopen.ts';
import unitCampaignRoutes from './campaign.ts';
import unitCriteriaRoutes from './criteria.ts';
import unitAssignmentRoutes from './assignments.ts';
import unitSubmissionRoutes from './submission.ts';
import unitExplanationRoutes from './explanations.ts';
import unitEvidenceRoutes from './evidence.ts';
import unitReportRoutes from './report.ts';
import unitSurveyPaperRoutes from './survey-paper.ts';
import unitHandsRoutes from './hands.ts';
import unitSignedReportRoutes from './signed-report.ts';
import unitSurveyFiguresRoutes from './survey-figures.ts';

export default async function unitRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('unit'));

  app.get('/', async (req, reply) => {
    const campaigns = await unitCampaigns(req.em, req.user!);
    const today = todayInVietnam();
    const needs = { requests: await waitingRequests(req.em, req.user!, today), appraisal: [], steps: [] };
    // A reopened self-assessment is told to the unit's officers and heads (who edit and submit it again).
    const told = [...unitAccess(req.user!.grants)].filter(([, role]) => role === 'officer' || role === 'head');
    const reopened = await openReopenings(
      req.em,
      told.map(([id]) => id),
    );
    return reply.page('unit/index', { campaigns, today, needs, daysUntil, reopened }, { title: req.t('unit.title') });
  });

  await app.register(unitCampaignRoutes);
  await app.register(unitCriteriaRoutes);
  await app.register(unitAssignmentRoutes);
  await app.register(unitSubmissionRoutes);
  await app.register(unitExplanationRoutes);
  await app.register(unitEvidenceRoutes);
  await app.register(unitReportRoutes);
  await app.register(unitSurveyPaperRoutes);
  await app.register(unitHandsRoutes);
  await app.register(unitSignedReportRoutes);
  await app.register(unitSurveyFiguresRoutes);
}
