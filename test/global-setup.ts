import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate, openOrm } from '../src/db/orm.ts';
import { ensureLoginRole, grantAppRole } from '../src/db/roles.ts';
import { testAppPassword, testAppRole } from './helpers/roles.ts';

export const templateDatabase = 'cchc_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL whose database is the migrated template; each test file copies it. */
    templateUrl: string;
  }
}

/** One PostgreSQL per run (embedded unless TEST_DATABASE_URL is set) and one migrated template database. */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-test-'));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      database: 'postgres',
      persistent: false,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    serverUrl = embedded.url;
  }
  const templateUrl = withDatabase(serverUrl, templateDatabase);
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${templateDatabase} with (force)`);
  await admin.query(`create database ${templateDatabase}`);
  await admin.end();
  const orm = await openOrm(templateUrl);
  await migrate(orm);
  // Copies of the template keep its grants: every test app runs as this role, as the server does.
  await ensureLoginRole(orm, testAppRole, testAppPassword);
  await grantAppRole(orm, testAppRole);
  await orm.close();
  project.provide('templateUrl', templateUrl);

  return async () => {
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
