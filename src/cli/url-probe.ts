import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../core/errors.js';
import { FORMATS, type FormatId } from '../core/media-types.js';
import { DCAT } from '../core/namespaces.js';
import { parseRdf } from '../core/parse.js';
import type { UrlFinding } from '../core/quality.js';

/**
 * What `katalog check` fetches for the quality score's web metrics (docs/quality.md): each access
 * and download URL of the document's distributions, as a person following the link would (redirects
 * followed), bounded in number, time and size. Only the command line fetches: the server never does.
 */

export interface ProbeOptions {
  /** At most this many URLs (the rest are not measured). */
  maxUrls: number;
  /** Each URL's time, headers and body. */
  timeoutMs: number;
  /** A download's body is read up to this many bytes to see that it parses; a larger one is not read. */
  maxBodyBytes: number;
  /** URLs fetched at once. */
  concurrency: number;
}

export const PROBE_DEFAULTS: ProbeOptions = { maxUrls: 200, timeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024, concurrency: 8 };

/**
 * A response's body read as it comes and given up past `cap` bytes (undefined), so that an answer
 * without Content-Length is bounded too. A connection cut or timed out while reading throws.
 */
export async function bodyWithin(response: Response, cap: number): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > cap) {
      await response.body.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The URLs (any IRI) of the document's distributions: downloads first (their bodies are read), then access URLs. */
export function distributionUrls(quads: Quad[]): { downloads: string[]; access: string[] } {
  const of = (predicate: string) => [
    ...new Set(quads.filter((q) => q.predicate.value === predicate && q.object.termType === 'NamedNode').map((q) => q.object.value)),
  ];
  const downloads = of(DCAT('downloadURL'));
  const seen = new Set(downloads);
  return { downloads, access: of(DCAT('accessURL')).filter((u) => !seen.has(u)) };
}

/** The RDF syntaxes by their media types (not the aliases a request body may use: text/plain is text, application/xml is XML). */
const RDF_TYPES = new Map<string, FormatId>(FORMATS.map((f) => [f.mediaType, f.id]));

/** Whether a Content-Type is one whose syntax is checked: JSON (and `+json` types) or an RDF syntax. */
const checkable = (contentType: string) => contentType === 'application/json' || contentType.endsWith('+json') || RDF_TYPES.has(contentType);

/**
 * Whether a body parses in the syntax its Content-Type names: JSON, or an RDF syntax Katalog reads;
 * undefined when that cannot be told here (another type; JSON-LD naming a context elsewhere).
 */
async function parses(body: string, contentType: string): Promise<boolean | undefined> {
  const format = RDF_TYPES.get(contentType);
  if (!format) {
    try {
      JSON.parse(body);
      return true;
    } catch {
      return false;
    }
  }
  try {
    await parseRdf(body, format, { baseIRI: 'http://example.com/' });
    return true;
  } catch (error) {
    // A JSON-LD document whose context is elsewhere is not fetched (nothing here follows a context): not told.
    if (format === 'jsonld' && error instanceof KatalogError && error.code === 'invalid-request') return undefined;
    return false;
  }
}

/**
 * One URL: HEAD (GET when HEAD is not allowed), or GET with the body read when it is a download of a
 * type whose syntax is checked. A URL that is not http(s) answers nothing (status 0), as a dead link
 * does. The status stands once the headers have come: a body too slow or too large is not read.
 */
async function probe(url: string, download: boolean, options: ProbeOptions): Promise<UrlFinding> {
  if (!/^https?:\/\//i.test(url)) return { status: 0 };
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { method: download ? 'GET' : 'HEAD', signal, redirect: 'follow' });
    if (!download && (response.status === 405 || response.status === 501)) response = await fetch(url, { method: 'GET', signal, redirect: 'follow' });
  } catch {
    // Refused, unknown host, timed out before the headers: nothing answered.
    return { status: 0 };
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  const finding: UrlFinding = { status: response.status, ...(contentType ? { contentType } : {}) };
  const declared = Number(response.headers.get('content-length'));
  if (!download || !response.ok || !contentType || !checkable(contentType) || !response.body || declared > options.maxBodyBytes) {
    await response.body?.cancel().catch(() => {});
    return finding;
  }
  let body: Buffer | undefined;
  try {
    body = await bodyWithin(response, options.maxBodyBytes);
  } catch {
    // Cut or too slow: the file was not read, its syntax not told.
    return finding;
  }
  if (!body) return finding;
  const valid = await parses(body.toString('utf8'), contentType);
  return valid === undefined ? finding : { ...finding, syntaxValid: valid };
}

/** Fetches the URLs (at most `maxUrls`, `concurrency` at a time); the findings by URL. */
export async function probeUrls(urls: { downloads: string[]; access: string[] }, options: ProbeOptions = PROBE_DEFAULTS): Promise<Map<string, UrlFinding>> {
  const work = [...urls.downloads.map((url) => ({ url, download: true })), ...urls.access.map((url) => ({ url, download: false }))].slice(0, options.maxUrls);
  const found = new Map<string, UrlFinding>();
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { url, download } = work[next++]!;
      found.set(url, await probe(url, download, options));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, work.length) }, worker));
  return found;
}
