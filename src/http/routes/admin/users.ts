import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roles } from '../../../domain/workflow.ts';
import { activeForm, listFilter, statuses } from '../../../features/records.ts';
import { agencyChoices, unitChoices } from '../../../features/units-and-agencies.ts';
import {
  assignRole,
  createUser,
  findUser,
  listUsers,
  minPasswordLength,
  removeRole,
  resetPassword,
  roleForm,
  setUserActive,
  userForm,
} from '../../../features/users.ts';
import { formValues, parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import type { FieldErrors } from '../../../features/outcome.ts';

const notices = ['created', 'password', 'deactivated', 'reactivated', 'role-assigned', 'role-removed'] as const;
type Notice = (typeof notices)[number];

const revealCookie = 'cchc_once';
const revealSeconds = 300;

/**
 * A generated password has to cross the redirect after the POST without being written anywhere in clear: not in the
 * address (history, logs), not in the database. It travels sealed (AES-256-GCM) in a short-lived cookie that only
 * this user's page reads, only for the session that reset it, and clears as it reads it: shown once.
 */
function oneTimeReveal(secret: string, secure: boolean) {
  const key = createHash('sha256').update(`one-time password reveal\0${secret}`).digest();
  const cookieOptions = (username: string) => ({
    path: paths.admin.user(username),
    httpOnly: true,
    sameSite: 'strict' as const,
    secure,
  });
  return {
    put(req: FastifyRequest, reply: FastifyReply, username: string, password: string) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const payload = JSON.stringify({
        u: username,
        s: req.sessionId,
        p: password,
        e: Date.now() + revealSeconds * 1000,
      });
      const sealed = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
      reply.setCookie(revealCookie, Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url'), {
        ...cookieOptions(username),
        maxAge: revealSeconds,
      });
    },
    take(req: FastifyRequest, reply: FastifyReply, username: string): string | null {
      const token = req.cookies[revealCookie];
      if (!token) return null;
      reply.clearCookie(revealCookie, cookieOptions(username));
      try {
        const raw = Buffer.from(token, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const data = JSON.parse(
          Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'),
        ) as { u: string; s: string; p: string; e: number };
        return data.u === username && data.s === req.sessionId && data.e > Date.now() ? data.p : null;
      } catch {
        return null;
      }
    },
  };
}

type UserParams = { Params: { username: string } };

/** The secretariat's pages for people and their roles: /admin/users. */
export default async function usersRoutes(app: FastifyInstance) {
  const reveal = oneTimeReveal(app.config.SESSION_SECRET, app.config.COOKIE_SECURE);
  const done = (reply: FastifyReply, username: string, notice: Notice) =>
    reply.redirect(paths.admin.user(username, { done: notice }), 303);

  /** The user's page: details, roles, the role form, password reset and (de)activation; also shown again on errors. */
  const userPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    username: string,
    opts: { values?: Record<string, string>; errors?: FieldErrors } = {},
  ) => {
    const person = await findUser(req.em, username);
    if (!person) return reply.callNotFound();
    const errors = opts.errors ?? {};
    const query = req.query as { done?: string };
    const notice = req.method === 'GET' ? notices.find((n) => n === query.done) : undefined;
    const password = req.method === 'GET' ? reveal.take(req, reply, person.username) : null;
    reply.header('Cache-Control', 'no-store');
    return reply.page(
      'admin/users/show',
      {
        person,
        password,
        banner: notice ? req.t(`people.users.done.${notice}`, { name: person.full_name }) : null,
        values: opts.values ?? formValues({}, ['role', 'unit', 'agency']),
        errors: translateErrors(req.t, errors),
        roles,
        units: await unitChoices(req.em, { activeOnly: true }),
        agencies: await agencyChoices(req.em),
        self: person.id === req.user!.id,
      },
      { status: Object.keys(errors).length ? 422 : 200, title: person.full_name },
    );
  };

  const newUserPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page(
      'admin/users/new',
      { values, errors: translateErrors(req.t, errors), minPasswordLength },
      {
        status: Object.keys(errors).length ? 422 : 200,
        title: req.t('people.users.new'),
      },
    );

  app.get('/users', async (req, reply) => {
    const filter = listFilter(req.query);
    const rows = await listUsers(req.em, filter);
    return reply.page(
      'admin/users/index',
      { rows, filter, statuses, base: paths.admin.users() },
      { title: req.t('people.users.title') },
    );
  });

  app.get('/users/new', async (req, reply) => newUserPage(req, reply, formValues({}, ['username', 'fullName'])));

  app.post('/users', async (req, reply) => {
    const parsed = parseForm(userForm, req.body);
    const result = parsed.ok ? await createUser(req.em, req.user!.id, parsed.data) : parsed;
    // The typed password is not put back into the form: a page holding it could be cached or looked at.
    if (!result.ok) return newUserPage(req, reply, formValues(req.body, ['username', 'fullName']), result.errors);
    const { user, password } = result.value;
    if (password) reveal.put(req, reply, user.username, password);
    return done(reply, user.username, 'created');
  });

  app.get<UserParams>('/users/:username', async (req, reply) => userPage(req, reply, req.params.username));

  app.post<UserParams>('/users/:username/password', async (req, reply) => {
    const result = await resetPassword(req.em, req.user!.id, req.params.username, req.sessionId);
    if (!result) return reply.callNotFound();
    if (!result.ok) return userPage(req, reply, req.params.username, { errors: result.errors });
    reveal.put(req, reply, result.value.user.username, result.value.password!);
    return done(reply, result.value.user.username, 'password');
  });

  app.post<UserParams>('/users/:username/active', async (req, reply) => {
    const parsed = parseForm(activeForm, req.body);
    const result = parsed.ok
      ? await setUserActive(req.em, req.user!.id, req.params.username, parsed.data.active === 'true')
      : parsed;
    if (!result) return reply.callNotFound();
    if (!result.ok) return userPage(req, reply, req.params.username, { errors: result.errors });
    return done(reply, result.value.username, result.value.active ? 'reactivated' : 'deactivated');
  });

  app.post<UserParams>('/users/:username/roles', async (req, reply) => {
    const parsed = parseForm(roleForm, req.body);
    const result = parsed.ok ? await assignRole(req.em, req.user!.id, req.params.username, parsed.data) : parsed;
    if (!result) return reply.callNotFound();
    if (!result.ok)
      return userPage(req, reply, req.params.username, {
        values: formValues(req.body, ['role', 'unit', 'agency']),
        errors: result.errors,
      });
    return done(reply, req.params.username, 'role-assigned');
  });

  app.post<{ Params: { username: string; id: string } }>('/users/:username/roles/:id/removal', async (req, reply) => {
    const id = Number(req.params.id);
    const result = Number.isSafeInteger(id) ? await removeRole(req.em, req.user!.id, req.params.username, id) : null;
    if (!result) return reply.callNotFound();
    if (!result.ok) return userPage(req, reply, req.params.username, { errors: result.errors });
    return done(reply, req.params.username, 'role-removed');
  });
}
