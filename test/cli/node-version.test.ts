import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// On a Node.js too old for the portal, `npm start`, `npm test` and `npm run cli` stop with one line saying what is
// needed (scripts/check-node.cjs, run first by package.json), and `npm install` refuses (.npmrc: engine-strict).

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

/** The check as npm runs it, told which version to judge (the running Node is always recent enough here). */
const check = (...version: string[]) => {
  const run = spawnSync(process.execPath, ['scripts/check-node.cjs', ...version], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('the Node.js version check', () => {
  it.each(['20.20.2', '18.20.8', '22.17.1', 'v22.9.0'])(
    'refuses Node.js %s with one line naming the version needed and where to get it',
    (version) => {
      const run = check(version);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Chỉ số CCHC needs Node.js 22.18 or newer (24 LTS recommended); this is Node.js ${version}. ` +
          'Install a newer one from https://nodejs.org/en/download (or with nvm: nvm install 24) and run the command again.\n',
      );
    },
  );

  it.each(['22.18.0', '22.20.1', '23.0.0', '24.22.3', '26.1.0'])('lets Node.js %s through, silently', (version) => {
    expect(check(version)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('lets the running Node.js through', () => {
    expect(check()).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('runs first in every script that starts the portal, its tests or its command line', () => {
    for (const name of ['start', 'dev', 'test', 'cli', 'bench']) {
      expect(packageJson.scripts[name]).toMatch(/^node scripts\/check-node\.cjs && /);
    }
  });

  it('agrees with package.json engines, which npm enforces at install (engine-strict)', () => {
    expect(packageJson.engines.node).toBe('>=22.18');
    expect(readFileSync(path.join(root, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
  });
});
