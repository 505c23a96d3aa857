// Practice campaigns (Tập huấn): the secretariat copies a campaign to train its people on the portal itself, moves its
// phases freely, publishes it to a preview only the trainees see, then resets it for the next group or discards it.
// A practice campaign never reaches the public pages, open data, the council's real ranking or the reminders: those
// read `not practice`. Its publications and its audit events can only go through `discard_practice_records`, a
// database function that refuses every campaign but a practice one (migrations/…_practice_campaigns.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../db/audit.ts';
import { CampaignSchema, type Campaign } from '../db/entities/index.ts';
import { intArray } from '../db/sql.ts';
import { addDays } from '../domain/dates.ts';
import type { CurrentUser } from '../domain/permissions.ts';
import { campaignStates, type CampaignState } from '../domain/workflow.ts';
import { translator } from '../i18n/catalog.ts';
import { effectiveAgencyCte } from './appraisal/scope.ts';
import { loadCriteria, type Actor } from './criteria-sets.ts';
import { referencedIn, type EvidenceStore } from './evidence/store.ts';
import { invalid, ok, type Outcome } from './outcome.ts';
import { publishCampaign } from './publication/publish.ts';
import type { ResultsDocument } from './publication/document.ts';
import { publicationDocument } from './publication/stored.ts';
import { openSelfAssessment, scoredLeaves } from './self-assessment/open.ts';

/** How long the practice's phases stay open from the day it is made (or reset). */
export const practiceDays = 30;

/** The phases the secretariat may move a practice campaign to, forward or back; publishing is the preview's step. */
export const practicePhases = campaignStates.filter((s) => s !== 'published');

const vi = translator('vi');

interface PracticeRow {
  id: number;
  code: string;
  name: string;
  state: CampaignState;
  practice: boolean;
  criteria_set_id: number;
}

async function practiceRow(em: EntityManager, code: string, lock = ''): Promise<PracticeRow | null> {
  const [row] = await em.execute<PracticeRow[]>(
    `select id, code, name, state, practice, criteria_set_id from campaign where code = ? ${lock}`,
    [code],
  );
  return row ?? null;
}

