import { describe, expect, it, vi } from 'vitest';
import { DataFactory } from 'n3';
import { KatalogError } from '../../src/core/errors.js';
import { renderRecord } from '../../src/core/serialize/node-parts.js';
import { triplesOf } from '../../src/core/serialize/representations.js';
import type { SearchFields } from '../../src/core/search-fields.js';
import type { IriClaim, RecordInput, SearchQuery, Store } from '../../src/store/store.js';
import { all } from '../helpers/iterables.js';

/**
 * The Store contract (src/store/store.ts), written once for every backend. `open` gives a fresh,
 * empty store; `reopen` closes it and opens the same database again.
 */
export interface StoreHarness {
  store: Store;
  reopen: () => Promise<Store>;
  /** Another store on the same database, as another process would open it (closed by dispose). */
  another: () => Promise<Store>;
  dispose: () => Promise<void>;
}

const { namedNode } = DataFactory;

function record(iri: string, overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    iri,
    kind: 'dataset',
    id: iri.split('/').pop()!,
    publisher: 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673',
    organisation: '974760673',
    nt: `<${iri}> <http://purl.org/dc/terms/title> "t" .\n`,
    ttl: `<${iri}> dct:title "t" .\n`,
    jsonld: JSON.stringify({ id: iri, title: 't' }),
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  const withStore = (test: (h: StoreHarness) => Promise<void>) => async () => {
    const harness = await open();
    try {
      await test(harness);
    } finally {
      await harness.dispose();
    }
  };

  describe(`${name} store contract`, () => {
    it(
      'answers undefined for an absent record',
      withStore(async ({ store }) => {
        expect(await store.get('dataset', 'nothing')).toBeUndefined();
        expect(await store.getByIri('http://ex/nothing')).toBeUndefined();
        expect(await store.state()).toEqual({ lastSeq: 0, lastModified: undefined, count: 0 });
      }),
    );

    it(
      'stores a record and gives it back with its bookkeeping',
      withStore(async ({ store }) => {
        const input = record('http://ex/datasets/a');
        const stored = await store.put(input);
        expect(stored).toMatchObject({ ...input, seq: 1 });
        expect(stored.created).toBe(stored.modified);
        expect(await store.get('dataset', 'a')).toEqual(stored);
        expect(await store.getByIri('http://ex/datasets/a')).toEqual(stored);
      }),
    );

    it(
      'reads one representation or only the head when asked, with the same bookkeeping',
      withStore(async ({ store }) => {
        const stored = await store.put(record('http://ex/datasets/a'));
        for (const only of ['nt', 'ttl', 'jsonld'] as const) {
          const blank = { nt: '', ttl: '', jsonld: '', [only]: stored[only] };
          expect(await store.get('dataset', 'a', only)).toEqual({ ...stored, ...blank });
          expect(await store.getByIri('http://ex/datasets/a', only)).toEqual({ ...stored, ...blank });
          expect(await all(store.scan({ kind: 'dataset', only }))).toEqual([{ ...stored, ...blank }]);
        }
        expect(await store.get('dataset', 'absent', 'ttl')).toBeUndefined();
        expect(await store.head('dataset', 'a')).toEqual({ iri: stored.iri, version: stored.version, modified: stored.modified });
        expect(await store.head('dataset', 'absent')).toBeUndefined();
        await store.delete(stored.iri);
        expect(await store.head('dataset', 'a')).toBeUndefined();
      }),
    );

    it(
      'changes its change mark on every write and on nothing else',
      withStore(async ({ store }) => {
        const start = store.changeMark();
        await store.get('dataset', 'a');
        expect(store.changeMark()).toBe(start);
        const stored = await store.put(record('http://ex/datasets/a'));
        const afterPut = store.changeMark();
        expect(afterPut).not.toBe(start);
        await store.head('dataset', 'a');
        await all(store.scan());
        expect(store.changeMark()).toBe(afterPut);
        await store.delete(stored.iri);
        expect(store.changeMark()).not.toBe(afterPut);
      }),
    );

    it(
      'replaces by IRI, keeping created and changing version, modified and seq',
      withStore(async ({ store }) => {
        const first = await store.put(record('http://ex/datasets/a'));
        await new Promise((r) => setTimeout(r, 5));
        const second = await store.put(record('http://ex/datasets/a', { nt: '<http://ex/datasets/a> <http://ex/p> "2" .\n' }));
        expect(second.created).toBe(first.created);
        expect(second.modified > first.modified).toBe(true);
        expect(second.version).not.toBe(first.version);
        expect(second.seq).toBeGreaterThan(first.seq);
        expect(await store.count()).toBe(1);
      }),
    );

    it(
      'changes the version on every write, even of identical content',
      withStore(async ({ store }) => {
        const versions = new Set<string>();
        for (let i = 0; i < 3; i++) versions.add((await store.put(record('http://ex/datasets/a'))).version);
        expect(versions.size).toBe(3);
      }),
    );

    it(
      'numbers changes strictly increasing across creates, updates and deletes',
      withStore(async ({ store }) => {
        const seqs = [
          (await store.put(record('http://ex/datasets/a'))).seq,
          (await store.put(record('http://ex/datasets/b'))).seq,
          (await store.put(record('http://ex/datasets/a'))).seq,
          (await store.delete('http://ex/datasets/b'))!.seq,
          (await store.put(record('http://ex/datasets/c'))).seq,
        ];
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).toBe(seqs.length);
        expect((await store.state()).lastSeq).toBe(seqs[seqs.length - 1]);
      }),
    );

    it(
      'deletes a record and leaves a tombstone with its sequence number',
      withStore(async ({ store }) => {
        await store.put(record('http://ex/datasets/a'));
        const tombstone = await store.delete('http://ex/datasets/a');
        expect(tombstone).toMatchObject({ iri: 'http://ex/datasets/a', kind: 'dataset', id: 'a' });
        expect(await store.get('dataset', 'a')).toBeUndefined();
        expect(await store.count()).toBe(0);
        expect(await store.tombstones()).toEqual([tombstone]);
        expect(await store.delete('http://ex/datasets/a')).toBeUndefined();
        const revived = await store.put(record('http://ex/datasets/a'));
        expect(revived.seq).toBeGreaterThan(tombstone!.seq);
        expect(await store.tombstones()).toEqual([]);
      }),
    );

    it(
      'refuses a second record of the same kind with the same id, storing nothing',
      withStore(async ({ store }) => {
        await store.put(record('http://ex/datasets/a'));
        const error = await store.put(record('http://other/datasets/a')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KatalogError);
        expect(error).toMatchObject({ code: 'conflict' });
        expect(await store.getByIri('http://other/datasets/a')).toBeUndefined();
        expect((await store.state()).lastSeq).toBe(1);
      }),
    );

    it(
      'checks versions and absence before writing',
      withStore(async ({ store }) => {
        const stored = await store.put(record('http://ex/datasets/a'));
        await expect(store.put(record('http://ex/datasets/a'), { ifVersion: 'stale' })).rejects.toMatchObject({ code: 'precondition-failed' });
        await expect(store.put(record('http://ex/datasets/a'), { ifAbsent: true })).rejects.toMatchObject({ code: 'precondition-failed' });
        await expect(store.delete('http://ex/datasets/a', { ifVersion: 'stale' })).rejects.toMatchObject({ code: 'precondition-failed' });
        expect((await store.getByIri('http://ex/datasets/a'))!.version).toBe(stored.version);
        const updated = await store.put(record('http://ex/datasets/a'), { ifVersion: stored.version });
        expect(updated.seq).toBe(stored.seq + 1);
      }),
    );

    it(
      'writes a batch in one transaction: all or nothing',
      withStore(async ({ store }) => {
        await store.put(record('http://ex/datasets/taken'));
        const batch = [record('http://ex/datasets/x'), record('http://ex/datasets/y'), record('http://elsewhere/datasets/taken')];
        await expect(store.putMany(batch)).rejects.toMatchObject({ code: 'conflict' });
        expect(await store.count()).toBe(1);
        expect((await store.state()).lastSeq).toBe(1);
        expect(await store.putMany(batch.slice(0, 2))).toHaveLength(2);
        expect(await store.count()).toBe(2 + 1);
      }),
    );

    it(
      'lists records by kind and by catalogue, in a stable order, in batches',
      withStore(async ({ store }) => {
        const datasets = Array.from({ length: 7 }, (_, i) => record(`http://ex/datasets/d${i}`));
        await store.putMany(datasets);
        await store.put(record('http://ex/services/s', { kind: 'service' }));
        await store.put(
          record('http://ex/catalogs/c', { kind: 'catalog', members: ['http://ex/datasets/d1', 'http://ex/datasets/d3', 'http://ex/services/s'] }),
        );
        const scanned = await all(store.scan({ kind: 'dataset' }, 3));
        expect(scanned.map((r) => r.id)).toEqual(datasets.map((d) => d.id));
        expect((await all(store.scan({ catalog: 'http://ex/catalogs/c' }, 2))).map((r) => r.id)).toEqual(['d1', 'd3', 's']);
        expect(await store.count({ uncatalogued: true })).toBe(6);
        expect((await store.get('dataset', 'd3'))!.catalog).toBe('http://ex/catalogs/c');
        expect((await store.get('catalog', 'c'))!.members?.sort()).toEqual(['http://ex/datasets/d1', 'http://ex/datasets/d3', 'http://ex/services/s']);
        expect(await store.count()).toBe(9);
        await store.delete('http://ex/catalogs/c');
        expect((await store.get('dataset', 'd3'))!.catalog).toBeUndefined();
      }),
    );

    it(
      'keeps everything when the database is reopened',
      withStore(async (harness) => {
        await harness.store.put(record('http://ex/datasets/a'));
        await harness.store.put(record('http://ex/datasets/b'));
        await harness.store.delete('http://ex/datasets/b');
        const before = await harness.store.state();
        const stored = await harness.store.get('dataset', 'a');
        const reopened = await harness.reopen();
        expect(await reopened.state()).toEqual(before);
        expect(await reopened.get('dataset', 'a')).toEqual(stored);
        expect(await reopened.tombstones()).toHaveLength(1);
        expect((await reopened.put(record('http://ex/datasets/c'))).seq).toBe(before.lastSeq + 1);
      }),
    );

    it(
      'keeps every version: changes() gives each create, update and delete with its representations, a re-create too',
      withStore(async ({ store }) => {
        const first = await store.put(record('http://ex/datasets/a'));
        const second = await store.put(record('http://ex/datasets/a', { nt: '<http://ex/datasets/a> <http://ex/p> "2" .\n', ttl: 'v2', jsonld: '{"v":2}' }));
        const tombstone = (await store.delete('http://ex/datasets/a'))!;
        const again = await store.put(record('http://ex/datasets/a', { ttl: 'v3' }));
        const changes = await store.changes(0, 100);
        expect(changes.map((c) => [c.seq, c.op, c.iri, c.kind, c.id])).toEqual([
          [first.seq, 'create', first.iri, 'dataset', 'a'],
          [second.seq, 'update', first.iri, 'dataset', 'a'],
          [tombstone.seq, 'delete', first.iri, 'dataset', 'a'],
          [again.seq, 'create', first.iri, 'dataset', 'a'],
        ]);
        expect(changes[0]).toMatchObject({
          version: first.version,
          at: first.modified,
          nt: first.nt,
          ttl: first.ttl,
          jsonld: first.jsonld,
          organisation: '974760673',
        });
        expect(changes[1]).toMatchObject({ version: second.version, ttl: 'v2', jsonld: '{"v":2}' });
        expect(changes[2]).toMatchObject({ at: tombstone.deleted, nt: '', ttl: '', jsonld: '' });
        expect(changes[3]).toMatchObject({ version: again.version, ttl: 'v3' });
        expect((await store.changes(second.seq, 1)).map((c) => c.seq)).toEqual([tombstone.seq]);
        expect(await store.changes(again.seq, 10)).toEqual([]);
      }),
    );

    it(
      "gives one kind's or one organisation's changes, in number order, with one representation or none",
      withStore(async ({ store }) => {
        const a = await store.put(record('http://ex/datasets/a'));
        const c = await store.put(record('http://ex/catalogs/c', { kind: 'catalog', id: 'c', organisation: '991825827' }));
        const b = await store.put(record('http://ex/datasets/b', { organisation: '991825827' }));
        const gone = (await store.delete('http://ex/datasets/a'))!;
        const seqs = async (query: Parameters<Store['changes']>[2], after = 0, limit = 100) => (await store.changes(after, limit, query)).map((x) => x.seq);
        expect(await seqs({ kind: 'dataset' })).toEqual([a.seq, b.seq, gone.seq]);
        expect(await seqs({ kind: 'catalog' })).toEqual([c.seq]);
        expect(await seqs({ organisation: '991825827' })).toEqual([c.seq, b.seq]);
        expect(await seqs({ organisation: '974760673' })).toEqual([a.seq, gone.seq]);
        expect(await seqs({ kind: 'dataset', organisation: '991825827' })).toEqual([b.seq]);
        expect(await seqs({ kind: 'dataset' }, a.seq, 1)).toEqual([b.seq]);
        const [nt] = await store.changes(0, 1, { only: 'nt' });
        expect(nt).toMatchObject({ nt: a.nt, ttl: '', jsonld: '' });
        const [none] = await store.changes(0, 1, { only: 'none' });
        expect(none).toMatchObject({ seq: a.seq, iri: a.iri, version: a.version, nt: '', ttl: '', jsonld: '' });
      }),
    );

    it(
      'compacts the history: superseded versions, or changes before a time, never the latest change, never a number twice',
      withStore(async ({ store }) => {
        const a1 = await store.put(record('http://ex/datasets/a'));
        const b1 = await store.put(record('http://ex/datasets/b'));
        const a2 = await store.put(record('http://ex/datasets/a', { ttl: 'v2' }));
        const goneB = (await store.delete('http://ex/datasets/b'))!;
        const c1 = await store.put(record('http://ex/datasets/c'));
        const c2 = await store.put(record('http://ex/datasets/c', { ttl: 'v2' }));
        const seqs = async () => (await store.changes(0, 100)).map((x) => x.seq);
        expect(await store.compactChanges({ superseded: true })).toBe(3);
        // The latest version of each record, and every delete.
        expect(await seqs()).toEqual([a2.seq, goneB.seq, c2.seq]);
        expect(a1.seq + b1.seq + c1.seq).toBeGreaterThan(0);
        expect(await store.compactChanges({ superseded: true })).toBe(0);
        // Before a time: all but the latest change.
        expect(await store.compactChanges({ before: '9999-01-01T00:00:00.000Z' })).toBe(2);
        expect(await seqs()).toEqual([c2.seq]);
        expect((await store.put(record('http://ex/datasets/d'))).seq).toBe(c2.seq + 1);
        expect((await store.get('dataset', 'a'))!.version).toBe(a2.version);
      }),
    );

    it(
      'makes sequence numbers visible in commit order across processes: a reader never sees a lower number after a higher one',
      withStore(async ({ store, another }) => {
        const other = await another();
        const seen: number[] = [];
        let after = 0;
        // One reader, reading again and again while the writes go on (each read after the last).
        let reading = Promise.resolve();
        const read = () =>
          (reading = reading.then(async () => {
            for (const c of await store.changes(after, 1000)) {
              seen.push(c.seq);
              after = c.seq;
            }
          }));
        const writes: Array<Promise<unknown>> = [];
        for (let i = 0; i < 40; i++) {
          writes.push((i % 2 ? other : store).put(record(`http://ex/datasets/d${i}`)));
          if (i % 5 === 0) writes.push(read());
        }
        await Promise.all(writes);
        await read();
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
        expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      }),
    );

    it(
      'uses one clock: a write from a process whose clock is behind is not dated before what is already committed',
      withStore(async ({ store, another }) => {
        const other = await another();
        const first = await store.put(record('http://ex/datasets/a'));
        vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(first.modified) - 3_600_000 });
        try {
          const late = await other.put(record('http://ex/datasets/b'));
          expect(late.modified >= first.modified).toBe(true);
          expect(await all(store.scan({ modifiedSince: first.modified }))).toHaveLength(2);
        } finally {
          vi.useRealTimers();
        }
        const changes = await store.changes(0, 10);
        expect(changes.map((c) => c.at)).toEqual([...changes.map((c) => c.at)].sort());
      }),
    );

    it(
      'lets one of two writers holding the same version win (compare-and-set), the other gets precondition-failed',
      withStore(async ({ store, another }) => {
        const other = await another();
        const stored = await store.put(record('http://ex/datasets/a'));
        const outcomes = await Promise.allSettled([
          store.put(record('http://ex/datasets/a', { ttl: 'one' }), { ifVersion: stored.version }),
          other.put(record('http://ex/datasets/a', { ttl: 'two' }), { ifVersion: stored.version }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toMatchObject({ code: 'precondition-failed' });
        const winner = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<{ ttl: string; version: string }>).value;
        expect((await store.getByIri('http://ex/datasets/a'))!.ttl).toBe(winner.ttl);
        expect((await store.changes(0, 10)).map((c) => c.op)).toEqual(['create', 'update']);
      }),
    );

    it(
      "answers store-unavailable, not the driver's error, once the database is closed",
      withStore(async ({ store }) => {
        await store.put(record('http://ex/datasets/a'));
        await store.close();
        for (const attempt of [
          () => store.get('dataset', 'a'),
          () => store.state(),
          () => store.changes(0, 10),
          () => all(store.scan()),
          () => store.put(record('http://ex/datasets/b')),
          () => store.delete('http://ex/datasets/a'),
        ]) {
          await expect(attempt()).rejects.toMatchObject({ code: 'store-unavailable', extensions: { retryAfter: expect.any(Number) } });
        }
        expect(typeof store.changeMark()).toBe('string');
      }),
    );

    it(
      'names the node parts another live record also has, with their spans and N-Triples, until that record goes',
      withStore(async ({ store }) => {
        const agent = 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673';
        const described = (iri: string, extra = '') => {
          const graph = triplesOf(
            `<${iri}> <http://purl.org/dc/terms/publisher> <${agent}> .\n<${agent}> <http://xmlns.com/foaf/0.1/name> "Etaten" .\n` +
              `<${iri}> <http://www.w3.org/ns/dcat#distribution> <${iri}/d> .\n<${iri}/d> <http://purl.org/dc/terms/title> "d${extra}" .\n` +
              `<${iri}> <http://purl.org/dc/terms/title> "A title${extra}" .\n`,
          );
          const { parts, ...representations } = renderRecord(graph, namedNode(iri));
          return record(iri, { ...representations, parts });
        };
        await store.putMany([described('http://ex/datasets/a'), described('http://ex/datasets/b')]);
        await store.put(record('http://ex/datasets/c')); // written without parts: one run, nobody's sharer
        const sharedOf = async () => Object.fromEntries((await all(store.scan({ sharedParts: true }))).map((r) => [r.id, (r.shared ?? []).map((p) => p.node)]));
        expect(await sharedOf()).toEqual({ a: [agent], b: [agent], c: [] });
        const [a] = await all(store.scan({ iri: 'http://ex/datasets/a', sharedParts: true, only: 'ttl' }));
        const part = a!.shared![0]!;
        expect(a!.ttl.slice(...part.spans.ttl)).toContain('Etaten');
        expect(a!.nt).toBe('');
        // A part by its content, from whichever record holds it; none once no record does.
        expect(triplesOf((await store.nodeTriples(agent, part.hash))!).map((q) => q.subject.value)).toEqual([agent]);
        expect(await store.nodeTriples(agent, 'no-such-hash')).toBeUndefined();
        // Without `sharedParts`, records say nothing of parts.
        expect((await store.get('dataset', 'a'))!.shared).toBeUndefined();
        // A replace keeps parts current; a delete takes the record's parts away.
        await store.put(described('http://ex/datasets/b', ' that is longer now, so every run after the root moves'));
        expect(await sharedOf()).toEqual({ a: [agent], b: [agent], c: [] });
        for (const only of ['nt', 'ttl', 'jsonld'] as const) {
          const [b] = await all(store.scan({ iri: 'http://ex/datasets/b', sharedParts: true, only }));
          expect(b![only].slice(...b!.shared![0]!.spans[only]), only).toContain('Etaten');
        }
        await store.delete('http://ex/datasets/b');
        expect(await sharedOf()).toEqual({ a: [], c: [] });
        await store.delete('http://ex/datasets/a');
        expect(await store.nodeTriples(agent, part.hash)).toBeUndefined();
        await store.put(described('http://ex/datasets/a'));
        await store.put(record('http://ex/datasets/b'));
        expect(await sharedOf()).toEqual({ a: [], b: [], c: [] });
      }),
    );

    it(
      'finds records by words, filters and facets in the write’s own transaction, in position order, with a stable cursor',
      withStore(async ({ store }) => {
        const fields = (title: string, description: string, values: Partial<SearchFields['values']> = {}): SearchFields => ({
          texts: { title: [{ text: title, lang: 'nb' }], keyword: [], description: [{ text: description, lang: 'nb' }] },
          values: { theme: [], keyword: [], format: [], accessRights: [], license: [], openData: [], spatial: [], lifeEvent: [], businessEvent: [], ...values },
        });
        const SOCI = 'http://publications.europa.eu/resource/authority/data-theme/SOCI';
        const EDUC = 'http://publications.europa.eu/resource/authority/data-theme/EDUC';
        await store.put(
          record('http://ex/datasets/a', { search: fields('Befolkningsstatistikk', 'Tall for hele landet', { theme: [SOCI], openData: ['true'] }) }),
        );
        await store.put(record('http://ex/datasets/b', { search: fields('Barnehagedekning', 'Andel barn i barnehager', { theme: [EDUC, SOCI] }) }));
        await store.put(
          record('http://ex/datasets/c', { search: fields('Skoler', 'Om befolkningen i skolealder', { theme: [EDUC] }), organisation: '991825827' }),
        );
        const ids = async (query: Omit<SearchQuery, 'limit'>) => (await store.search({ limit: 10, ...query })).hits.map((r) => r.id);

        // Words begin words, in any case; search-engine syntax is text.
        expect(await ids({ q: 'befolkning' })).toEqual(['a', 'c']);
        expect(await ids({ q: 'BARNEHAGE' })).toEqual(['b']);
        expect(await ids({ q: 'befolkning tall' })).toEqual(['a']);
        for (const q of ['"befolkning', 'befolkning*', 'befolkning NEAR tall', '-befolkning', '(befolkning) OR', 'title:befolkning']) {
          expect((await store.search({ q, limit: 10 })).total, q).toBeGreaterThanOrEqual(0);
        }
        expect(await ids({ q: '*** ---' })).toEqual([]);
        // A long q is its first 32 words; too many filter values are refused, not a store failure.
        expect((await store.search({ q: 'befolkning '.repeat(5_000), limit: 1 })).total).toBe(2);
        await expect(store.search({ filters: { theme: Array.from({ length: 101 }, (_, i) => `t${i}`) }, limit: 1 })).rejects.toMatchObject({
          code: 'invalid-request',
        });
        expect((await store.search({ filters: { theme: Array.from({ length: 100 }, (_, i) => `t${i}`) }, limit: 1 })).total).toBe(0);
        // Filters: AND across fields, OR within one; publisher by organisation number.
        expect(await ids({ filters: { theme: [EDUC] } })).toEqual(['b', 'c']);
        expect(await ids({ filters: { theme: [EDUC], publisher: ['974760673'] } })).toEqual(['b']);
        expect(await ids({ filters: { openData: ['true'], theme: [EDUC] } })).toEqual([]);
        expect(await ids({ filters: { kind: ['dataset'] }, q: 'skoler' })).toEqual(['c']);
        await store.put(record('http://ex/catalogs/k', { kind: 'catalog', id: 'k', members: ['http://ex/datasets/c'] }));
        expect(await ids({ filters: { catalog: ['http://ex/catalogs/k'] } })).toEqual(['c']);
        expect(await ids({ filters: { kind: ['catalog'] } })).toEqual(['k']);
        await store.delete('http://ex/catalogs/k');
        // Facets count over the other filters, not their own.
        const faceted = await store.search({ filters: { theme: [EDUC] }, facets: ['theme', 'publisher'], limit: 10 });
        expect(faceted.total).toBe(2);
        // Most first, then by value: the theme facet ignores the theme filter, so SOCI counts a, b.
        expect(faceted.facets.theme).toEqual([
          { value: EDUC, count: 2 },
          { value: SOCI, count: 2 },
        ]);
        expect(faceted.facets.publisher).toContainEqual({ value: '991825827', count: 1 });
        // Paging by position visits every hit once while records are written between pages.
        const first = await store.search({ limit: 2 });
        expect(first.hits.map((r) => r.id)).toEqual(['a', 'b']);
        await store.put(record('http://ex/datasets/a', { search: fields('Befolkning endret', '') }));
        await store.put(record('http://ex/datasets/d', { search: fields('Nytt', '') }));
        expect(first.next).toMatchObject({ sort: 'position', position: first.hits.at(-1)!.position });
        const second = await store.search({ limit: 2, after: first.next });
        expect(second.next).toBeUndefined();
        expect(second.hits.map((r) => r.id)).toEqual(['c', 'd']);
        // Read your writes: a changed record is found by its new words only, a deleted one not at all.
        expect(await ids({ q: 'endret' })).toEqual(['a']);
        expect(await ids({ q: 'befolkningsstatistikk' })).toEqual([]);
        await store.delete('http://ex/datasets/b');
        expect(await ids({ q: 'barnehage' })).toEqual([]);
        expect(await ids({ filters: { theme: [EDUC] } })).toEqual(['c']);
        // Facets of the broadest search count every live record once per value; of a search with words, its hits.
        expect((await store.search({ facets: ['theme', 'kind'], limit: 1 })).facets).toEqual({
          theme: [{ value: EDUC, count: 1 }],
          kind: [{ value: 'dataset', count: 3 }],
        });
        expect((await store.search({ q: 'nytt endret', facets: ['kind'], limit: 1 })).facets.kind).toEqual([]);
        expect((await store.search({ q: 'nytt', facets: ['kind'], limit: 1 })).facets.kind).toEqual([{ value: 'dataset', count: 1 }]);
      }),
    );

    it(
      'sorts hits by latest write, title or relevance, each with a cursor that visits every hit once while records are written',
      withStore(async ({ store }) => {
        const fields = (titles: Array<[string, string]>, keyword: string[] = [], description = ''): SearchFields => ({
          texts: {
            title: titles.map(([text, lang]) => ({ text, lang })),
            keyword: keyword.map((text) => ({ text, lang: 'nb' })),
            description: description ? [{ text: description, lang: 'nb' }] : [],
          },
          values: { theme: [], keyword: [], format: [], accessRights: [], license: [], openData: [], spatial: [], lifeEvent: [], businessEvent: [] },
        });
        const put = (id: string, search: SearchFields) => store.put(record(`http://ex/datasets/${id}`, { search }));
        await put(
          'a',
          fields(
            [
              ['Årsverk i kommunene', 'nb'],
              ['Man-years', 'en'],
            ],
            [],
            'fisk',
          ),
        );
        await put('b', fields([['Øvelser', 'nb']], ['fisk']));
        await put(
          'c',
          fields([
            ['Fiskeri', 'nb'],
            ['Fisheries', 'en'],
          ]),
        );
        await put(
          'd',
          fields([
            ['Ærfugl', 'nb'],
            ['Eider ducks', 'en'],
          ]),
        );
        await put('e', fields([['Elver', 'nn']]));
        await put('f', fields([]));
        const ids = async (query: Omit<SearchQuery, 'limit'>) => (await store.search({ limit: 10, ...query })).hits.map((r) => r.id);

        // Latest write first.
        expect(await ids({ sort: 'modified' })).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
        // Titles in Norwegian order (æ, ø, å after z; case and accents folded), then English; no title last.
        expect(await ids({ sort: 'title' })).toEqual(['e', 'c', 'd', 'b', 'a', 'f']);
        expect(await ids({ sort: 'title', lang: 'en' })).toEqual(['d', 'e', 'c', 'a', 'b', 'f']);
        // A title above a keyword above a description; the phrase counts more.
        expect(await ids({ q: 'fisk', sort: 'relevance' })).toEqual(['c', 'b', 'a']);
        await put('g', fields([['Fisk og fiskeri', 'nb']]));
        expect(await ids({ q: 'fisk og', sort: 'relevance' })).toEqual(['g']);
        expect((await ids({ q: 'fisk', sort: 'relevance' }))[0]).toBe('g');

        // Paging newest first while records are created, changed and deleted between pages: each
        // record that was a hit at the first page comes exactly once, where it was then.
        const seen: string[] = [];
        let page = await store.search({ sort: 'modified', limit: 2 });
        const total = page.total;
        for (let round = 0; ; round++) {
          seen.push(...page.hits.map((r) => r.id));
          if (!page.next) break;
          if (round === 0) {
            await put('b', fields([['Øvelser, endret', 'nb']])); // not yet visited: stays where it was
            await put('g', fields([['Fisk og fiskeri, endret', 'nb']])); // visited: not again
            await put('h', fields([['Ny', 'nb']])); // created after the first page
          }
          if (round === 1) await store.delete('http://ex/datasets/a');
          page = await store.search({ sort: 'modified', limit: 2, after: page.next });
          expect(page.total).toBeLessThanOrEqual(total);
        }
        expect(seen).toEqual(['g', 'f', 'e', 'd', 'c', 'b']);
        // Title paging goes on where it was.
        const first = await store.search({ sort: 'title', limit: 3 });
        const rest = await store.search({ sort: 'title', limit: 10, after: first.next });
        expect([...first.hits, ...rest.hits].map((r) => r.id)).toEqual(await ids({ sort: 'title' }));
        // A cursor is for the order it was made in.
        await expect(store.search({ sort: 'title', limit: 2, after: page.next ?? first.next })).resolves.toBeDefined();
        await expect(store.search({ sort: 'modified', limit: 2, after: first.next })).rejects.toMatchObject({ code: 'invalid-request' });
      }),
    );

    it(
      'builds the search index again from every live record’s N-Triples, changing no record',
      withStore(async ({ store }) => {
        const titled = (iri: string, title: string) => record(iri, { nt: `<${iri}> <http://purl.org/dc/terms/title> "${title}"@nb .\n` });
        await store.putMany([titled('http://ex/datasets/a', 'Fiskeflåten'), titled('http://ex/datasets/b', 'Fiskeoppdrett')]);
        await store.put(titled('http://ex/datasets/c', 'Fiskevær'));
        await store.delete('http://ex/datasets/c');
        // Written without search fields: found by kind and publisher only.
        expect((await store.search({ q: 'fisk', limit: 10 })).total).toBe(0);
        expect((await store.search({ filters: { kind: ['dataset'] }, limit: 10 })).total).toBe(2);
        const before = await store.state();
        expect(await store.reindex()).toBe(2);
        expect((await store.search({ q: 'fisk', limit: 10 })).hits.map((r) => r.id)).toEqual(['a', 'b']);
        expect((await store.search({ q: 'fiskeflåten', limit: 10 })).hits.map((r) => r.id)).toEqual(['a']);
        expect(await store.state()).toEqual(before);
      }),
    );

    it(
      'counts facets as the store is now: after its own writes (not a rolled-back one), another process’s writes and a reindex',
      withStore(async ({ store, another }) => {
        const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
        const themed = (iri: string, ...themes: string[]) =>
          record(iri, {
            search: {
              texts: { title: [{ text: 'Tall', lang: 'nb' }], keyword: [], description: [] },
              values: {
                theme: themes.map((t) => THEME + t),
                keyword: [],
                format: [],
                accessRights: [],
                license: [],
                openData: [],
                spatial: [],
                lifeEvent: [],
                businessEvent: [],
              },
            },
          });
        const facets = async (query: Omit<SearchQuery, 'limit' | 'facets'> = {}) =>
          (await store.search({ facets: ['theme', 'kind'], limit: 1, ...query })).facets;
        const theme = (counts: Record<string, number>) =>
          Object.entries(counts)
            .map(([t, count]) => ({ value: THEME + t, count }))
            .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
        await store.put(themed('http://ex/datasets/a', 'SOCI'));
        await store.put(themed('http://ex/datasets/b', 'EDUC', 'SOCI'));
        expect(await facets()).toEqual({ theme: theme({ SOCI: 2, EDUC: 1 }), kind: [{ value: 'dataset', count: 2 }] });
        // A write and a delete of this store count at once; a batch that fails counts nothing of itself.
        await store.put(themed('http://ex/datasets/a', 'ENVI'));
        await store.put(themed('http://ex/datasets/c', 'EDUC'));
        await store.delete('http://ex/datasets/b');
        await expect(store.putMany([themed('http://ex/datasets/d', 'TECH'), themed('http://ex/other/a', 'TECH')])).rejects.toMatchObject({
          code: 'conflict',
        });
        expect(await facets()).toEqual({ theme: theme({ ENVI: 1, EDUC: 1 }), kind: [{ value: 'dataset', count: 2 }] });
        expect(await facets({ q: 'tall', filters: { theme: [THEME + 'EDUC'] } })).toEqual({
          theme: theme({ ENVI: 1, EDUC: 1 }),
          kind: [{ value: 'dataset', count: 1 }],
        });
        // Another process's writes count at the next search.
        const other = await another();
        await other.put(themed('http://ex/datasets/e', 'EDUC'));
        await other.delete('http://ex/datasets/a');
        expect(await facets()).toEqual({ theme: theme({ EDUC: 2 }), kind: [{ value: 'dataset', count: 2 }] });
        await store.put(themed('http://ex/datasets/f', 'TECH'));
        expect(await facets({ filters: { kind: ['dataset'] } })).toEqual({ theme: theme({ EDUC: 2, TECH: 1 }), kind: [{ value: 'dataset', count: 3 }] });
        // A facet of an unfiltered field counts the hits of a paging as of its first page.
        const first = await store.search({ sort: 'modified', filters: { kind: ['dataset'] }, facets: ['theme'], limit: 1 });
        await store.put(themed('http://ex/datasets/g', 'EDUC'));
        const second = await store.search({ sort: 'modified', filters: { kind: ['dataset'] }, facets: ['theme'], limit: 1, after: first.next });
        expect(second.total).toBe(first.total);
        expect(second.facets.theme).toEqual(first.facets.theme);
        // A reindex reads the records' N-Triples, which name no theme.
        const otherFacets = async () => (await other.search({ facets: ['theme', 'kind'], limit: 1 })).facets;
        expect((await otherFacets()).theme).not.toEqual([]); // the other process has counted them before
        await store.reindex();
        expect(await facets()).toEqual({ theme: [], kind: [{ value: 'dataset', count: 4 }] });
        // Another process's reindex counts at the next search too.
        expect(await otherFacets()).toEqual({ theme: [], kind: [{ value: 'dataset', count: 4 }] });
      }),
    );

    it(
      'runs work under one name one store at a time, also across stores of the same database, and frees the name when work fails',
      withStore(async ({ store, another }) => {
        const other = await another();
        const log: string[] = [];
        const work = (who: string) => async () => {
          log.push(`${who} in`);
          await new Promise((resolve) => setTimeout(resolve, 30));
          log.push(`${who} out`);
          return who;
        };
        const results = await Promise.all([store.whileLocked('load', work('a')), other.whileLocked('load', work('b')), store.whileLocked('load', work('c'))]);
        expect(results).toEqual(['a', 'b', 'c']);
        // Never two inside at once: every "in" is followed by its own "out".
        for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace(' in', ' out'));
        await expect(store.whileLocked('load', async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
        expect(await other.whileLocked('load', async () => 'free')).toBe('free');
      }),
    );

    it(
      'keeps API keys by hash and revokes them',
      withStore(async ({ store }) => {
        const key = {
          id: 'abc123def456',
          hash: 'abc123def456' + '0'.repeat(52),
          organisation: '974760673',
          admin: false,
          label: 'case system',
          created: new Date().toISOString(),
        };
        await store.addApiKey(key);
        await store.addApiKey({ ...key, id: 'fff', hash: 'f'.repeat(64), organisation: '991825827', admin: true, label: undefined });
        expect(await store.findApiKey(key.hash)).toEqual(key);
        expect(await store.findApiKey('0'.repeat(64))).toBeUndefined();
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual(['abc123def456', 'fff']);
        expect(await store.revokeApiKey('abc123def456')).toBe(true);
        expect(await store.revokeApiKey('abc123def456')).toBe(false);
        expect(await store.findApiKey(key.hash)).toBeUndefined();
        expect((await store.listApiKeys())[0]!.revoked).toBeDefined();
      }),
    );

    it(
      'decides a write from the claims on the IRIs it touches, and stores nothing when the verdict refuses it',
      withStore(async ({ store }) => {
        const member = 'http://ex/datasets/m';
        await store.put(record('http://ex/catalogs/c', { kind: 'catalog', id: 'c', members: [member] }));
        let seen: Map<string, IriClaim> | undefined;
        const stored = await store.put(record('http://ex/datasets/x', { organisation: undefined }), {
          decide: {
            iris: ['http://ex/datasets/x', member, 'http://ex/catalogs/c'],
            verdict: (claims) => ((seen = claims), { organisation: '991825827' }),
          },
        });
        expect(stored.organisation).toBe('991825827');
        expect((await store.get('dataset', 'x'))!.organisation).toBe('991825827');
        expect(seen!.get(member)).toEqual({ listedBy: [{ catalog: 'http://ex/catalogs/c', organisation: '974760673' }] });
        expect(seen!.get('http://ex/catalogs/c')!.record).toEqual({ kind: 'catalog', id: 'c', organisation: '974760673', deleted: false });
        expect(seen!.has('http://ex/datasets/x')).toBe(false);

        const before = await store.state();
        const refuse = () => {
          throw new KatalogError('forbidden', 'not yours');
        };
        await expect(store.put(record('http://ex/datasets/y'), { decide: { iris: ['http://ex/datasets/y'], verdict: refuse } })).rejects.toMatchObject({
          code: 'forbidden',
        });
        // The owner the verdict names is required of the stored record too.
        await expect(
          store.put(record('http://ex/datasets/x'), {
            decide: { iris: ['http://ex/datasets/x'], verdict: () => ({ organisation: '974760673', ifOwner: '974760673' }) },
          }),
        ).rejects.toMatchObject({ code: 'forbidden' });
        expect(await store.state()).toEqual(before);
        expect(await store.get('dataset', 'y')).toBeUndefined();
      }),
    );

    it(
      'decides each write of a batch from the claims as the earlier writes of the batch left them',
      withStore(async ({ store }) => {
        const a = 'http://ex/datasets/a';
        const refuseHeld = (iri: string) => (claims: Map<string, IriClaim>) => {
          const claim = claims.get(iri);
          if (claim?.record || claim?.listedBy.length) throw new KatalogError('forbidden', `<${iri}> is held`);
          return { organisation: '991825827' };
        };
        // Sent in one turn, so a store that groups writes has them together.
        const outcomes = await Promise.allSettled([
          store.put(record(a), { decide: { iris: [a], verdict: () => ({ organisation: '974760673' }) } }),
          store.put(record('http://ex/datasets/b', { organisation: undefined }), { decide: { iris: ['http://ex/datasets/b', a], verdict: refuseHeld(a) } }),
          store.put(record('http://ex/catalogs/c', { kind: 'catalog', id: 'c', members: ['http://ex/datasets/d'] })),
          store.put(record('http://ex/datasets/d', { organisation: undefined }), {
            decide: { iris: ['http://ex/datasets/d'], verdict: refuseHeld('http://ex/datasets/d') },
          }),
          store.put(record('http://ex/datasets/e', { organisation: undefined }), {
            decide: { iris: ['http://ex/datasets/e', 'http://ex/datasets/z'], verdict: refuseHeld('http://ex/datasets/z') },
          }),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
        expect(await store.get('dataset', 'b')).toBeUndefined();
        expect(await store.get('dataset', 'd')).toBeUndefined();
        expect((await store.get('dataset', 'e'))!.organisation).toBe('991825827');
        expect((await store.state()).count).toBe(3);
      }),
    );

    it(
      'stops knowing a key soon after another process revokes it, and knows a key another process adds at once',
      withStore(async ({ store, another }) => {
        const key = { id: 'k1', hash: '1'.repeat(64), organisation: '974760673', admin: false, created: new Date().toISOString() };
        await store.addApiKey(key);
        expect(await store.findApiKey(key.hash)).toEqual(key); // remembered, where a store remembers keys
        const other = await another();
        expect(await store.findApiKey('2'.repeat(64))).toBeUndefined();
        await other.addApiKey({ ...key, id: 'k2', hash: '2'.repeat(64) });
        expect((await store.findApiKey('2'.repeat(64)))?.id).toBe('k2');
        expect(await other.revokeApiKey('k1')).toBe(true);
        const until = Date.now() + 2000;
        while ((await store.findApiKey(key.hash)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(await store.findApiKey(key.hash)).toBeUndefined();
        expect((await store.findApiKey('2'.repeat(64)))?.id).toBe('k2');
      }),
    );
  });
}
