import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type Format, FORMATS, formatKey } from '../core/media-types.js';

// Entity tags and the conditional requests that compare them (docs/design.md, Representations,
// "Freshness"): built, read and compared here only.

/**
 * The weak ETag of one state of a resource in one syntax: W/"<tag>-<format key>". A record's tag is
 * its version, a collection's the store's change sequence and selection, a static document's its
 * content tag.
 */
export function etagOf(tag: string, format: Format): string {
  return `W/"${tag}-${formatKey(format)}"`;
}

/** A tag that changes when the content does: the first 16 hex digits of its SHA-256. */
export function contentTag(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/** The strong ETag of a document served byte for byte as it is: its content tag, quoted. */
export function contentEtag(content: string): string {
  return `"${contentTag(content)}"`;
}

/** The format key etagOf appends: an extension, and a JSON-LD form other than compacted. */
const EXTENSIONS = new RegExp(`-(${FORMATS.map((f) => f.ext).join('|')})(-(expanded|flattened))?$`);

/**
 * The version an entity tag names, for If-Match: W/"<version>-ttl", W/"<version>-jsonld-expanded",
 * "<version>" and <version> all work.
 */
export function versionOfEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .replace(EXTENSIONS, '');
}

const opaque = (etag: string) => etag.trim().replace(/^W\//, '');

/** RFC 9110 weak comparison: whether an If-None-Match list names `etag`. */
export function listsEtag(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}

/** Last-Modified of a time the store gives (ISO 8601): an HTTP date, to the second. */
export function httpDate(time: string): string {
  return new Date(time).toUTCString();
}

/**
 * Whether a GET or HEAD may be answered 304 (RFC 9110, section 13.2.2): If-None-Match (with *)
 * decides when present; If-Modified-Since only when it is absent, against `lastModified` rounded
 * down to the second as Last-Modified gives it.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified?: string): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return inm.trim() === '*' || listsEtag(inm, etag);
  const ims = headers['if-modified-since'];
  if (ims && lastModified) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since;
  }
  return false;
}
