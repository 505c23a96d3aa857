import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type AnswerInput,
  levels,
  loadForm,
  noOpinion,
  questionFieldKey,
  saltedHash,
  submitAnswer,
  type SurveyForm,
} from '../../features/survey-online/answers.ts';
import type { FieldErrors } from '../../features/outcome.ts';
import { parseForm, translateErrors } from '../forms.ts';
import { paths } from '../paths.ts';

// The citizens' survey form at /ks/<code> (issue 17): one light page without JavaScript or the portal's stylesheet,
// its own cookie (a random device id, never the staff session; kept only as a salted hash), and its own form token,
// an HMAC of that cookie, in place of the staff pages' CSRF token. No session is ever looked up for these routes.

type P = { code: string };
export const deviceCookie = 'ks_device';
const cookieOptions = (secure: boolean) => ({
  path: '/ks',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure,
  maxAge: 400 * 24 * 3600,
});

const answerForm = z
  .object({
    t: z.string().max(100).default(''),
    group: z.string().max(20).default(''),
    comment: z
      .string({ error: 'surveyOnline.answer.commentLong' })
      .max(4000, 'surveyOnline.answer.commentLong')
      .default(''),
    slip: z.string().max(40, 'surveyOnline.slip.wrong').default(''),
  })
  .catchall(z.string().max(10, 'surveyOnline.answer.level'));

export default async function surveyFormRoutes(app: FastifyInstance) {
  const secret = app.config.SESSION_SECRET;
  const secure = app.config.COOKIE_SECURE;
  const formToken = (device: string) => saltedHash(secret, 'form', device).slice(0, 32);

  /** The device's id from its cookie, or a new one (set on this reply). */
  const deviceOf = (req: FastifyRequest, reply: FastifyReply): { id: string; fresh: boolean } => {
    const given = req.cookies[deviceCookie];
    if (given && /^[A-Za-z0-9_-]{22,64}$/.test(given)) return { id: given, fresh: false };
    const id = randomBytes(18).toString('base64url');
    reply.setCookie(deviceCookie, id, cookieOptions(secure));
    return { id, fresh: true };
  };

  const message = (
    req: FastifyRequest,
    reply: FastifyReply,
    form: SurveyForm,
    kind: 'thanks' | 'closed' | 'notYet' | 'again' | 'tooMany',
    status: number,
  ) => {
    reply.header('Cache-Control', 'no-store');
    return reply.page(
      'survey-form/message',
      { form, kind },
      { status, title: req.t(`surveyOnline.public.${kind}.title` as 'surveyOnline.public.thanks.title') },
    );
  };

  const show = (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    form: SurveyForm,
    device: string,
    groupId: string,
    found: { values?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    reply.header('Cache-Control', 'no-store');
    const group = form.groups.length === 1 ? form.groups[0] : form.groups.find((g) => String(g.id) === groupId);
    const values = found.values ?? {};
    const errors = translateErrors(req.t, found.errors ?? {});
    // The summary at the top names each question by its number: "Câu 3: Chọn một mức cho câu này."
    const summaryErrors = Object.fromEntries(
      Object.entries(errors).map(([key, message]) => {
        const at = group?.questions.findIndex((q) => questionFieldKey(q.id) === key) ?? -1;
        return [key, at < 0 ? message : req.t('surveyOnline.answer.at', { n: at + 1, message })];
      }),
    );
    return reply.page(
      'survey-form/form',
      {
        form,
        group: group ?? null,
        token: formToken(device),
        levels: [...[...levels].reverse(), ...(form.settings.noOpinion ? [noOpinion] : [])],
        fieldKey: questionFieldKey,
        values,
        errors,
        summaryErrors,
        errorOrder: group ? ['group', ...group.questions.map((q) => questionFieldKey(q.id)), 'slip', 'comment'] : [],
      },
      { status, title: `${req.t('surveyOnline.public.title')} – ${form.unit.name}` },
    );
  };

  const publicRoute = { config: { public: true } };
  const posting = { config: { public: true, skipCsrf: true } };

  app.get<{ Params: P; Querystring: { g?: string } }>('/ks/:code', publicRoute, async (req, reply) => {
    const form = await loadForm(req.em, req.params.code);
    if (!form) return reply.callNotFound();
    if (form.state !== 'open') return message(req, reply, form, form.state, 200);
    const device = deviceOf(req, reply);
    return show(req, reply, form, device.id, String(req.query.g ?? ''));
  });

  app.post<{ Params: P }>('/ks/:code', posting, async (req, reply) => {
    const form = await loadForm(req.em, req.params.code);
    if (!form) return reply.callNotFound();
    if (form.state !== 'open') return message(req, reply, form, form.state, 409);
    const parsed = parseForm(answerForm, req.body);
    const values = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[1].length <= 4000,
      ),
    );
    const device = deviceOf(req, reply);
    if (!parsed.ok)
      return show(req, reply, form, device.id, values.group ?? '', { values, errors: parsed.errors }, 422);
    const data = parsed.data;
    // Without the device's cookie, or with a token of another one, nothing is recorded: the same form comes back with
    // what was chosen, and sending it again counts (a phone that refuses cookies cannot answer twice a day).
    const expected = Buffer.from(formToken(device.id));
    const given = Buffer.from(data.t);
    if (device.fresh || given.length !== expected.length || !timingSafeEqual(given, expected))
      return show(
        req,
        reply,
        form,
        device.id,
        data.group,
        { values, errors: { _form: 'surveyOnline.answer.again' } },
        422,
      );
    const input: AnswerInput = { group: data.group, levels: data, comment: data.comment, slip: data.slip };
    const outcome = await submitAnswer(req.em, form, input, {
      addressHash: saltedHash(secret, 'address', req.ip),
      deviceHash: saltedHash(secret, 'device', device.id),
    });
    if (outcome.ok) return reply.redirect(paths.surveyThanks(form.shortCode), 303);
    if (outcome.kind === 'invalid')
      return show(req, reply, form, device.id, data.group, { values, errors: outcome.errors }, 422);
    if (outcome.kind === 'again') return message(req, reply, form, 'again', 409);
    if (outcome.kind === 'tooMany') return message(req, reply, form, 'tooMany', 429);
    return message(req, reply, form, 'closed', 409);
  });

  app.get<{ Params: P }>('/ks/:code/thanks', publicRoute, async (req, reply) => {
    const form = await loadForm(req.em, req.params.code);
    if (!form) return reply.callNotFound();
    return message(req, reply, form, 'thanks', 200);
  });
}
