// Sessions live in PostgreSQL: the cookie carries a random token and the table only its SHA-256. A visitor without the
// cookie never causes a row to be written.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows, tables } from '../../db/kysely.ts';
import type { Language } from '../../domain/language.ts';
import { areasOf, type CurrentUser, type Grant } from '../../domain/permissions.ts';
import type { Role } from '../../domain/workflow.ts';
import { councilGrantRole } from '../council/members.ts';

/** A session ends after this long without a request. */
const idleHours = 12;
/** A session's last-seen time is written at most this often, not on every request. */
const touchEveryMs = 5 * 60_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

interface SessionRow {
  session_id: string;
  last_seen_at: Date;
  user_id: number;
  username: string;
  full_name: string;
  language: Language;
  grants: Grant[] | null;
  must_change_password: boolean;
  unread_notices: number;
}

/**
 * The live session a cookie's token names and its active user, or null (unknown, expired, or the user deactivated).
 * A session seen more than five minutes ago is kept alive for another `idleHours`.
 */
export async function lookUpSession(
  em: EntityManager,
  token: string,
): Promise<{ id: string; user: CurrentUser } | null> {
  const id = digest(token);
  const [row] = await em.execute<SessionRow[]>(
    `select s.id as session_id, s.last_seen_at, u.id as user_id, u.username, u.full_name, u.language, u.must_change_password,
            (select json_agg(g) from (
               select json_build_object('role', r.role, 'unitId', r.unit_id, 'agencyId', r.agency_id) as g
                 from role_assignment r where r.user_id = u.id
               union all
               -- Being recorded in a campaign's council or working group is holding its role for that campaign.
               select json_build_object('role', ${councilGrantRole}, 'unitId', null, 'agencyId', null, 'campaignId', m.campaign_id)
                 from council_member m where m.user_id = u.id) x) as grants,
            (select count(*)::int from notice n where n.recipient_id = u.id and n.read_at is null) as unread_notices
       from user_session s join app_user u on u.id = s.user_id
      where s.id = ? and s.expires_at > now() and u.active`,
    [id],
  );
  if (!row) return null;
  const grants = (row.grants ?? []).map((g) => ({
    role: g.role as Role,
    unitId: g.unitId,
    agencyId: g.agencyId,
    ...(g.campaignId ? { campaignId: g.campaignId } : {}),
  }));
  const user: CurrentUser = {
    id: row.user_id,
    username: row.username,
    fullName: row.full_name,
    language: row.language,
    grants,
    areas: areasOf(grants),
    mustChangePassword: row.must_change_password,
    unreadNotices: row.unread_notices,
  };
  if (Date.now() - new Date(row.last_seen_at).getTime() > touchEveryMs) {
    await em.execute(
      `update user_session set last_seen_at = now(), expires_at = now() + interval '${idleHours} hours' where id = ?`,
      [id],
    );
  }
  return { id, user };
}

/**
 * A new session for the user, ending the one the request came with (a session id planted before sign-in is worth
 * nothing after it) and clearing expired ones. Returns the token for the cookie.
 */
export async function startSession(em: EntityManager, userId: number, previousId: string | null): Promise<string> {
  if (previousId) await endSession(em, previousId);
  const token = randomBytes(32).toString('base64url');
  await em.execute(
    `insert into user_session (id, user_id, created_at, last_seen_at, expires_at) values (?, ?, now(), now(), now() + interval '${idleHours} hours')`,
    [digest(token), userId],
  );
  await em.execute('delete from user_session where expires_at < now()');
  return token;
}

export async function endSession(em: EntityManager, id: string): Promise<void> {
  await rows(em, tables(em).deleteFrom('user_session').where('id', '=', id));
}
