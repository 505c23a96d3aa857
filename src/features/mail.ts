// Notices by e-mail (issue 16, item 2). Exactly once per notice and recipient, across crashes and app instances:
//   1. the SWEEP, one statement: marks the unread notices not yet mailed (of people who want mail) as mailed and, in
//      the same statement, makes one `mail_delivery` row per recipient for them. A notice is swept once (the update
//      re-checks `mailed_at is null` on a row another sweep changed meanwhile), and its delivery exists exactly when
//      its mark does. People who chose the daily digest get the notices of the days before today (Asia/Ho_Chi_Minh):
//      the first sweep after midnight gathers a day's notices into one message.
//   2. the SENDER claims one due delivery at a time (`for update skip locked`, so two instances never take the same
//      row), sends it while holding the lock, and marks it sent in the same transaction. A failure (the server
//      refuses, times out) is kept in last_error and tried again later, waiting twice as long each time; a permanent
//      refusal (5xx) or too many tries ends it (failed_at). A process killed after the sweep sends after restart.
import type { EntityManager } from '@mikro-orm/postgresql';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Language } from '../domain/language.ts';
import { type MessageKey, translator } from '../i18n/catalog.ts';
import type { NoticeKind, NoticeParams } from './notices.ts';
import { invalid, ok, type Outcome } from './outcome.ts';

export const mailModes = ['immediate', 'digest', 'none'] as const;
export type MailMode = (typeof mailModes)[number];

/** One message ready for the wire. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** What sends a message: SMTP in the app (smtpTransport), the same in tests against a real SMTP server. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** An SMTP transport from SMTP_URL (smtp://user:pass@host:587 upgrades with STARTTLS when offered; smtps:// is TLS). */
export function smtpTransport(url: string): MailTransport {
  // Timeouts: never wait minutes on a silent server while holding a delivery's row lock.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    async send(m) {
      await transporter.sendMail(m);
    },
    close() {
      transporter.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Each person's choice (the account page).

export interface MailSettings {
  email: string;
  mode: MailMode;
}

export const mailSettingsForm = z.object({
  email: z.string().optional().default(''),
  mode: z.string().optional().default('none'),
});

export async function mailSettingsOf(em: EntityManager, userId: number): Promise<MailSettings> {
  const [row] = await em.execute<{ email: string | null; mode: MailMode }[]>(
    'select email, mail_mode as mode from app_user where id = ?',
    [userId],
  );
  return { email: row?.email ?? '', mode: row?.mode ?? 'none' };
}

// A practical check (the server's own answer is the real test): one @, no spaces, a dot in the domain.
const addressPattern = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Saves the person's address and choice; mail needs an address, and a bad address is refused. */
export async function saveMailSettings(
  em: EntityManager,
  userId: number,
  input: { email: string; mode: string },
): Promise<Outcome<MailSettings>> {
  const email = input.email.trim().normalize('NFC');
  const mode = input.mode as MailMode;
  if (!mailModes.includes(mode)) return invalid({ mode: 'mail.error.mode' });
  if (email && (email.length > 254 || !addressPattern.test(email))) return invalid({ email: 'mail.error.email' });
  if (!email && mode !== 'none') return invalid({ email: 'mail.error.emailNeeded' });
  await em.execute('update app_user set email = ?, mail_mode = ? where id = ?', [email || null, mode, userId]);
  return ok({ email, mode });
}

// ---------------------------------------------------------------------------------------------------------------------
// 1. The sweep.

/**
 * Makes the deliveries due `at` (default: now), in one statement; returns how many. Safe to run anywhere, any time,
 * by several instances at once: each notice goes into one delivery only.
 */
export async function sweepNotices(em: EntityManager, at: Date = new Date()): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `with picked as (
       update notice n set mailed_at = ?::timestamptz
         from app_user au
        where au.id = n.recipient_id and n.read_at is null and n.mailed_at is null
          and au.active and au.email is not null
          and (au.mail_mode = 'immediate'
               or (au.mail_mode = 'digest'
                   and n.created_at < (date_trunc('day', ?::timestamptz at time zone 'Asia/Ho_Chi_Minh') at time zone 'Asia/Ho_Chi_Minh')))
       returning n.id, n.recipient_id, au.mail_mode)
     insert into mail_delivery (recipient_id, kind, notice_ids, created_at, next_attempt_at)
     select recipient_id, min(mail_mode), array_agg(id order by id), ?::timestamptz, ?::timestamptz
       from picked group by recipient_id
     returning id::text as id`,
    [at, at, at, at],
  );
  return rows.length;
}

