import type { Quad } from '@rdfjs/types';
import { formatOfContentType } from '../core/media-types.js';
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

/** The http(s) URLs of the document's distributions: downloads first (their bodies are read), then access URLs. */
export function distributionUrls(quads: Quad[]): { downloads: string[]; access: string[] } {
  const of = (predicate: string) => [
    ...new Set(
      quads
        .filter((q) => q.predicate.value === predicate && q.object.termType === 'NamedNode' && /^https?:\/\//i.test(q.object.value))
        .map((q) => q.object.value),
    ),
  ];
  const downloads = of(DCAT('downloadURL'));
  const seen = new Set(downloads);
  return { downloads, access: of(DCAT('accessURL')).filter((u) => !seen.has(u)) };
}

/** Whether a body parses in the syntax its Content-Type names: JSON, or an RDF syntax; undefined for anything else. */
async function parses(body: string, contentType: string): Promise<boolean | undefined> {
  if (contentType === 'application/json' || (contentType.endsWith('+json') && contentType !== 'application/ld+json')) {
    try {
      JSON.parse(body);
      return true;
    } catch {
      return false;
    }
  }
  const format = formatOfContentType(contentType);
  if (!format) return undefined;
  try {
    await parseRdf(body, format.id, { baseIRI: 'http://example.com/' });
    return true;
  } catch {
    return false;
  }
}

/** One URL: HEAD (GET when HEAD is not allowed), or GET with the body read when it is a download. */
async function probe(url: string, download: boolean, options: ProbeOptions): Promise<UrlFinding> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    let response = await fetch(url, { method: download ? 'GET' : 'HEAD', signal, redirect: 'follow' });
    if (!download && (response.status === 405 || response.status === 501)) response = await fetch(url, { method: 'GET', signal, redirect: 'follow' });
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const finding: UrlFinding = { status: response.status, ...(contentType ? { contentType } : {}) };
    if (!download || !response.ok || !contentType || !response.body) {
      await response.body?.cancel();
      return finding;
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > options.maxBodyBytes) {
      await response.body.cancel();
      return finding;
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > options.maxBodyBytes) {
        await response.body.cancel().catch(() => {});
        return finding;
      }
      chunks.push(chunk);
    }
    const valid = await parses(Buffer.concat(chunks).toString('utf8'), contentType);
    return valid === undefined ? finding : { ...finding, syntaxValid: valid };
  } catch {
    // Refused, unknown host, timed out, cut: nothing answered.
    return { status: 0 };
  }
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
