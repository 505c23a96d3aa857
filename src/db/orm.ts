import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig } from '@mikro-orm/postgresql';
import { fileURLToPath } from 'node:url';
import { entities } from './entities/index.ts';

export const migrationsPath = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OrmOptions {
  debug?: boolean;
  poolMax?: number;
  /** Called with every SQL statement: the tests and the benchmark count queries per request with it. */
  onQuery?: (sql: string) => void;
}

export function ormConfig(clientUrl: string, opts: OrmOptions = {}) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    debug: opts.onQuery ? ['query'] : (opts.debug ?? false),
    ...(opts.onQuery ? { logger: (message: string) => opts.onQuery!(message), colors: false } : {}),
    pool: { min: 0, max: opts.poolMax ?? 10 },
    forceUtcTimezone: true,
    migrations: {
      path: migrationsPath,
      glob: '!(*.d).ts',
      emit: 'ts',
      // No snapshot file: migrating would rewrite a tracked file on every start and test run. A new migration is
      // diffed against a freshly migrated database instead (scripts/create-migration.ts).
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
  });
}

export async function openOrm(clientUrl: string, opts: OrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, opts));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
