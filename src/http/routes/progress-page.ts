// The appraisal's progress per agency then per appraiser (views/admin/campaigns/progress), as the secretariat and the
// council chair both read it; `back` is where the chair's page leads back to.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../domain/dates.ts';
import { appraisalProgress } from '../../features/appraisal/progress.ts';

export async function progressPage(
  req: FastifyRequest,
  reply: FastifyReply,
  campaign: { id: number; name: string; criteriaSet: { id: number } },
  back?: string,
) {
  const today = todayInVietnam();
  const progress = await appraisalProgress(req.em, { id: campaign.id, criteriaSetId: campaign.criteriaSet.id }, today);
  return reply.page(
    'admin/campaigns/progress',
    { campaign, progress, today, ...(back ? { back } : {}) },
    { title: `${req.t('progress.title')}: ${campaign.name}` },
  );
}
