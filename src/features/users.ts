// The secretariat's users: forms, creation (with a temporary password), password resets, deactivation, role
// assignments (audited), and the list of users with their roles.
import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { audit } from '../db/audit.ts';
import {
  AgencySchema,
  RoleAssignmentSchema,
  SessionSchema,
  UnitSchema,
  UserSchema,
  type Agency,
  type RoleAssignment,
  type Unit,
  type User,
} from '../db/entities/index.ts';
import { roles, type Role } from '../domain/workflow.ts';
import { timeZone } from '../domain/dates.ts';
import { invalid, ok, type FieldErrors, type Outcome } from './outcome.ts';
import { hashPassword, passwordProblem } from './auth/passwords.ts';
import { asText, choice, matchWords, text, uniquely, type ListFilter } from './records.ts';

export { minPasswordLength } from './auth/passwords.ts';

export const userForm = z.object({
  username: z.preprocess(
    asText,
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'people.username.required')
      .max(64, 'people.username.tooLong')
      .regex(/^[a-z0-9._-]+$/, 'people.username.format')
      // '.' and '..' would be read as path steps in /admin/users/:username.
      .regex(/[a-z0-9]/, 'people.username.format'),
  ),
  fullName: z.preprocess(asText, text().min(1, 'people.fullName.required').max(255, 'people.fullName.tooLong')),
  // Not trimmed: a password is whatever was typed. Empty means "generate one". The policy is checked here, so that its
  // message comes with the other fields' ones, and again with the username in createUser.
  password: z.preprocess(
    asText,
    z.string().superRefine((p, ctx) => {
      const problem = p === '' ? null : passwordProblem(p, '');
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
});
export const roleForm = z.object({
  role: z.preprocess(asText, z.enum(roles, { error: 'people.role.required' })),
  unit: choice,
  agency: choice,
});

export type UserInput = z.infer<typeof userForm>;
export type RoleInput = z.infer<typeof roleForm>;

const unitRoles: readonly Role[] = ['officer', 'head', 'contributor'];

/** Readable aloud and unambiguous when copied from a screen: no 0/o, 1/l/i. 16 of 31 symbols ≈ 79 bits. */
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join(''),
  );
  return groups.join('-');
}

// Never the password nor its hash: the audit log is read by people who must not learn either.
const userSnapshot = (u: User) => ({ username: u.username, fullName: u.fullName, active: u.active });
const grantSnapshot = (r: RoleAssignment) => ({
  id: r.id,
  role: r.role,
  unit: r.unit?.code ?? null,
  agency: r.agency?.code ?? null,
});

/** `password` is the generated one, to be shown once and then forgotten; null when the admin typed one. */
export interface NewPassword<T> {
  user: T;
  password: string | null;
}

/** The password given here is temporary either way: the person must choose their own at the first sign-in. */
export async function createUser(
  em: EntityManager,
  actorId: number,
  input: UserInput,
): Promise<Outcome<NewPassword<User>>> {
  const weak = input.password === '' ? null : passwordProblem(input.password, input.username);
  if (weak) return invalid({ password: weak });
  const generated = input.password === '' ? generatePassword() : null;
  // Hashing is slow on purpose; doing it before the transaction keeps the transaction short.
  const passwordHash = await hashPassword(generated ?? input.password);
  return uniquely('username', 'people.username.taken', () =>
    em.transactional(async (tx) => {
      if (await tx.count(UserSchema, { username: input.username }))
        return invalid({ username: 'people.username.taken' });
      const user = tx.create(UserSchema, {
        username: input.username,
        fullName: input.fullName,
        passwordHash,
        mustChangePassword: true,
      });
      await tx.flush();
      audit(tx, {
        actorId,
        action: 'user.created',
        entityType: 'User',
        entityId: user.id,
        after: { ...userSnapshot(user), passwordGenerated: generated !== null, mustChangePassword: true },
      });
      return ok({ user, password: generated });
    }),
  );
}

/**
 * A new generated temporary password (to be changed at the next sign-in); the old one and every open session of the user stop working, except `keepSession`
 * (the admin's own, when resetting their own password, so that they are still there to read the new one).
 */
export async function resetPassword(
  em: EntityManager,
  actorId: number,
  username: string,
  keepSession: string | null = null,
): Promise<Outcome<NewPassword<User>> | null> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    // A secretary resetting their own password is the only one to see the new one: it is theirs, not temporary
    // (and a flag would send their kept session away from the page that shows it).
    const mustChangePassword = user.id !== actorId;
    await tx.nativeUpdate(UserSchema, { id: user.id }, { passwordHash, mustChangePassword });
    const sessionsEnded = await tx.nativeDelete(
      SessionSchema,
      keepSession ? { user: user.id, id: { $ne: keepSession } } : { user: user.id },
    );
    audit(tx, {
      actorId,
      action: 'user.password-reset',
      entityType: 'User',
      entityId: user.id,
      after: { passwordGenerated: true, mustChangePassword, sessionsEnded },
    });
    return ok({ user, password });
  });
}

