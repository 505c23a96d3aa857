import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository stands alone: a clone with nothing beside it runs its tests, and its documents point only at what
// it holds. (The patterns below are assembled from pieces so that this file does not match them itself.)

const root = fileURLToPath(new URL('../', import.meta.url));

/** What git tracks; in an unpacked archive without .git, every file outside the ignored folders. */
function repositoryFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    const ignored = new Set(['.git', 'node_modules', 'data', 'tmp', 'out']);
    const walk = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return ignored.has(entry.name) ? [] : walk(relative);
        return entry.name.endsWith('.log') ? [] : [relative];
      });
    return walk('');
  }
}

const files = repositoryFiles().filter((file) => existsSync(path.join(root, file)));
const read = (file: string) => readFileSync(path.join(root, file), 'latin1');

/** Any mention of the folder beside the repository, or an absolute path under the build machine's /work. */
const outside = new RegExp(`${String.raw`\.\./`}shared${String.raw`\b|(?<![\w.:/~-])/`}work/`);
/** CI may use a helper beside the checkout when one is there (it must work without it). */
const mayLookOutside = new Set(['.ci/run']);

describe('the repository stands alone', () => {
  it('knows its files', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('test/fixtures/samples/sample-district-2020.xlsx');
  });

  it('no file mentions a folder beside the repository or a path of a build machine', () => {
    const found = files
      .filter((file) => !mayLookOutside.has(file))
      .flatMap((file) =>
        read(file)
          .split('\n')
          .flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
      );
    expect(found).toEqual([]);
  });

  it('every relative link of its Markdown documents leads to a file in the repository', () => {
    const documents = files.filter((file) => file.endsWith('.md'));
    expect(documents).toEqual(expect.arrayContaining(['README.md', 'docs/workbook.md', 'docs/open-data.md']));
    const broken: string[] = [];
    let checked = 0;
    for (const document of documents) {
      // Inline links and images, [text](target "title"); code spans are not links.
      const text = read(document).replaceAll(/`[^`\n]*`/g, '');
      for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!) || target!.startsWith('#')) continue;
        checked++;
        const file = decodeURIComponent(target!.replace(/[?#].*$/, ''));
        const resolved = path.resolve(root, path.dirname(document), file);
        const inside = !path.relative(root, resolved).startsWith('..');
        if (!inside || !existsSync(resolved)) broken.push(`${document}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('every document the code and docs name by path (docs/….md) is there', () => {
    const named = new Set(
      files.flatMap((file) => [...read(file).matchAll(/\b(?:docs|spec)\/[\w-]+\.md\b/g)].map(([mention]) => mention)),
    );
    expect([...named].filter((mention) => !files.includes(mention))).toEqual([]);
    expect(named).toContain('docs/workbook.md');
  });
});
