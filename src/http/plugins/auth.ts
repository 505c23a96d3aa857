import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Language } from '../../domain/language.ts';
import { areasOf, type Area, type CurrentUser, type Grant } from '../../domain/permissions.ts';
import type { Role } from '../../domain/workflow.ts';


declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    sessionId: string | null;
  }
  interface FastifyInstance {
    signIn(req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void>;
    signOut(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

export const sessionCookie = 'cchc_session';
const idleHours = 12;
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
}

/**
 * Sessions live in PostgreSQL: the cookie carries a random token and the table only its SHA-256.
 * A visitor without the cookie never causes a row to be written.
 */
export default fp(async function auth(app: FastifyInstance, opts: { orm: MikroORM; secureCookies: boolean }) {
  const db = opts.orm.em.getConnection();
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies };

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[sessionCookie];
    // Public pages (route config `public`) are the same for everyone: no lookup, no stale cookie cleared, no write.
    if (!token || req.url.startsWith('/assets/') || req.routeOptions.config?.public) return;
    const id = digest(token);
    const rows = (await db.execute(
      `select s.id as session_id, s.last_seen_at, u.id as user_id, u.username, u.full_name, u.language, u.must_change_password,
              (select json_agg(json_build_object('role', r.role, 'unitId', r.unit_id, 'agencyId', r.agency_id))
                 from role_assignment r where r.user_id = u.id) as grants
         from user_session s join app_user u on u.id = s.user_id
        where s.id = ? and s.expires_at > now() and u.active`,
      [id],
    )) as SessionRow[];
    const row = rows[0];
    if (!row) {
      reply.clearCookie(sessionCookie, cookieOptions);
      return;
    }
    const grants = (row.grants ?? []).map((g) => ({ role: g.role as Role, unitId: g.unitId, agencyId: g.agencyId }));
    req.sessionId = id;
    req.user = { id: row.user_id, username: row.username, fullName: row.full_name, language: row.language, grants, areas: areasOf(grants), mustChangePassword: row.must_change_password };
    if (Date.now() - new Date(row.last_seen_at).getTime() > touchEveryMs) {
      await db.execute(`update user_session set last_seen_at = now(), expires_at = now() + interval '${idleHours} hours' where id = ?`, [id]);
    }
  });

  app.decorate('signIn', async (req: FastifyRequest, reply: FastifyReply, userId: number) => {
    // A new token on every sign-in: a session id planted before sign-in is worth nothing after it.
    if (req.sessionId) await db.execute('delete from user_session where id = ?', [req.sessionId]);
    const token = randomBytes(32).toString('base64url');
    await db.execute(
      `insert into user_session (id, user_id, created_at, last_seen_at, expires_at) values (?, ?, now(), now(), now() + interval '${idleHours} hours')`,
      [digest(token), userId],
    );
    await db.execute('delete from user_session where expires_at < now()');
    reply.setCookie(sessionCookie, token, cookieOptions);
    reply.clearCookie('_csrf', { path: '/' });
  });

  app.decorate('signOut', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.sessionId) await db.execute('delete from user_session where id = ?', [req.sessionId]);
    reply.clearCookie(sessionCookie, cookieOptions);
    reply.clearCookie('_csrf', { path: '/' });
  });
});

export const changePasswordPath = '/account/password';

/**
 * Route guard: signed-in people only (others go to the sign-in page), and only those with the area. Someone holding
 * a temporary password goes to the change-password page first (`passwordChange` marks that page's own routes).
 */
export function requireArea(area: Area | null, opts: { passwordChange?: boolean } = {}) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.user) {
      const next = encodeURIComponent(req.url);
      return reply.redirect(`/sign-in?next=${next}`, 303);
    }
    if (req.user.mustChangePassword && !opts.passwordChange) return reply.redirect(changePasswordPath, 303);
    if (area && !req.user.areas.includes(area)) return reply.callNotFound();
  };
}
