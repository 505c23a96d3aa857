import type { FastifyReply, FastifyRequest } from 'fastify';
import { ensureLocale } from './render.ts';

/** Errors of a socket that cannot reach the server, or lost it. */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * PostgreSQL going away or not yet back: shutting down, crashed, starting up or recovering (SQLSTATE 57P01–57P03), and
 * connection errors (class 08) except 08P01, the protocol violation a NUL byte in a parameter causes: that is the
 * sender's input (request-guards.ts), not the database's absence.
 */
const serverCodes = new Set(['57P01', '57P02', '57P03']);
/** What node-postgres says when the connection ends under it. */
const lostConnection =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether an error says the database cannot be reached (stopped, crashed, restarting), rather than that a query was
 * wrong: the request may well succeed in a moment. MikroORM wraps the driver's error; its cause is looked at too.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (
      typeof code === 'string' &&
      (socketCodes.has(code) || serverCodes.has(code) || (code.startsWith('08') && code !== '08P01'))
    )
      return true;
    if (typeof message === 'string' && lostConnection.test(message)) return true;
    if (name === 'ConnectionException') return true;
  }
  return false;
}

/** A 503 page while the database is away: "restarting, try again in a moment", in the reader's language. */
export async function databaseAway(err: unknown, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  req.log.warn(
    { err: { message: (err as Error).message, code: (err as { code?: string }).code } },
    'the database is unavailable',
  );
  const t = ensureLocale(req);
  const heading = t('errors.unavailable.title');
  return reply
    .header('Retry-After', '5')
    .header('Cache-Control', 'no-store')
    .page('errors/error', { heading, body: t('errors.unavailable.body') }, { status: 503, title: heading });
}
