import type { FastifyInstance } from 'fastify';
import { requireArea } from '../../plugins/auth.ts';
import campaignRoutes from './campaigns.ts';
import criteriaSetRoutes from './criteria-sets.ts';
import surveyRoutes from './survey.ts';
import unitRoutes from './units.ts';
import userRoutes from './users.ts';
import workbookRoutes from './workbooks.ts';

export default async function adminRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('admin'));

  app.get('/', async (req, reply) => {
    const [counts] = await req.em.execute<{ units: number; users: number; sets: number; campaigns: number }[]>(
      `select (select count(*)::int from unit) as units, (select count(*)::int from app_user) as users,
              (select count(*)::int from criteria_set) as sets, (select count(*)::int from campaign) as campaigns`,
    );
    const campaigns = await req.em.execute<{ code: string; name: string; year: number; state: string }[]>(
      `select code, name, year, state from campaign order by year desc, name collate "vi-x-icu"`,
    );
    return reply.page('admin/index', { counts, campaigns }, { title: req.t('admin.title') });
  });

  // Each area of the secretariat's work is its own plugin; all of them sit behind the admin guard above.
  await app.register(unitRoutes);
  await app.register(userRoutes);
  await app.register(criteriaSetRoutes);
  await app.register(campaignRoutes);
  await app.register(surveyRoutes);
  await app.register(workbookRoutes);
}
