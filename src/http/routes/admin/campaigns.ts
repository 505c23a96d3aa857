import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Campaign } from '../../../db/entities/index.ts';
import { campaignStates } from '../../../domain/workflow.ts';
import { calendarDateProblem, parseCalendarDate, formatDate, todayInVietnam } from '../../../domain/dates.ts';
import { formatScore } from '../../../domain/decimal.ts';
import {
  addExemption,
  advanceCampaign,
  checkAdvance,
  assessedUnits,
  campaignCounts,
  campaignExemptions,
  campaignUnitChoices,
  checkStep,
  createCampaign,
  extendDeadline,
  findCampaign,
  listCampaigns,
  removeExemption,
  secretariatSteps,
  setCampaignBlocks,
  setCampaignUnits,
  settingsOf,
  updateCampaign,
  type CampaignSettings,
} from '../../../features/campaigns.ts';
import { criteriaSetChoices, loadCriteria } from '../../../features/criteria-sets.ts';
import { correctAppraisal } from '../../../features/appraisal/correction.ts';
import { checkPublication, publishCampaign } from '../../../features/publication/publish.ts';
import { stepConsequences, type WeightyStep } from '../../../features/steps.ts';
import { publicationVersions } from '../../../features/publication/stored.ts';
import { parseForm, translateErrors, translateMessage, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { progressPage } from '../progress-page.ts';
import { extensionTargets, extensionsOf, grantExtension, publicationDue } from '../../../features/appraisal/window.ts';
import type { Language } from '../../../domain/language.ts';
import { bandsFromRows, compositionFromRows, parseBands, parseComposition } from '../../../domain/rules-text.ts';
import { addedRows, posted, readRows, rowErrors, spareRows, withSpareRows } from '../../row-tables.ts';

export const compositionPresets = ['appraisal:70,survey:30', 'appraisal:100'];
export const defaultBands = 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0';

const optionalDate = (field: string) =>
  z
    .string()
    .trim()
    .max(20)
    .default('')
    .transform((v, ctx) => {
      if (!v) return null;
      const iso = parseCalendarDate(v);
      // Written right but not on the calendar (31/02) is said as such, not as a wrong format.
      if (!iso)
        ctx.addIssue({
          code: 'custom',
          message: calendarDateProblem(v) === 'nonexistent' ? 'campaign.date.nonexistent' : 'campaign.date.format',
          path: [],
        });
      return iso;
    })
    .describe(field);

const campaignForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'campaign.code.required')
    .max(64, 'campaign.code.format')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'campaign.code.format'),
  name: z.string().trim().min(1, 'campaign.name.required').max(255),
  year: z.coerce
    .number({ error: 'criteria.set.year.number' })
    .int('criteria.set.year.number')
    .min(2000, 'criteria.set.year.number')
    .max(2100, 'criteria.set.year.number'),
  organizer: z.string().trim().min(1, 'campaign.organizer.required').max(255),
  decision: z.string().trim().max(255).default(''),
  criteriaSetId: z.coerce
    .number({ error: 'campaign.criteriaSet.required' })
    .int()
    .positive('campaign.criteriaSet.required'),
  compositionPreset: z.string().max(100).default(''),
  compositionCustom: z.string().max(200).default(''),
  bands: z.string().trim().max(500).default(defaultBands),
  fieldFloorPercent: z.string().trim().max(10).default(''),
  precision: z.enum(['2', '3'], { error: 'campaign.precision.invalid' }).transform((v) => (v === '3' ? 3 : 2) as 2 | 3),
  rounding: z.enum(['half-up', 'down'], { error: 'campaign.rounding.invalid' }),
  selfAssessmentOpens: optionalDate('selfAssessmentOpens'),
  selfAssessmentCloses: optionalDate('selfAssessmentCloses'),
  appraisalOpens: optionalDate('appraisalOpens'),
  appraisalCloses: optionalDate('appraisalCloses'),
  explanationDays: z.coerce
    .number({ error: 'campaign.explanationDays.number' })
    .int('campaign.explanationDays.number')
    .min(1, 'campaign.explanationDays.number')
    .max(60, 'campaign.explanationDays.number')
    .default(3),
  publishBy: optionalDate('publishBy'),
  officerMaySubmit: z.literal('on').optional(),
  // "3, 1", "3 1", "1,3,3" are read as "3,1": distinct days, largest first.
  reminderDays: z
    .string()
    .max(50)
    .default('3,1')
    .transform((v) => {
      const parts = v.split(/[\s,;]+/).filter(Boolean);
      if (parts.some((p) => !/^\d{1,2}$/.test(p))) return v.trim();
      return [...new Set(parts.map(Number))].sort((a, b) => b - a).join(',');
    }),
});

