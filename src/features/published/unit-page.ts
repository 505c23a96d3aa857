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

export interface Successor {
  code: string;
  name: string;
  /** ISO date from which it exists; null when not recorded. */
  existsFrom: string | null;
  /** Its newest public publication, to link to; null while it has none. */
  campaignCode: string | null;
}

/**
 * The units that continue `unitCode` (it was merged into them, or renamed as them), in Vietnamese order, each with the
 * newest public campaign that published it: a former commune's page says what it became.
 */
export async function successorsOf(em: EntityManager, unitCode: string): Promise<Successor[]> {
  return em.execute<Successor[]>(
    `select s.code, s.name, to_char(s.exists_from, 'YYYY-MM-DD') as "existsFrom",
            (select c.code from published_result r join publication p on p.id = r.publication_id
               join campaign c on c.id = p.campaign_id
              where r.unit_code = s.code and not c.practice order by c.year desc, p.version desc limit 1) as "campaignCode"
       from unit_predecessor up
       join unit s on s.id = up.unit_id
       join unit f on f.id = up.predecessor_id
      where f.code = ?
      order by s.name collate "vi-x-icu", s.code`,
    [unitCode],
  );
}
