import type { FastifyInstance, FastifyRequest } from 'fastify';
import { intArray } from '../../db/sql.ts';
import { unitAccess } from '../../domain/permissions.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { requireArea } from '../plugins/auth.ts';
import unitSelfAssessmentRoutes from './unit-self-assessment.ts';
import unitExplanationRoutes from './unit-explanations.ts';
import unitEvidenceRoutes from './unit-evidence.ts';
import unitReportRoutes from './unit-report.ts';

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
    return req.em.execute<UnitCampaignRow[]>(
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

  await app.register(unitSelfAssessmentRoutes);
  await app.register(unitExplanationRoutes);
  await app.register(unitEvidenceRoutes);
  await app.register(unitReportRoutes);
}
