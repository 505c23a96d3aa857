import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  checkSurveyInput,
  componentFor,
  defaultQuestionsPerRespondent,
  importSurveySheet,
  loadSurvey,
  saveSurveyResults,
  surveyFieldKey,
  surveyFields,
  surveyTemplate,
  type SurveyField,
  type SurveyInput,
  type SurveyPage,
} from '../../../features/survey.ts';
import type { WorkbookIssue } from '../../../features/workbook/index.ts';
import { parseForm, translateErrors, translateIssues } from '../../forms.ts';
import { paths } from '../../paths.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { limitMessage, receiveSpreadsheet } from '../../uploads.ts';
import { msg, say } from '../../../domain/message.ts';
import { setUnitSurveySetting, unitSurveySetting } from '../../../features/survey-by-units.ts';

type P = { code: string };

/** The form has one field per unit and figure, named by surveyFieldKey: each a short text, read by the use case. */
const surveyForm = z
  .object({ _csrf: z.string().optional() })
  .catchall(z.string({ error: 'survey.count.integer' }).max(40, 'survey.count.integer'));

/** One row of the form: the unit, its three figures as shown in the inputs, and the component beside them. */
interface FormRow {
  code: string;
  name: string;
  values: Record<SurveyField, string>;
  component: string | null;
}

const typedInput = (unitCode: string, body: Record<string, string>): SurveyInput => ({
  unitCode,
  respondents: body[surveyFieldKey('respondents', unitCode)] ?? '',
  satisfiedAnswers: body[surveyFieldKey('satisfiedAnswers', unitCode)] ?? '',
  questionsPerRespondent: body[surveyFieldKey('questionsPerRespondent', unitCode)] ?? '',
});

/** The stored figures, or empty counts and the default 8 questions for a unit without results. */
function storedRows(page: SurveyPage): FormRow[] {
  return page.units.map((unit) => ({
    code: unit.code,
    name: unit.name,
    values: {
      respondents: unit.stored ? String(unit.stored.respondents) : '',
      satisfiedAnswers: unit.stored ? String(unit.stored.satisfiedAnswers) : '',
      questionsPerRespondent: String(unit.stored?.questionsPerRespondent ?? defaultQuestionsPerRespondent),
    },
    component: unit.component,
  }));
}

