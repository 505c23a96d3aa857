import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rotatingLog } from '../../src/db/embedded.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-pglog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded PostgreSQL's log file", () => {
  it('is appended to, and moved to .1 before it passes its size, so that two files at most are kept', () => {
    const file = path.join(dir, 'postgres.log');
    const log = rotatingLog(file, 1000);
    for (let i = 0; i < 25; i++) log(`${String(i).padStart(2, '0')} ${'x'.repeat(96)}\n`);
    log(Object.assign(new Error('an error from a client'), { stack: 'Error: an error from a client' }));
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(1000);
    expect(existsSync(`${file}.2`)).toBe(false);
    const now = readFileSync(file, 'utf8');
    expect(now).toContain('Error: an error from a client');
    expect(now).toMatch(/^2\d x/);
    expect(readFileSync(`${file}.1`, 'utf8')).toMatch(/^1\d x/);
    // A restart goes on appending to the same file.
    rotatingLog(file, 1000)('after the restart\n');
    expect(readFileSync(file, 'utf8')).toBe(`${now}after the restart\n`);
  });
});
