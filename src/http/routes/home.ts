import type { FastifyInstance } from 'fastify';
import { todayInVietnam } from '../../domain/dates.ts';
import { daysUntil, needsOf } from '../../features/needs.ts';
import { requireArea } from '../plugins/auth.ts';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/home', { onRequest: requireArea(null) }, async (req, reply) => {
    const user = req.user!;
    if (user.areas.length === 1) return reply.redirect(`/${user.areas[0]}`, 303);
    const today = todayInVietnam();
    return reply.page(
      'home/index',
      { needs: await needsOf(req.em, user, today), today, daysUntil },
      { title: req.t('home.title', { name: user.fullName }) },
    );
  });
}
