// The layers, read from the code: every import of every .ts file under src, checked against the directions allowed.
//
//   src/domain    pure: imports nothing of ours but src/domain
//   src/i18n      the words: may not import src/http, src/features or src/db
//   src/db        storage: may not import src/features or src/http
//   src/features  the use cases: may not import src/http
//   src/http      Fastify: routes, views' glue, plugins (may use everything below it)
//   src/cli.ts and src/server.ts put it all together and may import anything.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Which of our folders a file may not import from, by the folder it lives in. */
const forbidden: Record<string, readonly string[]> = {
  'src/domain': ['src/'], // everything of ours but src/domain itself (checked below)
  'src/i18n': ['src/http/', 'src/features/', 'src/db/'],
  'src/db': ['src/features/', 'src/http/'],
  'src/features': ['src/http/'],
};

/** Every module a file's text names: `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, // static import / export … from (also across lines)
    /^\s*import\s*['"]([^'"]+)['"]/gm, // import for its effect only
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic import(), also import('…').Type in a type
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

interface Arrow {
  from: string;
  to: string;
}

function layerOf(file: string): string | null {
  return Object.keys(forbidden).find((layer) => file.startsWith(`${layer}/`)) ?? null;
}

/**
 * The forbidden arrows among `files` (path from the repository root → text), each as importing file → imported
 * file, relative imports resolved. Packages (bare names, node:) are never ours and never forbidden here.
 */
function forbiddenArrows(files: ReadonlyMap<string, string>): Arrow[] {
  const arrows: Arrow[] = [];
  for (const [file, text] of files) {
    const layer = layerOf(file);
    if (!layer) continue;
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (to.startsWith(`${layer}/`)) continue;
      if (
        forbidden[layer]!.some((prefix) => to.startsWith(prefix)) ||
        (layer === 'src/domain' && !to.startsWith('src/domain/'))
      ) {
        arrows.push({ from: file, to });
      }
    }
  }
  return arrows;
}

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

const show = (arrows: Arrow[]) => arrows.map((a) => `${a.from} → ${a.to}`);

describe('the import graph keeps to the layers', () => {
  it('has no arrow from domain outward, from i18n or db upward, nor from features to http', () => {
    const files = new Map(sourceFiles('src').map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
    // The checker must have something to read: every layer present, and their imports found.
    for (const layer of ['src/domain', 'src/i18n', 'src/db', 'src/features', 'src/http']) {
      expect(
        [...files.keys()].some((f) => f.startsWith(`${layer}/`)),
        layer,
      ).toBe(true);
    }
    const imports = [...files.values()].reduce((n, text) => n + importsOf(text).length, 0);
    expect(imports).toBeGreaterThan(300);

    expect(show(forbiddenArrows(files))).toEqual([]);
  });

  it('names each forbidden arrow when one is added back, whatever the form of the import', () => {
    const files = new Map([
      [
        'src/domain/dates.ts',
        "import { z } from 'zod';\nimport { translator } from '../i18n/catalog.ts';\nexport const a = 1;\n",
      ],
      ['src/domain/scoring.ts', "import { dec } from './decimal.ts';\nexport type { Dec } from './decimal.ts';\n"],
      [
        'src/i18n/catalog.ts',
        "import type { Language } from '../domain/language.ts';\nimport type { User } from '../db/entities/people.ts';\n",
      ],
      ['src/db/audit.ts', "export { ok } from '../features/outcome.ts';\nexport * from '../http/forms.ts';\n"],
      ['src/db/orm.ts', "const m = await import('../http/render.ts');\n"],
      [
        'src/features/users.ts',
        "import {\n  formValues,\n  type FieldErrors,\n} from '../http/forms.ts';\nimport { audit } from '../db/audit.ts';\n",
      ],
      [
        'src/features/evidence/store.ts',
        "type C = import('../../http/uploads.ts').Limits;\nimport '../../http/plugins/auth.ts';\n",
      ],
      ['src/http/routes/unit.ts', "import { unitContext } from '../../features/self-assessment/unit-access.ts';\n"],
      ['src/server.ts', "import { buildApp } from './http/app.ts';\n"],
    ]);
    expect(show(forbiddenArrows(files))).toEqual([
      'src/domain/dates.ts → src/i18n/catalog.ts',
      'src/i18n/catalog.ts → src/db/entities/people.ts',
      'src/db/audit.ts → src/features/outcome.ts',
      'src/db/audit.ts → src/http/forms.ts',
      'src/db/orm.ts → src/http/render.ts',
      'src/features/users.ts → src/http/forms.ts',
      'src/features/evidence/store.ts → src/http/plugins/auth.ts',
      'src/features/evidence/store.ts → src/http/uploads.ts',
    ]);
  });
});