// ---------------------------------------------------------------------------------------------------------------------
// 2. The sender.

export interface SenderOptions {
  transport: MailTransport;
  from: string;
  /** The portal's public address, without a trailing slash: links are this plus a path. */
  baseUrl: string;
  /** The path of the page where the person acts on a notice (the inbox's noticeHref). */
  noticePath: (n: { kind: NoticeKind; params: NoticeParams }) => string;
  /** The path of the page where a person changes their mail settings. */
  settingsPath: string;
  /** Tries before a delivery is given up. */
  maxAttempts?: number;
  /** Seconds before the first retry; doubled each time, at most a day. */
  retryBaseSeconds?: number;
}

export const defaultMaxAttempts = 8;

/** Waits before try number `attempts + 1`: base, 2·base, 4·base … at most a day. */
export function retryDelaySeconds(attempts: number, base = 60): number {
  return Math.min(base * 2 ** Math.max(0, attempts - 1), 86_400);
}

interface Claimed {
  id: string;
  kind: 'immediate' | 'digest';
  attempts: number;
  email: string | null;
  fullName: string;
  language: Language;
}

interface MailNotice {
  kind: NoticeKind;
  params: NoticeParams;
  count: number;
  createdAt: Date;
}

export interface SendResult {
  sent: number;
  failed: number;
}

/**
 * Sends the deliveries due `at`, one transaction each, until none is left (or `limit`). Each is claimed with
 * `for update skip locked`: another instance sending at the same time takes other rows.
 */
