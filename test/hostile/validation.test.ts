/**
 * Hostile validation: every profile, now that the engine runs all of SHACL Core (qualified counts
 * over vocabularies, logical shapes, every targeted node), on the bodies that make validation work
 * hardest while staying under the parse bounds: thousands of values of a vocabulary property, a
 * dataset reaching thousands of distributions, a long cycle of blank nodes, thousands of targeted
 * nodes no record reaches, and a service with thousands of contact points. Each must be answered
 * (200 or 422) within the harness's bounds of time, memory and liveness.
 */
import { describe } from 'vitest';
import { dataset, service, TURTLE, TURTLE_PREFIXES, values } from './bodies.js';
import { hostileCase, useKatalog } from './harness.js';

useKatalog();

const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
const DCAT_PROFILES = ['dcat-ap-no', 'dcat-ap-no-3', 'dcat-ap'];
const SERVICE_PROFILES = ['cpsv-ap-no', 'cpsv-ap'];
const answered = { status: [200, 422], kind: 'shacl-violation', maxBodyBytes: 4 * 2 ** 20 };

/** `n` distributions of one dataset, each with a format, a licence and an access URL. */
const distributions = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://x.test/d/${i}> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ; dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ]`,
  ).join(' ;\n  ');

/** A cycle of `n` blank nodes, each a dcat:Distribution linked to the next by dct:relation. */
const distributionCycle = (n: number) => Array.from({ length: n }, (_, i) => `_:c${i} a dcat:Distribution ; dct:relation _:c${(i + 1) % n} .`).join('\n');

describe('hostile validation: every profile on the hardest bodies', () => {
  for (const profile of DCAT_PROFILES) {
    const path = `/validate?profile=${profile}`;

    hostileCase(
      `${profile}: 9,000 themes (half outside every vocabulary) on one dataset`,
      () => ({ path, contentType: TURTLE, body: dataset({ props: [values('dcat:theme', 9_000, (i) => (i % 2 ? `<${THEME}X${i}>` : `<${THEME}ECON>`))] }) }),
      answered,
    );

    hostileCase(
      `${profile}: one dataset with 3,000 distributions`,
      () => ({ path, contentType: TURTLE, body: dataset({ props: [distributions(3_000)] }) }),
      answered,
    );

    hostileCase(
      `${profile}: a cycle of 4,000 blank distributions reached from a dataset`,
      () => ({ path, contentType: TURTLE, body: dataset({ props: ['dct:relation _:c0'], after: distributionCycle(4_000) }) }),
      answered,
    );

    hostileCase(
      `${profile}: 4,000 catalogue records, distributions and agents that no record reaches`,
      () => ({
        path,
        contentType: TURTLE,
        body: `${TURTLE_PREFIXES}\n${Array.from({ length: 1_300 }, (_, i) => `<http://x.test/r/${i}> a dcat:CatalogRecord ; <http://xmlns.com/foaf/0.1/primaryTopic> <http://x.test/d/${i}> .\n<http://x.test/dist/${i}> a dcat:Distribution .\n<http://x.test/agent/${i}> a foaf:Agent .`).join('\n')}\n`,
      }),
      answered,
    );
  }

  for (const profile of SERVICE_PROFILES) {
    hostileCase(
      `${profile}: a public service with 3,000 contact points and 3,000 languages`,
      () => ({
        path: `/validate?profile=${profile}`,
        contentType: TURTLE,
        body: service().replace(
          'dct:identifier "tjeneste" ;',
          `dct:identifier "tjeneste" ;\n  ${values('cv:contactPoint', 3_000, (i) => `[ a cv:ContactPoint ; cv:email "k${i}@x.test" ]`)} ;\n  ${values('dct:language', 3_000, (i) => `<http://publications.europa.eu/resource/authority/language/X${i}>`)} ;`,
        ),
      }),
      answered,
    );
  }
});
