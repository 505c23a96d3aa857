import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { format } from '../../../domain/decimal.ts';
import { ruleOf } from '../../../domain/declared.ts';
import { listEvidence } from '../../../features/evidence/upload.ts';
import { scoreRef, type UnitContext } from '../../../features/self-assessment/unit-access.ts';
import { loadTree, missingOf, type Missing, type Node } from '../../../features/self-assessment/criteria-tree.ts';
import { saveCriterionScore, storedScore, type StoredScore } from '../../../features/self-assessment/save.ts';
import { assignmentsOf } from '../../../features/self-assessment/hands.ts';
import { translateErrors } from '../../forms.ts';
import { wantsFragment } from '../../render.ts';
import { paths } from '../../paths.ts';
import { anchorOf, contextOf, daysLeft, maxMbOf, type UnitParams } from './shared.ts';

const scoreForm = z.object({
  score: z.string().max(20).optional(),
  level: z.string().max(255).optional(),
  achieved: z.string().max(20).optional(),
  total: z.string().max(20).optional(),
  notApplicable: z.literal('on').optional(),
  explanation: z.string().max(20_000).default(''),
  version: z.coerce.number().int().min(0),
});

export interface CriterionOverride {
  code: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  conflict?: StoredScore;
}

/** The criteria and the unit's answers, one field at a time (or what is missing), and saving one criterion's answer. */
export default async function unitCriteriaRoutes(app: FastifyInstance) {
  async function criteriaPage(
    req: FastifyRequest<{ Params: UnitParams; Querystring: Record<string, string> }>,
    reply: FastifyReply,
    ctx: UnitContext,
    override?: CriterionOverride,
    status = 200,
  ) {
    const nodes = await loadTree(req.em, ctx);
    const fields = nodes.filter((n) => n.depth === 0);
    const missing = (['score', 'explanation', 'evidence'] as Missing[]).find((m) => m === req.query.missing) ?? null;
    const field = override
      ? override.code.split('.')[0]
      : (fields.find((f) => f.code === req.query.field)?.code ?? (missing ? null : (fields[0]?.code ?? null)));
    const shown = nodes.filter(
      (n) => (field === null || n.field === field) && (!missing || !n.leaf || missingOf(n).includes(missing)),
    );
    const visible = missing
      ? shown.filter((n) => n.leaf || shown.some((l) => l.leaf && l.code.startsWith(`${n.code}.`)))
      : shown;
    const scoreIds = visible.filter((n) => n.leaf && n.score).map((n) => n.score!.id);
    const evidence = await listEvidence(req.em, scoreIds);
    return reply.page(
      'unit/criteria',
      {
        ctx,
        fields,
        field,
        missing,
        nodes: visible,
        evidence,
        hands: await assignmentsOf(req.em, scoreIds),
        override: override ?? null,
        saved: req.query.saved ?? null,
        rule: (n: Node) => ruleOf(n),
        anchorOf,
        points: format,
        daysLeft: daysLeft(ctx),
        maxMb: maxMbOf(app, req),
      },
      { status, title: `${ctx.unit.name} — ${req.t('unit.criteria.title')}` },
    );
  }

  app.get<{ Params: UnitParams; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/criteria',
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx) return reply.callNotFound();
      return criteriaPage(req, reply, ctx);
    },
  );

  /** The address a refused save without JavaScript shows: opened again, it is the criterion on its field's page. */
  app.get<{ Params: UnitParams }>('/:unit/campaigns/:code/criteria/:criterion', async (req, reply) => {
    const ctx = await contextOf(req);
    const ref = ctx && (await scoreRef(req.em, ctx, req.params.criterion!));
    if (!ctx || !ref) return reply.callNotFound();
    const code = ref.criterionCode;
    return reply.redirect(
      paths.unit.criteria(ctx.unit.code, ctx.campaign.code, { field: code.split('.')[0] }, anchorOf(code)),
      303,
    );
  });

  app.post<{ Params: UnitParams; Querystring: Record<string, string> }>(
    '/:unit/campaigns/:code/criteria/:criterion',
    async (req, reply) => {
      const ctx = await contextOf(req);
      if (!ctx) return reply.callNotFound();
      const ref = await scoreRef(req.em, ctx, req.params.criterion!);
      if (!ref) return reply.callNotFound();
      const node = (await loadTree(req.em, ctx)).find((n) => n.code === ref.criterionCode)!;
      if (node.exempt || node.kind !== 'self') return reply.callNotFound();
      // Issue 23: the officer (or the head) alone compiles the one score and explanation; assignees add files and notes.
      if (ctx.role === 'contributor') {
        const heading = req.t('errors.forbidden.title');
        return reply.page(
          'errors/error',
          { heading, body: req.t('hands.compile.onlyOfficer') },
          { status: 403, title: heading },
        );
      }
      const anchor = anchorOf(node.code);
      const fragment = wantsFragment(req, anchor);
      const values = (req.body ?? {}) as Record<string, unknown>;
      const renderOne = async (status: number, override?: CriterionOverride, fresh?: Node) => {
        if (!fragment) return criteriaPage(req, reply, ctx, override, status);
        const evidence = await listEvidence(req.em, [ref.id]);
        return reply.page(
          'unit/_criterion',
          {
            ctx,
            n: fresh ?? node,
            evidence,
            hands: await assignmentsOf(req.em, [ref.id]),
            override: override ?? null,
            rule: ruleOf,
            anchorOf,
            points: format,
            maxMb: maxMbOf(app, req),
            justSaved: !override && status === 200,
          },
          { status, fragment: anchor },
        );
      };
      const form = scoreForm.safeParse(values);
      if (!form.success)
        return renderOne(422, { code: node.code, values, errors: { _form: req.t('unit.criterion.badForm') } });
      const outcome = await saveCriterionScore(req.em, ctx, ref.id, node, {
        ...form.data,
        notApplicable: form.data.notApplicable === 'on',
      });
      if (!outcome.ok) {
        if (outcome.kind === 'locked')
          return renderOne(409, {
            code: node.code,
            values,
            errors: {
              _form: req.t(
                `unit.locked.${outcome.reason ?? ctx.lockedReason ?? 'submitted'}` as 'unit.locked.submitted',
              ),
            },
          });
        if (outcome.kind === 'conflict') {
          return renderOne(409, {
            code: node.code,
            values: { ...values, version: outcome.theirs.version },
            errors: { _form: req.t('unit.criterion.conflict') },
            conflict: outcome.theirs,
          });
        }
        return renderOne(422, { code: node.code, values, errors: translateErrors(req.t, outcome.errors) });
      }
      if (!fragment)
        return reply.redirect(
          paths.unit.criteria(ctx.unit.code, ctx.campaign.code, { field: node.field, saved: node.code }, anchor),
          303,
        );
      const fresh = { ...node, score: { ...node.score!, ...(await storedScore(req.em, ref.id)) } };
      return renderOne(200, undefined, fresh);
    },
  );
}
