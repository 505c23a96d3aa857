// The portal's schedule, in the server process: every `everySeconds`, the reminders due today (written once, however
// many instances run this), then, when SMTP is configured, the mail sweep and the sender (src/features/mail.ts).
// Everything it knows is kept in PostgreSQL (reminder_run, notice.mailed_at, mail_delivery), so a restarted process,
// or a second instance running the same loop, neither loses nor repeats a reminder or a message.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { todayInVietnam } from '../domain/dates.ts';
import { type MailTransport, sendDueMail, sweepNotices } from '../features/mail.ts';
import { writeDueReminders } from '../features/reminders.ts';
import { sweepUploads } from '../features/evidence/resumable.ts';
import { paths } from './paths.ts';
import { noticeHref } from './routes/inbox.ts';

export interface Schedule {
  /** One round now (the timer's, also for tests): reminders, the sweep, then every due delivery. */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a round under way. */
  stop(): Promise<void>;
}

export function startSchedule(opts: {
  orm: MikroORM;
  log: FastifyBaseLogger;
  mail: { transport: MailTransport; from: string; baseUrl: string } | null;
  everySeconds?: number;
  /** The folder of unfinished resumable uploads: expired ones are swept each round. */
  uploadsDir?: string;
}): Schedule {
  let running: Promise<void> | null = null;
  const round = async () => {
    const reminders = await writeDueReminders(opts.orm.em.fork(), todayInVietnam());
    if (reminders) opts.log.info({ notices: reminders }, 'reminders written');
    if (opts.uploadsDir) {
      const swept = await sweepUploads(opts.orm.em.fork(), { dir: opts.uploadsDir });
      if (swept.expired || swept.orphans) opts.log.info(swept, 'unfinished uploads swept');
    }
    if (!opts.mail) return;
    const made = await sweepNotices(opts.orm.em.fork());
    const { sent, failed } = await sendDueMail(opts.orm.em.fork(), {
      ...opts.mail,
      noticePath: noticeHref,
      settingsPath: paths.account.mail(),
    });
    if (made || sent || failed) opts.log.info({ deliveries: made, sent, failed }, 'mail round');
  };
  const runOnce = () => {
    running ??= round()
      .catch((err) => opts.log.error({ err }, 'scheduled round failed; trying again at the next round'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), (opts.everySeconds ?? 30) * 1000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
      opts.mail?.transport.close();
    },
  };
}
