import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { audit } from '../db/audit.ts';
import {
  CampaignSchema,
  CampaignUnitSchema,
  CriteriaSetSchema,
  ExemptionSchema,
  SelfAssessmentSchema,
  UnitSchema,
  type Campaign,
} from '../db/entities/index.ts';
import type { CampaignState } from '../domain/workflow.ts';
import { formatDate, todayInVietnam } from '../domain/dates.ts';
import { precisionOf } from '../domain/decimal.ts';
import { parseBands, parseComposition, type BandRule, type CompositionPart } from '../domain/rules-text.ts';
import { checkSet, loadCriteria, type Actor } from './criteria-sets.ts';
import { openSelfAssessment, scoredLeaves } from './self-assessment/open.ts';
import { effectiveAgencyCte } from './appraisal/scope.ts';
import { invalid, ok, type Message, type Outcome } from './outcome.ts';
import { msg, type FieldErrors } from '../domain/message.ts';
import { noticePhaseOpened } from './notices.ts';
import { openedEarly } from './appraisal/window.ts';

export interface CampaignSettings {
  code: string;
  name: string;
  year: number;
  organizer: string;
  decision: string;
  criteriaSetId: number;
  composition: string;
  bands: string;
  fieldFloorPercent: string;
  precision: 2 | 3;
  rounding: 'half-up' | 'down';
  selfAssessmentOpens: string | null;
  selfAssessmentCloses: string | null;
  appraisalOpens: string | null;
  appraisalCloses: string | null;
  explanationDays: number;
  publishBy: string | null;
  officerMaySubmit: boolean;
  /** Days before each phase closes on which reminders are written, e.g. "3,1" (src/features/reminders.ts); "" none. */
  reminderDays?: string;
}

/** Composition, bands and the criteria set make the index: they are settled before self-assessment opens. */
const rulesFixedAfterDraft: (keyof CampaignSettings)[] = [
  'criteriaSetId',
  'composition',
  'bands',
  'fieldFloorPercent',
  'precision',
  'rounding',
];

function checkSettings(s: CampaignSettings): {
  errors: FieldErrors;
  composition?: CompositionPart[];
  bands?: BandRule[];
} {
  const errors: FieldErrors = {};
  if (!s.code) errors.code = 'campaign.code.required';
  else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.code)) errors.code = 'campaign.code.format';
  const composition = parseComposition(s.composition);
  if (!composition.ok) errors.composition = composition.error;
  const bands = parseBands(s.bands);
  if (!bands.ok) errors.bands = bands.error;
  if (s.fieldFloorPercent && !/^\d{1,3}([.,]\d{1,2})?$/.test(s.fieldFloorPercent))
    errors.fieldFloorPercent = 'campaign.fieldFloor.format';
  const pairs: [keyof CampaignSettings, keyof CampaignSettings][] = [
    ['selfAssessmentOpens', 'selfAssessmentCloses'],
    ['appraisalOpens', 'appraisalCloses'],
  ];
  for (const [from, to] of pairs)
    if (s[from] && s[to] && String(s[from]) > String(s[to])) errors[to] = 'campaign.dates.order';
  if (s.reminderDays !== undefined && !/^([1-9]|[1-5][0-9]|60)?(,([1-9]|[1-5][0-9]|60))*$/.test(s.reminderDays))
    errors.reminderDays = 'reminders.days.format';
  if (s.selfAssessmentCloses && s.appraisalOpens && s.appraisalOpens < s.selfAssessmentCloses)
    errors.appraisalOpens = 'campaign.dates.appraisalAfterSelf';
  if (!composition.ok || !bands.ok) return { errors };
  const withFloor = s.fieldFloorPercent
    ? bands.value.map((b, i) => (i === 0 ? { ...b, fieldFloorPercent: s.fieldFloorPercent.replace(',', '.') } : b))
    : bands.value;
  return { errors, composition: composition.value, bands: withFloor };
}

