import type { FastifyInstance } from 'fastify';
import { unitCampaigns } from '../../features/self-assessment/unit-access.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { requireArea } from '../plugins/auth.ts';
import unitSelfAssessmentRoutes from './unit-self-assessment.ts';
import unitExplanationRoutes from './unit-explanations.ts';
import unitEvidenceRoutes from './unit-evidence.ts';
import unitReportRoutes from './unit-report.ts';

export default async function unitRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('unit'));

  app.get('/', async (req, reply) => {
    const campaigns = await unitCampaigns(req.em, req.user!);
    return reply.page('unit/index', { campaigns, today: todayInVietnam() }, { title: req.t('unit.title') });
  });

  await app.register(unitSelfAssessmentRoutes);
  await app.register(unitExplanationRoutes);
  await app.register(unitEvidenceRoutes);
  await app.register(unitReportRoutes);
}
