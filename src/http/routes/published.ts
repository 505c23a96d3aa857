// The public index that citizens read: a published campaign, one unit's results, the methodology, and the open data.
// Every page renders from a frozen publication (its results.json and published_result rows), never from live scores,
// needs no sign-in and no script, and is cacheable: an ETag from what it is drawn from, 304 when unchanged, no cookie.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dec, format, formatIn, formatScore, precisionOf, rational, roundRational, type Dec, type Places } from '../../domain/decimal.ts';
import type { Language } from '../../domain/language.ts';
import { foldDiacritics } from '../../domain/text.ts';
import { compareCriterionCodes, effectiveMaxScores, parentCode, type CriterionNode } from '../../domain/scoring.ts';
import type { ResultsDocument } from '../../features/publication/document.ts';
import {
  findPublication, mediaTypes, publicationDocument, publicationFile, publicationVersions, type OpenDataFormat, type StoredPublication,
} from '../../features/publication/stored.ts';
import { barRows, lineChart } from '../charts.ts';
import { formatDate } from '../../domain/dates.ts';
import { translator, type Translate } from '../../i18n/catalog.ts';
import { PageCache } from '../page-cache.ts';
import { paging } from '../paging.ts';
import { isDatabaseUnavailable } from '../unavailable.ts';
import { langCookie, viewsDir } from '../render.ts';

const pageCache = 'public, max-age=300';
const versionedFileCache = 'public, max-age=31536000, immutable';
const sortKeys = ['index', 'name'] as const;
/** Rows of the ranking per page: a district's communes on one page; a province's or the country's in pages that stay light on 3G. */
export const rankingPageSize = 250;

/** Published pages never change for a tag: rendered and compressed once (32 MB of them at most). */
const renderedPages = new PageCache(32 * 1024 * 1024);

/**
 * What the pages' markup is made of, hashed once at start: a new template, stylesheet or wording gives new ETags,
 * while every instance running the same code gives the same ones (nothing here depends on the process).
 */
const renderVersion = (() => {
  const hash = createHash('sha256');
  const dir = path.join(viewsDir, 'published');
  const files = [
    ...readdirSync(dir).sort().map((f) => path.join(dir, f)),
    path.join(viewsDir, 'layouts/main.eta'),
    path.resolve(viewsDir, '../public/app.css'),
    path.resolve(import.meta.dirname, '../../i18n/messages/published.ts'),
    path.resolve(import.meta.dirname, '../../i18n/messages/core.ts'),
    import.meta.filename,
    path.resolve(import.meta.dirname, '../charts.ts'),
  ];
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
})();

/** Folds a name for searching: no case, no diacritics, đ as d ("Trực Đạo" → "truc dao"). */
export function foldForSearch(text: string): string {
  return foldDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

const nameCollator = new Intl.Collator('vi');

/** A score in the reader's style with exactly `places` decimals: 96,12 in Vietnamese, 96.12 in English. */
const fixed = (value: Dec, places: Places, lang: Language): string => formatIn(value, lang, places);

/** A score with as few decimals as it needs (criterion points: 5, 4,25); a dash for none. */
const short = (value: string | number | null | undefined, lang: Language): string => (value === null || value === undefined ? '—' : formatScore(value, lang));

/** If-None-Match against our tag, weakly (a weak and a strong tag of the same value match), or `*`. */
function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/**
 * Caching headers for a published page or file; true when the reader already has it (a 304 has been sent).
 * Pages are in the reader's language, chosen by a cookie: hence Vary: Cookie.
 */
function cacheable(req: FastifyRequest, reply: FastifyReply, etag: string, cacheControl: string, varyCookie: boolean): boolean {
  reply.header('ETag', etag).header('Cache-Control', cacheControl);
  if (varyCookie) reply.header('Vary', 'Cookie');
  if (!notModified(req, etag)) return false;
  reply.code(304).send();
  return true;
}

/** A page's tag: the publication it shows, the newest publication anywhere (trends and comparisons), language, query. */
function pageTag(kind: string, lang: string, publication: StoredPublication, newest: number, query: Record<string, string | number | undefined>): string {
  const parts = [renderVersion, kind, lang, publication.sha256, newest, JSON.stringify(query)];
  return `W/"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 32)}"`;
}

/** The id of the newest public publication: any new version anywhere can change a trend or a comparison. */
async function newestPublicationId(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ id: number | null }[]>(
    'select max(p.id) as id from publication p join campaign c on c.id = p.campaign_id where not c.practice');
  return row?.id ?? 0;
}

