// Weak points read from a frozen publication: one unit's (against its block and its own last year or its
// predecessors') and a campaign's per block. Only published results are read: published_result and results.json.
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows, tables } from '../../db/kysely.ts';
import type { Places } from '../../domain/decimal.ts';
import {
  campaignWeakPoints,
  unitWeakPoints,
  type BlockWeakPoints,
  type PastFields,
  type UnitWeakPoints,
  type WeakUnitInput,
} from '../../domain/weak-points.ts';
import type { ResultsDocument } from '../publication/document.ts';
import { publicationDocument } from '../publication/stored.ts';
import { previousCampaign } from './campaign-page.ts';
import { type PublishedUnitDetail, publishedUnitDetail } from './unit-page.ts';
import type { StoredPublication } from '../publication/stored.ts';

/** How many lost criteria a unit's page and plan list. */
export const weakCriteriaShown = 10;

export interface CriterionText {
  title: string;
  guidance: string;
}

/** The titles and guidance of a campaign's criteria, by code. */
export async function criterionTexts(em: EntityManager, campaignId: number): Promise<Map<string, CriterionText>> {
  const db = tables(em);
  const found = await rows(
    em,
    db
      .selectFrom('criterion')
      .select(['code', 'title', 'guidance'])
      .where('criteria_set_id', '=', db.selectFrom('campaign').select('criteria_set_id').where('id', '=', campaignId)),
  );
  return new Map(found.map((c) => [c.code, { title: c.title, guidance: c.guidance }]));
}

/** The published units of a publication (one block's, when given) with their frozen per-criterion detail. */
async function weakInputs(
  em: EntityManager,
  publicationId: number,
  doc: ResultsDocument,
  block?: string | null,
): Promise<WeakUnitInput[]> {
  let q = tables(em)
    .selectFrom('published_result')
    .select(['unit_code', 'detail'])
    .where('publication_id', '=', publicationId);
  if (block !== undefined) q = block === null ? q.where('block', 'is', null) : q.where('block', '=', block);
  const details = new Map(
    (await rows(em, q)).map((r) => [r.unit_code, (r.detail as unknown as PublishedUnitDetail).criteria ?? {}]),
  );
  return doc.units
    .filter((u) => details.has(u.code))
    .map((u) => ({
      code: u.code,
      name: u.name,
      block: u.block ?? null,
      criteria: details.get(u.code)!,
      fields: u.fields,
    }));
}

/** One unit's frozen per-criterion detail in a publication (empty when it has none). */
async function detailOf(em: EntityManager, publicationId: number, unitCode: string) {
  return (await publishedUnitDetail(em, publicationId, unitCode))?.criteria ?? {};
}

/** The newest public publication of a campaign, by code: its id and year. */
async function newestOf(em: EntityManager, campaignCode: string): Promise<{ id: number; year: number } | null> {
  const [row] = await em.execute<{ id: number; year: number }[]>(
    `select p.id, c.year from publication p join campaign c on c.id = p.campaign_id
      where c.code = ? and not c.practice order by p.version desc limit 1`,
    [campaignCode],
  );
  return row ?? null;
}

export interface UnitWeakPointsPage {
  weak: UnitWeakPoints;
  /** Where the past figures come from: the unit itself last year, or its predecessors. */
  pastKind: 'own' | 'predecessors' | 'none';
}

/**
 * A published unit's weak points in a publication; null when the publication has no such unit or the unit has no
 * scored fields (it did not submit, or is known only by component points).
 */
export async function publishedUnitWeakPoints(
  em: EntityManager,
  pub: StoredPublication,
  unitCode: string,
  places: Places,
  limit = weakCriteriaShown,
): Promise<UnitWeakPointsPage | null> {
  const doc = await publicationDocument(em, pub.id);
  const unit = doc.units.find((u) => u.code === unitCode);
  if (!unit || unit.fields.length === 0) return null;
  const peers = await weakInputs(em, pub.id, doc, unit.block ?? null);
  const me = peers.find((p) => p.code === unitCode);
  if (!me) return null;

  // Its own last year where it was published itself; otherwise (a merger) each predecessor's newest earlier result.
  let past: PastFields[] = [];
  let pastKind: UnitWeakPointsPage['pastKind'] = 'none';
  const previous = await previousCampaign(em, pub, doc.campaign.year);
  if (previous) {
    const was = (await publicationDocument(em, previous.publication_id)).units.find((u) => u.code === unitCode);
    if (was?.fields.length) {
      const criteria = await detailOf(em, previous.publication_id, unitCode);
      past = [{ code: was.code, name: was.name, year: previous.year, fields: was.fields, criteria }];
      pastKind = 'own';
    }
  }
  if (pastKind === 'none' && (unit.predecessors ?? []).length) {
    for (const p of unit.predecessors) {
      const at = p.campaign ? await newestOf(em, p.campaign) : null;
      if (!at) continue;
      const was = (await publicationDocument(em, at.id)).units.find((u) => u.code === p.code);
      const criteria = was?.fields.length ? await detailOf(em, at.id, p.code) : undefined;
      past.push({ code: p.code, name: p.name, year: at.year, fields: was?.fields ?? [], criteria });
    }
    if (past.length) pastKind = 'predecessors';
  }
  return { weak: unitWeakPoints(me, peers, past, { limit, places }), pastKind };
}

/**
 * A publication is frozen: its blocks' weak points are computed once and kept (by the publication's SHA-256, which
 * names its content, and the block), so that every search or page of the ranking does not read every unit's detail
 * again. A few dozen blocks at most are kept.
 */
const blockCache = new Map<string, BlockWeakPoints | null>();
const blockCacheSize = 48;

/** One block's weak points (the campaign's when it has no blocks: `block` null), from one publication. */
export async function publishedBlockWeakPoints(
  em: EntityManager,
  pub: Pick<StoredPublication, 'id' | 'sha256'>,
  block: string | null,
  places: Places,
): Promise<BlockWeakPoints | null> {
  const key = JSON.stringify([pub.sha256, pub.id, block, places]);
  if (blockCache.has(key)) return blockCache.get(key)!;
  const doc = await publicationDocument(em, pub.id);
  const found = campaignWeakPoints(await weakInputs(em, pub.id, doc, block), places)[0] ?? null;
  if (blockCache.size >= blockCacheSize) blockCache.delete(blockCache.keys().next().value!);
  blockCache.set(key, found);
  return found;
}
