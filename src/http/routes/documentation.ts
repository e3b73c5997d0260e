import type { FastifyInstance } from 'fastify';
import { CONTEXT_DOCUMENT } from '../../core/jsonld-context.js';
import { contentEtag, isNotModified } from '../etags.js';

export interface DocumentationRouteOptions {
  openapiYaml: string;
}

/** The JSON-LD context and the API contract: static documents with long-lived validators. */
export async function documentationRoutes(app: FastifyInstance, { openapiYaml }: DocumentationRouteOptions): Promise<void> {
  const context = JSON.stringify(CONTEXT_DOCUMENT, null, 2);

  const serveStatic = (path: string, type: string, body: string) => {
    const etag = contentEtag(body);
    app.get(path, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
      if (isNotModified(request.headers, etag)) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  };

  serveStatic('/context.jsonld', 'application/ld+json; charset=utf-8', context);
  serveStatic('/openapi.yaml', 'application/yaml; charset=utf-8', openapiYaml);
}