/** The published campaign addressed by `:code` and `?v=`; null for an unknown code or version, or a practice campaign. */
async function publicationFor(em: EntityManager, code: string, v: unknown): Promise<StoredPublication | null> {
  if (v === undefined || v === '') return findPublication(em, code);
  if (typeof v !== 'string' || !/^[1-9]\d{0,5}$/.test(v)) return null;
  return findPublication(em, code, Number(v));
}

const queryString = (q: unknown) => (typeof q === 'string' ? q.normalize('NFC').trim().slice(0, 100) : '');

function componentLabel(t: Translate, key: string): string {
  const k = `pub.component.${key}` as 'pub.component.appraisal';
  const label = t(k);
  return label === k ? key : label;
}

/** Title, organizer, publication line and version notice: the head of every page of a publication. */
function headOf(t: Translate, doc: ResultsDocument, pub: StoredPublication) {
  const decision = pub.decisionNumber.replace(/^\s*quyết định\s*(số)?\s*/i, '').trim();
  const published = t('pub.published', { date: formatDate(doc.publishedAt) });
  let line = published;
  if (pub.imported) {
    line = [published, t('pub.imported'), decision ? t('pub.basis', { decision: pub.decisionNumber }) : ''].filter(Boolean).join(' · ');
  } else if (decision) {
    line = `${published} ${pub.decisionDate ? t('pub.decisionDated', { decision, date: formatDate(pub.decisionDate) }) : t('pub.decision', { decision })}`;
  }
  const base = `/campaigns/${doc.campaign.code}`;
  return {
    code: doc.campaign.code,
    name: doc.campaign.name,
    year: doc.campaign.year,
    organizer: doc.campaign.organizer,
    line,
    version: pub.version,
    latestVersion: pub.latestVersion,
    isLatest: pub.version === pub.latestVersion,
    correction: pub.correctionReason,
    base,
    /** Appended to links within this publication, so that an earlier version stays an earlier version. */
    vq: pub.version === pub.latestVersion ? '' : `?v=${pub.version}`,
  };
}

interface PreviousCampaign { id: number; code: string; name: string; year: number; precision: number; publication_id: number }

/**
 * The same units' previous published campaign: the most recent other public campaign of an earlier year whose newest
 * version shares unit codes with this publication.
 */
async function previousCampaign(em: EntityManager, pub: StoredPublication, year: number): Promise<PreviousCampaign | null> {
  const [row] = await em.execute<PreviousCampaign[]>(
    `select c.id, c.code, c.name, c.year, c.precision, p.id as publication_id
       from campaign c
       join lateral (select q.id, q.published_at from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
      where not c.practice and c.id <> ? and c.year < ?
        and exists (select 1 from published_result r join published_result mine on mine.unit_code = r.unit_code and mine.publication_id = ?
                     where r.publication_id = p.id)
      order by c.year desc, p.published_at desc, c.id desc limit 1`, [pub.campaignId, year, pub.id]);
  return row ?? null;
}

interface Stat { label: string; max: string; mean: string; spread: string; n: number }

/** Average (half up at the campaign's precision) and range of some values. */
function stat(label: string, max: string, values: Dec[], places: Places, lang: Language): Stat {
  if (values.length === 0) return { label, max, mean: '—', spread: '—', n: 0 };
  const total = values.reduce((a, b) => a + b, 0n);
  const mean = roundRational(rational(total, BigInt(values.length) * 1000n), places, 'half-up');
  const lo = values.reduce((a, b) => (b < a ? b : a));
  const hi = values.reduce((a, b) => (b > a ? b : a));
  return { label, max, mean: fixed(mean, places, lang), spread: `${fixed(lo, places, lang)} – ${fixed(hi, places, lang)}`, n: values.length };
}

