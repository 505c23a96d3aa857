import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { format } from '../../domain/decimal.ts';
import { ruleOf } from '../../domain/declared.ts';
import { listEvidence } from '../../features/evidence/upload.ts';
import { unitContext, scoreRef, type UnitContext } from '../../features/self-assessment/unit-access.ts';
import { loadTree, missingOf, progress, type Missing, type Node } from '../../features/self-assessment/criteria-tree.ts';
import { saveCriterionScore, storedScore, type StoredScore } from '../../features/self-assessment/save.ts';
import { assignableUsers, assignCriteria, submitSelfAssessment } from '../../features/self-assessment/submit.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { translateErrors } from '../forms.ts';
import { wantsFragment } from '../render.ts';

type P = { unit: string; code: string; criterion?: string };

const scoreForm = z.object({
  score: z.string().max(20).optional(),
  level: z.string().max(255).optional(),
  achieved: z.string().max(20).optional(),
  total: z.string().max(20).optional(),
  notApplicable: z.literal('on').optional(),
  explanation: z.string().max(20_000).default(''),
  version: z.coerce.number().int().min(0),
});

/** The HTML id of a criterion's block: `c-3-2-6`. */
export const anchorOf = (code: string) => `c-${code.replaceAll('.', '-')}`;

export interface CriterionOverride {
  code: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  conflict?: StoredScore;
}

