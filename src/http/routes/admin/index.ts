import type { FastifyInstance } from 'fastify';
import { listCampaigns, recordCounts } from '../../../features/campaigns.ts';
import { requireArea } from '../../plugins/auth.ts';
import campaignRoutes from './campaigns.ts';
import criteriaSetRoutes from './criteria-sets.ts';
import practiceRoutes from './practice.ts';
import messageRoutes from './messages.ts';
import emulationRoutes from './emulation.ts';
import mailRoutes from './mail.ts';
import surveyRoutes from './survey.ts';
import surveyOnlineRoutes from './survey-online.ts';
import trustAnchorRoutes from './trust-anchors.ts';
import unitRoutes from './units.ts';
import userRoutes from './users.ts';
import workbookRoutes from './workbooks.ts';
import onsiteRoutes from '../onsite.ts';
import signingRoutes from './signing.ts';
import councilAdminRoutes from './council.ts';
import reopenRoutes from './reopen.ts';

export default async function adminRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('admin'));

  app.get('/', async (req, reply) => {
    const counts = await recordCounts(req.em);
    const campaigns = await listCampaigns(req.em);
    return reply.page('admin/index', { counts, campaigns }, { title: req.t('admin.title') });
  });

  // Each area of the secretariat's work is its own plugin; all of them sit behind the admin guard above.
  await app.register(unitRoutes);
  await app.register(userRoutes);
  await app.register(criteriaSetRoutes);
  await app.register(campaignRoutes);
  await app.register(practiceRoutes);
  await app.register(messageRoutes);
  await app.register(emulationRoutes);
  await app.register(mailRoutes);
  await app.register(surveyRoutes);
  await app.register(surveyOnlineRoutes);
  await app.register(workbookRoutes);
  await app.register(onsiteRoutes, { area: 'admin' });
  await app.register(trustAnchorRoutes);
  await app.register(signingRoutes);
  await app.register(councilAdminRoutes);
  await app.register(reopenRoutes);
}
