import type { FastifyInstance } from 'fastify';
import { intArray } from '../../db/sql.ts';
import { agenciesOf } from '../../domain/permissions.ts';
import { requireArea } from '../plugins/auth.ts';

export default async function appraisalRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('appraisal'));

  app.get('/', async (req, reply) => {
    const db = req.em.getConnection();
    const agencies = await db.execute<{ id: number; name: string }[]>(
      'select id, name from agency where id = any(?::int[]) order by name collate "vi-x-icu"',
      [intArray(agenciesOf(req.user!.grants))],
    );
    const campaigns = await db.execute<{ code: string; name: string; state: string }[]>(
      `select code, name, state from campaign where state = 'appraisal' and not practice order by year desc`,
    );
    return reply.page('appraisal/index', { agencies, campaigns }, { title: req.t('appraisal.title') });
  });
}
