// Reading a campaign workbook into a validated in-memory campaign. Everything that can be checked without the
// database is checked here; every problem is collected, none stops the reading.
import { criterionKinds, type CriterionKind } from '../../db/entities/criteria.ts';
import { type Dec, type Precision, ZERO, compare, dec, decimalsOf, format, precisionOf } from '../../domain/decimal.ts';
import { lowered, msg, type Message } from '../../domain/message.ts';
import {
  formatComposition,
  parseBands,
  parseComposition,
  type BandRule,
  type CompositionPart,
} from '../../domain/rules-text.ts';
import {
  type CriterionNode,
  effectiveMaxScores,
  parseScoringRule,
  parentCode,
  validateCriteria,
} from '../../domain/scoring.ts';
import { type Converted, type Plain, asCount, asDate, asDec, asText, asYesNo, plainValue } from './cells.ts';
import {
  type CampaignKey,
  type CampaignWorkbook,
  type SheetName,
  type WorkbookAgency,
  type WorkbookCampaign,
  type WorkbookComponents,
  type WorkbookCriterion,
  type WorkbookIssue,
  type WorkbookScore,
  type WorkbookSurvey,
  type WorkbookUnit,
  campaignKeys,
  guideSheetName,
  oldGuideSheetName,
  inSheetOrder,
  sheetNames,
  sheetSpecs,
} from './format.ts';
import {
  LimitError,
  type LimitExceeded,
  UnreadableError,
  type XlsxLimits,
  type XlsxRow,
  readXlsx,
  workbookLimits,
} from './stream.ts';

/** Where things stand in the sheets, for the checks that need the database. */
export interface WorkbookRows {
  campaign: Map<string, number>;
  units: Map<string, number>;
  criteria: Map<string, number>;
}

export type ReadResult =
  | { ok: true; workbook: CampaignWorkbook; rows: WorkbookRows; warnings: WorkbookIssue[] }
  | { ok: false; errors: WorkbookIssue[]; warnings: WorkbookIssue[]; limit?: LimitExceeded };

/** Collects issues; a cell gets one error at most, so that a broken cell is not also reported as missing. */
export class Issues {
  readonly errors: WorkbookIssue[] = [];
  readonly warnings: WorkbookIssue[] = [];
  private readonly reported = new Set<string>();

  error(sheet: string | null, row: number | null, column: string | null, message: Message): void {
    const key = `${sheet}|${row}|${column}`;
    if (row !== null && this.reported.has(key)) return;
    this.reported.add(key);
    this.errors.push({ sheet, row, column, message });
  }

  warn(sheet: string | null, row: number | null, column: string | null, message: Message): void {
    this.warnings.push({ sheet, row, column, message });
  }
}

/** A cell that could not be read is undefined: its error is already reported. */
interface TableRow {
  row: number;
  cells: Cells;
}

/** A row's cells by column name: what Fields reads. */
interface Cells {
  has(column: string): boolean;
  get(column: string): Plain | undefined;
}

/**
 * One row's values in the order of its table's columns, the names kept once per table: a score sheet of 600,000 rows
 * then costs an array per row, not a map (the reading's memory stays within its bound).
 */
class RowCells implements Cells {
  private readonly index: ReadonlyMap<string, number>;
  private readonly values: (Plain | undefined)[];
  constructor(index: ReadonlyMap<string, number>, values: (Plain | undefined)[]) {
    this.index = index;
    this.values = values;
  }
  has(column: string): boolean {
    return this.index.has(column);
  }
  get(column: string): Plain | undefined {
    const at = this.index.get(column);
    return at === undefined ? undefined : this.values[at];
  }
}

interface Table {
  headerRow: number;
  columns: string[];
  rows: TableRow[];
}

/** A Dec as a message parameter, written as the reader writes numbers. */
const num = (value: Dec): number => Number(format(value));
const maxLengths = { code: 64, name: 255, kind: 64, officialCode: 16 } as const;

