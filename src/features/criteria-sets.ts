import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../db/audit.ts';
import { rows, tables } from '../db/kysely.ts';
import {
  CriteriaSetSchema,
  CriterionSchema,
  type CriteriaSet,
  type Criterion,
  type CriterionKind,
} from '../db/entities/index.ts';
import { dec, format, parseDec } from '../domain/decimal.ts';
import {
  compareCriterionCodes,
  effectiveMaxScores,
  parentCode,
  parseScoringRule,
  validateCriteria,
  type CriterionNode,
} from '../domain/scoring.ts';
import { invalid, ok, type FieldErrors, type Message, type Outcome } from './outcome.ts';
import { msg, say } from '../domain/message.ts';

export interface Actor {
  id: number;
}

/** A problem of a set: the tree's own (words of the domain's validators) or a message key of the catalog. */
export interface SetIssue {
  code: string;
  message: Message;
}

/** A campaign past its draft has its criteria set frozen: self-assessments refer to these very criteria. */
export async function campaignFreezing(
  em: EntityManager,
  setId: number,
): Promise<{ code: string; name: string; state: string } | null> {
  const [row] = await em.execute<{ code: string; name: string; state: string }[]>(
    `select code, name, state from campaign where criteria_set_id = ? and state <> 'draft' order by year desc limit 1`,
    [setId],
  );
  return row ?? null;
}

export async function loadCriteria(em: EntityManager, setId: number): Promise<Criterion[]> {
  const rows = await em.find(CriterionSchema, { criteriaSet: setId }, { populate: ['agency'] });
  return rows.sort((a, b) => compareCriterionCodes(a.code, b.code));
}

/** What a criterion gives the scoring core: an entity, or a row read with these names. */
export type CriterionRow = Pick<Criterion, 'code' | 'title' | 'maxScore' | 'minScore' | 'kind'>;

/** Criterion rows → scoring nodes: a parent's maximum is the sum of its children's (null here), a leaf's its own. */
export function toNodes(criteria: readonly CriterionRow[]): CriterionNode[] {
  const parents = new Set(criteria.map((c) => parentCode(c.code)).filter((c): c is string => c !== null));
  return criteria.map((c) => ({
    code: c.code,
    title: c.title,
    maxScore: parents.has(c.code) ? null : dec(c.maxScore),
    minScore: dec(c.minScore),
    kind: c.kind,
  }));
}

/** The scoring nodes of a criteria set, in one query: the one loader the scoring core and the methodology page use. */
export async function loadCriterionNodes(em: EntityManager, setId: number): Promise<CriterionNode[]> {
  return toNodes(
    await rows(
      em,
      tables(em)
        .selectFrom('criterion')
        .select(['code', 'title', 'max_score as maxScore', 'min_score as minScore', 'kind'])
        .where('criteria_set_id', '=', setId),
    ),
  );
}

/** Everything that keeps a set from being used: the tree's own rules, each leaf's scoring rule, an empty set. */
export function checkSet(criteria: readonly Criterion[]): SetIssue[] {
  const issues: SetIssue[] = validateCriteria(toNodes(criteria)).map((i) => ({ code: i.code, message: i.message }));
  const parents = new Set(criteria.map((c) => parentCode(c.code)));
  const leaves = criteria.filter((c) => !parents.has(c.code));
  if (leaves.length === 0) issues.push({ code: '', message: 'criteria.check.noLeaves' });
  for (const leaf of leaves) {
    if (!leaf.scoring) continue;
    const parsed = parseScoringRule(leaf.scoring, { minScore: dec(leaf.minScore), maxScore: dec(leaf.maxScore) });
    if (!parsed.ok)
      issues.push({ code: leaf.code, message: msg('message.at', { at: leaf.code, message: say(parsed.error) }) });
  }
  return issues;
}

/**
 * Keeps the stored parents' maxima equal to the sums of their children and positions in code order.
 * A parent left without children keeps no stale sum: it becomes an empty leaf worth 0 until someone sets it.
 */
function recomputeTree(criteria: Criterion[], parentsBefore: ReadonlySet<Criterion>) {
  const maxima = effectiveMaxScores(toNodes(criteria));
  const parents = new Set(criteria.map((c) => parentCode(c.code)));
  criteria
    .sort((a, b) => compareCriterionCodes(a.code, b.code))
    .forEach((c, position) => {
      c.position = position;
      if (!parents.has(c.code) && parentsBefore.has(c)) c.maxScore = '0';
      if (parents.has(c.code)) {
        c.maxScore = format(maxima.get(c.code)!);
        c.minScore = '0';
        c.scoring = null;
      }
    });
}

export interface SetInput {
  name: string;
  year: number;
  decision: string;
  copyFrom?: number | null;
}

