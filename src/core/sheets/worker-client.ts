// Runs one sheet task in a worker thread and serves its requests. One worker per task: tasks are
// few and long (parse a file, write a file), so a pool would buy nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ParlaError, fromErrorInfo, toErrorInfo } from '../../shared/errors.js';
import type { FromWorker, SheetTask, ToWorker } from '../../shared/sheet-worker-protocol.js';
import type { NewText } from '../queue/backend.js';
import type { Lookup } from '../jobs/source.js';
import { ingestPlan, planSheetJob, writePlan, type PlanRequest } from './ops.js';
import type { SheetPlan } from './plan.js';

const WORKER_URL = new URL('../../workers/sheets/sheet-worker.js', import.meta.url);

/**
 * The compiled worker exists when running from dist/. Under vitest (TypeScript sources) there is
 * no .js to start, so the same operations run in-thread; the CLI always runs from dist/.
 */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

interface Handlers {
  add?: (texts: readonly NewText[]) => Promise<void>;
  lookup?: Lookup;
}

function runInWorker(task: SheetTask, handlers: Handlers, signal?: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: task });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(new ParlaError('CANCELED', 'sheet task aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    const reply = (msg: ToWorker) => worker.postMessage(msg);
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'done') finish(() => resolve(msg.result));
      else if (msg.type === 'error') finish(() => reject(fromErrorInfo(msg.error)));
      else if (msg.type === 'add') {
        (handlers.add ?? (async () => undefined))(msg.texts).then(
          () => reply({ type: 'ack', seq: msg.seq }),
          (e: unknown) => reply({ type: 'fail', seq: msg.seq, error: toErrorInfo(e) }),
        );
      } else {
        (handlers.lookup ?? (async (_l, keys) => keys.map(() => undefined)))(msg.lang, msg.keys).then(
          (values) => reply({ type: 'found', seq: msg.seq, values: values.map((v) => v ?? null) }),
          (e: unknown) => reply({ type: 'fail', seq: msg.seq, error: toErrorInfo(e) }),
        );
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new ParlaError('INTERNAL', `sheet worker exited with code ${code}`))));
  });
}

export async function planInWorker(request: PlanRequest): Promise<SheetPlan> {
  if (!workersAvailable()) return planSheetJob(request);
  return (await runInWorker({ type: 'plan', request }, {})) as SheetPlan;
}

export async function ingestInWorker(plan: SheetPlan, add: (texts: readonly NewText[]) => Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!workersAvailable()) return ingestPlan(plan, add);
  await runInWorker({ type: 'ingest', plan }, { add }, signal);
}

export async function writeInWorker(plan: SheetPlan, lookup: Lookup, signal?: AbortSignal): Promise<void> {
  if (!workersAvailable()) return writePlan(plan, lookup);
  await runInWorker({ type: 'write', plan }, { lookup }, signal);
}
