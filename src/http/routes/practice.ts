// The preview of a practice campaign's "publication": for the secretariat and the trainees only, never public.
import type { FastifyInstance } from 'fastify';
import { practicePreview } from '../../features/practice.ts';
import { requireArea } from '../plugins/auth.ts';

export default async function practiceRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea(null));

  app.get<{ Params: { code: string } }>('/:code/preview', async (req, reply) => {
    const preview = await practicePreview(req.em, req.user!, req.params.code);
    if (!preview) return reply.callNotFound();
    return reply.page(
      'practice/preview',
      { ...preview },
      {
        title: `${req.t('practice.preview.title')}: ${preview.campaign.name}`,
      },
    );
  });
}
