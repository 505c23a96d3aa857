// A portal killed with SIGKILL between scheduling a message and sending it (issue 16, acceptance): the SMTP server
// hangs mid-message, so the first process has swept the notice into a delivery and claimed it, but nothing is
// accepted; it dies with SIGKILL. The next process, against a server that answers, sends the message, once.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort } from '../../src/db/embedded.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { appUrlFor } from '../helpers/roles.ts';
import { type ServerProcess, startServer } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

let url: string;
let smtp: TestSmtp;
let server: ServerProcess | null = null;

async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function start() {
  server = await startServer({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    APP_DATABASE_URL: appUrlFor(url),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'x'.repeat(40),
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://cchc.example.gov.vn',
  });
}

async function until(what: string, done: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await done()) return;
    await sleep(50);
  }
  throw new Error(`waited in vain for ${what}:\n${server?.output() ?? ''}`);
}

beforeAll(async () => {
  url = await freshDatabaseUrl();
  smtp = await startSmtp();
  const [user] = await sql<{ id: number }>(
    `insert into app_user (username, full_name, password_hash, created_at, email, mail_mode)
     values ('canbo', 'Đỗ Thị Minh Ngọc', 'x', now(), 'canbo@xa.gov.vn', 'immediate') returning id`,
  );
  await sql(
    `insert into notice (recipient_id, kind, group_key, params)
     values ($1, 'message', 'message:1', jsonb_build_object('campaign', 'c', 'campaignName', 'Chỉ số CCHC 2026',
             'unit', 'xa', 'unitName', 'Xã A', 'from', 'Văn phòng', 'text', 'Nộp báo cáo trước thứ Sáu.'))`,
    [user!.id],
  );
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await smtp.close();
});

describe('mail across a SIGKILL', () => {
  it('a delivery claimed by a killed process is sent by the next one, once', async () => {
    smtp.stall(true);
    await start(); // its schedule runs at once: sweep, claim, and the SMTP server holds the message unanswered
    await until('the message to start arriving', () => smtp.started === 1);
    const [swept] = await sql<{ mailed: boolean }>('select mailed_at is not null as mailed from notice');
    expect(swept!.mailed).toBe(true);
    const child = server!.child;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    server = null;
    expect(smtp.received).toHaveLength(0);
    const [waiting] = await sql<{ sent: boolean }>('select sent_at is not null as sent from mail_delivery');
    expect(waiting!.sent).toBe(false);

    smtp.stall(false);
    await start();
    await until('the message to be accepted', () => smtp.received.length === 1);
    await until('the delivery to be marked sent', async () => {
      const rows = await sql<{ sent: boolean }>('select sent_at is not null as sent from mail_delivery');
      return rows.length === 1 && rows[0]!.sent;
    });
    expect(smtp.received[0]!.to).toEqual(['canbo@xa.gov.vn']);
    expect(smtp.received[0]!.text).toContain('Nộp báo cáo trước thứ Sáu.');
    expect(server!.output()).not.toContain('SMTP_URL is not set');
    expect(smtp.received).toHaveLength(1);
  });
});
