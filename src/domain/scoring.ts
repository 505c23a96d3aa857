/**
 * The index, the one way the portal computes it (docs/workbook.md, "How the index is computed"): the preliminary
 * ranking, the publication and the benchmarks all call computeResults. Pure: no I/O, no clock.
 */
import {
  type Dec,
  type Precision,
  type Rational,
  type Rounding,
  ZERO,
  compare,
  compareRational,
  dec,
  decimalsOf,
  div,
  format,
  max,
  parseDec,
  rational,
  roundRational,
  sum,
  add,
  times,
  toRational,
} from './decimal.ts';
import { msg, say, spell, type Message } from './message.ts';

export type { Dec, Precision, Rounding } from './decimal.ts';

/** A Dec as a message parameter: the translator writes it as the reader writes numbers (0,5 or 0.5). */
const num = (value: Dec): number => Number(format(value));

export interface ComponentRule {
  key: string;
  max: Dec;
}

export interface Band {
  name: string;
  /** Inclusive lower bound of the index. */
  min: Dec;
  /** The unit gets this band only if every field scores at least this percent of its applicable maximum. */
  fieldFloorPercent?: Dec;
}

export interface Rules {
  precision: Precision;
  rounding: Rounding;
  /** Maxima add to 100; 'appraisal' and 'survey' are computed, any other key only comes from component points. */
  composition: readonly ComponentRule[];
  /** Highest first, the last with min 0. */
  bands: readonly Band[];
}

export type CriterionKind = 'self' | 'survey' | 'appraiser';

export interface CriterionNode {
  /** Dotted: '1', '1.1', '3.2.6'; the parent of '3.2.6' is '3.2'. */
  code: string;
  title: string;
  /** Required on leaves; null on a parent means the sum of its children. */
  maxScore: Dec | null;
  /** 0 except for deductions (negative, with maxScore 0). */
  minScore: Dec;
  kind: CriterionKind;
}

export interface LeafScore {
  self: Dec | null;
  appraised: Dec | null;
}

export interface SurveyTally {
  respondents: number;
  /** "Satisfied" plus "very satisfied" answers. */
  satisfiedAnswers: number;
  questionsPerRespondent: number;
}

export interface UnitInput {
  code: string;
  name: string;
  /** The unit's block (khối) when the campaign ranks its units in blocks: every unit has one, or none does. */
  block?: string | null;
  /** By leaf code. */
  scores?: ReadonlyMap<string, LeafScore>;
  /** Leaf or parent codes; a parent takes its whole subtree out of the unit's maximum. */
  notApplicable?: ReadonlySet<string>;
  survey?: SurveyTally;
  /** Past years known only by their component points, on the final 100-point scale; scores and survey are then ignored. */
  components?: Readonly<Record<string, Dec>>;
}

export interface ScoringInput {
  rules: Rules;
  criteria: readonly CriterionNode[];
  units: readonly UnitInput[];
}

export interface FieldResult {
  code: string;
  title: string;
  max: Dec;
  applicableMax: Dec;
  selfScore: Dec;
  score: Dec;
}

export interface CriterionResult {
  max: Dec;
  /** Survey-kind and not-applicable leaves excluded. */
  applicableMax: Dec;
  applicable: boolean;
  /** Null when not applicable, for survey-kind criteria, and (self) when nothing was self-scored beneath. */
  self: Dec | null;
  score: Dec | null;
}

export interface UnitResult {
  code: string;
  name: string;
  /** Null when the campaign has no blocks. */
  block: string | null;
  /** Within the unit's block when the campaign has blocks. */
  rank: number;
  index: Dec;
  band: string;
  /** Sum of appraised leaf scores; null for a unit known only by component points. */
  points: Dec | null;
  applicableMax: Dec | null;
  selfPoints: Dec | null;
  /** In composition order. */
  components: Record<string, Dec>;
  /** The top-level criteria, in code order; empty for a unit known only by component points. */
  fields: FieldResult[];
  /** Every criterion, in code order; parents are sums of their children. */
  criteria: Map<string, CriterionResult>;
}

