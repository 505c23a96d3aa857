import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../../domain/dates.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { saveUnitSurvey, unitSurvey } from '../../../features/survey-by-units.ts';
import {
  defaultQuestionsPerRespondent,
  surveyFieldKey,
  surveyFields,
  type SurveyField,
} from '../../../features/survey.ts';
import { parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { contextOf, type UnitParams } from './shared.ts';

// A unit's own survey figures (issue 23, item 5), where the campaign lets units enter them until a date: the same three
// figures and checks as the secretariat's survey form, for the unit's one row (features/survey-by-units.ts).

const figuresForm = z
  .object({ _csrf: z.string().optional() })
  .catchall(z.string({ error: 'survey.count.integer' }).max(40, 'survey.count.integer'));

export default async function unitSurveyFiguresRoutes(app: FastifyInstance) {
  const show = async (
    req: FastifyRequest<{ Params: UnitParams }>,
    reply: FastifyReply,
    found: { body?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const ctx = await contextOf(req);
    // The unit's officers and head: a contributor works on criteria only.
    if (!ctx || ctx.role === 'contributor') return reply.callNotFound();
    const survey = await unitSurvey(req.em, ctx, todayInVietnam());
    if (!survey) return reply.callNotFound();
    const stored = survey.stored;
    const values: Record<SurveyField, string> = {
      respondents: stored ? String(stored.respondents) : '',
      satisfiedAnswers: stored ? String(stored.satisfiedAnswers) : '',
      questionsPerRespondent: String(stored?.questionsPerRespondent ?? defaultQuestionsPerRespondent),
    };
    if (found.body)
      for (const field of surveyFields) values[field] = found.body[surveyFieldKey(field, ctx.unit.code)] ?? '';
    return reply.page(
      'unit/survey-figures',
      {
        ctx,
        survey,
        values,
        fieldKey: (field: SurveyField) => surveyFieldKey(field, ctx.unit.code),
        errors: translateErrors(req.t, found.errors ?? {}),
        lockedText: survey.lockedReason
          ? req.t(survey.lockedReason, { date: survey.setting.closes ? formatDay(survey.setting.closes) : '' })
          : '',
        saved: (req.query as { saved?: string }).saved === '1',
      },
      { status, title: `${req.t('reopen.survey.title')} — ${ctx.unit.name}` },
    );
  };

  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code/survey-figures', async (req, reply) => show(req, reply));

  app.post<{ Params: UnitParams }>('/:unit/campaigns/:code/survey-figures', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx || ctx.role === 'contributor') return reply.callNotFound();
    const body = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    const form = parseForm(figuresForm, req.body);
    if (!form.ok) return show(req, reply, { body, errors: form.errors }, 422);
    const value = (field: SurveyField) => form.data[surveyFieldKey(field, ctx.unit.code)] ?? '';
    const outcome = await saveUnitSurvey(
      req.em,
      ctx,
      {
        respondents: value('respondents'),
        satisfiedAnswers: value('satisfiedAnswers'),
        questionsPerRespondent: value('questionsPerRespondent'),
      },
      todayInVietnam(),
    );
    if (outcome.ok)
      return reply.redirect(paths.unit.surveyFigures(ctx.unit.code, ctx.campaign.code, { saved: 1 }), 303);
    return show(req, reply, { body, errors: outcome.errors ?? {} }, outcome.kind === 'invalid' ? 422 : 409);
  });
}

const formatDay = (iso: string) => iso.split('-').reverse().join('/');