export async function createCriteriaSet(
  em: EntityManager,
  actor: Actor,
  input: SetInput,
): Promise<Outcome<CriteriaSet>> {
  return em.transactional(async (tx) => {
    const source = input.copyFrom ? await tx.findOne(CriteriaSetSchema, input.copyFrom) : null;
    if (input.copyFrom && !source) return invalid({ copyFrom: 'criteria.copyFrom.missing' });
    const set = tx.create(CriteriaSetSchema, { name: input.name, year: input.year, decision: input.decision });
    if (source) {
      const byCode = new Map<string, Criterion>();
      for (const c of await loadCriteria(tx, source.id)) {
        const parent = parentCode(c.code);
        byCode.set(
          c.code,
          tx.create(CriterionSchema, {
            criteriaSet: set,
            parent: parent ? byCode.get(parent) : null,
            code: c.code,
            title: c.title,
            guidance: c.guidance,
            kind: c.kind,
            minScore: c.minScore,
            maxScore: c.maxScore,
            scoring: c.scoring,
            evidenceRequired: c.evidenceRequired,
            agency: c.agency,
            position: c.position,
          }),
        );
      }
    }
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'criteria-set.created',
      entityType: 'CriteriaSet',
      entityId: set.id,
      after: { ...input },
    });
    return ok(set);
  });
}

export async function updateCriteriaSet(
  em: EntityManager,
  actor: Actor,
  setId: number,
  input: Omit<SetInput, 'copyFrom'>,
): Promise<Outcome<CriteriaSet>> {
  return em.transactional(async (tx) => {
    const set = await tx.findOneOrFail(CriteriaSetSchema, setId);
    const before = { name: set.name, year: set.year, decision: set.decision };
    Object.assign(set, input);
    audit(tx, {
      actorId: actor.id,
      action: 'criteria-set.updated',
      entityType: 'CriteriaSet',
      entityId: set.id,
      before,
      after: input,
    });
    return ok(set);
  });
}

export interface CriterionInput {
  code: string;
  title: string;
  guidance: string;
  kind: CriterionKind;
  minScore: string;
  maxScore: string;
  scoring: string;
  evidenceRequired: boolean;
  agencyId: number | null;
}

const codePattern = /^[1-9]\d*(\.[1-9]\d*)*$/;

/**
 * Adds a criterion, or edits one: a new code moves it (with its whole subtree) under the parent the code names.
 * A parent's maximum is never typed: it is the sum of its children, recomputed on every change.
 */
export async function saveCriterion(
  em: EntityManager,
  actor: Actor,
  setId: number,
  criterionId: number | null,
  input: CriterionInput,
): Promise<Outcome<Criterion>> {
  return em.transactional(async (tx) => {
    const frozen = await campaignFreezing(tx, setId);
    if (frozen) return invalid({ _form: frozenMessage(frozen) });
    const all = await loadCriteria(tx, setId);
    const current = criterionId === null ? null : all.find((c) => c.id === criterionId);
    if (criterionId !== null && !current) return invalid({ _form: 'criteria.notFound' });
    const errors: FieldErrors = {};
    const code = input.code.trim();
    const parent = parentCode(code);
    const parentNode = parent ? all.find((c) => c.code === parent) : null;
    const isParent = current ? all.some((c) => parentCode(c.code) === current.code) : false;
    if (!code) errors.code = 'criteria.code.required';
    else if (!codePattern.test(code)) errors.code = 'criteria.code.format';
    else if (all.some((c) => c.code === code && c !== current)) errors.code = 'criteria.code.taken';
    else if (parent && !parentNode) errors.code = 'criteria.code.noParent';
    else if (current && `${code}.`.startsWith(`${current.code}.`) && code !== current.code)
      errors.code = 'criteria.code.intoItself';
    if (!input.title.trim()) errors.title = 'criteria.title.required';
    const min = parseDec(input.minScore || '0');
    const max = parseDec(input.maxScore);
    if (!isParent) {
      if (max === null) errors.maxScore = 'criteria.maxScore.number';
      if (min === null) errors.minScore = 'criteria.minScore.number';
      if (min !== null && max !== null) {
        if (max < 0n) errors.maxScore = 'criteria.maxScore.negative';
        else if (min > max) errors.minScore = 'criteria.minScore.aboveMax';
        else if (min < 0n && max !== 0n) errors.maxScore = 'criteria.maxScore.deduction';
        else if (input.scoring.trim()) {
          const parsed = parseScoringRule(input.scoring, { minScore: min, maxScore: max });
          if (!parsed.ok) errors.scoring = parsed.error;
        }
      }
    }
    if (Object.keys(errors).length) return invalid(errors);

    const before = current ? snapshot(current) : null;
    const parentsBefore = parentsOf(all);
    const target = current ?? tx.create(CriterionSchema, { criteriaSet: setId, code, title: '', maxScore: '0' });
    if (current && current.code !== code) {
      for (const d of all.filter((c) => c.code.startsWith(`${current.code}.`)))
        d.code = code + d.code.slice(current.code.length);
    }
    Object.assign(target, {
      code,
      parent: parentNode ?? null,
      title: input.title.trim().normalize('NFC'),
      guidance: input.guidance.trim().normalize('NFC'),
      kind: input.kind,
      evidenceRequired: input.evidenceRequired,
      agency: input.agencyId,
      ...(isParent
        ? {}
        : { minScore: format(min!), maxScore: format(max!), scoring: input.scoring.trim().normalize('NFC') || null }),
    });
    if (!current) all.push(target);
    // Codes of a moved subtree may pass through each other's old values: settle them in two steps.
    await tx.execute('set constraints all deferred');
    recomputeTree(all, parentsBefore);
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: current ? 'criterion.updated' : 'criterion.created',
      entityType: 'Criterion',
      entityId: target.id,
      before,
      after: snapshot(target),
    });
    return ok(target);
  });
}