/** Every route here is public: the session is never looked up (nor a stale cookie cleared), see plugins/auth.ts. */
const publicRoute = { config: { public: true } };

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
    if ((req.method === 'GET' || req.method === 'HEAD') && isDatabaseUnavailable(err) && (await renderedPages.sendKept(req, reply))) return reply;
    throw err;
  });

  app.get<{ Params: { code: string }; Querystring: Record<string, unknown> }>('/campaigns/:code', publicRoute, async (req, reply) => {
    const { em, t, lang } = req;
    const pub = await publicationFor(em, req.params.code, req.query.v);
    if (!pub) return reply.callNotFound();
    const q = queryString(req.query.q);
    const sortParam = typeof req.query.sort === 'string' ? req.query.sort : 'index';
    const pageParam = typeof req.query.page === 'string' && /^[1-9]\d{0,4}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const newest = await newestPublicationId(em);
    const v = pub.version === pub.latestVersion ? undefined : pub.version;
    // The sort is checked against the components below; an unknown one shows the default order, under its own tag.
    const tag = pageTag('campaign', lang, pub, newest, { v, sort: sortParam, q, page: pageParam });
    if (cacheable(req, reply, tag, pageCache, true)) return reply;
    return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {

      const doc = await publicationDocument(em, pub.id);
      const places = precisionOf(doc.campaign.precision);
      const keys = doc.composition.map((c) => c.key);
      const sort = (sortKeys as readonly string[]).includes(sortParam) || keys.includes(sortParam) ? sortParam : 'index';
      const head = headOf(t, doc, pub);

      const previous = await previousCampaign(em, pub, doc.campaign.year);
      const before = new Map<string, { rank: number; index: Dec }>();
      if (previous) {
        const rows = await em.execute<{ unit_code: string; rank: number; index: string }[]>(
          'select unit_code, rank, index::text as index from published_result where publication_id = ?', [previous.publication_id]);
        for (const r of rows) before.set(r.unit_code, { rank: r.rank, index: dec(r.index) });
      }
      const deltaPlaces = Math.max(places, precisionOf(previous?.precision ?? 2)) as Places;
      const change = (code: string, rank: number, index: Dec) => {
        const was = before.get(code);
        if (!was) return t('pub.change.none');
        const moved = was.rank - rank;
        const rankText = moved > 0 ? t('pub.change.up', { n: moved }) : moved < 0 ? t('pub.change.down', { n: -moved }) : t('pub.change.same');
        const delta = (index - was.index) as Dec;
        const deltaText = delta > 0n ? `+${fixed(delta, deltaPlaces, lang)}` : delta < 0n ? `−${fixed((-delta) as Dec, deltaPlaces, lang)}` : fixed(delta, deltaPlaces, lang);
        return `${rankText}, ${deltaText}`;
      };

      const all = doc.units.map((u) => {
        const index = dec(u.index);
        return {
          rank: u.rank, code: u.code, name: u.name, band: u.band, index: fixed(index, places, lang),
          components: keys.map((k) => (u.components[k] === undefined ? '—' : fixed(dec(u.components[k]!), places, lang))),
          sortValue: sort === 'index' || sort === 'name' ? 0n : dec(u.components[sort] ?? 0),
          change: previous ? change(u.code, u.rank, index) : '',
        };
      });
      const folded = foldForSearch(q);
      let rows = folded ? all.filter((u) => foldForSearch(u.name).includes(folded) || u.code.includes(folded)) : all;
      if (sort === 'name') rows = [...rows].sort((a, b) => nameCollator.compare(a.name, b.name) || a.code.localeCompare(b.code));
      else if (sort !== 'index') rows = [...rows].sort((a, b) => (b.sortValue > a.sortValue ? 1 : b.sortValue < a.sortValue ? -1 : a.rank - b.rank));

      const link = (params: Record<string, string | number | undefined>) => {
        const search = new URLSearchParams();
        for (const [k, val] of Object.entries(params)) if (val !== undefined && val !== '') search.set(k, String(val));
        const s = search.toString();
        return s ? `?${s}` : head.base;
      };
      const pages = paging(rows.length, rankingPageSize, pageParam, (n) => `${link({ v, q, sort: sort === 'index' ? undefined : sort, page: n > 1 ? n : undefined })}#ranking`);
      const columns = [
        { key: 'index', label: t('pub.col.index') },
        ...doc.composition.map((c) => ({ key: c.key, label: componentLabel(t, c.key) })),
      ].map((c) => ({ ...c, href: link({ v, q, sort: c.key === 'index' ? undefined : c.key }) }));

      const bandCounts = doc.bands.map((b) => ({ name: b.name, count: doc.units.filter((u) => u.band === b.name).length }));
      const bandChart = barRows({
        id: 'bands-chart',
        title: t('pub.bands.chart', { list: bandCounts.map((b) => `${b.name} ${b.count}`).join(', ') }),
        rows: bandCounts.map((b) => ({ label: b.name, value: b.count, max: doc.units.length, text: String(b.count) })),
        labelWidth: 100, textWidth: 40,
      });

      const maxText = (n: number) => short(n, lang);
      const stats: Stat[] = [
        stat(t('pub.col.index'), '100', doc.units.map((u) => dec(u.index)), places, lang),
        ...doc.composition.map((c) => stat(componentLabel(t, c.key), maxText(c.max), doc.units.flatMap((u) => (u.components[c.key] === undefined ? [] : [dec(u.components[c.key]!)])), places, lang)),
      ];
      const fieldList: { code: string; title: string; max: number }[] = [];
      for (const u of doc.units) for (const f of u.fields) if (!fieldList.some((x) => x.code === f.code)) fieldList.push(f);
      fieldList.sort((a, b) => compareCriterionCodes(a.code, b.code));
      const fieldStats = fieldList.map((f) => stat(`${f.code}. ${f.title}`, maxText(f.max),
        doc.units.flatMap((u) => u.fields.filter((x) => x.code === f.code && x.applicableMax > 0).map((x) => dec(x.score))), places, lang));

      const versions = (await publicationVersions(em, pub.campaignId)).map((p) => ({
        version: p.version, date: formatDate(p.publishedAt), reason: p.correctionReason, sha256: p.sha256,
        href: p.version === pub.latestVersion ? head.base : `${head.base}?v=${p.version}`, current: p.version === pub.version,
      }));
      const files = (['json', 'csv', 'xlsx'] as const).map((f) => ({
        label: f === 'xlsx' ? 'Excel' : f.toUpperCase(),
        href: `/open-data/${doc.campaign.code}/v/${pub.version}/results.${f}`,
        sha256: f === 'json' ? pub.sha256 : f === 'csv' ? pub.csvSha256 : pub.xlsxSha256,
      }));

      return reply.renderPage('published/campaign', {
        head, files, previousSha256: pub.previousSha256, latestAddress: `/open-data/${doc.campaign.code}/results.json`,
        bandCounts, bandChart, columns, sort, q, v, rows: rows.slice(pages.from - 1, pages.to), found: rows.length, total: all.length, paging: pages, unitHref: (code: string) => `${head.base}/units/${code}${head.vq}`,
        nameHref: link({ v, q, sort: 'name' }), clearHref: link({ v, sort: sort === 'index' ? undefined : sort }),
        previous: previous ? { code: previous.code, name: previous.name, year: previous.year } : null,
        stats, fieldStats, versions,
      }, { title: doc.campaign.name });
    });
  });

  app.get<{ Params: { code: string; unit: string }; Querystring: Record<string, unknown> }>('/campaigns/:code/units/:unit', publicRoute, async (req, reply) => {
    const { em, t, lang } = req;
    const pub = await publicationFor(em, req.params.code, req.query.v);
    if (!pub) return reply.callNotFound();
    const [row] = await em.execute<{ detail: { selfPoints: string | null; criteria: Record<string, CriterionDetail> } }[]>(
      'select detail from published_result where publication_id = ? and unit_code = ?', [pub.id, req.params.unit]);
    if (!row) return reply.callNotFound();
    const v = pub.version === pub.latestVersion ? undefined : pub.version;
    const newest = await newestPublicationId(em);
    const tag = pageTag('unit', lang, pub, newest, { v, unit: req.params.unit });
    if (cacheable(req, reply, tag, pageCache, true)) return reply;
    return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {

      const doc = await publicationDocument(em, pub.id);
      const unit = doc.units.find((u) => u.code === req.params.unit)!;
      const places = precisionOf(doc.campaign.precision);
      const head = headOf(t, doc, pub);

      const trendRows = await em.execute<{ code: string; name: string; year: number; precision: number; rank: number; index: string; band: string; total: number }[]>(
        `select c.code, c.name, c.year, c.precision, r.rank, r.index::text as index, r.band,
                (select count(*)::int from published_result x where x.publication_id = p.id) as total
           from campaign c
           join lateral (select q.id from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
           join published_result r on r.publication_id = p.id and r.unit_code = ?
          where not c.practice
          order by c.year, c.code`, [unit.code]);
      const trend = trendRows.map((r) => ({
        ...r, indexText: fixed(dec(r.index), precisionOf(r.precision), lang), current: r.code === doc.campaign.code,
      }));
      const trendChart = lineChart({
        id: 'trend-chart',
        title: t('pub.unit.trend.chart', { unit: unit.name, list: trend.map((r) => `${r.year}: ${r.indexText}`).join(', ') }),
        points: trend.map((r) => ({ label: String(r.year), value: Number(r.index), text: r.indexText })),
      });

      const titles = new Map((await em.execute<{ code: string; title: string; kind: string }[]>(
        'select code, title, kind from criterion where criteria_set_id = (select criteria_set_id from campaign where id = ?)', [pub.campaignId]))
        .map((c) => [c.code, c]));
      const criteria = row.detail.criteria ?? {};
      const codes = Object.keys(criteria).sort(compareCriterionCodes);
      const isParent = new Set(codes.map(parentCode).filter((c): c is string => c !== null));
      const fields = unit.fields.map((f) => {
        const beneath = codes.filter((c) => c.startsWith(`${f.code}.`)).map((code) => {
          const c = criteria[code]!;
          const leaf = !isParent.has(code);
          const differs = leaf && c.applicable && c.self !== null && c.score !== null && dec(c.self) !== dec(c.score);
          return {
            code, title: titles.get(code)?.title ?? '', depth: code.split('.').length - 2, leaf, applicable: c.applicable,
            max: short(c.max, lang), self: short(c.self, lang), score: short(c.score, lang), differs, reason: differs ? c.reason ?? '' : '',
          };
        });
        return {
          code: f.code, title: f.title, score: short(f.score, lang), max: short(f.applicableMax, lang), self: short(f.selfScore, lang),
          applicable: f.applicableMax > 0, criteria: beneath, differences: beneath.filter((c) => c.differs).length,
        };
      });
      const fieldChart = unit.fields.length === 0 ? '' : barRows({
        id: 'fields-chart',
        title: t('pub.unit.fields.chart', { list: fields.map((f) => `${f.code}: ${f.score} / ${f.max}`).join(', ') }),
        rows: unit.fields.map((f, i) => ({ label: f.code, value: f.score, max: f.applicableMax, text: `${fields[i]!.score} / ${fields[i]!.max}` })),
        labelWidth: 40, textWidth: 90,
      });

      return reply.renderPage('published/unit', {
        head, unit: {
          code: unit.code, name: unit.name, rank: unit.rank, total: doc.units.length, band: unit.band, index: fixed(dec(unit.index), places, lang),
          points: unit.points === null ? null : short(unit.points, lang), applicableMax: unit.applicableMax === null ? null : short(unit.applicableMax, lang),
          components: doc.composition.map((c) => ({
            label: componentLabel(t, c.key), max: short(c.max, lang),
            value: unit.components[c.key] === undefined ? '—' : fixed(dec(unit.components[c.key]!), places, lang),
          })),
        },
        trend, trendChart, fields, fieldChart,
      }, { title: `${unit.name} · ${doc.campaign.name}` });
    });
  });

  app.get<{ Params: { code: string } }>('/campaigns/:code/methodology', publicRoute, async (req, reply) => {
    const { em, t, lang } = req;
    const pub = await findPublication(em, req.params.code);
    if (!pub) return reply.callNotFound();
    const tag = pageTag('methodology', lang, pub, await newestPublicationId(em), {});
    if (cacheable(req, reply, tag, pageCache, true)) return reply;
    return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
      const doc = await publicationDocument(em, pub.id);
      const [c] = await em.execute<{ composition: { key: string; max: string }[]; bands: { name: string; min: string; fieldFloorPercent?: string }[]; precision: number; rounding: string; set_name: string; set_decision: string; criteria_set_id: number }[]>(
        `select c.composition, c.bands, c.precision, c.rounding, s.name as set_name, s.decision as set_decision, c.criteria_set_id
           from campaign c join criteria_set s on s.id = c.criteria_set_id where c.id = ?`, [pub.campaignId]);
      const rows = await em.execute<{ code: string; title: string; max_score: string; min_score: string; kind: CriterionNode['kind'] }[]>(
        'select code, title, max_score, min_score, kind from criterion where criteria_set_id = ?', [c!.criteria_set_id]);
      const parents = new Set(rows.map((r) => parentCode(r.code)));
      const nodes: CriterionNode[] = rows.map((r) => ({
        code: r.code, title: r.title, kind: r.kind, minScore: dec(r.min_score), maxScore: parents.has(r.code) ? null : dec(r.max_score),
      }));
      const maxima = effectiveMaxScores(nodes);
      const criteria = nodes.sort((a, b) => compareCriterionCodes(a.code, b.code)).map((n) => ({
        code: n.code, title: n.title, depth: n.code.split('.').length - 1, parent: parents.has(n.code),
        max: short(format(maxima.get(n.code) ?? 0n as Dec), lang), min: n.minScore < 0n ? short(format(n.minScore), lang) : null,
        kind: n.kind === 'self' ? '' : t(`pub.method.kind.${n.kind}`),
      }));
      const total = nodes.filter((n) => parentCode(n.code) === null && n.kind !== 'survey').reduce((s, n) => s + (maxima.get(n.code) ?? 0n), 0n) as Dec;
      const head = headOf(t, doc, pub);
      return reply.renderPage('published/methodology', {
        head,
        composition: c!.composition.map((p) => ({ key: p.key, label: componentLabel(t, p.key), max: short(p.max, lang) })),
        bands: c!.bands.map((b) => ({ name: b.name, min: short(b.min, lang), floor: b.fieldFloorPercent ? short(b.fieldFloorPercent, lang) : null })),
        precision: c!.precision, rounding: t(`pub.method.rounding.${c!.rounding === 'down' ? 'down' : 'half-up'}`),
        set: { name: c!.set_name, decision: c!.set_decision }, criteria, total: short(format(total), lang),
      }, { title: t('pub.method.title', { name: doc.campaign.name }) });
    });
  });

  // Open data (docs/open-data.md): the stored bytes, as they were hashed, at stable addresses.
  const sendFile = async (req: FastifyRequest, reply: FastifyReply, pub: StoredPublication | null, format: string, versioned: boolean) => {
    if (!pub || !(format === 'json' || format === 'csv' || format === 'xlsx')) return reply.callNotFound();
    const f = format as OpenDataFormat;
    const sha = f === 'json' ? pub.sha256 : f === 'csv' ? pub.csvSha256 : pub.xlsxSha256;
    reply.header('Content-Disposition', `attachment; filename="${pub.campaignCode}-v${pub.version}-results.${f}"`);
    if (cacheable(req, reply, `"${sha}"`, versioned ? versionedFileCache : pageCache, false)) return reply;
    return reply.type(mediaTypes[f]).send(await publicationFile(req.em, pub.id, f));
  };
  app.get<{ Params: { code: string; format: string } }>('/open-data/:code/results.:format', publicRoute, async (req, reply) =>
    sendFile(req, reply, await findPublication(req.em, req.params.code), req.params.format, false));
  app.get<{ Params: { code: string; version: string; format: string } }>('/open-data/:code/v/:version/results.:format', publicRoute, async (req, reply) =>
    sendFile(req, reply, await publicationFor(req.em, req.params.code, req.params.version), req.params.format, true));
}

interface CriterionDetail { max: string; applicable: boolean; self: string | null; score: string | null; reason: string | null }
