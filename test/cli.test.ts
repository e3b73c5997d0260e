import { spawn, spawnSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFile } from '../src/project-files.js';
import { createApiKey } from '../src/catalog/api-keys.js';
import { PgStore } from '../src/store/pg-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { freshSchema, NO_POSTGRES, POSTGRES } from './helpers/postgres.js';
import { FIXTURES } from './helpers/fixtures.js';
import { parseBack } from './helpers/graphs.js';
import { reportGraph, sameReport, suiteCases } from './helpers/shacl-suite.js';
import type { Quad } from '@rdfjs/types';

/**
 * How to run the katalog command: the compiled one in CI (.ci/run builds it just before the tests;
 * each start then skips compiling TypeScript, seconds per test), else the sources through tsx.
 */
const KATALOG =
  process.env.CI === 'true' && existsSync(projectFile('dist', 'src', 'main.js'))
    ? [projectFile('dist', 'src', 'main.js')]
    : ['--import', 'tsx', projectFile('src', 'main.ts')];

function katalog(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [...KATALOG, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the katalog command', () => {
  it('loads a folder and prints what it loaded per kind, failing on a broken file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-cli-'));
    try {
      const db = join(dir, 'k.db');
      const run = katalog(['load', join(FIXTURES, 'loader')], { KATALOG_DB: db });
      expect(run.stdout).toMatch(/good\.ttl: 1 catalog, 1 dataset/);
      expect(run.stdout).toMatch(/broken\.ttl:6:\d+: not loaded/);
      expect(run.stdout).toMatch(/no-title> not loaded: it violates dcat-ap-no/);
      expect(run.stdout).toMatch(/total: .*1 data-service.*1 file\(s\) not loaded, 1 record\(s\) refused/);
      expect(run.status).toBe(1);
      const store = new SqliteStore(db);
      expect(await store.count()).toBe(4);
      const found = (await store.search({ filters: { kind: ['dataset'] }, limit: 10 })).total;
      await store.close();
      // reindex builds the search index again and says how many records it read.
      const reindexed = katalog(['reindex'], { KATALOG_DB: db });
      expect(reindexed.status, reindexed.stderr).toBe(0);
      expect(reindexed.stdout).toMatch(/^reindexed 4 record\(s\) in \d+\.\d s$/m);
      const again = new SqliteStore(db);
      expect((await again.search({ filters: { kind: ['dataset'] }, limit: 10 })).total).toBe(found);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates, lists and revokes API keys, storing only their hashes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-keys-'));
    try {
      const env = { KATALOG_DB: join(dir, 'katalog.db'), LOG_LEVEL: 'silent' };
      const created = katalog(['apikey', 'create', '--org', '974760673', '--label', 'saksbehandling'], env);
      expect(created.status).toBe(0);
      const key = created.stdout.trim();
      expect(key).toMatch(/^kat_[A-Za-z0-9_-]{43}$/);
      const id = /key (\w+) for organisation 974760673/.exec(created.stderr)?.[1];
      expect(id).toBeDefined();
      expect(katalog(['apikey', 'create', '--org', '910000000', '--admin'], env).stderr).toMatch(/\(admin\)/);
      const listed = katalog(['apikey', 'list'], env).stdout.trim().split('\n');
      expect(listed).toHaveLength(2);
      expect(listed.join('\n')).not.toContain(key);
      expect(listed[0]!.split('\t').slice(0, 3)).toEqual([id, '974760673', '-']);
      expect(katalog(['apikey', 'revoke', id!], env).status).toBe(0);
      expect(katalog(['apikey', 'list'], env).stdout).toMatch(new RegExp(`${id}\\t974760673\\t-\\trevoked `));
      expect(katalog(['apikey', 'revoke', id!], env).status).toBe(1);
      expect(katalog(['apikey', 'create', '--org', '12345'], env).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with one line naming a bad variable', () => {
    const run = katalog(['serve'], { PORT: 'abc' });
    expect(run.status).toBe(2);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('katalog:')),
    ).toEqual([expect.stringMatching(/^katalog: PORT="abc" is invalid/)]);
  });

  describe('validate', () => {
    const fixture = (profile: string, name: string) => join(FIXTURES, 'validation', profile, name);

    it('prints a report grouped by record and property and exits 0 when the files conform', () => {
      const run = katalog(['validate', fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), '--lang', 'en'], {});
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/<https:\/\/katalog\.example\/datasets\/minimal> \(dataset, dcat-ap-no\): 0 violations, \d+ warnings/);
      expect(run.stdout).toMatch(/^ {4}dcat:distribution$/m);
      expect(run.stdout).toMatch(/: conforms$/m);
    });

    it('exits 1 on violations, in Norwegian by default', () => {
      const run = katalog(['validate', fixture('dcat-ap-no', 'invalid-missing-title.ttl')], {});
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/✗ Violation: .*dct:title/);
      expect(run.stdout).toMatch(/oppfyller ikke profilen/);
    });

    it('writes the report as JSON or as a Turtle sh:ValidationReport', async () => {
      const json = katalog(['validate', fixture('cpsv-ap-no', 'invalid-service-without-title.ttl'), '--format', 'json', '--profile', 'cpsv-ap-no'], {});
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ conforms: false, records: [{ profile: 'cpsv-ap-no' }] });
      const ttl = katalog(['validate', fixture('dcat-ap-no', 'invalid-missing-title.ttl'), '--format', 'ttl'], {});
      const graph = await parseBack(ttl.stdout, 'turtle');
      expect(graph.some((q) => q.object.value === 'http://www.w3.org/ns/shacl#ValidationReport')).toBe(true);
    });

    describe('--shapes: any SHACL Core shapes graph instead of a profile', () => {
      const suite = (name: string) => join(FIXTURES, 'shacl-core', name);

      it('writes the W3C suite case property/qualifiedValueShape-001 as its expected sh:ValidationReport and exits 1', async () => {
        const file = suite('property/qualifiedValueShape-001.ttl');
        const run = katalog(['validate', file, '--shapes', file, '--format', 'ttl'], {});
        expect(run.status).toBe(1);
        const produced = await parseBack(run.stdout, 'turtle');
        const expected = suiteCases().find((c) => c.name === 'property/qualifiedValueShape-001')!.expected as Quad[];
        const report = produced.find((q) => q.object.value === 'http://www.w3.org/ns/shacl#ValidationReport')!.subject;
        expect(sameReport(expected, reportGraph(produced, report))).toBe(true);
      });

      it('reads shapes from several files, reports in text and JSON, and exits 0 when the data conforms', () => {
        const dir = mkdtempSync(join(tmpdir(), 'katalog-shapes-'));
        try {
          const prefixes = '@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n';
          writeFileSync(join(dir, 'a.ttl'), prefixes + 'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:P .');
          writeFileSync(
            join(dir, 'b.ttl'),
            prefixes + 'ex:P sh:path ( ex:knows ex:name ) ; sh:minCount 1 ; sh:message "Kjenner ingen med navn"@nb, "Knows nobody with a name"@en .',
          );
          writeFileSync(join(dir, 'good.ttl'), prefixes + 'ex:a a ex:Thing ; ex:knows [ ex:name "Kari" ] .');
          writeFileSync(join(dir, 'bad.ttl'), prefixes + 'ex:b a ex:Thing ; ex:knows ex:c .');
          const shapes = ['--shapes', join(dir, 'a.ttl'), '--shapes', join(dir, 'b.ttl')];
          expect(katalog(['validate', join(dir, 'good.ttl'), ...shapes], {}).status).toBe(0);
          const text = katalog(['validate', join(dir, 'bad.ttl'), ...shapes, '--lang', 'en'], {});
          expect(text.status).toBe(1);
          expect(text.stdout).toMatch(/<http:\/\/example\.org\/b>.*not part of any record.*1 violations/);
          expect(text.stdout).toMatch(/<http:\/\/example\.org\/knows>\/<http:\/\/example\.org\/name>: ✗ Violation: Knows nobody with a name/);
          const json = JSON.parse(katalog(['validate', join(dir, 'bad.ttl'), ...shapes, '--format', 'json'], {}).stdout);
          expect(json.unattached[0]).toMatchObject({
            node: 'http://example.org/b',
            conforms: false,
            results: [{ constraint: 'sh:MinCountConstraintComponent', message: 'Kjenner ingen med navn' }],
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('exits 2 naming the construct for shapes outside SHACL Core, and for --shapes with --profile', () => {
        const dir = mkdtempSync(join(tmpdir(), 'katalog-shapes-'));
        try {
          writeFileSync(
            join(dir, 'sparql.ttl'),
            '@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .',
          );
          const data = fixture('dcat-ap-no', 'valid-minimal-dataset.ttl');
          const run = katalog(['validate', data, '--shapes', join(dir, 'sparql.ttl')], {});
          expect(run.status).toBe(2);
          expect(run.stderr).toMatch(/sh:sparql.*SHACL Core only/);
          expect(katalog(['validate', data, '--shapes', join(dir, 'sparql.ttl'), '--profile', 'dcat-ap'], {}).status).toBe(2);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });

    it('exits 2 on bad input: a syntax error, an unknown profile, a missing file, a bad option', () => {
      const broken = katalog(['validate', join(FIXTURES, 'loader', 'broken.ttl')], {});
      expect(broken.status).toBe(2);
      expect(broken.stderr).toMatch(/broken\.ttl:6:\d+:/);
      expect(katalog(['validate', fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), '--profile', 'nope'], {}).status).toBe(2);
      expect(katalog(['validate', join(FIXTURES, 'no-such-file.ttl')], {}).status).toBe(2);
      expect(katalog(['validate', fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), '--lang', 'de'], {}).status).toBe(2);
    });
  });
});

describe('katalog serve', () => {
  it('starts on an empty store, answers, and exits 0 on SIGTERM after finishing', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'katalog-serve-'));
    try {
      const child = spawn(process.execPath, [...KATALOG, 'serve'], {
        env: { ...process.env, PORT: '0', KATALOG_DB: join(dir, 'k.db'), DATA_DIR: join(FIXTURES, 'http'), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      let ready: Response | undefined;
      for (let i = 0; i < 50 && ready?.status !== 200; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        if (ready.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready!.status).toBe(200);
      // The response has started (headers are in) when SIGTERM arrives; its body must still come whole.
      const response = await fetch(`http://127.0.0.1:${port}/catalog`);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('dcat:Catalog');
      expect(await exit).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe.skipIf(NO_POSTGRES)(`${POSTGRES}: katalog on DATABASE_URL`, () => {
  it('migrates, from several processes at once, and says so', async () => {
    const { url, drop } = await freshSchema();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => katalogAsync(['migrate'], { DATABASE_URL: url })));
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^migrated: the PostgreSQL database has every migration of this Katalog$/m);
      }
      const store = await PgStore.open(url);
      expect((await store.state()).lastSeq).toBe(0);
      await store.close();
    } finally {
      await drop();
    }
  }, 60_000);

  it('serves with --workers 2: loads DATA_DIR once, both processes answer, a write through either is read by every request', async () => {
    const { url, drop } = await freshSchema();
    const port = await freePort();
    const child = spawn(process.execPath, [...KATALOG, 'serve', '--workers', '2'], {
      env: { ...process.env, PORT: String(port), DATABASE_URL: url, DATA_DIR: join(FIXTURES, 'http'), LOG_LEVEL: 'warn', WORKERS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const pids = await new Promise<Set<string>>((resolve, reject) => {
        let out = '';
        const seen = new Set<string>();
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          for (const m of out.matchAll(/listening on http:\/\/[^,]+, process (\d+)\)/g)) seen.add(m[1]!);
          if (seen.size === 2) resolve(seen);
        });
        void exit.then((code) => reject(new Error(`serve exited ${code}`)));
      });
      expect(pids.size).toBe(2);
      let ready: Response | undefined;
      for (let i = 0; i < 100 && ready?.status !== 200; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        if (ready?.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready!.status).toBe(200);
      const store = await PgStore.open(url);
      try {
        // Loaded once: one change per record.
        expect((await store.changes(0, 100_000)).length).toBe((await store.state()).count);
        const { key } = await createApiKey(store, '974760673');
        const iri = `http://localhost:${port}/datasets/to-prosesser`;
        const body = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${iri}> a dcat:Dataset ; dct:identifier "to-prosesser" ; dct:title "To prosesser"@nb ; dct:description "Skrevet gjennom én av to."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> .`;
        const written = await fetch(`http://127.0.0.1:${port}/datasets/to-prosesser`, {
          method: 'PUT',
          body,
          headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
        });
        expect(written.status, await written.text()).toBe(201);
        const etag = written.headers.get('etag');
        // New connections each time: node:cluster hands them to both processes in turn.
        await new Promise((r) => setTimeout(r, 100));
        for (let i = 0; i < 10; i++) {
          const read = await fetch(`http://127.0.0.1:${port}/datasets/to-prosesser`, { headers: { accept: 'text/turtle', connection: 'close' } });
          expect(read.status).toBe(200);
          expect(read.headers.get('etag')).toBe(etag);
        }
      } finally {
        await store.close();
      }
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await drop();
    }
  }, 60_000);
});

function katalogAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...KATALOG, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
