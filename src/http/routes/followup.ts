// The working group's follow-up pages (Tổ công tác / Tổ thư ký, issue 23 item 4): for each campaign whose working
// group the person sits in, who has not submitted, the appraisal's progress, and a message to the units; nothing of
// the secretariat's administration (criteria sets, users, campaigns). The area's guard is here; each campaign is
// looked up as the person may follow it up, else not found.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../domain/dates.ts';
import { mayFollowUp } from '../../domain/permissions.ts';
import { findCampaign } from '../../features/campaigns.ts';
import { followedCampaigns } from '../../features/council/members.ts';
import { campaignOverview } from '../../features/council/overview.ts';
import { messageMaxLength, messageUnits, type Audience } from '../../features/notices.ts';
import { parseForm, translateErrors, type FieldErrors } from '../forms.ts';
import { paths } from '../paths.ts';
import { requireArea } from '../plugins/auth.ts';
import { progressPage } from './progress-page.ts';

type P = { code: string };

const messageForm = z.object({
  audience: z.enum(['all', 'notSubmitted'], { error: 'notice.error.audience' }),
  text: z
    .string()
    .max(messageMaxLength * 2, 'notice.error.textLong')
    .default(''),
});

export default async function followupRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('followup'));

  app.get('/', async (req, reply) => {
    const campaigns = await followedCampaigns(req.em, req.user!);
    return reply.page('council2/followup-index', { campaigns }, { title: req.t('council2.followup.title') });
  });

  /** The campaign, when this person follows it up; else null (not found). */
  const campaignOf = async (req: FastifyRequest<{ Params: P }>) => {
    const campaign = await findCampaign(req.em, req.params.code);
    return campaign && mayFollowUp(req.user!.grants, campaign.id) ? campaign : null;
  };

  const page = async (
    req: FastifyRequest<{ Params: P; Querystring: { sent?: string } }>,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const overview = await campaignOverview(req.em, campaign.code, todayInVietnam());
    if (!overview) return reply.callNotFound();
    const sent = /^(\d+)-(\d+)$/.exec(String(req.query?.sent ?? ''));
    return reply.page(
      'council2/followup-campaign',
      {
        campaign: overview.campaign,
        totals: overview.totals,
        notSubmitted: overview.units.filter((u) => !u.submitted),
        sent: sent ? req.t('message.sent', { people: Number(sent[1]), units: Number(sent[2]) }) : null,
        values: { audience: 'notSubmitted', ...values },
        errors: translateErrors(req.t, errors),
      },
      { status, title: `${req.t('council2.followup.title')}: ${overview.campaign.name}` },
    );
  };

  app.get<{ Params: P; Querystring: { sent?: string } }>('/campaigns/:code', (req, reply) => page(req, reply));

  app.get<{ Params: P }>('/campaigns/:code/progress', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    return progressPage(req, reply, campaign, paths.council2.followupCampaign(campaign.code));
  });

  app.post<{ Params: P; Querystring: { sent?: string } }>('/campaigns/:code/message', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(messageForm, body);
    if (!form.ok) return page(req, reply, body, form.errors, 422);
    const audience: Audience = { kind: form.data.audience };
    const outcome = await messageUnits(req.em, req.user!, campaign.code, audience, form.data.text);
    if (!outcome.ok) return page(req, reply, body, outcome.errors, 422);
    const { people, units } = outcome.value;
    return reply.redirect(
      paths.council2.followupCampaign(campaign.code, { sent: `${people}-${units}` }, 'message'),
      303,
    );
  });
}
