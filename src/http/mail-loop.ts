// The mail's schedule in the server process: every `everySeconds`, the sweep (new deliveries) and then the sender
// (src/features/mail.ts). Everything it needs to know is in PostgreSQL (mail_delivery, notice.mailed_at), so a
// restarted process, or a second instance running the same loop, neither loses nor repeats a message.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { type MailTransport, sendDueMail, sweepNotices } from '../features/mail.ts';
import { paths } from './paths.ts';
import { noticeHref } from './routes/inbox.ts';

export interface MailLoop {
  /** One round now (the timer's, also for tests): the sweep, then every due delivery. */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a round under way. */
  stop(): Promise<void>;
}

export function startMailLoop(opts: {
  orm: MikroORM;
  transport: MailTransport;
  from: string;
  baseUrl: string;
  log: FastifyBaseLogger;
  everySeconds?: number;
}): MailLoop {
  let running: Promise<void> | null = null;
  const round = async () => {
    const made = await sweepNotices(opts.orm.em.fork());
    const { sent, failed } = await sendDueMail(opts.orm.em.fork(), {
      transport: opts.transport,
      from: opts.from,
      baseUrl: opts.baseUrl,
      noticePath: noticeHref,
      settingsPath: paths.account.mail(),
    });
    if (made || sent || failed) opts.log.info({ deliveries: made, sent, failed }, 'mail round');
  };
  const runOnce = () => {
    running ??= round()
      .catch((err) => opts.log.error({ err }, 'mail round failed; trying again at the next round'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), (opts.everySeconds ?? 30) * 1000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
      opts.transport.close();
    },
  };
}
