// On-site checks of a unit's self-scoring (kiểm tra thực tế việc tự chấm điểm): the secretariat, or an appraising
// agency when the campaign allows it, visits a unit of a campaign in appraisal and checks criteria against the
// originals; each check is a finding. Findings are shown where decisions are made (the appraiser's item, the queue's
// filter), to the unit on its workspace and to the council as counts. Every change is audited and is possible only
// while the campaign is in appraisal (checked under the campaign row's share lock, like a decision); then frozen.
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { lockedPhase } from '../appraisal/phase.ts';
import { effectiveAgency } from '../appraisal/scope.ts';
import { inspectFile, kindOfExtension } from '../evidence/inspect.ts';
import { NoRoomError, type EvidenceStore } from '../evidence/store.ts';
import { discard, evidenceFileName, type ReceivedFile } from '../evidence/upload.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';

export const findingResults = ['match', 'mismatch', 'not-shown'] as const;
export type FindingResult = (typeof findingResults)[number];

/**
 * Who records: the secretariat (`agencyIds` null) sees and records every visit; an appraiser records for their
 * agencies (the first one is written on the visit) and sees only their agencies' visits, on the criteria they appraise.
 */
export interface VisitActor {
  id: number;
  agencyIds: number[] | null;
}

export interface VisitCampaign {
  id: number;
  code: string;
  name: string;
  state: string;
  criteriaSetId: number;
  onsiteByAgencies: boolean;
}

/** While the campaign is in appraisal a visit may be recorded and changed; then it is frozen with the campaign. */
export const visitsEditable = (c: Pick<VisitCampaign, 'state'>) => c.state === 'appraisal';

/** The campaign, if this actor may work on its visits: any campaign for the secretariat; for an agency, one that allows it. */
export async function visitCampaign(em: EntityManager, actor: VisitActor, code: string): Promise<VisitCampaign | null> {
  const [c] = await em.execute<VisitCampaign[]>(
    `select id, code, name, state, criteria_set_id as "criteriaSetId", onsite_by_agencies as "onsiteByAgencies"
       from campaign where code = ?`,
    [code],
  );
  if (!c) return null;
  if (actor.agencyIds === null) return c;
  const past = ['appraisal', 'council-review', 'approved', 'published'];
  return c.onsiteByAgencies && actor.agencyIds.length > 0 && past.includes(c.state) ? c : null;
}

/** Until appraisal closes, the secretariat may let the agencies record on-site checks (or no longer). */
export const settable = (c: Pick<VisitCampaign, 'state'>) =>
  ['draft', 'self-assessment', 'appraisal'].includes(c.state);

/** Lets the campaign's appraising agencies record on-site checks themselves (or no longer): the secretariat's setting. */
export async function setAgenciesMayVisit(
  em: EntityManager,
  actorId: number,
  campaign: VisitCampaign,
  allowed: boolean,
): Promise<Outcome<null, 'locked'>> {
  return em.transactional(async (tx) => {
    const phase = await lockedPhase(tx, campaign.id);
    if (phase === null || !settable({ state: phase })) return refused('locked', { _form: 'onsite.error.closed' });
    await tx.execute('update campaign set onsite_by_agencies = ? where id = ?', [allowed, campaign.id]);
    audit(tx, {
      actorId,
      action: 'campaign.onsite-by-agencies',
      entityType: 'Campaign',
      entityId: campaign.id,
      before: { onsiteByAgencies: campaign.onsiteByAgencies },
      after: { onsiteByAgencies: allowed },
    });
    return ok(null);
  });
}

export interface VisitSummary {
  id: number;
  unitCode: string;
  unitName: string;
  visitedOn: string;
  members: string;
  agencyName: string | null;
  recordedBy: string;
  hasMinutes: boolean;
  counts: Record<FindingResult, number>;
}

const agencyFilter = (actor: VisitActor) => (actor.agencyIds === null ? '' : 'and v.agency_id = any(?::int[])');
const agencyParams = (actor: VisitActor) => (actor.agencyIds === null ? [] : [intArray(actor.agencyIds)]);

