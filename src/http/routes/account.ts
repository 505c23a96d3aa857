import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeOwnPassword, passwordChangeForm } from '../../features/auth/accounts.ts';
import {
  mailModes,
  mailSettingsForm,
  mailSettingsOf,
  saveMailSettings,
  type MailSettings,
} from '../../features/mail.ts';
import { minPasswordLength } from '../../features/auth/passwords.ts';
import { recordFailure, throttleKeys, waitBeforeTry } from '../../features/auth/sign-in-throttle.ts';
import { parseForm, translateErrors } from '../forms.ts';
import type { FieldErrors } from '../../features/outcome.ts';
import type { Translate } from '../../i18n/catalog.ts';
import { paths } from '../paths.ts';
import { requireArea } from '../plugins/auth.ts';

/** "45 seconds", "3 minutes": how long to wait before the next try, as a person reads it. */
export function waitText(t: Translate, seconds: number): string {
  return seconds < 120 ? t('time.seconds', { n: seconds }) : t('time.minutes', { n: Math.ceil(seconds / 60) });
}

/**
 * Everyone's own account: /account/password, the one page a person with a temporary password may open; /account/mail,
 * the e-mail address and how notices reach them by mail (src/features/mail.ts).
 */
export default async function accountRoutes(app: FastifyInstance) {
  const guard = requireArea(null, { passwordChange: true });

  const page = (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}) => {
    const done = req.method === 'GET' && (req.query as { done?: string }).done === '1';
    return reply.page(
      'account/password',
      {
        errors: translateErrors(req.t, errors),
        mustChange: req.user!.mustChangePassword,
        banner: done ? req.t('account.password.done') : null,
        minPasswordLength,
      },
      { status: Object.keys(errors).length ? 422 : 200, title: req.t('account.password.title') },
    );
  };

  app.get('/account/password', { onRequest: guard }, async (req, reply) => page(req, reply));

  app.post('/account/password', { onRequest: guard }, async (req, reply) => {
    // A wrong current password counts like a failed sign-in: a borrowed session cannot be used to guess it.
    const keys = throttleKeys(req.ip, req.user!.username);
    const wait = await waitBeforeTry(req.em, keys);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return reply.page(
        'account/password',
        {
          errors: { current: req.t('signIn.wait', { wait: waitText(req.t, wait) }) },
          mustChange: req.user!.mustChangePassword,
          banner: null,
          minPasswordLength,
        },
        { status: 429, title: req.t('account.password.title') },
      );
    }
    const parsed = parseForm(passwordChangeForm, req.body);
    const result = parsed.ok ? await changeOwnPassword(req.em, req.user!, req.sessionId, parsed.data) : parsed;
    if (!result.ok && result.errors.current === 'password.currentWrong') await recordFailure(req.em, keys);
    // None of the typed passwords goes back into the form.
    if (!result.ok) return page(req, reply, result.errors);
    return reply.redirect(req.user!.mustChangePassword ? paths.home() : paths.account.password({ done: 1 }), 303);
  });

  const mailGuard = requireArea(null);
  const mailPage = (req: FastifyRequest, reply: FastifyReply, values: MailSettings, errors: FieldErrors = {}) => {
    const done = req.method === 'GET' && (req.query as { done?: string }).done === '1';
    return reply.page(
      'account/mail',
      {
        errors: translateErrors(req.t, errors),
        values,
        modes: mailModes.map((m) => ({ value: m, label: req.t(`account.mail.mode.${m}`) })),
        mailOn: Boolean(app.config.SMTP_URL),
        banner: done ? req.t('account.mail.done') : null,
      },
      { status: Object.keys(errors).length ? 422 : 200, title: req.t('account.mail.title') },
    );
  };

  app.get('/account/mail', { onRequest: mailGuard }, async (req, reply) =>
    mailPage(req, reply, await mailSettingsOf(req.em, req.user!.id)),
  );

  app.post('/account/mail', { onRequest: mailGuard }, async (req, reply) => {
    const parsed = parseForm(mailSettingsForm, req.body);
    const typed = parsed.ok ? parsed.data : { email: '', mode: 'none' };
    const result = parsed.ok ? await saveMailSettings(req.em, req.user!.id, typed) : parsed;
    if (!result.ok)
      return mailPage(req, reply, { email: typed.email, mode: typed.mode as MailSettings['mode'] }, result.errors);
    return reply.redirect(paths.account.mail({ done: 1 }), 303);
  });
}
