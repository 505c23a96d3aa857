import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Where the server listens; unset: 127.0.0.1 outside production, 0.0.0.0 in production (behind a proxy or firewall). */
    HOST: z.string().min(1).optional(),
    /**
     * The reverse proxy whose X-Forwarded-For names the client: its address(es) or CIDR range(s), comma-separated
     * (proxy-addr's names loopback, linklocal, uniquelocal too). Unset: the socket's address is the client's.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .optional()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        const problem = trustProxyProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    DATA_DIR: z.string().min(1).default('./data'),
    /** The database owner's connection: migrations, the demo seed and the command line. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    /** A read replica (or any read-only connection) for the public pages of published campaigns; unset: the app's own. */
    PUBLIC_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    /** The web app's own role (no ownership; it cannot change the audit log). With the embedded PostgreSQL it is made for you. */
    APP_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Largest evidence file accepted, in megabytes. */
    EVIDENCE_MAX_MB: z.coerce.number().positive().max(1024).default(20),
    /** Largest workbook or survey spreadsheet accepted for import, in megabytes (a national campaign's is about 7 MB). */
    WORKBOOK_MAX_MB: z.coerce.number().positive().max(100).default(10),
    /** Uploads (evidence, workbook, survey) one signed-in person may have under way at once, per server process. */
    UPLOADS_PER_USER: z.coerce.number().int().min(1).max(100).default(3),
    /** Resumable evidence uploads (tus): hours an unfinished upload is kept before the schedule sweeps it. */
    EVIDENCE_UPLOAD_EXPIRY_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** Resumable evidence uploads: megabytes one person may have declared across the uploads not yet finished. */
    EVIDENCE_PENDING_MB: z.coerce.number().positive().max(100_000).default(200),
    /** Resumable evidence uploads: the folder of the bytes received so far (shared by every app instance); unset: DATA_DIR/evidence/uploads. */
    EVIDENCE_UPLOADS_DIR: z.string().min(1).optional(),
    /** Free space, in megabytes, that uploads leave on the disk of DATA_DIR/evidence/tmp (room for the database); 0: none. */
    EVIDENCE_MIN_FREE_MB: z.coerce.number().min(0).default(1024),
    /** Set when the portal is served over HTTPS, so cookies get the Secure flag. */
    COOKIE_SECURE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** HTTP: the request line and headers must arrive within this many seconds. */
    HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
    /** HTTP: a connection on which nothing is sent or received for this long is closed (a stalled upload, a silent client). */
    HTTP_IDLE_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(60),
    /** HTTP: a whole request must arrive within this long; 15 minutes let 20 MB come over a 3G line (50 KB/s: 7 minutes). */
    HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(86400).default(900),
    /** On SIGTERM: how long requests under way may still take before their connections are closed. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
    /** Starts of a dead embedded PostgreSQL before the server gives up and exits (waits of 1 s, 2 s, 4 s … between). */
    DATABASE_RESTART_TRIES: z.coerce.number().int().min(0).max(20).default(6),
    /** Notices by e-mail: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; unset: no mail is sent. */
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    /** The sender of the e-mails, e.g. "Chỉ số CCHC <cchc@example.gov.vn>". */
    MAIL_FROM: z.string().min(3).default('Chỉ số CCHC <no-reply@localhost>'),
    /** The portal's address as people open it (https://cchc.example.gov.vn), for the links in e-mails. */
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Evidence in an S3-compatible bucket instead of DATA_DIR/evidence, when set. */
    EVIDENCE_S3_BUCKET: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
      )
      .optional(),
    /** The server's address for MinIO, Ceph, Garage…; unset for AWS itself. */
    EVIDENCE_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    EVIDENCE_S3_REGION: z.string().min(1).default('us-east-1'),
    /** With the secret below; both unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, a profile, an instance role). */
    EVIDENCE_S3_ACCESS_KEY_ID: z.string().optional(),
    EVIDENCE_S3_SECRET_ACCESS_KEY: z.string().optional(),
    EVIDENCE_S3_FORCE_PATH_STYLE: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('true')
      .transform((v) => v === 'true'),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.EVIDENCE_S3_ACCESS_KEY_ID) !== Boolean(c.EVIDENCE_S3_SECRET_ACCESS_KEY)) {
      const missing = c.EVIDENCE_S3_ACCESS_KEY_ID ? 'EVIDENCE_S3_SECRET_ACCESS_KEY' : 'EVIDENCE_S3_ACCESS_KEY_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'must be set too: EVIDENCE_S3_ACCESS_KEY_ID and EVIDENCE_S3_SECRET_ACCESS_KEY go together',
      });
    }
    if (c.HTTP_HEADERS_TIMEOUT_SECONDS > c.HTTP_REQUEST_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_SECONDS'],
        message: 'must not be more than HTTP_REQUEST_TIMEOUT_SECONDS: the headers are part of the request',
      });
    }
    if (c.SMTP_URL && !c.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be set when SMTP_URL is: the e-mails link to the portal by its public address',
      });
    }
    if (c.APP_DATABASE_URL && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: "must be set when APP_DATABASE_URL is: the owner's connection runs the migrations",
      });
    }
    if (!c.EVIDENCE_S3_BUCKET && (c.EVIDENCE_S3_ENDPOINT || c.EVIDENCE_S3_ACCESS_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['EVIDENCE_S3_BUCKET'],
        message: 'must be set when other EVIDENCE_S3_ variables are: without it evidence stays in DATA_DIR/evidence',
      });
    }
  });

