import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, type Quad } from 'n3';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VOCAB = path.join(ROOT, 'vocab');
/**
 * The reference folder vocab/extract.ts reads its sources from (REFERENCE_DIR/vocab, see vocab/README.md).
 * It is the one test input not copied into the repository: the 26 source files extract.ts reads are
 * 12.6 MB, four of them (EU languages, corporate bodies, countries, currencies) 10.4 MB together, so
 * vocab/ is checked file by file above in every clone and reproduced from its sources only where the
 * reference is next to the project.
 */
const REFERENCE = path.resolve(ROOT, '../shared/reference');
const HAVE_REFERENCE_VOCAB = existsSync(path.join(REFERENCE, 'vocab'));

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const OWL_DEPRECATED = 'http://www.w3.org/2002/07/owl#deprecated';
const AUTH = 'http://publications.europa.eu/resource/authority/';

interface Source {
  file: string | null;
  repository: string | null;
  commit: string | null;
  licence: string | null;
}

interface Entry {
  id: string;
  scheme: string;
  schemes: { iri: string; concepts: number }[];
  title: { nb: string; en: string };
  file: string;
  concepts: number;
  deprecated: number;
  complete: boolean;
  source: Source;
}

const manifest = JSON.parse(readFileSync(path.join(VOCAB, 'vocabularies.json'), 'utf8')) as Entry[];

const parsed = new Map<string, Quad[]>();
function quads(entry: Entry): Quad[] {
  let q = parsed.get(entry.id);
  if (!q) {
    q = new Parser().parse(readFileSync(path.join(VOCAB, entry.file), 'utf8'));
    parsed.set(entry.id, q);
  }
  return q;
}

