import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate, openOrm } from './db/orm.ts';
import { demoPassword, demoUsers, seedDemoIfEmpty } from './db/seed/demo.ts';
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
const orm = await openOrm(config.DATABASE_URL ?? embedded!.url);
const applied = await migrate(orm);
if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
const cleared = await localEvidenceStore(config.DATA_DIR).clearTemp(startedAt);
if (cleared) console.log(`Removed ${cleared} unfinished upload(s) left by an earlier run.`);
const seeded = await seedDemoIfEmpty(orm);
if (seeded) await seedPublishedPastYear(orm, Number(todayInVietnam().slice(0, 4)) - 1);

const app = await buildApp({ config, orm });
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await orm.close();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.PORT, host: config.HOST });
const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
const lines = [''];
if (seeded) lines.push('A demo district was created.');
if (seeded || config.NODE_ENV !== 'production') {
  lines.push(`Demo sign-ins (password: ${demoPassword}):`);
  for (const u of demoUsers) lines.push(`  ${u.username.padEnd(16)} ${u.role.padEnd(12)} ${u.fullName}`);
}
// One write, the URL last: whoever waits for it (a person, a test) has everything above it too.
lines.push(`Chỉ số CCHC is running at http://${shown}:${config.PORT}/`);
console.log(lines.join('\n'));
