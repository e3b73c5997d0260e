import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { type Profile, type ProfileInfo, ProfileRegistry } from '../core/validation/profiles.js';
import { compileShapes, usedSchemes } from '../core/validation/shapes.js';
import { type VocabularyInfo, VocabularyIndex } from '../core/vocabularies.js';
import { projectFile } from '../project-files.js';

/** The vocabularies and profiles the validator needs, loaded once at start. */
export interface ValidationResources {
  vocabularies: VocabularyIndex;
  profiles: ProfileRegistry;
  /** Each vocabulary's triples by id, served at /vocabularies/{id}. */
  vocabularyTriples: Map<string, Quad[]>;
}

function parseTurtleFile(path: string): Quad[] {
  return new Parser({ format: 'Turtle', baseIRI: 'file:///' + path }).parse(readFileSync(path, 'utf8')) as Quad[];
}

/**
 * Reads vocab/vocabularies.json with its Turtle files, and shapes/profiles.json with each profile's
 * shape files plus shapes/vocabularies.ttl, and compiles the shapes. Throws (naming the file) when a
 * file is missing, does not parse, or uses SHACL outside the engine's subset.
 */
export function loadValidationResources(root = projectFile()): ValidationResources {
  const manifest = JSON.parse(readFileSync(join(root, 'vocab', 'vocabularies.json'), 'utf8')) as VocabularyInfo[];
  const vocabularies = new VocabularyIndex(manifest);
  const vocabularyTriples = new Map<string, Quad[]>();
  for (const v of manifest) {
    const quads = parseTurtleFile(join(root, 'vocab', v.file));
    vocabularies.add(quads);
    vocabularyTriples.set(v.id, quads);
  }
  const infos = JSON.parse(readFileSync(join(root, 'shapes', 'profiles.json'), 'utf8')) as Array<Omit<ProfileInfo, 'vocabularies'>>;
  const shared = parseTurtleFile(join(root, 'shapes', 'vocabularies.ttl'));
  const profiles: Profile[] = infos.map((info) => {
    const shapes = [...info.files.flatMap((f) => parseTurtleFile(join(root, 'shapes', f))), ...shared];
    try {
      const compiled = compileShapes(shapes);
      const ids = usedSchemes(compiled).map((scheme) => vocabularies.vocabularyOf(scheme)?.id ?? scheme);
      return { info: { ...info, vocabularies: [...new Set(ids)].sort() }, shapes, compiled };
    } catch (error) {
      throw new Error(`profile ${info.id}: ${(error as Error).message}`);
    }
  });
  return { vocabularies, profiles: new ProfileRegistry(profiles), vocabularyTriples };
}
