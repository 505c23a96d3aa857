import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { appraisalStates } from '../../domain/workflow.ts';
import { parseCalendarDate, todayInVietnam } from '../../domain/dates.ts';
import { format } from '../../domain/decimal.ts';
import { ruleOf } from '../../domain/declared.ts';
import {
  agenciesNamed,
  appraise,
  findItem,
  history,
  isDeduction,
  itemEvidenceFile,
  noSelfScore,
  quickReasons,
  quickReasonsFor,
  type Action,
  type Item,
} from '../../features/appraisal/decide.ts';
import {
  appraisalCampaigns,
  nearestWaitingDue,
  nextAction,
  placeOf,
  queueChoices,
  queueCounts,
  queueItems,
  queuePageSize,
  queueScope,
  unitsNotSubmitted,
  upcomingAppraisals,
  type AppraiserCampaign,
  type QueueFilter,
} from '../../features/appraisal/queue.ts';
import { evidenceFlags, signatureFlags } from '../../features/evidence/flags.ts';
import { verifyAgain } from '../../features/evidence/verification.ts';
import { listEvidence } from '../../features/evidence/upload.ts';
import {
  findingQuote,
  findingReason,
  findingsOnItem,
  groundsZero,
  type ItemFinding,
} from '../../features/onsite/visits.ts';
import { agenciesOf } from '../../domain/permissions.ts';
import { sendStoredFile } from '../downloads.ts';
import { translateErrors } from '../forms.ts';
import { paging } from '../paging.ts';
import { type AppraisalFilter, paths } from '../paths.ts';
import { requireArea } from '../plugins/auth.ts';
import onsiteRoutes from './onsite.ts';
import {
  addOpinion,
  coAppraisedCriterionIds,
  itemCoappraisal,
  opinionSummaries,
} from '../../features/appraisal/coappraisal.ts';
import { appraiserWindow } from '../../features/appraisal/window.ts';

const opinionSchema = z.object({
  stance: z.string().max(20).default(''),
  score: z.string().max(20).default(''),
  reason: z.string().max(5000).default(''),
});
import { reportLinksFor } from '../../features/council/reports.ts';
import { changedAfterReopening } from '../../features/self-assessment/reopen.ts';

const filterSchema = z.object({
  campaign: z.string().max(64).optional(),
  unit: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  field: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  state: z
    .enum(appraisalStates)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  checked: z.literal('1').optional().catch(undefined),
  opinion: z.literal('1').optional().catch(undefined),
});

const actionSchema = z.object({
  action: z.enum(['accept', 'adjust', 'request', 'quick', 'onsite']),
  finding: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .optional(),
  version: z.coerce.number().int().min(0),
  ground: z.enum(Object.keys(quickReasons) as [keyof typeof quickReasons]).optional(),
  score: z.string().max(20).optional(),
  level: z.string().max(255).optional(),
  achieved: z.string().max(20).optional(),
  total: z.string().max(20).optional(),
  reason: z.string().max(5000).default(''),
  message: z.string().max(5000).default(''),
  dueDate: z.string().max(20).default(''),
});

/** The item's campaign as the queue functions take it: an item is only found in a campaign under appraisal or after. */
const campaignOf = (item: Item): AppraiserCampaign => ({
  id: item.campaign.id,
  code: item.campaign.code,
  name: item.campaign.name,
  state: item.campaign.state,
  criteriaSetId: item.campaign.criteriaSetId,
  appraisalCloses: null,
});

/** Filters travel with the appraiser from queue to item to the next item, in the address (paths.appraisal). */
function addressFilter(campaign: string, f: QueueFilter): AppraisalFilter {
  return { campaign, unit: f.unit, field: f.field, state: f.state, checked: f.checked, opinion: f.opinion };
}

