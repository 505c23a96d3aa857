import type { EntityManager } from '@mikro-orm/postgresql';

export interface SignInAccount { id: number; passwordHash: string; active: boolean }

/** The account a username names, for the sign-in to check its password; null when there is none. */
export async function findSignInAccount(em: EntityManager, username: string): Promise<SignInAccount | null> {
  const [row] = await em.execute<SignInAccount[]>(
    'select id, password_hash as "passwordHash", active from app_user where username = ?', [username]);
  return row ?? null;
}
