import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { BodyWork } from '../../catalog/work-pool.js';
import { type QualityReport, qualityQuads, storedQualityReport } from '../../catalog/quality.js';
import type { ValidationResources } from '../../catalog/resources.js';
import { KatalogError } from '../../core/errors.js';
import { METRICS } from '../../core/quality-metrics.js';
import { renderRepresentations } from '../../core/serialize/representations.js';
import { projectFile } from '../../project-files.js';
import type { Store } from '../../store/store.js';
import { isNotModified } from '../etags.js';
import { chooseFormat, prefersJson, sendRdf } from '../rdf-replies.js';
import { type FormatQuery, formatQuery, type RecordIdParams, recordIdParams } from '../schemas.js';

export interface QualityRouteOptions {
  store: Store;
  resources: ValidationResources;
  baseUrl: string;
  /** Where large records are assessed (worker threads in a server). */
  work: BodyWork;
}

/** Records with more N-Triples than this are assessed in the work pool (validation is part of it). */
const LARGE_RECORD = 64 * 1024;
/** Reports kept, by dataset and version (each a few KB). */
const KEPT_REPORTS = 500;

/**
 * What a report depends on besides the record: the metrics and the format lists. Part of the ETag, so
 * that a release that changes how a score is computed is not answered 304.
 */
const QUALITY_TAG = createHash('sha256')
  .update(JSON.stringify(METRICS))
  .update(readFileSync(projectFile('vocab', 'quality', 'formats.json')))
  .digest('hex')
  .slice(0, 8);

/**
 * GET /datasets/{id}/quality (docs/quality.md): the dataset's quality score, as DQV in every RDF
 * syntax or as JSON (Accept: application/json). Computed from the stored record, the vocabularies
 * and its validation; the metrics that need the dataset's URLs fetched are listed as not measured.
 */
export async function qualityRoutes(app: FastifyInstance, { store, resources, baseUrl, work }: QualityRouteOptions): Promise<void> {
  const kept = new Map<string, QualityReport>();

  app.get<{ Params: RecordIdParams; Querystring: FormatQuery }>(
    '/datasets/:id/quality',
    { schema: { params: recordIdParams, querystring: formatQuery } },
    async (request, reply) => {
      const json = prefersJson(request);
      const format = json ? undefined : chooseFormat(request);
      const { id } = request.params;
      const head = await store.head('dataset', id);
      if (!head) throw new KatalogError('not-found', `No dataset has the id ${id}.`);
      const tag = `q${QUALITY_TAG}-${head.version}`;
      const key = `${id} ${head.version}`;
      let report = kept.get(key);
      if (!report) {
        const record = await store.get('dataset', id, 'nt');
        if (!record) throw new KatalogError('not-found', `No dataset has the id ${id}.`);
        const task = { iri: record.iri, nt: record.nt, url: `${baseUrl}/datasets/${record.id}`, modified: record.modified };
        report = record.nt.length > LARGE_RECORD ? ((await work.run({ task: 'quality', ...task })) as QualityReport) : storedQualityReport(task, resources);
        if (kept.size >= KEPT_REPORTS) kept.delete(kept.keys().next().value!);
        kept.set(`${id} ${record.version}`, report);
      }
      reply.header('vary', 'Accept');
      if (json) {
        const etag = `W/"${tag}-json"`;
        reply.header('etag', etag).header('last-modified', new Date(head.modified).toUTCString());
        if (isNotModified(request.headers, etag, head.modified)) return reply.code(304).send();
        return reply.type('application/json; charset=utf-8').send(report);
      }
      return sendRdf(request, reply, format!, { tag, lastModified: head.modified }, [renderRepresentations(qualityQuads(report, baseUrl))]);
    },
  );
}
