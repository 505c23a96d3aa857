import type { FastifyInstance } from 'fastify';
import { campaignOverview } from '../../features/council/overview.ts';
import { todayInVietnam } from '../i18n.ts';
import { requireArea } from '../plugins/auth.ts';

export default async function councilRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('council'));

  app.get('/', async (req, reply) => {
    const campaigns = await req.em.execute<{ code: string; name: string; year: number; state: string }[]>(
      `select code, name, year, state from campaign order by year desc, name collate "vi-x-icu"`,
    );
    return reply.page('council/index', { campaigns }, { title: req.t('council.title') });
  });

  // The preliminary ranking on this page is confidential until publication: never stored by a cache.
  app.get<{ Params: { code: string } }>('/campaigns/:code', async (req, reply) => {
    const overview = await campaignOverview(req.em, req.params.code, todayInVietnam());
    if (!overview) return reply.callNotFound();
    reply.header('Cache-Control', 'private, no-store');
    return reply.page('council/campaign', { ...overview }, { title: `${req.t('council.overview.title')}: ${overview.campaign.name}` });
  });
}