/** Typed access to one row's cells; `rowOf` says where a column's value stands (the campaign sheet has one row per key). */
class Fields {
  private readonly sheet: SheetName;
  private readonly cells: Cells;
  private readonly rowOf: (column: string) => number | null;
  private readonly issues: Issues;

  constructor(sheet: SheetName, cells: Cells, rowOf: (column: string) => number | null, issues: Issues) {
    this.sheet = sheet;
    this.cells = cells;
    this.rowOf = rowOf;
    this.issues = issues;
  }

  error(column: string, message: Message): void {
    this.issues.error(this.sheet, this.rowOf(column), column, message);
  }

  /** null when empty (reported when required), undefined when unreadable (already reported). */
  private take<T>(column: string, convert: (value: Plain) => Converted<T>, required: boolean): T | null | undefined {
    if (!this.cells.has(column)) {
      // A missing column is reported once, at the header; a missing campaign key has no row of its own.
      if (required && this.sheet === 'campaign') this.error(column, msg('workbook.issue.keyMissing', { key: column }));
      return null;
    }
    const value = this.cells.get(column);
    if (value === undefined) return undefined;
    if (value === null) {
      if (required) this.error(column, 'workbook.issue.valueMissing');
      return null;
    }
    const converted = convert(value);
    if (converted.ok) return converted.value;
    this.error(column, converted.error);
    return undefined;
  }

  text(column: string, opts: { required?: boolean; max?: number } = {}): string {
    const value = this.take(column, (plain) => ({ ok: true, value: asText(plain) }), opts.required ?? false) ?? '';
    if (opts.max !== undefined && value.length > opts.max)
      this.error(column, msg('workbook.issue.tooLong', { max: opts.max }));
    return value;
  }

  optionalText(column: string, max: number): string | null {
    return this.text(column, { max }) || null;
  }

  dec(column: string, required = false): Dec | null | undefined {
    return this.take(column, asDec, required);
  }

  count(column: string, required = false): number | null | undefined {
    return this.take(column, asCount, required);
  }

  date(column: string): string | null {
    return this.take(column, asDate, false) ?? null;
  }

  yesNo(column: string): boolean {
    return this.take(column, asYesNo, false) ?? false;
  }
}

/** A sheet's table built row by row as the streaming reader hands the rows over: the header, then the rows with a value. */
class TableBuilder {
  private readonly sheet: SheetName;
  private readonly issues: Issues;
  private readonly extraColumns: boolean;
  private readonly known: Set<string>;
  private header: { row: number; columns: Map<number, string> } | undefined;
  private readonly rows: TableRow[] = [];
  /** The header's columns that are read (sheet column number, name), and each name's place among them. */
  private readColumns: [number, string][] | undefined;
  private index: Map<string, number> | undefined;

  constructor(sheet: SheetName, issues: Issues, extraColumns: boolean) {
    this.sheet = sheet;
    this.issues = issues;
    this.extraColumns = extraColumns;
    this.known = new Set(sheetSpecs[sheet].columns.map((column) => column.name));
  }

  add(row: XlsxRow, rowNumber: number): void {
    if (!this.header) {
      const columns = new Map<number, string>();
      row.eachCell((cell, index) => {
        const name = plainValue(cell.value);
        if (name.ok && name.value !== null) columns.set(index, asText(name.value).toLowerCase());
      });
      if (columns.size > 0) this.header = { row: rowNumber, columns };
      return;
    }
    const read = (this.readColumns ??= [...this.header.columns].filter(
      ([, name]) => this.extraColumns || this.known.has(name),
    ));
    if (!this.index) {
      const index = new Map<string, number>();
      read.forEach(([, name], at) => {
        if (!index.has(name)) index.set(name, at);
      });
      this.index = index;
    }
    const values = new Array<Plain | undefined>(read.length);
    let filled = false;
    read.forEach(([column, name], at) => {
      const value = plainValue(row.getCell(column).value);
      if (!value.ok) this.issues.error(this.sheet, rowNumber, name, value.error);
      values[at] = value.ok ? value.value : undefined;
      if (!value.ok || value.value !== null) filled = true;
    });
    if (filled) this.rows.push({ row: rowNumber, cells: new RowCells(this.index, values) });
  }

