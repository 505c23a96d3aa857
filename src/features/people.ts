import { randomInt } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import {
  AgencySchema, RoleAssignmentSchema, SessionSchema, UnitSchema, UserSchema, roles,
  type Agency, type Role, type RoleAssignment, type Unit, type User,
} from '../db/entities/index.ts';
import { timeZone } from '../domain/dates.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { invalid, ok, type FieldErrors, type Outcome } from './outcome.ts';

// Forms. A missing field reads as empty, so that it gets the field's own message rather than zod's type error.
const asText = (v: unknown) => (typeof v === 'string' ? v : '');
const text = () => z.string().trim().normalize('NFC');
const code = z.preprocess(asText, z.string().trim().toLowerCase()
  .min(1, 'people.code.required').max(64, 'people.code.tooLong').regex(/^[a-z0-9-]+$/, 'people.code.format'));
const name = z.preprocess(asText, text().min(1, 'people.name.required').max(255, 'people.name.tooLong'));
const choice = z.preprocess(asText, z.string().trim());

export { minPasswordLength } from './passwords.ts';

export const unitForm = z.object({
  code,
  name,
  kind: z.preprocess(asText, text().max(64, 'people.kind.tooLong')),
  parent: choice,
});
export const unitEditForm = unitForm.omit({ code: true });
export const agencyForm = z.object({ code, name });
export const agencyEditForm = agencyForm.omit({ code: true });
export const activeForm = z.object({ active: z.preprocess(asText, z.enum(['true', 'false'], { error: 'people.active.invalid' })) });
export const userForm = z.object({
  username: z.preprocess(asText, z.string().trim().toLowerCase()
    .min(1, 'people.username.required').max(64, 'people.username.tooLong').regex(/^[a-z0-9._-]+$/, 'people.username.format')
    // '.' and '..' would be read as path steps in /admin/users/:username.
    .regex(/[a-z0-9]/, 'people.username.format')),
  fullName: z.preprocess(asText, text().min(1, 'people.fullName.required').max(255, 'people.fullName.tooLong')),
  // Not trimmed: a password is whatever was typed. Empty means "generate one". The policy is checked here, so that its
  // message comes with the other fields' ones, and again with the username in createUser.
  password: z.preprocess(asText, z.string().superRefine((p, ctx) => {
    const problem = p === '' ? null : passwordProblem(p, '');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })),
});
export const roleForm = z.object({
  role: z.preprocess(asText, z.enum(roles, { error: 'people.role.required' })),
  unit: choice,
  agency: choice,
});

export type UnitInput = z.infer<typeof unitForm>;
export type UnitChanges = z.infer<typeof unitEditForm>;
export type AgencyInput = z.infer<typeof agencyForm>;
export type AgencyChanges = z.infer<typeof agencyEditForm>;
export type UserInput = z.infer<typeof userForm>;
export type RoleInput = z.infer<typeof roleForm>;

const unitRoles: readonly Role[] = ['officer', 'head', 'contributor'];

/** Readable aloud and unambiguous when copied from a screen: no 0/o, 1/l/i. 16 of 31 symbols ≈ 79 bits. */
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join(''));
  return groups.join('-');
}

/** The pre-check gives the message; this catches the rare concurrent insert that slips between check and commit. */
async function uniquely<T>(field: string, key: string, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return invalid({ [field]: key });
    throw err;
  }
}

const unitSnapshot = (u: Unit) => ({ code: u.code, name: u.name, kind: u.kind, parent: u.parent?.code ?? null, active: u.active });
const agencySnapshot = (a: Agency) => ({ code: a.code, name: a.name, active: a.active });
// Never the password nor its hash: the audit log is read by people who must not learn either.
const userSnapshot = (u: User) => ({ username: u.username, fullName: u.fullName, active: u.active });
const grantSnapshot = (r: RoleAssignment) => ({ id: r.id, role: r.role, unit: r.unit?.code ?? null, agency: r.agency?.code ?? null });

