import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Area, CurrentUser } from '../../domain/permissions.ts';
import { endSession, lookUpSession, startSession } from '../../features/auth/sessions.ts';
import { paths } from '../paths.ts';

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

/** Sessions live in PostgreSQL (features/auth/sessions.ts); a visitor without the cookie never causes a row to be written. */
export default fp(async function auth(app: FastifyInstance, opts: { orm: MikroORM; secureCookies: boolean }) {
  const em = opts.orm.em;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies };

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[sessionCookie];
    // Public pages (route config `public`) are the same for everyone: no lookup, no stale cookie cleared, no write.
    if (!token || req.url.startsWith('/assets/') || req.routeOptions.config?.public) return;
    const session = await lookUpSession(em, token);
    if (!session) {
      reply.clearCookie(sessionCookie, cookieOptions);
      return;
    }
    req.sessionId = session.id;
    req.user = session.user;
  });

  app.decorate('signIn', async (req: FastifyRequest, reply: FastifyReply, userId: number) => {
    const token = await startSession(em, userId, req.sessionId);
    reply.setCookie(sessionCookie, token, cookieOptions);
    reply.clearCookie('_csrf', { path: '/' });
  });

  app.decorate('signOut', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.sessionId) await endSession(em, req.sessionId);
    reply.clearCookie(sessionCookie, cookieOptions);
    reply.clearCookie('_csrf', { path: '/' });
  });
});

/**
 * Route guard: signed-in people only (others go to the sign-in page), and only those with the area. Someone holding
 * a temporary password goes to the change-password page first (`passwordChange` marks that page's own routes).
 */
export function requireArea(area: Area | null, opts: { passwordChange?: boolean } = {}) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.user) {
      return reply.redirect(paths.signIn({ next: req.url }), 303);
    }
    if (req.user.mustChangePassword && !opts.passwordChange) return reply.redirect(paths.account.password(), 303);
    if (area && !req.user.areas.includes(area)) return reply.callNotFound();
  };
}