/** The campaign's visits this actor may see, latest first. */
export async function listVisits(em: EntityManager, actor: VisitActor, campaign: VisitCampaign) {
  const rows = await em.execute<Record<string, any>[]>(
    `select v.id, u.code as unit_code, u.name as unit_name, to_char(v.visited_on, 'YYYY-MM-DD') as visited_on, v.members,
            a.name as agency_name, p.full_name as recorded_by, v.minutes_sha256 is not null as has_minutes,
            count(f.id) filter (where f.result = 'match')::int as match,
            count(f.id) filter (where f.result = 'mismatch')::int as mismatch,
            count(f.id) filter (where f.result = 'not-shown')::int as not_shown
       from onsite_visit v join unit u on u.id = v.unit_id join app_user p on p.id = v.recorded_by_id
       left join agency a on a.id = v.agency_id
       left join onsite_finding f on f.visit_id = v.id
      where v.campaign_id = ? ${agencyFilter(actor)}
      group by v.id, u.code, u.name, a.name, p.full_name
      order by v.visited_on desc, v.id desc`,
    [campaign.id, ...agencyParams(actor)],
  );
  return rows.map(
    (r): VisitSummary => ({
      id: r.id,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      visitedOn: r.visited_on,
      members: r.members,
      agencyName: r.agency_name,
      recordedBy: r.recorded_by,
      hasMinutes: r.has_minutes,
      counts: { match: r.match, mismatch: r.mismatch, 'not-shown': r.not_shown },
    }),
  );
}

