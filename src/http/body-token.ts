import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Checks the CSRF token a multipart form sent as a field of its body (`_csrf`, its first field), for the routes marked
 * `csrfInMultipartBody`, whose token the app's hook cannot read before the handler reads the body. A token in the
 * address (an older form's) is still taken. Throws the usual CSRF error (a "form expired" page) when it does not hold.
 */
export async function checkBodyToken(req: FastifyRequest, reply: FastifyReply, token: unknown): Promise<void> {
  const body = req.body;
  req.body = { _csrf: typeof token === 'string' ? token : undefined };
  try {
    await new Promise<void>((resolve, reject) =>
      req.server.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve())),
    );
  } finally {
    req.body = body;
  }
}
