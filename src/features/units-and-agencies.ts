// The secretariat's units (đơn vị, the assessed bodies, as a tree) and agencies (cơ quan thẩm định, the appraising
// bodies): forms, creation and changes (audited), lists and the choices offered in forms.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { AgencySchema, UnitSchema, type Agency, type Unit } from '../db/entities/index.ts';
import { parseCalendarDate } from '../domain/dates.ts';
import { msg } from '../domain/message.ts';
import { invalid, ok, type FieldErrors, type Message, type Outcome } from './outcome.ts';
import { asText, choice, matchWords, text, uniquely, type ListFilter } from './records.ts';

const code = z.preprocess(
  asText,
  z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'people.code.required')
    .max(64, 'people.code.tooLong')
    .regex(/^[a-z0-9-]+$/, 'people.code.format'),
);
const name = z.preprocess(asText, text().min(1, 'people.name.required').max(255, 'people.name.tooLong'));
/** A typed date (dd/mm/yyyy), or '' when left empty; a date that does not exist is refused. */
const optionalDate = (error: string) =>
  z.preprocess(
    asText,
    z
      .string()
      .trim()
      .refine((v) => v === '' || parseCalendarDate(v) !== null, error)
      .transform((v) => (v === '' ? null : parseCalendarDate(v))),
  );
const unitFields = z.object({
  name,
  kind: z.preprocess(asText, text().max(64, 'people.kind.tooLong')),
  parent: choice,
  officialCode: z.preprocess(
    asText,
    z
      .string()
      .trim()
      .max(16, 'people.officialCode.format')
      .regex(/^[0-9]*$/, 'people.officialCode.format'),
  ),
  existsFrom: optionalDate('people.date.invalid'),
  existsUntil: optionalDate('people.date.invalid'),
  /** Codes separated by `;` (or `,`, or spaces). */
  predecessors: z.preprocess(asText, z.string().max(2000, 'people.predecessors.tooMany')),
});
const datesInOrder = (f: { existsFrom: string | null; existsUntil: string | null }) =>
  !f.existsFrom || !f.existsUntil || f.existsFrom <= f.existsUntil;
const datesOrderError = { path: ['existsUntil'], message: 'people.existsUntil.beforeFrom' };
export const unitForm = unitFields.extend({ code }).refine(datesInOrder, datesOrderError);
export const unitEditForm = unitFields.refine(datesInOrder, datesOrderError);
export const agencyForm = z.object({ code, name });
export const agencyEditForm = agencyForm.omit({ code: true });

export type UnitInput = z.infer<typeof unitForm>;
export type UnitChanges = z.infer<typeof unitEditForm>;
export type AgencyInput = z.infer<typeof agencyForm>;
export type AgencyChanges = z.infer<typeof agencyEditForm>;

const unitSnapshot = (u: Unit) => ({
  code: u.code,
  name: u.name,
  kind: u.kind,
  parent: u.parent?.code ?? null,
  officialCode: u.officialCode ?? null,
  existsFrom: u.existsFrom ?? null,
  existsUntil: u.existsUntil ?? null,
  active: u.active,
});

const codesIn = (text: string) => [
  ...new Set(
    text
      .split(/[;,\s]+/)
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean),
  ),
];

/**
 * The units `unit` continues, from the codes typed: each must exist, not be the unit itself, and not continue it in
 * turn (however far back).
 */
async function checkPredecessors(
  tx: EntityManager,
  text: string,
  unit: Unit | null,
): Promise<{ predecessors: Unit[] } | { error: Message }> {
  const codes = codesIn(text);
  if (codes.length === 0) return { predecessors: [] };
  const found = await tx.find(UnitSchema, { code: { $in: codes } });
  const missing = codes.find((c) => !found.some((u) => u.code === c));
  if (missing) return { error: msg('people.predecessors.unknown', { code: missing }) };
  if (!unit) return { predecessors: found };
  if (found.some((u) => u.id === unit.id)) return { error: 'people.predecessors.self' };
  const [cycle] = await tx.execute<{ code: string }[]>(
    `with recursive back as (select predecessor_id as id from unit_predecessor where unit_id in (?)
       union select up.predecessor_id from unit_predecessor up join back on up.unit_id = back.id)
     select 1 as code from back where id = ?`,
    [found.map((u) => u.id), unit.id],
  );
  return cycle ? { error: 'people.predecessors.cycle' } : { predecessors: found };
}

