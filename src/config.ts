import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
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
  /** Free space, in megabytes, that uploads leave on the disk of DATA_DIR/evidence/tmp (room for the database); 0: none. */
  EVIDENCE_MIN_FREE_MB: z.coerce.number().min(0).default(1024),
  /** Set when the portal is served over HTTPS, so cookies get the Secure flag. */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Evidence in an S3-compatible bucket instead of DATA_DIR/evidence, when set. */
  EVIDENCE_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens').optional(),
  /** The server's address for MinIO, Ceph, Garage…; unset for AWS itself. */
  EVIDENCE_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  EVIDENCE_S3_REGION: z.string().min(1).default('us-east-1'),
  /** With the secret below; both unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, a profile, an instance role). */
  EVIDENCE_S3_ACCESS_KEY_ID: z.string().optional(),
  EVIDENCE_S3_SECRET_ACCESS_KEY: z.string().optional(),
  EVIDENCE_S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true').transform((v) => v === 'true'),
}).superRefine((c, ctx) => {
  if (Boolean(c.EVIDENCE_S3_ACCESS_KEY_ID) !== Boolean(c.EVIDENCE_S3_SECRET_ACCESS_KEY)) {
    const missing = c.EVIDENCE_S3_ACCESS_KEY_ID ? 'EVIDENCE_S3_SECRET_ACCESS_KEY' : 'EVIDENCE_S3_ACCESS_KEY_ID';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set too: EVIDENCE_S3_ACCESS_KEY_ID and EVIDENCE_S3_SECRET_ACCESS_KEY go together' });
  }
  if (c.HTTP_HEADERS_TIMEOUT_SECONDS > c.HTTP_REQUEST_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_SECONDS'], message: 'must not be more than HTTP_REQUEST_TIMEOUT_SECONDS: the headers are part of the request' });
  }
  if (c.APP_DATABASE_URL && !c.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must be set when APP_DATABASE_URL is: the owner\'s connection runs the migrations' });
  }
  if (!c.EVIDENCE_S3_BUCKET && (c.EVIDENCE_S3_ENDPOINT || c.EVIDENCE_S3_ACCESS_KEY_ID)) {
    ctx.addIssue({ code: 'custom', path: ['EVIDENCE_S3_BUCKET'], message: 'must be set when other EVIDENCE_S3_ variables are: without it evidence stays in DATA_DIR/evidence' });
  }
});

export type Config = Omit<z.infer<typeof schema>, 'SESSION_SECRET' | 'DATA_DIR'> & {
  DATA_DIR: string;
  SESSION_SECRET: string;
  evidenceMaxBytes: number;
  evidenceMinFreeBytes: number;
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
    SESSION_SECRET: c.SESSION_SECRET ?? keptSecret(path.join(dataDir, 'session-secret')),
    evidenceMaxBytes: Math.round(c.EVIDENCE_MAX_MB * 1024 * 1024),
    evidenceMinFreeBytes: Math.round(c.EVIDENCE_MIN_FREE_MB * 1024 * 1024),
  };
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