/** A free code for the practice copy of `code`: `tap-huan-<code>`, then `-2`, `-3`… */
async function freeCode(em: EntityManager, code: string): Promise<string> {
  const base = `tap-huan-${code}`.slice(0, 58).replace(/-+$/, '');
  const taken = new Set(
    (
      await em.execute<{ code: string }[]>(`select code from campaign where code = ? or code like ?`, [
        base,
        `${base}-%`,
      ])
    ).map((r) => r.code),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The practice campaign's self-assessments, one per unit, empty; or filled from published scores (`samples`). */
async function openPractice(tx: EntityManager, campaign: PracticeRow, samples: boolean): Promise<number> {
  const leaves = scoredLeaves(await loadCriteria(tx, campaign.criteria_set_id));
  const units = await tx.execute<{ unit_id: number; unit_code: string }[]>(
    `select cu.unit_id, u.code as unit_code from campaign_unit cu join unit u on u.id = cu.unit_id
      where cu.campaign_id = ? and not exists (select 1 from self_assessment sa where sa.campaign_id = cu.campaign_id and sa.unit_id = cu.unit_id)`,
    [campaign.id],
  );
  const published = samples
    ? await lastPublishedScores(
        tx,
        units.map((u) => u.unit_code),
      )
    : new Map();
  let filled = 0;
  for (const u of units) {
    const sample = published.get(u.unit_code);
    const { selfAssessment } = openSelfAssessment(
      tx,
      campaign.id,
      u.unit_id,
      leaves.map((criterion) => {
        const answer = sample?.criteria[criterion.code];
        if (!answer || criterion.kind !== 'self') return { criterion: criterion.id };
        return {
          criterion: criterion.id,
          selfScore: answer.applicable === false ? null : (answer.self ?? answer.score ?? null),
          notApplicable: answer.applicable === false,
          explanation: vi('practice.sample.explanation', { campaign: sample!.campaign }),
        };
      }),
      sample ? { submittedAt: new Date() } : null,
    );
    if (sample) {
      await tx.flush();
      await tx.execute(
        `insert into appraisal (criterion_score_id, state, reason, version)
         select cs.id, 'todo', '', 1 from criterion_score cs where cs.self_assessment_id = ? on conflict (criterion_score_id) do nothing`,
        [selfAssessment.id],
      );
      filled++;
    }
  }
  await tx.flush();
  return filled;
}

interface PublishedScores {
  campaign: string;
  criteria: Record<string, { applicable?: boolean; self?: string | null; score?: string | null }>;
}

/** Each unit's newest published result of a real campaign run on the portal (its criteria's self and final scores). */
async function lastPublishedScores(em: EntityManager, unitCodes: string[]): Promise<Map<string, PublishedScores>> {
  if (!unitCodes.length) return new Map();
  const rows = await em.execute<
    { unit_code: string; name: string; detail: { criteria?: PublishedScores['criteria'] } }[]
  >(
    `select distinct on (r.unit_code) r.unit_code, c.name, r.detail
       from published_result r join publication p on p.id = r.publication_id join campaign c on c.id = p.campaign_id
      where not c.practice and r.unit_code = any(?::text[]) and r.status is null
      order by r.unit_code, c.year desc, p.version desc`,
    [`{${unitCodes.map((c) => `"${c.replaceAll('"', '')}"`).join(',')}}`],
  );
  return new Map(
    rows
      .filter((r) => r.detail?.criteria && Object.keys(r.detail.criteria).length)
      .map((r) => [r.unit_code, { campaign: r.name, criteria: r.detail.criteria! }]),
  );
}

/**
 * Copies a campaign into a practice campaign: same criteria set, rules, units (those still existing), blocks and
 * exemptions; named "Tập huấn — …"; its phases open from today; in self-assessment at once. With `samples`, every unit
 * with a published result gets its self-assessment filled from it and submitted, for the appraisers to appraise.
 */
export async function createPracticeCampaign(
  em: EntityManager,
  actor: Actor,
  sourceCode: string,
  opts: { samples: boolean; today: string },
): Promise<Outcome<{ code: string; samples: number }>> {
  return em.transactional(async (tx) => {
    const source = await tx.findOne(CampaignSchema, { code: sourceCode });
    if (!source) return invalid({ _form: 'practice.error.noCampaign' });
    const code = await freeCode(tx, source.code);
    const closes = addDays(opts.today, practiceDays);
    const name = vi('practice.name', { name: source.name.replace(/^Tập huấn — /, '') }).slice(0, 255);
    const campaign: Campaign = tx.create(CampaignSchema, {
      code,
      name,
      year: source.year,
      organizer: source.organizer,
      decision: source.decision,
      criteriaSet: source.criteriaSet,
      composition: source.composition,
      bands: source.bands,
      precision: source.precision,
      rounding: source.rounding,
      selfAssessmentOpens: opts.today,
      selfAssessmentCloses: closes,
      appraisalOpens: opts.today,
      appraisalCloses: closes,
      explanationDays: source.explanationDays,
      publishBy: closes,
      officerMaySubmit: source.officerMaySubmit,
      practice: true,
      state: 'self-assessment',
    });
    await tx.flush();
    await tx.execute(
      `insert into campaign_unit (campaign_id, unit_id, block)
       select ?, cu.unit_id, cu.block from campaign_unit cu join unit u on u.id = cu.unit_id
        where cu.campaign_id = ? and u.active and (u.exists_until is null or u.exists_until >= ?::date)`,
      [campaign.id, source.id, opts.today],
    );
    await tx.execute(
      `insert into exemption (campaign_id, unit_id, criterion_id, reason)
       select ?, e.unit_id, e.criterion_id, e.reason from exemption e
        where e.campaign_id = ? and exists (select 1 from campaign_unit cu where cu.campaign_id = ? and cu.unit_id = e.unit_id)`,
      [campaign.id, source.id, campaign.id],
    );
    const row = (await practiceRow(tx, code))!;
    const samples = await openPractice(tx, row, opts.samples);
    audit(tx, {
      actorId: actor.id,
      action: 'practice.created',
      entityType: 'Campaign',
      entityId: campaign.id,
      after: { code, name, from: source.code, samples: opts.samples, sampleUnits: samples },
    });
    return ok({ code, samples });
  });
}

/** Moves a practice campaign to any phase but published, forward or back; the self-assessments open on the way. */
export async function movePracticePhase(
  em: EntityManager,
  actor: Actor,
  code: string,
  to: string,
  today: string,
): Promise<Outcome<null>> {
  return em.transactional(async (tx) => {
    const c = await practiceRow(tx, code, 'for update');
    if (!c?.practice) return invalid({ _form: 'practice.error.notPractice' });
    const phase = practicePhases.find((s) => s === to);
    if (!phase) return invalid({ to: 'practice.error.phase' });
    if (phase !== 'draft') await openPractice(tx, c, false);
    const approved = phase === 'approved';
    // Its phases stay open today, however long the training has run: every window reaches from today at least.
    const closes = addDays(today, practiceDays);
    await tx.execute(
      `update campaign set state = ?, approval_decision = ?, approval_date = ?, approved_by_id = ?, approved_at = ${approved ? 'now()' : 'null'},
              self_assessment_opens = least(self_assessment_opens, ?::date), self_assessment_closes = greatest(self_assessment_closes, ?::date),
              appraisal_opens = least(appraisal_opens, ?::date), appraisal_closes = greatest(appraisal_closes, ?::date)
        where id = ?`,
      [
        phase,
        approved ? vi('practice.approvalDecision') : null,
        approved ? today : null,
        approved ? actor.id : null,
        today,
        closes,
        today,
        closes,
        c.id,
      ],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'practice.phase-moved',
      entityType: 'Campaign',
      entityId: c.id,
      before: { state: c.state },
      after: { state: phase },
    });
    return ok(null);
  });
}

/**
 * "Publishes" a practice campaign from council review on: approved as practice, then frozen as a publication of its
 * own that only the preview page shows (the public pages and open data never read a practice campaign's).
 */
export async function publishPracticePreview(
  em: EntityManager,
  actor: Actor,
  code: string,
  today: string,
): Promise<Outcome<{ version: number }>> {
  const c = await practiceRow(em, code);
  if (!c?.practice) return invalid({ _form: 'practice.error.notPractice' });
  if (!['council-review', 'approved', 'published'].includes(c.state))
    return invalid({ _form: 'practice.error.previewTooEarly' });
  if (c.state === 'council-review') {
    const moved = await movePracticePhase(em, actor, code, 'approved', today);
    if (!moved.ok) return moved;
  }
  const published = await publishCampaign(em, actor.id, code, {
    correctionReason: c.state === 'published' ? vi('practice.preview.again') : undefined,
  });
  if (!published.ok) return published;
  return ok({ version: published.value.version });
}

/** What a reset or a discard removes, counted. */
export interface PracticeCounts {
  units: number;
  selfAssessments: number;
  submitted: number;
  answered: number;
  appraised: number;
  requests: number;
  evidenceFiles: number;
  /** Evidence files (by content) that no other campaign uses: their stored bytes go too. */
  evidenceOnlyHere: number;
  publications: number;
  auditEvents: number;
}

export async function practiceCounts(em: EntityManager, campaignId: number): Promise<PracticeCounts> {
  const [counts] = await em.execute<PracticeCounts[]>(
    `with sa as (select id, state from self_assessment where campaign_id = ?),
          cs as (select cs.* from criterion_score cs where cs.self_assessment_id in (select id from sa)),
          ap as (select a.* from appraisal a where a.criterion_score_id in (select id from cs)),
          ef as (select f.* from evidence_file f where f.criterion_score_id in (select id from cs))
     select (select count(*)::int from campaign_unit where campaign_id = ?) as units,
            (select count(*)::int from sa) as "selfAssessments",
            (select count(*)::int from sa where state = 'submitted') as submitted,
            (select count(*)::int from cs where self_score is not null or not_applicable or explanation <> '' or declared_level is not null) as answered,
            (select count(*)::int from ap where state <> 'todo') as appraised,
            (select count(*)::int from explanation_request where appraisal_id in (select id from ap)) as requests,
            (select count(*)::int from ef) as "evidenceFiles",
            (select count(distinct ef.sha256)::int from ef where not exists (
               select 1 from evidence_file o where o.sha256 = ef.sha256 and o.criterion_score_id not in (select id from cs))) as "evidenceOnlyHere",
            (select count(*)::int from publication where campaign_id = ?) as publications,
            (select count(*)::int from audit_event where practice_campaign_id = ?) as "auditEvents"`,
    [campaignId, campaignId, campaignId, campaignId],
  );
  return counts;
}

/** The practice campaign named, with what a reset or a discard of it would remove; null when it is not one. */
export async function practiceConsequences(
  em: EntityManager,
  code: string,
): Promise<{ campaign: { id: number; code: string; name: string; state: string }; counts: PracticeCounts } | null> {
  const c = await practiceRow(em, code);
  if (!c?.practice) return null;
  return { campaign: { id: c.id, code: c.code, name: c.name, state: c.state }, counts: await practiceCounts(em, c.id) };
}

async function evidenceHashes(em: EntityManager, campaignId: number): Promise<string[]> {
  const rows = await em.execute<{ sha256: string }[]>(
    `select distinct f.sha256 from evidence_file f join criterion_score cs on cs.id = f.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id where sa.campaign_id = ?`,
    [campaignId],
  );
  return rows.map((r) => r.sha256);
}

/** Whether the practice was made with sample self-assessments (its creation's audit event says). */
async function madeWithSamples(em: EntityManager, campaignId: number): Promise<boolean> {
  const [row] = await em.execute<{ samples: boolean }[]>(
    `select coalesce((after->>'samples')::boolean, false) as samples from audit_event
      where entity_type = 'Campaign' and entity_id = ? and action = 'practice.created' order by id desc limit 1`,
    [String(campaignId)],
  );
  return row?.samples ?? false;
}

/** Removes the stored bytes of evidence that no row names any more (after the transaction that dropped the rows). */
async function removeUnused(em: EntityManager, store: EvidenceStore, hashes: string[]): Promise<number> {
  const still = await referencedIn(em)(hashes);
  const unused = hashes.filter((h) => !still.has(h));
  for (const h of unused) await store.remove(h);
  return unused.length;
}

/**
 * Back to its start for the next group of trainees: every self-assessment (answers, evidence, appraisals, requests)
 * and every preview publication goes; the campaign reopens in self-assessment with fresh dates (and its samples
 * again). Its own audit events stay, marked as practice, with one more for the reset.
 */
export async function resetPractice(
  em: EntityManager,
  actor: Actor,
  code: string,
  store: EvidenceStore,
  today: string,
): Promise<Outcome<PracticeCounts>> {
  const outcome = await em.transactional(async (tx): Promise<Outcome<{ counts: PracticeCounts; hashes: string[] }>> => {
    const c = await practiceRow(tx, code, 'for update');
    if (!c?.practice) return invalid({ _form: 'practice.error.notPractice' });
    const counts = await practiceCounts(tx, c.id);
    const hashes = await evidenceHashes(tx, c.id);
    await tx.execute('select discard_practice_records(?, false)', [c.id]);
    await tx.execute('delete from self_assessment where campaign_id = ?', [c.id]);
    const closes = addDays(today, practiceDays);
    await tx.execute(
      `update campaign set state = 'self-assessment', approval_decision = null, approval_date = null, approved_by_id = null, approved_at = null,
              self_assessment_opens = ?, self_assessment_closes = ?, appraisal_opens = ?, appraisal_closes = ?, publish_by = ? where id = ?`,
      [today, closes, today, closes, closes, c.id],
    );
    await openPractice(tx, { ...c, state: 'self-assessment' }, await madeWithSamples(tx, c.id));
    audit(tx, {
      actorId: actor.id,
      action: 'practice.reset',
      entityType: 'Campaign',
      entityId: c.id,
      before: { state: c.state, ...counts },
      after: { state: 'self-assessment' },
    });
    return ok({ counts, hashes });
  });
  if (!outcome.ok) return outcome;
  await removeUnused(em, store, outcome.value.hashes);
  return ok(outcome.value.counts);
}

/**
 * Throws a practice campaign away whole: its units' answers, evidence (the stored files no other campaign uses),
 * appraisals, requests, publications and its own audit events; the audit log keeps one line for the discard.
 */
export async function discardPractice(
  em: EntityManager,
  actor: Actor,
  code: string,
  store: EvidenceStore,
): Promise<Outcome<PracticeCounts & { name: string }>> {
  const outcome = await em.transactional(
    async (tx): Promise<Outcome<{ counts: PracticeCounts; hashes: string[]; name: string }>> => {
      const c = await practiceRow(tx, code, 'for update');
      if (!c?.practice) return invalid({ _form: 'practice.error.notPractice' });
      const counts = await practiceCounts(tx, c.id);
      const hashes = await evidenceHashes(tx, c.id);
      await tx.execute('select discard_practice_records(?, true)', [c.id]);
      await tx.execute('delete from campaign where id = ?', [c.id]);
      // Written once the campaign is gone: the database does not mark it as the practice's own, so it stays.
      audit(tx, {
        actorId: actor.id,
        action: 'practice.discarded',
        entityType: 'Campaign',
        entityId: c.id,
        before: { code: c.code, name: c.name, state: c.state, ...counts },
      });
      return ok({ counts, hashes, name: c.name });
    },
  );
  if (!outcome.ok) return outcome;
  await removeUnused(em, store, outcome.value.hashes);
  return ok({ ...outcome.value.counts, name: outcome.value.name });
}

/**
 * Whether this person takes part in the practice campaign: the secretariat and the chair; the officers, heads and
 * contributors of its units; the appraisers of the agencies that appraise its criteria.
 */
async function takesPart(em: EntityManager, user: CurrentUser, c: PracticeRow): Promise<boolean> {
  if (user.grants.some((g) => g.role === 'admin' || g.role === 'chair')) return true;
  const unitIds = user.grants.filter((g) => g.unitId !== null).map((g) => g.unitId!);
  const agencyIds = user.grants.filter((g) => g.role === 'appraiser' && g.agencyId !== null).map((g) => g.agencyId!);
  const [row] = await em.execute<{ yes: boolean }[]>(
    `with recursive ${effectiveAgencyCte}
     select exists (select 1 from campaign_unit where campaign_id = ? and unit_id = any(?::int[]))
         or exists (select 1 from effective_agency where agency_id = any(?::int[])) as yes`,
    [c.criteria_set_id, c.id, intArray(unitIds), intArray(agencyIds)],
  );
  return row?.yes ?? false;
}

export interface PracticePreview {
  campaign: { code: string; name: string; state: string; practice: true };
  publication: { version: number; publishedAt: Date } | null;
  document: ResultsDocument | null;
}

/** The preview of a practice campaign's publication, for those who take part in it; null for anyone else. */
export async function practicePreview(
  em: EntityManager,
  user: CurrentUser,
  code: string,
): Promise<PracticePreview | null> {
  const c = await practiceRow(em, code);
  if (!c?.practice || !(await takesPart(em, user, c))) return null;
  const [p] = await em.execute<{ id: number; version: number; published_at: Date }[]>(
    'select id, version, published_at from publication where campaign_id = ? order by version desc limit 1',
    [c.id],
  );
  return {
    campaign: { code: c.code, name: c.name, state: c.state, practice: true },
    publication: p ? { version: p.version, publishedAt: p.published_at } : null,
    document: p ? await publicationDocument(em, p.id) : null,
  };
}
