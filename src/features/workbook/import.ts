// Importing a campaign workbook: the checks that need the database, then every row in one transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import {
  AgencySchema,
  AppraisalSchema,
  CampaignSchema,
  CampaignUnitSchema,
  ComponentPointsSchema,
  CriteriaSetSchema,
  CriterionSchema,
  SurveyResultSchema,
  UnitSchema,
  type Agency,
  type Criterion,
  type Unit,
} from '../../db/entities/index.ts';
import { openSelfAssessment } from '../self-assessment/open.ts';
import type { CampaignState } from '../../domain/workflow.ts';
import { type Dec, format } from '../../domain/decimal.ts';
import { compareCriterionCodes, effectiveMaxScores, parentCode } from '../../domain/scoring.ts';
import { msg } from '../../domain/message.ts';
import { type CampaignWorkbook, type WorkbookIssue, formatIssue, inSheetOrder } from './format.ts';
import { Issues, type WorkbookRows, readWorkbook, unitCycles } from './read.ts';
import { oneImportAtATime } from './one-at-a-time.ts';
import { addUnitKind, replacePredecessors } from '../units-and-agencies.ts';
import type { LimitExceeded } from './stream.ts';

export interface ImportSummary {
  code: string;
  campaignId: number;
  state: CampaignState;
  agencies: { created: number; updated: number };
  units: { created: number; updated: number };
  criteria: number;
  scores: number;
  survey: number;
  components: number;
}

export type ImportResult =
  | { ok: true; summary: ImportSummary; warnings: WorkbookIssue[] }
  | { ok: false; errors: WorkbookIssue[]; warnings: WorkbookIssue[]; limit?: LimitExceeded };

/** All or nothing: the campaign and everything it carries, or only the list of what is wrong. */
export function importWorkbook(
  em: EntityManager,
  data: Uint8Array,
  opts: { actorId: number | null; progress?: (step: string) => void },
): Promise<ImportResult> {
  return oneImportAtATime(() => importWorkbookNow(em, data, opts));
}

async function importWorkbookNow(
  em: EntityManager,
  data: Uint8Array,
  opts: { actorId: number | null; progress?: (step: string) => void },
): Promise<ImportResult> {
  const progress = opts.progress ?? (() => {});
  progress(`reading the workbook (${(data.length / 1024 / 1024).toFixed(1)} MB)`);
  const read = await readWorkbook(data);
  if (!read.ok) return read;
  const { workbook, rows, warnings } = read;
  progress(
    `read: ${workbook.units.length} units, ${workbook.criteria.length} criteria, ${workbook.scores.length} scores; checking against the database`,
  );
  return em.transactional(async (tx): Promise<ImportResult> => {
    // The same lock as every other change to the unit tree, so that the cycle check below stays true until commit.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('unit-tree'))`);
    const errors = await checkAgainstDatabase(tx, workbook, rows);
    if (errors.length > 0) return { ok: false, errors, warnings };
    progress('writing units, criteria, scores and results');
    const summary = await store(tx, workbook);
    progress('written');
    audit(tx, {
      actorId: opts.actorId,
      action: 'campaign.imported',
      entityType: 'Campaign',
      entityId: summary.campaignId,
      // The upload page redirects on success: what was ignored stays on record here.
      after: { ...summary, warnings: warnings.map((warning) => formatIssue(warning, 'vi')) },
    });
    return { ok: true, summary, warnings };
  });
}

/** True when the workbook carries a past year's results, not only a set-up. */
function carriesResults(workbook: CampaignWorkbook): boolean {
  return (
    workbook.components.length > 0 ||
    workbook.scores.some((score) => score.selfScore !== null || score.appraisedScore !== null || score.notApplicable)
  );
}

async function checkAgainstDatabase(
  em: EntityManager,
  workbook: CampaignWorkbook,
  rows: WorkbookRows,
): Promise<WorkbookIssue[]> {
  const issues = new Issues();
  const { campaign } = workbook;
  if ((await em.count(CampaignSchema, { code: campaign.code })) > 0) {
    issues.error(
      'campaign',
      rows.campaign.get('code') ?? null,
      'code',
      msg('workbook.issue.campaignExists', { code: campaign.code }),
    );
  }

  const stored = await em.execute<{ code: string; parent_code: string | null }[]>(
    'select u.code, p.code as parent_code from unit u left join unit p on p.id = u.parent_id',
  );
  const parents = new Map(stored.map((unit) => [unit.code, unit.parent_code]));
  for (const unit of workbook.units) {
    if (unit.parentCode === null) {
      if (!parents.has(unit.code)) parents.set(unit.code, null);
      continue;
    }
    if (!parents.has(unit.parentCode) && !workbook.units.some((other) => other.code === unit.parentCode)) {
      issues.error(
        'units',
        rows.units.get(unit.code) ?? null,
        'parent_code',
        msg('workbook.issue.parentUnknown', { code: unit.parentCode }),
      );
    }
    parents.set(unit.code, unit.parentCode);
  }
  for (const start of unitCycles(parents)) {
    const cycle = [start];
    for (let code = parents.get(start); code && code !== start; code = parents.get(code)) cycle.push(code);
    const reported = cycle.find((code) => rows.units.has(code));
    if (reported)
      issues.error(
        'units',
        rows.units.get(reported)!,
        'parent_code',
        msg('workbook.issue.cycleVia', { unit: reported, cycle: cycle.join(' → ') }),
      );
  }

  await checkPredecessors(em, workbook, rows, issues);

  const inSheet = new Set(workbook.agencies.map((agency) => agency.code));
  const wanted = [
    ...new Set(
      workbook.criteria
        .map((criterion) => criterion.agencyCode)
        .filter((code): code is string => code !== null && !inSheet.has(code)),
    ),
  ];
  const known = new Set((await em.find(AgencySchema, { code: { $in: wanted } })).map((agency) => agency.code));
  for (const criterion of workbook.criteria) {
    if (criterion.agencyCode !== null && !inSheet.has(criterion.agencyCode) && !known.has(criterion.agencyCode)) {
      issues.error(
        'criteria',
        rows.criteria.get(criterion.code) ?? null,
        'agency_code',
        msg('workbook.issue.agencyUnknown', { code: criterion.agencyCode }),
      );
    }
  }
  return inSheetOrder(issues.errors);
}

