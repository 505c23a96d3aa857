// The published campaign: its ranking (searchable, sortable, in pages), bands, statistics, versions and open data.
import type { FastifyInstance } from 'fastify';
import { dec, precisionOf, rational, roundRational, type Dec, type Places } from '../../../domain/decimal.ts';
import { formatDate } from '../../../domain/dates.ts';
import type { Language } from '../../../domain/language.ts';
import { compareCriterionCodes } from '../../../domain/scoring.ts';
import { foldDiacritics } from '../../../domain/text.ts';
import { previousCampaign, publishedRanks } from '../../../features/published/campaign-page.ts';
import { newestPublicationId } from '../../../features/published/campaigns.ts';
import { publicationDocument, publicationVersions } from '../../../features/publication/stored.ts';
import { barRows } from '../../charts.ts';
import { paging } from '../../paging.ts';
import {
  cacheable,
  changeText,
  componentLabel,
  fixed,
  headOf,
  pageCache,
  pageTag,
  publicationFor,
  publicRoute,
  renderedPages,
  short,
} from './common.ts';
import { paths } from '../../paths.ts';
import { hasPublishedSurvey } from '../../../features/survey-online/published.ts';
import { criterionTexts, publishedBlockWeakPoints } from '../../../features/published/weak-points.ts';
import { formatIn } from '../../../domain/decimal.ts';
import { criteriaOnCampaignPage } from './weak-points.ts';

const sortKeys = ['index', 'name'] as const;
/** Rows of the ranking per page: a district's communes on one page; a province's or the country's in pages that stay light on 3G. */
export const rankingPageSize = 250;

