// What the published campaign page reads beside its publication: the same units' previous campaign and their ranks.
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows, tables } from '../../db/kysely.ts';
import { dec, type Dec } from '../../domain/decimal.ts';
import type { StoredPublication } from '../publication/stored.ts';

export interface PreviousCampaign {
  id: number;
  code: string;
  name: string;
  year: number;
  precision: number;
  publication_id: number;
}

/**
 * The same units' previous published campaign: the most recent other public campaign of an earlier year whose newest
 * version shares unit codes with this publication.
 */
export async function previousCampaign(
  em: EntityManager,
  pub: StoredPublication,
  year: number,
): Promise<PreviousCampaign | null> {
  const [row] = await em.execute<PreviousCampaign[]>(
    `select c.id, c.code, c.name, c.year, c.precision, p.id as publication_id
       from campaign c
       join lateral (select q.id, q.published_at from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
      where not c.practice and c.id <> ? and c.year < ?
        and exists (select 1 from published_result r join published_result mine on mine.unit_code = r.unit_code and mine.publication_id = ?
                     where r.publication_id = p.id)
      order by c.year desc, p.published_at desc, c.id desc limit 1`,
    [pub.campaignId, year, pub.id],
  );
  return row ?? null;
}

/** Each ranked unit's rank and index in a publication, by unit code; a unit that did not submit has none to compare. */
export async function publishedRanks(
  em: EntityManager,
  publicationId: number,
): Promise<Map<string, { rank: number; index: Dec }>> {
  const ranks = await rows(
    em,
    tables(em)
      .selectFrom('published_result')
      .select(['unit_code', 'rank', 'index'])
      .where('publication_id', '=', publicationId)
      .where('rank', 'is not', null),
  );
  const real = new Map<string, { rank: number; index: Dec }>();
  for (const r of ranks)
    if (r.rank !== null && r.index !== null) real.set(r.unit_code, { rank: r.rank, index: dec(r.index) });
  return real;
}
