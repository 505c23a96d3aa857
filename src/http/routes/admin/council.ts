// The secretariat records a campaign's council and working group (issue 23, item 4): the founding decision, and who
// sits in each, with their agency and title. Behind the admin guard (admin/index.ts); every change is audited by
// the feature (src/features/council/members.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate } from '../../../domain/dates.ts';
import {
  addCouncilMember,
  loadCouncil,
  memberChoices,
  positions,
  removeCouncilMember,
  saveCouncilDecision,
} from '../../../features/council/members.ts';
import { formValues, translateErrors, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

type P = { code: string; id?: string };
type Q = { saved?: string };

const decisionFields = ['number', 'date', 'groupNumber', 'groupDate'] as const;
const memberFields = ['body', 'position', 'username', 'agency', 'title'] as const;

export default async function councilAdminRoutes(app: FastifyInstance) {
  const page = async (
    req: FastifyRequest<{ Params: P; Querystring: Q }>,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; errors?: FieldErrors; status?: number; form?: string } = {},
  ) => {
    const council = await loadCouncil(req.em, req.params.code);
    if (!council) return reply.callNotFound();
    const choices = await memberChoices(req.em);
    const d = council.decision;
    return reply.page(
      'council2/admin',
      {
        ...council,
        choices,
        positions,
        saved: req.query?.saved ?? null,
        form: extra.form ?? null,
        decisionValues:
          extra.form === 'decision'
            ? extra.values
            : {
                number: d?.number ?? '',
                date: d ? formatDate(d.date) : '',
                groupNumber: d?.groupNumber ?? '',
                groupDate: d?.groupDate ? formatDate(d.groupDate) : '',
              },
        memberValues: extra.form === 'member' ? extra.values : {},
        errors: translateErrors(req.t, extra.errors ?? {}),
      },
      { status: extra.status ?? 200, title: `${req.t('council2.admin.title')}: ${council.campaign.name}` },
    );
  };

  app.get<{ Params: P; Querystring: Q }>('/campaigns/:code/council', (req, reply) => page(req, reply));

  app.post<{ Params: P; Querystring: Q }>('/campaigns/:code/council/decision', async (req, reply) => {
    const values = formValues(req.body, decisionFields);
    const outcome = await saveCouncilDecision(req.em, req.user!, req.params.code, {
      number: values.number,
      date: values.date,
      groupNumber: values.groupNumber,
      groupDate: values.groupDate,
    });
    if (!outcome.ok) {
      if (outcome.kind === 'notFound') return reply.callNotFound();
      return page(req, reply, { values, errors: outcome.errors, status: 422, form: 'decision' });
    }
    return reply.redirect(paths.council2.admin(req.params.code, { saved: 'decision' }, 'decision'), 303);
  });

  app.post<{ Params: P; Querystring: Q }>('/campaigns/:code/council/members', async (req, reply) => {
    const values = formValues(req.body, memberFields);
    const outcome = await addCouncilMember(req.em, req.user!, req.params.code, {
      body: values.body,
      position: values.position,
      username: values.username,
      agency: values.agency,
      title: values.title,
    });
    if (!outcome.ok) {
      if (outcome.kind === 'notFound') return reply.callNotFound();
      return page(req, reply, { values, errors: outcome.errors, status: 422, form: 'member' });
    }
    return reply.redirect(paths.council2.admin(req.params.code, { saved: values.body }, values.body), 303);
  });

  app.post<{ Params: P; Querystring: Q }>('/campaigns/:code/council/members/:id/removal', async (req, reply) => {
    if (!/^\d{1,9}$/.test(req.params.id ?? '')) return reply.callNotFound();
    const outcome = await removeCouncilMember(req.em, req.user!, req.params.code, Number(req.params.id));
    if (!outcome.ok) return reply.callNotFound();
    return reply.redirect(paths.council2.admin(req.params.code, { saved: 'removed' }), 303);
  });
}