/** concept IRI -> { schemes, labels (lang -> values), deprecated } */
function concepts(entry: Entry) {
  const out = new Map<string, { schemes: string[]; labels: Map<string, string[]>; deprecated: boolean }>();
  const get = (s: string) => {
    let c = out.get(s);
    if (!c) out.set(s, (c = { schemes: [], labels: new Map(), deprecated: false }));
    return c;
  };
  const typed = new Set(
    quads(entry)
      .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${SKOS}Concept`)
      .map((q) => q.subject.value),
  );
  for (const s of typed) get(s);
  for (const q of quads(entry)) {
    if (!typed.has(q.subject.value)) continue;
    const c = get(q.subject.value);
    if (q.predicate.value === `${SKOS}inScheme`) c.schemes.push(q.object.value);
    if (q.predicate.value === `${SKOS}prefLabel` && q.object.termType === 'Literal') {
      const lang = q.object.language;
      c.labels.set(lang, [...(c.labels.get(lang) ?? []), q.object.value]);
    }
    if (q.predicate.value === OWL_DEPRECATED && q.object.value === 'true') c.deprecated = true;
  }
  return out;
}

function byId(id: string): Entry {
  const e = manifest.find((m) => m.id === id);
  if (!e) throw new Error(`vocabulary ${id} missing from vocab/vocabularies.json`);
  return e;
}

function label(id: string, code: string, lang: string): string | undefined {
  const entry = byId(id);
  const c = concepts(entry).get(`${entry.scheme}/${code}`);
  return c?.labels.get(lang)?.[0];
}

describe('vocab/vocabularies.json', () => {
  it('has unique kebab-case ids and one file per vocabulary', () => {
    const ids = manifest.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of manifest) {
      expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.file).toBe(`${e.id}.ttl`);
      expect(typeof e.complete).toBe('boolean');
      expect(e.title.nb.length).toBeGreaterThan(0);
      expect(e.title.en.length).toBeGreaterThan(0);
      expect(e.schemes[0]?.iri).toBe(e.scheme);
      expect(e.schemes.reduce((n, s) => n + s.concepts, 0)).toBe(e.concepts);
      if (e.source.file !== null) {
        expect(e.source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(e.source.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(e.source.licence).toBeTruthy();
      }
    }
  });

  it('lists every .ttl file in vocab/', () => {
    const files = readdirSync(VOCAB).filter((f) => f.endsWith('.ttl'));
    expect(files.sort()).toEqual(manifest.map((e) => e.file).sort());
  });

  it('keeps vocab/ under 5 MB', () => {
    const total = readdirSync(VOCAB).reduce((n, f) => n + statSync(path.join(VOCAB, f)).size, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });
});

describe.each(manifest.map((e) => [e.id, e] as const))('vocabulary %s', (_id, entry) => {
  it('exists and parses with n3', () => {
    expect(existsSync(path.join(VOCAB, entry.file))).toBe(true);
    expect(quads(entry).length).toBeGreaterThan(0);
  });

  it('declares its scheme(s) as skos:ConceptScheme', () => {
    for (const { iri } of entry.schemes) {
      const typed = quads(entry).some((q) => q.subject.value === iri && q.predicate.value === RDF_TYPE && q.object.value === `${SKOS}ConceptScheme`);
      expect(typed, iri).toBe(true);
    }
  });

  it('has exactly the announced number of concepts in its scheme(s)', () => {
    const all = concepts(entry);
    const schemeIris = entry.schemes.map((s) => s.iri);
    const inSchemes = [...all.values()].filter((c) => c.schemes.some((s) => schemeIris.includes(s)));
    expect(inSchemes.length).toBe(entry.concepts);
    // every skos:Concept in the file belongs to one of the announced schemes
    expect(all.size).toBe(entry.concepts);
    for (const { iri, concepts: n } of entry.schemes) {
      expect([...all.values()].filter((c) => c.schemes.includes(iri)).length, iri).toBe(n);
    }
    if (entry.schemes.length === 1) {
      expect([...all.values()].filter((c) => c.schemes.includes(entry.scheme)).length).toBe(entry.concepts);
    }
  });

  it('gives every concept a prefLabel, at most one per language, only nb/nn/en or untagged', () => {
    for (const [iri, c] of concepts(entry)) {
      expect(c.labels.size, iri).toBeGreaterThan(0);
      for (const [lang, values] of c.labels) {
        expect(['', 'en', 'nb', 'nn'], `${iri} @${lang}`).toContain(lang);
        expect(values.length, `${iri} @${lang}`).toBe(1);
      }
    }
  });

  it('announces the number of deprecated concepts', () => {
    expect([...concepts(entry).values()].filter((c) => c.deprecated).length).toBe(entry.deprecated);
  });
});

describe('spot checks', () => {
  it('data-theme has ECON with an nb label', () => {
    expect(label('data-theme', 'ECON', 'nb')).toBe('Økonomi og finans');
    expect(label('data-theme', 'ECON', 'en')).toBe('Economy and finance');
    expect(byId('data-theme').complete).toBe(true);
  });

  it('file-type has CSV, and codes only in the newer list (PARQUET)', () => {
    expect(label('file-type', 'CSV', 'en')).toBeTruthy();
    expect(label('file-type', 'PARQUET', '')).toBe('PARQUET');
  });

  it('licence has CC_BY_4_0 and NLOD_2_0 with a Norwegian label', () => {
    expect(label('licence', 'CC_BY_4_0', 'en')).toBeTruthy();
    expect(label('licence', 'NLOD_2_0', 'nb')).toBe('Norsk lisens for offentlige data');
  });

  it('access-right has PUBLIC, and NORMAL is deprecated', () => {
    const c = concepts(byId('access-right'));
    expect(c.has(`${AUTH}access-right/PUBLIC`)).toBe(true);
    expect(c.get(`${AUTH}access-right/PUBLIC`)?.deprecated).toBe(false);
    expect(c.get(`${AUTH}access-right/NORMAL`)?.deprecated).toBe(true);
  });

  it('language has NOR, NOB, ENG (and NNO) with nb labels', () => {
    for (const code of ['NOR', 'NOB', 'ENG', 'NNO']) expect(label('language', code, 'nb'), code).toBeTruthy();
  });

  it('frequency has the codes used in DCAT-AP-NO', () => {
    for (const code of ['ANNUAL', 'MONTHLY', 'DAILY', 'IRREG', 'CONT', 'UPDATE_CONT', 'NEVER']) {
      expect(label('frequency', code, 'en') ?? label('frequency', code, ''), code).toBeTruthy();
    }
  });

  it('los has at least 100 concepts in its tema, ord and hendelse schemes', () => {
    const los = byId('los');
    expect(los.concepts).toBeGreaterThanOrEqual(100);
    expect(los.schemes.map((s) => s.iri)).toEqual([
      'https://psi.norge.no/los/ontologi/tema',
      'https://psi.norge.no/los/ontologi/ord',
      'https://psi.norge.no/los/ontologi/hendelse',
    ]);
    const c = concepts(los).get('https://psi.norge.no/los/tema/naring');
    expect(c?.labels.get('nb')?.[0]).toBe('Næring');
  });

  it('marks partial lists as incomplete', () => {
    for (const id of ['media-type', 'life-event-type', 'business-event-type', 'event-type']) {
      expect(byId(id).complete, id).toBe(false);
    }
    expect(concepts(byId('media-type')).has('https://www.iana.org/assignments/media-types/text/csv')).toBe(true);
    expect(concepts(byId('life-event-type')).has('https://data.norge.no/vocabulary/life-event-type#having-a-child')).toBe(true);
  });
});

describe('vocab/extract.ts', () => {
  it('reproduces vocab/ byte for byte from the reference', (ctx) => {
    if (!HAVE_REFERENCE_VOCAB) {
      return ctx.skip(
        `${path.join(REFERENCE, 'vocab')} is absent: the extraction's sources (12.6 MB of EU authority tables and ` +
          `FDK reference data) are not in the repository; vocab/README.md says where they come from`,
      );
    }
    const out = mkdtempSync(path.join(tmpdir(), 'katalog-vocab-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(VOCAB, 'extract.ts'), REFERENCE, `--out=${out}`], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      const generated = readdirSync(out).sort();
      expect(generated).toEqual(
        readdirSync(VOCAB)
          .filter((f) => f.endsWith('.ttl') || f.endsWith('.json'))
          .sort(),
      );
      for (const f of generated) {
        expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(readFileSync(path.join(VOCAB, f), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