/** Replaces the units a unit continues (merged from, renamed from) by the units with these codes. */
export async function replacePredecessors(em: EntityManager, unitId: number, codes: readonly string[]): Promise<void> {
  await em.execute('delete from unit_predecessor where unit_id = ?', [unitId]);
  if (codes.length)
    await em.execute(
      'insert into unit_predecessor (unit_id, predecessor_id) select ?, id from unit where code in (?)',
      [unitId, [...codes]],
    );
}

/** A unit type joins the end of the list the secretariat keeps; one already in the list keeps its place. */
export async function addUnitKind(em: EntityManager, kind: string): Promise<void> {
  if (!kind) return;
  await em.execute(
    `insert into unit_kind (name, position) values (?, (select coalesce(max(position), 0) + 1 from unit_kind))
     on conflict (name) do nothing`,
    [kind],
  );
}

/** Sets a unit's predecessors and its type's place in the list of types. */
async function storeLinks(tx: EntityManager, unit: Unit, predecessors: Unit[]): Promise<void> {
  await tx.flush();
  await replacePredecessors(
    tx,
    unit.id,
    predecessors.map((p) => p.code),
  );
  await addUnitKind(tx, unit.kind);
}

/** The codes of the units a unit continues, as the form shows them. */
export async function predecessorCodes(em: EntityManager, unitId: number): Promise<string[]> {
  const rows = await em.execute<{ code: string }[]>(
    `select u.code from unit_predecessor up join unit u on u.id = up.predecessor_id where up.unit_id = ? order by u.code`,
    [unitId],
  );
  return rows.map((r) => r.code);
}
const agencySnapshot = (a: Agency) => ({ code: a.code, name: a.name, active: a.active });

/** Finds the chosen parent and refuses one that would put the unit under itself. */
async function checkParent(
  tx: EntityManager,
  parentCode: string,
  unit: Unit | null,
): Promise<{ parent: Unit | null } | { error: string }> {
  if (!parentCode) return { parent: null };
  const parent = await tx.findOne(UnitSchema, { code: parentCode });
  if (!parent) return { error: 'people.parent.unknown' };
  if (!unit) return { parent };
  if (parent.id === unit.id) return { error: 'people.parent.self' };
  const [cycle] = await tx.execute<{ found: number }[]>(
    `with recursive up as (select id, parent_id from unit where id = ?
       union select u.id, u.parent_id from unit u join up on u.id = up.parent_id)
     select 1 as found from up where id = ?`,
    [parent.id, unit.id],
  );
  return cycle ? { error: 'people.parent.cycle' } : { parent };
}

/** Setting the state a record already has changes nothing and records nothing. */
function flipActive<T extends { id: number; active: boolean }>(
  tx: EntityManager,
  actorId: number,
  record: T,
  active: boolean,
  entityType: 'Unit' | 'Agency',
  snapshot: (r: T) => object,
) {
  if (record.active === active) return;
  const before = snapshot(record);
  record.active = active;
  const action = `${entityType.toLowerCase()}.${active ? 'reactivated' : 'deactivated'}`;
  audit(tx, { actorId, action, entityType, entityId: record.id, before, after: snapshot(record) });
}

export function createUnit(em: EntityManager, actorId: number, input: UnitInput): Promise<Outcome<Unit>> {
  return uniquely('code', 'people.code.taken', () =>
    em.transactional(async (tx) => {
      const errors: FieldErrors = {};
      if (await tx.count(UnitSchema, { code: input.code })) errors.code = 'people.code.taken';
      const parent = await checkParent(tx, input.parent, null);
      if ('error' in parent) errors.parent = parent.error;
      const links = await checkPredecessors(tx, input.predecessors, null);
      if ('error' in links) errors.predecessors = links.error;
      if (Object.keys(errors).length || 'error' in parent || 'error' in links) return invalid(errors);
      const unit = tx.create(UnitSchema, {
        code: input.code,
        name: input.name,
        kind: input.kind,
        parent: parent.parent,
        officialCode: input.officialCode || null,
        existsFrom: input.existsFrom,
        existsUntil: input.existsUntil,
      });
      await storeLinks(tx, unit, links.predecessors);
      audit(tx, { actorId, action: 'unit.created', entityType: 'Unit', entityId: unit.id, after: unitSnapshot(unit) });
      return ok(unit);
    }),
  );
}