/** Finds the chosen parent and refuses one that would put the unit under itself. */
async function checkParent(tx: EntityManager, parentCode: string, unit: Unit | null): Promise<{ parent: Unit | null } | { error: string }> {
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
function flipActive<T extends { id: number; active: boolean }>(tx: EntityManager, actorId: number, record: T, active: boolean, entityType: 'Unit' | 'Agency', snapshot: (r: T) => object) {
  if (record.active === active) return;
  const before = snapshot(record);
  record.active = active;
  const action = `${entityType.toLowerCase()}.${active ? 'reactivated' : 'deactivated'}`;
  audit(tx, { actorId, action, entityType, entityId: record.id, before, after: snapshot(record) });
}

export function createUnit(em: EntityManager, actorId: number, input: UnitInput): Promise<Outcome<Unit>> {
  return uniquely('code', 'people.code.taken', () => em.transactional(async (tx) => {
    const errors: FieldErrors = {};
    if (await tx.count(UnitSchema, { code: input.code })) errors.code = 'people.code.taken';
    const parent = await checkParent(tx, input.parent, null);
    if ('error' in parent) errors.parent = parent.error;
    if (Object.keys(errors).length || 'error' in parent) return invalid(errors);
    const unit = tx.create(UnitSchema, { code: input.code, name: input.name, kind: input.kind, parent: parent.parent });
    await tx.flush();
    audit(tx, { actorId, action: 'unit.created', entityType: 'Unit', entityId: unit.id, after: unitSnapshot(unit) });
    return ok(unit);
  }));
}

/** Null when there is no such unit. */
export function updateUnit(em: EntityManager, actorId: number, unitCode: string, input: UnitChanges): Promise<Outcome<Unit> | null> {
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
    audit(tx, { actorId, action: 'unit.updated', entityType: 'Unit', entityId: unit.id, before, after: unitSnapshot(unit) });
    return ok(unit);
  });
}

export function setUnitActive(em: EntityManager, actorId: number, unitCode: string, active: boolean): Promise<Outcome<Unit> | null> {
  return em.transactional(async (tx) => {
    const unit = await tx.findOne(UnitSchema, { code: unitCode }, { populate: ['parent'] });
    if (!unit) return null;
    flipActive(tx, actorId, unit, active, 'Unit', unitSnapshot);
    return ok(unit);
  });
}

export function createAgency(em: EntityManager, actorId: number, input: AgencyInput): Promise<Outcome<Agency>> {
  return uniquely('code', 'people.code.taken', () => em.transactional(async (tx) => {
    if (await tx.count(AgencySchema, { code: input.code })) return invalid({ code: 'people.code.taken' });
    const agency = tx.create(AgencySchema, { code: input.code, name: input.name });
    await tx.flush();
    audit(tx, { actorId, action: 'agency.created', entityType: 'Agency', entityId: agency.id, after: agencySnapshot(agency) });
    return ok(agency);
  }));
}

export function updateAgency(em: EntityManager, actorId: number, agencyCode: string, input: AgencyChanges): Promise<Outcome<Agency> | null> {
  return em.transactional(async (tx) => {
    const agency = await tx.findOne(AgencySchema, { code: agencyCode });
    if (!agency) return null;
    const before = agencySnapshot(agency);
    agency.name = input.name;
    audit(tx, { actorId, action: 'agency.updated', entityType: 'Agency', entityId: agency.id, before, after: agencySnapshot(agency) });
    return ok(agency);
  });
}

export function setAgencyActive(em: EntityManager, actorId: number, agencyCode: string, active: boolean): Promise<Outcome<Agency> | null> {
  return em.transactional(async (tx) => {
    const agency = await tx.findOne(AgencySchema, { code: agencyCode });
    if (!agency) return null;
    flipActive(tx, actorId, agency, active, 'Agency', agencySnapshot);
    return ok(agency);
  });
}

/** `password` is the generated one, to be shown once and then forgotten; null when the admin typed one. */
export interface NewPassword<T> { user: T; password: string | null }

/** The password given here is temporary either way: the person must choose their own at the first sign-in. */
export async function createUser(em: EntityManager, actorId: number, input: UserInput): Promise<Outcome<NewPassword<User>>> {
  const weak = input.password === '' ? null : passwordProblem(input.password, input.username);
  if (weak) return invalid({ password: weak });
  const generated = input.password === '' ? generatePassword() : null;
  // Hashing is slow on purpose; doing it before the transaction keeps the transaction short.
  const passwordHash = await hashPassword(generated ?? input.password);
  return uniquely('username', 'people.username.taken', () => em.transactional(async (tx) => {
    if (await tx.count(UserSchema, { username: input.username })) return invalid({ username: 'people.username.taken' });
    const user = tx.create(UserSchema, { username: input.username, fullName: input.fullName, passwordHash, mustChangePassword: true });
    await tx.flush();
    audit(tx, { actorId, action: 'user.created', entityType: 'User', entityId: user.id, after: { ...userSnapshot(user), passwordGenerated: generated !== null, mustChangePassword: true } });
    return ok({ user, password: generated });
  }));
}

