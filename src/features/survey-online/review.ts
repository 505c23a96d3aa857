// What the secretariat reviews of the online survey: per unit the answers online and on paper and the tally they
// give, and the answers themselves with bursts flagged (many from one address, or many for one unit within minutes),
// to void with a reason. The address is never shown: only whether answers share one.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CampaignSchema } from '../../db/entities/index.ts';
import type { SurveyTally } from '../../domain/scoring.ts';
import type { CampaignState } from '../../domain/workflow.ts';
import { groupsOf, settingsOf, type SurveySettings } from './questionnaire.ts';
import { questionsPerRespondent, tallyOf, unitSummaries } from './tallies.ts';

/** Bursts: this many answers from one address within `minutes` either side, or for one unit within `unitMinutes`. */
export const burst = { sameAddress: 5, minutes: 10, sameUnit: 10, unitMinutes: 2 };

export interface ReviewedAnswer {
  id: string;
  unitCode: string;
  unitName: string;
  group: string;
  source: 'online' | 'paper';
  levels: number[];
  comment: string | null;
  createdAt: Date;
  /** A short label shared by answers from the same address (A1, A2…), never the address or its hash. */
  sender: string | null;
  flags: ('address' | 'minutes')[];
  voided: { at: Date; reason: string } | null;
}

export interface SurveyReview {
  campaign: { id: number; code: string; name: string; state: CampaignState };
  settings: SurveySettings | null;
  units: { code: string; name: string; online: number; paper: number; tally: SurveyTally }[];
  answers: ReviewedAnswer[];
  /** Answers not listed (the page shows the newest `limit`). */
  more: number;
}

export async function loadReview(
  em: EntityManager,
  campaignCode: string,
  opts: { unit?: string; flaggedOnly?: boolean; limit?: number } = {},
): Promise<SurveyReview | null> {
  const campaign = await em.findOne(CampaignSchema, { code: campaignCode });
  if (!campaign) return null;
  const settings = await settingsOf(em, campaign.id);
  const questions = questionsPerRespondent(await groupsOf(em, campaign.id));
  const summaries = await unitSummaries(em, campaign.id);
  const units = await em.execute<{ id: number; code: string; name: string }[]>(
    `select u.id, u.code, u.name from campaign_unit cu join unit u on u.id = cu.unit_id
      where cu.campaign_id = ? order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );
  const limit = opts.limit ?? 200;
  const rows = await em.execute<
    {
      id: string;
      unit_code: string;
      unit_name: string;
      group_name: string;
      source: 'online' | 'paper';
      levels: number[];
      comment: string | null;
      created_at: Date;
      sender: number | null;
      same_address: number;
      same_unit: number;
      voided_at: Date | null;
      void_reason: string | null;
      total: number;
    }[]
  >(
    `with flagged as (
       select a.*,
              dense_rank() over (order by a.address_hash) as sender_rank,
              case when a.address_hash is null then 0 else count(*) over (partition by a.address_hash order by a.created_at
                range between make_interval(mins => ?) preceding and make_interval(mins => ?) following) end as same_address,
              count(*) over (partition by a.unit_id order by a.created_at
                range between make_interval(mins => ?) preceding and make_interval(mins => ?) following) as same_unit
         from survey_answer a where a.campaign_id = ?)
     select f.id::text, u.code as unit_code, u.name as unit_name, g.name as group_name, f.source, f.levels, f.comment,
            f.created_at, case when f.address_hash is null then null else f.sender_rank end::int as sender,
            f.same_address::int, f.same_unit::int, f.voided_at, f.void_reason, count(*) over ()::int as total
       from flagged f join unit u on u.id = f.unit_id join survey_group g on g.id = f.group_id
      where (?::text is null or u.code = ?)
        and (not ? or f.same_address >= ? or (f.source = 'online' and f.same_unit >= ?))
      order by f.created_at desc, f.id desc limit ?`,
    [
      burst.minutes,
      burst.minutes,
      burst.unitMinutes,
      burst.unitMinutes,
      campaign.id,
      opts.unit ?? null,
      opts.unit ?? null,
      opts.flaggedOnly === true,
      burst.sameAddress,
      burst.sameUnit,
      limit,
    ],
  );
  const answers: ReviewedAnswer[] = rows.map((r) => {
    const flags: ReviewedAnswer['flags'] = [];
    if (r.same_address >= burst.sameAddress) flags.push('address');
    if (r.source === 'online' && r.same_unit >= burst.sameUnit) flags.push('minutes');
    return {
      id: r.id,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      group: r.group_name,
      source: r.source,
      levels: r.levels.map(Number),
      comment: r.comment,
      createdAt: r.created_at,
      sender: r.sender === null ? null : `A${r.sender}`,
      flags,
      voided: r.voided_at ? { at: r.voided_at, reason: r.void_reason ?? '' } : null,
    };
  });
  return {
    campaign: { id: campaign.id, code: campaign.code, name: campaign.name, state: campaign.state },
    settings,
    units: units.map((u) => {
      const summary = summaries.get(u.id);
      return {
        code: u.code,
        name: u.name,
        online: summary?.online ?? 0,
        paper: summary?.paper ?? 0,
        tally: tallyOf(summary, questions),
      };
    }),
    answers,
    more: Math.max(0, (rows[0]?.total ?? 0) - rows.length),
  };
}
