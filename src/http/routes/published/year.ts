// A year's index across one organiser's campaigns: "Chỉ số CCHC năm 2025 — UBND tỉnh …", each campaign with its
// blocks, leaders and band counts, linking to each campaign's own page.
import type { FastifyInstance } from 'fastify';
import { precisionOf, type Dec } from '../../../domain/decimal.ts';
import { newestPublicationId } from '../../../features/published/campaigns.ts';
import { publishedYears, yearIndex } from '../../../features/published/year-page.ts';
import { paths } from '../../paths.ts';
import { cacheable, fixed, pageCache, pageTag, publicRoute, renderedPages } from './common.ts';

export default async function yearPage(app: FastifyInstance) {
  app.get<{ Params: { year: string } }>('/years/:year', publicRoute, async (req, reply) => {
    const { em, t, lang } = req;
    if (!/^(19|20|21)\d{2}$/.test(req.params.year)) return reply.callNotFound();
    const year = Number(req.params.year);
    if (!(await publishedYears(em)).some((y) => y.year === year)) return reply.callNotFound();
    const tag = pageTag('year', lang, null, await newestPublicationId(em), { year });
    if (cacheable(req, reply, tag, pageCache, true)) return reply;
    return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
      const organizers = await yearIndex(em, year);
      const view = organizers.map((o) => ({
        organizer: o.organizer,
        title: t('pub.year.title', { year, organizer: o.organizer }),
        campaigns: o.campaigns.map((c) => ({
          name: c.name,
          href: paths.published.campaign(c.code),
          blocks: c.blocks.map((b, i) => ({
            name: b.name,
            href: paths.published.campaign(c.code, { block: i > 0 ? i + 1 : undefined }, 'ranking'),
            units: b.units,
            leaders: b.leaders.map((l) => ({
              name: l.name,
              href: paths.published.unit(c.code, l.code),
              index: fixed(BigInt(Math.round(l.index * 1000)) as Dec, precisionOf(c.precision), lang),
            })),
            bands: b.bands,
            notSubmitted: b.notSubmitted,
          })),
        })),
      }));
      const title = organizers.length === 1 ? view[0]!.title : t('pub.year.titleAll', { year });
      return reply.renderPage('published/year', { year, title, organizers: view }, { title });
    });
  });
}