function toSettings(d: z.infer<typeof campaignForm>): CampaignSettings {
  return {
    ...d,
    composition: d.compositionPreset === 'custom' || !d.compositionPreset ? d.compositionCustom : d.compositionPreset,
    officerMaySubmit: d.officerMaySubmit === 'on',
  };
}

function formValues(s: CampaignSettings): Record<string, unknown> {
  const preset = compositionPresets.includes(s.composition) ? s.composition : 'custom';
  return {
    ...s,
    compositionPreset: preset,
    compositionCustom: preset === 'custom' ? s.composition : '',
    selfAssessmentOpens: formatDate(s.selfAssessmentOpens),
    selfAssessmentCloses: formatDate(s.selfAssessmentCloses),
    appraisalOpens: formatDate(s.appraisalOpens),
    appraisalCloses: formatDate(s.appraisalCloses),
    publishBy: formatDate(s.publishBy),
    officerMaySubmit: s.officerMaySubmit ? 'on' : undefined,
  };
}

type P = { code: string; unit?: string; id?: string };

/** A line the confirmation page states beside its numbers (the decision, the reason). */
type Detail = { label: string; value: string };

/** The phase changes the secretariat confirms, and their buttons' words. */
const stepLabels = {
  'self-assessment': 'campaign.step.self-assessment',
  appraisal: 'campaign.step.appraisal',
  'council-review': 'campaign.step.council-review',
} as const;

/** The composition's and the bands' tables of rows (views/partials/row-table.eta). */
const compositionColumns = { key: 'componentKey', max: 'componentMax' };
const bandColumns = { name: 'bandName', min: 'bandMin' };
const knownComponents = ['appraisal', 'survey'];

interface Tables {
  composition: Record<'key' | 'max', string>[];
  bands: Record<'name' | 'min', string>[];
}

/** The rows of stored (or default) notations, numbers as the reader writes them, with empty rows to fill. */
function storedTables(composition: string, bands: string, lang: Language): Tables {
  const parts = parseComposition(composition);
  const rules = parseBands(bands);
  return {
    composition: withSpareRows(
      parts.ok ? parts.value.map((p) => ({ key: p.key, max: formatScore(p.max, lang) })) : [],
      compositionColumns,
      spareRows,
    ),
    bands: withSpareRows(
      rules.ok ? rules.value.map((b) => ({ name: b.name, min: formatScore(b.min, lang) })) : [],
      bandColumns,
      spareRows,
    ),
  };
}

/** The rows as posted, with more empty rows under the table whose "Thêm dòng" was pressed. */
function postedTables(body: unknown): Tables {
  const add = (table: string) => ((body as Record<string, unknown>)?.addRows === table ? addedRows : 0);
  return {
    composition: withSpareRows(readRows(body, compositionColumns), compositionColumns, add('composition')),
    bands: withSpareRows(readRows(body, bandColumns), bandColumns, add('bands')),
  };
}

/**
 * The form as the settings schema reads it: the tables' rows become the notation (errors naming the row), and once
 * the campaign has left its draft the rules fixed then are taken from the campaign, not from the form (which only
 * shows them). A form without the tables (a script's) posts the notation itself.
 */
