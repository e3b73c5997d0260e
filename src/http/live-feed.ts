import type { ServerResponse } from 'node:http';
import type { Change, ChangeQuery, Store } from '../store/store.js';

/** What a live feed is given (docs/feed.md, "Live events"). */
export interface LiveFeedOptions {
  store: Store;
  baseUrl: string;
  /** Clients at most at once; one more is refused (503). */
  maxClients: number;
  /** How often a comment line keeps an idle connection open. */
  heartbeatMs: number;
  /** How often the store's change mark is looked at while clients are connected. */
  pollMs?: number;
}

/** A connected client: what it follows, how far it has been sent, and whether it is still catching up. */
interface Client {
  response: ServerResponse;
  query: ChangeQuery;
  sentUpTo: number;
  live: boolean;
}

/** Changes read per question, for the tail and for a client catching up. */
const BATCH = 500;
/** The latest changes kept in memory, so that a client ending its catch-up misses none sent meanwhile. */
const RECENT = 2000;
/** Bytes a slow client may have waiting before it is let go (it resumes with Last-Event-ID). */
const MAX_BUFFERED = 4 * 2 ** 20;

/** The CloudEvents (JSON) of a change, as one Server-Sent Event with its number as id. */
export function eventOf(baseUrl: string, change: Change): string {
  const activity = `${baseUrl}/feed/activities/${change.seq}`;
  const type = { create: 'Create', update: 'Update', delete: 'Delete' }[change.op];
  const event = {
    specversion: '1.0',
    id: activity,
    source: `${baseUrl}/feed`,
    type: `https://www.w3.org/ns/activitystreams#${type}`,
    time: change.at,
    subject: change.iri,
    datacontenttype: 'application/json',
    data: {
      activity,
      type,
      record: change.iri,
      kind: change.kind,
      ...(change.publisher !== undefined ? { publisher: change.publisher } : {}),
      ...(change.organisation !== undefined ? { organisation: change.organisation } : {}),
      sequence: change.seq,
    },
  };
  return `id: ${change.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

const matches = (query: ChangeQuery, change: Change) =>
  (query.kind === undefined || change.kind === query.kind) && (query.organisation === undefined || change.organisation === query.organisation);

/**
 * Live events for systems that do not poll (GET /feed/live): one tail of the store per process,
 * shared by every client. While clients are connected it looks at the store's change mark (which
 * moves with this process's writes at once and with another process's as soon as the store hears of
 * them) and reads the changes after the last it saw, in commit order, so every client gets each
 * change once and in order. A client resuming from an earlier change reads its backlog from the
 * store first, then joins.
 */
export class LiveFeed {
  private readonly clients = new Set<Client>();
  private recent: Change[] = [];
  /** The last change the tail has read (and sent to the live clients). */
  private tailSeq = 0;
  private mark = '';
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private reading = false;
  private closed = false;

  constructor(private readonly options: LiveFeedOptions) {}

  /** The clients connected now. */
  get size(): number {
    return this.clients.size;
  }

  /** Whether another client may connect. */
  hasRoom(): boolean {
    return !this.closed && this.clients.size < this.options.maxClients;
  }

  /**
   * Sends `response` every change of `query` after `after` (its backlog first), then each new one
   * as it is committed, until the client leaves or the feed closes.
   */
  async follow(response: ServerResponse, query: ChangeQuery, after: number): Promise<void> {
    const client: Client = { response, query, sentUpTo: after, live: false };
    this.clients.add(client);
    response.on('close', () => this.leave(client));
    await this.start();
    // The backlog from the store, in batches, each sent before the next is read.
    while (!response.destroyed) {
      // Every change up to `known` was committed before the read below began (commit order), so a
      // short batch means the client has all of them that it follows, whatever its filter skips.
      const known = (await this.options.store.version()).lastSeq;
      const batch = await this.options.store.changes(client.sentUpTo, BATCH, { ...query, only: 'none' });
      this.send(client, batch);
      const last = batch.at(-1);
      if (last) client.sentUpTo = last.seq;
      if (batch.length < BATCH) {
        client.sentUpTo = Math.max(client.sentUpTo, known);
        // What the tail has read since is in `recent` (unless more than it holds: read on).
        const missed = this.recent.filter((c) => c.seq > client.sentUpTo);
        if (this.recent.length === 0 || this.recent[0]!.seq <= client.sentUpTo + 1 || missed.length === 0) {
          this.send(
            client,
            missed.filter((change) => matches(query, change)),
          );
          client.sentUpTo = Math.max(client.sentUpTo, this.tailSeq);
          client.live = true;
          return;
        }
      }
      if (response.writableLength > 0) await new Promise((resolve) => response.once('drain', resolve));
    }
  }

  private leave(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stop();
  }

  /** The events of `changes`, in one write. */
  private send(client: Client, changes: Change[]): void {
    if (changes.length > 0) this.write(client, changes.map((change) => eventOf(this.options.baseUrl, change)).join(''));
  }

  private write(client: Client, text: string): void {
    if (client.response.destroyed) return;
    if (client.response.writableLength > MAX_BUFFERED) {
      client.response.destroy(); // too slow: it resumes with Last-Event-ID
      return;
    }
    client.response.write(text);
  }

  private starting?: Promise<void>;

  /** Starts the tail where the store is now, and the heartbeat (once, however many clients come at once). */
  private start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    this.mark = this.options.store.changeMark();
    this.tailSeq = (await this.options.store.version()).lastSeq;
    if (this.clients.size === 0) {
      this.starting = undefined; // every client left meanwhile: the next one starts again
      return;
    }
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 10);
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) if (!client.response.destroyed) client.response.write(': heartbeat\n\n');
    }, this.options.heartbeatMs);
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
    this.starting = undefined;
    this.recent = [];
  }

  /** Reads what was committed since the tail last looked, when the change mark says something was. */
  private async poll(): Promise<void> {
    if (this.reading) return;
    const mark = this.options.store.changeMark();
    if (mark === this.mark) return;
    this.reading = true;
    try {
      this.mark = mark;
      for (;;) {
        const batch = await this.options.store.changes(this.tailSeq, BATCH, { only: 'none' });
        if (batch.length === 0) break;
        this.tailSeq = batch.at(-1)!.seq;
        this.recent.push(...batch);
        if (this.recent.length > RECENT) this.recent = this.recent.slice(-RECENT);
        // Each event written once, and each client sent its share in one write.
        const events = batch.map((change) => eventOf(this.options.baseUrl, change));
        for (const client of this.clients) {
          if (!client.live) continue;
          let text = '';
          batch.forEach((change, i) => {
            if (change.seq <= client.sentUpTo) return;
            if (matches(client.query, change)) text += events[i];
            client.sentUpTo = change.seq;
          });
          if (text !== '') this.write(client, text);
        }
        if (batch.length < BATCH) break;
      }
    } catch {
      this.mark = ''; // the store could not answer: ask again at the next look
    } finally {
      this.reading = false;
    }
  }

  /** Ends every client's stream (the server is closing). */
  close(): void {
    this.closed = true;
    this.stop();
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }
}