export async function createCampaign(em: EntityManager, actor: Actor, s: CampaignSettings): Promise<Outcome<Campaign>> {
  return em.transactional(async (tx) => {
    const { errors, composition, bands } = checkSettings(s);
    if (await tx.count(CampaignSchema, { code: s.code })) errors.code = 'campaign.code.taken';
    if (!(await tx.findOne(CriteriaSetSchema, s.criteriaSetId))) errors.criteriaSetId = 'campaign.criteriaSet.required';
    if (Object.keys(errors).length) return invalid(errors);
    const campaign = tx.create(CampaignSchema, {
      ...fields(s),
      code: s.code,
      composition: composition!,
      bands: bands!,
      state: 'draft',
    });
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.created',
      entityType: 'Campaign',
      entityId: campaign.id,
      after: s,
    });
    return ok(campaign);
  });
}

export async function updateCampaign(
  em: EntityManager,
  actor: Actor,
  code: string,
  s: CampaignSettings,
): Promise<Outcome<Campaign>> {
  return em.transactional(async (tx) => {
    // Locked: the rules fixed after draft are checked against the state a concurrent step may be changing.
    const campaign = await tx.findOneOrFail(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const { errors, composition, bands } = checkSettings({ ...s, code });
    if (campaign.state === 'published') errors._form = 'campaign.published.locked';
    if (campaign.state !== 'draft') {
      const current = settingsOf(campaign);
      for (const key of rulesFixedAfterDraft)
        if (String(current[key]) !== String(s[key])) errors[key] = 'campaign.rules.fixed';
    }
    if (!(await tx.findOne(CriteriaSetSchema, s.criteriaSetId))) errors.criteriaSetId = 'campaign.criteriaSet.required';
    if (Object.keys(errors).length) return invalid(errors);
    const before = settingsOf(campaign);
    Object.assign(campaign, fields(s), { composition: composition!, bands: bands! });
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.updated',
      entityType: 'Campaign',
      entityId: campaign.id,
      before,
      after: { ...s, code },
    });
    return ok(campaign);
  });
}

function fields(s: CampaignSettings) {
  return {
    name: s.name.normalize('NFC'),
    year: s.year,
    organizer: s.organizer.normalize('NFC'),
    decision: s.decision.normalize('NFC'),
    criteriaSet: s.criteriaSetId,
    precision: s.precision,
    rounding: s.rounding,
    selfAssessmentOpens: s.selfAssessmentOpens,
    selfAssessmentCloses: s.selfAssessmentCloses,
    appraisalOpens: s.appraisalOpens,
    appraisalCloses: s.appraisalCloses,
    explanationDays: s.explanationDays,
    publishBy: s.publishBy,
    officerMaySubmit: s.officerMaySubmit,
    ...(s.reminderDays !== undefined ? { reminderDays: s.reminderDays } : {}),
  };
}

export function settingsOf(c: Campaign): CampaignSettings {
  const floor = c.bands.find((b) => b.fieldFloorPercent)?.fieldFloorPercent ?? '';
  return {
    code: c.code,
    name: c.name,
    year: c.year,
    organizer: c.organizer,
    decision: c.decision,
    criteriaSetId: typeof c.criteriaSet === 'number' ? c.criteriaSet : c.criteriaSet.id,
    composition: c.composition.map((p) => `${p.key}:${Number(p.max)}`).join(','),
    bands: c.bands.map((b) => `${b.name}:${Number(b.min)}`).join(';'),
    fieldFloorPercent: floor ? String(Number(floor)) : '',
    precision: precisionOf(c.precision),
    rounding: c.rounding,
    selfAssessmentOpens: c.selfAssessmentOpens ?? null,
    selfAssessmentCloses: c.selfAssessmentCloses ?? null,
    appraisalOpens: c.appraisalOpens ?? null,
    appraisalCloses: c.appraisalCloses ?? null,
    explanationDays: c.explanationDays,
    publishBy: c.publishBy ?? null,
    officerMaySubmit: c.officerMaySubmit,
    reminderDays: c.reminderDays,
  };
}

/** A date column as MikroORM gives it (a Date at midnight UTC, or the text), as yyyy-mm-dd. */
const isoDate = (value: Date | string): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