export default async function appraisalRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('appraisal'));
  const agencyIds = (req: FastifyRequest) => agenciesOf(req.user!.grants);
  // On-site checks recorded by an agency, in a campaign that allows it (the same pages as the secretariat's).
  await app.register(onsiteRoutes, { area: 'appraisal' });

  /** The on-site findings on the item, and those that ground a zero in one click (none where a zero is no penalty). */
  async function onsiteOf(
    req: FastifyRequest,
    item: Item,
  ): Promise<{ findings: ItemFinding[]; zeroes: ItemFinding[] }> {
    const findings = await findingsOnItem(req.em, {
      campaignId: item.campaign.id,
      unitId: item.unit.id,
      criterionId: item.criterion.id,
    });
    const zeroes = isDeduction(item) || noSelfScore(item) ? [] : findings.filter(groundsZero);
    return { findings, zeroes };
  }

  async function campaignFor(req: FastifyRequest, code?: string): Promise<AppraiserCampaign | null> {
    const campaigns = await appraisalCampaigns(req.em);
    return (code ? campaigns.find((c) => c.code === code) : campaigns[0]) ?? null;
  }

  app.get('/', async (req, reply) => {
    const campaigns = await appraisalCampaigns(req.em);
    const today = todayInVietnam();
    const summaries = [];
    for (const c of campaigns) {
      summaries.push({
        campaign: c,
        counts: await queueCounts(req.em, await queueScope(req.em, c, agencyIds(req), {}, today)),
        window: await appraiserWindow(req.em, c.id, agencyIds(req), today),
      });
    }
    return reply.page(
      'appraisal/index',
      {
        agencies: await agenciesNamed(req.em, agencyIds(req)),
        summaries,
        upcoming: await upcomingAppraisals(req.em),
        today,
      },
      { title: req.t('appraisal.title') },
    );
  });

  app.get<{ Querystring: Record<string, string> }>('/queue', async (req, reply) => {
    const parsed = filterSchema.safeParse(req.query);
    const filter: QueueFilter = parsed.success ? parsed.data : {};
    const campaign = await campaignFor(req, parsed.success ? parsed.data.campaign : undefined);
    if (!campaign) return reply.callNotFound();
    const today = todayInVietnam();
    const scope = await queueScope(req.em, campaign, agencyIds(req), filter, today);
    const counts = await queueCounts(req.em, scope);
    const listed = filter.state ? counts[filter.state] : Object.values(counts).reduce((a, b) => a + b, 0);
    const pages = paging(listed, queuePageSize, parsed.success ? (parsed.data.page ?? 1) : 1, (n) =>
      paths.appraisal.queue(addressFilter(campaign.code, filter), { page: n > 1 ? n : undefined }),
    );
    const items = await queueItems(req.em, scope, filter.state, pages.n);
    const { units, fields } = await queueChoices(req.em, campaign, agencyIds(req));
    const first = await nextAction(req.em, scope, null);
    return reply.page(
      'appraisal/queue',
      {
        campaign,
        filter,
        items,
        counts,
        units,
        fields,
        first,
        states: appraisalStates,
        filterOf: (f: QueueFilter) => addressFilter(campaign.code, f),
        paging: pages,
        window: await appraiserWindow(req.em, campaign.id, agencyIds(req), today),
        coAppraiser: (await coAppraisedCriterionIds(req.em, campaign.criteriaSetId, agencyIds(req))).length > 0,
        opinions: await opinionSummaries(
          req.em,
          items.map((i) => i.id),
          agencyIds(req),
        ),
        report: await reportLinksFor(req.em, campaign.code, filter.unit),
      },
      { title: req.t('appraisal.queue.title') },
    );
  });

  /** Where the last accept-and-next of a queue lands: what was done in this queue, and what is left elsewhere. */
  app.get<{ Querystring: Record<string, string> }>('/queue/done', async (req, reply) => {
    const parsed = filterSchema.safeParse(req.query);
    const filter: QueueFilter = parsed.success ? { ...parsed.data, state: undefined } : {};
    const campaign = await campaignFor(req, parsed.success ? parsed.data.campaign : undefined);
    if (!campaign) return reply.callNotFound();
    const today = todayInVietnam();
    const scope = await queueScope(req.em, campaign, agencyIds(req), filter, today);
    const counts = await queueCounts(req.em, scope);
    const filtered = Boolean(filter.unit || filter.field || filter.checked);
    const whole = filtered ? await queueScope(req.em, campaign, agencyIds(req), {}, today) : scope;
    const wholeCounts = filtered ? await queueCounts(req.em, whole) : counts;
    const { units, fields } = await queueChoices(req.em, campaign, agencyIds(req));
    return reply.page(
      'appraisal/done',
      {
        campaign,
        filter: addressFilter(campaign.code, filter),
        unitName: units.find(([code]) => code === filter.unit)?.[1] ?? null,
        field: fields.find(([code]) => code === filter.field) ?? null,
        counts,
        next: await nextAction(req.em, scope, null),
        waitingDue: await nearestWaitingDue(req.em, scope),
        elsewhere: filtered ? wholeCounts.todo + wholeCounts.answered : 0,
        elsewhereNext: filtered ? await nextAction(req.em, whole, null) : null,
        notSubmitted: await unitsNotSubmitted(req.em, campaign.id),
        window: await appraiserWindow(req.em, campaign.id, agencyIds(req), today),
      },
      { title: req.t('needs.done.title') },
    );
  });

  async function itemPage(
    req: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string> }>,
    reply: FastifyReply,
    item: Item,
    extra: { errors?: Record<string, string>; values?: Record<string, unknown>; status?: number; notice?: string } = {},
  ) {
    const parsed = filterSchema.safeParse(req.query);
    const filter: QueueFilter = parsed.success ? parsed.data : {};
    const campaign = campaignOf(item);
    const today = todayInVietnam();
    const place = await placeOf(req.em, await queueScope(req.em, campaign, agencyIds(req), filter, today), item);
    const evidence = (await listEvidence(req.em, [item.scoreId])).get(item.scoreId) ?? [];
    const addressed = addressFilter(campaign.code, filter);
    const onsite = await onsiteOf(req, item);
    // "Quote it in the reason": the finding's words put in the reason box, for a score other than zero.
    const quoted = onsite.findings.find((f) => String(f.id) === req.query?.quote);
    const values = extra.values ?? (quoted ? { reason: `${findingQuote(quoted)}.` } : {});
    reply.header('HX-Push-Url', paths.appraisal.item(item.id, addressed));
    return reply.page(
      'appraisal/item',
      {
        item,
        evidence,
        flagsOf: (f: Parameters<typeof evidenceFlags>[0]) => evidenceFlags(f, req.t),
        history: await history(req.em, item),
        rule: ruleOf(item.criterion),
        points: format,
        filter: addressed,
        place,
        quickReasons,
        grounds: quickReasonsFor(item, evidence.length, evidence.flatMap(signatureFlags)),
        onsite,
        findingReason,
        deduction: isDeduction(item),
        unscored: noSelfScore(item),
        errors: extra.errors ?? {},
        values,
        notice: extra.notice ?? null,
        today,
        editable: item.campaign.state === 'appraisal',
        window: await appraiserWindow(req.em, item.campaign.id, agencyIds(req), today, item.unit.id),
        coappr: await itemCoappraisal(req.em, item, agencyIds(req)),
        opinionAction: paths.appraisal.opinions(item.id, addressed),
        report: await reportLinksFor(req.em, item.campaign.code, item.unit.code),
        reopened: await changedAfterReopening(req.em, item.scoreId),
      },
      { status: extra.status, title: `${item.unit.name} › ${item.criterion.code}`, fragment: 'item' },
    );
  }

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/items/:id', async (req, reply) => {
    const item = await findItem(req.em, agencyIds(req), Number(req.params.id));
    if (!item) return reply.callNotFound();
    return itemPage(req, reply, item);
  });

  const store = app.evidenceStore;

  /** The unit's evidence opens beside the form, inline where the browser can show it. */
  app.get<{ Params: { id: string; file: string } }>(
    '/items/:id/evidence/:file',
    { compress: false },
    async (req, reply) => {
      const item = await findItem(req.em, agencyIds(req), Number(req.params.id));
      if (!item || !/^\d{1,9}$/.test(req.params.file)) return reply.callNotFound();
      const file = await itemEvidenceFile(req.em, item, Number(req.params.file));
      if (!file || !(await store.has(file.sha256))) return reply.callNotFound();
      return sendStoredFile(reply, store, {
        sha256: file.sha256,
        mediaType: file.media_type,
        name: file.original_name,
        size: file.size,
      });
    },
  );

  /** Verifies a file's signatures again (issue 19): the stored result is replaced; back to the item with a notice. */
  app.post<{ Params: { id: string; file: string }; Querystring: Record<string, string> }>(
    '/items/:id/evidence/:file/verification',
    async (req, reply) => {
      const item = await findItem(req.em, agencyIds(req), Number(req.params.id));
      if (!item || !/^\d{1,9}$/.test(req.params.file)) return reply.callNotFound();
      const id = Number(req.params.file);
      const file = await itemEvidenceFile(req.em, item, id);
      if (!file) return reply.callNotFound();
      const done = await verifyAgain(req.em, store, { id, sha256: file.sha256 }, req.user!.id);
      return itemPage(req, reply, item, {
        notice: done ? req.t('signatures.verified', { name: file.original_name }) : req.t('signatures.verifyMissing'),
      });
    },
  );

  /** A co-appraiser's opinion (issue 23): agree or disagree, a proposed score, a reason; back to the item. */
  app.post<{ Params: { id: string }; Querystring: Record<string, string> }>(
    '/items/:id/opinions',
    async (req, reply) => {
      const item = await findItem(req.em, agencyIds(req), Number(req.params.id));
      if (!item) return reply.callNotFound();
      const body = (req.body ?? {}) as Record<string, unknown>;
      const form = opinionSchema.safeParse(body);
      const input = form.success ? form.data : { stance: '', score: '', reason: '' };
      const outcome = await addOpinion(
        req.em,
        { id: req.user!.id, agencyIds: agencyIds(req) },
        item,
        input,
        todayInVietnam(),
      );
      if (!outcome.ok) {
        const status = outcome.kind === 'forbidden' ? 403 : outcome.kind === 'locked' ? 409 : 422;
        return itemPage(req, reply, item, {
          errors: translateErrors(req.t, outcome.errors ?? {}),
          values: body,
          status,
        });
      }
      const parsed = filterSchema.safeParse(req.query);
      const addressed = addressFilter(item.campaign.code, parsed.success ? parsed.data : {});
      if (req.headers['hx-request'] === 'true')
        return itemPage(req, reply, item, { notice: req.t('coappr.opinion.saved') });
      return reply.redirect(paths.appraisal.item(item.id, addressed, {}, 'opinions'), 303);
    },
  );

  app.post<{ Params: { id: string }; Querystring: Record<string, string> }>('/items/:id', async (req, reply) => {
    const item = await findItem(req.em, agencyIds(req), Number(req.params.id));
    if (!item) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A co-appraising agency gives its opinion; only the lead agency decides.
    if (!agencyIds(req).includes(item.leadAgencyId))
      return itemPage(req, reply, item, { errors: { _form: req.t('coappr.error.notLead') }, status: 403 });
    const form = actionSchema.safeParse(body);
    if (!form.success)
      return itemPage(req, reply, item, {
        errors: { _form: req.t('appraisal.item.badForm') },
        values: body,
        status: 422,
      });
    const d = form.data;
    const today = todayInVietnam();
    let action: Action;
    if (d.action === 'accept') action = { kind: 'accept' };
    else if (d.action === 'quick') {
      if (!d.ground)
        return itemPage(req, reply, item, {
          errors: { _form: req.t('appraisal.item.badForm') },
          values: body,
          status: 422,
        });
      // Only the grounds the page offers for this item (no quick zero for a deduction or an item the unit did not score).
      const files = (await listEvidence(req.em, [item.scoreId])).get(item.scoreId) ?? [];
      if (!quickReasonsFor(item, files.length, files.flatMap(signatureFlags)).includes(d.ground))
        return itemPage(req, reply, item, {
          errors: { _form: req.t('appraisal.item.badForm') },
          values: body,
          status: 422,
        });
      action = { kind: 'quick', ground: d.ground };
    } else if (d.action === 'onsite') {
      // Only a finding the page offers: on this item, "không khớp" or "không xuất trình được", where a zero is a penalty.
      const finding = (await onsiteOf(req, item)).zeroes.find((f) => f.id === d.finding);
      if (!finding)
        return itemPage(req, reply, item, {
          errors: { _form: req.t('appraisal.item.badForm') },
          values: body,
          status: 422,
        });
      action = { kind: 'onsite', reason: findingReason(finding) };
    } else if (d.action === 'adjust') action = { kind: 'adjust', declaration: d, reason: d.reason };
    else {
      const due = d.dueDate ? parseCalendarDate(d.dueDate) : null;
      if (d.dueDate && !due)
        return itemPage(req, reply, item, {
          errors: { dueDate: req.t('campaign.date.format') },
          values: body,
          status: 422,
        });
      action = { kind: 'request', message: d.message, dueDate: due };
    }
    const outcome = await appraise(
      req.em,
      { id: req.user!.id, agencyIds: agencyIds(req) },
      item,
      d.version,
      action,
      today,
    );
    if (!outcome.ok) {
      const fresh = (await findItem(req.em, agencyIds(req), item.id))!;
      if (outcome.kind === 'conflict')
        return itemPage(req, reply, fresh, {
          errors: { _form: req.t('appraisal.item.conflict') },
          values: body,
          status: 409,
        });
      const errors = translateErrors(req.t, outcome.errors ?? {});
      return itemPage(req, reply, fresh, { errors, values: body, status: outcome.kind === 'locked' ? 409 : 422 });
    }
    const parsed = filterSchema.safeParse(req.query);
    const filter: QueueFilter = parsed.success ? parsed.data : {};
    const campaign = campaignOf(item);
    const next = await nextAction(req.em, await queueScope(req.em, campaign, agencyIds(req), filter, today), item);
    const addressed = addressFilter(campaign.code, filter);
    const target = next ? paths.appraisal.item(next, addressed) : paths.appraisal.queueDone(addressed);
    // The queue is done: htmx is told to go to the page (a redirect it followed itself would land inside #item).
    if (req.headers['hx-request'] === 'true' && !next) return reply.header('HX-Redirect', target).code(200).send('');
    if (req.headers['hx-request'] === 'true' && next) {
      const nextFull = (await findItem(req.em, agencyIds(req), next))!;
      return itemPage(req, reply, nextFull, {
        notice: req.t('appraisal.item.savedPrevious', { code: item.criterion.code, unit: item.unit.name }),
      });
    }
    return reply.redirect(target, 303);
  });
}