  finish(): Table | null {
    const { sheet, issues } = this;
    const spec = sheetSpecs[sheet];
    const found = this.header;
    if (!found) {
      if (spec.required) issues.error(sheet, null, null, 'workbook.issue.sheetEmpty');
      return null;
    }
    const seen = new Set<string>();
    for (const name of found.columns.values()) {
      if (seen.has(name)) issues.error(sheet, found.row, name, msg('workbook.issue.columnRepeated', { column: name }));
      seen.add(name);
      if (!this.known.has(name) && !this.extraColumns)
        issues.warn(sheet, found.row, name, msg('workbook.issue.columnUnknown', { column: name }));
    }
    for (const column of spec.columns) {
      if (column.required && !seen.has(column.name))
        issues.error(sheet, found.row, column.name, msg('workbook.issue.columnMissing', { column: column.name }));
    }
    return { headerRow: found.row, columns: [...seen], rows: this.rows };
  }
}

function fieldsOf(sheet: SheetName, row: TableRow, issues: Issues): Fields {
  return new Fields(sheet, row.cells, () => row.row, issues);
}

/** Reports a repeated key at its second row; returns false for it so that the caller drops the row. */
function firstOccurrence(
  seen: Map<string, number>,
  key: string,
  row: number,
  report: (first: number) => void,
): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    report(first);
    return false;
  }
  seen.set(key, row);
  return true;
}

function readCampaign(table: Table | null, issues: Issues): { campaign: WorkbookCampaign; rows: Map<string, number> } {
  const rows = new Map<string, number>();
  const cells = new Map<string, Plain | undefined>();
  for (const row of table?.rows ?? []) {
    const key = asText(row.cells.get('key') ?? null).toLowerCase();
    if (key === '') {
      issues.error('campaign', row.row, 'key', 'workbook.issue.keyNameMissing');
      continue;
    }
    if (!(campaignKeys as readonly string[]).includes(key)) {
      issues.warn('campaign', row.row, 'key', msg('workbook.issue.keyUnknown', { key }));
      continue;
    }
    if (
      !firstOccurrence(rows, key, row.row, (first) =>
        issues.error('campaign', row.row, key, msg('workbook.issue.keyRepeated', { key, first })),
      )
    )
      continue;
    cells.set(key, row.cells.get('value'));
  }
  // Without the sheet, its absence is the one thing to say: not fourteen missing keys besides.
  const fields = new Fields('campaign', cells, (key) => rows.get(key) ?? null, table ? issues : new Issues());
  const required = { required: true } as const;

  const code = fields.text('code', { ...required, max: maxLengths.code });
  if (code && !/^[a-z0-9-]+$/.test(code)) fields.error('code', msg('workbook.issue.code', { code }));
  const year = fields.count('year', true);
  if (typeof year === 'number' && (year < 1990 || year > 2100))
    fields.error('year', msg('workbook.issue.year', { year }));
  const precision = fields.count('precision') ?? 2;
  if (precision !== 2 && precision !== 3) fields.error('precision', 'workbook.issue.precision');
  const rounding = fields.text('rounding').toLowerCase() || 'half-up';
  if (rounding !== 'half-up' && rounding !== 'down') fields.error('rounding', 'workbook.issue.rounding');

  const notation = <T>(
    key: CampaignKey,
    parse: (text: string) => { ok: true; value: T } | { ok: false; error: Message },
  ): T | [] => {
    const text = fields.text(key, required);
    if (!text) return [];
    const parsed = parse(text);
    if (parsed.ok) return parsed.value;
    fields.error(key, lowered(parsed.error));
    return [];
  };
  const composition = notation<CompositionPart[]>('composition', parseComposition);
  const bands = notation<BandRule[]>('bands', parseBands);

  const dates = {
    selfAssessmentOpens: fields.date('self_assessment_opens'),
    selfAssessmentCloses: fields.date('self_assessment_closes'),
    appraisalOpens: fields.date('appraisal_opens'),
    appraisalCloses: fields.date('appraisal_closes'),
    publishBy: fields.date('publish_by'),
  };
  const inOrder = (opens: string | null, closes: string | null, key: CampaignKey) => {
    if (opens && closes && opens > closes) fields.error(key, 'workbook.issue.dates');
  };
  inOrder(dates.selfAssessmentOpens, dates.selfAssessmentCloses, 'self_assessment_closes');
  inOrder(dates.appraisalOpens, dates.appraisalCloses, 'appraisal_closes');

  const campaign: WorkbookCampaign = {
    code,
    name: fields.text('name', { ...required, max: maxLengths.name }),
    year: year ?? 0,
    organizer: fields.text('organizer', { ...required, max: maxLengths.name }),
    decision: fields.text('decision', { max: maxLengths.name }),
    composition,
    bands,
    ...dates,
    precision: precisionOf(precision),
    rounding: rounding === 'down' ? 'down' : 'half-up',
  };
  return { campaign, rows };
}

