import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { enterPaperForms, paperFieldKey, type PaperRow } from '../../../features/survey-online/answers.ts';
import { loadQuestionnaire } from '../../../features/survey-online/questionnaire.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { contextOf, type UnitParams } from './shared.ts';

// A unit's own paper survey forms (issue 17), typed one row each, where the campaign lets units do so; marked as
// paper and as typed by the unit (audited), they join the unit's online answers in its tallies.

const paperRows = 12;
const paperForm = z.object({ _csrf: z.string().optional() }).catchall(z.string().max(2000, 'surveyOnline.text.long'));

export default async function unitSurveyPaperRoutes(app: FastifyInstance) {
  const show = async (
    req: FastifyRequest<{ Params: UnitParams }>,
    reply: FastifyReply,
    found: { body?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    const q = await loadQuestionnaire(req.em, ctx.campaign.code);
    if (!q) return reply.callNotFound();
    const body = found.body ?? {};
    const query = req.query as { saved?: string };
    return reply.page(
      'unit/survey-paper',
      {
        ctx,
        q,
        allowed: q.settings?.unitsTypePaper === true && q.groups.length > 0,
        rows: Array.from({ length: paperRows }, (_, i) => ({
          group: body[paperFieldKey('group', i)] ?? '',
          levels: body[paperFieldKey('levels', i)] ?? '',
          comment: body[paperFieldKey('comment', i)] ?? '',
        })),
        fieldKey: paperFieldKey,
        errors: translateErrors(req.t, found.errors ?? {}),
        saved: /^\d{1,4}$/.test(query.saved ?? '')
          ? req.t('surveyOnline.paper.saved', { count: Number(query.saved) })
          : '',
      },
      { status, title: `${req.t('surveyOnline.paper.title')} — ${ctx.unit.name}` },
    );
  };

  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code/survey-paper', async (req, reply) => show(req, reply));

  app.post<{ Params: UnitParams }>('/:unit/campaigns/:code/survey-paper', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx) return reply.callNotFound();
    const body = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    const form = parseForm(paperForm, req.body);
    if (!form.ok) return show(req, reply, { body, errors: form.errors }, 422);
    const rows: PaperRow[] = Array.from({ length: paperRows }, (_, i) => ({
      group: String(form.data[paperFieldKey('group', i)] ?? ''),
      levels: String(form.data[paperFieldKey('levels', i)] ?? ''),
      comment: String(form.data[paperFieldKey('comment', i)] ?? ''),
    }));
    const outcome = await enterPaperForms(
      req.em,
      { id: req.user!.id },
      ctx.campaign.code,
      ctx.unit.code,
      rows,
      undefined,
      {
        byUnit: true,
      },
    );
    if (outcome.ok)
      return reply.redirect(
        `${paths.unit.surveyPaper(ctx.unit.code, ctx.campaign.code)}?saved=${outcome.value.saved}`,
        303,
      );
    if (outcome.kind === 'notFound') return reply.callNotFound();
    return show(req, reply, { body, errors: outcome.errors ?? {} }, 422);
  });
}
