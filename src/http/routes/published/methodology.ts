// How a published campaign was scored: its components, bands, precision and rounding, and the criteria tree.
import type { FastifyInstance } from 'fastify';
import { format, type Dec } from '../../../domain/decimal.ts';
import { compareCriterionCodes, effectiveMaxScores, parentCode } from '../../../domain/scoring.ts';
import { newestPublicationId } from '../../../features/published/campaigns.ts';
import { methodologyOf } from '../../../features/published/methodology.ts';
import { findPublication, publicationDocument } from '../../../features/publication/stored.ts';
import { cacheable, componentLabel, headOf, pageCache, pageTag, publicRoute, renderedPages, short } from './common.ts';

export default async function methodologyPage(app: FastifyInstance) {
  app.get<{ Params: { code: string } }>('/campaigns/:code/methodology', publicRoute, async (req, reply) => {
    const { em, t, lang } = req;
    const pub = await findPublication(em, req.params.code);
    if (!pub) return reply.callNotFound();
    const tag = pageTag('methodology', lang, pub, await newestPublicationId(em), {});
    if (cacheable(req, reply, tag, pageCache, true)) return reply;
    return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
      const doc = await publicationDocument(em, pub.id);
      const c = await methodologyOf(em, pub.campaignId);
      const nodes = c.criteria;
      const parents = new Set(nodes.map((n) => parentCode(n.code)));
      const maxima = effectiveMaxScores(nodes);
      const criteria = nodes
        .sort((a, b) => compareCriterionCodes(a.code, b.code))
        .map((n) => ({
          code: n.code,
          title: n.title,
          depth: n.code.split('.').length - 1,
          parent: parents.has(n.code),
          max: short(format(maxima.get(n.code) ?? (0n as Dec)), lang),
          min: n.minScore < 0n ? short(format(n.minScore), lang) : null,
          kind: n.kind === 'self' ? '' : t(`pub.method.kind.${n.kind}`),
        }));
      const total = nodes
        .filter((n) => parentCode(n.code) === null && n.kind !== 'survey')
        .reduce((s, n) => s + (maxima.get(n.code) ?? 0n), 0n) as Dec;
      const head = headOf(t, doc, pub);
      return reply.renderPage(
        'published/methodology',
        {
          head,
          composition: c.composition.map((p) => ({
            key: p.key,
            label: componentLabel(t, p.key),
            max: short(p.max, lang),
          })),
          bands: c.bands.map((b) => ({
            name: b.name,
            min: short(b.min, lang),
            floor: b.fieldFloorPercent ? short(b.fieldFloorPercent, lang) : null,
          })),
          precision: c.precision,
          rounding: t(`pub.method.rounding.${c.rounding === 'down' ? 'down' : 'half-up'}`),
          set: c.set,
          criteria,
          total: short(format(total), lang),
        },
        { title: t('pub.method.title', { name: doc.campaign.name }) },
      );
    });
  });
}
