/**
 * A worker thread that does body tasks (parse, validate, render: body-work.ts) for the HTTP server,
 * so that no request body holds up the event loop: see WorkerPool in work-pool.ts. It loads the
 * project's vocabularies and profiles once, then says it is ready.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KatalogError } from '../core/errors.js';
import { type BodySettings, type BodyTask, performBodyTask } from './body-work.js';
import { loadValidationResources } from './resources.js';

const settings = workerData as BodySettings;
const resources = loadValidationResources();

parentPort!.on('message', ({ id, task }: { id: number; task: BodyTask }) => {
  performBodyTask(task, settings, resources).then(
    (value) => parentPort!.postMessage({ id, value }),
    (error: unknown) => {
      const failure =
        error instanceof KatalogError
          ? { code: error.code, message: error.message, extensions: error.extensions }
          : {
              code: 'internal',
              message: 'Something went wrong on our side; it has been logged.',
              extensions: {},
              cause: error instanceof Error ? error.stack : String(error),
            };
      parentPort!.postMessage({ id, error: failure });
    },
  );
});
parentPort!.postMessage({ ready: true });
