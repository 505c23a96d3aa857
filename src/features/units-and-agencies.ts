// The secretariat's units (đơn vị, the assessed bodies, as a tree) and agencies (cơ quan thẩm định, the appraising
// bodies): forms, creation and changes (audited), lists and the choices offered in forms.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import { AgencySchema, UnitSchema, type Agency, type Unit } from '../db/entities/index.ts';
import { invalid, ok, type FieldErrors, type Outcome } from './outcome.ts';
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
export const unitForm = z.object({
  code,
  name,
  kind: z.preprocess(asText, text().max(64, 'people.kind.tooLong')),
  parent: choice,
});
export const unitEditForm = unitForm.omit({ code: true });
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
  active: u.active,
});
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
      if (Object.keys(errors).length || 'error' in parent) return invalid(errors);
      const unit = tx.create(UnitSchema, {
        code: input.code,
        name: input.name,
        kind: input.kind,
        parent: parent.parent,
      });
      await tx.flush();
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
    if ('error' in parent) return invalid({ parent: parent.error });
    const before = unitSnapshot(unit);
    unit.name = input.name;
    unit.kind = input.kind;
    unit.parent = parent.parent;
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
  const where = matchWords(filter, 'u', ['name', 'code']);
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

/** Kinds already in use, offered as suggestions so that one kind is not spelled three ways. */
export async function unitKinds(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ kind: string }[]>(
    `select kind from unit where kind <> '' group by kind order by kind collate "vi-x-icu"`,
  );
  return rows.map((r) => r.kind);
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