function readAgencies(table: Table | null, issues: Issues): WorkbookAgency[] {
  const seen = new Map<string, number>();
  const agencies: WorkbookAgency[] = [];
  for (const row of table?.rows ?? []) {
    const fields = fieldsOf('agencies', row, issues);
    const agency = {
      code: fields.text('code', { required: true, max: maxLengths.code }),
      name: fields.text('name', { required: true, max: maxLengths.name }),
    };
    if (!agency.code) continue;
    if (
      firstOccurrence(seen, agency.code, row.row, (first) =>
        fields.error('code', msg('workbook.issue.agencyRepeated', { code: agency.code, first })),
      )
    )
      agencies.push(agency);
  }
  return agencies;
}

function readUnits(table: Table | null, issues: Issues): { units: WorkbookUnit[]; rows: Map<string, number> } {
  const rows = new Map<string, number>();
  const units: WorkbookUnit[] = [];
  for (const row of table?.rows ?? []) {
    const fields = fieldsOf('units', row, issues);
    const unit: WorkbookUnit = {
      code: fields.text('code', { required: true, max: maxLengths.code }),
      name: fields.text('name', { required: true, max: maxLengths.name }),
      kind: fields.text('kind', { max: maxLengths.kind }),
      parentCode: fields.optionalText('parent_code', maxLengths.code),
      block: fields.optionalText('block', maxLengths.name),
      officialCode: fields.optionalText('official_code', maxLengths.officialCode),
      predecessorCodes: [
        ...new Set(
          fields
            .text('predecessor_codes')
            .split(';')
            .map((code) => code.trim())
            .filter((code) => code !== ''),
        ),
      ],
    };
    if (!unit.code) continue;
    if (unit.parentCode === unit.code) fields.error('parent_code', 'workbook.issue.unitOwnParent');
    if (unit.officialCode !== null && !/^[0-9]+$/.test(unit.officialCode))
      fields.error('official_code', msg('workbook.issue.officialCode', { code: unit.officialCode }));
    if (unit.predecessorCodes.includes(unit.code))
      fields.error('predecessor_codes', 'workbook.issue.unitOwnPredecessor');
    const tooLong = unit.predecessorCodes.find((code) => code.length > maxLengths.code);
    if (tooLong) fields.error('predecessor_codes', msg('workbook.issue.tooLong', { max: maxLengths.code }));
    if (
      firstOccurrence(rows, unit.code, row.row, (first) =>
        fields.error('code', msg('workbook.issue.unitRepeated', { code: unit.code, first })),
      )
    )
      units.push(unit);
  }
  if (table && table.rows.length === 0) issues.error('units', null, null, 'workbook.issue.noUnits');
  const withoutBlock = units.filter((unit) => unit.block === null);
  if (withoutBlock.length > 0 && withoutBlock.length < units.length)
    for (const unit of withoutBlock)
      issues.error('units', rows.get(unit.code) ?? null, 'block', 'workbook.issue.blockMissing');
  return { units, rows };
}