export default async function unitSelfAssessmentRoutes(app: FastifyInstance) {
  async function context(req: FastifyRequest<{ Params: P }>): Promise<UnitContext | null> {
    return unitContext(req.em, req.user!, req.params.unit, req.params.code);
  }
  const base = (ctx: UnitContext) => `/unit/${ctx.unit.code}/campaigns/${ctx.campaign.code}`;
  const maxMb = (req: FastifyRequest) => String(app.config.EVIDENCE_MAX_MB).replace('.', req.lang === 'vi' ? ',' : '.');
  const daysLeft = (ctx: UnitContext) => (ctx.deadline ? Math.round((Date.parse(ctx.deadline) - Date.parse(todayInVietnam())) / 86_400_000) : null);

  app.get<{ Params: P }>('/:unit/campaigns/:code', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    const nodes = await loadTree(req.em, ctx);
    const fields = progress(nodes);
    return reply.page('unit/campaign', { ctx, fields, daysLeft: daysLeft(ctx), base: base(ctx) }, { title: `${ctx.campaign.name} — ${ctx.unit.name}` });
  });

  async function criteriaPage(req: FastifyRequest<{ Params: P; Querystring: Record<string, string> }>, reply: FastifyReply, ctx: UnitContext, override?: CriterionOverride, status = 200) {
    const nodes = await loadTree(req.em, ctx);
    const fields = nodes.filter((n) => n.depth === 0);
    const missing = (['score', 'explanation', 'evidence'] as Missing[]).find((m) => m === req.query.missing) ?? null;
    const field = override ? override.code.split('.')[0] : (fields.find((f) => f.code === req.query.field)?.code ?? (missing ? null : fields[0]?.code ?? null));
    const shown = nodes.filter((n) => (field === null || n.field === field) && (!missing || !n.leaf || missingOf(n).includes(missing)));
    const visible = missing ? shown.filter((n) => n.leaf || shown.some((l) => l.leaf && l.code.startsWith(n.code + '.'))) : shown;
    const evidence = await listEvidence(req.em, visible.filter((n) => n.leaf && n.score).map((n) => n.score!.id));
    return reply.page('unit/criteria', {
      ctx, base: base(ctx), fields, field, missing, nodes: visible, evidence, override: override ?? null, saved: req.query.saved ?? null,
      rule: (n: Node) => ruleOf(n), anchorOf, points: format, daysLeft: daysLeft(ctx), maxMb: maxMb(req),
    }, { status, title: `${ctx.unit.name} — ${req.t('unit.criteria.title')}` });
  }

  app.get<{ Params: P; Querystring: Record<string, string> }>('/:unit/campaigns/:code/criteria', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    return criteriaPage(req, reply, ctx);
  });

  app.post<{ Params: P; Querystring: Record<string, string> }>('/:unit/campaigns/:code/criteria/:criterion', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    const ref = await scoreRef(req.em, ctx, req.params.criterion!);
    if (!ref) return reply.callNotFound();
    const node = (await loadTree(req.em, ctx)).find((n) => n.code === ref.criterionCode)!;
    if (node.exempt || node.kind !== 'self') return reply.callNotFound();
    const anchor = anchorOf(node.code);
    const fragment = wantsFragment(req, anchor);
    const values = (req.body ?? {}) as Record<string, unknown>;
    const renderOne = async (status: number, override?: CriterionOverride, fresh?: Node) => {
      if (!fragment) return criteriaPage(req, reply, ctx, override, status);
      const evidence = await listEvidence(req.em, [ref.id]);
      return reply.page('unit/_criterion', { ctx, base: base(ctx), n: fresh ?? node, evidence, override: override ?? null, rule: ruleOf, anchorOf, points: format, maxMb: maxMb(req), justSaved: !override && status === 200 }, { status, fragment: anchor });
    };
    const form = scoreForm.safeParse(values);
    if (!form.success) return renderOne(422, { code: node.code, values, errors: { _form: req.t('unit.criterion.badForm') } });
    const outcome = await saveCriterionScore(req.em, ctx, ref.id, node, { ...form.data, notApplicable: form.data.notApplicable === 'on' });
    if (!outcome.ok) {
      if (outcome.kind === 'locked') return renderOne(409, { code: node.code, values, errors: { _form: req.t('unit.locked.' + (outcome.reason ?? ctx.lockedReason ?? 'submitted') as 'unit.locked.submitted') } });
      if (outcome.kind === 'conflict') {
        return renderOne(409, { code: node.code, values: { ...values, version: outcome.theirs.version }, errors: { _form: req.t('unit.criterion.conflict') }, conflict: outcome.theirs });
      }
      return renderOne(422, { code: node.code, values, errors: translateErrors(req.t, outcome.errors) });
    }
    if (!fragment) return reply.redirect(`${base(ctx)}/criteria?field=${node.field}&saved=${encodeURIComponent(node.code)}#${anchor}`, 303);
    const fresh = { ...node, score: { ...node.score!, ...(await storedScore(req.em, ref.id)) } };
    return renderOne(200, undefined, fresh);
  });

  app.get<{ Params: P; Querystring: Record<string, string> }>('/:unit/campaigns/:code/assignments', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx || !ctx.mayAssign) return reply.callNotFound();
    const nodes = await loadTree(req.em, ctx);
    return reply.page('unit/assignments', { ctx, base: base(ctx), nodes, people: await assignableUsers(req.em, ctx.unit.id), saved: req.query.saved }, { title: req.t('unit.assign.title') });
  });

  app.post<{ Params: P }>('/:unit/campaigns/:code/assignments', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx || !ctx.mayAssign) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nodes = (await loadTree(req.em, ctx)).filter((n) => n.leaf && n.score);
    const changes = nodes
      .filter((n) => `who-${n.score!.id}` in body)
      .map((n) => {
        const who = String(body[`who-${n.score!.id}`] ?? '');
        const bodyName = String(body[`body-${n.score!.id}`] ?? '').slice(0, 255);
        return { scoreId: n.score!.id, assigneeId: /^\d+$/.test(who) ? Number(who) : null, assigneeBody: bodyName || null };
      });
    const outcome = await assignCriteria(req.em, ctx, changes);
    if (!outcome.ok) {
      const status = outcome.kind === 'invalid' ? 422 : 409;
      return reply.page('unit/assignments', {
        ctx, base: base(ctx), nodes: await loadTree(req.em, ctx), people: await assignableUsers(req.em, ctx.unit.id),
        errors: { _form: req.t(`unit.assign.${outcome.kind}` as 'unit.assign.invalid') },
      }, { status, title: req.t('unit.assign.title') });
    }
    return reply.redirect(`${base(ctx)}/assignments?saved=${outcome.changed}`, 303);
  });

  const submissionPage = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, ctx: UnitContext, status = 200, errors: Record<string, string> = {}) => {
    const nodes = await loadTree(req.em, ctx);
    const missing = nodes.filter((n) => missingOf(n).length > 0).map((n) => ({ n, missing: missingOf(n) }));
    return reply.page('unit/submission', { ctx, base: base(ctx), fields: progress(nodes), missing, anchorOf, errors }, { status, title: req.t('unit.submit.title') });
  };

  app.get<{ Params: P }>('/:unit/campaigns/:code/submission', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    return submissionPage(req, reply, ctx);
  });

  app.post<{ Params: P }>('/:unit/campaigns/:code/submission', async (req, reply) => {
    const ctx = await context(req);
    if (!ctx) return reply.callNotFound();
    const outcome = await submitSelfAssessment(req.em, ctx);
    if (outcome.ok) return reply.redirect(`${base(ctx)}/submission`, 303);
    const status = outcome.kind === 'forbidden' ? 403 : outcome.kind === 'locked' ? 409 : 422;
    return submissionPage(req, reply, ctx, status, { _form: req.t(`unit.submit.${outcome.kind}` as 'unit.submit.incomplete') });
  });
}
