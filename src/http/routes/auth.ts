import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { audit } from '../../db/audit.ts';
import { hashPassword, lockMinutes, maxFailedSignIns, passwordMatches } from '../plugins/auth.ts';
import type { MessageKey } from '../i18n.ts';
import { parseForm, safeNext, type FieldErrors } from '../forms.ts';

const signInForm = z.object({
  username: z.string().trim().toLowerCase().min(1, 'signIn.required.username').max(64),
  password: z.string().min(1, 'signIn.required.password').max(1024),
  next: z.string().max(2048).optional(),
});

const maxFailuresPerAddress = 30;
const addressWindowMinutes = 15;

interface UserRow { id: number; password_hash: string; active: boolean; failed_sign_ins: number; locked_until: Date | null }

export default async function authRoutes(app: FastifyInstance) {
  // Checked when the username is unknown too, so that the answer takes as long either way.
  const decoyHash = await hashPassword('decoy-password-not-used');

  app.get<{ Querystring: { next?: string } }>('/sign-in', async (req, reply) => {
    if (req.user) return reply.redirect(safeNext(req.query.next), 303);
    reply.header('Cache-Control', 'no-store');
    return reply.page('auth/sign-in', { values: { next: req.query.next ?? '' }, errors: {} }, { title: req.t('signIn.title') });
  });

  app.post('/sign-in', async (req, reply) => {
    const form = parseForm(signInForm, req.body);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const values = { username: typeof raw.username === 'string' ? raw.username : '', next: typeof raw.next === 'string' ? raw.next : '' };
    const again = (errors: FieldErrors, status = 422) =>
      reply.page('auth/sign-in', { values, errors: translate(errors) }, { status, title: req.t('signIn.title') });
    const translate = (errors: FieldErrors) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, req.t(v as MessageKey)]));
    if (!form.ok) return again(form.errors);

    const db = req.em.getConnection();
    // Per address as well as per account: guessing many accounts' passwords from one place is slowed down too.
    const [{ failures }] = await db.execute<{ failures: number }[]>(
      `select count(*)::int as failures from sign_in_failure where address = ? and at > now() - interval '${addressWindowMinutes} minutes'`, [req.ip]);
    if (failures >= maxFailuresPerAddress) return again({ _form: req.t('signIn.tooMany', { minutes: addressWindowMinutes }) }, 429);
    const [user] = await db.execute<UserRow[]>(
      'select id, password_hash, active, failed_sign_ins, locked_until from app_user where username = ?',
      [form.data.username],
    );
    if (user?.locked_until && new Date(user.locked_until) > new Date()) {
      const minutes = Math.ceil((new Date(user.locked_until).getTime() - Date.now()) / 60_000);
      return again({ _form: req.t('signIn.locked', { minutes }) }, 429);
    }
    const matches = await passwordMatches(user?.password_hash ?? decoyHash, form.data.password);
    if (!user || !matches || !user.active) {
      await db.execute(`insert into sign_in_failure (address) values (?)`, [req.ip]);
      await db.execute(`delete from sign_in_failure where at < now() - interval '1 day'`);
      if (user) {
        const locks = user.failed_sign_ins + 1 >= maxFailedSignIns;
        await db.execute(
          locks
            ? `update app_user set failed_sign_ins = 0, locked_until = now() + interval '${lockMinutes} minutes' where id = ?`
            : 'update app_user set failed_sign_ins = failed_sign_ins + 1 where id = ?',
          [user.id],
        );
        if (locks) {
          audit(req.em, { actorId: null, action: 'user.locked', entityType: 'User', entityId: user.id, reason: `${maxFailedSignIns} failed sign-ins` });
          await req.em.flush();
        }
      }
      return again({ _form: req.t('signIn.failed') });
    }
    await db.execute('update app_user set failed_sign_ins = 0, locked_until = null where id = ?', [user.id]);
    await app.signIn(req, reply, user.id);
    audit(req.em, { actorId: user.id, action: 'user.signed-in', entityType: 'User', entityId: user.id });
    await req.em.flush();
    return reply.redirect(safeNext(form.data.next), 303);
  });

  app.post('/sign-out', async (req, reply) => {
    await app.signOut(req, reply);
    return reply.redirect('/', 303);
  });
}