export type Config = Omit<z.infer<typeof schema>, 'SESSION_SECRET' | 'DATA_DIR' | 'HOST' | 'TRUST_PROXY'> & {
  DATA_DIR: string;
  HOST: string;
  /** Fastify's trustProxy: false (the socket's address), or the proxies' addresses and ranges. */
  trustProxy: false | string[];
  SESSION_SECRET: string;
  evidenceMaxBytes: number;
  workbookMaxBytes: number;
  evidenceMinFreeBytes: number;
  /** The folder of unfinished resumable uploads (EVIDENCE_UPLOADS_DIR, absolute). */
  evidenceUploadsDir: string;
};

export class ConfigError extends Error {}

/** Reads and validates the environment; a wrong value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    ...c,
    DATA_DIR: dataDir,
    HOST: c.HOST ?? (c.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    trustProxy: c.TRUST_PROXY && c.TRUST_PROXY !== 'false' ? c.TRUST_PROXY.split(',').map((s) => s.trim()) : false,
    SESSION_SECRET: c.SESSION_SECRET ?? keptSecret(path.join(dataDir, 'session-secret')),
    evidenceMaxBytes: Math.round(c.EVIDENCE_MAX_MB * 1024 * 1024),
    workbookMaxBytes: Math.round(c.WORKBOOK_MAX_MB * 1024 * 1024),
    evidenceMinFreeBytes: Math.round(c.EVIDENCE_MIN_FREE_MB * 1024 * 1024),
    evidenceUploadsDir: path.resolve(c.EVIDENCE_UPLOADS_DIR ?? path.join(dataDir, 'evidence', 'uploads')),
  };
}

const proxyPresets = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Why a TRUST_PROXY value cannot be used, or null. */
function trustProxyProblem(value: string): string | null {
  if (value === 'false') return null;
  if (value === 'true')
    return "must name the proxy (its address or CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8): true would believe any client's X-Forwarded-For";
  if (/^\d+$/.test(value))
    return "must name the proxy's address or CIDR range: a hop count cannot tell the proxy from a client, so Fastify believes no one with it";
  for (const item of value.split(',').map((s) => s.trim())) {
    if (proxyPresets.has(item)) continue;
    const [ip, bits, ...rest] = item.split('/');
    const version = isIP(ip ?? '');
    const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (!version || !prefixOk || rest.length)
      return `"${item}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1, loopback)`;
  }
  return null;
}

/** A random secret kept in `file` (created on first use, readable by its owner only). */
export function keptSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
