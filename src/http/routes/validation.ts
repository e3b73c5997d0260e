import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ValidationResources } from '../../catalog/resources.js';
import type { ValidationOutcome } from '../../catalog/body-work.js';
import type { BodyWork } from '../../catalog/work-pool.js';
import { clip } from '../../core/budgets.js';
import { KatalogError } from '../../core/errors.js';
import { FORMATS, negotiateLanguage, negotiateMediaType, OFFERED_MEDIA_TYPES, withJsonLdForm } from '../../core/media-types.js';
import { renderRepresentations, type Representations } from '../../core/serialize/representations.js';
import { contentTag } from '../etags.js';
import { instanceOf, PROBLEM_MEDIA_TYPE, PROBLEMS, problemType, reportProblem } from '../problem.js';
import { rdfBodyOf } from '../rdf-bodies.js';
import { chooseFormat, prefersJson, sendRdf } from '../rdf-replies.js';
import { type FormatQuery, formatQuery, type ProfileQuery, profileQuery, type SlugParams, slugParams } from '../schemas.js';

export interface ValidationRouteOptions {
  resources: ValidationResources;
  baseUrl: string;
  /** Where bodies are parsed and validated (worker threads in a server). */
  work: BodyWork;
  /** POST /validate requests per minute per client address (429 with Retry-After). */
  rateLimit: number;
}

const JSON_TYPES = ['application/json', PROBLEM_MEDIA_TYPE];

/**
 * POST /validate, and the profiles and vocabularies it validates with. The report is JSON by
 * default (problem+json when it has violations) or an RDF sh:ValidationReport by negotiation.
 */
export async function validationRoutes(app: FastifyInstance, options: ValidationRouteOptions): Promise<void> {
  const { resources, baseUrl, work } = options;
  // Validation is public: bound it per client address, as writes are per key.
  const limiter = app.rateLimit({ max: options.rateLimit, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip });

  app.post<{ Querystring: ProfileQuery }>('/validate', { schema: { querystring: profileQuery }, onRequest: [limiter] }, async (request, reply) => {
    const responseType = negotiateMediaType(request.headers.accept, [...JSON_TYPES, ...OFFERED_MEDIA_TYPES]);
    if (!responseType) {
      const offered = [...JSON_TYPES, ...OFFERED_MEDIA_TYPES];
      throw new KatalogError('not-acceptable', `Cannot answer with ${clip(request.headers.accept ?? '')}. Offered: ${offered.join(', ')}.`, { offered });
    }
    const json = JSON_TYPES.includes(responseType);
    const outcome = (await work.run({
      task: 'validate',
      ...rdfBodyOf(request),
      profileId: request.query.profile,
      answer: json ? 'json' : 'rdf',
      language: negotiateLanguage(request.headers['accept-language']),
    })) as ValidationOutcome;
    const status = outcome.conforms ? 200 : 422;
    reply.code(status).header('cache-control', 'no-store');
    if (json) {
      // The report comes serialised from the worker: here it is only framed.
      if (outcome.conforms) return reply.type('application/json; charset=utf-8').send(outcome.json!);
      const { title } = PROBLEMS['shacl-violation'];
      return reply
        .type(PROBLEM_MEDIA_TYPE)
        .send(reportProblem({ type: problemType('shacl-violation'), title, status, instance: instanceOf(request.url), requestId: request.id }, outcome.json!));
    }
    const format = withJsonLdForm(
      FORMATS.find((f) => f.mediaType === responseType)!,
      request.headers.accept,
    );
    return sendRdf(request, reply, format, { tag: outcome.rdfTag! }, [outcome.rdfReport!]);
  });

  const profileJson = (id: string) => {
    const p = resources.profiles.get(id)!;
    return { ...p.info, url: `${baseUrl}/profiles/${id}` };
  };

  app.get('/profiles', async (_request, reply) => reply.send(resources.profiles.all().map((p) => profileJson(p.info.id))));

  app.get('/vocabularies', async (_request, reply) =>
    reply.send(resources.vocabularies.vocabularies.map((v) => ({ ...v, url: `${baseUrl}/vocabularies/${v.id}` }))),
  );

  /** Rendered once per profile or vocabulary, on first request. */
  const cache = new Map<string, { part: Representations; tag: string }>();
  const rendered = (key: string, quads: () => Parameters<typeof renderRepresentations>[0]) => {
    let entry = cache.get(key);
    if (!entry) {
      const part = renderRepresentations(quads());
      cache.set(key, (entry = { part, tag: contentTag(part.nt) }));
    }
    return entry;
  };

  /** JSON metadata when JSON is preferred; otherwise the RDF, negotiated as everywhere else. */
  const metadataOrRdf = async (
    request: FastifyRequest<{ Querystring: FormatQuery }>,
    reply: FastifyReply,
    metadata: unknown,
    key: string,
    quads: () => Parameters<typeof renderRepresentations>[0],
  ) => {
    if (prefersJson(request)) return reply.send(metadata);
    const format = chooseFormat(request);
    const { part, tag } = rendered(key, quads);
    return sendRdf(request, reply, format, { tag }, [part]);
  };

  const idRoute = { schema: { params: slugParams, querystring: formatQuery } };

  app.get<{ Params: SlugParams; Querystring: FormatQuery }>('/profiles/:id', idRoute, async (request, reply) => {
    const profile = resources.profiles.get(request.params.id);
    if (!profile) throw new KatalogError('not-found', `There is no profile ${request.params.id}. See /profiles.`);
    return metadataOrRdf(request, reply, profileJson(profile.info.id), `profile:${profile.info.id}`, () => profile.shapes);
  });

  app.get<{ Params: SlugParams; Querystring: FormatQuery }>('/vocabularies/:id', idRoute, async (request, reply) => {
    const vocabulary = resources.vocabularies.byId(request.params.id);
    if (!vocabulary) throw new KatalogError('not-found', `There is no vocabulary ${request.params.id}. See /vocabularies.`);
    return metadataOrRdf(request, reply, { ...vocabulary, url: `${baseUrl}/vocabularies/${vocabulary.id}` }, `vocabulary:${vocabulary.id}`, () =>
      resources.vocabularyTriples.get(vocabulary.id)!,
    );
  });
}
