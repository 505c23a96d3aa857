// What a unit sees of its own published result in its workspace: the index, band and rank, and each criterion the
// appraisers scored differently from the unit (or gave a reason for), from the latest publication.
import type { EntityManager } from '@mikro-orm/postgresql';
import { criterionTitles, publishedUnitDetail } from '../published/unit-page.ts';

export interface PublishedCriterionRow {
  code: string;
  title: string;
  self: string | null;
  score: string | null;
  applicable: boolean;
  reason: string | null;
}

export interface UnitPublishedResult {
  version: number;
  /** Null, with index and band, when the unit did not submit its self-assessment (a state, not a score). */
  rank: number | null;
  /** The units ranked in its block (in the campaign when it has no blocks). */
  units: number;
  block: string | null;
  index: string | null;
  band: string | null;
  points: string | null;
  selfPoints: string | null;
  /** The leaves whose appraised score differs from the unit's own, or that carry the appraisers' reason. */
  changed: PublishedCriterionRow[];
  leaves: number;
}

/** The unit's result in the campaign's latest publication, or null when the campaign is not published or lacks the unit. */
export async function unitPublishedResult(
  em: EntityManager,
  campaignId: number,
  unitCode: string,
): Promise<UnitPublishedResult | null> {
  const [row] = await em.execute<
    {
      publication_id: number;
      version: number;
      rank: number | null;
      index: string | null;
      band: string | null;
      block: string | null;
      points: string | null;
      units: number;
    }[]
  >(
    `select p.id as publication_id, p.version, r.rank, r.index::text as index, r.band, r.block, r.points::text as points,
            (select count(*)::int from published_result x
              where x.publication_id = p.id and x.rank is not null and x.block is not distinct from r.block) as units
       from publication p join published_result r on r.publication_id = p.id and r.unit_code = ?
      where p.campaign_id = ? order by p.version desc limit 1`,
    [unitCode, campaignId],
  );
  if (!row) return null;
  const detail = await publishedUnitDetail(em, row.publication_id, unitCode);
  if (!detail) return null;
  const titles = await criterionTitles(em, campaignId);
  const codes = Object.keys(detail.criteria);
  const leaves = codes.filter((code) => !codes.some((other) => other.startsWith(`${code}.`)));
  const changed = leaves
    .map((code) => ({ code, ...detail.criteria[code]!, title: titles.get(code) ?? '' }))
    .filter((c) => (c.reason ?? '').trim() !== '' || (c.applicable && c.self !== null && c.self !== c.score))
    .sort((a, b) => compareCodes(a.code, b.code))
    .map((c) => ({
      code: c.code,
      title: c.title,
      self: c.self,
      score: c.score,
      applicable: c.applicable,
      reason: c.reason,
    }));
  return {
    version: row.version,
    rank: row.rank,
    units: row.units,
    block: row.block,
    index: row.index,
    band: row.band,
    points: row.points,
    selfPoints: detail.selfPoints,
    changed,
    leaves: leaves.length,
  };
}

/** Dotted codes in their natural order: 1.2 before 1.10. */
function compareCodes(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}