export async function sendDueMail(
  em: EntityManager,
  opts: SenderOptions,
  at: Date = new Date(),
  limit = 200,
): Promise<SendResult> {
  const result: SendResult = { sent: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const outcome = await em.fork().transactional(async (tx) => {
      const [row] = await tx.execute<Claimed[]>(
        `select d.id::text as id, d.kind, d.attempts, au.email, au.full_name as "fullName", au.language
           from mail_delivery d join app_user au on au.id = d.recipient_id
          where d.sent_at is null and d.failed_at is null and d.next_attempt_at <= ?::timestamptz
          order by d.next_attempt_at, d.id
          limit 1
          for update of d skip locked`,
        [at],
      );
      if (!row) return 'none' as const;
      const notices = await tx.execute<MailNotice[]>(
        `select n.kind, n.params, n.count, n.created_at as "createdAt"
           from mail_delivery d join notice n on n.id = any(d.notice_ids)
          where d.id = ? order by n.created_at, n.id`,
        [row.id],
      );
      if (!row.email || notices.length === 0) {
        // The person removed their address, or the notices are gone (their campaign deleted): nothing to send.
        await tx.execute(`update mail_delivery set failed_at = ?::timestamptz, last_error = ? where id = ?`, [
          at,
          row.email ? 'no notices left' : 'no address',
          row.id,
        ]);
        return 'failed' as const;
      }
      try {
        await opts.transport.send(composeMail(opts, row, notices));
      } catch (err) {
        const attempts = row.attempts + 1;
        const code = (err as { responseCode?: number }).responseCode;
        const permanent = typeof code === 'number' && code >= 500;
        const giveUp = permanent || attempts >= (opts.maxAttempts ?? defaultMaxAttempts);
        const wait = retryDelaySeconds(attempts, opts.retryBaseSeconds);
        await tx.execute(
          `update mail_delivery set attempts = ?, last_error = ?,
                  next_attempt_at = ?::timestamptz + make_interval(secs => ?),
                  failed_at = case when ? then ?::timestamptz end
            where id = ?`,
          [attempts, String((err as Error).message ?? err).slice(0, 1000), at, wait, giveUp, at, row.id],
        );
        return giveUp ? ('failed' as const) : ('retry' as const);
      }
      await tx.execute(
        `update mail_delivery set sent_at = ?::timestamptz, attempts = attempts + 1, last_error = null where id = ?`,
        [at, row.id],
      );
      return 'sent' as const;
    });
    if (outcome === 'none') break;
    if (outcome === 'sent') result.sent++;
    if (outcome === 'failed') result.failed++;
  }
  return result;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The message of one delivery: in the person's language, plain text and HTML, each notice with its absolute link. */
export function composeMail(
  opts: Pick<SenderOptions, 'from' | 'baseUrl' | 'noticePath' | 'settingsPath'>,
  to: Pick<Claimed, 'email' | 'fullName' | 'language' | 'kind'>,
  notices: MailNotice[],
): MailMessage {
  const t = translator(to.language);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const items = notices.map((n) => ({
    text: t(`notice.${n.kind}` as MessageKey, { ...n.params, count: n.count }),
    link: base + opts.noticePath(n),
  }));
  const subject =
    items.length === 1 && to.kind === 'immediate'
      ? t('mail.subject.one', { text: truncate(items[0]!.text.replace(/\s+/g, ' '), 120) })
      : t(to.kind === 'digest' ? 'mail.subject.digest' : 'mail.subject.many', { n: items.length });
  const greeting = t('mail.greeting', { name: to.fullName });
  const intro = t(to.kind === 'digest' ? 'mail.intro.digest' : 'mail.intro', { n: items.length });
  const footer = t('mail.footer');
  const settings = base + opts.settingsPath;
  const text = [
    greeting,
    '',
    intro,
    '',
    ...items.flatMap((i) => [`- ${i.text}`, `  ${i.link}`, '']),
    '--',
    footer,
    `${t('mail.settings')}: ${settings}`,
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${to.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(intro)}</p>
<ul>
${items.map((i) => `<li><p>${escapeHtml(i.text)}</p><p><a href="${escapeHtml(i.link)}">${escapeHtml(t('mail.open'))}</a></p></li>`).join('\n')}
</ul>
<hr>
<p>${escapeHtml(footer)} <a href="${escapeHtml(settings)}">${escapeHtml(t('mail.settings'))}</a></p>
</body></html>`;
  return { from: opts.from, to: to.email!, subject, text, html };
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export interface MailProblem {
  id: string;
  fullName: string;
  username: string;
  email: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  failedAt: Date | null;
}

/**
 * For the secretariat: the deliveries that failed for good, and those waiting for another try after a refusal, newest
 * first (at most 200), with how many were sent in the last day.
 */
export async function mailProblems(em: EntityManager): Promise<{ problems: MailProblem[]; sentToday: number }> {
  const problems = await em.execute<MailProblem[]>(
    `select d.id::text as id, au.full_name as "fullName", au.username, au.email, d.attempts,
            d.last_error as "lastError", d.next_attempt_at as "nextAttemptAt", d.failed_at as "failedAt"
       from mail_delivery d join app_user au on au.id = d.recipient_id
      where d.sent_at is null and (d.attempts > 0 or d.failed_at is not null)
      order by coalesce(d.failed_at, d.next_attempt_at) desc, d.id desc limit 200`,
  );
  const [row] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from mail_delivery where sent_at > now() - interval '1 day'`,
  );
  return { problems, sentToday: row?.n ?? 0 };
}
