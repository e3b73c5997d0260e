import type { Worker } from 'node:worker_threads';
import { type ErrorCode, KatalogError } from '../core/errors.js';
import { type BodyOutcome, type BodySettings, bodySize, type BodyTask, performBodyTask } from './body-work.js';
import type { ValidationResources } from './resources.js';
import { startWorker } from './threads.js';

/** Where request bodies are parsed, validated and rendered (body-work.ts). */
export interface BodyWork {
  run(task: BodyTask): Promise<BodyOutcome>;
  /** Resolves when tasks can start at once (worker threads have loaded the vocabularies and profiles). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * In this thread: for the command line and for tests that do not measure the event loop. It has
 * no time budget (work in this thread cannot be stopped), only the size bounds.
 */
export class InlineWork implements BodyWork {
  constructor(
    private readonly settings: BodySettings,
    private readonly resources: ValidationResources,
  ) {}

  run(task: BodyTask): Promise<BodyOutcome> {
    return performBodyTask(task, this.settings, this.resources);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}

export interface PoolOptions {
  /** Worker threads (at least 1). */
  size: number;
  /** Heap of each worker; a body that needs more gets 413 and the worker is replaced. */
  memoryMb: number;
  /** Time one task may take; past it the worker is stopped and the request gets 503 budget-exceeded. */
  budgetMs: number;
  /** Tasks waiting for a worker before new ones are refused with 503 (default 16 per worker). */
  queueLimit?: number;
  /** Told of tasks that failed on our side (a worker's error that is not a KatalogError). */
  onInternalError?: (detail: unknown) => void;
}

interface Job {
  task: BodyTask;
  resolve: (value: BodyOutcome) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job & { id: number; timer: NodeJS.Timeout };
}

/** Seconds a client is asked to wait after a 503 from the pool. */
const RETRY_AFTER_S = 5;

/**
 * Bodies of N-Triples, Turtle, TriG, N-Quads or RDF/XML up to this size (in bytes or characters) are worked on in this thread:
 * within every bound they cost a few milliseconds at most, less than the trip to a worker. JSON-LD
 * always goes to a worker (jsonld.js's cost grows faster than the body).
 */
export const INLINE_BODY_CHARACTERS = 16 * 1024;

/**
 * Worker threads for body tasks, so that parsing and validating a large or hostile body never
 * blocks the event loop (health checks and reads stay responsive). Each task runs under a time
 * budget and each worker under a memory limit; a worker that overruns either is terminated and
 * replaced, and only that request fails.
 */
export class WorkerPool implements BodyWork {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor(
    private readonly settings: BodySettings,
    private readonly options: PoolOptions,
    /** Given, small bodies are worked on in this thread (see INLINE_BODY_CHARACTERS). */
    private readonly inline?: InlineWork,
  ) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  ready(): Promise<void> {
    return this.started;
  }

  run(task: BodyTask): Promise<BodyOutcome> {
    if (this.closed) return Promise.reject(new KatalogError('store-unavailable', 'Katalog is closing.'));
    if (this.inline && 'body' in task && task.format !== 'jsonld' && bodySize(task.body) <= INLINE_BODY_CHARACTERS) return this.inline.run(task);
    if (this.queue.length >= (this.options.queueLimit ?? 16 * this.slots.length)) {
      return Promise.reject(busy('Every worker is busy and the queue is full: try again shortly.'));
    }
    return new Promise<BodyOutcome>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new KatalogError('store-unavailable', 'Katalog is closing.'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker('body-worker', {
      workerData: this.settings,
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
    });
    const slot: Slot = { worker, ready: false };
    worker.on(
      'message',
      (message: {
        ready?: true;
        id?: number;
        value?: BodyOutcome;
        error?: { code: ErrorCode; message: string; extensions: Record<string, unknown>; cause?: unknown };
      }) => {
        if (message.ready) {
          slot.ready = true;
          if (this.slots.every((s) => s.ready)) this.markStarted();
          return this.dispatch();
        }
        const job = slot.job;
        if (!job || job.id !== message.id) return;
        clearTimeout(job.timer);
        slot.job = undefined;
        if (message.error) {
          if (message.error.cause) this.options.onInternalError?.(message.error.cause);
          job.reject(new KatalogError(message.error.code, message.error.message, message.error.extensions));
        } else job.resolve(message.value!);
        this.dispatch();
      },
    );
    worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (!outOfMemory) this.options.onInternalError?.(error);
      this.replace(
        slot,
        outOfMemory
          ? new KatalogError('payload-too-large', 'The document needs more memory than one request may use: send it in parts.', { bound: 'memory' })
          : new KatalogError('internal', 'Something went wrong on our side; it has been logged.'),
      );
    });
    worker.on('exit', () => this.replace(slot, new KatalogError('internal', 'Something went wrong on our side; it has been logged.')));
    return slot;
  }

  /** Fails the slot's job (if any) with `error` and puts a new worker in its place. */
  private replace(slot: Slot, error: KatalogError): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    if (slot.job) {
      clearTimeout(slot.job.timer);
      slot.job.reject(error);
      slot.job = undefined;
    }
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) return;
    this.slots[index] = this.spawn();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.replace(slot, busy(`The request needs more than the ${this.options.budgetMs} ms of work one request may take: send less, or in parts.`));
      }, this.options.budgetMs);
      slot.job = { ...job, id, timer };
      slot.worker.postMessage({ id, task: job.task }, transferable(job.task));
    }
  }
}

/**
 * A body's bytes are moved to the worker, not copied, when they are all of their buffer (a large
 * request body is: Fastify joins its chunks into a buffer of its own); the sender cannot use them
 * afterwards. A copy of 10 MB, and decoding it here, would hold the event loop for tens of ms.
 */
function transferable(task: BodyTask): ArrayBuffer[] {
  if (!('body' in task) || typeof task.body === 'string') return [];
  const { buffer, byteOffset, byteLength } = task.body;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength ? [buffer] : [];
}

function busy(message: string): KatalogError {
  return new KatalogError('budget-exceeded', message, { retryAfter: RETRY_AFTER_S });
}