interface CriteriaRead {
  criteria: WorkbookCriterion[];
  rows: Map<string, number>;
  /** Codes whose range could not be read (its error is reported): range checks that depend on it would only echo it. */
  unsure: Set<string>;
}

function readCriteria(table: Table | null, precision: Precision, issues: Issues): CriteriaRead {
  const rows = new Map<string, number>();
  const criteria: WorkbookCriterion[] = [];
  const unsure = new Set<string>();
  for (const row of table?.rows ?? []) {
    const fields = fieldsOf('criteria', row, issues);
    const code = fields.text('code', { required: true });
    const kind = (fields.text('kind').toLowerCase() || 'self') as CriterionKind;
    if (!criterionKinds.includes(kind)) fields.error('kind', msg('workbook.issue.kind', { kind }));
    const [maxScore, minScore] = [fields.dec('max_score'), fields.dec('min_score')];
    if (maxScore === undefined || minScore === undefined) unsure.add(code);
    const criterion: WorkbookCriterion = {
      code,
      title: fields.text('title', { required: true }),
      maxScore: maxScore ?? null,
      minScore: minScore ?? ZERO,
      kind,
      agencyCode: fields.optionalText('agency_code', maxLengths.code),
      evidenceRequired: fields.yesNo('evidence_required'),
      guidance: fields.text('guidance'),
      scoring: fields.text('scoring') || null,
    };
    for (const [column, value] of [
      ['max_score', criterion.maxScore],
      ['min_score', criterion.minScore],
    ] as const) {
      if (value !== null && decimalsOf(value) > precision)
        fields.error(column, msg('workbook.issue.decimals', { value: num(value), precision }));
    }
    if (!code) continue;
    if (
      firstOccurrence(rows, code, row.row, (first) =>
        fields.error('code', msg('workbook.issue.criterionRepeated', { code, first })),
      )
    )
      criteria.push(criterion);
  }
  if (!table) return { criteria, rows, unsure };
  if (table.rows.length === 0) issues.error('criteria', null, null, 'workbook.issue.noCriteria');

  const unsureSums = new Set<string>();
  for (const code of unsure) for (let c = parentCode(code); c !== null; c = parentCode(c)) unsureSums.add(c);
  for (const issue of validateCriteria(criteria)) {
    if (issue.column === 'max_score' && unsureSums.has(issue.code)) continue;
    issues.error('criteria', rows.get(issue.code) ?? null, issue.column, lowered(issue.message));
  }
  const parents = new Set(criteria.map((criterion) => parentCode(criterion.code)));
  const maxima = effectiveMaxScores(criteria);
  for (const criterion of criteria) {
    if (criterion.scoring === null) continue;
    const row = rows.get(criterion.code)!;
    if (parents.has(criterion.code)) {
      issues.error('criteria', row, 'scoring', 'workbook.issue.scoringOnParent');
      continue;
    }
    const range = unsure.has(criterion.code)
      ? undefined
      : { minScore: criterion.minScore, maxScore: maxima.get(criterion.code) ?? ZERO };
    const parsed = parseScoringRule(criterion.scoring, range);
    if (!parsed.ok) issues.error('criteria', row, 'scoring', lowered(parsed.error));
  }
  return { criteria, rows, unsure };
}

