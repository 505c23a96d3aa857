import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it has written so far, stdout and stderr together. */
  output: () => string;
  /** Its exit code (null when ended by a signal). */
  exited: Promise<number | null>;
}

/**
 * `npm start`'s own command (`node src/server.ts`) as a child process, with `env` over this process's environment
 * (DATABASE_URL and APP_DATABASE_URL only when `env` names them: otherwise the embedded PostgreSQL); resolves once it
 * prints its address, rejects if it exits first.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', ...env };
  for (const name of ['DATABASE_URL', 'APP_DATABASE_URL']) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    child.stdout!.on('data', () => {
      if (out.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}
