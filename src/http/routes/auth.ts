import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../../db/audit.ts';
import { createFirstAdmin, firstAdminForm, newPasswordErrors, setupTokenUsable } from '../../features/auth/accounts.ts';
import { hashPassword, minPasswordLength, passwordMatches } from '../../features/auth/passwords.ts';
import { findSignInAccount } from '../../features/auth/sign-in.ts';
import {
  recordFailure,
  recordSuccess,
  throttleKeys,
  throttleRules,
  waitBeforeTry,
} from '../../features/auth/sign-in-throttle.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { formValues, parseForm, safeNext, translateErrors, type FieldErrors } from '../forms.ts';
import { paths } from '../paths.ts';
import accountRoutes, { waitText } from './account.ts';

const signInForm = z.object({
  // Control characters (a NUL byte above all, which PostgreSQL refuses in text) cannot be in any username.
  username: z
    .string()
    .transform((v) => v.replace(/[\u0000-\u001f\u007f]/g, ''))
    .pipe(z.string().trim().toLowerCase().min(1, 'signIn.required.username').max(64)),
  password: z.string().min(1, 'signIn.required.password').max(1024),
  next: z.string().max(2048).optional(),
});

export default async function authRoutes(app: FastifyInstance) {
  // Checked when the username is unknown too, so that the answer takes as long either way.
  const decoyHash = await hashPassword('decoy-password-not-used');

  app.get<{ Querystring: { next?: string } }>('/sign-in', async (req, reply) => {
    if (req.user) return reply.redirect(safeNext(req.query.next), 303);
    reply.header('Cache-Control', 'no-store');
    return reply.page(
      'auth/sign-in',
      { values: { next: req.query.next ?? '' }, errors: {} },
      { title: req.t('signIn.title') },
    );
  });

  app.post('/sign-in', async (req, reply) => {
    const form = parseForm(signInForm, req.body);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      username: typeof raw.username === 'string' ? raw.username : '',
      next: typeof raw.next === 'string' ? raw.next : '',
    };
    const again = (errors: FieldErrors, status = 422) =>
      reply.page('auth/sign-in', { values, errors: translate(errors) }, { status, title: req.t('signIn.title') });
    const translate = (errors: FieldErrors) =>
      Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, req.t(v as MessageKey)]));
    if (!form.ok) return again(form.errors);

    // Known and unknown usernames go through exactly the same steps: the same counters, the same hash check, the same answer.
    const keys = throttleKeys(req.ip, form.data.username);
    const wait = await waitBeforeTry(req.em, keys);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return again({ _form: req.t('signIn.wait', { wait: waitText(req.t, wait) }) }, 429);
    }
    const user = await findSignInAccount(req.em, form.data.username);
    const matches = await passwordMatches(user?.passwordHash ?? decoyHash, form.data.password);
    if (!user || !matches || !user.active) {
      const counts = await recordFailure(req.em, keys);
      // The moment a counter starts slowing tries down is worth a line for whoever watches the log.
      for (const kind of ['pair', 'address', 'account'] as const) {
        if (counts[kind] === throttleRules[kind].free)
          req.log.warn(
            { kind, address: keys.address, username: form.data.username },
            'sign-in failures now slowed down',
          );
      }
      return again({ _form: 'signIn.failed' });
    }
    await recordSuccess(req.em, keys);
    await app.signIn(req, reply, user.id);
    audit(req.em, { actorId: user.id, action: 'user.signed-in', entityType: 'User', entityId: user.id });
    await req.em.flush();
    return reply.redirect(safeNext(form.data.next), 303);
  });

  app.post('/sign-out', async (req, reply) => {
    await app.signOut(req, reply);
    return reply.redirect(paths.root(), 303);
  });

  // The one-time address printed at the first start of an installation without any account (src/server.ts).
  const setupGone = (req: FastifyRequest, reply: FastifyReply) =>
    reply.page(
      'errors/error',
      { heading: req.t('setup.gone.title'), body: req.t('setup.gone.body') },
      { status: 404, title: req.t('setup.gone.title') },
    );
  const setupPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    reply.header('Cache-Control', 'no-store');
    return reply.page(
      'auth/setup',
      { token, values, errors: translateErrors(req.t, errors), minPasswordLength },
      {
        status: Object.keys(errors).length ? 422 : 200,
        title: req.t('setup.title'),
      },
    );
  };
  // The token travels in the query (redacted from logs like every query string) and then in the form's body.
  const tokenOf = (value: unknown) =>
    typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;

  app.get<{ Querystring: { token?: string } }>('/setup', async (req, reply) => {
    const token = tokenOf(req.query.token);
    if (!token || !(await setupTokenUsable(req.em, token))) return setupGone(req, reply);
    return setupPage(req, reply, token, formValues({}, ['username', 'fullName']));
  });

  app.post('/setup', async (req, reply) => {
    const token = tokenOf((req.body as Record<string, unknown> | undefined)?.token);
    if (!token || !(await setupTokenUsable(req.em, token))) return setupGone(req, reply);
    const parsed = parseForm(firstAdminForm, req.body);
    if (!parsed.ok) {
      // Every mistake at once: the password's own problems too, though the username or the name is missing.
      const typed = formValues(req.body, ['username', 'password', 'repeat']);
      parsed.errors = {
        ...newPasswordErrors(typed.password!, typed.repeat!, typed.username!.trim().toLowerCase()),
        ...parsed.errors,
      };
    }
    const result = parsed.ok ? await createFirstAdmin(req.em, parsed.data, { token }) : parsed;
    if (typeof result === 'string') return setupGone(req, reply);
    if (!result.ok) return setupPage(req, reply, token, formValues(req.body, ['username', 'fullName']), result.errors);
    await app.signIn(req, reply, result.value.id);
    return reply.redirect(paths.admin.index(), 303);
  });

  await app.register(accountRoutes);
}