/** The figures as typed, each row's component computed from them where they hold. */
function typedRows(page: SurveyPage, body: Record<string, string>): FormRow[] {
  return page.units.map((unit) => {
    const input = typedInput(unit.code, body);
    const checked = checkSurveyInput(input);
    const values = Object.fromEntries(surveyFields.map((field) => [field, String(input[field] ?? '')])) as Record<
      SurveyField,
      string
    >;
    return {
      code: unit.code,
      name: unit.name,
      values,
      component: checked.ok ? componentFor(page, checked.tally) : null,
    };
  });
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The secretariat's survey results of a campaign: the form, the spreadsheet import and its template. */
const columnLabels: Record<SurveyField, string> = {
  respondents: 'survey.column.respondents',
  satisfiedAnswers: 'survey.column.satisfied',
  questionsPerRespondent: 'survey.column.questions',
};

/** Each cell's error said of its unit, row and column ("Xã Trực Đạo (dòng 5), Số phiếu: …"), as the summary lists it. */
function namingTheUnit(page: SurveyPage, errors: FieldErrors): FieldErrors {
  const named: FieldErrors = { ...errors };
  page.units.forEach((unit, i) => {
    for (const field of Object.keys(columnLabels) as SurveyField[]) {
      const key = surveyFieldKey(field, unit.code);
      const message = errors[key];
      if (message !== undefined)
        named[key] = msg('survey.error.at', {
          unit: unit.name,
          row: i + 1,
          column: say(columnLabels[field]),
          message: say(message),
        });
    }
  });
  return named;
}

export default async function surveyRoutes(app: FastifyInstance) {
  const actor = (req: FastifyRequest) => ({ id: req.user!.id });

  const show = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    found: {
      body?: Record<string, string>;
      errors?: FieldErrors;
      issues?: WorkbookIssue[];
      byUnits?: { unitsEnter: boolean; closes: string };
    } = {},
    status = 200,
  ) => {
    const page = await loadSurvey(req.em, req.params.code);
    if (!page) return reply.callNotFound();
    const query = req.query as Record<string, string | undefined>;
    const saved = query.saved
      ? req.t('survey.saved')
      : /^\d{1,6}$/.test(query.imported ?? '')
        ? req.t('survey.imported', { count: Number(query.imported) })
        : '';
    return reply.page(
      'admin/survey/show',
      {
        page,
        rows: found.body ? typedRows(page, found.body) : storedRows(page),
        fieldKey: surveyFieldKey,
        errors: translateErrors(req.t, namingTheUnit(page, found.errors ?? {})),
        issues: translateIssues(req.t, found.issues ?? []),
        saved,
        // Units' own figures (issue 23): the setting as stored, or as typed when it was refused.
        byUnits: found.byUnits ?? (await unitSurveySetting(req.em, page.campaign.id)),
      },
      { status, title: `${req.t('survey.title')} – ${page.campaign.name}` },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/survey', async (req, reply) => show(req, reply));

  app.post<{ Params: P }>('/campaigns/:code/survey', async (req, reply) => {
    const page = await loadSurvey(req.em, req.params.code);
    if (!page) return reply.callNotFound();
    const body = req.body as Record<string, string>;
    const form = parseForm(surveyForm, req.body);
    if (!form.ok) return show(req, reply, { body, errors: form.errors }, 422);
    const outcome = await saveSurveyResults(
      req.em,
      actor(req),
      page.campaign.code,
      page.units.map((unit) => typedInput(unit.code, form.data)),
    );
    if (!outcome.ok) return show(req, reply, { body, errors: outcome.errors }, 422);
    return reply.redirect(paths.admin.survey(page.campaign.code, { saved: 1 }), 303);
  });

  const byUnitsForm = z.object({
    _csrf: z.string().optional(),
    unitsEnter: z.string().max(10).optional(),
    unitSurveyCloses: z.string().trim().max(20, 'reopen.survey.error.date').default(''),
  });
  app.post<{ Params: P }>('/campaigns/:code/survey/by-units', async (req, reply) => {
    const form = parseForm(byUnitsForm, req.body);
    const typed = req.body as Record<string, unknown> | undefined;
    const byUnits = { unitsEnter: typed?.unitsEnter === 'on', closes: String(typed?.unitSurveyCloses ?? '') };
    if (!form.ok) return show(req, reply, { errors: form.errors, byUnits }, 422);
    const outcome = await setUnitSurveySetting(req.em, actor(req), req.params.code, {
      unitsEnter: form.data.unitsEnter === 'on',
      closes: form.data.unitSurveyCloses,
    });
    if (!outcome.ok) return show(req, reply, { errors: outcome.errors, byUnits }, 422);
    return reply.redirect(paths.admin.survey(req.params.code, { saved: 1 }), 303);
  });

  // The upload form's token is the body's first field (see src/http/body-token.ts).
  const tokenInBody = { config: { csrfInMultipartBody: true } };
  app.post<{ Params: P }>('/campaigns/:code/survey/import', tokenInBody, async (req, reply) => {
    const received = await receiveSpreadsheet(req, reply, app.config.workbookMaxBytes);
    if (!received.ok && received.reason === 'missing')
      return show(req, reply, { errors: { file: 'survey.import.required' } }, 422);
    // Over a limit: the reading stopped there, nothing was written; the message names the limit.
    if (!received.ok) return show(req, reply, { errors: { file: limitMessage(req.t, req.lang, received.limit) } }, 413);
    const result = await importSurveySheet(req.em, actor(req), req.params.code, received.data);
    if (!result.ok && result.limit)
      return show(req, reply, { errors: { file: limitMessage(req.t, req.lang, result.limit) } }, 413);
    if (!result.ok) {
      const errors = { _form: req.t('survey.import.failed', { count: result.errors.length }) };
      return show(req, reply, { errors, issues: result.errors }, 422);
    }
    return reply.redirect(paths.admin.survey(req.params.code, { imported: result.count }), 303);
  });

  app.get<{ Params: P }>('/campaigns/:code/survey/template.xlsx', async (req, reply) => {
    const data = await surveyTemplate(req.em, req.params.code);
    if (!data) return reply.callNotFound();
    // Unpublished figures: no shared cache may keep them.
    return reply
      .type(xlsxType)
      .header(
        'Content-Disposition',
        `attachment; filename="khao-sat-${req.params.code.replace(/[^A-Za-z0-9._-]/g, '_')}.xlsx"`,
      )
      .header('Cache-Control', 'no-store')
      .send(data);
  });
}
