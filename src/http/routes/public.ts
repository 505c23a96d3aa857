import type { FastifyInstance } from 'fastify';
import { publishedCampaigns } from '../../features/published/campaigns.ts';
import { publishedYears } from '../../features/published/year-page.ts';
import { safeNext } from '../forms.ts';
import { paths } from '../paths.ts';
import { langCookie } from '../render.ts';

export default async function publicRoutes(app: FastifyInstance) {
  app.get('/', async (req, reply) => {
    const campaigns = await publishedCampaigns(req.em);
    const years = await publishedYears(req.em);
    // Shared caches may keep what an anonymous reader gets; a signed-in reader's copy (their name in the header) is
    // made `private, no-store` by the app's onSend hook.
    reply.header('Cache-Control', 'public, max-age=60');
    return reply.page('public/home', { campaigns, years }, { title: req.t('public.title') });
  });

  // A plain link, so that it works for anonymous readers without a form or a session: it only sets a cookie.
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>(
    '/lang/:lang',
    { config: { public: true } },
    async (req, reply) => {
      const lang = req.params.lang === 'en' ? 'en' : 'vi';
      reply.setCookie(langCookie, lang, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true });
      return reply.redirect(safeNext(req.query.next, paths.root()), 303);
    },
  );
}
