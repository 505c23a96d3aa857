import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { audit } from '../../db/audit.ts';
import { RoleAssignmentSchema, SessionSchema, UserSchema, type User } from '../../db/entities/index.ts';
import { invalid, ok, type Outcome } from '../outcome.ts';
import { hashPassword, maxPasswordLength, passwordMatches, passwordProblem } from './passwords.ts';
import { userForm } from '../users.ts';

// Accounts: the first secretariat account of a new installation, and everyone's own password.

type FieldErrors = Record<string, string>;
const asText = (v: unknown) => (typeof v === 'string' ? v : '');
const secret = () => z.preprocess(asText, z.string().max(maxPasswordLength, 'password.tooLong'));

/** The first account's form: who, and a password of their own choosing typed twice. */
export const firstAdminForm = userForm
  .pick({ username: true, fullName: true })
  .extend({ password: secret(), repeat: secret() });
export type FirstAdminInput = z.infer<typeof firstAdminForm>;

export const passwordChangeForm = z.object({ current: secret(), password: secret(), repeat: secret() });
export type PasswordChangeInput = z.infer<typeof passwordChangeForm>;

/** How long a printed set-up address works. */
export const setupTokenHours = 24;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
/** One installation's first account at a time: the set-up page and create-admin take this lock. */
const lockFirstAdmin = (tx: EntityManager) => tx.execute(`select pg_advisory_xact_lock(hashtext('first-admin'))`);

/** The new password's own problems (policy, repetition), keyed by field. */
export function newPasswordErrors(password: string, repeat: string, username: string): FieldErrors {
  const problem = passwordProblem(password, username);
  if (problem) return { password: problem };
  return password === repeat ? {} : { repeat: 'password.mismatch' };
}

/**
 * A one-time set-up address for an installation without any user: a random token whose SHA-256 alone is kept, good
 * for `setupTokenHours` or until used. Each call replaces the unused ones, so only the newest printed address works.
 * Null when someone already has an account.
 */
export function issueSetupToken(em: EntityManager): Promise<string | null> {
  return em.fork().transactional(async (tx) => {
    await lockFirstAdmin(tx);
    if (await tx.count(UserSchema, {})) return null;
    const token = randomBytes(32).toString('base64url');
    await tx.execute('delete from setup_token where used_at is null');
    await tx.execute(
      `insert into setup_token (token_hash, expires_at) values (?, now() + interval '${setupTokenHours} hours')`,
      [digest(token)],
    );
    return token;
  });
}

/** Whether `token` opens the set-up page: issued, unused, unexpired, and no secretariat account exists yet. */
export async function setupTokenUsable(em: EntityManager, token: string): Promise<boolean> {
  const [row] = await em.execute<{ usable: boolean }[]>(
    `select exists (select 1 from setup_token where token_hash = ? and used_at is null and expires_at > now())
        and not exists (select 1 from role_assignment where role = 'admin') as usable`,
    [digest(token)],
  );
  return row?.usable ?? false;
}

export type FirstAdminRefusal = 'admin-exists' | 'token-unusable';

/**
 * Creates the first secretariat account with the person's own password (no change demanded at sign-in). Refused once
 * any secretariat account exists; through the set-up address (`token`), also when the token is used or expired.
 */
export async function createFirstAdmin(
  em: EntityManager,
  input: FirstAdminInput,
  via: { token: string } | 'command line',
): Promise<Outcome<User> | FirstAdminRefusal> {
  const errors = newPasswordErrors(input.password, input.repeat, input.username);
  if (Object.keys(errors).length) return invalid(errors);
  const passwordHash = await hashPassword(input.password);
  return em.fork().transactional(async (tx): Promise<Outcome<User> | FirstAdminRefusal> => {
    await lockFirstAdmin(tx);
    if (await tx.count(RoleAssignmentSchema, { role: 'admin' })) return 'admin-exists';
    if (via !== 'command line') {
      const used = await tx.execute<{ id: number }[]>(
        'update setup_token set used_at = now() where token_hash = ? and used_at is null and expires_at > now() returning id',
        [digest(via.token)],
      );
      if (!used.length) return 'token-unusable';
    }
    if (await tx.count(UserSchema, { username: input.username })) return invalid({ username: 'people.username.taken' });
    const user = tx.create(UserSchema, {
      username: input.username,
      fullName: input.fullName,
      passwordHash,
      mustChangePassword: false,
    });
    tx.create(RoleAssignmentSchema, { user, role: 'admin' });
    await tx.flush();
    audit(tx, {
      actorId: null,
      action: 'user.first-admin-created',
      entityType: 'User',
      entityId: user.id,
      after: {
        username: user.username,
        fullName: user.fullName,
        role: 'admin',
        via: via === 'command line' ? via : 'set-up address',
      },
    });
    return ok(user);
  });
}

/**
 * A signed-in person's own new password: the current one must be right, the new one pass the policy and be typed
 * twice alike. Clears a temporary password's flag and ends the person's other sessions (`keepSession` stays).
 */
export async function changeOwnPassword(
  em: EntityManager,
  user: { id: number; username: string },
  keepSession: string | null,
  input: PasswordChangeInput,
): Promise<Outcome<null>> {
  const errors: FieldErrors = input.current === '' ? { current: 'password.currentRequired' } : {};
  Object.assign(errors, newPasswordErrors(input.password, input.repeat, user.username));
  const [row] = await em.execute<{ password_hash: string }[]>('select password_hash from app_user where id = ?', [
    user.id,
  ]);
  // The current password is checked even when the new one is refused, so that both messages come at once.
  if (!errors.current && !(await passwordMatches(row?.password_hash ?? '', input.current)))
    errors.current = 'password.currentWrong';
  if (!errors.current && !errors.password && input.password === input.current) errors.password = 'password.same';
  if (Object.keys(errors).length) return invalid(errors);
  const passwordHash = await hashPassword(input.password);
  return em.fork().transactional(async (tx) => {
    await tx.nativeUpdate(UserSchema, { id: user.id }, { passwordHash, mustChangePassword: false });
    const sessionsEnded = await tx.nativeDelete(
      SessionSchema,
      keepSession ? { user: user.id, id: { $ne: keepSession } } : { user: user.id },
    );
    audit(tx, {
      actorId: user.id,
      action: 'user.password-changed',
      entityType: 'User',
      entityId: user.id,
      after: { sessionsEnded },
    });
    return ok(null);
  });
}
