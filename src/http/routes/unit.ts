import type { FastifyInstance, FastifyRequest } from 'fastify';
import { intArray } from '../../db/sql.ts';
import { unitAccess } from '../../domain/permissions.ts';
import { todayInVietnam } from '../i18n.ts';
import { requireArea } from '../plugins/auth.ts';

interface UnitCampaignRow {
  unit_id: number; unit_code: string; unit_name: string;
  campaign_id: number; code: string; name: string; year: number; state: string;
  closes: string | null; self_state: string | null;
}

export default async function unitRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('unit'));

  /** Campaigns of the units this person works for; authorization is the `unit_id = any(...)` scope. */
  const campaignsOf = (req: FastifyRequest, unitCode?: string, campaignCode?: string) => {
    const unitIds = [...unitAccess(req.user!.grants).keys()];
    return req.em.getConnection().execute<UnitCampaignRow[]>(
      `select u.id as unit_id, u.code as unit_code, u.name as unit_name, c.id as campaign_id, c.code, c.name, c.year, c.state,
              to_char(coalesce(cu.deadline_extended_to, c.self_assessment_closes), 'YYYY-MM-DD') as closes, sa.state as self_state
         from campaign_unit cu
         join unit u on u.id = cu.unit_id
         join campaign c on c.id = cu.campaign_id
         left join self_assessment sa on sa.campaign_id = c.id and sa.unit_id = u.id
        where u.id = any(?::int[]) and c.state <> 'draft'
          and (?::text is null or u.code = ?) and (?::text is null or c.code = ?)
        order by c.year desc, u.name collate "vi-x-icu"`,
      [intArray(unitIds), unitCode ?? null, unitCode ?? null, campaignCode ?? null, campaignCode ?? null],
    );
  };

  app.get('/', async (req, reply) => {
    const campaigns = await campaignsOf(req);
    return reply.page('unit/index', { campaigns, today: todayInVietnam() }, { title: req.t('unit.title') });
  });

  app.get<{ Params: { unit: string; code: string } }>('/:unit/campaigns/:code', async (req, reply) => {
    const [campaign] = await campaignsOf(req, req.params.unit, req.params.code);
    if (!campaign) return reply.callNotFound();
    const fields = await req.em.getConnection().execute<{ code: string; title: string; max: string; leaves: number; scored: number; self_total: string | null }[]>(
      `with recursive tree as (
         select id, id as field_id from criterion where criteria_set_id = (select criteria_set_id from campaign where id = ?) and parent_id is null
         union all
         select c.id, t.field_id from criterion c join tree t on c.parent_id = t.id)
       select f.code, f.title,
              sum(l.max_score) filter (where l.kind <> 'survey') as max,
              count(l.id) filter (where l.kind = 'self') as leaves,
              count(cs.self_score) filter (where l.kind = 'self') + count(*) filter (where l.kind = 'self' and cs.not_applicable) as scored,
              sum(cs.self_score) as self_total
         from tree t
         join criterion f on f.id = t.field_id
         join criterion l on l.id = t.id and not exists (select 1 from criterion ch where ch.parent_id = l.id)
         left join criterion_score cs on cs.criterion_id = l.id
              and cs.self_assessment_id = (select id from self_assessment where campaign_id = ? and unit_id = ?)
        group by f.id order by f.position, f.code`,
      [campaign.campaign_id, campaign.campaign_id, campaign.unit_id],
    );
    const today = todayInVietnam();
    const daysLeft = campaign.closes ? Math.round((Date.parse(campaign.closes) - Date.parse(today)) / 86_400_000) : null;
    return reply.page('unit/campaign', { campaign, fields, daysLeft }, { title: `${campaign.name} — ${campaign.unit_name}` });
  });
}
