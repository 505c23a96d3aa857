// The secretariat's steps on practice campaigns (Tập huấn): make one from a campaign, move its phases freely, publish
// a preview, reset it for the next group, discard it. Reset and discard are confirmed on a page with their numbers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../../domain/dates.ts';
import { findCampaign } from '../../../features/campaigns.ts';
import {
  createPracticeCampaign,
  discardPractice,
  movePracticePhase,
  practiceConsequences,
  practiceDays,
  publishPracticePreview,
  resetPractice,
} from '../../../features/practice.ts';
import { translateErrors, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

type P = { code: string };
type Body = Record<string, unknown> | undefined;

const field = (body: Body, name: string) => (typeof body?.[name] === 'string' ? (body[name] as string) : '');

export default async function practiceRoutes(app: FastifyInstance) {
  const actor = (req: FastifyRequest) => ({ id: req.user!.id });

  /** The copy's form, with what was typed and why not when it was refused. */
  const makePage = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const campaign = await findCampaign(req.em, req.params.code);
    if (!campaign) return reply.callNotFound();
    return reply.page(
      'admin/practice/new',
      { source: campaign, values, errors: translateErrors(req.t, errors), days: practiceDays },
      { status, title: req.t('practice.new.title') },
    );
  };

  /** A practice step refused: the reason at the top, and the way back to the campaign. */
  const refusedPage = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, errors: FieldErrors) => {
    const campaign = await findCampaign(req.em, req.params.code);
    if (!campaign) return reply.callNotFound();
    return reply.page(
      'admin/practice/refused',
      { campaign, errors: translateErrors(req.t, errors) },
      { status: 422, title: req.t('practice.panel.title') },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/practice', async (req, reply) => makePage(req, reply, { samples: 'on' }));

  app.post<{ Params: P; Body: Body }>('/campaigns/:code/practice', async (req, reply) => {
    const samples = field(req.body, 'samples') === 'on';
    const outcome = await createPracticeCampaign(req.em, actor(req), req.params.code, {
      samples,
      today: todayInVietnam(),
    });
    if (!outcome.ok) return makePage(req, reply, { samples: samples ? 'on' : '' }, outcome.errors, 422);
    return reply.redirect(
      paths.admin.campaign(outcome.value.code, { saved: `practice-${outcome.value.samples}` }),
      303,
    );
  });

  app.post<{ Params: P; Body: Body }>('/campaigns/:code/practice/phase', async (req, reply) => {
    const outcome = await movePracticePhase(
      req.em,
      actor(req),
      req.params.code,
      field(req.body, 'to'),
      todayInVietnam(),
    );
    if (!outcome.ok) return refusedPage(req, reply, outcome.errors);
    return reply.redirect(paths.admin.campaign(req.params.code, { saved: 'practice-phase' }), 303);
  });

  app.post<{ Params: P }>('/campaigns/:code/practice/preview', async (req, reply) => {
    const outcome = await publishPracticePreview(req.em, actor(req), req.params.code, todayInVietnam());
    if (!outcome.ok) return refusedPage(req, reply, outcome.errors ?? {});
    return reply.redirect(paths.practice.preview(req.params.code), 303);
  });

  /** The confirmation page of a reset or a discard: what it removes, in numbers; only its form takes the step. */
  const confirmPage = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, step: 'reset' | 'discard') => {
    const found = await practiceConsequences(req.em, req.params.code);
    // Not a practice campaign: its own page, which offers no such step.
    if (!found) return reply.redirect(paths.admin.campaign(req.params.code), 303);
    return reply.page(
      'admin/practice/confirm',
      {
        step,
        campaign: { ...found.campaign, practice: true },
        counts: found.counts,
        action:
          step === 'reset' ? paths.practice.reset(found.campaign.code) : paths.practice.discard(found.campaign.code),
        back: paths.admin.campaign(found.campaign.code),
      },
      { title: req.t('confirm.title', { action: req.t(`practice.${step}.title`) }) },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/practice/reset', async (req, reply) => confirmPage(req, reply, 'reset'));
  app.get<{ Params: P }>('/campaigns/:code/practice/discard', async (req, reply) => confirmPage(req, reply, 'discard'));

  app.post<{ Params: P; Body: Body }>('/campaigns/:code/practice/reset', async (req, reply) => {
    if (field(req.body, 'confirm') !== 'yes') return confirmPage(req, reply, 'reset');
    const outcome = await resetPractice(req.em, actor(req), req.params.code, app.evidenceStore, todayInVietnam());
    if (!outcome.ok) return refusedPage(req, reply, outcome.errors);
    return reply.redirect(paths.admin.campaign(req.params.code, { saved: 'practice-reset' }), 303);
  });

  app.post<{ Params: P; Body: Body }>('/campaigns/:code/practice/discard', async (req, reply) => {
    if (field(req.body, 'confirm') !== 'yes') return confirmPage(req, reply, 'discard');
    const outcome = await discardPractice(req.em, actor(req), req.params.code, app.evidenceStore);
    if (!outcome.ok) return refusedPage(req, reply, outcome.errors);
    return reply.redirect(paths.practice.discarded(), 303);
  });
}