/** Chooses the assessed units. Before self-assessment any; after it, units can join (with empty forms) but not leave. */
export async function setCampaignUnits(
  em: EntityManager,
  actor: Actor,
  code: string,
  unitIds: number[],
): Promise<Outcome<{ added: number; removed: number }>> {
  return em.transactional(async (tx) => {
    // Share-locked: a step of the campaign (which updates its row) waits for this change, or this waits for the step.
    const campaign = await tx.findOneOrFail(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (!['draft', 'self-assessment'].includes(campaign.state)) return invalid({ _form: 'campaign.units.closed' });
    const wanted = new Set(unitIds);
    const known = await tx.find(UnitSchema, { id: { $in: [...wanted] }, active: true });
    if (known.length !== wanted.size) return invalid({ units: 'campaign.units.unknown' });
    const current = await tx.find(CampaignUnitSchema, { campaign });
    const currentIds = new Set(current.map((cu) => (typeof cu.unit === 'number' ? cu.unit : cu.unit.id)));
    // A unit that no longer exists (merged away, renamed) keeps its history but joins no campaign.
    const today = todayInVietnam();
    const ended = known.find((u) => !currentIds.has(u.id) && u.existsUntil && isoDate(u.existsUntil) < today);
    if (ended)
      return invalid({
        units: msg('campaign.units.ended', { name: ended.name, date: formatDate(isoDate(ended.existsUntil!)) }),
      });
    const leaving = current.filter((cu) => !wanted.has(typeof cu.unit === 'number' ? cu.unit : cu.unit.id));
    if (campaign.state !== 'draft' && leaving.length) return invalid({ units: 'campaign.units.cannotLeave' });
    for (const cu of leaving) tx.remove(cu);
    const joining = known.filter((u) => !currentIds.has(u.id));
    for (const unit of joining) tx.create(CampaignUnitSchema, { campaign, unit });
    if (campaign.state === 'self-assessment')
      await openSelfAssessments(
        tx,
        campaign,
        joining.map((u) => u.id),
      );
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.units-changed',
      entityType: 'Campaign',
      entityId: campaign.id,
      before: [...currentIds],
      after: [...wanted],
    });
    return ok({ added: joining.length, removed: leaving.length });
  });
}

export async function extendDeadline(
  em: EntityManager,
  actor: Actor,
  code: string,
  unitCode: string,
  until: string | null,
  reason: string,
): Promise<Outcome<null>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOneOrFail(CampaignSchema, { code });
    const cu = await tx.findOne(CampaignUnitSchema, { campaign, unit: { code: unitCode } });
    if (!cu) return invalid({ _form: 'campaign.unit.notAssessed' });
    if (until && campaign.selfAssessmentCloses && until <= campaign.selfAssessmentCloses)
      return invalid({ until: 'campaign.extension.afterClose' });
    if (until && !reason.trim()) return invalid({ reason: 'campaign.extension.reason.required' });
    const before = { until: cu.deadlineExtendedTo, reason: cu.extensionReason };
    cu.deadlineExtendedTo = until;
    cu.extensionReason = until ? reason.trim() : null;
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.deadline-extended',
      entityType: 'CampaignUnit',
      entityId: cu.id,
      before,
      after: { unit: unitCode, until, reason },
      reason,
    });
    return ok(null);
  });
}

export async function addExemption(
  em: EntityManager,
  actor: Actor,
  code: string,
  unitCode: string,
  criterionId: number,
  reason: string,
): Promise<Outcome<null>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOneOrFail(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (['approved', 'published'].includes(campaign.state)) return invalid({ _form: 'campaign.exemptions.closed' });
    const cu = await tx.findOne(CampaignUnitSchema, { campaign, unit: { code: unitCode } }, { populate: ['unit'] });
    if (!cu) return invalid({ unit: 'campaign.unit.notAssessed' });
    const setId = typeof campaign.criteriaSet === 'number' ? campaign.criteriaSet : campaign.criteriaSet.id;
    const criterion = (await loadCriteria(tx, setId)).find((c) => c.id === criterionId);
    if (!criterion) return invalid({ criterion: 'campaign.exemptions.criterion' });
    if (await tx.count(ExemptionSchema, { campaign, unit: cu.unit, criterion }))
      return invalid({ criterion: 'campaign.exemptions.exists' });
    const exemption = tx.create(ExemptionSchema, { campaign, unit: cu.unit, criterion, reason: reason.trim() });
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.exemption-added',
      entityType: 'Exemption',
      entityId: exemption.id,
      after: { unit: unitCode, criterion: criterion.code, reason },
    });
    return ok(null);
  });
}