/** Null when there is no such unit. */
export function updateUnit(
  em: EntityManager,
  actorId: number,
  unitCode: string,
  input: UnitChanges,
): Promise<Outcome<Unit> | null> {
  return em.transactional(async (tx) => {
    // Two concurrent moves (A under B, B under A) could each pass the cycle check; one at a time cannot.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('unit-tree'))`);
    const unit = await tx.findOne(UnitSchema, { code: unitCode }, { populate: ['parent'] });
    if (!unit) return null;
    const parent = await checkParent(tx, input.parent, unit);
    const links = await checkPredecessors(tx, input.predecessors, unit);
    if ('error' in parent || 'error' in links)
      return invalid({
        ...('error' in parent ? { parent: parent.error } : {}),
        ...('error' in links ? { predecessors: links.error } : {}),
      });
    const before = unitSnapshot(unit);
    unit.name = input.name;
    unit.kind = input.kind;
    unit.parent = parent.parent;
    unit.officialCode = input.officialCode || null;
    unit.existsFrom = input.existsFrom;
    unit.existsUntil = input.existsUntil;
    await storeLinks(tx, unit, links.predecessors);
    audit(tx, {
      actorId,
      action: 'unit.updated',
      entityType: 'Unit',
      entityId: unit.id,
      before,
      after: unitSnapshot(unit),
    });
    return ok(unit);
  });
}

export function setUnitActive(
  em: EntityManager,
  actorId: number,
  unitCode: string,
  active: boolean,
): Promise<Outcome<Unit> | null> {
  return em.transactional(async (tx) => {
    const unit = await tx.findOne(UnitSchema, { code: unitCode }, { populate: ['parent'] });
    if (!unit) return null;
    flipActive(tx, actorId, unit, active, 'Unit', unitSnapshot);
    return ok(unit);
  });
}

export function createAgency(em: EntityManager, actorId: number, input: AgencyInput): Promise<Outcome<Agency>> {
  return uniquely('code', 'people.code.taken', () =>
    em.transactional(async (tx) => {
      if (await tx.count(AgencySchema, { code: input.code })) return invalid({ code: 'people.code.taken' });
      const agency = tx.create(AgencySchema, { code: input.code, name: input.name });
      await tx.flush();
      audit(tx, {
        actorId,
        action: 'agency.created',
        entityType: 'Agency',
        entityId: agency.id,
        after: agencySnapshot(agency),
      });
      return ok(agency);
    }),
  );
}

export function updateAgency(
  em: EntityManager,
  actorId: number,
  agencyCode: string,
  input: AgencyChanges,
): Promise<Outcome<Agency> | null> {
  return em.transactional(async (tx) => {
    const agency = await tx.findOne(AgencySchema, { code: agencyCode });
    if (!agency) return null;
    const before = agencySnapshot(agency);
    agency.name = input.name;
    audit(tx, {
      actorId,
      action: 'agency.updated',
      entityType: 'Agency',
      entityId: agency.id,
      before,
      after: agencySnapshot(agency),
    });
    return ok(agency);
  });
}

export function setAgencyActive(
  em: EntityManager,
  actorId: number,
  agencyCode: string,
  active: boolean,
): Promise<Outcome<Agency> | null> {
  return em.transactional(async (tx) => {
    const agency = await tx.findOne(AgencySchema, { code: agencyCode });
    if (!agency) return null;
    flipActive(tx, actorId, agency, active, 'Agency', agencySnapshot);
    return ok(agency);
  });
}

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  active: boolean;
  parent_id: number | null;
  parent_name: string | null;
  depth: number;
}

