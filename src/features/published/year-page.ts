// One organiser's index of one year across its campaigns (the departments' and the communes' campaigns, each with its
// own criteria set), read from their newest publications: per campaign and block, the units, leaders and band counts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { publicationDocument } from '../publication/stored.ts';

export interface YearBlock {
  /** Null when the campaign has no blocks. */
  name: string | null;
  units: number;
  /** The units ranked first (ties share the rank). */
  leaders: { code: string; name: string; index: number }[];
  bands: { name: string; count: number }[];
  notSubmitted: number;
}

export interface YearCampaign {
  code: string;
  name: string;
  precision: number;
  blocks: YearBlock[];
}

export interface YearIndex {
  year: number;
  organizer: string;
  campaigns: YearCampaign[];
}

/** The years and organisers that have a published campaign, newest year first (the home page's links). */
export function publishedYears(em: EntityManager): Promise<{ year: number; organizer: string; campaigns: number }[]> {
  return em.execute(
    `select c.year, c.organizer, count(distinct c.id)::int as campaigns
       from campaign c join publication p on p.campaign_id = c.id
      where not c.practice
      group by c.year, c.organizer order by c.year desc, c.organizer collate "vi-x-icu"`,
  );
}

/** Every organiser's published campaigns of `year`, each from its newest version; empty when there are none. */
export async function yearIndex(em: EntityManager, year: number): Promise<YearIndex[]> {
  const rows = await em.execute<{ organizer: string; code: string; name: string; publication_id: number }[]>(
    `select c.organizer, c.code, c.name, p.id as publication_id
       from campaign c
       join lateral (select q.id from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
      where not c.practice and c.year = ?
      order by c.organizer collate "vi-x-icu", c.name collate "vi-x-icu", c.code`,
    [year],
  );
  const byOrganizer = new Map<string, YearCampaign[]>();
  for (const row of rows) {
    const doc = await publicationDocument(em, row.publication_id);
    const blockNames = [...new Set(doc.units.map((u) => u.block ?? null))];
    const blocks = blockNames.map((name): YearBlock => {
      const units = doc.units.filter((u) => (u.block ?? null) === name);
      return {
        name,
        units: units.length,
        leaders: units.flatMap((u) =>
          u.rank === 1 && u.index !== null ? [{ code: u.code, name: u.name, index: u.index }] : [],
        ),
        bands: doc.bands.map((b) => ({ name: b.name, count: units.filter((u) => u.band === b.name).length })),
        notSubmitted: units.filter((u) => u.rank === null).length,
      };
    });
    byOrganizer.set(row.organizer, [
      ...(byOrganizer.get(row.organizer) ?? []),
      { code: row.code, name: row.name, precision: doc.campaign.precision, blocks },
    ]);
  }
  return [...byOrganizer].map(([organizer, campaigns]) => ({ year, organizer, campaigns }));
}
