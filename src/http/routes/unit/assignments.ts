import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateProblem, parseCalendarDate } from '../../../domain/dates.ts';
import { loadTree } from '../../../features/self-assessment/criteria-tree.ts';
import {
  type AssigneeInput,
  assignmentsOf,
  saveUnitBody,
  setCriterionAssignments,
  unitBodies,
} from '../../../features/self-assessment/hands.ts';
import { assignableUsers } from '../../../features/self-assessment/submit.ts';
import { scoreRef, type UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { contextOf, type UnitParams } from './shared.ts';

type Q = { Params: UnitParams; Querystring: Record<string, string> };

const assignmentsOfCriterion = (ctx: UnitContext, code: string) =>
  paths.unit.assignment(ctx.unit.code, ctx.campaign.code, code);
const bodiesPath = (ctx: UnitContext) => paths.unit.bodies(ctx.unit.code, ctx.campaign.code);

/**
 * Who works on which criterion (issue 23): the officer's overview of every assignment with its due date (late ones
 * marked), a criterion's own form (several people and bodies, a due date each), and the unit's named bodies.
 */
export default async function unitAssignmentRoutes(app: FastifyInstance) {
  /** The leaves the unit scores itself (not the appraisers', not an exempted one): the only ones assigned. */
  const assignable = async (req: FastifyRequest, ctx: UnitContext) =>
    (await loadTree(req.em, ctx)).filter((n) => n.leaf && n.score && n.kind === 'self' && !n.exempt);

  app.get<Q>('/:unit/campaigns/:code/assignments', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    const nodes = await loadTree(req.em, ctx);
    const leaves = nodes.filter((n) => n.leaf && n.score && n.kind === 'self' && !n.exempt);
    const hands = await assignmentsOf(
      req.em,
      leaves.map((n) => n.score!.id),
    );
    return reply.page(
      'unit/assignments',
      {
        ctx,
        nodes,
        hands,
        lateOnly: req.query.late === '1',
        saved: req.query.saved ?? null,
        open: req.query.field ?? null,
        assignPath: (code: string) => assignmentsOfCriterion(ctx, code),
        bodiesPath: bodiesPath(ctx),
      },
      { title: req.t('unit.assign.title') },
    );
  });

  async function criterionForm(
    req: FastifyRequest<Q>,
    reply: FastifyReply,
    ctx: UnitContext,
    code: string,
    extra: { errors?: Record<string, string>; chosen?: Record<string, unknown>; status?: number } = {},
  ) {
    const node = (await assignable(req, ctx)).find((n) => n.code === code);
    if (!node) return reply.callNotFound();
    const hands = (await assignmentsOf(req.em, [node.score!.id])).get(node.score!.id) ?? [];
    return reply.page(
      'unit/assignment',
      {
        ctx,
        n: node,
        hands,
        people: await assignableUsers(req.em, ctx.unit.id),
        bodies: await unitBodies(req.em, ctx.unit.id),
        errors: extra.errors ?? {},
        chosen: extra.chosen ?? null,
        action: assignmentsOfCriterion(ctx, code),
        bodiesPath: bodiesPath(ctx),
      },
      { status: extra.status ?? 200, title: req.t('hands.criterion.title', { code }) },
    );
  }

  app.get<Q>('/:unit/campaigns/:code/assignments/:criterion', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    return criterionForm(req, reply, ctx, req.params.criterion!);
  });

  app.post<Q>('/:unit/campaigns/:code/assignments/:criterion', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    const ref = await scoreRef(req.em, ctx, req.params.criterion!);
    const node = ref && (await assignable(req, ctx)).find((n) => n.code === ref.criterionCode);
    if (!ref || !node) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    // Each person (`u-<id>`) and body (`b-<id>`) ticked, with its due date (`due-u-<id>`, `due-b-<id>`).
    const errors: Record<string, string> = {};
    const assignees: AssigneeInput[] = [];
    const keys = new Set(Object.keys(body).map((k) => k.replace(/^due-/, '')));
    for (const key of keys) {
      const m = /^([ub])-(\d{1,9})$/.exec(key);
      if (!m) continue;
      const due = text(`due-${key}`);
      const ticked = body[key] === 'on';
      // A due date beside someone not ticked goes with them.
      let dueDate: string | null = null;
      if (ticked && due) {
        dueDate = parseCalendarDate(due);
        if (!dueDate || calendarDateProblem(due)) errors[`due-${key}`] = 'hands.criterion.dueInvalid';
      }
      if (ticked)
        assignees.push({
          userId: m[1] === 'u' ? Number(m[2]) : null,
          bodyId: m[1] === 'b' ? Number(m[2]) : null,
          dueDate,
        });
    }
    const refuse = (status: number, errs: Record<string, string>) =>
      criterionForm(req, reply, ctx, node.code, { errors: errs, chosen: body, status });
    if (Object.keys(errors).length) return refuse(422, translateErrors(req.t, errors));
    const outcome = await setCriterionAssignments(req.em, ctx, ref.id, assignees);
    if (!outcome.ok) {
      const key =
        outcome.kind === 'unknownAssignee'
          ? 'unit.assign.invalid'
          : outcome.kind === 'locked'
            ? 'unit.assign.locked'
            : 'unit.assign.forbidden';
      return refuse(outcome.kind === 'unknownAssignee' ? 422 : 409, { _form: req.t(key) });
    }
    return reply.redirect(
      paths.unit.assignments(
        ctx.unit.code,
        ctx.campaign.code,
        { saved: node.code, field: node.field },
        `a-${node.code.replaceAll('.', '-')}`,
      ),
      303,
    );
  });

  async function bodiesPage(
    req: FastifyRequest<Q>,
    reply: FastifyReply,
    ctx: UnitContext,
    extra: { errors?: Record<string, string>; values?: Record<string, string>; status?: number } = {},
  ) {
    return reply.page(
      'unit/bodies',
      {
        ctx,
        bodies: await unitBodies(req.em, ctx.unit.id),
        people: await assignableUsers(req.em, ctx.unit.id),
        errors: extra.errors ?? {},
        values: extra.values ?? {},
        saved: req.query.saved === '1',
        action: bodiesPath(ctx),
      },
      { status: extra.status ?? 200, title: req.t('hands.bodies.title') },
    );
  }

  app.get<Q>('/:unit/campaigns/:code/bodies', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    return bodiesPage(req, reply, ctx);
  });

  app.post<Q>('/:unit/campaigns/:code/bodies', async (req, reply) => {
    const ctx = await contextOf(req);
    if (!ctx?.mayAssign) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.slice(0, 1000) : '';
    const contact = typeof body.contact === 'string' ? body.contact : '';
    const values = { name, contact };
    const outcome = await saveUnitBody(req.em, ctx, {
      name,
      contactId: /^\d{1,9}$/.test(contact) ? Number(contact) : null,
    });
    if (!outcome.ok) {
      const errors =
        outcome.kind === 'invalid' ? translateErrors(req.t, outcome.errors) : { _form: req.t('unit.assign.forbidden') };
      return bodiesPage(req, reply, ctx, { errors, values, status: outcome.kind === 'invalid' ? 422 : 403 });
    }
    return reply.redirect(paths.unit.bodies(ctx.unit.code, ctx.campaign.code, { saved: 1 }), 303);
  });
}
