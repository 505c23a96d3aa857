// Writes a migration for the difference between the entities and the committed migrations:
// `node scripts/create-migration.ts [name]`. Uses a throw-away embedded PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { openOrm } from '../src/db/orm.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-migration-'));
const db = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), database: 'cchc', persistent: false });
try {
  const orm = await openOrm(db.url);
  await orm.migrator.up();
  const result = await orm.migrator.create(undefined, false, false, process.argv[2]);
  console.log(result.fileName ? `wrote migrations/${result.fileName}` : 'no changes');
  await orm.close();
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
// Note: the schema diff also sees objects made by hand-written migrations (the append-only triggers, the search
// index) and proposes to drop them: read the new file and keep only what the entity change needs.
