import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeOwnPassword, passwordChangeForm } from '../../features/accounts.ts';
import { minPasswordLength } from '../../features/passwords.ts';
import { parseForm, translateErrors, type FieldErrors } from '../forms.ts';
import { changePasswordPath, requireArea } from '../plugins/auth.ts';

/** Everyone's own account: /account/password, the one page a person with a temporary password may open. */
export default async function accountRoutes(app: FastifyInstance) {
  const guard = requireArea(null, { passwordChange: true });

  const page = (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}) => {
    const done = req.method === 'GET' && (req.query as { done?: string }).done === '1';
    return reply.page('account/password', {
      errors: translateErrors(req.t, errors),
      mustChange: req.user!.mustChangePassword,
      banner: done ? req.t('account.password.done') : null,
      minPasswordLength,
    }, { status: Object.keys(errors).length ? 422 : 200, title: req.t('account.password.title') });
  };

  app.get(changePasswordPath, { onRequest: guard }, async (req, reply) => page(req, reply));

  app.post(changePasswordPath, { onRequest: guard }, async (req, reply) => {
    const parsed = parseForm(passwordChangeForm, req.body);
    const result = parsed.ok ? await changeOwnPassword(req.em, req.user!, req.sessionId, parsed.data) : parsed;
    // None of the typed passwords goes back into the form.
    if (!result.ok) return page(req, reply, result.errors);
    return reply.redirect(req.user!.mustChangePassword ? '/home' : `${changePasswordPath}?done=1`, 303);
  });
}
