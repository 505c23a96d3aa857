import { buildApp } from './app.ts';
import { ConfigError, keptSecret, loadConfig } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate, openOrm } from './db/orm.ts';
import { AppRoleError, ensureLoginRole, grantAppRole, roleOf, urlAs } from './db/roles.ts';
import { demoExists, demoPassword, demoUsers, seedDemoIfEmpty } from './db/seed/demo.ts';
import { issueSetupToken, setupTokenHours } from './features/accounts.ts';
import { seedPublishedPastYear } from './db/seed/past-year.ts';
import { localEvidenceStore } from './features/evidence/store.ts';
import { todayInVietnam } from './http/i18n.ts';
import path from 'node:path';

/** Temporary upload files older than this process were left by an earlier run that died. */
const startedAt = new Date();

let config;
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
const seeded = config.NODE_ENV !== 'production' && await seedDemoIfEmpty(owner);
if (seeded) await seedPublishedPastYear(owner, Number(todayInVietnam().slice(0, 4)) - 1);
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
  else console.warn('APP_DATABASE_URL is not set: the app connects as the database owner, which could switch the audit log\'s guards off. See README, "The database roles".');
} catch (err) {
  if (!(err instanceof AppRoleError)) throw err;
  console.error(`The application's database role: ${err.message}`);
  process.exit(1);
}
await owner.close();
const orm = await openOrm(appUrl ?? ownerUrl);
const publicOrm = config.PUBLIC_DATABASE_URL ? await openOrm(config.PUBLIC_DATABASE_URL) : null;

const app = await buildApp({ config, orm, publicOrm });
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await orm.close();
  await publicOrm?.close();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.PORT, host: config.HOST });
const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
const lines = [''];
if (seeded) lines.push('A demo district was created.');
if (demo) {
  lines.push(`Demo sign-ins (password: ${demoPassword}):`);
  for (const u of demoUsers) lines.push(`  ${u.username.padEnd(16)} ${u.role.padEnd(12)} ${u.fullName}`);
}
if (setupToken) {
  lines.push(`No account exists yet. Create the first secretariat account at this address (once, within ${setupTokenHours} hours;`
    + ' behind a proxy, put the portal\'s public address in place of the host):',
  `  http://${shown}:${config.PORT}/setup?token=${setupToken}`, '  or on this machine: npm run cli -- create-admin USERNAME');
}
// One write, the URL last: whoever waits for it (a person, a test) has everything above it too.
lines.push(`Chỉ số CCHC is running at http://${shown}:${config.PORT}/`);
console.log(lines.join('\n'));