export async function removeExemption(
  em: EntityManager,
  actor: Actor,
  code: string,
  exemptionId: number,
): Promise<Outcome<null>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOne(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_READ });
    const exemption =
      campaign &&
      (await tx.findOne(ExemptionSchema, { id: exemptionId, campaign }, { populate: ['criterion', 'unit'] }));
    if (!campaign || !exemption) return invalid({ _form: 'campaign.exemptions.missing' });
    if (['approved', 'published'].includes(campaign.state)) return invalid({ _form: 'campaign.exemptions.closed' });
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.exemption-removed',
      entityType: 'Exemption',
      entityId: exemption.id,
      before: { unit: exemption.unit.code, criterion: exemption.criterion.code },
    });
    tx.remove(exemption);
    return ok(null);
  });
}

/** The steps the secretariat takes; approval and publication belong to the chair and the publication flow. */
export const secretariatSteps: Partial<Record<CampaignState, CampaignState>> = {
  draft: 'self-assessment',
  'self-assessment': 'appraisal',
  appraisal: 'council-review',
};

export interface StepCheck {
  ok: boolean;
  /** Passes, but the step would come early (some units have not submitted): the page marks it ⚠, not ✔. */
  warn?: boolean;
  message: Message;
  /** The check is about appraisal progress: the page links it to the campaign's progress page. */
  progress?: boolean;
}