export interface CriteriaIssue {
  code: string;
  column: 'code' | 'max_score' | 'min_score';
  message: Message;
}

export interface RulesIssue {
  setting: 'composition' | 'bands' | 'precision' | 'rounding';
  message: Message;
}

/** Something said of a place (a unit's code, a criterion's code, a setting): `xa-a: …`. */
const at = (where: string, message: Message): Message => msg('message.at', { at: where, message: say(message) });

export class ScoringInputError extends Error {
  readonly issues: readonly Message[];
  constructor(issues: readonly Message[]) {
    // The log names the keys and their values; a page translates `issues`.
    super(
      `Invalid scoring input: ${issues.map((issue) => spell(issue, (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key))).join('; ')}`,
    );
    this.name = 'ScoringInputError';
    this.issues = issues;
  }
}

const HUNDRED = dec(100);

export function parentCode(code: string): string | null {
  const dot = code.lastIndexOf('.');
  return dot < 0 ? null : code.slice(0, dot);
}

const collator = new Intl.Collator('en', { numeric: true });

/** Dotted codes in reading order: 1.2 < 1.10 < 2 < 10. */
export function compareCriterionCodes(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = collator.compare(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

export function validateCriteria(criteria: readonly CriterionNode[]): CriteriaIssue[] {
  const issues: CriteriaIssue[] = [];
  const byCode = new Map<string, CriterionNode>();
  for (const node of criteria) {
    if (!/^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/.test(node.code)) {
      issues.push({ code: node.code, column: 'code', message: msg('tree.code.format', { code: node.code }) });
    } else if (byCode.has(node.code)) {
      issues.push({ code: node.code, column: 'code', message: msg('tree.code.repeated', { code: node.code }) });
    } else {
      byCode.set(node.code, node);
    }
  }
  const children = childrenByCode(byCode.values());
  for (const node of byCode.values()) {
    const parent = parentCode(node.code);
    if (parent !== null && !byCode.has(parent)) {
      issues.push({
        code: node.code,
        column: 'code',
        message: msg('tree.parent.missing', { parent, code: node.code }),
      });
    }
    if (!children.has(node.code)) {
      if (node.maxScore === null) {
        issues.push({ code: node.code, column: 'max_score', message: msg('tree.max.missing', { code: node.code }) });
        continue;
      }
      if (node.maxScore < 0n) {
        issues.push({ code: node.code, column: 'max_score', message: msg('tree.max.negative', { code: node.code }) });
      } else if (compare(node.minScore, node.maxScore) > 0) {
        issues.push({
          code: node.code,
          column: 'min_score',
          message: msg('tree.min.aboveMax', { code: node.code, min: num(node.minScore), max: num(node.maxScore) }),
        });
      } else if (node.minScore < 0n && node.maxScore !== ZERO) {
        issues.push({
          code: node.code,
          column: 'max_score',
          message: msg('tree.deduction', { code: node.code }),
        });
      }
    }
  }
  const maxima = effectiveMaxScores(criteria);
  for (const node of byCode.values()) {
    const leafSum = children.has(node.code) ? maxima.get(node.code) : undefined;
    if (node.maxScore !== null && leafSum !== undefined && node.maxScore !== leafSum) {
      issues.push({
        code: node.code,
        column: 'max_score',
        message: msg('tree.max.sum', { code: node.code, max: num(node.maxScore), sum: num(leafSum) }),
      });
    }
  }
  return issues;
}

/**
 * Tree sums by code: each value counts toward its own code and every ancestor's (by `parentCode`). A code no value
 * reaches is absent from the map, so "none below" and "zero below" stay apart.
 */
export function subtreeSums(values: Iterable<{ code: string; value: Dec }>): Map<string, Dec> {
  const sums = new Map<string, Dec>();
  for (const { code, value } of values) {
    for (let c: string | null = code; c !== null; c = parentCode(c)) sums.set(c, add(sums.get(c) ?? ZERO, value));
  }
  return sums;
}

/** Every criterion's maximum: a leaf's own, a parent's the sum of its children (whatever the parent states). */
export function effectiveMaxScores(criteria: readonly CriterionNode[]): Map<string, Dec> {
  const byCode = new Map(criteria.map((node) => [node.code, node]));
  const children = childrenByCode(byCode.values());
  const maxima = new Map<string, Dec>();
  const visit = (code: string): Dec => {
    const known = maxima.get(code);
    if (known !== undefined) return known;
    const kids = children.get(code);
    const value = kids ? sum(kids.map(visit)) : (byCode.get(code)?.maxScore ?? ZERO);
    maxima.set(code, value);
    return value;
  };
  for (const code of byCode.keys()) visit(code);
  return maxima;
}

export function validateRules(rules: Rules): RulesIssue[] {
  const issues: RulesIssue[] = [];
  if (rules.precision !== 2 && rules.precision !== 3) {
    issues.push({ setting: 'precision', message: 'rules.precision' });
  }
  if (rules.rounding !== 'half-up' && rules.rounding !== 'down') {
    issues.push({ setting: 'rounding', message: 'rules.rounding' });
  }
  const keys = new Set<string>();
  for (const component of rules.composition) {
    if (keys.has(component.key))
      issues.push({ setting: 'composition', message: msg('rules.component.repeated', { key: component.key }) });
    keys.add(component.key);
    if (component.max < 0n)
      issues.push({ setting: 'composition', message: msg('rules.component.negative', { key: component.key }) });
  }
  const total = sum(rules.composition.map((component) => component.max));
  if (total !== HUNDRED) {
    issues.push({ setting: 'composition', message: msg('rules.composition.total', { total: num(total) }) });
  }
  const bands = rules.bands;
  if (bands.length === 0) issues.push({ setting: 'bands', message: 'rules.bands.empty' });
  bands.forEach((band, i) => {
    if (i > 0 && compare(band.min, bands[i - 1]!.min) >= 0) {
      issues.push({ setting: 'bands', message: msg('rules.bands.order', { name: band.name }) });
    }
    const floor = band.fieldFloorPercent;
    if (floor !== undefined && (floor < 0n || compare(floor, HUNDRED) > 0)) {
      issues.push({ setting: 'bands', message: msg('rules.bands.floor', { name: band.name }) });
    }
  });
  const last = bands.at(-1);
  if (last && (last.min !== ZERO || last.fieldFloorPercent !== undefined)) {
    issues.push({ setting: 'bands', message: msg('rules.bands.last', { name: last.name }) });
  }
  return issues;
}

export function appraisalComponent(
  points: Dec,
  applicableMax: Dec,
  componentMax: Dec,
  rules: Pick<Rules, 'precision' | 'rounding'>,
): Dec {
  if (applicableMax <= 0n) return ZERO;
  const value = roundRational(times(div(points, applicableMax), componentMax), rules.precision, rules.rounding);
  // Deductions beyond everything earned would give a negative index; the index is bounded by 0.
  return max(value, ZERO);
}

export function surveyComponent(
  survey: SurveyTally | undefined,
  componentMax: Dec,
  rules: Pick<Rules, 'precision' | 'rounding'>,
): Dec {
  if (!survey || survey.respondents === 0) return ZERO;
  const answers = BigInt(survey.respondents) * BigInt(survey.questionsPerRespondent);
  return roundRational(
    times(rational(BigInt(survey.satisfiedAnswers), answers), componentMax),
    rules.precision,
    rules.rounding,
  );
}

/** The first band, highest first, whose lower bound is at most the index and whose field floor holds. */
export function bandFor(index: Dec, fields: readonly FieldResult[], bands: readonly Band[]): string {
  const band = bands.find(
    (candidate) => compare(candidate.min, index) <= 0 && fieldFloorHolds(fields, candidate.fieldFloorPercent),
  );
  return (band ?? bands.at(-1))?.name ?? '';
}

function fieldFloorHolds(fields: readonly FieldResult[], floorPercent: Dec | undefined): boolean {
  if (floorPercent === undefined) return true;
  // A unit known only by component points has no fields to hold against the floor: the published band stands.
  return fields.every((field) => {
    if (field.applicableMax <= 0n) return true;
    const required = rational(field.applicableMax * floorPercent, 100n * 1000n * 1000n);
    return compareRational(toRational(field.score), required) >= 0;
  });
}

/**
 * Competition ranking: equal indexes share a rank and the next rank skips (1, 2, 2, 4). Units with a block are ranked
 * among the units of their block only; the result is ordered by block (in the order the blocks first appear in
 * `units`), then by rank, then by code.
 */
export function rankIndexes<T extends { code: string; index: Dec; block?: string | null }>(
  units: readonly T[],
): (T & { rank: number })[] {
  const blocks = new Map<string | null, T[]>();
  for (const unit of units) {
    const block = unit.block ?? null;
    blocks.set(block, [...(blocks.get(block) ?? []), unit]);
  }
  return [...blocks.values()].flatMap(rankOneBlock);
}

function rankOneBlock<T extends { code: string; index: Dec }>(units: readonly T[]): (T & { rank: number })[] {
  const ordered = [...units].sort(
    (a, b) => compare(b.index, a.index) || collator.compare(a.code, b.code) || compareStrings(a.code, b.code),
  );
  let rank = 0;
  return ordered.map((unit, position) => {
    if (position === 0 || ordered[position - 1]!.index !== unit.index) rank = position + 1;
    return { ...unit, rank };
  });
}

export function computeResults(input: ScoringInput): UnitResult[] {
  const { rules, criteria, units } = input;
  const problems: Message[] = [
    ...validateRules(rules).map((issue) => at(issue.setting, issue.message)),
    ...validateCriteria(criteria).map((issue) => at(issue.code, issue.message)),
  ];
  const unitCodes = new Set<string>();
  for (const unit of units) {
    if (unitCodes.has(unit.code)) problems.push(at(unit.code, 'scoring.unit.repeated'));
    unitCodes.add(unit.code);
  }
  const inBlocks = units.filter((unit) => (unit.block ?? null) !== null).length;
  if (inBlocks > 0 && inBlocks < units.length) problems.push('scoring.block.partial');
  if (problems.length > 0) throw new ScoringInputError(problems);

  const tree = buildTree(criteria);
  const scored = units.map((unit) => ({
    ...(unit.components ? fromComponents(unit, rules) : fromScores(unit, tree, rules)),
    block: unit.block ?? null,
  }));
  return rankIndexes(scored).map(({ rank, ...unit }) => ({
    code: unit.code,
    name: unit.name,
    block: unit.block,
    rank,
    index: unit.index,
    band: bandFor(unit.index, unit.fields, rules.bands),
    points: unit.points,
    applicableMax: unit.applicableMax,
    selfPoints: unit.selfPoints,
    components: unit.components,
    fields: unit.fields,
    criteria: unit.criteria,
  }));
}

type Unranked = Omit<UnitResult, 'rank' | 'band' | 'block'>;

interface Tree {
  nodes: Map<string, CriterionNode>;
  children: Map<string, string[]>;
  maxima: Map<string, Dec>;
  /** Every code, parents before children, in code order. */
  ordered: string[];
  fields: string[];
}

function buildTree(criteria: readonly CriterionNode[]): Tree {
  const nodes = new Map(criteria.map((node) => [node.code, node]));
  const ordered = [...nodes.keys()].sort(compareCriterionCodes);
  return {
    nodes,
    children: childrenByCode(ordered.map((code) => nodes.get(code)!)),
    maxima: effectiveMaxScores(criteria),
    ordered,
    fields: ordered.filter((code) => parentCode(code) === null),
  };
}

function childrenByCode(nodes: Iterable<CriterionNode>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const node of nodes) {
    const parent = parentCode(node.code);
    if (parent === null) continue;
    const siblings = children.get(parent);
    if (siblings) siblings.push(node.code);
    else children.set(parent, [node.code]);
  }
  return children;
}

function fromComponents(unit: UnitInput, rules: Rules): Unranked {
  const given = unit.components ?? {};
  const problems: Message[] = [];
  const components: Record<string, Dec> = {};
  for (const { key, max: componentMax } of rules.composition) {
    const value = given[key];
    if (value === undefined) {
      problems.push(at(unit.code, msg('scoring.component.missing', { key })));
    } else if (value < 0n || compare(value, componentMax) > 0 || decimalsOf(value) > rules.precision) {
      problems.push(
        at(
          unit.code,
          msg('scoring.component.range', {
            key,
            value: num(value),
            max: num(componentMax),
            precision: rules.precision,
          }),
        ),
      );
    } else {
      components[key] = value;
    }
  }
  for (const key of Object.keys(given)) {
    if (!rules.composition.some((component) => component.key === key))
      problems.push(at(unit.code, msg('scoring.component.unknown', { key })));
  }
  if (problems.length > 0) throw new ScoringInputError(problems);
  return {
    code: unit.code,
    name: unit.name,
    index: sum(Object.values(components)),
    points: null,
    applicableMax: null,
    selfPoints: null,
    components,
    fields: [],
    criteria: new Map(),
  };
}

function fromScores(unit: UnitInput, tree: Tree, rules: Rules): Unranked {
  checkUnitInput(unit, tree, rules);
  const results = new Map<string, CriterionResult>();
  const excluded = (code: string): boolean => {
    for (let c: string | null = code; c !== null; c = parentCode(c)) if (unit.notApplicable?.has(c)) return true;
    return false;
  };
  const visit = (code: string): CriterionResult => {
    const kids = tree.children.get(code);
    const maxScore = tree.maxima.get(code)!;
    let result: CriterionResult;
    if (kids) {
      const parts = kids.map(visit);
      result = {
        max: maxScore,
        applicableMax: sum(parts.map((part) => part.applicableMax)),
        applicable: parts.some((part) => part.applicable),
        self: sumPresent(parts.map((part) => part.self)),
        score: sumPresent(parts.map((part) => part.score)),
      };
    } else if (excluded(code)) {
      result = { max: maxScore, applicableMax: ZERO, applicable: false, self: null, score: null };
    } else if (tree.nodes.get(code)!.kind === 'survey') {
      result = { max: maxScore, applicableMax: ZERO, applicable: true, self: null, score: null };
    } else {
      const given = unit.scores?.get(code);
      result = {
        max: maxScore,
        applicableMax: maxScore,
        applicable: true,
        self: given?.self ?? null,
        score: given?.appraised ?? ZERO,
      };
    }
    results.set(code, result);
    return result;
  };
  const fields = tree.fields.map((code): FieldResult => {
    const field = visit(code);
    return {
      code,
      title: tree.nodes.get(code)!.title,
      max: field.max,
      applicableMax: field.applicableMax,
      selfScore: field.self ?? ZERO,
      score: field.score ?? ZERO,
    };
  });
  const points = sum(fields.map((field) => field.score));
  const applicableMax = sum(fields.map((field) => field.applicableMax));
  const components: Record<string, Dec> = {};
  for (const { key, max: componentMax } of rules.composition) {
    components[key] =
      key === 'appraisal'
        ? appraisalComponent(points, applicableMax, componentMax, rules)
        : key === 'survey'
          ? surveyComponent(unit.survey, componentMax, rules)
          : ZERO;
  }
  return {
    code: unit.code,
    name: unit.name,
    index: sum(Object.values(components)),
    points,
    applicableMax,
    selfPoints: sum(fields.map((field) => field.selfScore)),
    components,
    fields,
    criteria: new Map(tree.ordered.map((code) => [code, results.get(code)!])),
  };
}

/** Input the importer or a form should have refused; scoring it anyway would publish a wrong number. */
function checkUnitInput(unit: UnitInput, tree: Tree, rules: Rules): void {
  const problems: Message[] = [];
  for (const code of unit.notApplicable ?? []) {
    if (!tree.nodes.has(code)) problems.push(at(unit.code, msg('scoring.notApplicable.unknown', { code })));
  }
  for (const [code, score] of unit.scores ?? []) {
    const node = tree.nodes.get(code);
    if (!node || tree.children.has(code)) {
      problems.push(at(unit.code, msg('scoring.notLeaf', { code })));
      continue;
    }
    for (const [label, value] of [
      ['self', score.self],
      ['appraised', score.appraised],
    ] as const) {
      if (value === null) continue;
      const maxScore = tree.maxima.get(code)!;
      if (compare(value, node.minScore) < 0 || compare(value, maxScore) > 0 || decimalsOf(value) > rules.precision) {
        const range = { value: num(value), min: num(node.minScore), max: num(maxScore), precision: rules.precision };
        problems.push(at(`${unit.code} ${code}`, msg(`scoring.${label}.range`, range)));
      }
    }
  }
  const survey = unit.survey;
  if (survey) {
    const counts = [survey.respondents, survey.satisfiedAnswers, survey.questionsPerRespondent];
    if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      problems.push(at(unit.code, 'scoring.survey.counts'));
    } else if (survey.respondents > 0 && survey.questionsPerRespondent === 0) {
      problems.push(at(unit.code, 'scoring.survey.questions'));
    } else if (survey.satisfiedAnswers > survey.respondents * survey.questionsPerRespondent) {
      problems.push(at(unit.code, 'scoring.survey.satisfied'));
    }
  }
  if (problems.length > 0) throw new ScoringInputError(problems);
}

