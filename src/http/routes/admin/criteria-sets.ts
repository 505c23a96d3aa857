import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { criterionKinds, type Criterion } from '../../../db/entities/index.ts';
import { parentCode } from '../../../domain/scoring.ts';
import {
  campaignFreezing,
  checkSet,
  createCriteriaSet,
  criteriaSetChoices,
  findCriteriaSet,
  listCriteriaSets,
  loadCriteria,
  moveCriterion,
  removeCriterion,
  saveCriterion,
  updateCriteriaSet,
  type CriterionInput,
} from '../../../features/criteria-sets.ts';
import { activeAgencies } from '../../../features/units-and-agencies.ts';
import { formatScore, parseDec } from '../../../domain/decimal.ts';
import type { Language } from '../../../domain/language.ts';
import { ruleRows, scoringFromRows, type RuleKind } from '../../../domain/rules-text.ts';
import { parseForm, translateErrors, translateMessage, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { coAgenciesInherited, coAgenciesOf, setCoAgencies } from '../../../features/appraisal/coappraisal.ts';
import { addedRows, posted, readRows, rowErrors, spareRows, withSpareRows } from '../../row-tables.ts';

const setForm = z.object({
  name: z.string().trim().min(1, 'criteria.set.name.required').max(255),
  year: z.coerce
    .number({ error: 'criteria.set.year.number' })
    .int('criteria.set.year.number')
    .min(2000, 'criteria.set.year.number')
    .max(2100, 'criteria.set.year.number'),
  decision: z.string().trim().max(255).default(''),
  copyFrom: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null)),
});

const criterionForm = z.object({
  code: z.string().trim().max(32),
  title: z.string().max(2000).default(''),
  guidance: z.string().max(10_000).default(''),
  kind: z.enum(criterionKinds, { error: 'criteria.kind.invalid' }),
  minScore: z.string().max(20).default('0'),
  maxScore: z.string().max(20).default(''),
  scoring: z.string().max(1000).default(''),
  evidenceRequired: z.literal('on').optional(),
  agencyId: z.string().max(12).optional(),
  ruleKind: z.enum(['', 'levels', 'ratio', 'proportional'], { error: 'criteria.kind.invalid' }).optional(),
});

/** The scoring rule's two tables: the levels (name, points) and the ratio thresholds (percent, points). */
const levelColumns = { label: 'levelLabel', points: 'levelPoints' };
const ratioColumns = { percent: 'ratioPercent', points: 'ratioPoints' };

export interface RuleTables {
  kind: RuleKind;
  levels: Record<'label' | 'points', string>[];
  thresholds: Record<'percent' | 'points', string>[];
}

/** A stored rule as the form's rows, numbers as the reader writes them, with empty rows to fill. */
function storedRule(scoring: string | null, lang: Language): RuleTables {
  const rows = ruleRows(scoring);
  return {
    kind: rows.kind,
    levels: withSpareRows(
      rows.levels.map((l) => ({ label: l.label, points: formatScore(l.points, lang) })),
      levelColumns,
      spareRows,
    ),
    thresholds: withSpareRows(
      rows.thresholds.map((r) => ({ percent: formatScore(r.percent, lang), points: formatScore(r.points, lang) })),
      ratioColumns,
      spareRows,
    ),
  };
}

/** The rule's rows as posted, with more empty rows under the table whose "Thêm dòng" was pressed. */
function postedRule(body: unknown): RuleTables {
  const raw = (body ?? {}) as Record<string, unknown>;
  const add = (table: string) => (raw.addRows === table ? addedRows : 0);
  const kind = ['levels', 'ratio', 'proportional'].find((k) => k === raw.ruleKind) ?? '';
  return {
    kind: kind as RuleKind,
    levels: withSpareRows(readRows(body, levelColumns), levelColumns, add('levels')),
    thresholds: withSpareRows(readRows(body, ratioColumns), ratioColumns, add('ratio')),
  };
}

/** The fields the rule's check reads, as typed, when the form as a whole did not parse. */
function typedRule(body: Record<string, unknown> | undefined): {
  ruleKind?: RuleKind;
  scoring: string;
  minScore: string;
  maxScore: string;
} {
  const text = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  const kind = ['', 'levels', 'ratio', 'proportional'].find((k) => k === body?.ruleKind);
  return {
    ruleKind: kind as RuleKind | undefined,
    scoring: text(body?.scoring),
    minScore: text(body?.minScore, '0'),
    maxScore: text(body?.maxScore),
  };
}