/**
 * A new generated temporary password (to be changed at the next sign-in); the old one and every open session of the user stop working, except `keepSession`
 * (the admin's own, when resetting their own password, so that they are still there to read the new one).
 */
export async function resetPassword(em: EntityManager, actorId: number, username: string, keepSession: string | null = null): Promise<Outcome<NewPassword<User>> | null> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    // A secretary resetting their own password is the only one to see the new one: it is theirs, not temporary
    // (and a flag would send their kept session away from the page that shows it).
    const mustChangePassword = user.id !== actorId;
    await tx.nativeUpdate(UserSchema, { id: user.id }, { passwordHash, mustChangePassword });
    const sessionsEnded = await tx.nativeDelete(SessionSchema, keepSession ? { user: user.id, id: { $ne: keepSession } } : { user: user.id });
    audit(tx, { actorId, action: 'user.password-reset', entityType: 'User', entityId: user.id, after: { passwordGenerated: true, mustChangePassword, sessionsEnded } });
    return ok({ user, password });
  });
}

export function setUserActive(em: EntityManager, actorId: number, username: string, active: boolean): Promise<Outcome<User> | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    if (!active && user.id === actorId) return invalid({ active: 'people.user.selfDeactivate' });
    if (user.active === active) return ok(user);
    const before = userSnapshot(user);
    user.active = active;
    // The session check already ignores inactive users; deleting the rows as well leaves nothing to revive.
    const sessionsEnded = active ? 0 : await tx.nativeDelete(SessionSchema, { user: user.id });
    audit(tx, { actorId, action: active ? 'user.reactivated' : 'user.deactivated', entityType: 'User', entityId: user.id, before, after: { ...userSnapshot(user), sessionsEnded } });
    return ok(user);
  });
}

/** One side of a role's pairing: a known, active record when the role needs one, nothing when it does not. */
async function pairedWith<T extends { active: boolean }>(needed: boolean, code: string, side: 'unit' | 'agency', find: () => Promise<T | null>): Promise<{ found: T | null; error?: string }> {
  if (!needed) return code ? { found: null, error: `people.role.${side}Unwanted` } : { found: null };
  if (!code) return { found: null, error: `people.role.${side}Required` };
  const found = await find();
  if (!found) return { found: null, error: `people.role.${side}Unknown` };
  return found.active ? { found } : { found: null, error: `people.role.${side}Inactive` };
}

/** A unit role gets an active unit, an appraiser an active agency, the others neither. */
async function checkPairing(tx: EntityManager, input: RoleInput): Promise<{ unit: Unit | null; agency: Agency | null; errors: FieldErrors }> {
  const unit = await pairedWith(unitRoles.includes(input.role), input.unit, 'unit', () => tx.findOne(UnitSchema, { code: input.unit }));
  const agency = await pairedWith(input.role === 'appraiser', input.agency, 'agency', () => tx.findOne(AgencySchema, { code: input.agency }));
  const errors: FieldErrors = {};
  if (unit.error) errors.unit = unit.error;
  if (agency.error) errors.agency = agency.error;
  return { unit: unit.found, agency: agency.found, errors };
}

export function assignRole(em: EntityManager, actorId: number, username: string, input: RoleInput): Promise<Outcome<RoleAssignment> | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    const { unit, agency, errors } = await checkPairing(tx, input);
    if (Object.keys(errors).length) return invalid(errors);
    if (await tx.count(RoleAssignmentSchema, { user, role: input.role, unit, agency })) return invalid({ role: 'people.role.duplicate' });
    const grant = tx.create(RoleAssignmentSchema, { user, role: input.role, unit, agency });
    await tx.flush();
    audit(tx, { actorId, action: 'user.role-assigned', entityType: 'User', entityId: user.id, after: grantSnapshot(grant) });
    return ok(grant);
  });
}

export function removeRole(em: EntityManager, actorId: number, username: string, grantId: number): Promise<Outcome<RoleAssignment> | null> {
  return em.transactional(async (tx) => {
    const grant = await tx.findOne(RoleAssignmentSchema, { id: grantId, user: { username } }, { populate: ['user', 'unit', 'agency'] });
    if (!grant) return null;
    // Like self-deactivation: the secretariat must not lock itself out of the page that could undo it.
    if (grant.role === 'admin' && grant.user.id === actorId) return invalid({ roles: 'people.role.selfAdmin' });
    const before = grantSnapshot(grant);
    tx.remove(grant);
    audit(tx, { actorId, action: 'user.role-removed', entityType: 'User', entityId: grant.user.id, before });
    return ok(grant);
  });
}

