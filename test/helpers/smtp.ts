// A real SMTP server on loopback (the smtp-server package, in this process, port 0) that keeps what it receives.
// `refuse` makes it answer the next N messages with a temporary 451, as a busy or greylisting server does.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as sent (headers and body). */
  raw: string;
  subject: string;
  /** The text part, decoded. */
  text: string;
  /** The HTML part, decoded. */
  html: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** How many messages were refused (451) so far. */
  refused: number;
  refuse(n: number): void;
  /** Holds the next messages without an answer (a server that hangs mid-message) until `stall(false)`. */
  stall(on: boolean): void;
  /** How many messages have started to arrive (their DATA begun), answered or not. */
  started: number;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  let toRefuse = 0;
  let stalling = false;
  const state: TestSmtp = {
    url: '',
    received: [],
    refused: 0,
    refuse(n) {
      toRefuse = n;
    },
    stall(on) {
      stalling = on;
    },
    started: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      state.started++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stalling) return; // never answered: the client waits until it times out or dies
        if (toRefuse > 0) {
          toRefuse--;
          state.refused++;
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeHeader(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? ''),
          text: part(raw, 'text/plain'),
          html: part(raw, 'text/html'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  return state;
}

/** The body of the MIME part of `type`, its transfer encoding undone. */
function part(raw: string, type: string): string {
  const at = raw.indexOf(`Content-Type: ${type}`);
  if (at < 0) return '';
  const rest = raw.slice(at);
  const headerEnd = rest.indexOf('\r\n\r\n');
  const headers = rest.slice(0, headerEnd);
  let body = rest.slice(headerEnd + 4);
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  const end = boundary ? body.indexOf(`\r\n--${boundary}`) : -1;
  if (end >= 0) body = body.slice(0, end);
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) return quotedPrintable(body);
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

function quotedPrintable(s: string): string {
  const t = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const hex = t.slice(i + 1, i + 3);
    if (t[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else out.push(...Buffer.from(t[i]!, 'utf8'));
  }
  return Buffer.from(out).toString('utf8');
}

/** An RFC 2047 header (=?UTF-8?Q?…?= or =?UTF-8?B?…?= words), decoded. */
function decodeHeader(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : quotedPrintable(text.replace(/_/g, ' ')),
    )
    .replace(/\r\n[ \t]+/g, ' ');
}
