import type { FastifyInstance } from 'fastify';
import { requireArea } from '../plugins/auth.ts';

export default async function councilRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('council'));

  app.get('/', async (req, reply) => {
    const campaigns = await req.em.getConnection().execute<{ code: string; name: string; year: number; state: string }[]>(
      `select code, name, year, state from campaign order by year desc, name collate "vi-x-icu"`,
    );
    return reply.page('council/index', { campaigns }, { title: req.t('council.title') });
  });
}