/** Folds a name for searching: no case, no diacritics, đ as d ("Trực Đạo" → "truc dao"). */
export function foldForSearch(text: string): string {
  return foldDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

const nameCollator = new Intl.Collator('vi');

const queryString = (q: unknown) => (typeof q === 'string' ? q.normalize('NFC').trim().slice(0, 100) : '');

interface Stat {
  label: string;
  max: string;
  mean: string;
  spread: string;
  n: number;
}

/** Average (half up at the campaign's precision) and range of some values. */
function stat(label: string, max: string, values: Dec[], places: Places, lang: Language): Stat {
  if (values.length === 0) return { label, max, mean: '—', spread: '—', n: 0 };
  const total = values.reduce((a, b) => a + b, 0n);
  const mean = roundRational(rational(total, BigInt(values.length) * 1000n), places, 'half-up');
  const lo = values.reduce((a, b) => (b < a ? b : a));
  const hi = values.reduce((a, b) => (b > a ? b : a));
  return {
    label,
    max,
    mean: fixed(mean, places, lang),
    spread: `${fixed(lo, places, lang)} – ${fixed(hi, places, lang)}`,
    n: values.length,
  };
}

export default async function campaignPage(app: FastifyInstance) {
  app.get<{ Params: { code: string }; Querystring: Record<string, unknown> }>(
    '/campaigns/:code',
    publicRoute,
    async (req, reply) => {
      const { em, t, lang } = req;
      const pub = await publicationFor(em, req.params.code, req.query.v);
      if (!pub) return reply.callNotFound();
      const q = queryString(req.query.q);
      const sortParam = typeof req.query.sort === 'string' ? req.query.sort : 'index';
      const pageParam =
        typeof req.query.page === 'string' && /^[1-9]\d{0,4}$/.test(req.query.page) ? Number(req.query.page) : 1;
      const blockParam =
        typeof req.query.block === 'string' && /^[1-9]\d{0,3}$/.test(req.query.block) ? Number(req.query.block) : 1;
      const newest = await newestPublicationId(em);
      const v = pub.version === pub.latestVersion ? undefined : pub.version;
      // The sort is checked against the components below; an unknown one shows the default order, under its own tag.
      const tag = pageTag('campaign', lang, pub, newest, {
        v,
        block: blockParam,
        sort: sortParam,
        q,
        page: pageParam,
      });
      if (cacheable(req, reply, tag, pageCache, true)) return reply;
      return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
        const whole = await publicationDocument(em, pub.id);
        // A campaign in blocks (khối) is read one block at a time: its ranking, band counts, averages and spreads are
        // the block's own (docs/open-data.md). Publications made before blocks have no `block` key.
        const blockNames = [...new Set(whole.units.map((u) => u.block ?? null))].filter((b) => b !== null);
        const blockIndex = blockNames.length ? Math.min(blockParam, blockNames.length) : undefined;
        const block = blockIndex ? blockNames[blockIndex - 1]! : null;
        const doc = block === null ? whole : { ...whole, units: whole.units.filter((u) => u.block === block) };
        const places = precisionOf(doc.campaign.precision);
        const keys = doc.composition.map((c) => c.key);
        const sort =
          (sortKeys as readonly string[]).includes(sortParam) || keys.includes(sortParam) ? sortParam : 'index';
        const head = headOf(t, doc, pub);

        const previous = await previousCampaign(em, pub, doc.campaign.year);
        const before = previous
          ? await publishedRanks(em, previous.publication_id)
          : new Map<string, { rank: number; index: Dec }>();
        // Only where the unit itself was ranked last year; a unit formed since (a merger) is new, whatever it came from.
        const change = (code: string, rank: number, index: Dec, formed: boolean) =>
          !before.has(code) && formed
            ? t('pub.change.newUnit')
            : changeText(t, lang, before.get(code), { rank, index }, places, previous?.precision);

        // Units that did not submit have no result: not ranked, listed apart after the ranking (docs/open-data.md).
        const ranked = doc.units.flatMap((u) =>
          u.rank !== null && u.index !== null ? [{ ...u, rank: u.rank, index: u.index }] : [],
        );
        const all = ranked.map((u) => {
          const index = dec(u.index);
          return {
            rank: u.rank,
            code: u.code,
            name: u.name,
            band: u.band,
            index: fixed(index, places, lang),
            components: keys.map((k) =>
              u.components[k] === undefined ? '—' : fixed(dec(u.components[k]!), places, lang),
            ),
            sortValue: sort === 'index' || sort === 'name' ? 0n : dec(u.components[sort] ?? 0),
            change: previous ? change(u.code, u.rank, index, (u.predecessors ?? []).length > 0) : '',
          };
        });
        const folded = foldForSearch(q);
        const matches = (u: { name: string; code: string }) =>
          !folded || foldForSearch(u.name).includes(folded) || u.code.includes(folded);
        let rows = all.filter(matches);
        const apart = doc.units
          .filter((u) => u.rank === null && matches(u))
          .map((u) => ({ code: u.code, name: u.name }));
        const apartTotal = doc.units.length - ranked.length;
        if (sort === 'name')
          rows = [...rows].sort((a, b) => nameCollator.compare(a.name, b.name) || a.code.localeCompare(b.code));
        else if (sort !== 'index')
          rows = [...rows].sort((a, b) =>
            b.sortValue > a.sortValue ? 1 : b.sortValue < a.sortValue ? -1 : a.rank - b.rank,
          );

        const link = (given: Record<string, string | number | undefined>) => {
          const params: Record<string, string | number | undefined> = {
            block: blockIndex && blockIndex > 1 ? blockIndex : undefined,
            ...given,
          };
          const search = new URLSearchParams();
          for (const [k, val] of Object.entries(params))
            if (val !== undefined && String(val) !== '') search.set(k, String(val));
          const s = search.toString();
          return s ? `?${s}` : head.base;
        };
        const pages = paging(
          rows.length,
          rankingPageSize,
          pageParam,
          (n) => `${link({ v, q, sort: sort === 'index' ? undefined : sort, page: n > 1 ? n : undefined })}#ranking`,
        );
        const columns = [
          { key: 'index', label: t('pub.col.index') },
          ...doc.composition.map((c) => ({ key: c.key, label: componentLabel(t, c.key) })),
        ].map((c) => ({ ...c, href: link({ v, q, sort: c.key === 'index' ? undefined : c.key }) }));

        const bandCounts = doc.bands.map((b) => ({
          name: b.name,
          count: doc.units.filter((u) => u.band === b.name).length,
        }));
        const bandChart = barRows({
          id: 'bands-chart',
          title: t('pub.bands.chart', { list: bandCounts.map((b) => `${b.name} ${b.count}`).join(', ') }),
          rows: bandCounts.map((b) => ({
            label: b.name,
            value: b.count,
            max: ranked.length,
            text: String(b.count),
          })),
          labelWidth: 100,
          textWidth: 40,
        });

        const maxText = (n: number) => short(n, lang);
        const stats: Stat[] = [
          stat(
            t('pub.col.index'),
            '100',
            ranked.map((u) => dec(u.index)),
            places,
            lang,
          ),
          ...doc.composition.map((c) =>
            stat(
              componentLabel(t, c.key),
              maxText(c.max),
              doc.units.flatMap((u) => (u.components[c.key] === undefined ? [] : [dec(u.components[c.key]!)])),
              places,
              lang,
            ),
          ),
        ];
        const fieldList: { code: string; title: string; max: number }[] = [];
        for (const u of doc.units)
          for (const f of u.fields) if (!fieldList.some((x) => x.code === f.code)) fieldList.push(f);
        fieldList.sort((a, b) => compareCriterionCodes(a.code, b.code));
        const fieldStats = fieldList.map((f) =>
          stat(
            `${f.code}. ${f.title}`,
            maxText(f.max),
            doc.units.flatMap((u) =>
              u.fields.filter((x) => x.code === f.code && x.applicableMax > 0).map((x) => dec(x.score)),
            ),
            places,
            lang,
          ),
        );

        const versions = (await publicationVersions(em, pub.campaignId)).map((p) => ({
          version: p.version,
          date: formatDate(p.publishedAt),
          reason: p.correctionReason,
          sha256: p.sha256,
          href: paths.published.campaign(doc.campaign.code, {
            v: p.version === pub.latestVersion ? undefined : p.version,
          }),
          current: p.version === pub.version,
        }));
        const files = (['json', 'csv', 'xlsx'] as const).map((f) => ({
          label: f === 'xlsx' ? 'Excel' : f.toUpperCase(),
          href: paths.published.openData(doc.campaign.code, f, pub.version),
          sha256: f === 'json' ? pub.sha256 : f === 'csv' ? pub.csvSha256 : pub.xlsxSha256,
        }));

        // The block's criteria where most points were lost; the whole picture is on the weak-points page.
        const weak = await publishedBlockWeakPoints(em, pub, block, places);
        const criterionText = await criterionTexts(em, pub.campaignId);
        const weakCriteria = (weak?.criteria ?? []).slice(0, criteriaOnCampaignPage).map((c) => ({
          code: c.code,
          title: criterionText.get(c.code)?.title ?? '',
          share: t('weak.share', { losing: c.losing, units: c.units, share: formatIn(c.share, lang) }),
          averageLost: formatIn(c.averageLost, lang),
        }));

        return reply.renderPage(
          'published/campaign',
          {
            head,
            surveyLink: await hasPublishedSurvey(em, doc.campaign.code),
            files,
            previousSha256: pub.previousSha256,
            latestAddress: paths.published.openData(doc.campaign.code, 'json'),
            bandCounts,
            bandChart,
            columns,
            sort,
            q,
            v,
            rows: rows.slice(pages.from - 1, pages.to),
            block,
            blocks: blockNames.map((name, i) => ({
              name,
              count: whole.units.filter((u) => u.block === name).length,
              href: `${link({ block: i > 0 ? i + 1 : undefined, q: undefined })}#ranking`,
              current: name === block,
            })),
            found: rows.length,
            apart,
            apartTotal,
            total: all.length,
            paging: pages,
            unitHref: (code: string) => paths.published.unit(doc.campaign.code, code, { v: head.v }),
            nameHref: link({ v, q, sort: 'name' }),
            clearHref: link({ v, sort: sort === 'index' ? undefined : sort }),
            previous: previous ? { code: previous.code, name: previous.name, year: previous.year } : null,
            stats,
            fieldStats,
            versions,
            weakCriteria,
            weakHref: paths.published.weakPoints(doc.campaign.code, {
              v,
              block: blockIndex && blockIndex > 1 ? blockIndex : undefined,
            }),
          },
          { title: doc.campaign.name },
        );
      });
    },
  );
}