/** The units a visit may go to: those that submitted their self-assessment in the campaign. */
export async function visitableUnits(em: EntityManager, campaign: VisitCampaign) {
  return em.execute<{ code: string; name: string }[]>(
    `select u.code, u.name from self_assessment sa join unit u on u.id = sa.unit_id
      where sa.campaign_id = ? and sa.state = 'submitted' order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );
}

/**
 * The leaves a visit may check: every leaf for the secretariat, the leaves its agencies appraise for an agency; never
 * a survey's leaf (its points come from the survey, not from documents).
 */
export async function checkableCriteria(em: EntityManager, actor: VisitActor, campaign: VisitCampaign) {
  return em.execute<{ id: number; code: string; title: string }[]>(
    `with recursive ${effectiveAgency('?')}
     select c.id, c.code, c.title from criterion c join effective_agency ea on ea.criterion_id = c.id
      where c.kind <> 'survey' and not exists (select 1 from criterion k where k.parent_id = c.id) ${actor.agencyIds === null ? '' : 'and ea.agency_id = any(?::int[])'}
      order by c.position`,
    [campaign.criteriaSetId, ...agencyParams(actor)],
  );
}

export interface Finding {
  id: number;
  criterionId: number;
  code: string;
  title: string;
  result: FindingResult;
  note: string;
}

export interface Visit {
  id: number;
  campaign: VisitCampaign;
  unit: { id: number; code: string; name: string };
  agencyId: number | null;
  agencyName: string | null;
  visitedOn: string;
  members: string;
  minutes: { sha256: string; name: string; mediaType: string; size: string } | null;
  recordedBy: string;
  recordedAt: string;
  findings: Finding[];
}

async function findingsOf(em: EntityManager, visitIds: number[]): Promise<Map<number, Finding[]>> {
  const rows = await em.execute<Record<string, any>[]>(
    `select f.id, f.visit_id, f.criterion_id, c.code, c.title, f.result, f.note from onsite_finding f
       join criterion c on c.id = f.criterion_id where f.visit_id = any(?::int[]) order by f.visit_id, c.position`,
    [intArray(visitIds)],
  );
  const byVisit = new Map<number, Finding[]>();
  for (const r of rows) {
    const list = byVisit.get(r.visit_id) ?? [];
    list.push({ id: r.id, criterionId: r.criterion_id, code: r.code, title: r.title, result: r.result, note: r.note });
    byVisit.set(r.visit_id, list);
  }
  return byVisit;
}

/** One visit of the campaign, if this actor may see it. */
export async function findVisit(
  em: EntityManager,
  actor: VisitActor,
  campaign: VisitCampaign,
  id: number,
): Promise<Visit | null> {
  if (!Number.isSafeInteger(id)) return null;
  const [r] = await em.execute<Record<string, any>[]>(
    `select v.id, v.agency_id, a.name as agency_name, to_char(v.visited_on, 'YYYY-MM-DD') as visited_on, v.members,
            v.minutes_sha256, v.minutes_name, v.minutes_media_type, v.minutes_size, p.full_name as recorded_by, v.recorded_at,
            u.id as unit_id, u.code as unit_code, u.name as unit_name
       from onsite_visit v join unit u on u.id = v.unit_id join app_user p on p.id = v.recorded_by_id
       left join agency a on a.id = v.agency_id
      where v.id = ? and v.campaign_id = ? ${agencyFilter(actor)}`,
    [id, campaign.id, ...agencyParams(actor)],
  );
  if (!r) return null;
  return {
    id: r.id,
    campaign,
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    visitedOn: r.visited_on,
    members: r.members,
    minutes: r.minutes_sha256
      ? {
          sha256: r.minutes_sha256,
          name: r.minutes_name,
          mediaType: r.minutes_media_type,
          size: String(r.minutes_size),
        }
      : null,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    findings: (await findingsOf(em, [r.id])).get(r.id) ?? [],
  };
}

export interface VisitInput {
  /** ISO yyyy-mm-dd, parsed by the page. */
  visitedOn: string;
  members: string;
}

const closed = refused('locked', { _form: 'onsite.error.closed' });

function checkVisitInput(input: VisitInput, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (input.visitedOn > today) errors.visitedOn = 'onsite.error.future';
  if (!input.members.trim()) errors.members = 'onsite.error.members';
  return errors;
}

/** Records a visit to a unit that submitted its self-assessment; its findings and minutes come next, on its page. */
export async function createVisit(
  em: EntityManager,
  actor: VisitActor,
  campaign: VisitCampaign,
  input: VisitInput & { unitCode: string },
  today: string,
): Promise<Outcome<{ id: number }, 'invalid' | 'locked'>> {
  if (!visitsEditable(campaign)) return closed;
  const [unit] = await em.execute<{ id: number; name: string }[]>(
    `select u.id, u.name from self_assessment sa join unit u on u.id = sa.unit_id
      where sa.campaign_id = ? and sa.state = 'submitted' and u.code = ?`,
    [campaign.id, input.unitCode],
  );
  const errors = checkVisitInput(input, today);
  if (!unit) errors.unit = 'onsite.error.unit';
  if (Object.keys(errors).length) return invalid(errors);
  const members = input.members.trim().normalize('NFC');
  return em.transactional(async (tx) => {
    if ((await lockedPhase(tx, campaign.id)) !== 'appraisal') return closed;
    const [row] = await tx.execute<{ id: number }[]>(
      `insert into onsite_visit (campaign_id, unit_id, agency_id, visited_on, members, recorded_by_id)
       values (?, ?, ?, ?, ?, ?) returning id`,
      [campaign.id, unit!.id, actor.agencyIds?.[0] ?? null, input.visitedOn, members, actor.id],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'onsite.visit-recorded',
      entityType: 'OnsiteVisit',
      entityId: row!.id,
      after: { campaign: campaign.code, unit: input.unitCode, visitedOn: input.visitedOn, members },
    });
    return ok({ id: row!.id });
  });
}

/** Corrects a visit's date and members. */
export async function updateVisit(
  em: EntityManager,
  actor: VisitActor,
  visit: Visit,
  input: VisitInput,
  today: string,
): Promise<Outcome<null, 'invalid' | 'locked'>> {
  if (!visitsEditable(visit.campaign)) return closed;
  const errors = checkVisitInput(input, today);
  if (Object.keys(errors).length) return invalid(errors);
  const members = input.members.trim().normalize('NFC');
  return em.transactional(async (tx) => {
    if ((await lockedPhase(tx, visit.campaign.id)) !== 'appraisal') return closed;
    await tx.execute('update onsite_visit set visited_on = ?, members = ?, updated_at = now() where id = ?', [
      input.visitedOn,
      members,
      visit.id,
    ]);
    audit(tx, {
      actorId: actor.id,
      action: 'onsite.visit-changed',
      entityType: 'OnsiteVisit',
      entityId: visit.id,
      before: { visitedOn: visit.visitedOn, members: visit.members },
      after: { visitedOn: input.visitedOn, members },
    });
    return ok(null);
  });
}

export interface FindingInput {
  criterion: string;
  result: FindingResult;
  note: string;
}

/** Records (or replaces) the finding on one criterion: "không khớp" needs a note saying what did not match. */
export async function setFinding(
  em: EntityManager,
  actor: VisitActor,
  visit: Visit,
  input: FindingInput,
): Promise<Outcome<null, 'invalid' | 'locked'>> {
  if (!visitsEditable(visit.campaign)) return closed;
  const criterion = (await checkableCriteria(em, actor, visit.campaign)).find((c) => c.code === input.criterion);
  const note = input.note.trim().normalize('NFC');
  const errors: FieldErrors = {};
  if (!criterion) errors.criterion = 'onsite.error.criterion';
  if (input.result === 'mismatch' && !note) errors.note = 'onsite.error.note';
  if (Object.keys(errors).length) return invalid(errors);
  const before = visit.findings.find((f) => f.criterionId === criterion!.id);
  return em.transactional(async (tx) => {
    if ((await lockedPhase(tx, visit.campaign.id)) !== 'appraisal') return closed;
    await tx.execute(
      `insert into onsite_finding (visit_id, criterion_id, result, note) values (?, ?, ?, ?)
       on conflict (visit_id, criterion_id) do update set result = excluded.result, note = excluded.note`,
      [visit.id, criterion!.id, input.result, note],
    );
    await tx.execute('update onsite_visit set updated_at = now() where id = ?', [visit.id]);
    audit(tx, {
      actorId: actor.id,
      action: 'onsite.finding-recorded',
      entityType: 'OnsiteVisit',
      entityId: visit.id,
      before: before ? { criterion: before.code, result: before.result, note: before.note } : null,
      after: { unit: visit.unit.code, criterion: criterion!.code, result: input.result, note },
    });
    return ok(null);
  });
}

/** Takes a finding back (nothing to do when there is none). */
export async function removeFinding(
  em: EntityManager,
  actor: VisitActor,
  visit: Visit,
  criterionCode: string,
): Promise<Outcome<null, 'locked'>> {
  if (!visitsEditable(visit.campaign)) return closed;
  const finding = visit.findings.find((f) => f.code === criterionCode);
  if (!finding) return ok(null);
  return em.transactional(async (tx) => {
    if ((await lockedPhase(tx, visit.campaign.id)) !== 'appraisal') return closed;
    await tx.execute('delete from onsite_finding where id = ?', [finding.id]);
    audit(tx, {
      actorId: actor.id,
      action: 'onsite.finding-removed',
      entityType: 'OnsiteVisit',
      entityId: visit.id,
      before: { unit: visit.unit.code, criterion: finding.code, result: finding.result, note: finding.note },
    });
    return ok(null);
  });
}

export type MinutesRefusal = 'locked' | 'empty' | 'tooLarge' | 'type' | 'mismatch' | 'noRoom';

/**
 * Keeps the visit's minutes (biên bản kiểm tra), replacing an earlier file: a PDF, Word, Excel or image file, checked
 * for its type like evidence, kept in the evidence store by its SHA-256. A scanned signed paper is what minutes
 * usually are: no scan flag is raised on it. The temporary file is always gone afterwards.
 */
export async function attachMinutes(
  em: EntityManager,
  store: EvidenceStore,
  actor: VisitActor,
  visit: Visit,
  file: ReceivedFile,
): Promise<Outcome<null, MinutesRefusal>> {
  try {
    if (!visitsEditable(visit.campaign)) return refused('locked');
    if (file.truncated) return refused('tooLarge');
    if (file.size === 0) return refused('empty');
    const found = await inspectFile(file.tempFile);
    if (!found) return refused('type');
    const claimed = kindOfExtension[path.extname(file.name).slice(1).toLowerCase()];
    if (claimed && claimed !== found.kind) return refused('mismatch');
    const name = evidenceFileName(file.name, found.kind);
    return await em.transactional(async (tx) => {
      if ((await lockedPhase(tx, visit.campaign.id)) !== 'appraisal') return refused('locked');
      await tx.execute(
        `update onsite_visit set minutes_sha256 = ?, minutes_name = ?, minutes_media_type = ?, minutes_size = ?, updated_at = now() where id = ?`,
        [file.sha256, name, found.mediaType, file.size, visit.id],
      );
      audit(tx, {
        actorId: actor.id,
        action: 'onsite.minutes-attached',
        entityType: 'OnsiteVisit',
        entityId: visit.id,
        before: visit.minutes ? { name: visit.minutes.name, sha256: visit.minutes.sha256 } : null,
        after: { unit: visit.unit.code, name, sha256: file.sha256, size: file.size, mediaType: found.mediaType },
      });
      await store.put(file.tempFile, file.sha256);
      return ok(null);
    });
  } catch (err) {
    if (err instanceof NoRoomError) return refused('noRoom');
    throw err;
  } finally {
    await discard(file);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Where findings are read

export interface ItemFinding {
  id: number;
  visitId: number;
  visitedOn: string;
  by: string;
  result: FindingResult;
  note: string;
}

/** The findings on one unit's criterion in a campaign (every visit's), oldest visit first. */
export async function findingsOnItem(
  em: EntityManager,
  item: { campaignId: number; unitId: number; criterionId: number },
): Promise<ItemFinding[]> {
  return em.execute<ItemFinding[]>(
    `select f.id, v.id as "visitId", to_char(v.visited_on, 'YYYY-MM-DD') as "visitedOn", coalesce(a.name, '') as by, f.result, f.note
       from onsite_finding f join onsite_visit v on v.id = f.visit_id left join agency a on a.id = v.agency_id
      where v.campaign_id = ? and v.unit_id = ? and f.criterion_id = ?
      order by v.visited_on, v.id`,
    [item.campaignId, item.unitId, item.criterionId],
  );
}

/** What a finding says, as an appraiser quotes it in a reason (in Vietnamese, like the other quick grounds). */
export function findingQuote(f: Pick<ItemFinding, 'visitedOn' | 'result' | 'note'>): string {
  const date = f.visitedOn.split('-').reverse().join('/');
  const what =
    f.result === 'not-shown'
      ? 'đơn vị không xuất trình được hồ sơ gốc'
      : f.result === 'mismatch'
        ? 'hồ sơ gốc không khớp với tài liệu kiểm chứng đã nộp'
        : 'khớp với hồ sơ';
  return `Kiểm tra thực tế ngày ${date}: ${what}${f.note ? ` (${f.note})` : ''}`;
}

/** The reason of the one-click zero a finding grounds: the quote, then the zero (kept with the decision). */
export const findingReason = (f: Pick<ItemFinding, 'visitedOn' | 'result' | 'note'>) =>
  `${findingQuote(f)} — chấm 0 điểm.`;

/** A finding that grounds a quick zero: "không khớp" or "không xuất trình được". */
export const groundsZero = (f: Pick<ItemFinding, 'result'>) => f.result !== 'match';

/** SQL: the item's criterion was checked on site at its unit (for the queue's filter); no parameter. */
export const checkedOnSiteSql = `exists (select 1 from onsite_finding f join onsite_visit v on v.id = f.visit_id
    where v.campaign_id = sa.campaign_id and v.unit_id = sa.unit_id and f.criterion_id = cs.criterion_id)`;

/** A unit's visits in a campaign with their findings, for its workspace. */
export async function unitVisits(em: EntityManager, campaignId: number, unitId: number) {
  const visits = await em.execute<
    { id: number; visitedOn: string; members: string; by: string | null; hasMinutes: boolean }[]
  >(
    `select v.id, to_char(v.visited_on, 'YYYY-MM-DD') as "visitedOn", v.members, a.name as by, v.minutes_sha256 is not null as "hasMinutes"
       from onsite_visit v left join agency a on a.id = v.agency_id
      where v.campaign_id = ? and v.unit_id = ? order by v.visited_on, v.id`,
    [campaignId, unitId],
  );
  const findings = await findingsOf(
    em,
    visits.map((v) => v.id),
  );
  return visits.map((v) => ({ ...v, findings: findings.get(v.id) ?? [] }));
}

/** The minutes of one of the unit's visits in a campaign, for the unit to download (null: none, or not its visit). */
export async function unitVisitMinutes(em: EntityManager, campaignId: number, unitId: number, visitId: number) {
  if (!Number.isSafeInteger(visitId)) return null;
  const [m] = await em.execute<{ sha256: string; name: string; mediaType: string; size: string }[]>(
    `select minutes_sha256 as sha256, minutes_name as name, minutes_media_type as "mediaType", minutes_size::text as size
       from onsite_visit where id = ? and campaign_id = ? and unit_id = ? and minutes_sha256 is not null`,
    [visitId, campaignId, unitId],
  );
  return m ?? null;
}

/** The council's counts: visits, units visited, findings by result. */
export async function visitCounts(em: EntityManager, campaignId: number) {
  const [r] = await em.execute<
    { visits: number; units: number; match: number; mismatch: number; notShown: number; findings: number }[]
  >(
    `select count(distinct v.id)::int as visits, count(distinct v.unit_id)::int as units, count(f.id)::int as findings,
            count(f.id) filter (where f.result = 'match')::int as match,
            count(f.id) filter (where f.result = 'mismatch')::int as mismatch,
            count(f.id) filter (where f.result = 'not-shown')::int as "notShown"
       from onsite_visit v left join onsite_finding f on f.visit_id = v.id where v.campaign_id = ?`,
    [campaignId],
  );
  return r!;
}
