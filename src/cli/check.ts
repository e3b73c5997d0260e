import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Fetched, HARVEST_CAP, preflight, preflightText, readSource } from '../catalog/preflight.js';
import type { ValidationResources } from '../catalog/resources.js';
import { KatalogError } from '../core/errors.js';
import { type FormatId, formatOfContentType, formatOfFileName } from '../core/media-types.js';
import type { UrlFinding } from '../core/quality.js';
import { bodyWithin, distributionUrls, PROBE_DEFAULTS, probeUrls } from './url-probe.js';

export const CHECK_USAGE = `katalog check URL|FILE [--accept TYPE] [--profile ID] [--format text|json] [--max-urls N] [--no-urls]
  Reads a harvest source as Felles datakatalog's harvester does (the Accept header given, default
  text/turtle, parsed in that syntax whatever Content-Type comes back; 200 only, no redirect followed; at most 75 MB; relative IRIs against http://example.com/;
  every predicate through RDF/XML) and reports what it would import, drop and refuse, each record's
  validation, shared identifiers, catalogue members the document does not describe, whether a
  second fetch gives the same graph, and the caching headers. Then each dataset's quality score,
  with the access and download URLs of its distributions fetched (at most --max-urls, default 200;
  none with --no-urls): the score does not change the exit code.
  Exit code: 0 ready, 1 problems, 2 could not fetch or parse.`;

/** How long one fetch may take. */
const FETCH_TIMEOUT_MS = 60_000;

/** One fetch as the harvester makes it; a refusal throws with what the harvester would say. */
async function fetchSource(url: string, accept: string): Promise<Fetched> {
  const response = await fetch(url, { headers: { accept }, redirect: 'manual', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch((error: Error) => {
    throw new KatalogError('invalid-request', `${url} could not be fetched: ${error.message}.`);
  });
  if (response.status >= 300 && response.status < 400) {
    throw new KatalogError(
      'invalid-request',
      `${url} answers ${response.status} to ${response.headers.get('location') ?? '(no Location)'}: the harvester follows no redirect; register the final URL.`,
    );
  }
  if (response.status !== 200) throw new KatalogError('invalid-request', `${url} answers ${response.status}: the harvester takes only 200.`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > HARVEST_CAP) throw new KatalogError('payload-too-large', `${url} is ${declared} bytes, over the harvester's cap of ${HARVEST_CAP}.`);
  // Read as it comes, and stopped at the cap: a source without Content-Length is bounded too.
  const body = await bodyWithin(response, HARVEST_CAP).catch((error: Error) => {
    // A connection cut or a timeout while the body comes: could not fetch (exit 2).
    throw new KatalogError('invalid-request', `${url} could not be read to its end: ${error.message}.`);
  });
  if (!body) throw new KatalogError('payload-too-large', `${url} is over the harvester's cap of ${HARVEST_CAP} bytes.`);
  const headers = Object.fromEntries(response.headers.entries());
  // The harvester parses with the syntax it asked for, whatever Content-Type comes back.
  const format = formatOfContentType(accept)?.id;
  if (!format) throw new KatalogError('invalid-request', `--accept ${accept} is not an RDF syntax the harvester reads.`);
  return { source: url, text: body.toString('utf8'), bytes: body.length, format, headers };
}

/** At most this many remote JSON-LD contexts are fetched for a source, each at most this large. */
const MAX_CONTEXTS = 10;
const MAX_CONTEXT_BYTES = 1024 * 1024;

/** The http(s) URLs a JSON-LD document names as `@context` (in any node, and in arrays of contexts), at most MAX_CONTEXTS. */
function contextUrls(text: string): string[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return []; // the parser says what is wrong, with its line
  }
  const urls = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (urls.size >= MAX_CONTEXTS || depth > 64 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1));
    for (const [key, v] of Object.entries(value)) {
      if (key === '@context') for (const c of Array.isArray(v) ? v : [v]) if (typeof c === 'string' && /^https?:\/\//i.test(c)) urls.add(c);
      visit(v, depth + 1);
    }
  };
  visit(document, 0);
  return [...urls].slice(0, MAX_CONTEXTS);
}

/**
 * The remote contexts a JSON-LD source names, fetched as the harvester fetches them (it reads
 * JSON-LD with a processor that loads remote contexts); one that cannot be fetched is left out, and
 * the parser then says which.
 */
