import type { FastifyInstance } from 'fastify';
import { catalogWithMembers, collection, rootCatalog } from '../../catalog/views.js';
import { KatalogError } from '../../core/errors.js';
import { KINDS } from '../../core/kinds.js';
import { FORMATS } from '../../core/media-types.js';
import type { Store } from '../../store/store.js';
import { chooseFormat, sendRdf } from '../rdf-replies.js';

export interface HarvestRouteOptions {
  store: Store;
  baseUrl: string;
  contextUrl: string;
}

const formatQuery = {
  type: 'object',
  properties: { format: { type: 'string', enum: FORMATS.map((f) => f.ext) } },
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' } },
  required: ['id'],
} as const;

/**
 * The read API harvesters and developers use: the root catalogue, each kind's collection and each
 * record (a catalogue's record is served with its members: a harvest source per organisation).
 * Collection ETags follow the store's change sequence, record ETags the record's version.
 */
export async function harvestRoutes(app: FastifyInstance, { store, baseUrl, contextUrl }: HarvestRouteOptions): Promise<void> {
  const storeValidators = async () => {
    const state = await store.state();
    return { tag: `s${state.lastSeq}`, lastModified: state.lastModified };
  };

  app.get('/catalog', { schema: { querystring: formatQuery } }, async (request, reply) => {
    const format = chooseFormat(request);
    return sendRdf(request, reply, format, await storeValidators(), rootCatalog(store, baseUrl), contextUrl);
  });

  for (const info of KINDS) {
    app.get(`/${info.segment}`, { schema: { querystring: formatQuery } }, async (request, reply) => {
      const format = chooseFormat(request);
      return sendRdf(request, reply, format, await storeValidators(), collection(store, info.kind, baseUrl), contextUrl);
    });

    app.get<{ Params: { id: string } }>(
      `/${info.segment}/:id`,
      { schema: { querystring: formatQuery, params: idParams } },
      async (request, reply) => {
        const format = chooseFormat(request);
        const record = await store.get(info.kind, request.params.id);
        if (!record) throw new KatalogError('not-found', `No ${info.label} has the id ${request.params.id}.`);
        if (info.kind === 'catalog') {
          return sendRdf(request, reply, format, await storeValidators(), catalogWithMembers(store, record), contextUrl);
        }
        return sendRdf(request, reply, format, { tag: record.version, lastModified: record.modified }, [record], contextUrl);
      },
    );
  }
}
