import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CONTEXT_DOCUMENT } from '../../core/jsonld-context.js';
import { listsEtag } from '../rdf-replies.js';

export interface DocumentationRouteOptions {
  openapiYaml: string;
}

/** The JSON-LD context and the API contract: static documents with long-lived validators. */
export async function documentationRoutes(app: FastifyInstance, { openapiYaml }: DocumentationRouteOptions): Promise<void> {
  const context = JSON.stringify(CONTEXT_DOCUMENT, null, 2);
  const contextTag = `"${createHash('sha256').update(context).digest('hex').slice(0, 16)}"`;
  const openapiTag = `"${createHash('sha256').update(openapiYaml).digest('hex').slice(0, 16)}"`;

  const serveStatic = (path: string, type: string, body: string, etag: string) =>
    app.get(path, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
      const inm = request.headers['if-none-match'];
      if (inm !== undefined && listsEtag(inm, etag)) {
        return reply.code(304).send();
      }
      return reply.type(type).send(body);
    });

  serveStatic('/context.jsonld', 'application/ld+json; charset=utf-8', context, contextTag);
  serveStatic('/openapi.yaml', 'application/yaml; charset=utf-8', openapiYaml, openapiTag);
}