interface Scope {
  precision: Precision;
  units: Set<string>;
  criteria: Map<string, CriterionNode>;
  maxima: Map<string, Dec>;
  parents: Set<string | null>;
  unsure: Set<string>;
}

function knownUnit(fields: Fields, scope: Scope, code: string): boolean {
  if (!code) return false;
  if (scope.units.has(code)) return true;
  fields.error('unit_code', msg('workbook.issue.unitUnknown', { code }));
  return false;
}

/** `what` names the score in the messages: `workbook.issue.{what}.range` and `.decimals` (a component adds its key). */
function checkPoints(
  fields: Fields,
  column: string,
  value: Dec,
  min: Dec,
  max: Dec,
  precision: Precision,
  what: 'self' | 'appraised' | 'component',
  key = '',
): void {
  if (compare(value, min) < 0 || compare(value, max) > 0) {
    fields.error(column, msg(`workbook.issue.${what}.range`, { key, value: num(value), min: num(min), max: num(max) }));
  } else if (decimalsOf(value) > precision) {
    fields.error(column, msg(`workbook.issue.${what}.decimals`, { key, value: num(value), precision }));
  }
}

function readScores(table: Table | null, scope: Scope, issues: Issues): WorkbookScore[] {
  const seen = new Map<string, number>();
  const scores: WorkbookScore[] = [];
  for (const row of table?.rows ?? []) {
    const fields = fieldsOf('scores', row, issues);
    const score: WorkbookScore = {
      unitCode: fields.text('unit_code', { required: true }),
      criterionCode: fields.text('criterion_code', { required: true }),
      selfScore: fields.dec('self_score') ?? null,
      appraisedScore: fields.dec('appraised_score') ?? null,
      notApplicable: fields.yesNo('not_applicable'),
      explanation: fields.text('explanation'),
      reason: fields.text('reason'),
    };
    const unitKnown = knownUnit(fields, scope, score.unitCode);
    const node = scope.criteria.get(score.criterionCode);
    if (!score.criterionCode) continue;
    if (!node) {
      fields.error('criterion_code', msg('workbook.issue.criterionUnknown', { code: score.criterionCode }));
      continue;
    }
    if (scope.parents.has(score.criterionCode)) {
      fields.error('criterion_code', msg('workbook.issue.criterionParent', { code: score.criterionCode }));
      continue;
    }
    const key = `${score.unitCode}\u0000${score.criterionCode}`;
    if (
      unitKnown &&
      !firstOccurrence(seen, key, row.row, (first) =>
        fields.error(
          'criterion_code',
          msg('workbook.issue.scoreRepeated', { unit: score.unitCode, code: score.criterionCode, first }),
        ),
      )
    )
      continue;
    const given = [
      ['self_score', score.selfScore, 'self'],
      ['appraised_score', score.appraisedScore, 'appraised'],
    ] as const;
    for (const [column, value, what] of given) {
      if (value === null) continue;
      if (score.notApplicable) fields.error(column, 'workbook.issue.notApplicableScore');
      else if (node.kind === 'survey') fields.error(column, msg('workbook.issue.surveyScored', { code: node.code }));
      else if (node.kind === 'appraiser' && column === 'self_score')
        fields.error(column, msg('workbook.issue.appraiserOnly', { code: node.code }));
      else if (!scope.unsure.has(node.code))
        checkPoints(fields, column, value, node.minScore, scope.maxima.get(node.code)!, scope.precision, what);
    }
    scores.push(score);
  }
  return scores;
}

