/**
 * A worker thread that prepares files for the loader (parse, split, validate, render): see
 * preparedInWorkers in data-loader.ts. It loads the project's vocabularies and profiles once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareFile } from './data-loader.js';
import { loadValidationResources } from './resources.js';

export interface PrepareTask {
  index: number;
  path: string;
}

export interface PrepareWorkerData {
  dir: string;
  baseUrl: string;
  knownContexts?: Record<string, unknown>;
  validate: boolean;
}

const { dir, baseUrl, knownContexts, validate } = workerData as PrepareWorkerData;
const resources = validate ? loadValidationResources() : undefined;

parentPort!.on('message', (task: PrepareTask) => {
  prepareFile(task.path, dir, { baseUrl, knownContexts }, resources).then(
    (prepared) => parentPort!.postMessage({ index: task.index, prepared }),
    (error: unknown) => parentPort!.postMessage({ index: task.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
