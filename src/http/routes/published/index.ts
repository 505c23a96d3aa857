// The public index that citizens read (views/published/): a published campaign, one unit's results, the methodology,
// and the open data. Every page renders from a frozen publication (its results.json and published_result rows), never
// from live scores, needs no sign-in and no script, and is cacheable (common.ts).
import type { FastifyInstance } from 'fastify';
import { translator } from '../../../i18n/catalog.ts';
import { langCookie } from '../../render.ts';
import { isDatabaseUnavailable } from '../../unavailable.ts';
import campaignPage from './campaign.ts';
import { renderedPages } from './common.ts';
import methodologyPage from './methodology.ts';
import openData from './open-data.ts';
import surveyPages from './survey.ts';
import unitPage from './unit.ts';
import yearPage from './year.ts';
import weakPointsPage from './weak-points.ts';

export default async function publishedRoutes(app: FastifyInstance) {
  // Published pages are the same for everyone: rendered as for an anonymous reader in the language of the cookie,
  // so that a shared cache can keep them, and never touching a session.
  app.addHook('onRequest', async (req) => {
    // Publications never change once written, so a read replica serves them as well as the primary (a new one shows
    // there as soon as the replica has it).
    if (app.publicOrm) req.em = app.publicOrm.em.fork();
    req.user = null;
    req.sessionId = null;
    req.lang = req.cookies[langCookie] === 'en' ? 'en' : 'vi';
    req.t = translator(req.lang);
  });

  // While the database is away (its restart after a crash), a page already rendered is still served from the cache;
  // anything else goes on to the app's error handler (a 503 page).
  app.setErrorHandler(async (err, req, reply) => {
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      isDatabaseUnavailable(err) &&
      (await renderedPages.sendKept(req, reply))
    )
      return reply;
    throw err;
  });

  await app.register(campaignPage);
  await app.register(unitPage);
  await app.register(methodologyPage);
  await app.register(openData);
  await app.register(surveyPages);
  await app.register(yearPage);
  await app.register(weakPointsPage);
}
