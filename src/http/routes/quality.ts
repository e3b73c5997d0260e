import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { BodyWork } from '../../catalog/work-pool.js';
import { type QualityReport, qualityQuads, storedQualityReport } from '../../catalog/quality.js';
import type { ValidationResources } from '../../catalog/resources.js';
import { KatalogError } from '../../core/errors.js';
import { METRICS } from '../../core/quality-metrics.js';
import { renderRepresentations, type Representations } from '../../core/serialize/representations.js';
import { projectFile } from '../../project-files.js';
import type { Store, StoredRecord } from '../../store/store.js';
import { isNotModified } from '../etags.js';
import { chooseFormat, prefersJson, sendRdf } from '../rdf-replies.js';
import { type FormatQuery, formatQuery, type RecordIdParams, recordIdParams } from '../schemas.js';

export interface QualityRouteOptions {
  store: Store;
  reports: QualityReports;
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
 * Stored datasets' quality reports (docs/quality.md), made once per version, large records' in the
 * work pool: for GET /datasets/{id}/quality and for the dataset's page.
 */
export class QualityReports {
  private readonly kept = new Map<string, { report: QualityReport; rdf?: Representations }>();

  constructor(
    private readonly resources: ValidationResources,
    private readonly baseUrl: string,
    private readonly work: BodyWork,
  ) {}

  /** What a report's ETag says: the record's version and how scores are computed. */
  static tag(version: string): string {
    return `q${QUALITY_TAG}-${version}`;
  }

  async of(record: Pick<StoredRecord, 'iri' | 'id' | 'nt' | 'version' | 'modified'>): Promise<QualityReport> {
    return (await this.entry(record)).report;
  }

  /** The report as DQV, rendered once per version. */
  async rdf(record: Pick<StoredRecord, 'iri' | 'id' | 'nt' | 'version' | 'modified'>): Promise<Representations> {
    const entry = await this.entry(record);
    return (entry.rdf ??= renderRepresentations(qualityQuads(entry.report, this.baseUrl)));
  }

  private async entry(record: Pick<StoredRecord, 'iri' | 'id' | 'nt' | 'version' | 'modified'>): Promise<{ report: QualityReport; rdf?: Representations }> {
    const key = `${record.id} ${record.version}`;
    const kept = this.kept.get(key);
    if (kept) return kept;
    const task = { iri: record.iri, nt: record.nt, url: `${this.baseUrl}/datasets/${record.id}`, modified: record.modified };
    const report =
      record.nt.length > LARGE_RECORD ? ((await this.work.run({ task: 'quality', ...task })) as QualityReport) : storedQualityReport(task, this.resources);
    if (this.kept.size >= KEPT_REPORTS) this.kept.delete(this.kept.keys().next().value!);
    const entry = { report };
    this.kept.set(key, entry);
    return entry;
  }
}

/**
 * GET /datasets/{id}/quality (docs/quality.md): the dataset's quality score, as DQV in every RDF
 * syntax or as JSON (Accept: application/json). Computed from the stored record, the vocabularies
 * and its validation; the metrics that need the dataset's URLs fetched are listed as not measured.
 */
export async function qualityRoutes(app: FastifyInstance, { store, reports }: QualityRouteOptions): Promise<void> {
  app.get<{ Params: RecordIdParams; Querystring: FormatQuery }>(
    '/datasets/:id/quality',
    { schema: { params: recordIdParams, querystring: formatQuery } },
    async (request, reply) => {
      const json = prefersJson(request);
      const format = json ? undefined : chooseFormat(request);
      const { id } = request.params;
      const record = await store.get('dataset', id, 'nt');
      if (!record) throw new KatalogError('not-found', `No dataset has the id ${id}.`);
      const tag = QualityReports.tag(record.version);
      reply.header('vary', 'Accept');
      if (json) {
        const etag = `W/"${tag}-json"`;
        reply.header('etag', etag).header('last-modified', new Date(record.modified).toUTCString());
        if (isNotModified(request.headers, etag, record.modified)) return reply.code(304).send();
        return reply.type('application/json; charset=utf-8').send(await reports.of(record));
      }
      return sendRdf(request, reply, format!, { tag, lastModified: record.modified }, [await reports.rdf(record)]);
    },
  );
}
