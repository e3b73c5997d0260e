/**
 * The architecture of docs/design.md is enforced by lint (eslint.config.js): these cases prove that
 * the rules fire, so a clean lint run means something.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectFile } from '../src/project-files.js';

const eslint = new ESLint({ cwd: projectFile() });

async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: projectFile(file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the architecture, as lint enforces it', () => {
  it.each([
    [
      'src/core/x.ts',
      "import { SqliteStore } from '../store/sqlite-store.js';\nexport const s = SqliteStore;\n",
      /no-restricted-imports.*may not import store/,
    ],
    ['src/core/x.ts', "import { sendProblem } from '../http/problem.js';\nexport const s = sendProblem;\n", /may not import http/],
    ['src/store/x.ts', "import { clip } from '../http/problem.js';\nexport const c = clip;\n", /may not import http/],
    ['src/catalog/x.ts', "import { buildApp } from '../app.js';\nexport const b = buildApp;\n", /may not import app/],
    ['src/http/x.ts', "import { validateCommand } from '../cli/validate.js';\nexport const v = validateCommand;\n", /may not import cli/],
    ['src/core/x.ts', 'export const port = process.env.PORT;\n', /no-restricted-properties.*Only src\/config.ts and src\/main.ts read the environment/],
  ])('refuses in %s: %s', async (file, code, expected) => {
    expect((await messages(file, code)).join('\n')).toMatch(expected);
  });

  it('allows imports that point the right way', async () => {
    expect(await messages('src/http/x.ts', "import { KatalogError } from '../core/errors.js';\nexport const e = KatalogError;\n")).toEqual([]);
    expect(await messages('src/catalog/x.ts', "import type { Store } from '../store/store.js';\nexport type S = Store;\n")).toEqual([]);
  });
});
