import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type Caller } from '../../catalog/api-keys.js';
import type { TokenVerifier } from '../../catalog/tokens.js';
import { randomUUID } from 'node:crypto';
import { recordUrl } from '../../catalog/record-ids.js';
import { fromPlainValidation } from '../../catalog/transfer.js';
import type { BodyWork } from '../../catalog/work-pool.js';
import { commitWrite, deleteRecord, type PreparedWrite } from '../../catalog/writes.js';
import { KINDS } from '../../core/kinds.js';
import { formatById, negotiateLanguage } from '../../core/media-types.js';
import { documentReportJson } from '../../core/validation/report.js';
import type { Store, WriteOptions } from '../../store/store.js';
import { etagOf, versionOfEtag } from '../etags.js';
import type { Metrics } from '../metrics.js';
import { problemKindOf } from '../problem.js';
import { rdfBodyOf } from '../rdf-bodies.js';
import { type ProfileQuery, profileQuery, type RecordIdParams, recordIdParams } from '../schemas.js';

export interface WriteRouteOptions {
  store: Store;
  /** Where bodies are parsed, validated and rendered (worker threads in a server). */
  work: BodyWork;
  baseUrl: string;
  /** Writes per minute per credential (or per client address without one). */
  rateLimit: number;
  /** Told of refused writes and of the time each validation took. */
  metrics: Metrics;
  /** Bearer JWTs of the configured issuer (catalog/tokens.ts); none: API keys only. */
  tokens?: TokenVerifier;
}

/** If-Match (a list of ETags, or *) and, for PUT, If-None-Match: * as store preconditions. */
function preconditions(request: FastifyRequest, allowIfNoneMatch: boolean): WriteOptions {
  const ifMatch = request.headers['if-match']?.trim();
  const ifNoneMatch = request.headers['if-none-match']?.trim();
  const options: WriteOptions = {};
  if (allowIfNoneMatch && ifNoneMatch === '*') options.ifAbsent = true;
  if (ifMatch === '*') options.ifExists = true;
  else if (ifMatch) options.ifVersion = ifMatch.split(',').map(versionOfEtag);
  return options;
}

/**
 * POST /{segment}, PUT /{segment}/{id}, DELETE /{segment}/{id}: authenticated, validated, durable
 * writes (docs/design.md, URLs, Errors and Security). Each is rate-limited per credential.
 */
export async function writeRoutes(app: FastifyInstance, options: WriteRouteOptions): Promise<void> {
  const { store, work, baseUrl, metrics, tokens } = options;
  // In this plugin's own context, so it sees the write routes only (not POST /validate).
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500) {
      metrics.writesRefused.inc({ method: request.method, reason: problemKindOf(request) ?? 'unknown' });
    }
    done();
  });
  const callers = new WeakMap<FastifyRequest, Caller>();
  // One limiter, so one counter per credential across every write route; it runs after
  // authentication, so only known keys are counted.
  const limiter = app.rateLimit({
    max: options.rateLimit,
    timeWindow: '1 minute',
    keyGenerator: (request: FastifyRequest) => callers.get(request)?.keyId ?? 'ip:' + request.ip,
  });
  // Authentication runs when the request arrives, before its body is read.
  const authenticated = async (request: FastifyRequest) => {
    callers.set(request, await authenticate(store, request.headers, tokens));
  };
  const callerOf = (request: FastifyRequest) => callers.get(request)!;

  for (const kind of KINDS) {
    const reply = async (request: FastifyRequest, outcome: Awaited<ReturnType<typeof commitWrite>>, validation: ReturnType<typeof fromPlainValidation>) => ({
      record: outcome.record.iri,
      id: outcome.record.id,
      kind: outcome.record.kind,
      url: `${baseUrl}/${kind.segment}/${outcome.record.id}`,
      version: outcome.record.version,
      created: outcome.record.created,
      modified: outcome.record.modified,
      seq: outcome.record.seq,
      validation: documentReportJson(validation, negotiateLanguage(request.headers['accept-language'])),
    });

    /** POST and PUT: store the body's record; 201 with Location when it is new, 200 when replaced. */
    const write = async (request: FastifyRequest<{ Querystring: ProfileQuery }>, res: FastifyReply, id: string | undefined, conditions: WriteOptions) => {
      const prepared = (await work.run({
        task: 'write',
        ...rdfBodyOf(request),
        kind: kind.kind,
        id,
        profileId: request.query.profile,
        target: recordUrl(kind, id ?? randomUUID(), baseUrl),
        // Blank nodes get labels unique among all stored records.
        labelPrefix: `w${randomUUID().replace(/-/g, '').slice(0, 12)}b`,
      })) as PreparedWrite;
      metrics.validationDuration.observe({ profile: prepared.validation.records[0]!.profile }, prepared.validationSeconds);
      const validation = fromPlainValidation(prepared.validation);
      const outcome = await commitWrite(store, prepared, { caller: callerOf(request), validation, preconditions: conditions, post: id === undefined });
      if (outcome.created) res.header('location', `${baseUrl}/${kind.segment}/${outcome.record.id}`);
      // The ETag that a GET of the record in Turtle, the default syntax, answers with.
      return res
        .code(outcome.created ? 201 : 200)
        .header('etag', etagOf(outcome.record.version, formatById('turtle')))
        .header('cache-control', 'no-store')
        .send(await reply(request, outcome, validation));
    };

    app.post<{ Querystring: ProfileQuery }>(
      `/${kind.segment}`,
      { schema: { querystring: profileQuery }, onRequest: [authenticated, limiter] },
      (request, res) => write(request, res, undefined, { ifAbsent: true }),
    );

    app.put<{ Params: RecordIdParams; Querystring: ProfileQuery }>(
      `/${kind.segment}/:id`,
      { schema: { params: recordIdParams, querystring: profileQuery }, onRequest: [authenticated, limiter] },
      (request, res) => write(request, res, request.params.id, preconditions(request, true)),
    );

    app.delete<{ Params: RecordIdParams }>(
      `/${kind.segment}/:id`,
      { schema: { params: recordIdParams }, onRequest: [authenticated, limiter] },
      async (request, res) => {
        await deleteRecord(store, kind, request.params.id, callerOf(request), preconditions(request, false));
        return res.code(204).send();
      },
    );
  }
}