function settingsBody(
  body: unknown,
  campaign: Campaign | null,
): { body: Record<string, unknown>; errors: FieldErrors } {
  const raw = { ...((body ?? {}) as Record<string, unknown>) };
  if (campaign && campaign.state !== 'draft') {
    const current = formValues(settingsOf(campaign));
    for (const key of ['criteriaSetId', 'fieldFloorPercent', 'precision', 'rounding', 'bands'])
      raw[key] = String(current[key] ?? '');
    raw.compositionPreset = 'custom';
    raw.compositionCustom = settingsOf(campaign).composition;
    return { body: raw, errors: {} };
  }
  let errors: FieldErrors = {};
  if (posted(body, compositionColumns)) {
    const outcome = compositionFromRows(readRows(body, compositionColumns));
    errors = { ...errors, ...rowErrors('composition', compositionColumns, outcome) };
    raw.compositionPreset = 'custom';
    raw.compositionCustom = outcome.ok ? outcome.text : '';
  }
  if (posted(body, bandColumns)) {
    const outcome = bandsFromRows(readRows(body, bandColumns));
    errors = { ...errors, ...rowErrors('bands', bandColumns, outcome) };
    raw.bands = outcome.ok ? outcome.text : '';
  }
  return { body: raw, errors };
}

export default async function campaignRoutes(app: FastifyInstance) {
  const tr = (req: FastifyRequest, errors: FieldErrors) => translateErrors(req.t, errors);
  const actor = (req: FastifyRequest) => ({ id: req.user!.id });
  const campaignOf = (req: FastifyRequest<{ Params: P }>) => findCampaign(req.em, req.params.code);
  const setsFor = (req: FastifyRequest) => criteriaSetChoices(req.em);

  app.get('/campaigns', async (req, reply) => {
    const campaigns = await listCampaigns(req.em);
    // After a practice campaign's discard (src/http/routes/admin/practice.ts): the list says it is gone.
    const discarded = (req.query as Record<string, string> | undefined)?.discarded === '1';
    return reply.page('admin/campaigns/index', { campaigns, discarded }, { title: req.t('campaign.list.title') });
  });

  const formPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const tables =
      req.method === 'POST'
        ? postedTables(req.body)
        : storedTables(String(values.compositionCustom || values.compositionPreset), String(values.bands), req.lang);
    // A component the workbook named (a past year's) stays choosable under its own key.
    const others = [...new Set(tables.composition.map((r) => r.key))].filter(
      (k) => k && !knownComponents.includes(k) && /^[a-z][a-z0-9_-]*$/.test(k),
    );
    return reply.page(
      'admin/campaigns/form',
      {
        campaign,
        values,
        errors: tr(req, errors),
        sets: await setsFor(req),
        tables,
        components: [
          { value: '', label: req.t('campaign.composition.choose') },
          ...knownComponents.map((k) => ({ value: k, label: req.t(`component.${k}` as 'component.survey') })),
          ...others.map((k) => ({ value: k, label: k })),
        ],
      },
      { status, title: campaign ? req.t('campaign.settings.title') : req.t('campaign.new') },
    );
  };

  app.get('/campaigns/new', async (req, reply) => {
    const year = new Date().getFullYear();
    return formPage(req, reply, null, {
      year,
      compositionPreset: compositionPresets[0],
      bands: defaultBands,
      precision: 2,
      rounding: 'half-up',
      explanationDays: 3,
      reminderDays: '3,1',
    });
  });

  app.post('/campaigns', async (req, reply) => {
    const values = req.body as Record<string, unknown>;
    if (values?.addRows) return formPage(req, reply, null, values);
    const tables = settingsBody(req.body, null);
    const form = parseForm(campaignForm, tables.body);
    if (!form.ok || Object.keys(tables.errors).length)
      return formPage(req, reply, null, values, { ...(form.ok ? {} : form.errors), ...tables.errors }, 422);
    const outcome = await createCampaign(req.em, actor(req), toSettings(form.data));
    if (!outcome.ok) return formPage(req, reply, null, req.body as Record<string, unknown>, outcome.errors, 422);
    return reply.redirect(paths.admin.campaign(outcome.value.code), 303);
  });

  const overview = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
    extensionValues: Record<string, unknown> = {},
  ) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const counts = await campaignCounts(req.em, campaign.id);
    const today = todayInVietnam();
    const next = secretariatSteps[campaign.state as keyof typeof secretariatSteps] ?? null;
    return reply.page(
      'admin/campaigns/show',
      {
        campaign,
        counts,
        next,
        checks: (await checkStep(req.em, campaign)).map((c) => ({ ...c, message: translateMessage(req.t, c.message) })),
        errors: tr(req, errors),
        states: campaignStates,
        saved: (req.query as Record<string, string>).saved,
        versions: await publicationVersions(req.em, campaign.id),
        // The appraisal window's extensions (issue 23) and the publication date with its days left.
        windowAdmin: {
          extensions: await extensionsOf(req.em, campaign.id),
          targets: await extensionTargets(req.em, campaign.id),
          values: extensionValues,
        },
        publishDue: await publicationDue(req.em, campaign.id, today),
      },
      { status, title: campaign.name },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code', async (req, reply) => overview(req, reply));

  /** The secretariat extends the appraisal window for one agency or one unit (issue 23), audited. */
  const windowExtensionForm = z.object({
    target: z.string().max(40).default(''),
    closes: z.string().trim().max(20).default(''),
    reason: z.string().max(1000).default(''),
  });
  app.post<{ Params: P }>('/campaigns/:code/appraisal-extensions', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const parsed = windowExtensionForm.safeParse(req.body ?? {});
    const data = parsed.success ? parsed.data : { target: '', closes: '', reason: '' };
    const outcome = await grantExtension(
      req.em,
      actor(req),
      campaign.id,
      {
        target: data.target,
        closes: data.closes ? parseCalendarDate(data.closes) : null,
        dateProblem: data.closes ? calendarDateProblem(data.closes) : 'missing',
        reason: data.reason,
      },
      todayInVietnam(),
    );
    if (!outcome.ok) {
      const errors: FieldErrors = {};
      for (const [k, v] of Object.entries(outcome.errors)) errors[k === '_form' ? '_form' : `ext-${k}`] = v;
      return overview(req, reply, errors, 422, data);
    }
    return reply.redirect(paths.admin.campaign(campaign.code, { saved: 'extension' }, 'window-extensions'), 303);
  });

  /** Appraisal progress per agency then per appraiser: items left and done, overdue explanation requests. */
  app.get<{ Params: P }>('/campaigns/:code/progress', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    return progressPage(req, reply, campaign);
  });

  app.get<{ Params: P }>('/campaigns/:code/settings', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    return formPage(req, reply, campaign, formValues(settingsOf(campaign)));
  });

  app.post<{ Params: P }>('/campaigns/:code/settings', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const values = req.body as Record<string, unknown>;
    if (values?.addRows) return formPage(req, reply, campaign, values);
    const tables = settingsBody(req.body, campaign);
    const form = parseForm(campaignForm, { ...tables.body, code: campaign.code });
    if (!form.ok || Object.keys(tables.errors).length)
      return formPage(req, reply, campaign, values, { ...(form.ok ? {} : form.errors), ...tables.errors }, 422);
    const outcome = await updateCampaign(req.em, actor(req), campaign.code, toSettings(form.data));
    if (!outcome.ok) return formPage(req, reply, campaign, req.body as Record<string, unknown>, outcome.errors, 422);
    return reply.redirect(paths.admin.campaign(campaign.code, { saved: 1 }), 303);
  });

  /**
   * The confirmation page before a weighty step: its consequences in numbers, a red warning when it comes early, and
   * the form that takes it for real (`confirm=yes`, with what the first form carried as hidden fields).
   */
  const confirmPage = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    campaign: Campaign,
    step: WeightyStep,
    page: { action: string; label: string; effect: string; hidden: Record<string, string>; details?: Detail[] },
  ) => {
    const consequences = await stepConsequences(req.em, campaign.code, step, todayInVietnam());
    if (!consequences) return reply.callNotFound();
    return reply.page(
      'confirm/step',
      { ...page, consequences, back: paths.admin.campaign(campaign.code), details: page.details ?? [] },
      { title: req.t('confirm.title', { action: page.label }) },
    );
  };

  const stepOf = (to: unknown) => campaignStates.find((s) => s === to && s in stepLabels);

  /** The first press of a phase change's button: the confirmation page, or the overview saying why not. */
  const confirmAdvance = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, to: unknown) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const step = stepOf(to);
    if (!step) return overview(req, reply, { _form: 'campaign.step.notNext' }, 422);
    const allowed = await checkAdvance(req.em, campaign.code, step);
    if (!allowed.ok) return overview(req, reply, allowed.errors, 422);
    const label = req.t(stepLabels[step as keyof typeof stepLabels]);
    return confirmPage(req, reply, campaign, step as WeightyStep, {
      action: paths.admin.campaignState(campaign.code),
      label,
      effect: req.t(`confirm.effect.${step}` as 'confirm.effect.appraisal'),
      hidden: { to: step },
    });
  };

  /** The confirmation page of the next phase change; a step that cannot be taken now leads back to the overview, which says why. */
  app.get<{ Params: P; Querystring: { to?: string } }>('/campaigns/:code/state', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const to = req.query?.to ?? secretariatSteps[campaign.state as keyof typeof secretariatSteps];
    const step = stepOf(to);
    if (!step || !(await checkAdvance(req.em, campaign.code, step)).ok)
      return reply.redirect(paths.admin.campaign(campaign.code, {}, 'next-step'), 303);
    return confirmAdvance(req, reply, step);
  });

  app.post<{ Params: P; Body: { to?: string; confirm?: string } }>('/campaigns/:code/state', async (req, reply) => {
    if (req.body?.confirm !== 'yes') return confirmAdvance(req, reply, req.body?.to);
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const to = campaignStates.find((s) => s === req.body?.to);
    if (!to) return overview(req, reply, { _form: 'campaign.step.notNext' }, 422);
    const outcome = await advanceCampaign(req.em, actor(req), campaign.code, to);
    if (!outcome.ok) return overview(req, reply, outcome.errors, 422);
    return reply.redirect(paths.admin.campaign(campaign.code, { saved: 'step' }), 303);
  });

  /** The first press of "publish" (or of a correction's publication): the confirmation page, or why not. */
  const confirmPublication = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply, reason: string) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const allowed = await checkPublication(req.em, campaign.code, reason);
    if (!allowed.ok) return overview(req, reply, allowed.errors, 422);
    const { version, correction } = allowed.value;
    const label = req.t(correction ? 'publication.publishCorrection' : 'publication.publish');
    return confirmPage(req, reply, campaign, correction ? 'publication-correction' : 'publication', {
      action: paths.admin.campaignPublications(campaign.code),
      label,
      effect: correction
        ? req.t('confirm.effect.publication-correction', { n: version })
        : req.t('confirm.effect.publication'),
      hidden: correction ? { correctionReason: reason } : {},
      details: correction ? [{ label: req.t('confirm.reason'), value: reason.trim() }] : [],
    });
  };

  app.get<{ Params: P }>('/campaigns/:code/publications', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    if (!(await checkPublication(req.em, campaign.code, '')).ok)
      return reply.redirect(paths.admin.campaign(campaign.code, {}, 'publication-h'), 303);
    return confirmPublication(req, reply, '');
  });

  /** The first publication (after the chair's approval) or a correction (a new version with its reason). */
  app.post<{ Params: P; Body: { correctionReason?: string; confirm?: string } }>(
    '/campaigns/:code/publications',
    async (req, reply) => {
      const campaign = await campaignOf(req);
      if (!campaign) return reply.callNotFound();
      const reason =
        typeof req.body?.correctionReason === 'string' ? req.body.correctionReason.slice(0, 5000) : undefined;
      if (req.body?.confirm !== 'yes') return confirmPublication(req, reply, reason ?? '');
      const outcome = await publishCampaign(req.em, req.user!.id, campaign.code, { correctionReason: reason });
      if (!outcome.ok) return overview(req, reply, outcome.errors, 422);
      return reply.redirect(paths.admin.campaign(campaign.code, { saved: 'published' }), 303);
    },
  );

  /** A recorded correction of one appraised score once appraisal has closed; confirmed on a page of its own first. */
  app.post<{ Params: P }>('/campaigns/:code/corrections', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const form = z
      .object({
        unit: z.string().max(64).default(''),
        criterion: z.string().max(32).default(''),
        score: z.string().max(20).default(''),
        reason: z.string().max(5000).default(''),
        confirm: z.string().max(10).default(''),
      })
      .safeParse(req.body ?? {});
    if (!form.success) return overview(req, reply, { _form: 'campaign.step.notNext' }, 422);
    const { confirm, ...input } = form.data;
    const outcome = await correctAppraisal(req.em, req.user!.id, campaign.code, input, { dryRun: confirm !== 'yes' });
    if (!outcome.ok)
      return overview(
        req,
        reply,
        Object.fromEntries(
          Object.entries(outcome.errors).map(([k, v]) => [k === '_form' ? '_form' : `correction-${k}`, v]),
        ),
        422,
      );
    if (confirm !== 'yes') {
      const shown = (v: string | null) => (v === null ? '—' : formatScore(v, req.lang));
      return confirmPage(req, reply, campaign, 'score-correction', {
        action: paths.admin.campaignCorrections(campaign.code),
        label: req.t('correction.save'),
        effect: req.t('confirm.effect.score-correction', {
          criterion: input.criterion.trim(),
          unit: `${outcome.value.unitName} (${input.unit.trim()})`,
          before: shown(outcome.value.before),
          after: shown(outcome.value.after),
        }),
        hidden: input,
        details: [{ label: req.t('confirm.reason'), value: input.reason.trim() }],
      });
    }
    return reply.redirect(paths.admin.campaign(campaign.code, { saved: 'corrected' }, 'publication-h'), 303);
  });

  const unitsPage = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
    typedBlocks?: ReadonlyMap<number, string>,
  ) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const units = (await campaignUnitChoices(req.em, campaign.id)).map((u) => ({
      ...u,
      block: typedBlocks ? (typedBlocks.get(u.id) ?? '') : (u.block ?? ''),
    }));
    const blockNames = [...new Set(units.filter((u) => u.assessed && u.block).map((u) => u.block))];
    const query = req.query as Record<string, string | undefined>;
    return reply.page(
      'admin/campaigns/units',
      {
        campaign,
        units,
        blockNames,
        errors: tr(req, errors),
        saved: query.saved,
        // Back from reopening a unit's self-assessment: say which, and what follows.
        reopened: units.find((u) => u.code === query.reopened)?.name ?? null,
      },
      { status, title: req.t('campaign.units.title') },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/units', async (req, reply) => unitsPage(req, reply));

  app.post<{ Params: P; Body: { units?: string | string[] } }>('/campaigns/:code/units', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const raw = req.body?.units;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number);
    if (ids.some((n) => !Number.isSafeInteger(n)))
      return unitsPage(req, reply, { units: 'campaign.units.unknown' }, 422);
    const outcome = await setCampaignUnits(req.em, actor(req), campaign.code, ids);
    if (!outcome.ok) return unitsPage(req, reply, outcome.errors, 422);
    return reply.redirect(paths.admin.campaignUnits(campaign.code, { saved: 1 }), 303);
  });

  // One text box per assessed unit, named `block-<unit id>`.
  app.post<{ Params: P; Body: Record<string, unknown> }>('/campaigns/:code/blocks', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const blocks = new Map<number, string>();
    for (const [name, value] of Object.entries(req.body ?? {})) {
      const id = /^block-(\d{1,9})$/.exec(name)?.[1];
      if (id && typeof value === 'string') blocks.set(Number(id), value);
    }
    const outcome = await setCampaignBlocks(req.em, actor(req), campaign.code, blocks);
    if (!outcome.ok) return unitsPage(req, reply, outcome.errors, 422, blocks);
    return reply.redirect(paths.admin.campaignUnits(campaign.code, { saved: 1 }), 303);
  });

  const extensionForm = z.object({
    until: z.string().trim().max(20).default(''),
    reason: z.string().trim().max(1000).default(''),
  });
  app.post<{ Params: P }>('/campaigns/:code/units/:unit/extension', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const form = parseForm(extensionForm, req.body);
    if (!form.ok) return unitsPage(req, reply, form.errors, 422);
    const until = form.data.until ? parseCalendarDate(form.data.until) : null;
    if (form.data.until && !until) return unitsPage(req, reply, { until: 'campaign.date.format' }, 422);
    const outcome = await extendDeadline(req.em, actor(req), campaign.code, req.params.unit!, until, form.data.reason);
    if (!outcome.ok) return unitsPage(req, reply, outcome.errors, 422);
    return reply.redirect(paths.admin.campaignUnits(campaign.code, { saved: 1 }), 303);
  });

  const exemptionsPage = async (
    req: FastifyRequest<{ Params: P }>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values: Record<string, unknown> = {},
    status = 200,
  ) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const exemptions = await campaignExemptions(req.em, campaign.id);
    const units = await assessedUnits(req.em, campaign.id);
    const criteria = await loadCriteria(req.em, campaign.criteriaSet.id);
    return reply.page(
      'admin/campaigns/exemptions',
      { campaign, exemptions, units, criteria, values, errors: tr(req, errors) },
      { status, title: req.t('campaign.exemptions.title') },
    );
  };

  app.get<{ Params: P }>('/campaigns/:code/exemptions', async (req, reply) => exemptionsPage(req, reply));

  const exemptionForm = z.object({
    unit: z.string().min(1, 'campaign.unit.notAssessed').max(64),
    criterion: z.coerce
      .number({ error: 'campaign.exemptions.criterion' })
      .int()
      .positive('campaign.exemptions.criterion'),
    reason: z.string().trim().max(1000).default(''),
  });
  app.post<{ Params: P }>('/campaigns/:code/exemptions', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const form = parseForm(exemptionForm, req.body);
    if (!form.ok) return exemptionsPage(req, reply, form.errors, req.body as Record<string, unknown>, 422);
    const outcome = await addExemption(
      req.em,
      actor(req),
      campaign.code,
      form.data.unit,
      form.data.criterion,
      form.data.reason,
    );
    if (!outcome.ok) return exemptionsPage(req, reply, outcome.errors, req.body as Record<string, unknown>, 422);
    return reply.redirect(paths.admin.exemptions(campaign.code), 303);
  });

  app.post<{ Params: P }>('/campaigns/:code/exemptions/:id/removal', async (req, reply) => {
    const campaign = await campaignOf(req);
    if (!campaign) return reply.callNotFound();
    const outcome = await removeExemption(req.em, actor(req), campaign.code, Number(req.params.id) || 0);
    if (!outcome.ok) return exemptionsPage(req, reply, outcome.errors, {}, 422);
    return reply.redirect(paths.admin.exemptions(campaign.code), 303);
  });
}
