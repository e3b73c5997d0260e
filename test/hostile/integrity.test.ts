/**
 * Hostile writes with valid keys: organisation A (974760673) trying to say things about B's
 * (971526920) records, catalogue and organisation; services naming B as an authority; ids and
 * tombstones that could let A take over B's IRIs; values no syntax Katalog serves can hold; and
 * publisher IRIs that merely mention A's number. Each is refused and changes nothing.
 */
import { Parser } from 'n3';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, dataset, hashedId, NS, service, TURTLE, unique } from './bodies.js';
import {
  CASE_TIMEOUT,
  describeReply,
  detailOf,
  get,
  hostileCase,
  ORG_A,
  ORG_B,
  orgIri,
  PUBLIC_BASE_URL,
  type Reply,
  runCase,
  send,
  useKatalog,
} from './harness.js';

const katalog = useKatalog();

/** B's records, written with B's key before the cases. */
const b = { dataset: '', catalog: '', catalogId: '' };

/** A write that must succeed (setting up a case); fails the test with the answer otherwise. */
async function mustWrite(method: 'POST' | 'PUT' | 'DELETE', path: string, key: string, body?: string): Promise<Reply> {
  const r = await send(katalog.base, { method, path, key, contentType: TURTLE, body });
  expect([200, 201, 204], `${method} ${path}: ${describeReply(r)}`).toContain(r.status);
  return r;
}

beforeAll(async () => {
  b.dataset = `https://data.b.test/datasets/main-${unique()}`;
  await mustWrite('POST', '/datasets', katalog.keys.b, dataset({ subject: `<${b.dataset}>`, org: ORG_B }));
  b.catalog = `https://data.b.test/catalogs/${unique()}`;
  const created = await mustWrite('POST', '/catalogs', katalog.keys.b, catalog({ subject: `<${b.catalog}>`, org: ORG_B, datasets: [b.dataset] }));
  b.catalogId = created.json().id;
}, CASE_TIMEOUT);

/** The whole catalogue as Turtle does not contain `text`. */
async function catalogueLacks(text: string) {
  const whole = await get(katalog.base, '/catalog');
  expect(whole.status).toBe(200);
  expect(whole.text.includes(text), `GET /catalog contains ${text}`).toBe(false);
}

const forbiddenNaming = (iri: string) => ({
  status: 403,
  kind: 'forbidden',
  check: (r: Reply) => expect(detailOf(r), 'the refusal names the IRI').toContain(iri),
});

/** A's dataset, with A's key, to POST /datasets. */
const asA =
  (body: string, path = '/datasets') =>
  () => ({ path, key: katalog.keys.a, contentType: TURTLE, body });

