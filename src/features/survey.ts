// Satisfaction survey results (docs/workbook.md, sheet `survey`): per assessed unit the respondents, the satisfied plus
// very satisfied answers and the questions per respondent, typed in a form or imported from a spreadsheet. The survey
// component always comes from the scoring core's surveyComponent, with the campaign's maximum and rounding.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { audit } from '../db/audit.ts';
import { CampaignSchema, SurveyResultSchema, type Campaign } from '../db/entities/index.ts';
import type { CampaignState } from '../domain/workflow.ts';
import { type Dec, dec, format } from '../domain/decimal.ts';
import { type Rules, type SurveyTally, surveyComponent } from '../domain/scoring.ts';
import { msg, say } from '../domain/message.ts';
import type { MessageKey } from '../i18n/catalog.ts';
import type { Actor } from './criteria-sets.ts';
import { invalid, ok, type Outcome } from './outcome.ts';
import { rulesOf } from './results.ts';
import { onlineTallies } from './survey-online/tallies.ts';
import { type Plain, asCount, asText, plainValue, shown } from './workbook/cells.ts';
import { type WorkbookIssue, inSheetOrder, sheetSpecs } from './workbook/format.ts';
import { Issues } from './workbook/read.ts';
import { oneImportAtATime } from './workbook/one-at-a-time.ts';
import {
  LimitError,
  type LimitExceeded,
  UnreadableError,
  type XlsxLimits,
  type XlsxRow,
  readXlsx,
  workbookLimits,
} from './workbook/stream.ts';

export const surveyFields = ['respondents', 'satisfiedAnswers', 'questionsPerRespondent'] as const;
export type SurveyField = (typeof surveyFields)[number];

export const defaultQuestionsPerRespondent = 8;

/** The survey sheet's column for each field (docs/workbook.md). */
const columnOf: Record<SurveyField, string> = {
  respondents: 'respondents',
  satisfiedAnswers: 'satisfied_answers',
  questionsPerRespondent: 'questions_per_respondent',
};
const sheetName = 'survey';
/** The template's column of unit names, for the reader's eyes only: the import ignores it, as any other column. */
const nameColumn = 'unit_name';
/** The database column is a PostgreSQL integer. */
const largestCount = 2_147_483_647;

/** Campaign states in which the survey is frozen: the chair's approval and what was published rest on it. */
const closedStates: readonly CampaignState[] = ['approved', 'published'];

/** What a person typed or a spreadsheet cell held for one unit; empty is null. */
export interface SurveyInput {
  unitCode: string;
  respondents: Plain;
  satisfiedAnswers: Plain;
  questionsPerRespondent: Plain;
}

/** The form's name (and id) of one unit's field; errors come back under the same key. */
export function surveyFieldKey(field: SurveyField, unitCode: string): string {
  return `${field}-${unitCode}`;
}

interface Problem {
  field: SurveyField;
  message: MessageKey;
  /** The value that could not be read, when that is the problem. */
  value?: Plain;
}

/** One unit's figures checked: a tally, null when both counts are empty (no result), or what is wrong. */
export type CheckedInput = { ok: true; tally: SurveyTally | null } | { ok: false; problems: Problem[] };

function countOf(field: SurveyField, value: Plain): number | Problem | null {
  const given = typeof value === 'string' ? value.normalize('NFC').trim() : value;
  if (given === null || given === '') return null;
  // "1,5" and "1.000" are refused as text: a count has no decimals, and a dot may be a Vietnamese thousands separator.
  const count = typeof given === 'string' && !/^\d+$/.test(given) ? null : asCount(given);
  if (count === null || !count.ok) return { field, message: 'survey.count.integer', value: given };
  if (count.value > largestCount) return { field, message: 'survey.count.tooLarge', value: given };
  return count.value;
}

