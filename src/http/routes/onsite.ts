import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { calendarDateProblem, formatDate, parseCalendarDate, todayInVietnam } from '../../domain/dates.ts';
import { msg } from '../../domain/message.ts';
import { agenciesOf } from '../../domain/permissions.ts';
import { discard } from '../../features/evidence/upload.ts';
import {
  attachMinutes,
  checkableCriteria,
  createVisit,
  findingResults,
  findVisit,
  listVisits,
  removeFinding,
  setAgenciesMayVisit,
  settable,
  setFinding,
  updateVisit,
  visitableUnits,
  visitCampaign,
  visitsEditable,
  type MinutesRefusal,
  type Visit,
  type VisitActor,
  type VisitCampaign,
} from '../../features/onsite/visits.ts';
import type { FieldErrors } from '../../features/outcome.ts';
import { sendStoredFile } from '../downloads.ts';
import { formValues, parseForm, translateErrors } from '../forms.ts';
import { type OnsiteArea, paths } from '../paths.ts';
import { maxMbOf, receiveEvidence } from './unit/shared.ts';

type P = { code: string; visit?: string; criterion?: string };

const dateField = z
  .string()
  .trim()
  .max(20, 'onsite.error.date')
  .default('')
  .transform((v, ctx) => {
    const iso = parseCalendarDate(v);
    if (!iso)
      ctx.addIssue({
        code: 'custom',
        message: calendarDateProblem(v) === 'nonexistent' ? 'onsite.error.dateNonexistent' : 'onsite.error.date',
      });
    return iso ?? '';
  });
const membersField = z
  .string({ error: 'onsite.error.members' })
  .trim()
  .min(1, 'onsite.error.members')
  .max(2000, 'onsite.error.membersLong');
const visitForm = z.object({ visitedOn: dateField, members: membersField });
const newVisitForm = z.object({
  unit: z.string({ error: 'onsite.error.unit' }).min(1, 'onsite.error.unit').max(64, 'onsite.error.unit'),
  ...visitForm.shape,
});
const findingForm = z.object({
  criterion: z.string().max(64, 'onsite.error.criterion').default(''),
  result: z.enum(findingResults, { error: 'onsite.error.result' }),
  note: z.string().max(2000, 'onsite.error.noteLong').default(''),
});

const minutesStatus: Record<MinutesRefusal, number> = {
  locked: 409,
  empty: 422,
  tooLarge: 413,
  type: 415,
  mismatch: 415,
  noRoom: 507,
};

/**
 * The on-site checks' pages, registered in two areas: the secretariat's (`/admin`, every visit) and the appraisal
 * area (`/appraisal`, an agency's own visits, only in a campaign that lets agencies record them). The area's guard
 * is its plugin's; here the campaign and the visit are looked up as the person may see them, else not found.
 */
