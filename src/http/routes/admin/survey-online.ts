import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { loadSurvey } from '../../../features/survey.ts';
import {
  createSlips,
  enterPaperForms,
  paperFieldKey,
  type PaperRow,
  unusedSlips,
  voidAnswer,
} from '../../../features/survey-online/answers.ts';
import {
  groupFieldKey,
  loadQuestionnaire,
  type Questionnaire,
  saveQuestionnaire,
} from '../../../features/survey-online/questionnaire.ts';
import { loadReview } from '../../../features/survey-online/review.ts';
import { detailedTallies, satisfactionRate } from '../../../features/survey-online/tallies.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { formatDate } from '../../../domain/dates.ts';
import { parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

// The secretariat's pages of the online survey (issue 17): the questionnaire and its window, the answers with bursts
// flagged and voiding, the paper forms typed one row each, the posters with their QR codes, and one-time slips.

type P = { code: string };
type PU = { code: string; unit: string };

const text = (max: number) => z.string().max(max, 'surveyOnline.text.long').default('');
const paperRows = 12;
const groupRows = 6;

const questionnaireForm = z
  .object({
    _csrf: z.string().optional(),
    online: z.string().optional(),
    noOpinion: z.string().optional(),
    unitsTypePaper: z.string().optional(),
    opensOn: text(40),
    closesOn: text(40),
    slipUnits: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .catchall(z.string().max(20_000, 'surveyOnline.text.long'));

const voidForm = z.object({ _csrf: z.string().optional(), reason: text(2000), unit: text(64) });
const paperForm = z
  .object({ _csrf: z.string().optional(), unit: text(64) })
  .catchall(z.string().max(2000, 'surveyOnline.text.long'));
const slipsForm = z.object({ _csrf: z.string().optional(), count: text(10) });

/** The form's own address for the poster: absolute, as a phone's camera needs it. */
const absolute = (req: FastifyRequest, path: string) => `${req.protocol}://${req.host}${path}`;

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export default async function surveyOnlineRoutes(app: FastifyInstance) {
  const actor = (req: FastifyRequest) => ({ id: req.user!.id });

  // ---- Questionnaire ------------------------------------------------------------------------------------------

  const showQuestionnaire = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    found: { body?: Record<string, unknown>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const q = await loadQuestionnaire(req.em, req.params.code);
    if (!q) return reply.callNotFound();
    const body = found.body;
    const s = q.settings;
    const values = body
      ? {
          online: body.online === 'on',
          noOpinion: body.noOpinion === 'on',
          unitsTypePaper: body.unitsTypePaper === 'on',
          opensOn: String(body.opensOn ?? ''),
          closesOn: String(body.closesOn ?? ''),
          slipUnits: [body.slipUnits ?? []].flat().map(String),
        }
      : {
          online: s?.online ?? false,
          noOpinion: s?.noOpinion ?? true,
          unitsTypePaper: s?.unitsTypePaper ?? false,
          opensOn: s?.opensOn ? formatDate(s.opensOn) : '',
          closesOn: s?.closesOn ? formatDate(s.closesOn) : '',
          slipUnits: q.units.filter((u) => u.slipsRequired).map((u) => u.code),
        };
    const groups = Array.from({ length: Math.max(groupRows, q.groups.length + 1) }, (_, i) => ({
      name: body ? String(body[groupFieldKey('name', i)] ?? '') : (q.groups[i]?.name ?? ''),
      questions: body
        ? String(body[groupFieldKey('questions', i)] ?? '')
        : (q.groups[i]?.questions.map((question) => question.text).join('\n') ?? ''),
    }));
    const query = req.query as { saved?: string };
    return reply.page(
      'admin/survey-online/questionnaire',
      {
        q,
        values,
        groups,
        groupKey: groupFieldKey,
        frozen: q.answers > 0,
        errors: translateErrors(req.t, found.errors ?? {}),
        saved: query.saved ? req.t('surveyOnline.questionnaire.saved') : '',
      },
      { status, title: `${req.t('surveyOnline.questionnaire.title')} – ${q.campaign.name}` },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/survey/questionnaire', async (req, reply) => showQuestionnaire(req, reply));

  app.post<{ Params: P }>('/campaigns/:code/survey/questionnaire', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(questionnaireForm, body);
    if (!form.ok) return showQuestionnaire(req, reply, { body, errors: form.errors }, 422);
    const d = form.data as Record<string, unknown> & z.infer<typeof questionnaireForm>;
    const outcome = await saveQuestionnaire(req.em, actor(req), req.params.code, {
      online: d.online === 'on',
      noOpinion: d.noOpinion === 'on',
      unitsTypePaper: d.unitsTypePaper === 'on',
      opensOn: d.opensOn,
      closesOn: d.closesOn,
      groups: Array.from({ length: 30 }, (_, i) => ({
        name: String(d[groupFieldKey('name', i)] ?? ''),
        questions: String(d[groupFieldKey('questions', i)] ?? ''),
      })),
      slipUnits: [d.slipUnits ?? []].flat(),
    });
    if (!outcome.ok && outcome.kind === 'notFound') return reply.callNotFound();
    if (!outcome.ok) return showQuestionnaire(req, reply, { body, errors: outcome.errors ?? {} }, 422);
    return reply.redirect(paths.admin.surveyQuestionnaire(req.params.code, { saved: 1 }), 303);
  });

  // ---- Answers and voiding -------------------------------------------------------------------------------------

  const showAnswers = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    found: { errors?: FieldErrors; answerId?: string; reason?: string } = {},
    status = 200,
  ) => {
    const query = req.query as { unit?: string; flagged?: string; voided?: string };
    const unit = typeof query.unit === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(query.unit) ? query.unit : undefined;
    const review = await loadReview(req.em, req.params.code, { unit, flaggedOnly: query.flagged === '1' });
    if (!review) return reply.callNotFound();
    const survey = await loadSurvey(req.em, req.params.code);
    const components = new Map(survey?.units.map((u) => [u.code, u.component]) ?? []);
    const chosen = unit ? review.units.find((u) => u.code === unit) : undefined;
    const details = chosen
      ? (
          await detailedTallies(
            req.em,
            review.campaign.id,
            (await loadQuestionnaire(req.em, req.params.code))!.units.find((u) => u.code === chosen.code)!.id,
          )
        )
          .values()
          .next().value
      : undefined;
    return reply.page(
      'admin/survey-online/answers',
      {
        review,
        unit: chosen ?? null,
        flagged: query.flagged === '1',
        details: details ?? [],
        rate: satisfactionRate,
        components,
        max: survey?.max ?? null,
        errors: translateErrors(req.t, found.errors ?? {}),
        failedId: found.answerId ?? null,
        reason: found.reason ?? '',
        voided: query.voided ? req.t('surveyOnline.void.done') : '',
      },
      { status, title: `${req.t('surveyOnline.answers.title')} – ${review.campaign.name}` },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/survey/answers', async (req, reply) => showAnswers(req, reply));

  app.post<{ Params: { code: string; id: string } }>('/campaigns/:code/survey/answers/:id/void', async (req, reply) => {
    const form = parseForm(voidForm, req.body);
    const reason = form.ok ? form.data.reason : '';
    const unit = form.ok && form.data.unit !== '' ? form.data.unit : undefined;
    const outcome = form.ok
      ? await voidAnswer(req.em, actor(req), req.params.code, req.params.id, reason)
      : { ok: false as const, kind: 'invalid' as const, errors: form.errors };
    if (outcome.ok) return reply.redirect(paths.admin.surveyAnswers(req.params.code, { unit, voided: 1 }), 303);
    if (outcome.kind === 'notFound') return reply.callNotFound();
    const errors = Object.fromEntries(
      Object.entries(outcome.errors ?? {}).map(([key, message]) => [
        key === 'reason' ? `reason-${req.params.id}` : key,
        message,
      ]),
    );
    return showAnswers(req, reply, { errors, answerId: req.params.id, reason }, 422);
  });

  // ---- Paper forms ---------------------------------------------------------------------------------------------

  const showPaper = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    found: { body?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const q = await loadQuestionnaire(req.em, req.params.code);
    if (!q) return reply.callNotFound();
    const query = req.query as { unit?: string; saved?: string };
    const body = found.body ?? {};
    const unit = body.unit ?? (typeof query.unit === 'string' ? query.unit : '');
    const rows = Array.from({ length: paperRows }, (_, i) => ({
      group: body[paperFieldKey('group', i)] ?? '',
      levels: body[paperFieldKey('levels', i)] ?? '',
      comment: body[paperFieldKey('comment', i)] ?? '',
    }));
    return reply.page(
      'admin/survey-online/paper',
      {
        q,
        unit,
        rows,
        fieldKey: paperFieldKey,
        errors: translateErrors(req.t, found.errors ?? {}),
        saved: /^\d{1,4}$/.test(query.saved ?? '')
          ? req.t('surveyOnline.paper.saved', { count: Number(query.saved) })
          : '',
      },
      { status, title: `${req.t('surveyOnline.paper.title')} – ${q.campaign.name}` },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/survey/paper', async (req, reply) => showPaper(req, reply));

  app.post<{ Params: P }>('/campaigns/:code/survey/paper', async (req, reply) => {
    const body = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    const form = parseForm(paperForm, req.body);
    if (!form.ok) return showPaper(req, reply, { body, errors: form.errors }, 422);
    const rows: PaperRow[] = Array.from({ length: paperRows }, (_, i) => ({
      group: String(form.data[paperFieldKey('group', i)] ?? ''),
      levels: String(form.data[paperFieldKey('levels', i)] ?? ''),
      comment: String(form.data[paperFieldKey('comment', i)] ?? ''),
    }));
    const outcome = await enterPaperForms(req.em, actor(req), req.params.code, form.data.unit, rows);
    if (outcome.ok)
      return reply.redirect(
        paths.admin.surveyPaper(req.params.code, { unit: form.data.unit, saved: outcome.value.saved }),
        303,
      );
    if (outcome.kind === 'notFound') return reply.callNotFound();
    return showPaper(req, reply, { body, errors: outcome.errors ?? {} }, 422);
  });

  // ---- Posters and slips ---------------------------------------------------------------------------------------

  const posters = async (req: FastifyRequest, q: Questionnaire, only?: string) =>
    Promise.all(
      q.units
        .filter((u) => u.shortCode !== null && (only === undefined || u.code === only))
        .map(async (u) => {
          const url = absolute(req, paths.surveyForm(u.shortCode!));
          return { code: u.code, name: u.name, url, svg: await qrSvg(url) };
        }),
    );

  app.get<{ Params: P }>('/campaigns/:code/survey/posters', async (req, reply) => {
    const q = await loadQuestionnaire(req.em, req.params.code);
    if (!q) return reply.callNotFound();
    return reply.page(
      'admin/survey-online/posters',
      { q, posters: await posters(req, q), bodyClass: 'posters' },
      { title: `${req.t('surveyOnline.posters.title')} – ${q.campaign.name}` },
    );
  });

  app.get<{ Params: PU }>('/campaigns/:code/survey/posters/:unit', async (req, reply) => {
    const q = await loadQuestionnaire(req.em, req.params.code);
    const unit = q?.units.find((u) => u.code === req.params.unit);
    if (!q || !unit) return reply.callNotFound();
    return reply.page(
      'admin/survey-online/posters',
      { q, posters: await posters(req, q, unit.code), bodyClass: 'posters' },
      { title: `${req.t('surveyOnline.posters.title')} – ${unit.name}` },
    );
  });

  const showSlips = async (
    req: FastifyRequest<{ Params: PU }>,
    reply: FastifyReply,
    found: { codes?: string[]; errors?: FieldErrors; count?: string } = {},
    status = 200,
  ) => {
    const q = await loadQuestionnaire(req.em, req.params.code);
    const unit = q?.units.find((u) => u.code === req.params.unit);
    if (!q || !unit) return reply.callNotFound();
    const codes = found.codes ?? (unit.shortCode === null ? [] : await unusedSlips(req.em, q.campaign.id, unit.id));
    return reply.page(
      'admin/survey-online/slips',
      {
        q,
        unit,
        codes,
        fresh: found.codes !== undefined,
        count: found.count ?? '50',
        errors: translateErrors(req.t, found.errors ?? {}),
        bodyClass: 'posters',
      },
      { status, title: `${req.t('surveyOnline.slips.title')} – ${unit.name}` },
    );
  };

  app.get<{ Params: PU }>('/campaigns/:code/survey/slips/:unit', async (req, reply) => showSlips(req, reply));

  app.post<{ Params: PU }>('/campaigns/:code/survey/slips/:unit', async (req, reply) => {
    const form = parseForm(slipsForm, req.body);
    const count = form.ok ? form.data.count.trim() : '';
    const outcome = await createSlips(
      req.em,
      actor(req),
      req.params.code,
      req.params.unit,
      /^\d{1,4}$/.test(count) ? Number(count) : Number.NaN,
    );
    if (outcome.ok) return showSlips(req, reply, { codes: outcome.value.codes });
    if (outcome.kind === 'notFound') return reply.callNotFound();
    return showSlips(req, reply, { errors: outcome.errors ?? {}, count }, 422);
  });
}
