import type { FastifyInstance } from 'fastify';
import { requireArea } from '../plugins/auth.ts';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/home', { onRequest: requireArea(null) }, async (req, reply) => {
    const user = req.user!;
    if (user.areas.length === 1) return reply.redirect(`/${user.areas[0]}`, 303);
    return reply.page('home/index', {}, { title: req.t('home.title', { name: user.fullName }) });
  });
}
