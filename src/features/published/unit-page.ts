// What the published unit page reads beside its publication: the unit's frozen detail, its trend, the criteria's titles.
import type { EntityManager } from '@mikro-orm/postgresql';
import { firstRow, rows, tables } from '../../db/kysely.ts';

export interface CriterionDetail {
  max: string;
  applicable: boolean;
  self: string | null;
  score: string | null;
  reason: string | null;
}
export interface PublishedUnitDetail {
  selfPoints: string | null;
  criteria: Record<string, CriterionDetail>;
}

/** A unit's per-criterion detail as published; null when the publication has no such unit. */
export async function publishedUnitDetail(
  em: EntityManager,
  publicationId: number,
  unitCode: string,
): Promise<PublishedUnitDetail | null> {
  const row = await firstRow(
    em,
    tables(em)
      .selectFrom('published_result')
      .select('detail')
      .where('publication_id', '=', publicationId)
      .where('unit_code', '=', unitCode),
  );
  // The detail is JSON written by the publication (features/publication/publish.ts) in this shape.
  return row ? (row.detail as unknown as PublishedUnitDetail) : null;
}

export interface TrendPoint {
  code: string;
  name: string;
  year: number;
  precision: number;
  /** Null, with index and band, in a year the unit did not submit its self-assessment. */
  rank: number | null;
  index: string | null;
  band: string | null;
  /** How many units were ranked that year. */
  total: number;
}

/** The unit's result in the newest version of every public campaign, by year: its rank among how many ranked, index and band (null where it did not submit). */
export async function unitTrend(em: EntityManager, unitCode: string): Promise<TrendPoint[]> {
  return em.execute<TrendPoint[]>(
    `select c.code, c.name, c.year, c.precision, r.rank, r.index::text as index, r.band,
            (select count(*)::int from published_result x where x.publication_id = p.id and x.rank is not null) as total
       from campaign c
       join lateral (select q.id from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
       join published_result r on r.publication_id = p.id and r.unit_code = ?
      where not c.practice
      order by c.year, c.code`,
    [unitCode],
  );
}

/** The titles of a campaign's criteria, by code. */
export async function criterionTitles(em: EntityManager, campaignId: number): Promise<Map<string, string>> {
  const db = tables(em);
  const criteria = await rows(
    em,
    db
      .selectFrom('criterion')
      .select(['code', 'title'])
      .where('criteria_set_id', '=', db.selectFrom('campaign').select('criteria_set_id').where('id', '=', campaignId)),
  );
  return new Map(criteria.map((c) => [c.code, c.title]));
}
