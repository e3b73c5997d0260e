import type { Quad } from '@rdfjs/types';
import type { Kind } from '../kinds.js';
import type { CompiledShapes } from './shapes.js';

/** One entry of shapes/profiles.json. */
export interface ProfileInfo {
  id: string;
  title: { nb: string; en: string };
  version: string;
  specification: string;
  /** Shape files under shapes/ (shapes/vocabularies.ttl is added to every profile). */
  files: string[];
  /** Vocabulary ids (vocab/vocabularies.json) the profile checks membership in: derived from its shapes. */
  vocabularies: string[];
  kinds: Kind[];
  defaultFor: Kind[];
}

export interface Profile {
  info: ProfileInfo;
  compiled: CompiledShapes;
  /** The shapes graph, served at /profiles/{id}. */
  shapes: Quad[];
}

/** The profiles, by id, and the default profile of each kind. */
export class ProfileRegistry {
  private readonly byId = new Map<string, Profile>();

  constructor(profiles: Profile[]) {
    for (const p of profiles) this.byId.set(p.info.id, p);
  }

  get(id: string): Profile | undefined {
    return this.byId.get(id);
  }

  all(): Profile[] {
    return [...this.byId.values()];
  }

  defaultFor(kind: Kind): Profile | undefined {
    return this.all().find((p) => p.info.defaultFor.includes(kind));
  }
}