describe('hostile integrity: writing for another organisation', () => {
  it(
    'refuses A\'s dataset that describes B\'s dataset (dct:title "INJECTED") with 403 naming it',
    async () => {
      const body = dataset({ props: [`dct:relation <${b.dataset}>`], after: `<${b.dataset}> dct:title "INJECTED"@nb .` });
      await runCase(asA(body), forbiddenNaming(b.dataset));
      await catalogueLacks('INJECTED');
    },
    CASE_TIMEOUT,
  );

  it(
    "refuses A's dataset that describes B's catalogue with 403 naming it",
    async () => {
      const body = dataset({ props: [`dct:relation <${b.catalog}>`], after: `<${b.catalog}> dct:title "INJECTED-CATALOGUE"@nb .` });
      await runCase(asA(body), forbiddenNaming(b.catalog));
      await catalogueLacks('INJECTED-CATALOGUE');
    },
    CASE_TIMEOUT,
  );

  it(
    'refuses A\'s dataset that describes B\'s organisation (foaf:name "evil") with 403',
    async () => {
      const name = `evil-${unique()}`;
      const body = dataset({ props: [`dct:creator <${orgIri(ORG_B)}>`], after: `<${orgIri(ORG_B)}> a foaf:Agent ; foaf:name "${name}" .` });
      await runCase(asA(body), { status: 403, kind: 'forbidden' });
      await catalogueLacks(name);
    },
    CASE_TIMEOUT,
  );

  hostileCase(
    "accepts A's dataset that only links B's dataset and organisation (control)",
    () => asA(dataset({ props: [`dct:relation <${b.dataset}>`, `dct:creator <${orgIri(ORG_B)}>`] }))(),
    { status: 201, writes: true },
  );

  hostileCase(
    'refuses a public service with dct:publisher A and cv:hasCompetentAuthority B with 403',
    asA(service({ publisher: ORG_A, authorities: [ORG_B] }), '/services'),
    { status: 403, kind: 'forbidden' },
  );

  hostileCase('refuses a public service with two competent authorities, A and B, with 403', asA(service({ authorities: [ORG_A, ORG_B] }), '/services'), {
    status: 403,
    kind: 'forbidden',
  });

  hostileCase('refuses a public service of A with cv:ownedBy B with 403', asA(service({ authorities: [ORG_A], ownedBy: ORG_B }), '/services'), {
    status: 403,
    kind: 'forbidden',
  });

  hostileCase("accepts A's own public service (control)", asA(service({ authorities: [ORG_A] }), '/services'), { status: 201, writes: true });

  it(
    "refuses A's catalogue listing B's dataset with 403 naming it, and B's catalogue still lists it",
    async () => {
      await runCase(
        () => ({ path: '/catalogs', key: katalog.keys.a, contentType: TURTLE, body: catalog({ org: ORG_A, datasets: [b.dataset] }) }),
        forbiddenNaming(b.dataset),
      );
      const theirs = await get(katalog.base, `/catalogs/${b.catalogId}`, { accept: 'text/turtle' });
      expect(theirs.status, describeReply(theirs)).toBe(200);
      const quads = new Parser({ format: 'Turtle' }).parse(theirs.text);
      expect(quads.some((q) => q.subject.value === b.catalog && q.predicate.value === NS.dcat + 'dataset' && q.object.value === b.dataset)).toBe(true);
    },
    CASE_TIMEOUT,
  );

  hostileCase(
    "accepts A's catalogue listing A's own dataset (control)",
    () => ({
      path: '/catalogs',
      key: katalog.keys.a,
      contentType: TURTLE,
      body: catalog({ org: ORG_A, datasets: [`${PUBLIC_BASE_URL}/datasets/enhetsregisteret`] }),
    }),
    { status: 201, writes: true },
  );

  it(
    "refuses A's POST and PUT of B's deleted dataset with 403: the tombstone keeps the owner",
    async () => {
      const iri = `https://data.b.test/datasets/doomed-${unique()}`;
      const created = await mustWrite('POST', '/datasets', katalog.keys.b, dataset({ subject: `<${iri}>`, org: ORG_B }));
      const id = created.json().id as string;
      await mustWrite('DELETE', `/datasets/${id}`, katalog.keys.b);
      await runCase(asA(dataset({ subject: `<${iri}>` })), forbiddenNaming(iri));
      await runCase(
        () => ({ method: 'PUT', path: `/datasets/${id}`, key: katalog.keys.a, contentType: TURTLE, body: dataset({ subject: `<${iri}>` }) }),
        forbiddenNaming(iri),
      );
    },
    CASE_TIMEOUT,
  );

  it(
    'lets B create IRI X after A created and deleted /datasets/<sha256(X)> by PUT with a blank root (ids from IRIs never collide with minted ones)',
    async () => {
      const x = `https://data.b.test/datasets/x-${unique()}`;
      const h = hashedId(x);
      const put = await runCase(() => ({ method: 'PUT', path: `/datasets/${h}`, key: katalog.keys.a, contentType: TURTLE, body: dataset() }), {
        status: [201, 400],
        kind: 'invalid-request',
        writes: true,
      });
      if (put.status === 201) await mustWrite('DELETE', `/datasets/${h}`, katalog.keys.a);
      const theirs = await runCase(() => ({ path: '/datasets', key: katalog.keys.b, contentType: TURTLE, body: dataset({ subject: `<${x}>`, org: ORG_B }) }), {
        status: 201,
        writes: true,
      });
      if (theirs.status !== 201) return;
      const read = await get(katalog.base, String(theirs.headers.location).slice(PUBLIC_BASE_URL.length), { accept: 'text/turtle' });
      expect(read.status, describeReply(read)).toBe(200);
      expect(read.text).toContain(x);
    },
    CASE_TIMEOUT,
  );

  it(
    "keeps A's record at /datasets/<sha256(Y)> and B's record with IRI Y apart while both live",
    async () => {
      const y = `https://data.b.test/datasets/y-${unique()}`;
      const h = hashedId(y);
      const put = await runCase(() => ({ method: 'PUT', path: `/datasets/${h}`, key: katalog.keys.a, contentType: TURTLE, body: dataset() }), {
        status: [201, 400],
        kind: 'invalid-request',
        writes: true,
      });
      const theirs = await runCase(() => ({ path: '/datasets', key: katalog.keys.b, contentType: TURTLE, body: dataset({ subject: `<${y}>`, org: ORG_B }) }), {
        status: 201,
        writes: true,
      });
      if (theirs.status !== 201) return;
      const location = String(theirs.headers.location);
      const read = await get(katalog.base, location.slice(PUBLIC_BASE_URL.length), { accept: 'text/turtle' });
      expect(read.text, "B's record is served at its Location").toContain(y);
      if (put.status === 201) {
        expect(location).not.toBe(`${PUBLIC_BASE_URL}/datasets/${h}`);
        const ours = await get(katalog.base, `/datasets/${h}`, { accept: 'text/turtle' });
        expect(ours.status).toBe(200);
        expect(ours.text, "A's record is still A's").toContain(`${PUBLIC_BASE_URL}/datasets/${h}`);
        expect(ours.text).not.toContain(y);
      }
    },
    CASE_TIMEOUT,
  );

  /** GET /catalog?format=rdf is whole, plain and gzip-compressed. */
  async function rdfXmlCatalogueIsWhole() {
    for (const headers of [{}, { 'accept-encoding': 'gzip' }] as Array<Record<string, string>>) {
      const r = await runCase({ method: 'GET', path: '/catalog?format=rdf', headers }, { status: 200, maxBodyBytes: 64 * 2 ** 20 });
      if (headers['accept-encoding']) expect(r.headers['content-encoding'], 'the catalogue is sent gzip-compressed').toBe('gzip');
      expect(r.text.trimEnd().endsWith('</rdf:RDF>'), `GET /catalog?format=rdf ${JSON.stringify(headers)} ends with </rdf:RDF>: …${r.text.slice(-200)}`).toBe(
        true,
      );
    }
  }

  it(
    'refuses a dataset whose literal holds U+0001 with 422 unrepresentable naming the value and the syntax; the RDF/XML catalogue stays whole',
    async () => {
      const body = dataset({ props: ['dct:description "kontroll\\u0001tegn"@en'] });
      await runCase(asA(body), {
        status: 422,
        kind: 'unrepresentable',
        check: (r) => {
          expect(detailOf(r)).toMatch(/RDF\/XML/);
          expect(detailOf(r)).toMatch(/kontroll|U\+0001|\\u0001/);
        },
      });
      await rdfXmlCatalogueIsWhole();
    },
    CASE_TIMEOUT,
  );

  it(
    'refuses a dataset with a property <http://x.test/p/1> (no XML element name) with 422 unrepresentable naming it and the syntax; the RDF/XML catalogue stays whole',
    async () => {
      const body = dataset({ props: ['<http://x.test/p/1> "verdi"'] });
      await runCase(asA(body), {
        status: 422,
        kind: 'unrepresentable',
        check: (r) => {
          expect(detailOf(r)).toMatch(/RDF\/XML/);
          expect(detailOf(r)).toContain('http://x.test/p/1');
        },
      });
      await rdfXmlCatalogueIsWhole();
    },
    CASE_TIMEOUT,
  );

  hostileCase("refuses A's key for the publisher <urn:evil:974760673> with 403", asA(dataset({ publisher: `urn:evil:${ORG_A}` })), {
    status: 403,
    kind: 'forbidden',
  });

  hostileCase(
    "refuses A's key for the publisher <https://data.brreg.no/enhetsregisteret/api/enheter/991825827?x=974760673> with 403",
    asA(dataset({ publisher: `https://data.brreg.no/enhetsregisteret/api/enheter/991825827?x=${ORG_A}` })),
    { status: 403, kind: 'forbidden' },
  );

  hostileCase(
    "accepts A's key for the publisher <https://data.brreg.no/enhetsregisteret/api/enheter/974760673> (control)",
    asA(dataset({ publisher: `https://data.brreg.no/enhetsregisteret/api/enheter/${ORG_A}` })),
    { status: 201, writes: true },
  );
});
