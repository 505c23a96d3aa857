import { buildApp } from './app.ts';
import { ConfigError, keptSecret, loadConfig, type Config } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate, openOrm } from './db/orm.ts';
import { AppRoleError, ensureLoginRole, grantAppRole, roleOf, urlAs } from './db/roles.ts';
import { demoExists, demoPassword, demoUsers } from './features/demo/seed.ts';
import { councilDemoUsers } from './features/council/demo.ts';
import { provinceUsers } from './features/demo/province.ts';
import { seedProvinceDemoIfEmpty } from './features/demo/province-seed.ts';
import { issueSetupToken, setupTokenHours } from './features/auth/accounts.ts';
import { localEvidenceStore } from './features/evidence/store.ts';
import { smtpTransport } from './features/mail.ts';
import { startSchedule } from './http/schedule.ts';
import path from 'node:path';

/** Temporary upload files older than this process were left by an earlier run that died. */
const startedAt = new Date();

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let embedded: EmbeddedDatabase | null = null;
if (!config.DATABASE_URL) {
  console.log(`Starting the embedded PostgreSQL in ${path.join(config.DATA_DIR, 'postgres')} …`);
  embedded = await startEmbeddedPostgres({ dir: path.join(config.DATA_DIR, 'postgres'), database: 'cchc' });
}
// The owner migrates and seeds; the app itself runs as a role that cannot change the audit log (src/db/roles.ts).
const ownerUrl = config.DATABASE_URL ?? embedded!.url;
const owner = await openOrm(ownerUrl, { poolMax: 2 });
const applied = await migrate(owner);
if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
const cleared = await localEvidenceStore(config.DATA_DIR).clearTemp(startedAt);
if (cleared) console.log(`Removed ${cleared} unfinished upload(s) left by an earlier run.`);
// The demo is for trying the portal: never in production. A database without any account gets a one-time set-up address.
const seeded = config.NODE_ENV !== 'production' && (await seedProvinceDemoIfEmpty(owner));
const demo = await demoExists(owner);
const setupToken = await issueSetupToken(owner.em);
let appUrl = config.APP_DATABASE_URL;
try {
  if (!appUrl && embedded) {
    const password = keptSecret(path.join(config.DATA_DIR, 'app-db-password'));
    await ensureLoginRole(owner, 'cchc_app', password);
    appUrl = urlAs(ownerUrl, 'cchc_app', password);
  }
  if (appUrl) await grantAppRole(owner, roleOf(appUrl));
  else
    console.warn(
      'APP_DATABASE_URL is not set: the app connects as the database owner, which could switch the audit log\'s guards off. See README, "The database roles".',
    );
} catch (err) {
  if (!(err instanceof AppRoleError)) throw err;
  console.error(`The application's database role: ${err.message}`);
  process.exit(1);
}
await owner.close();
const orm = await openOrm(appUrl ?? ownerUrl);
const publicOrm = config.PUBLIC_DATABASE_URL ? await openOrm(config.PUBLIC_DATABASE_URL) : null;

const app = await buildApp({ config, orm, publicOrm });
const inFlight = requestsUnderWay(app);
// Reminders on their days; notices by e-mail only when an SMTP server is configured (README, "E-mail").
const schedule = startSchedule({
  orm,
  log: app.log,
  uploadsDir: config.evidenceUploadsDir,
  mail:
    config.SMTP_URL && config.PUBLIC_URL
      ? { transport: smtpTransport(config.SMTP_URL), from: config.MAIL_FROM, baseUrl: config.PUBLIC_URL }
      : null,
});
let closing = false;

/**
 * The requests whose handlers have not answered yet. A handler goes on after its connection is closed (an upload cut
 * off at shutdown cleans up and answers into the void): shutdown waits for them before closing the pools.
 */
function requestsUnderWay(server: typeof app) {
  const running = new Set<object>();
  server.addHook('onRequest', async (req) => {
    running.add(req);
  });
  server.addHook('onSend', async (req) => {
    running.delete(req);
  });
  server.addHook('onResponse', async (req) => {
    running.delete(req);
  });
  return {
    async settled(maxMs: number): Promise<number> {
      for (const until = Date.now() + maxMs; running.size > 0 && Date.now() < until; )
        await new Promise((r) => setTimeout(r, 50));
      return running.size;
    },
  };
}

/**
 * Stops taking requests at once; requests under way get SHUTDOWN_GRACE_SECONDS, then their connections are closed.
 * Then the pools, the uploads cut off (their temporary files), the embedded PostgreSQL; exit with `code`.
 */
async function shutdown(reason: string, code: number) {
  if (closing) return;
  closing = true;
  unwatchDatabase?.();
  app.log.info({ reason, graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutting down');
  // Should anything below hang, the process still ends (a process manager then sees a failure).
  setTimeout(
    () => {
      app.log.error('shutdown did not finish in time; exiting');
      process.exit(code || 1);
    },
    (config.SHUTDOWN_GRACE_SECONDS + 30) * 1000,
  ).unref();
  const cutOff = setTimeout(() => {
    app.log.warn('closing the connections of requests still under way');
    app.server.closeAllConnections();
  }, config.SHUTDOWN_GRACE_SECONDS * 1000);
  await app.close();
  clearTimeout(cutOff);
  await schedule.stop();
  const unfinished = await inFlight.settled(5000);
  if (unfinished)
    app.log.warn({ requests: unfinished }, 'requests still unfinished when the database connections close');
  await orm.close();
  await publicOrm?.close();
  const cut = await localEvidenceStore(config.DATA_DIR).clearTemp(new Date(Date.now() + 1000));
  if (cut) app.log.info({ uploads: cut }, 'removed the temporary files of uploads cut off');
  await embedded?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
// A dead embedded PostgreSQL is started again; when it cannot be, the server exits non-zero for its process manager.
const unwatchDatabase = embedded?.watch({
  tries: config.DATABASE_RESTART_TRIES,
  log: app.log,
  gaveUp: () => {
    app.log.fatal({ tries: config.DATABASE_RESTART_TRIES }, 'the embedded PostgreSQL could not be restarted; exiting');
    void shutdown('database lost', 1);
  },
});

await app.listen({ port: config.PORT, host: config.HOST });
const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
const lines = [''];
if (seeded) lines.push('A demo province was created (tỉnh Minh Họa: 30 wards and communes, 14 departments).');
if (demo) {
  lines.push(`Demo sign-ins (password: ${demoPassword}):`);
  const people =
    demo === 'province' ? provinceUsers : demoUsers.map((u) => ({ ...u, works: u.unitCode ?? u.agencyCode ?? '' }));
  for (const u of [...people, ...councilDemoUsers])
    lines.push(`  ${u.username.padEnd(18)} ${u.role.padEnd(14)} ${u.fullName}${u.works ? `, ${u.works}` : ''}`);
}
if (setupToken) {
  lines.push(
    `No account exists yet. Create the first secretariat account at this address (once, within ${setupTokenHours} hours;` +
      " behind a proxy, put the portal's public address in place of the host):",
    `  http://${shown}:${config.PORT}/setup?token=${setupToken}`,
    '  or on this machine: npm run cli -- create-admin USERNAME',
  );
}
lines.push(
  config.SMTP_URL
    ? `Notices are e-mailed through ${new URL(config.SMTP_URL!).host} as ${config.MAIL_FROM}.`
    : 'SMTP_URL is not set: notices stay in the inbox, no e-mail is sent.',
);
// One write, the URL last: whoever waits for it (a person, a test) has everything above it too.
lines.push(`Chỉ số CCHC is running at http://${shown}:${config.PORT}/`);
console.log(lines.join('\n'));
