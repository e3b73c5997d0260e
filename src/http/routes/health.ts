import type { FastifyInstance } from 'fastify';
import { KatalogError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';

export interface HealthRouteOptions {
  store: Store;
  /** True once the store is open and the data folder has been loaded. */
  isReady: () => boolean;
}

/** Liveness (the process answers) and readiness (the store answers and seed data is in). */
export async function healthRoutes(app: FastifyInstance, { store, isReady }: HealthRouteOptions): Promise<void> {
  app.get('/health/live', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/health/ready', async (_request, reply) => {
    if (!isReady()) throw new KatalogError('store-unavailable', 'Katalog is starting: the store is not open or the data folder is still loading.');
    let records: number;
    try {
      records = (await store.state()).count;
    } catch {
      throw new KatalogError('store-unavailable', 'The store does not answer.');
    }
    return reply.header('cache-control', 'no-store').send({ status: 'ready', records });
  });
}
