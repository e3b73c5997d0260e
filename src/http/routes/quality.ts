import type { FastifyInstance } from 'fastify';
import type { BodyWork } from '../../catalog/work-pool.js';
import { LRUCache } from 'lru-cache';
import { QUALITY_TAG, type QualityReport, storedQualityReport } from '../../catalog/quality.js';
import type { ValidationResources } from '../../catalog/resources.js';
import { KatalogError } from '../../core/errors.js';
import type { Representations } from '../../core/serialize/representations.js';
import type { Store, StoredRecord } from '../../store/store.js';
import { etagOf, isNotModified } from '../etags.js';
import { chooseFormat, prefersJson, sendRdf } from '../rdf-replies.js';
import { type FormatQuery, formatQuery, type RecordIdParams, recordIdParams } from '../schemas.js';

export interface QualityRouteOptions {
  store: Store;
  reports: QualityReports;
}

/** Records with more N-Triples than this are assessed in the work pool (validation is part of it). */
const LARGE_RECORD = 64 * 1024;
/** What the kept reports may weigh in all. */
const KEPT_BYTES = 16 * 1024 * 1024;

/**
 * Stored datasets' quality reports (docs/quality.md), made once per version, large records' in the
 * work pool: for GET /datasets/{id}/quality and for the dataset's page.
 */
export class QualityReports {
  /** Reports and their DQV by dataset and version, bounded by their size (a report of 20 distributions is about 100 KB as DQV). */
  private readonly kept = new LRUCache<string, Entry>({ maxSize: KEPT_BYTES, sizeCalculation: (entry) => entry.bytes });

  constructor(
    private readonly resources: ValidationResources,
    private readonly baseUrl: string,
    private readonly work: BodyWork,
  ) {}

  /** What a report's ETag says: the record's version and how scores are computed. */
  static tag(version: string): string {
    return `q${QUALITY_TAG}-${version}`;
  }

  /**
   * The report of the dataset version `head` names; `load` reads the record only when the report is
   * not kept (it may be the record itself, when the caller has it).
   */
  async of(head: Version, load: () => Promise<Assessed | undefined>): Promise<QualityReport | undefined> {
    return (await this.entry(head, load))?.report;
  }

  /** The report as DQV, rendered once per version in the work pool (some thousands of triples). */
  async rdf(head: Version, load: () => Promise<Assessed | undefined>): Promise<Representations | undefined> {
    const entry = await this.entry(head, load);
    if (!entry || entry.rdf) return entry?.rdf;
    const rdf = (await this.work.run({ task: 'quality-rdf', report: entry.report })) as Representations;
    this.keep(entry.of, { report: entry.report, rdf });
    return rdf;
  }

  private async entry(head: Version, load: () => Promise<Assessed | undefined>): Promise<Entry | undefined> {
    const kept = this.kept.get(`${head.id} ${head.version}`);
    if (kept) return kept;
    const record = await load();
    if (!record) return undefined;
    const task = { iri: record.iri, nt: record.nt, url: `${this.baseUrl}/datasets/${record.id}`, modified: record.modified };
    const report =
      record.nt.length > LARGE_RECORD ? ((await this.work.run({ task: 'quality', ...task })) as QualityReport) : storedQualityReport(task, this.resources);
    return this.keep({ id: record.id, version: record.version }, { report });
  }

  private keep(of: Version, entry: Omit<Entry, 'bytes' | 'of'>): Entry {
    const rdf = entry.rdf;
    const bytes = JSON.stringify(entry.report).length + (rdf ? rdf.nt.length + rdf.ttl.length + rdf.jsonld.length : 0);
    const kept = { ...entry, of, bytes };
    this.kept.set(`${of.id} ${of.version}`, kept);
    return kept;
  }
}

/** Which version of which dataset. */
type Version = Pick<StoredRecord, 'id' | 'version'>;
/** What a report is made from. */
type Assessed = Pick<StoredRecord, 'iri' | 'id' | 'nt' | 'version' | 'modified'>;

interface Entry {
  /** The version the report is of (the one read, if a write came between the head and the read). */
  of: Version;
  report: QualityReport;
  rdf?: Representations;
  bytes: number;
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
      const notFound = () => new KatalogError('not-found', `No dataset has the id ${id}.`);
      // The head says which version is current: a 304, or a kept report, needs no more of the record.
      const head = await store.head('dataset', id);
      if (!head) throw notFound();
      const version = { id, version: head.version };
      const load = () => store.get('dataset', id, 'nt');
      const tag = QualityReports.tag(head.version);
      reply.header('vary', 'Accept');
      if (json) {
        const etag = `W/"${tag}-json"`;
        reply.header('etag', etag).header('last-modified', new Date(head.modified).toUTCString());
        if (isNotModified(request.headers, etag, head.modified)) return reply.code(304).send();
        const report = await reports.of(version, load);
        if (!report) throw notFound();
        return reply.type('application/json; charset=utf-8').send(report);
      }
      if (isNotModified(request.headers, etagOf(tag, format!), head.modified))
        return sendRdf(request, reply, format!, { tag, lastModified: head.modified }, []);
      const rdf = await reports.rdf(version, load);
      if (!rdf) throw notFound();
      return sendRdf(request, reply, format!, { tag, lastModified: head.modified }, [rdf]);
    },
  );
}