// Lists. Searches ignore case and diacritics; every list sorts as a Vietnamese reader expects.

export const statuses = ['active', 'inactive', 'all'] as const;
export type Status = (typeof statuses)[number];
export interface ListFilter { q: string; status: Status }

export function listFilter(query: unknown): ListFilter {
  const { q, status } = (query ?? {}) as Record<string, unknown>;
  return {
    q: typeof q === 'string' ? q.normalize('NFC').trim().slice(0, 100) : '',
    status: statuses.find((s) => s === status) ?? 'active',
  };
}

/** Each word must appear in one of the columns: "bo nhieu" finds "Bộc Nhiêu", whose words are not adjacent in it. */
function matchWords(filter: ListFilter, table: string, columns: string[]): { sql: string; params: unknown[] } {
  const words = filter.q.split(/\s+/).filter(Boolean).slice(0, 8);
  const clauses = [filter.status === 'all' ? 'true' : `${table}.active = ${filter.status === 'active'}`];
  const params: unknown[] = [];
  for (const word of words) {
    // f_unaccent(lower(col)) is what the trigram index holds; ilike also covers a server whose lower() is ASCII-only.
    clauses.push(`(${columns.map((c) => `f_unaccent(lower(${table}.${c})) ilike f_unaccent(lower(?))`).join(' or ')})`);
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(...columns.map(() => pattern));
  }
  return { sql: clauses.join(' and '), params };
}

export interface UnitRow {
  id: number; code: string; name: string; kind: string; active: boolean;
  parent_id: number | null; parent_name: string | null; depth: number;
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

export interface AgencyRow { id: number; code: string; name: string; active: boolean }

export function listAgencies(em: EntityManager, filter: ListFilter): Promise<AgencyRow[]> {
  const where = matchWords(filter, 'a', ['name', 'code']);
  return em.execute<AgencyRow[]>(
    `select a.id, a.code, a.name, a.active from agency a where ${where.sql} order by a.name collate "vi-x-icu", a.code`,
    where.params,
  );
}

export interface GrantRow { id: number; role: Role; unit_code: string | null; unit_name: string | null; agency_code: string | null; agency_name: string | null }
/** `created_on` is the calendar day in Vietnam (yyyy-mm-dd): raw queries read timestamps back as text. */
export interface UserRow { id: number; username: string; full_name: string; active: boolean; created_on: string; roles: GrantRow[] }

const grantsOf = (userColumn: string) => `coalesce((
  select json_agg(json_build_object('id', r.id, 'role', r.role, 'unit_code', un.code, 'unit_name', un.name,
                                    'agency_code', ag.code, 'agency_name', ag.name) order by r.id)
    from role_assignment r left join unit un on un.id = r.unit_id left join agency ag on ag.id = r.agency_id
   where r.user_id = ${userColumn}), '[]'::json)`;

const createdOn = `to_char(u.created_at at time zone '${timeZone}', 'YYYY-MM-DD') as created_on`;

export function listUsers(em: EntityManager, filter: ListFilter): Promise<UserRow[]> {
  const where = matchWords(filter, 'u', ['full_name', 'username']);
  return em.execute<UserRow[]>(
    `select u.id, u.username, u.full_name, u.active, ${createdOn}, ${grantsOf('u.id')} as roles
       from app_user u where ${where.sql}
      order by u.full_name collate "vi-x-icu", u.username`,
    where.params,
  );
}

export async function findUser(em: EntityManager, username: string): Promise<UserRow | null> {
  const [row] = await em.execute<UserRow[]>(
    `select u.id, u.username, u.full_name, u.active, ${createdOn}, ${grantsOf('u.id')} as roles from app_user u where u.username = ?`,
    [username],
  );
  return row ?? null;
}

export interface Choice { code: string; name: string; active: boolean; depth: number }

/** Units to pick from, as a tree; `outside` leaves out a unit and everything under it (it cannot be their child). */
export async function unitChoices(em: EntityManager, opts: { activeOnly: boolean; outside?: string }): Promise<Choice[]> {
  const rows = await em.execute<{ id: number; parent_id: number | null; code: string; name: string; active: boolean }[]>(
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
  return em.execute<Choice[]>(`select code, name, active, 0 as depth from agency where active order by name collate "vi-x-icu", code`);
}

/** Kinds already in use, offered as suggestions so that one kind is not spelled three ways. */
export async function unitKinds(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ kind: string }[]>(`select kind from unit where kind <> '' group by kind order by kind collate "vi-x-icu"`);
  return rows.map((r) => r.kind);
}