export default async function onsiteRoutes(app: FastifyInstance, opts: { area: OnsiteArea }) {
  const area = opts.area;
  const store = app.evidenceStore;
  const actorOf = (req: FastifyRequest): VisitActor => ({
    id: req.user!.id,
    agencyIds: area === 'admin' ? null : agenciesOf(req.user!.grants),
  });
  const campaignOf = (req: FastifyRequest<{ Params: P }>) => visitCampaign(req.em, actorOf(req), req.params.code);
  async function visitOf(req: FastifyRequest<{ Params: P }>) {
    const campaign = await campaignOf(req);
    if (!campaign || !/^\d{1,9}$/.test(req.params.visit ?? '')) return null;
    return findVisit(req.em, actorOf(req), campaign, Number(req.params.visit));
  }

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    campaign: VisitCampaign,
    extra: { errors?: FieldErrors; status?: number } = {},
  ) {
    return reply.page(
      'onsite/visits',
      {
        area,
        campaign,
        visits: await listVisits(req.em, actorOf(req), campaign),
        editable: visitsEditable(campaign),
        settable: settable(campaign),
        errors: translateErrors(req.t, extra.errors ?? {}),
      },
      { title: `${req.t('onsite.title')}: ${campaign.name}`, status: extra.status },
    );
  }

  app.get<{ Params: P }>('/campaigns/:code/visits', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    return listPage(req, reply, campaign);
  });

  if (area === 'admin') {
    app.post<{ Params: P }>('/campaigns/:code/visits/setting', async (req, reply) => {
      const campaign = await campaignOf(req);
      if (!campaign) return reply.callNotFound();
      const allowed = (req.body as Record<string, unknown> | undefined)?.agencies === 'on';
      const outcome = await setAgenciesMayVisit(req.em, req.user!.id, campaign, allowed);
      if (!outcome.ok) return listPage(req, reply, campaign, { errors: outcome.errors ?? {}, status: 409 });
      return reply.redirect(paths.onsite.visits(area, campaign.code), 303);
    });
  }

  async function newPage(
    req: FastifyRequest,
    reply: FastifyReply,
    campaign: VisitCampaign,
    extra: { errors?: FieldErrors; values?: Record<string, string>; status?: number } = {},
  ) {
    return reply.page(
      'onsite/new',
      {
        area,
        campaign,
        units: await visitableUnits(req.em, campaign),
        editable: visitsEditable(campaign),
        errors: translateErrors(req.t, extra.errors ?? {}),
        values: extra.values ?? { visitedOn: formatDate(todayInVietnam()) },
      },
      { title: req.t('onsite.new'), status: extra.status },
    );
  }

  app.get<{ Params: P }>('/campaigns/:code/visits/new', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    return newPage(req, reply, campaign);
  });

  app.post<{ Params: P }>('/campaigns/:code/visits', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const values = formValues(req.body, ['unit', 'visitedOn', 'members']);
    const form = parseForm(newVisitForm, req.body);
    if (!form.ok) return newPage(req, reply, campaign, { errors: form.errors, values, status: 422 });
    const outcome = await createVisit(
      req.em,
      actorOf(req),
      campaign,
      { unitCode: form.data.unit, visitedOn: form.data.visitedOn, members: form.data.members },
      todayInVietnam(),
    );
    if (!outcome.ok)
      return newPage(req, reply, campaign, {
        errors: outcome.errors ?? {},
        values,
        status: outcome.kind === 'locked' ? 409 : 422,
      });
    return reply.redirect(paths.onsite.visit(area, campaign.code, outcome.value.id), 303);
  });

  async function visitPage(
    req: FastifyRequest<{ Params: P; Querystring: Record<string, string> }>,
    reply: FastifyReply,
    visit: Visit,
    extra: { errors?: FieldErrors; values?: Record<string, string>; status?: number } = {},
  ) {
    const editable = visitsEditable(visit.campaign);
    return reply.page(
      'onsite/visit',
      {
        area,
        visit,
        editable,
        criteria: editable ? await checkableCriteria(req.em, actorOf(req), visit.campaign) : [],
        errors: translateErrors(req.t, extra.errors ?? {}),
        values: extra.values ?? {},
        saved: req.query?.saved === '1' && !extra.errors,
        results: findingResults,
      },
      { title: req.t('onsite.visit.title', { unit: visit.unit.name }), status: extra.status },
    );
  }

  const afterChange = (visit: Visit, hash?: string) =>
    paths.onsite.visit(area, visit.campaign.code, visit.id, { saved: 1 }, hash);

  app.get<{ Params: P; Querystring: Record<string, string> }>('/campaigns/:code/visits/:visit', async (req, reply) => {
    const visit = await visitOf(req);
    if (!visit) return reply.callNotFound();
    return visitPage(req, reply, visit);
  });

  app.post<{ Params: P; Querystring: Record<string, string> }>('/campaigns/:code/visits/:visit', async (req, reply) => {
    const visit = await visitOf(req);
    if (!visit) return reply.callNotFound();
    const values = formValues(req.body, ['visitedOn', 'members']);
    const form = parseForm(visitForm, req.body);
    if (!form.ok) return visitPage(req, reply, visit, { errors: form.errors, values, status: 422 });
    const outcome = await updateVisit(req.em, actorOf(req), visit, form.data, todayInVietnam());
    if (!outcome.ok)
      return visitPage(req, reply, visit, {
        errors: outcome.errors ?? {},
        values,
        status: outcome.kind === 'locked' ? 409 : 422,
      });
    return reply.redirect(afterChange(visit, 'details'), 303);
  });

  app.post<{ Params: P; Querystring: Record<string, string> }>(
    '/campaigns/:code/visits/:visit/findings',
    async (req, reply) => {
      const visit = await visitOf(req);
      if (!visit) return reply.callNotFound();
      const values = formValues(req.body, ['criterion', 'result', 'note']);
      const form = parseForm(findingForm, req.body);
      if (!form.ok) return visitPage(req, reply, visit, { errors: form.errors, values, status: 422 });
      const outcome = await setFinding(req.em, actorOf(req), visit, form.data);
      if (!outcome.ok)
        return visitPage(req, reply, visit, {
          errors: outcome.errors ?? {},
          values,
          status: outcome.kind === 'locked' ? 409 : 422,
        });
      return reply.redirect(afterChange(visit, 'findings'), 303);
    },
  );

  app.post<{ Params: P; Querystring: Record<string, string> }>(
    '/campaigns/:code/visits/:visit/findings/:criterion/removal',
    async (req, reply) => {
      const visit = await visitOf(req);
      if (!visit) return reply.callNotFound();
      const outcome = await removeFinding(req.em, actorOf(req), visit, req.params.criterion ?? '');
      if (!outcome.ok) return visitPage(req, reply, visit, { errors: outcome.errors ?? {}, status: 409 });
      return reply.redirect(afterChange(visit, 'findings'), 303);
    },
  );

  // The form's token is the body's first field (see src/http/body-token.ts).
  app.post<{ Params: P; Querystring: Record<string, string> }>(
    '/campaigns/:code/visits/:visit/minutes',
    { config: { csrfInMultipartBody: true } },
    async (req, reply) => {
      const visit = await visitOf(req);
      if (!visit) return reply.callNotFound();
      const refuse = (status: number, key: string) =>
        visitPage(req, reply, visit, { errors: { file: msg(key, { mb: maxMbOf(app, req) }) }, status });
      if (!req.isMultipart()) return refuse(422, 'onsite.error.file');
      const upload = await receiveEvidence(app, req, reply, store, visitsEditable(visit.campaign));
      if (!upload.ok) return refuse(upload.status, upload.key);
      const { file } = upload.received;
      if (!visitsEditable(visit.campaign)) {
        await discard(file);
        return visitPage(req, reply, visit, { errors: { _form: 'onsite.error.closed' }, status: 409 });
      }
      if (!file) return refuse(422, 'onsite.error.file');
      const outcome = await attachMinutes(req.em, store, actorOf(req), visit, file);
      if (!outcome.ok) {
        if (outcome.kind === 'locked')
          return visitPage(req, reply, visit, { errors: { _form: 'onsite.error.closed' }, status: 409 });
        return refuse(minutesStatus[outcome.kind], `evidence.error.${outcome.kind}`);
      }
      return reply.redirect(afterChange(visit, 'minutes'), 303);
    },
  );

  app.get<{ Params: P }>('/campaigns/:code/visits/:visit/minutes', { compress: false }, async (req, reply) => {
    const visit = await visitOf(req);
    if (!visit?.minutes || !(await store.has(visit.minutes.sha256))) return reply.callNotFound();
    return sendStoredFile(reply, store, visit.minutes);
  });
}