/**
 * The scoring text of a posted criterion form: from the rule's tables when the form has them (the set-up page), or
 * the notation as posted (`scoring`, the workbook's). Errors name the row, keyed by the cell.
 */
function scoringOf(
  body: unknown,
  data: { ruleKind?: RuleKind; scoring: string; minScore: string; maxScore: string },
): { text: string; errors: FieldErrors } {
  if (data.ruleKind === undefined && !posted(body, { ...levelColumns, ...ratioColumns }))
    return { text: data.scoring, errors: {} };
  const min = parseDec(data.minScore || '0');
  const max = parseDec(data.maxScore);
  const range = min !== null && max !== null && min <= max ? { minScore: min, maxScore: max } : undefined;
  const outcome = scoringFromRows(
    data.ruleKind ?? '',
    readRows(body, levelColumns),
    readRows(body, ratioColumns),
    range,
  );
  return {
    text: outcome.ok ? outcome.text : '',
    errors:
      data.ruleKind === 'ratio'
        ? rowErrors('ratio', ratioColumns, outcome)
        : rowErrors('levels', levelColumns, outcome),
  };
}

type Params = { id: string; cid?: string };

export default async function criteriaSetRoutes(app: FastifyInstance) {
  const tr = (req: FastifyRequest, errors: FieldErrors) => translateErrors(req.t, errors);
  const actor = (req: FastifyRequest) => ({ id: req.user!.id });

  async function findSet(req: FastifyRequest<{ Params: Params }>) {
    return findCriteriaSet(req.em, Number(req.params.id));
  }

  const agencies = (req: FastifyRequest) => activeAgencies(req.em);

  app.get('/criteria-sets', async (req, reply) => {
    const sets = await listCriteriaSets(req.em);
    return reply.page('admin/criteria-sets/index', { sets }, { title: req.t('criteria.sets.title') });
  });

  const setFormPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const sets = await criteriaSetChoices(req.em);
    return reply.page(
      'admin/criteria-sets/new',
      { values, errors: tr(req, errors), sets },
      { status, title: req.t('criteria.sets.new') },
    );
  };

  app.get('/criteria-sets/new', async (req, reply) => setFormPage(req, reply, { year: new Date().getFullYear() + 1 }));

  app.post('/criteria-sets', async (req, reply) => {
    const form = parseForm(setForm, req.body);
    if (!form.ok) return setFormPage(req, reply, req.body as Record<string, unknown>, form.errors, 422);
    const outcome = await createCriteriaSet(req.em, actor(req), form.data);
    if (!outcome.ok) return setFormPage(req, reply, req.body as Record<string, unknown>, outcome.errors, 422);
    return reply.redirect(paths.admin.criteriaSet(outcome.value.id), 303);
  });

  const setPage = async (
    req: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {},
  ) => {
    const set = await findSet(req);
    if (!set) return reply.callNotFound();
    const criteria = await loadCriteria(req.em, set.id);
    const parents = new Set(criteria.map((c) => parentCode(c.code)));
    const frozen = await campaignFreezing(req.em, set.id);
    const total =
      criteria.filter((c) => !c.code.includes('.')).reduce((s, c) => s + Math.round(Number(c.maxScore) * 1000), 0) /
      1000;
    return reply.page(
      'admin/criteria-sets/show',
      {
        set,
        frozen,
        total: String(total),
        issues: checkSet(criteria).map((i) => ({ ...i, message: translateMessage(req.t, i.message) })),
        rows: criteria.map((c) => ({
          c,
          depth: c.code.split('.').length - 1,
          leaf: !parents.has(c.code),
          rule: ruleRows(c.scoring ?? null),
        })),
        values: extra.values ?? { name: set.name, year: set.year, decision: set.decision },
        errors: tr(req, extra.errors ?? {}),
        saved: (req.query as Record<string, string>).saved,
      },
      { status: extra.status, title: set.name },
    );
  };

  app.get<{ Params: Params }>('/criteria-sets/:id', async (req, reply) => setPage(req, reply));

  app.post<{ Params: Params }>('/criteria-sets/:id', async (req, reply) => {
    const set = await findSet(req);
    if (!set) return reply.callNotFound();
    const form = parseForm(setForm.omit({ copyFrom: true }), req.body);
    if (!form.ok)
      return setPage(req, reply, { errors: form.errors, values: req.body as Record<string, unknown>, status: 422 });
    await updateCriteriaSet(req.em, actor(req), set.id, form.data);
    return reply.redirect(paths.admin.criteriaSet(set.id, { saved: 1 }), 303);
  });

  const criterionPage = async (
    req: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    criterion: Criterion | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const set = await findSet(req);
    if (!set) return reply.callNotFound();
    const criteria = await loadCriteria(req.em, set.id);
    const isParent = criterion ? criteria.some((c) => parentCode(c.code) === criterion.code) : false;
    if (errors.scoring) {
      const { scoring, ...rest } = errors;
      errors = { ...rest, ruleKind: scoring };
    }
    const rule =
      req.method === 'POST' && !req.url.endsWith('/co-agencies')
        ? postedRule(req.body)
        : storedRule((values.scoring as string | undefined) ?? null, req.lang);
    return reply.page(
      'admin/criteria-sets/criterion',
      {
        set,
        criterion,
        isParent,
        rule,
        ruleShown: ruleRows((values.scoring as string | undefined) ?? criterion?.scoring ?? null),
        values,
        errors: tr(req, errors),
        coAgencies: criterion ? await coAgencyPanel(req, criterion) : null,
        coSaved: (req.query as Record<string, string> | undefined)?.saved === 'co',
        agencies: await agencies(req),
        kinds: criterionKinds,
        frozen: await campaignFreezing(req.em, set.id),
      },
      { status, title: criterion ? `${criterion.code} ${criterion.title}` : req.t('criteria.new') },
    );
  };

  app.get<{ Params: Params; Querystring: { parent?: string } }>(
    '/criteria-sets/:id/criteria/new',
    async (req, reply) => {
      const set = await findSet(req);
      if (!set) return reply.callNotFound();
      const criteria = await loadCriteria(req.em, set.id);
      const parent = req.query.parent && criteria.some((c) => c.code === req.query.parent) ? req.query.parent : null;
      const siblings = criteria
        .filter((c) => parentCode(c.code) === parent)
        .map((c) => Number(c.code.split('.').at(-1)));
      const next = (siblings.length ? Math.max(...siblings) : 0) + 1;
      return criterionPage(req, reply, null, {
        code: parent ? `${parent}.${next}` : String(next),
        kind: 'self',
        minScore: '0',
      });
    },
  );

  const criterionInput = (data: z.infer<typeof criterionForm>, scoring: string): CriterionInput => ({
    code: data.code,
    title: data.title,
    guidance: data.guidance,
    kind: data.kind,
    minScore: data.minScore,
    maxScore: data.maxScore,
    scoring,
    evidenceRequired: data.evidenceRequired === 'on',
    agencyId: data.agencyId ? Number(data.agencyId) || null : null,
  });

  app.post<{ Params: Params }>('/criteria-sets/:id/criteria', async (req, reply) => {
    const set = await findSet(req);
    if (!set) return reply.callNotFound();
    const values = req.body as Record<string, unknown>;
    if (values?.addRows) return criterionPage(req, reply, null, values);
    const form = parseForm(criterionForm, req.body);
    // The rule's rows are checked even when another field is wrong: every error at once.
    const scoring = scoringOf(req.body, form.ok ? form.data : typedRule(values));
    if (!form.ok) return criterionPage(req, reply, null, values, { ...form.errors, ...scoring.errors }, 422);
    if (Object.keys(scoring.errors).length) return criterionPage(req, reply, null, values, scoring.errors, 422);
    const outcome = await saveCriterion(req.em, actor(req), set.id, null, criterionInput(form.data, scoring.text));
    if (!outcome.ok) return criterionPage(req, reply, null, req.body as Record<string, unknown>, outcome.errors, 422);
    return reply.redirect(paths.admin.criteriaSet(set.id, { saved: 1 }, `c-${outcome.value.id}`), 303);
  });

  async function findCriterion(req: FastifyRequest<{ Params: Params }>) {
    const set = await findSet(req);
    if (!set) return null;
    return (await loadCriteria(req.em, set.id)).find((c) => c.id === Number(req.params.cid)) ?? null;
  }

  app.get<{ Params: Params }>('/criteria-sets/:id/criteria/:cid/edit', async (req, reply) => {
    const c = await findCriterion(req);
    if (!c) return reply.callNotFound();
    const agency = c.agency ? (typeof c.agency === 'number' ? c.agency : c.agency.id) : '';
    return criterionPage(req, reply, c, {
      ...c,
      evidenceRequired: c.evidenceRequired ? 'on' : undefined,
      scoring: c.scoring ?? '',
      agencyId: agency,
    });
  });

  app.post<{ Params: Params }>('/criteria-sets/:id/criteria/:cid', async (req, reply) => {
    const c = await findCriterion(req);
    if (!c) return reply.callNotFound();
    const values = req.body as Record<string, unknown>;
    if (values?.addRows) return criterionPage(req, reply, c, values);
    const form = parseForm(criterionForm, req.body);
    // The rule's rows are checked even when another field is wrong: every error at once.
    const scoring = scoringOf(req.body, form.ok ? form.data : typedRule(values));
    if (!form.ok) return criterionPage(req, reply, c, values, { ...form.errors, ...scoring.errors }, 422);
    if (Object.keys(scoring.errors).length) return criterionPage(req, reply, c, values, scoring.errors, 422);
    const outcome = await saveCriterion(
      req.em,
      actor(req),
      Number(req.params.id),
      c.id,
      criterionInput(form.data, scoring.text),
    );
    if (!outcome.ok) return criterionPage(req, reply, c, req.body as Record<string, unknown>, outcome.errors, 422);
    return reply.redirect(paths.admin.criteriaSet(req.params.id, { saved: 1 }, `c-${c.id}`), 303);
  });

  /** A criterion's co-appraising agencies and its lead (issue 23), for the section of its page. */
  async function coAgencyPanel(req: FastifyRequest, criterion: Criterion) {
    const own = await coAgenciesOf(req.em, criterion.id);
    const inherited = (await coAgenciesInherited(req.em, criterion.id)).filter((a) => !own.some((o) => o.id === a.id));
    return { own, inherited };
  }

  /** The secretariat sets a criterion's co-appraising agencies, even once the set is in use (it changes no score). */
  app.post<{ Params: Params }>('/criteria-sets/:id/criteria/:cid/co-agencies', async (req, reply) => {
    const c = await findCriterion(req);
    if (!c) return reply.callNotFound();
    const raw = (req.body as Record<string, unknown> | undefined)?.agency;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) =>
      typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN,
    );
    const outcome = await setCoAgencies(
      req.em,
      actor(req),
      { id: c.id, criteriaSetId: Number(req.params.id), code: c.code },
      ids,
    );
    if (!outcome.ok) {
      const agency = c.agency ? (typeof c.agency === 'number' ? c.agency : c.agency.id) : '';
      const values = {
        ...c,
        evidenceRequired: c.evidenceRequired ? 'on' : undefined,
        scoring: c.scoring ?? '',
        agencyId: agency,
      };
      return criterionPage(
        req,
        reply,
        c,
        values,
        { 'co-agency': outcome.errors.agency ?? outcome.errors._form ?? '' },
        422,
      );
    }
    return reply.redirect(paths.admin.criterionEdit(req.params.id, c.id, { saved: 'co' }, 'co-agencies'), 303);
  });

  app.post<{ Params: Params; Body: { direction?: string } }>(
    '/criteria-sets/:id/criteria/:cid/position',
    async (req, reply) => {
      const c = await findCriterion(req);
      if (!c) return reply.callNotFound();
      const outcome = await moveCriterion(
        req.em,
        actor(req),
        Number(req.params.id),
        c.id,
        req.body?.direction === 'up' ? 'up' : 'down',
      );
      if (!outcome.ok) return setPage(req, reply, { errors: outcome.errors, status: 422 });
      return reply.redirect(paths.admin.criteriaSet(req.params.id, {}, `c-${c.id}`), 303);
    },
  );

  app.get<{ Params: Params }>('/criteria-sets/:id/criteria/:cid/removal', async (req, reply) => {
    const c = await findCriterion(req);
    if (!c) return reply.callNotFound();
    const all = await loadCriteria(req.em, Number(req.params.id));
    const subtree = all.filter((x) => x.code.startsWith(`${c.code}.`));
    return reply.page(
      'admin/criteria-sets/removal',
      { setId: req.params.id, c, subtree, errors: {} },
      { title: req.t('criteria.remove') },
    );
  });

  app.post<{ Params: Params }>('/criteria-sets/:id/criteria/:cid/removal', async (req, reply) => {
    const c = await findCriterion(req);
    if (!c) return reply.callNotFound();
    const outcome = await removeCriterion(req.em, actor(req), Number(req.params.id), c.id);
    if (!outcome.ok) return setPage(req, reply, { errors: outcome.errors, status: 422 });
    return reply.redirect(paths.admin.criteriaSet(req.params.id, { saved: 1 }), 303);
  });
}