function readSurvey(table: Table | null, scope: Scope, issues: Issues): WorkbookSurvey[] {
  const seen = new Map<string, number>();
  const results: WorkbookSurvey[] = [];
  for (const row of table?.rows ?? []) {
    const fields = fieldsOf('survey', row, issues);
    const unitCode = fields.text('unit_code', { required: true });
    const respondents = fields.count('respondents', true);
    const satisfiedAnswers = fields.count('satisfied_answers', true);
    const questionsPerRespondent = fields.count('questions_per_respondent') ?? 8;
    if (!knownUnit(fields, scope, unitCode)) continue;
    if (
      !firstOccurrence(seen, unitCode, row.row, (first) =>
        fields.error('unit_code', msg('workbook.issue.surveyRepeated', { unit: unitCode, first })),
      )
    )
      continue;
    if (questionsPerRespondent === 0) fields.error('questions_per_respondent', 'workbook.issue.questionsZero');
    if (
      typeof respondents === 'number' &&
      typeof satisfiedAnswers === 'number' &&
      satisfiedAnswers > respondents * questionsPerRespondent
    ) {
      fields.error(
        'satisfied_answers',
        msg('workbook.issue.satisfiedTooMany', {
          satisfied: satisfiedAnswers,
          respondents,
          questions: questionsPerRespondent,
        }),
      );
    }
    results.push({
      unitCode,
      respondents: respondents ?? 0,
      satisfiedAnswers: satisfiedAnswers ?? 0,
      questionsPerRespondent,
    });
  }
  return results;
}

function readComponents(
  table: Table | null,
  composition: CompositionPart[],
  scope: Scope,
  issues: Issues,
): WorkbookComponents[] {
  if (!table || composition.length === 0) return [];
  const keys = composition.map((part) => part.key);
  const spelled = formatComposition(composition);
  for (const name of table.columns) {
    if (name !== 'unit_code' && !keys.includes(name))
      issues.error(
        'components',
        table.headerRow,
        name,
        msg('workbook.issue.componentUnknown', { name, composition: spelled }),
      );
  }
  if (table.rows.length === 0) return [];
  for (const key of keys) {
    if (!table.columns.includes(key))
      issues.error(
        'components',
        table.headerRow,
        key,
        msg('workbook.issue.componentMissing', { key, composition: spelled }),
      );
  }
  const seen = new Map<string, number>();
  const results: WorkbookComponents[] = [];
  for (const row of table.rows) {
    const fields = fieldsOf('components', row, issues);
    const unitCode = fields.text('unit_code', { required: true });
    const points: Record<string, Dec> = {};
    for (const { key, max } of composition) {
      if (!table.columns.includes(key)) continue;
      const value = fields.dec(key, true);
      if (value === null || value === undefined) continue;
      checkPoints(fields, key, value, ZERO, dec(max), scope.precision, 'component', key);
      points[key] = value;
    }
    if (!knownUnit(fields, scope, unitCode)) continue;
    if (
      firstOccurrence(seen, unitCode, row.row, (first) =>
        fields.error('unit_code', msg('workbook.issue.componentRepeated', { unit: unitCode, first })),
      )
    ) {
      results.push({ unitCode, points });
    }
  }
  return results;
}

/**
 * Reads and checks a workbook; the campaign comes back only when nothing at all is wrong. The file is read as a stream
 * within `limits`: past one, the reading stops at once and the result carries the limit (and no other error).
 */
