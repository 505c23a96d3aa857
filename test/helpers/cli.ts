import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { freshDatabaseUrl } from './db.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * `npm run cli -- …` as an operator runs it: a child Node process against the given database and data folder
 * (without DATABASE_URL: the embedded PostgreSQL under DATA_DIR). `input` is what the operator pipes in.
 */
export function runCli(args: string[], env: { DATABASE_URL?: string; DATA_DIR: string }, input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_ENV: 'test' };
    if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
    const child = spawn(process.execPath, ['src/cli.ts', ...args], { cwd: root, env: childEnv });
    // What an operator pipes in (a password for create-admin); nothing otherwise, so that no command waits for stdin.
    child.stdin.end(input);
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr }));
  });
}

export interface CliWorkspace {
  /** The data folder the commands get (DATA_DIR). */
  dir: string;
  databaseUrl: string;
  /** The test's own connection to the same database, to look at what a command did. */
  orm: MikroORM;
  run(...args: string[]): Promise<CliRun>;
}

/** For a CLI test file: a fresh database and data folder, made before its tests and removed after, and a runner for them. */
export function cliWorkspace(prefix: string): CliWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ws: CliWorkspace = {
    dir,
    databaseUrl: '',
    orm: null as unknown as MikroORM,
    run: (...args) => runCli(args, { DATABASE_URL: ws.databaseUrl, DATA_DIR: dir }),
  };
  beforeAll(async () => {
    ws.databaseUrl = await freshDatabaseUrl();
    ws.orm = await openOrm(ws.databaseUrl, { poolMax: 2 });
  });
  afterAll(async () => {
    await ws.orm.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return ws;
}