export async function removeCriterion(
  em: EntityManager,
  actor: Actor,
  setId: number,
  criterionId: number,
): Promise<Outcome<{ removed: number }>> {
  return em.transactional(async (tx) => {
    const frozen = await campaignFreezing(tx, setId);
    if (frozen) return invalid({ _form: frozenMessage(frozen) });
    const all = await loadCriteria(tx, setId);
    const target = all.find((c) => c.id === criterionId);
    if (!target) return invalid({ _form: 'criteria.notFound' });
    const gone = all.filter((c) => c === target || c.code.startsWith(`${target.code}.`));
    await tx.execute('delete from exemption where criterion_id = any(?::int[])', [
      `{${gone.map((c) => c.id).join(',')}}`,
    ]);
    await tx.execute('delete from criterion where id = any(?::int[])', [`{${gone.map((c) => c.id).join(',')}}`]);
    for (const c of gone) tx.getUnitOfWork().unsetIdentity(c);
    const kept = all.filter((c) => !gone.includes(c));
    recomputeTree(kept, parentsOf(all));
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'criterion.removed',
      entityType: 'Criterion',
      entityId: target.id,
      before: { ...snapshot(target), subtree: gone.length },
    });
    return ok({ removed: gone.length });
  });
}

/** Swaps a criterion with its previous or next sibling, subtrees included (codes carry the order). */
export async function moveCriterion(
  em: EntityManager,
  actor: Actor,
  setId: number,
  criterionId: number,
  direction: 'up' | 'down',
): Promise<Outcome<Criterion>> {
  return em.transactional(async (tx) => {
    const frozen = await campaignFreezing(tx, setId);
    if (frozen) return invalid({ _form: frozenMessage(frozen) });
    const all = await loadCriteria(tx, setId);
    const target = all.find((c) => c.id === criterionId);
    if (!target) return invalid({ _form: 'criteria.notFound' });
    const siblings = all.filter((c) => parentCode(c.code) === parentCode(target.code));
    const other = siblings[siblings.indexOf(target) + (direction === 'up' ? -1 : 1)];
    if (!other) return ok(target);
    const [a, b] = [target.code, other.code];
    const parentsBefore = parentsOf(all);
    const subtree = (code: string) => all.filter((c) => c.code === code || c.code.startsWith(`${code}.`));
    const [left, right] = [subtree(a), subtree(b)];
    for (const c of left) c.code = b + c.code.slice(a.length);
    for (const c of right) c.code = a + c.code.slice(b.length);
    await tx.execute('set constraints all deferred');
    recomputeTree(all, parentsBefore);
    await tx.flush();
    audit(tx, {
      actorId: actor.id,
      action: 'criterion.moved',
      entityType: 'Criterion',
      entityId: target.id,
      before: { code: a },
      after: { code: b },
    });
    return ok(target);
  });
}

function parentsOf(criteria: readonly Criterion[]): Set<Criterion> {
  const codes = new Set(criteria.map((c) => parentCode(c.code)));
  return new Set(criteria.filter((c) => codes.has(c.code)));
}

function snapshot(c: Criterion) {
  return {
    code: c.code,
    title: c.title,
    kind: c.kind,
    minScore: c.minScore,
    maxScore: c.maxScore,
    scoring: c.scoring,
    evidenceRequired: c.evidenceRequired,
  };
}

function frozenMessage(c: { code: string; name: string }): Message {
  return msg('criteria.frozenBy', { name: c.name });
}

/** Every criteria set, newest year first, with its number of criteria and the campaigns that use it. */
export function listCriteriaSets(em: EntityManager) {
  return em.execute<
    {
      id: number;
      name: string;
      year: number;
      decision: string;
      locked: boolean;
      criteria: number;
      campaigns: { code: string; name: string }[] | null;
    }[]
  >(
    `select s.id, s.name, s.year, s.decision, s.locked,
            (select count(*)::int from criterion c where c.criteria_set_id = s.id) as criteria,
            (select json_agg(json_build_object('code', c.code, 'name', c.name) order by c.year desc, c.code)
               from campaign c where c.criteria_set_id = s.id) as campaigns
       from criteria_set s order by s.year desc, s.name collate "vi-x-icu"`,
  );
}

/** The criteria sets to choose from (a campaign's set, a set to copy), newest year first. */
export function criteriaSetChoices(em: EntityManager) {
  return em.execute<{ id: number; name: string; year: number }[]>(
    'select id, name, year from criteria_set order by year desc, name collate "vi-x-icu"',
  );
}

/** A criteria set by its id (null for an id that is not one). */
export async function findCriteriaSet(em: EntityManager, id: number) {
  return Number.isSafeInteger(id) ? em.findOne(CriteriaSetSchema, id) : null;
}