export function checkSurveyInput(input: SurveyInput): CheckedInput {
  const problems: Problem[] = [];
  const [respondents, satisfiedAnswers, questions] = surveyFields.map((field) => {
    const count = countOf(field, input[field]);
    if (count !== null && typeof count === 'object') problems.push(count);
    return typeof count === 'number' ? count : count === null ? null : undefined;
  });
  if (respondents === null && satisfiedAnswers === null && problems.length === 0) return { ok: true, tally: null };
  if (respondents === null) problems.push({ field: 'respondents', message: 'survey.respondents.required' });
  if (satisfiedAnswers === null) problems.push({ field: 'satisfiedAnswers', message: 'survey.satisfied.required' });
  const questionsPerRespondent = questions === null ? defaultQuestionsPerRespondent : questions;
  if (questionsPerRespondent === 0) problems.push({ field: 'questionsPerRespondent', message: 'survey.questions.min' });
  if (problems.length > 0) return { ok: false, problems };
  if (satisfiedAnswers! > respondents! * questionsPerRespondent!) {
    return { ok: false, problems: [{ field: 'satisfiedAnswers', message: 'survey.satisfied.tooMany' }] };
  }
  return {
    ok: true,
    tally: {
      respondents: respondents!,
      satisfiedAnswers: satisfiedAnswers!,
      questionsPerRespondent: questionsPerRespondent!,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface SurveyUnit {
  code: string;
  name: string;
  stored: SurveyTally | null;
  /** The survey component of the stored tally, as a decimal string ('26.56'); null without a tally or a survey component. */
  component: string | null;
}

export interface SurveyPage {
  campaign: { id: number; code: string; name: string; state: CampaignState };
  /** The survey component's maximum ('30'), or null when the campaign's composition has no survey. */
  max: string | null;
  rules: Pick<Rules, 'precision' | 'rounding'>;
  /** Approved or published: the figures are shown, not changed. */
  locked: boolean;
  /** The assessed units, in Vietnamese alphabetical order. */
  units: SurveyUnit[];
  /** Collected online (features/survey-online): the tallies shown come from the answers, not from typing. */
  online: boolean;
}

function surveyMax(campaign: Pick<Campaign, 'precision' | 'rounding' | 'composition' | 'bands'>): Dec | null {
  return rulesOf(campaign).composition.find((component) => component.key === 'survey')?.max ?? null;
}

/** The component a tally gives in this campaign, by the scoring core. */
export function componentFor(page: Pick<SurveyPage, 'max' | 'rules'>, tally: SurveyTally | null): string | null {
  if (page.max === null || tally === null) return null;
  return format(surveyComponent(tally, dec(page.max), page.rules));
}

/** Per assessed unit its survey inputs and component; null when there is no campaign with this code. */
export async function loadSurvey(em: EntityManager, campaignCode: string): Promise<SurveyPage | null> {
  const campaign = await em.findOne(CampaignSchema, { code: campaignCode });
  if (!campaign) return null;
  const rows = await em.execute<
    {
      code: string;
      name: string;
      respondents: number | null;
      satisfied_answers: number | null;
      questions_per_respondent: number | null;
    }[]
  >(
    `select u.code, u.name, s.respondents, s.satisfied_answers, s.questions_per_respondent
       from campaign_unit cu join unit u on u.id = cu.unit_id
       left join survey_result s on s.campaign_id = cu.campaign_id and s.unit_id = cu.unit_id
      where cu.campaign_id = ? order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );
  const max = surveyMax(campaign);
  const rules = rulesOf(campaign);
  const page: SurveyPage = {
    campaign: { id: campaign.id, code: campaign.code, name: campaign.name, state: campaign.state },
    max: max === null ? null : format(max),
    rules: { precision: rules.precision, rounding: rules.rounding },
    locked: closedStates.includes(campaign.state),
    units: [],
    online: false,
  };
  const online = await onlineTallies(em, campaign.id);
  page.online = online !== null;
  const ids = online ? await unitIdsByCode(em, campaign.id) : new Map<string, number>();
  page.units = rows.map((row) => {
    const stored = online
      ? (online.get(ids.get(row.code)!) ?? null)
      : row.respondents === null
        ? null
        : {
            respondents: row.respondents,
            satisfiedAnswers: row.satisfied_answers!,
            questionsPerRespondent: row.questions_per_respondent!,
          };
    return { code: row.code, name: row.name, stored, component: componentFor(page, stored) };
  });
  return page;
}

async function unitIdsByCode(em: EntityManager, campaignId: number): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: number; code: string }[]>(
    'select u.id, u.code from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ?',
    [campaignId],
  );
  return new Map(rows.map((row) => [row.code, row.id]));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface Open {
  campaign: Campaign;
  /** Assessed units: code → id. */
  units: Map<string, number>;
}

/** The campaign, locked against a concurrent change of state or of its survey, when its survey may change. */
export async function openSurvey(tx: EntityManager, campaignCode: string): Promise<Open | { refused: MessageKey }> {
  const campaign = await tx.findOne(CampaignSchema, { code: campaignCode }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!campaign) return { refused: 'errors.notFound.title' };
  if (surveyMax(campaign) === null) return { refused: 'survey.none' };
  if (closedStates.includes(campaign.state)) return { refused: 'survey.closed' };
  const units = await tx.execute<{ id: number; code: string }[]>(
    'select u.id, u.code from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ?',
    [campaign.id],
  );
  return { campaign, units: new Map(units.map((unit) => [unit.code, unit.id])) };
}

const tallyOf = (row: SurveyTally): SurveyTally => ({
  respondents: row.respondents,
  satisfiedAnswers: row.satisfiedAnswers,
  questionsPerRespondent: row.questionsPerRespondent,
});

/** Upserts (or, for null, removes) each unit's tally; one audit event with what changed. Returns how many units changed. */
export async function store(
  tx: EntityManager,
  actor: Actor,
  open: Open,
  tallies: Map<string, SurveyTally | null>,
  action: string,
): Promise<number> {
  const existing = new Map(
    (await tx.find(SurveyResultSchema, { campaign: open.campaign.id }, { populate: ['unit'] })).map((row) => [
      row.unit.code,
      row,
    ]),
  );
  const before: Record<string, SurveyTally | null> = {};
  const after: Record<string, SurveyTally | null> = {};
  for (const [unitCode, tally] of tallies) {
    const row = existing.get(unitCode);
    const old = row ? tallyOf(row) : null;
    if (JSON.stringify(old) === JSON.stringify(tally)) continue;
    before[unitCode] = old;
    after[unitCode] = tally;
    if (!tally) tx.remove(row!);
    else if (row) Object.assign(row, tally);
    else tx.create(SurveyResultSchema, { campaign: open.campaign, unit: open.units.get(unitCode)!, ...tally });
  }
  const changed = Object.keys(after).length;
  if (changed > 0)
    audit(tx, { actorId: actor.id, action, entityType: 'Campaign', entityId: open.campaign.id, before, after });
  return changed;
}

/**
 * Saves the form: every row is checked, then all are written in one transaction, or none. A row with both counts
 * empty removes the unit's result. Errors are keyed by `surveyFieldKey`, or `_form` for the campaign as a whole.
 */
export async function saveSurveyResults(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  rows: readonly SurveyInput[],
): Promise<Outcome<{ changed: number }>> {
  return em.transactional(async (tx) => {
    const open = await openSurvey(tx, campaignCode);
    if ('refused' in open) return invalid({ _form: open.refused });
    const errors: Record<string, string> = {};
    const tallies = new Map<string, SurveyTally | null>();
    for (const row of rows) {
      if (!open.units.has(row.unitCode)) {
        errors._form = 'survey.unit.notAssessed';
        continue;
      }
      const checked = checkSurveyInput(row);
      if (checked.ok) tallies.set(row.unitCode, checked.tally);
      else
        for (const problem of checked.problems) errors[surveyFieldKey(problem.field, row.unitCode)] ??= problem.message;
    }
    if (Object.keys(errors).length > 0) return invalid(errors);
    return ok({ changed: await store(tx, actor, open, tallies, 'survey.saved') });
  });
}

export type SurveyImportResult =
  | { ok: true; count: number }
  | { ok: false; errors: WorkbookIssue[]; limit?: LimitExceeded };

interface SheetRow extends SurveyInput {
  row: number;
}

/** The import reads only the survey sheet: one row per assessed unit, a few columns. */
export const surveyLimits: XlsxLimits = { ...workbookLimits, rows: { [sheetName]: 50_000 }, defaultRows: 50_000 };

/**
 * Every row below the survey sheet's header; every cell that cannot be read and every missing column is reported. The
 * file is read as a stream within `limits`; past one, the reading stops and the limit is thrown (LimitError).
 */
async function readSurveySheet(data: Uint8Array, issues: Issues, limits: XlsxLimits): Promise<SheetRow[]> {
  let found = false;
  let header: { row: number; columns: Map<string, number> } | null = null;
  const rows: SheetRow[] = [];
  const take = (row: XlsxRow, rowNumber: number) => {
    if (header === null) {
      const columns = new Map<string, number>();
      row.eachCell((cell, index) => {
        const name = plainValue(cell.value);
        if (name.ok && name.value !== null) columns.set(asText(name.value).toLowerCase(), index);
      });
      if (columns.size > 0) header = { row: rowNumber, columns };
      return;
    }
    const { columns } = header;
    const cell = (column: string): Plain => {
      const index = columns.get(column);
      if (index === undefined) return null;
      const value = plainValue(row.getCell(index).value);
      if (value.ok) return value.value;
      issues.error(sheetName, rowNumber, column, value.error);
      return null;
    };
    const [respondents, satisfiedAnswers, questionsPerRespondent] = surveyFields.map((field) => cell(columnOf[field]));
    rows.push({
      row: rowNumber,
      unitCode: asText(cell('unit_code')),
      respondents: respondents!,
      satisfiedAnswers: satisfiedAnswers!,
      questionsPerRespondent: questionsPerRespondent!,
    });
  };
  try {
    await readXlsx(data, limits, {
      sheet: (name) => {
        if (found || name.normalize('NFC').trim().toLowerCase() !== sheetName) return null;
        found = true;
        return take;
      },
    });
  } catch (err) {
    if (!(err instanceof UnreadableError)) throw err;
    issues.error(null, null, null, 'survey.sheet.unreadable');
    return [];
  }
  if (!found) {
    issues.error(sheetName, null, null, 'survey.sheet.missing');
    return [];
  }
  const headerFound = header as { row: number; columns: Map<string, number> } | null;
  if (headerFound === null) {
    issues.error(sheetName, null, null, 'survey.sheet.empty');
    return [];
  }
  for (const column of sheetSpecs.survey.columns) {
    if (column.required && !headerFound.columns.has(column.name))
      issues.error(sheetName, headerFound.row, column.name, msg('survey.sheet.column', { column: column.name }));
  }
  return rows;
}

/**
 * Imports a workbook's `survey` sheet into a campaign, all or nothing. Rows without figures are skipped (the template
 * lists every unit); units not in the sheet keep what they have. Errors name the sheet, row and column, as messages.
 */
export function importSurveySheet(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  xlsxBytes: Uint8Array,
  limits: XlsxLimits = surveyLimits,
): Promise<SurveyImportResult> {
  return oneImportAtATime(() => importSurveySheetNow(em, actor, campaignCode, xlsxBytes, limits));
}

async function importSurveySheetNow(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  xlsxBytes: Uint8Array,
  limits: XlsxLimits,
): Promise<SurveyImportResult> {
  const issues = new Issues();
  let rows: SheetRow[];
  try {
    rows = await readSurveySheet(xlsxBytes, issues, limits);
  } catch (err) {
    if (err instanceof LimitError) return { ok: false, errors: [], limit: err.exceeded };
    throw err;
  }
  return em.transactional(async (tx): Promise<SurveyImportResult> => {
    const open = await openSurvey(tx, campaignCode);
    if ('refused' in open)
      return { ok: false, errors: [{ sheet: null, row: null, column: null, message: open.refused }] };
    const tallies = new Map<string, SurveyTally | null>();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const checked = checkSurveyInput(row);
      if (checked.ok && checked.tally === null) continue;
      if (!row.unitCode) issues.error(sheetName, row.row, 'unit_code', 'survey.sheet.unitRequired');
      else if (!open.units.has(row.unitCode))
        issues.error(sheetName, row.row, 'unit_code', msg('survey.sheet.unitUnknown', { unit: row.unitCode }));
      else if (seen.has(row.unitCode))
        issues.error(
          sheetName,
          row.row,
          'unit_code',
          msg('survey.sheet.unitRepeated', { unit: row.unitCode, row: seen.get(row.unitCode)! }),
        );
      else seen.set(row.unitCode, row.row);
      if (!checked.ok) {
        for (const { field, message, value } of checked.problems) {
          const text =
            value === undefined ? message : msg('survey.sheet.value', { value: shown(value), message: say(message) });
          issues.error(sheetName, row.row, columnOf[field], text);
        }
      } else if (checked.tally) {
        tallies.set(row.unitCode, checked.tally);
      }
    }
    if (issues.errors.length > 0) return { ok: false, errors: inSheetOrder(issues.errors) };
    await store(tx, actor, open, tallies, 'survey.imported');
    return { ok: true, count: tallies.size };
  });
}

/** The survey sheet to fill in: one row per assessed unit with its code and name, and what is stored already. */
export async function surveyTemplate(em: EntityManager, campaignCode: string): Promise<Buffer | null> {
  const page = await loadSurvey(em, campaignCode);
  if (!page || page.max === null) return null;
  const book = new ExcelJS.Workbook();
  const worksheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  const columns = ['unit_code', nameColumn, ...surveyFields.map((field) => columnOf[field])];
  worksheet.addRow(columns).font = { bold: true };
  for (const unit of page.units) {
    worksheet.addRow([
      unit.code,
      unit.name,
      unit.stored?.respondents ?? null,
      unit.stored?.satisfiedAnswers ?? null,
      unit.stored?.questionsPerRespondent ?? null,
    ]);
  }
  columns.forEach((name, index) => {
    const longest = Math.max(name.length, ...page.units.map((unit) => (index === 1 ? unit.name : unit.code).length));
    worksheet.getColumn(index + 1).width = Math.min(Math.max(index < 2 ? longest + 2 : name.length + 2, 10), 60);
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
