import type { EntityManager } from '@mikro-orm/postgresql';
import { firstRow, tables } from '../../db/kysely.ts';

export interface SignInAccount {
  id: number;
  passwordHash: string;
  active: boolean;
}

/** The account a username names, for the sign-in to check its password; null when there is none. */
export async function findSignInAccount(em: EntityManager, username: string): Promise<SignInAccount | null> {
  return firstRow(
    em,
    tables(em)
      .selectFrom('app_user')
      .select(['id', 'password_hash as passwordHash', 'active'])
      .where('username', '=', username),
  );
}
