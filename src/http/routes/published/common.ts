// What every published page shares: its cache tag and headers, the rendered-page cache, the head of a publication,
// and scores as text. Every page renders from a frozen publication, needs no sign-in and no script, and is cacheable:
// an ETag from what it is drawn from, 304 when unchanged, no cookie.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatIn, formatScore, precisionOf, type Dec, type Places } from '../../../domain/decimal.ts';
import { formatDate } from '../../../domain/dates.ts';
import type { Language } from '../../../domain/language.ts';
import type { ResultsDocument } from '../../../features/publication/document.ts';
import { findPublication, type StoredPublication } from '../../../features/publication/stored.ts';
import type { Translate } from '../../../i18n/catalog.ts';
import { PageCache } from '../../page-cache.ts';
import { viewsDir } from '../../render.ts';
import { paths } from '../../paths.ts';

export const pageCache = 'public, max-age=300';
export const versionedFileCache = 'public, max-age=31536000, immutable';

/** Published pages never change for a tag: rendered and compressed once (32 MB of them at most). */
export const renderedPages = new PageCache(32 * 1024 * 1024);

/**
 * What the pages' markup is made of, hashed once at start: a new template, stylesheet or wording gives new ETags,
 * while every instance running the same code gives the same ones (nothing here depends on the process).
 */
const renderVersion = (() => {
  const hash = createHash('sha256');
  const views = path.join(viewsDir, 'published');
  const routes = import.meta.dirname;
  const files = [
    ...readdirSync(views)
      .sort()
      .map((f) => path.join(views, f)),
    path.join(viewsDir, 'layouts/main.eta'),
    path.resolve(viewsDir, '../public/app.css'),
    path.resolve(routes, '../../../i18n/messages/published.ts'),
    path.resolve(routes, '../../../i18n/messages/core.ts'),
    ...readdirSync(routes)
      .sort()
      .map((f) => path.join(routes, f)),
    path.resolve(routes, '../../charts.ts'),
    path.resolve(routes, '../../weak-points.ts'),
    path.resolve(routes, '../../../i18n/messages/weak.ts'),
    path.join(viewsDir, 'partials/weak-points.eta'),
  ];
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
})();

/** Every route here is public: the session is never looked up (nor a stale cookie cleared), see plugins/auth.ts. */
export const publicRoute = { config: { public: true } };

/** A score in the reader's style with exactly `places` decimals: 96,12 in Vietnamese, 96.12 in English. */
export const fixed = (value: Dec, places: Places, lang: Language): string => formatIn(value, lang, places);

/** A score with as few decimals as it needs (criterion points: 5, 4,25); a dash for none. */
export const short = (value: string | number | null | undefined, lang: Language): string =>
  value === null || value === undefined ? '—' : formatScore(value, lang);

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
export function cacheable(
  req: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  cacheControl: string,
  varyCookie: boolean,
): boolean {
  reply.header('ETag', etag).header('Cache-Control', cacheControl);
  if (varyCookie) reply.header('Vary', 'Cookie');
  if (!notModified(req, etag)) return false;
  reply.code(304).send();
  return true;
}

/**
 * A page's tag: the publication it shows (none for a page of several, which the newest publication then dates), the
 * newest publication anywhere (trends and comparisons), language, query.
 */
export function pageTag(
  kind: string,
  lang: string,
  publication: StoredPublication | null,
  newest: number,
  query: Record<string, string | number | undefined>,
): string {
  const parts = [renderVersion, kind, lang, publication?.sha256 ?? '', newest, JSON.stringify(query)];
  return `W/"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 32)}"`;
}

/** The published campaign addressed by `:code` and `?v=`; null for an unknown code or version, or a practice campaign. */
export async function publicationFor(em: EntityManager, code: string, v: unknown): Promise<StoredPublication | null> {
  if (v === undefined || v === '') return findPublication(em, code);
  if (typeof v !== 'string' || !/^[1-9]\d{0,5}$/.test(v)) return null;
  return findPublication(em, code, Number(v));
}

export function componentLabel(t: Translate, key: string): string {
  const k = `pub.component.${key}` as 'pub.component.appraisal';
  const label = t(k);
  return label === k ? key : label;
}

/** Title, organizer, publication line and version notice: the head of every page of a publication (views/published/_head.eta). */
export function headOf(t: Translate, doc: ResultsDocument, pub: StoredPublication) {
  const decision = pub.decisionNumber.replace(/^\s*quyết định\s*(số)?\s*/i, '').trim();
  const published = t('pub.published', { date: formatDate(doc.publishedAt) });
  let line = published;
  if (pub.imported) {
    line = [published, t('pub.imported'), decision ? t('pub.basis', { decision: pub.decisionNumber }) : '']
      .filter(Boolean)
      .join(' · ');
  } else if (decision) {
    line = `${published} ${pub.decisionDate ? t('pub.decisionDated', { decision, date: formatDate(pub.decisionDate) }) : t('pub.decision', { decision })}`;
  }
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
    base: paths.published.campaign(doc.campaign.code),
    /** Carried by links within this publication, so that an earlier version stays an earlier version. */
    v: pub.version === pub.latestVersion ? undefined : pub.version,
  };
}

/**
 * A unit's change against the previous campaign ("▲ 2 bậc, +1,23"), between two real results only: "—" when the unit
 * had no ranked result then (not assessed, or it did not submit). Differences keep the finer of the two precisions.
 */
export function changeText(
  t: Translate,
  lang: Language,
  was: { rank: number; index: Dec } | undefined,
  now: { rank: number; index: Dec },
  places: Places,
  previousPrecision: number | undefined,
): string {
  if (!was) return t('pub.change.none');
  const deltaPlaces = Math.max(places, precisionOf(previousPrecision ?? 2)) as Places;
  const moved = was.rank - now.rank;
  const rankText =
    moved > 0
      ? t('pub.change.up', { n: moved })
      : moved < 0
        ? t('pub.change.down', { n: -moved })
        : t('pub.change.same');
  const delta = (now.index - was.index) as Dec;
  const deltaText =
    delta > 0n
      ? `+${fixed(delta, deltaPlaces, lang)}`
      : delta < 0n
        ? `−${fixed(-delta as Dec, deltaPlaces, lang)}`
        : fixed(delta, deltaPlaces, lang);
  return `${rankText}, ${deltaText}`;
}