export async function readWorkbook(data: Uint8Array, limits: XlsxLimits = workbookLimits): Promise<ReadResult> {
  const issues = new Issues();
  const builders = new Map<SheetName, TableBuilder>();
  try {
    await readXlsx(data, limits, {
      sheet: (sheetName) => {
        // The guide is skipped silently, other unknown sheets with a warning; a sheet named twice is read once.
        const name = sheetName.normalize('NFC').trim().toLowerCase();
        if (!(sheetNames as readonly string[]).includes(name)) {
          if (name !== guideSheetName.toLowerCase() && name !== oldGuideSheetName)
            issues.warn(sheetName, null, null, msg('workbook.issue.sheetUnknown', { sheet: sheetName }));
          return null;
        }
        if (builders.has(name as SheetName)) return null;
        const builder = new TableBuilder(name as SheetName, issues, name === 'components');
        builders.set(name as SheetName, builder);
        return (row, rowNumber) => builder.add(row, rowNumber);
      },
    });
  } catch (err) {
    if (err instanceof LimitError) return { ok: false, errors: [], warnings: [], limit: err.exceeded };
    if (!(err instanceof UnreadableError)) throw err;
    issues.error(null, null, null, 'workbook.issue.unreadable');
    return { ok: false, errors: issues.errors, warnings: issues.warnings };
  }
  const table = (name: SheetName): Table | null => {
    const builder = builders.get(name);
    if (builder) return builder.finish();
    if (sheetSpecs[name].required) issues.error(name, null, null, msg('workbook.issue.sheetMissing', { sheet: name }));
    return null;
  };

  const { campaign, rows: campaignRows } = readCampaign(table('campaign'), issues);
  const agencies = readAgencies(table('agencies'), issues);
  const { units, rows: unitRows } = readUnits(table('units'), issues);
  const { criteria, rows: criteriaRows, unsure } = readCriteria(table('criteria'), campaign.precision, issues);
  checkUnitParents(units, unitRows, issues);

  const scope: Scope = {
    precision: campaign.precision,
    units: new Set(units.map((unit) => unit.code)),
    criteria: new Map(criteria.map((criterion) => [criterion.code, criterion])),
    maxima: effectiveMaxScores(criteria),
    parents: new Set(criteria.map((criterion) => parentCode(criterion.code))),
    unsure,
  };
  const scores = readScores(table('scores'), scope, issues);
  const survey = readSurvey(table('survey'), scope, issues);
  const components = readComponents(table('components'), campaign.composition, scope, issues);

  warnIncomplete(scores, components, scope, issues);

  if (issues.errors.length > 0) return { ok: false, errors: inSheetOrder(issues.errors), warnings: issues.warnings };
  return {
    ok: true,
    workbook: { campaign, agencies, units, criteria, scores, survey, components },
    rows: { campaign: campaignRows, units: unitRows, criteria: criteriaRows },
    warnings: issues.warnings,
  };
}

/** A leaf without a row scores 0 for a unit that has rows: allowed (a migration may be partial), but worth saying. */
function warnIncomplete(scores: WorkbookScore[], components: WorkbookComponents[], scope: Scope, issues: Issues): void {
  const leaves = [...scope.criteria.values()]
    .filter((node) => !scope.parents.has(node.code) && node.kind !== 'survey')
    .map((node) => node.code);
  const given = new Map<string, Set<string>>();
  for (const score of scores)
    given.set(score.unitCode, (given.get(score.unitCode) ?? new Set()).add(score.criterionCode));
  for (const [unit, codes] of given) {
    if (components.some((row) => row.unitCode === unit)) continue;
    const missing = leaves.filter((code) => !codes.has(code));
    if (missing.length === 0) continue;
    const listed = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}…` : missing.join(', ');
    issues.warn('scores', null, null, msg('workbook.issue.incomplete', { unit, count: missing.length, listed }));
  }
}

/** A unit may not end up above itself through the workbook's own parent codes. */
function checkUnitParents(units: WorkbookUnit[], rows: Map<string, number>, issues: Issues): void {
  const parents = new Map(units.map((unit) => [unit.code, unit.parentCode]));
  for (const cycle of unitCycles(parents))
    issues.error('units', rows.get(cycle) ?? null, 'parent_code', msg('workbook.issue.cycle', { unit: cycle }));
}

/** Codes that are their own ancestor in the parent map (one code per cycle). */
export function unitCycles(parents: ReadonlyMap<string, string | null>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  for (const start of parents.keys()) {
    const path: string[] = [];
    for (let code: string | null | undefined = start; code; code = parents.get(code)) {
      if (done.has(code)) break;
      const at = path.indexOf(code);
      if (at >= 0) {
        cycles.push(code);
        break;
      }
      path.push(code);
    }
    for (const code of path) done.add(code);
  }
  return cycles;
}
