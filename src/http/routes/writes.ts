import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, hashKey } from '../../catalog/api-keys.js';
import type { ValidationResources } from '../../catalog/resources.js';
import { deleteRecord, writeRecord } from '../../catalog/writes.js';
import { KINDS } from '../../core/kinds.js';
import { FORMATS, negotiateLanguage } from '../../core/media-types.js';
import { documentReportJson } from '../../core/validation/report.js';
import type { Store, WriteOptions } from '../../store/store.js';
import { type InputLimits, readRdfBody } from '../rdf-bodies.js';

export interface WriteRouteOptions {
  store: Store;
  resources: ValidationResources;
  baseUrl: string;
  knownContexts: Record<string, unknown>;
  limits: InputLimits;
  /** Writes per minute per credential (or per client address without one). */
  rateLimit: number;
}

const EXTENSIONS = FORMATS.map((f) => f.ext).join('|');

/** The version an entity tag names: W/"<version>-ttl", "<version>" and <version> all work. */
export function versionOfEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .replace(new RegExp(`-(${EXTENSIONS})$`), '');
}

function preconditions(request: FastifyRequest): WriteOptions {
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  const options: WriteOptions = {};
  if (ifNoneMatch?.trim() === '*') options.ifAbsent = true;
  if (ifMatch !== undefined && ifMatch.trim() !== '*') options.ifVersion = versionOfEtag(ifMatch.split(',')[0]!);
  if (ifMatch?.trim() === '*') options.ifVersion = undefined;
  return options;
}

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' } }, required: ['id'] } as const;
const profileQuery = { type: 'object', properties: { profile: { type: 'string', pattern: '^[a-z0-9-]+$' } } } as const;

/**
 * POST /{segment}, PUT /{segment}/{id}, DELETE /{segment}/{id}: authenticated, validated, durable
 * writes (DESIGN sections 3, 9 and 10). Each is rate-limited per credential.
 */
export async function writeRoutes(app: FastifyInstance, options: WriteRouteOptions): Promise<void> {
  const { store, resources, baseUrl } = options;
  const rateLimit = {
    max: options.rateLimit,
    timeWindow: '1 minute',
    keyGenerator: (request: FastifyRequest) => {
      const credential = request.headers.authorization ?? request.headers['x-api-key'];
      return typeof credential === 'string' ? 'key:' + hashKey(credential.replace(/^Bearer\s+/i, '').trim()) : 'ip:' + request.ip;
    },
  };
  const body = (request: FastifyRequest) => readRdfBody(request, { baseIRI: baseUrl + '/', knownContexts: options.knownContexts, limits: options.limits });

  for (const kind of KINDS) {
    const reply = async (request: FastifyRequest, outcome: Awaited<ReturnType<typeof writeRecord>>) => ({
      record: outcome.record.iri,
      id: outcome.record.id,
      kind: outcome.record.kind,
      url: `${baseUrl}/${kind.segment}/${outcome.record.id}`,
      version: outcome.record.version,
      created: outcome.record.created,
      modified: outcome.record.modified,
      seq: outcome.record.seq,
      validation: documentReportJson(outcome.validation, negotiateLanguage(request.headers['accept-language'])),
    });

    app.post<{ Querystring: { profile?: string } }>(
      `/${kind.segment}`,
      { config: { rateLimit }, schema: { querystring: profileQuery } },
      async (request, res) => {
        const caller = await authenticate(store, request.headers);
        const quads = await body(request);
        const outcome = await writeRecord(store, resources, { kind, quads, caller, baseUrl, profileId: request.query.profile, preconditions: { ifAbsent: true } });
        const url = `${baseUrl}/${kind.segment}/${outcome.record.id}`;
        return res.code(201).header('location', url).header('etag', `W/"${outcome.record.version}-ttl"`).header('cache-control', 'no-store').send(await reply(request, outcome));
      },
    );

    app.put<{ Params: { id: string }; Querystring: { profile?: string } }>(
      `/${kind.segment}/:id`,
      { config: { rateLimit }, schema: { params: idParams, querystring: profileQuery } },
      async (request, res) => {
        const caller = await authenticate(store, request.headers);
        const quads = await body(request);
        const outcome = await writeRecord(store, resources, {
          kind,
          quads,
          caller,
          baseUrl,
          id: request.params.id,
          profileId: request.query.profile,
          preconditions: preconditions(request),
        });
        if (outcome.created) res.header('location', `${baseUrl}/${kind.segment}/${outcome.record.id}`);
        return res
          .code(outcome.created ? 201 : 200)
          .header('etag', `W/"${outcome.record.version}-ttl"`)
          .header('cache-control', 'no-store')
          .send(await reply(request, outcome));
      },
    );

    app.delete<{ Params: { id: string } }>(`/${kind.segment}/:id`, { config: { rateLimit }, schema: { params: idParams } }, async (request, res) => {
      const caller = await authenticate(store, request.headers);
      await deleteRecord(store, kind, request.params.id, caller, preconditions(request));
      return res.code(204).send();
    });
  }
}
