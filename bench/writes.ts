/**
 * Write benchmark (issue: authenticated, validated, durable writes): validated, durable creates per
 * second through the HTTP server (a child process on the embedded store, 10 connections), against a
 * bare better-sqlite3 loop with the same durability settings (WAL, synchronous=FULL) plus validation.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { createApiKey } from '../src/catalog/api-keys.js';
import { loadValidationResources } from '../src/catalog/resources.js';
import { validateRecord } from '../src/catalog/validator.js';
import { parseRdf } from '../src/core/parse.js';
import { quadToNt } from '../src/core/rdf-terms.js';
import { splitIntoRecords } from '../src/core/records.js';
import { projectFile } from '../src/project-files.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { Row } from './measure.js';

const ORG = 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673';
/** A typical dataset: bilingual title, description, theme, contact point, two distributions. */
export const TYPICAL_DATASET = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
[] a dcat:Dataset ;
  dct:identifier "aksjeeiere" ;
  dct:title "Aksjeeiere"@nb, "Shareholders"@en ;
  dct:description "Eiere av aksjer i norske aksjeselskap, per 31. desember."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
  dcat:keyword "aksjer"@nb, "eierskap"@nb ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
  dct:publisher <${ORG}> ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Brønnøysundregistrene" ; vcard:hasEmail <mailto:firmapost@brreg.no> ] ;
  dcat:distribution
    [ a dcat:Distribution ; dcat:accessURL <https://data.brreg.no/aksjeeiere.csv> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ],
    [ a dcat:Distribution ; dcat:accessURL <https://data.brreg.no/aksjeeiere.json> ; dct:format <http://publications.europa.eu/resource/authority/file-type/JSON> ] .
<${ORG}> a foaf:Agent ; dct:identifier "974760673" ; foaf:name "Brønnøysundregistrene"@nb .`;

async function serve(file: string, data: string, env: Record<string, string> = {}): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', projectFile('src', 'main.ts'), 'serve'], {
    env: { ...process.env, PORT: '0', KATALOG_DB: file, DATA_DIR: data, LOG_LEVEL: 'warn', WRITE_RATE_LIMIT: '100000000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (ready?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, stop: () => child.kill('SIGTERM') };
}

export const writeBenchmarks: Record<string, () => Promise<Row[]>> = {
  async writes() {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-writes-'));
    try {
      const file = join(dir, 'katalog.db');
      const setup = new SqliteStore(file);
      const { key } = await createApiKey(setup, '974760673');
      await setup.close();
      const server = await serve(file, dir);
      const result = await autocannon({
        url: `http://127.0.0.1:${server.port}/datasets`,
        connections: 10,
        duration: 10,
        method: 'POST',
        headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
        body: TYPICAL_DATASET,
      });
      server.stop();
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`writes failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const ours = result['2xx'] / result.duration;

      // The reference: the same record, parsed, validated and inserted by a bare loop, one durable transaction each.
      const resources = loadValidationResources();
      const profile = resources.profiles.get('dcat-ap-no')!;
      const db = new Database(join(dir, 'bare.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec('CREATE TABLE records (n INTEGER PRIMARY KEY, iri TEXT UNIQUE, nt TEXT)');
      const insert = db.prepare('INSERT INTO records (iri, nt) VALUES (?, ?)');
      const count = 3000;
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        const quads = await parseRdf(TYPICAL_DATASET, 'turtle', { baseIRI: 'http://localhost:3000/' });
        const [record] = splitIntoRecords(quads).records;
        if (!validateRecord(record!.quads, profile, resources).conforms) throw new Error('the typical dataset should be valid');
        db.transaction(() => insert.run(`http://localhost:3000/datasets/${i}`, record!.quads.map(quadToNt).join('')))();
      }
      const reference = count / ((performance.now() - start) / 1000);
      db.close();
      return [
        {
          benchmark: 'validated, durable creates (POST /datasets, typical dataset, 10 connections, embedded store)',
          ours: `${ours.toFixed(0)} creates/s (p99 ${result.latency.p99} ms)`,
          reference: `bare better-sqlite3 loop, WAL + synchronous=FULL, parse + validation: ${reference.toFixed(0)} records/s`,
          ratio: ours / reference,
          target: '>= 0.5, and >= 300 creates/s',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Writes with a bearer JWT (README "Writing with tokens") against writes with an API key, on the same
 * server (fdk preset, the issuer's keys from a file), two runs of each, alternating. A system reuses
 * its token until it expires, as it does its key: one token for every request.
 */
export const tokenBenchmarks: Record<string, () => Promise<Row[]>> = {
  async tokens() {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-tokens-'));
    try {
      const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwks = join(dir, 'jwks.json');
      writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256' }] }));
      const token = await new SignJWT({ sub: 'bench', authorities: 'organization:974760673:write' })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
        .setIssuer('https://issuer.bench')
        .setAudience('katalog')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      const file = join(dir, 'katalog.db');
      const setup = new SqliteStore(file);
      const { key } = await createApiKey(setup, '974760673');
      await setup.close();
      const server = await serve(file, dir, { JWT_ISSUER: 'https://issuer.bench', JWT_AUDIENCE: 'katalog', JWT_PRESET: 'fdk', JWKS_FILE: jwks });
      const run = async (credential: string) => {
        const result = await autocannon({
          url: `http://127.0.0.1:${server.port}/datasets`,
          connections: 10,
          duration: 5,
          method: 'POST',
          headers: { 'content-type': 'text/turtle', authorization: `Bearer ${credential}` },
          body: TYPICAL_DATASET,
        });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`writes failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        return result['2xx'] / result.duration;
      };
      await run(key); // warm up
      const keyRuns: number[] = [];
      const tokenRuns: number[] = [];
      for (let i = 0; i < 2; i++) {
        keyRuns.push(await run(key));
        tokenRuns.push(await run(token));
      }
      server.stop();
      const withKey = keyRuns.reduce((a, b) => a + b) / keyRuns.length;
      const withToken = tokenRuns.reduce((a, b) => a + b) / tokenRuns.length;
      return [
        {
          benchmark: 'validated, durable creates with a bearer JWT (RS256, fdk preset) vs with an API key, same server, 10 connections, two 5 s runs each',
          ours: `${withToken.toFixed(0)} creates/s (${tokenRuns.map((r) => r.toFixed(0)).join(', ')})`,
          reference: `API key ${withKey.toFixed(0)} creates/s (${keyRuns.map((r) => r.toFixed(0)).join(', ')})`,
          ratio: withToken / withKey,
          target: '>= 0.83 (a write with a JWT costs at most 1.2 times one with a key)',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
