// `npm run cli -- <command>`: work on the configured database from the command line.
import path from 'node:path';
import { loadConfig } from './config.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { migrate, openOrm } from './db/orm.ts';

const usage = `Usage: npm run cli -- <command>
  migrate        apply the committed migrations`;

const [command] = process.argv.slice(2);
const commands: Record<string, () => Promise<number>> = {
  async migrate() {
    const { orm, close } = await connect();
    try {
      const applied = await migrate(orm);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await close();
    }
  },
};

async function connect() {
  const config = loadConfig();
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dir: path.join(config.DATA_DIR, 'postgres'), database: 'cchc' });
  const orm = await openOrm(config.DATABASE_URL ?? embedded!.url);
  return { orm, close: async () => { await orm.close(); await embedded?.stop(); } };
}

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(usage);
  process.exit(command ? 1 : 0);
}
try {
  process.exit(await run());
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