export function setUserActive(
  em: EntityManager,
  actorId: number,
  username: string,
  active: boolean,
): Promise<Outcome<User> | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    if (!active && user.id === actorId) return invalid({ active: 'people.user.selfDeactivate' });
    if (user.active === active) return ok(user);
    const before = userSnapshot(user);
    user.active = active;
    // The session check already ignores inactive users; deleting the rows as well leaves nothing to revive.
    const sessionsEnded = active ? 0 : await tx.nativeDelete(SessionSchema, { user: user.id });
    audit(tx, {
      actorId,
      action: active ? 'user.reactivated' : 'user.deactivated',
      entityType: 'User',
      entityId: user.id,
      before,
      after: { ...userSnapshot(user), sessionsEnded },
    });
    return ok(user);
  });
}

/** One side of a role's pairing: a known, active record when the role needs one, nothing when it does not. */
async function pairedWith<T extends { active: boolean }>(
  needed: boolean,
  code: string,
  side: 'unit' | 'agency',
  find: () => Promise<T | null>,
): Promise<{ found: T | null; error?: string }> {
  if (!needed) return code ? { found: null, error: `people.role.${side}Unwanted` } : { found: null };
  if (!code) return { found: null, error: `people.role.${side}Required` };
  const found = await find();
  if (!found) return { found: null, error: `people.role.${side}Unknown` };
  return found.active ? { found } : { found: null, error: `people.role.${side}Inactive` };
}

/** A unit role gets an active unit, an appraiser an active agency, the others neither. */
async function checkPairing(
  tx: EntityManager,
  input: RoleInput,
): Promise<{ unit: Unit | null; agency: Agency | null; errors: FieldErrors }> {
  const unit = await pairedWith(unitRoles.includes(input.role), input.unit, 'unit', () =>
    tx.findOne(UnitSchema, { code: input.unit }),
  );
  const agency = await pairedWith(input.role === 'appraiser', input.agency, 'agency', () =>
    tx.findOne(AgencySchema, { code: input.agency }),
  );
  const errors: FieldErrors = {};
  if (unit.error) errors.unit = unit.error;
  if (agency.error) errors.agency = agency.error;
  return { unit: unit.found, agency: agency.found, errors };
}

export function assignRole(
  em: EntityManager,
  actorId: number,
  username: string,
  input: RoleInput,
): Promise<Outcome<RoleAssignment> | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { username });
    if (!user) return null;
    const { unit, agency, errors } = await checkPairing(tx, input);
    if (Object.keys(errors).length) return invalid(errors);
    if (await tx.count(RoleAssignmentSchema, { user, role: input.role, unit, agency }))
      return invalid({ role: 'people.role.duplicate' });
    const grant = tx.create(RoleAssignmentSchema, { user, role: input.role, unit, agency });
    await tx.flush();
    audit(tx, {
      actorId,
      action: 'user.role-assigned',
      entityType: 'User',
      entityId: user.id,
      after: grantSnapshot(grant),
    });
    return ok(grant);
  });
}

export function removeRole(
  em: EntityManager,
  actorId: number,
  username: string,
  grantId: number,
): Promise<Outcome<RoleAssignment> | null> {
  return em.transactional(async (tx) => {
    const grant = await tx.findOne(
      RoleAssignmentSchema,
      { id: grantId, user: { username } },
      { populate: ['user', 'unit', 'agency'] },
    );
    if (!grant) return null;
    // Like self-deactivation: the secretariat must not lock itself out of the page that could undo it.
    if (grant.role === 'admin' && grant.user.id === actorId) return invalid({ roles: 'people.role.selfAdmin' });
    const before = grantSnapshot(grant);
    tx.remove(grant);
    audit(tx, { actorId, action: 'user.role-removed', entityType: 'User', entityId: grant.user.id, before });
    return ok(grant);
  });
}

export interface GrantRow {
  id: number;
  role: Role;
  unit_code: string | null;
  unit_name: string | null;
  agency_code: string | null;
  agency_name: string | null;
}
/** `created_on` is the calendar day in Vietnam (yyyy-mm-dd): raw queries read timestamps back as text. */
export interface UserRow {
  id: number;
  username: string;
  full_name: string;
  active: boolean;
  created_on: string;
  roles: GrantRow[];
}

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