async function fetchContexts(fetched: Fetched): Promise<Record<string, unknown> | undefined> {
  if (fetched.format !== 'jsonld') return undefined;
  const contexts: Record<string, unknown> = {};
  for (const url of contextUrls(fetched.text)) {
    try {
      const response = await fetch(url, { headers: { accept: 'application/ld+json, application/json' }, signal: AbortSignal.timeout(10_000) });
      const body = response.ok ? await bodyWithin(response, MAX_CONTEXT_BYTES) : undefined;
      if (body) contexts[url] = JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      // Not fetched: the parser refuses the context and says so.
    }
  }
  return contexts;
}

async function readLocal(file: string): Promise<Fetched> {
  const format: FormatId | undefined = formatOfFileName(file)?.id;
  if (!format) throw new KatalogError('invalid-request', `${file}: unknown file type (use .ttl, .jsonld, .json, .nt, .rdf, .nq or .trig).`);
  const bytes = await stat(file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      throw new KatalogError('invalid-request', `${file} cannot be read (${error.code ?? error.message}).`);
    },
  );
  if (bytes > HARVEST_CAP) throw new KatalogError('payload-too-large', `${file} is ${bytes} bytes, over the harvester's cap of ${HARVEST_CAP}.`);
  return { source: file, text: await readFile(file, 'utf8'), bytes, format, headers: {} };
}

/** `katalog check`: prints the preflight (text or JSON) and returns the exit code. */
export async function checkCommand(args: string[], resources: ValidationResources): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        accept: { type: 'string', default: 'text/turtle' },
        profile: { type: 'string' },
        format: { type: 'string', default: 'text' },
        'max-urls': { type: 'string', default: String(PROBE_DEFAULTS.maxUrls) },
        'no-urls': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`katalog check: ${(error as Error).message}\n${CHECK_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !['text', 'json'].includes(values.format!)) {
    console.error(CHECK_USAGE);
    return 2;
  }
  const source = positionals[0]!;
  const maxUrls = Number(values['max-urls']);
  if (!Number.isSafeInteger(maxUrls) || maxUrls < 0 || maxUrls > 100_000) {
    console.error(`katalog check: --max-urls takes a whole number from 0 to 100000, not ${values['max-urls']}.\n${CHECK_USAGE}`);
    return 2;
  }
  const remote = /^https?:\/\//i.test(source);
  // The options are checked before anything is fetched.
  if (remote && !formatOfContentType(values.accept)) {
    console.error(`katalog check: --accept ${values.accept} is not one RDF media type the harvester reads.\n${CHECK_USAGE}`);
    return 2;
  }
  if (values.profile !== undefined && !resources.profiles.get(values.profile)) {
    console.error(
      `katalog check: there is no profile ${values.profile}; the profiles are ${resources.profiles
        .all()
        .map((p) => p.info.id)
        .join(', ')}.`,
    );
    return 2;
  }
  try {
    const first = remote ? await fetchSource(source, values.accept!) : await readLocal(source);
    const contexts = await fetchContexts(first);
    const quads = await readSource(first, contexts);
    // A second fetch, to see that the source gives the same graph each time (blank node labels aside).
    const again = remote ? await readSource(await fetchSource(source, values.accept!), contexts) : undefined;
    // The quality score's web metrics: what the distributions' URLs answer (docs/quality.md).
    let urls: { findings: Map<string, UrlFinding>; skipped: number } | undefined;
    if (!values['no-urls']) {
      const wanted = distributionUrls(quads);
      const findings = await probeUrls(wanted, { ...PROBE_DEFAULTS, maxUrls });
      urls = { findings, skipped: wanted.downloads.length + wanted.access.length - findings.size };
    }
    const report = preflight(first, quads, resources, values.profile, again, urls);
    console.log(values.format === 'json' ? JSON.stringify(report, null, 2) : preflightText(report));
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof KatalogError)) throw error;
    const where =
      (error.extensions.line as number | undefined) !== undefined
        ? ` (line ${String(error.extensions.line)}, column ${String(error.extensions.column ?? '?')})`
        : '';
    if (values.format === 'json') console.log(JSON.stringify({ source, error: error.code, detail: error.message, ...error.extensions }, null, 2));
    else console.error(`katalog check: ${error.message}${where}`);
    return 2;
  }
}
