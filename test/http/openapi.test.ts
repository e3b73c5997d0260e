import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { PROBLEMS } from '../../src/http/problem.js';
import { projectFile } from '../../src/project-files.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { resources } from '../helpers/validation.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('openapi.yaml', () => {
  it('describes exactly the routes the server has', async () => {
    const routes = new Set<string>();
    const store = new SqliteStore(':memory:');
    const app = await buildApp(readConfig({ PUBLIC_BASE_URL: 'http://katalog.test' }), {
      store,
      validation: resources(),
      onRoute: ({ method, url }) => {
        for (const m of [method].flat()) {
          if (m === 'HEAD' || url.startsWith('/docs')) continue;
          routes.add(`${m} ${url.replace(/:(\w+)/g, '{$1}')}`);
        }
      },
    });
    await app.ready();
    await app.close();
    await store.close();

    const contract = parse(readFileSync(projectFile('openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(contract.paths)) {
      for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
        if (!path.startsWith('/docs')) documented.add(`${method.toUpperCase()} ${path}`);
      }
    }
    expect([...routes].sort()).toEqual([...documented].sort());
  });

  it('names every problem kind the server can answer with (openapi-bodies.test.ts checks the table and the statuses)', () => {
    const text = readFileSync(projectFile('openapi.yaml'), 'utf8');
    for (const kind of Object.keys(PROBLEMS)) expect(text, kind).toContain(`\`${kind}\``);
  });
});