/** What must hold before a campaign moves on, each a line the page shows with its mark. */
export async function checkStep(em: EntityManager, campaign: Campaign): Promise<StepCheck[]> {
  const next = secretariatSteps[campaign.state as CampaignState];
  if (!next) return [];
  const setId = typeof campaign.criteriaSet === 'number' ? campaign.criteriaSet : campaign.criteriaSet.id;
  const issues = checkSet(await loadCriteria(em, setId));
  const units = await em.count(CampaignUnitSchema, { campaign });
  const checks: StepCheck[] = [
    {
      ok: issues.length === 0,
      message: issues.length ? msg('campaign.check.setInvalid', { n: issues.length }) : 'campaign.check.setValid',
    },
  ];
  if (next === 'self-assessment') {
    checks.push({
      ok: units > 0,
      message: units > 0 ? msg('campaign.check.units', { n: units }) : 'campaign.check.noUnits',
    });
    checks.push({
      ok: Boolean(campaign.selfAssessmentOpens && campaign.selfAssessmentCloses),
      message:
        campaign.selfAssessmentOpens && campaign.selfAssessmentCloses
          ? 'campaign.check.selfDates'
          : 'campaign.check.noSelfDates',
    });
  }
  if (next === 'appraisal') {
    checks.push({
      ok: Boolean(campaign.appraisalOpens && campaign.appraisalCloses),
      message:
        campaign.appraisalOpens && campaign.appraisalCloses
          ? 'campaign.check.appraisalDates'
          : 'campaign.check.noAppraisalDates',
    });
    const [{ n }] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from self_assessment where campaign_id = ? and state = 'submitted'`,
      [campaign.id],
    );
    checks.push({ ok: n > 0, warn: n < units, message: msg('campaign.check.submitted', { n, units }) });
  }
  if (next === 'council-review') {
    // Items left by agency, so that the line names who still has work (the progress page has the detail). Counted by
    // criterion first (a few hundred groups), then summed by agency: the items never wait in a hash for the join.
    const left = await em.execute<{ name: string | null; n: number }[]>(
      `with recursive ${effectiveAgencyCte},
       left_items as (
         select cs.criterion_id, count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
           join self_assessment sa on sa.id = cs.self_assessment_id
          where sa.campaign_id = ? and a.state in ('todo', 'waiting', 'answered')
          group by cs.criterion_id)
       select ag.name, sum(l.n)::int as n from left_items l
         join effective_agency ea on ea.criterion_id = l.criterion_id left join agency ag on ag.id = ea.agency_id
        group by ag.name order by ag.name collate "vi-x-icu" nulls last`,
      [setId, campaign.id],
    );
    const open = left.reduce((s, a) => s + a.n, 0);
    checks.push({
      ok: open === 0,
      progress: open > 0,
      message:
        open === 0
          ? 'campaign.check.appraised'
          : msg('campaign.check.openItemsBy', {
              n: open,
              agencies: left.map((a) => `${a.name ?? '—'} ${a.n}`).join(', '),
            }),
    });
  }
  return checks;
}

/** Whether the campaign may move to `to` now, with the failed checks as the step's errors; nothing is written. */
export async function checkAdvance(em: EntityManager, code: string, to: CampaignState): Promise<Outcome<null>> {
  const campaign = await em.findOne(CampaignSchema, { code });
  if (!campaign || secretariatSteps[campaign.state as CampaignState] !== to)
    return invalid({ _form: 'campaign.step.notNext' });
  const failed = (await checkStep(em, campaign)).filter((c) => !c.ok);
  return failed.length ? invalid({ _form: failed.map((c) => c.message) }) : ok(null);
}

export async function advanceCampaign(
  em: EntityManager,
  actor: Actor,
  code: string,
  to: CampaignState,
): Promise<Outcome<Campaign>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOneOrFail(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (secretariatSteps[campaign.state as CampaignState] !== to) return invalid({ _form: 'campaign.step.notNext' });
    const failed = (await checkStep(tx, campaign)).filter((c) => !c.ok);
    if (failed.length) return invalid({ _form: failed.map((c) => c.message) });
    const from = campaign.state;
    if (to === 'self-assessment') {
      const cus = await tx.find(CampaignUnitSchema, { campaign });
      await openSelfAssessments(
        tx,
        campaign,
        cus.map((cu) => (typeof cu.unit === 'number' ? cu.unit : cu.unit.id)),
      );
      await tx.nativeUpdate(
        CriteriaSetSchema,
        { id: typeof campaign.criteriaSet === 'number' ? campaign.criteriaSet : campaign.criteriaSet.id },
        { locked: true },
      );
    }
    campaign.state = to;
    // Opening appraisal before its planned date opens the appraisal window that day (features/appraisal/window.ts).
    const opens = to === 'appraisal' ? openedEarly(campaign.appraisalOpens ?? null, todayInVietnam()) : null;
    if (opens && opens !== campaign.appraisalOpens) campaign.appraisalOpens = opens;
    await tx.flush();
    if (to === 'self-assessment' || to === 'appraisal' || to === 'council-review')
      await noticePhaseOpened(tx, campaign.id, to);
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.state-changed',
      entityType: 'Campaign',
      entityId: campaign.id,
      before: { state: from },
      after: { state: to },
    });
    return ok(campaign);
  });
}

/** One empty self-assessment per unit, with a row for every leaf a unit scores (survey-kind leaves excluded). */
async function openSelfAssessments(tx: EntityManager, campaign: Campaign, unitIds: number[]) {
  const setId = typeof campaign.criteriaSet === 'number' ? campaign.criteriaSet : campaign.criteriaSet.id;
  const leaves = scoredLeaves(await loadCriteria(tx, setId));
  for (const unitId of unitIds) {
    if (await tx.count(SelfAssessmentSchema, { campaign, unit: unitId })) continue;
    openSelfAssessment(
      tx,
      campaign,
      unitId,
      leaves.map((criterion) => ({ criterion })),
    );
  }
}

/** Every campaign, newest year first, with how many units it assesses. */
export function listCampaigns(em: EntityManager) {
  return em.execute<
    { id: number; code: string; name: string; year: number; state: string; practice: boolean; units: number }[]
  >(
    `select c.id, c.code, c.name, c.year, c.state, c.practice, (select count(*)::int from campaign_unit cu where cu.campaign_id = c.id) as units
       from campaign c order by c.year desc, c.name collate "vi-x-icu"`,
  );
}

/** How many records the secretariat keeps, for its start page. */
export async function recordCounts(em: EntityManager) {
  const [counts] = await em.execute<{ units: number; users: number; sets: number; campaigns: number }[]>(
    `select (select count(*)::int from unit) as units, (select count(*)::int from app_user) as users,
            (select count(*)::int from criteria_set) as sets, (select count(*)::int from campaign where not practice) as campaigns`,
  );
  return counts;
}

/** A campaign by its code, with its criteria set. */
export function findCampaign(em: EntityManager, code: string) {
  return em.findOne(CampaignSchema, { code }, { populate: ['criteriaSet'] });
}

/** A campaign's units, submitted self-assessments and exemptions, counted. */
export async function campaignCounts(em: EntityManager, campaignId: number) {
  const [counts] = await em.execute<{ units: number; submitted: number; exemptions: number }[]>(
    `select (select count(*)::int from campaign_unit where campaign_id = ?) as units,
            (select count(*)::int from self_assessment where campaign_id = ? and state = 'submitted') as submitted,
            (select count(*)::int from exemption where campaign_id = ?) as exemptions`,
    [campaignId, campaignId, campaignId],
  );
  return counts;
}

/**
 * Puts the campaign's units in blocks (khối), ranked apart: every unit in a block, or none (all blocks empty). Until
 * the campaign is published; the ranking follows at once, the indexes do not change.
 */
export async function setCampaignBlocks(
  em: EntityManager,
  actor: Actor,
  code: string,
  blocks: ReadonlyMap<number, string>,
): Promise<Outcome<{ changed: number }>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOneOrFail(CampaignSchema, { code }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (campaign.state === 'published') return invalid({ _form: 'campaign.blocks.published' });
    const units = await tx.find(CampaignUnitSchema, { campaign }, { populate: ['unit'] });
    const wanted = new Map(
      units.map((cu) => [cu.id, (blocks.get(cu.unit.id) ?? '').normalize('NFC').trim().replace(/\s+/g, ' ')]),
    );
    const named = [...wanted.values()].filter((b) => b !== '');
    if (named.some((b) => b.length > 255)) return invalid({ blocks: 'campaign.blocks.tooLong' });
    if (named.length > 0 && named.length < units.length) {
      const missing = units.filter((cu) => wanted.get(cu.id) === '').map((cu) => cu.unit.name);
      return invalid({
        blocks: msg('campaign.blocks.partial', { count: missing.length, names: missing.slice(0, 5).join(', ') }),
      });
    }
    let changed = 0;
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    for (const cu of units) {
      const block = wanted.get(cu.id) || null;
      if ((cu.block ?? null) === block) continue;
      before[cu.unit.code] = cu.block ?? null;
      after[cu.unit.code] = block;
      cu.block = block;
      changed++;
    }
    if (changed === 0) return ok({ changed });
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'campaign.blocks-changed',
      entityType: 'Campaign',
      entityId: campaign.id,
      before,
      after,
    });
    return ok({ changed });
  });
}

/**
 * Every active unit (and any inactive one the campaign assesses), with whether it is assessed, its extension and
 * self-assessment state ('reopened': reopened by the secretariat and not submitted again).
 */
export function campaignUnitChoices(em: EntityManager, campaignId: number) {
  return em.execute<
    {
      id: number;
      code: string;
      name: string;
      kind: string;
      parent_name: string | null;
      assessed: boolean;
      extended_to: string | null;
      extension_reason: string | null;
      self_state: string | null;
      block: string | null;
    }[]
  >(
    `select u.id, u.code, u.name, u.kind, p.name as parent_name, cu.id is not null as assessed, cu.block,
            to_char(cu.deadline_extended_to, 'YYYY-MM-DD') as extended_to, cu.extension_reason,
            case when sa.state = 'draft' and sa.reopen_reason is not null then 'reopened' else sa.state end as self_state
       from unit u left join unit p on p.id = u.parent_id
       left join campaign_unit cu on cu.unit_id = u.id and cu.campaign_id = ?
       left join self_assessment sa on sa.unit_id = u.id and sa.campaign_id = ?
      where (u.active and (u.exists_until is null or u.exists_until >= ?::date)) or cu.id is not null
      order by p.name collate "vi-x-icu" nulls first, u.name collate "vi-x-icu"`,
    [campaignId, campaignId, todayInVietnam()],
  );
}

/** A campaign's exemptions, by unit then criterion. */
export function campaignExemptions(em: EntityManager, campaignId: number) {
  return em.execute<
    {
      id: number;
      reason: string;
      unit_code: string;
      unit_name: string;
      criterion_code: string;
      title: string;
      max_score: string;
    }[]
  >(
    `select e.id, e.reason, u.code as unit_code, u.name as unit_name, c.code as criterion_code, c.title, c.max_score
       from exemption e join unit u on u.id = e.unit_id join criterion c on c.id = e.criterion_id
      where e.campaign_id = ? order by u.name collate "vi-x-icu", c.position`,
    [campaignId],
  );
}

/** The units a campaign assesses, by name. */
export function assessedUnits(em: EntityManager, campaignId: number) {
  return em.execute<{ code: string; name: string }[]>(
    `select u.code, u.name from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ? order by u.name collate "vi-x-icu"`,
    [campaignId],
  );
}