/** Parents before their children, siblings in name order; a unit whose parent is not listed starts a new tree. */
export function inTreeOrder<T extends { id: number; parent_id: number | null }>(rows: T[]): (T & { depth: number })[] {
  const listed = new Set(rows.map((r) => r.id));
  const children = new Map<number | null, T[]>();
  for (const r of rows) {
    const key = r.parent_id !== null && listed.has(r.parent_id) ? r.parent_id : null;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const out: (T & { depth: number })[] = [];
  const seen = new Set<number>();
  const visit = (key: number | null, depth: number) => {
    for (const r of children.get(key) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ ...r, depth });
      visit(r.id, depth + 1);
    }
  };
  visit(null, 0);
  // Only a cycle written behind the portal's back leaves rows unvisited; show them rather than hide them.
  for (const r of rows) if (!seen.has(r.id)) out.push({ ...r, depth: 0 });
  return out;
}

/** The tree when unfiltered by words; matches in name order (with their parent named) when searching. */
export async function listUnits(em: EntityManager, filter: ListFilter): Promise<UnitRow[]> {
  // By name without diacritics, by the portal's code or by the official administrative code.
  const where = matchWords(filter, 'u', ['name', 'code', 'official_code']);
  const rows = await em.execute<Omit<UnitRow, 'depth'>[]>(
    `select u.id, u.code, u.name, u.kind, u.active, u.parent_id, p.name as parent_name
       from unit u left join unit p on p.id = u.parent_id
      where ${where.sql}
      order by u.name collate "vi-x-icu", u.code`,
    where.params,
  );
  return filter.q ? rows.map((r) => ({ ...r, depth: 0 })) : inTreeOrder(rows);
}

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  active: boolean;
}

export function listAgencies(em: EntityManager, filter: ListFilter): Promise<AgencyRow[]> {
  const where = matchWords(filter, 'a', ['name', 'code']);
  return em.execute<AgencyRow[]>(
    `select a.id, a.code, a.name, a.active from agency a where ${where.sql} order by a.name collate "vi-x-icu", a.code`,
    where.params,
  );
}

export interface Choice {
  code: string;
  name: string;
  active: boolean;
  depth: number;
}

/** Units to pick from, as a tree; `outside` leaves out a unit and everything under it (it cannot be their child). */
export async function unitChoices(
  em: EntityManager,
  opts: { activeOnly: boolean; outside?: string },
): Promise<Choice[]> {
  const rows = await em.execute<
    { id: number; parent_id: number | null; code: string; name: string; active: boolean }[]
  >(
    `select id, parent_id, code, name, active from unit where active or not ?::boolean order by name collate "vi-x-icu", code`,
    [opts.activeOnly],
  );
  const tree = inTreeOrder(rows);
  const start = tree.findIndex((r) => r.code === opts.outside);
  if (start < 0) return tree;
  let end = start + 1;
  while (end < tree.length && tree[end].depth > tree[start].depth) end++;
  return [...tree.slice(0, start), ...tree.slice(end)];
}

export function agencyChoices(em: EntityManager): Promise<Choice[]> {
  return em.execute<Choice[]>(
    `select code, name, active, 0 as depth from agency where active order by name collate "vi-x-icu", code`,
  );
}

/** The list of unit types (xã, phường, đặc khu … then those the secretariat added), so one type is spelled one way. */
export async function unitKinds(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ name: string }[]>('select name from unit_kind order by position, name');
  return rows.map((r) => r.name);
}

/** The active agencies, by name, to assign criteria to. */
export function activeAgencies(em: EntityManager) {
  return em.execute<{ id: number; name: string }[]>(
    'select id, name from agency where active order by name collate "vi-x-icu"',
  );
}

/** A unit by its code, with its parent. */
export function findUnit(em: EntityManager, code: string): Promise<Unit | null> {
  return em.findOne(UnitSchema, { code }, { populate: ['parent'] });
}

/** An agency by its code. */
export function findAgency(em: EntityManager, code: string): Promise<Agency | null> {
  return em.findOne(AgencySchema, { code });
}
