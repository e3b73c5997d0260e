import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/core/validation/engine.js';
import { readGraph, resources, VALIDATION_FIXTURES } from '../../helpers/validation.js';
import { join } from 'node:path';

const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';

async function violationsOf(file: string, profile = 'dcat-ap-no') {
  const graph = await readGraph(join(VALIDATION_FIXTURES, profile, file));
  return validateGraph(graph, resources().profiles.get(profile)!.compiled, resources().vocabularies).results.filter((r) => r.severity === 'Violation');
}

describe('vocabulary checks', () => {
  it('requires at least one theme from the EU data-theme vocabulary, whatever else the themes are', async () => {
    const [v] = await violationsOf('invalid-theme-without-data-theme.ttl');
    expect(v).toMatchObject({ path: DCAT + 'theme', component: 'QualifiedMinCountConstraintComponent' });
    expect(v!.messages.nb).toContain('EUs vokabular for datatema');
    expect(v!.messages.en).toContain('EU data theme vocabulary');
    expect(await violationsOf('valid-theme-eurovoc-in-addition.ttl')).toEqual([]);
  });

  it('catches a made-up file type and suggests the nearest concept', async () => {
    const [v] = await violationsOf('invalid-made-up-file-type.ttl');
    expect(v).toMatchObject({ path: DCT + 'format' });
    expect(v!.messages.en).toContain('http://publications.europa.eu/resource/authority/file-type');
    expect(v!.messages.en).toContain('Did you mean <http://publications.europa.eu/resource/authority/file-type/CSV>');
    expect(v!.messages.nb).toContain('Mente du <http://publications.europa.eu/resource/authority/file-type/CSV>');
  });

  it('catches a licence that is not an IRI of the licence vocabulary', async () => {
    const violations = await violationsOf('invalid-wrong-licence.ttl');
    expect(violations.some((v) => v.path === DCT + 'license' && v.value?.value === 'NLOD 2.0')).toBe(true);
  });

  it('answers membership from the index, with deprecated concepts told apart', () => {
    const index = resources().vocabularies;
    expect(
      index.membership('http://publications.europa.eu/resource/authority/data-theme/ECON', 'http://publications.europa.eu/resource/authority/data-theme'),
    ).toBe('member');
    expect(
      index.membership('http://publications.europa.eu/resource/authority/data-theme/ECON', 'http://publications.europa.eu/resource/authority/file-type'),
    ).toBe('outside');
    expect(
      index.membership('http://publications.europa.eu/resource/authority/data-theme/NOPE', 'http://publications.europa.eu/resource/authority/data-theme'),
    ).toBe('outside');
    const licence = resources().vocabularies.byId('licence')!;
    expect(licence.complete).toBe(true);
    expect(
      index.nearest('http://publications.europa.eu/resource/authority/data-theme/ECO', 'http://publications.europa.eu/resource/authority/data-theme')?.iri,
    ).toBe('http://publications.europa.eu/resource/authority/data-theme/ECON');
    expect(
      index.nearest(
        'http://publications.europa.eu/resource/authority/data-theme/COMPLETELY-DIFFERENT',
        'http://publications.europa.eu/resource/authority/data-theme',
      ),
    ).toBeUndefined();
  });
});