function sumPresent(values: readonly (Dec | null)[]): Dec | null {
  const present = values.filter((value): value is Dec => value !== null);
  return present.length === 0 ? null : sum(present);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Declared figures (the `scoring` column): the score follows from what the unit declares.

export type ScoringRule =
  | { kind: 'levels'; levels: { label: string; points: Dec }[] }
  /** Thresholds in percent, highest first, the last 0. */
  | { kind: 'ratio'; thresholds: { percent: Dec; points: Dec }[] }
  | { kind: 'proportional' };

export type ParsedScoringRule = { ok: true; rule: ScoringRule | null } | { ok: false; error: Message };
export type ScoreOutcome = { ok: true; score: Dec } | { ok: false; error: Message };

/**
 * Parses `levels: Có=1; Không=0`, `ratio: 100=1; 90=0.5; 0=0` or `proportional`; an empty text gives rule null
 * (the unit types its score). With the criterion's range, every level's and threshold's points must lie in it.
 */
export function parseScoringRule(text: string, range?: { minScore: Dec; maxScore: Dec }): ParsedScoringRule {
  const source = text.normalize('NFC').trim();
  if (source === '') return { ok: true, rule: null };
  const match = /^(levels|ratio|proportional)\s*(?::\s*(.*))?$/is.exec(source);
  if (!match) {
    return { ok: false, error: msg('rule.unknown', { source }) };
  }
  const kind = match[1]!.toLowerCase();
  const body = (match[2] ?? '').trim();
  if (kind === 'proportional') {
    return body === ''
      ? { ok: true, rule: { kind: 'proportional' } }
      : { ok: false, error: 'rule.proportional.params' };
  }
  const pairs: { left: string; points: Dec }[] = [];
  for (const part of body
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const eq = part.lastIndexOf('=');
    const left = eq < 0 ? '' : part.slice(0, eq).trim();
    if (left === '') return { ok: false, error: msg('rule.pair', { part }) };
    const points = parseDec(part.slice(eq + 1));
    if (points === null)
      return { ok: false, error: msg('rule.points.number', { points: part.slice(eq + 1).trim(), name: left }) };
    if (range && (compare(points, range.minScore) < 0 || compare(points, range.maxScore) > 0)) {
      return {
        ok: false,
        error: msg('rule.points.range', {
          points: num(points),
          name: left,
          min: num(range.minScore),
          max: num(range.maxScore),
        }),
      };
    }
    pairs.push({ left, points });
  }
  if (kind === 'levels') {
    if (pairs.length === 0) return { ok: false, error: 'rule.levels.empty' };
    const seen = new Set<string>();
    for (const { left } of pairs) {
      if (seen.has(levelKey(left))) return { ok: false, error: msg('rule.levels.repeated', { level: left }) };
      seen.add(levelKey(left));
    }
    return { ok: true, rule: { kind: 'levels', levels: pairs.map(({ left, points }) => ({ label: left, points })) } };
  }
  const thresholds: { percent: Dec; points: Dec }[] = [];
  for (const { left, points } of pairs) {
    const percent = parseDec(left.replace(/%$/, ''));
    if (percent === null || percent < 0n || compare(percent, HUNDRED) > 0) {
      return { ok: false, error: msg('rule.threshold.percent', { threshold: left }) };
    }
    const previous = thresholds.at(-1);
    if (previous && compare(percent, previous.percent) >= 0) {
      return { ok: false, error: 'rule.threshold.order' };
    }
    thresholds.push({ percent, points });
  }
  if (thresholds.at(-1)?.percent !== ZERO) return { ok: false, error: 'rule.threshold.last' };
  return { ok: true, rule: { kind: 'ratio', thresholds } };
}

function levelKey(label: string): string {
  return label.normalize('NFC').trim().toLocaleLowerCase('vi');
}

/** The points of the level the unit picked (matched ignoring case, spaces and Unicode composition). */
export function levelScore(rule: Extract<ScoringRule, { kind: 'levels' }>, level: string): ScoreOutcome {
  const found = rule.levels.find((candidate) => levelKey(candidate.label) === levelKey(level));
  if (found) return { ok: true, score: found.points };
  return {
    ok: false,
    error: msg('score.level.unknown', { level: level.trim(), levels: rule.levels.map((l) => l.label).join(', ') }),
  };
}

function checkCounts(achieved: Dec, total: Dec): Message | null {
  if (total <= 0n) return 'rule.count.totalZero';
  if (achieved < 0n) return 'rule.count.negative';
  if (compare(achieved, total) > 0) return 'score.count.aboveTotal';
  return null;
}

/** The points of the highest threshold that achieved ÷ total × 100 reaches (compared exactly, unrounded). */
export function ratioScore(rule: Extract<ScoringRule, { kind: 'ratio' }>, achieved: Dec, total: Dec): ScoreOutcome {
  const error = checkCounts(achieved, total);
  if (error) return { ok: false, error };
  const percent: Rational = times(div(achieved, total), HUNDRED);
  const reached = rule.thresholds.find((threshold) => compareRational(percent, toRational(threshold.percent)) >= 0);
  return { ok: true, score: reached?.points ?? ZERO };
}

/** achieved ÷ total × maxScore, rounded as the campaign rounds. */
export function proportionalScore(
  achieved: Dec,
  total: Dec,
  maxScore: Dec,
  rules: Pick<Rules, 'precision' | 'rounding'>,
): ScoreOutcome {
  const error = checkCounts(achieved, total);
  if (error) return { ok: false, error };
  return { ok: true, score: roundRational(times(div(achieved, total), maxScore), rules.precision, rules.rounding) };
}
