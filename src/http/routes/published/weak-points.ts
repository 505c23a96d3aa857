// A campaign's weak points across its units, one block at a time: the criteria ranked by points lost, each field's
// average achievement (small multiples) and the units × fields heat map in pages, all from the frozen publication.
import type { FastifyInstance } from 'fastify';
import { formatIn, precisionOf } from '../../../domain/decimal.ts';
import { newestPublicationId } from '../../../features/published/campaigns.ts';
import { criterionTexts, publishedBlockWeakPoints } from '../../../features/published/weak-points.ts';
import { publicationDocument } from '../../../features/publication/stored.ts';
import { paging } from '../../paging.ts';
import { paths } from '../../paths.ts';
import { fieldMultiples, heatMap } from '../../weak-points.ts';
import { cacheable, headOf, pageCache, pageTag, publicationFor, publicRoute, renderedPages } from './common.ts';

/** Units per page of the heat map: a phone downloads a few kilobytes of SVG at a time. */
export const heatPageSize = 40;
/** Criteria listed on the weak-points page; the campaign page shows the first few. */
export const criteriaListed = 30;
export const criteriaOnCampaignPage = 5;

const positive = (q: unknown) => (typeof q === 'string' && /^[1-9]\d{0,4}$/.test(q) ? Number(q) : 1);

export default async function weakPointsPage(app: FastifyInstance) {
  app.get<{ Params: { code: string }; Querystring: Record<string, unknown> }>(
    '/campaigns/:code/weak-points',
    publicRoute,
    async (req, reply) => {
      const { em, t, lang } = req;
      const pub = await publicationFor(em, req.params.code, req.query.v);
      if (!pub) return reply.callNotFound();
      const blockParam = positive(req.query.block);
      const pageParam = positive(req.query.page);
      const v = pub.version === pub.latestVersion ? undefined : pub.version;
      const newest = await newestPublicationId(em);
      const tag = pageTag('weak-points', lang, pub, newest, { v, block: blockParam, page: pageParam });
      if (cacheable(req, reply, tag, pageCache, true)) return reply;
      return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
        const doc = await publicationDocument(em, pub.id);
        const head = headOf(t, doc, pub);
        const blockNames = [...new Set(doc.units.map((u) => u.block ?? null))].filter((b) => b !== null);
        const blockIndex = blockNames.length ? Math.min(blockParam, blockNames.length) : undefined;
        const block = blockIndex ? blockNames[blockIndex - 1]! : null;
        const places = precisionOf(doc.campaign.precision);
        const weak = await publishedBlockWeakPoints(em, pub, block, places);
        const texts = await criterionTexts(em, pub.campaignId);
        const num = (d: bigint) => formatIn(d as never, lang);
        const blockArg = blockIndex && blockIndex > 1 ? blockIndex : undefined;
        const pages = paging(weak?.heat.length ?? 0, heatPageSize, pageParam, (n) =>
          paths.published.weakPoints(doc.campaign.code, { v, block: blockArg, page: n > 1 ? n : undefined }, 'heat'),
        );
        const fieldCodes = weak?.fields.map((f) => f.code) ?? [];
        return reply.renderPage(
          'published/weak-points',
          {
            head,
            block,
            blocks: blockNames.map((name, i) => ({
              name,
              href: paths.published.weakPoints(doc.campaign.code, { v, block: i > 0 ? i + 1 : undefined }),
              current: name === block,
            })),
            units: weak?.units ?? 0,
            criteria: (weak?.criteria ?? []).slice(0, criteriaListed).map((c) => ({
              code: c.code,
              title: texts.get(c.code)?.title ?? '',
              max: num(c.max),
              share: t('weak.share', { losing: c.losing, units: c.units, share: num(c.share) }),
              averageLost: num(c.averageLost),
            })),
            criteriaLosing: weak?.criteria.length ?? 0,
            fieldsChart: weak?.fields.length ? fieldMultiples(t, lang, 'fields-multiples', weak.fields) : '',
            heatChart:
              weak && fieldCodes.length && pages.total
                ? heatMap(t, lang, 'heat-map', fieldCodes, weak.heat.slice(pages.from - 1, pages.to), pages.from)
                : '',
            fieldLegend: (weak?.fields ?? []).map((f) => `${f.code}. ${f.title}`),
            paging: pages,
            unitHref: (code: string) => paths.published.unit(doc.campaign.code, code, { v }),
          },
          { title: t('weak.province.title', { campaign: doc.campaign.name }) },
        );
      });
    },
  );
}