/**
 * Predecessors must already be in the portal (units of earlier campaigns), and the links, with those stored, may not
 * form a cycle: a unit never continues itself, however far back.
 */
async function checkPredecessors(
  em: EntityManager,
  workbook: CampaignWorkbook,
  rows: WorkbookRows,
  issues: Issues,
): Promise<void> {
  const named = workbook.units.filter((unit) => unit.predecessorCodes.length > 0);
  if (named.length === 0) return;
  const wanted = [...new Set(named.flatMap((unit) => unit.predecessorCodes))];
  const known = new Set((await em.find(UnitSchema, { code: { $in: wanted } })).map((unit) => unit.code));
  for (const unit of named)
    for (const code of unit.predecessorCodes.filter((code) => !known.has(code)))
      issues.error(
        'units',
        rows.units.get(unit.code) ?? null,
        'predecessor_codes',
        msg('workbook.issue.predecessorUnknown', { code }),
      );
  const links = new Map<string, string[]>();
  for (const link of await em.execute<{ unit: string; predecessor: string }[]>(
    `select u.code as unit, p.code as predecessor
       from unit_predecessor up join unit u on u.id = up.unit_id join unit p on p.id = up.predecessor_id`,
  ))
    links.set(link.unit, [...(links.get(link.unit) ?? []), link.predecessor]);
  for (const unit of named) links.set(unit.code, unit.predecessorCodes);
  for (const unit of named) {
    const path = predecessorCycle(unit.code, links);
    if (path)
      issues.error(
        'units',
        rows.units.get(unit.code) ?? null,
        'predecessor_codes',
        msg('workbook.issue.predecessorCycle', { cycle: path.join(' → ') }),
      );
  }
}

