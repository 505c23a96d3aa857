// The published campaigns as a whole: the home page's list and the newest publication (a page's cache tag).
import type { EntityManager } from '@mikro-orm/postgresql';
import { firstRow, tables } from '../../db/kysely.ts';

export interface PublishedCampaign {
  code: string;
  name: string;
  year: number;
  organizer: string;
  published_at: Date;
}

/** Every public campaign with a publication, newest year first, names in Vietnamese order; practice campaigns never. */
export async function publishedCampaigns(em: EntityManager): Promise<PublishedCampaign[]> {
  return em.execute<PublishedCampaign[]>(
    `select c.code, c.name, c.year, c.organizer, max(p.published_at) as published_at
       from campaign c join publication p on p.campaign_id = c.id
      where not c.practice
      group by c.id order by c.year desc, c.name collate "vi-x-icu"`,
  );
}

/** The id of the newest public publication: any new version anywhere can change a trend or a comparison. */
export async function newestPublicationId(em: EntityManager): Promise<number> {
  const row = await firstRow(
    em,
    tables(em)
      .selectFrom('publication as p')
      .innerJoin('campaign as c', 'c.id', 'p.campaign_id')
      .select((eb) => eb.fn.max('p.id').as('id'))
      .where('c.practice', '=', false),
  );
  return row?.id ?? 0;
}
