import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

export interface MetricsRouteOptions {
  metrics: Metrics;
}

/**
 * GET /metrics: the app's metrics and the process's in Prometheus's text format (README
 * "Operations"). Always that format, whatever Accept or the query string say (Prometheus sends an
 * Accept preferring OpenMetrics and reads this one too), and never cached. Cheap: counters and
 * histograms are read from memory, the counts of records at most every few seconds.
 */
export async function metricsRoutes(app: FastifyInstance, { metrics }: MetricsRouteOptions): Promise<void> {
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics()),
  );
}