/** The path back to `start` through the predecessor links, when there is one. */
function predecessorCycle(start: string, links: ReadonlyMap<string, readonly string[]>): string[] | null {
  const seen = new Set<string>();
  const walk = (code: string, path: string[]): string[] | null => {
    for (const next of links.get(code) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

const decimal = (value: Dec | null): string | null => (value === null ? null : format(value));

function upsertByCode<T extends { code: string }, E extends { code: string }>(
  rows: readonly T[],
  existing: readonly E[],
  update: (entity: E, row: T) => void,
  create: (row: T) => E,
): { byCode: Map<string, E>; created: number; updated: number } {
  const byCode = new Map(existing.map((entity) => [entity.code, entity]));
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    const entity = byCode.get(row.code);
    if (entity) {
      update(entity, row);
      updated++;
    } else {
      byCode.set(row.code, create(row));
      created++;
    }
  }
  return { byCode, created, updated };
}

async function store(em: EntityManager, workbook: CampaignWorkbook): Promise<ImportSummary> {
  const { campaign: settings } = workbook;
  const results = carriesResults(workbook);

  const agencyCodes = [
    ...new Set([
      ...workbook.agencies.map((a) => a.code),
      ...workbook.criteria.flatMap((c) => (c.agencyCode ? [c.agencyCode] : [])),
    ]),
  ];
  const agencies = upsertByCode(
    workbook.agencies,
    await em.find(AgencySchema, { code: { $in: agencyCodes } }),
    (agency: Agency, row) => {
      agency.name = row.name;
    },
    (row) => em.create(AgencySchema, { code: row.code, name: row.name }),
  );

  const unitCodes = [...new Set(workbook.units.flatMap((u) => (u.parentCode ? [u.code, u.parentCode] : [u.code])))];
  // An empty kind or parent_code keeps what the portal already knows: older workbooks leave them out.
  const units = upsertByCode(
    workbook.units,
    await em.find(UnitSchema, { code: { $in: unitCodes } }),
    (unit: Unit, row) => {
      unit.name = row.name;
      if (row.kind) unit.kind = row.kind;
    },
    (row) => em.create(UnitSchema, { code: row.code, name: row.name, kind: row.kind }),
  );
  for (const row of workbook.units)
    if (row.parentCode) units.byCode.get(row.code)!.parent = units.byCode.get(row.parentCode)!;
  for (const row of workbook.units) if (row.officialCode) units.byCode.get(row.code)!.officialCode = row.officialCode;
  // A new type of unit joins the list the secretariat keeps (the secretariat is who imports).
  const kinds = [...new Set(workbook.units.map((row) => row.kind).filter((kind) => kind !== ''))];
  for (const kind of kinds) await addUnitKind(em, kind);

  const criteriaSet = em.create(CriteriaSetSchema, {
    name: settings.name,
    year: settings.year,
    decision: settings.decision,
    locked: results,
  });
  const maxima = effectiveMaxScores(workbook.criteria);
  const criteria = new Map<string, Criterion>();
  workbook.criteria.forEach((row, position) => {
    criteria.set(
      row.code,
      em.create(CriterionSchema, {
        criteriaSet,
        position,
        code: row.code,
        title: row.title,
        guidance: row.guidance,
        kind: row.kind,
        minScore: format(row.minScore),
        maxScore: format(maxima.get(row.code)!),
        scoring: row.scoring,
        evidenceRequired: row.evidenceRequired,
      }),
    );
  });
  // Parents before children, so that a child inherits its parent's agency once that one is settled.
  for (const row of [...workbook.criteria].sort((a, b) => compareCriterionCodes(a.code, b.code))) {
    const criterion = criteria.get(row.code)!;
    const parent = parentCode(row.code);
    criterion.parent = parent === null ? null : criteria.get(parent)!;
    criterion.agency = row.agencyCode ? agencies.byCode.get(row.agencyCode)! : (criterion.parent?.agency ?? null);
  }

  const state: CampaignState = results ? 'council-review' : 'draft';
  const campaign = em.create(CampaignSchema, {
    code: settings.code,
    name: settings.name,
    year: settings.year,
    organizer: settings.organizer,
    decision: settings.decision,
    criteriaSet,
    composition: settings.composition,
    bands: settings.bands,
    precision: settings.precision,
    rounding: settings.rounding,
    selfAssessmentOpens: settings.selfAssessmentOpens,
    selfAssessmentCloses: settings.selfAssessmentCloses,
    appraisalOpens: settings.appraisalOpens,
    appraisalCloses: settings.appraisalCloses,
    publishBy: settings.publishBy,
    state,
  });
  const unitOf = (code: string) => units.byCode.get(code)!;
  for (const row of workbook.units)
    em.create(CampaignUnitSchema, { campaign, unit: unitOf(row.code), block: row.block });
  await em.flush();
  // Named predecessors replace the unit's links; a unit that names none keeps what the portal knows.
  for (const row of workbook.units.filter((row) => row.predecessorCodes.length > 0))
    await replacePredecessors(em, unitOf(row.code).id, row.predecessorCodes);

  const now = new Date();
  const scoresByUnit = new Map<string, (typeof workbook.scores)[number][]>();
  for (const row of workbook.scores) scoresByUnit.set(row.unitCode, [...(scoresByUnit.get(row.unitCode) ?? []), row]);
  for (const [unitCode, rows] of scoresByUnit) {
    const { scores } = openSelfAssessment(
      em,
      campaign,
      unitOf(unitCode),
      rows.map((row) => ({
        criterion: criteria.get(row.criterionCode)!,
        selfScore: decimal(row.selfScore),
        notApplicable: row.notApplicable,
        explanation: row.explanation,
      })),
      results ? { submittedAt: now } : null,
    );
    rows.forEach((row, i) => {
      if (row.appraisedScore === null && !row.reason) return;
      em.create(AppraisalSchema, {
        criterionScore: scores[i]!,
        appraisedScore: decimal(row.appraisedScore),
        reason: row.reason,
        state: row.appraisedScore === null ? 'todo' : row.appraisedScore === row.selfScore ? 'accepted' : 'adjusted',
      });
    });
  }
  for (const row of workbook.survey) {
    em.create(SurveyResultSchema, {
      campaign,
      unit: unitOf(row.unitCode),
      respondents: row.respondents,
      satisfiedAnswers: row.satisfiedAnswers,
      questionsPerRespondent: row.questionsPerRespondent,
    });
  }
  for (const row of workbook.components) {
    for (const [key, points] of Object.entries(row.points))
      em.create(ComponentPointsSchema, { campaign, unit: unitOf(row.unitCode), key, points: format(points) });
  }
  await em.flush();

  return {
    code: campaign.code,
    campaignId: campaign.id,
    state,
    agencies: { created: agencies.created, updated: agencies.updated },
    units: { created: units.created, updated: units.updated },
    criteria: workbook.criteria.length,
    scores: workbook.scores.length,
    survey: workbook.survey.length,
    components: workbook.components.length,
  };
}
