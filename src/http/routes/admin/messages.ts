// The secretariat writes to a campaign's units: all of them, those that have not submitted, or one block. The words
// arrive as a notice in each officer's and head's inbox (src/features/notices.ts, messageUnits).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findCampaign } from '../../../features/campaigns.ts';
import { campaignBlocks, messageMaxLength, messageUnits, type Audience } from '../../../features/notices.ts';
import { parseForm, translateErrors, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

type P = { code: string };

const messageForm = z.object({
  audience: z.string().regex(/^(all|notSubmitted|block:.{1,255})$/s, 'notice.error.audience'),
  text: z
    .string()
    .max(messageMaxLength * 2, 'notice.error.textLong')
    .default(''),
});

export default async function messageRoutes(app: FastifyInstance) {
  const page = async (
    req: FastifyRequest<{ Params: P; Querystring: { sent?: string } }>,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const campaign = await findCampaign(req.em, req.params.code);
    if (!campaign) return reply.callNotFound();
    const blocks = await campaignBlocks(req.em, campaign.id);
    const sent = /^(\d+)-(\d+)$/.exec(String(req.query.sent ?? ''));
    return reply.page(
      'admin/campaigns/message',
      {
        campaign,
        audiences: [
          { value: 'all', label: req.t('message.audience.all') },
          { value: 'notSubmitted', label: req.t('message.audience.notSubmitted') },
          ...blocks.map((block) => ({ value: `block:${block}`, label: req.t('message.audience.block', { block }) })),
        ],
        sent: sent ? req.t('message.sent', { people: Number(sent[1]), units: Number(sent[2]) }) : null,
        values: { audience: 'all', ...values },
        errors: translateErrors(req.t, errors),
      },
      { status, title: req.t('message.title') },
    );
  };

  app.get<{ Params: P; Querystring: { sent?: string } }>('/campaigns/:code/message', (req, reply) => page(req, reply));

  app.post<{ Params: P; Querystring: { sent?: string } }>('/campaigns/:code/message', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(messageForm, body);
    if (!form.ok) return page(req, reply, body, form.errors, 422);
    const { audience: chosen, text } = form.data;
    const audience: Audience =
      chosen === 'all' || chosen === 'notSubmitted' ? { kind: chosen } : { kind: 'block', block: chosen.slice(6) };
    const outcome = await messageUnits(req.em, req.user!, req.params.code, audience, text);
    if (!outcome.ok) return page(req, reply, body, outcome.errors, 422);
    const { people, units } = outcome.value;
    return reply.redirect(paths.admin.campaignMessage(req.params.code, { sent: `${people}-${units}` }), 303);
  });
}
