// Sheet worker thread: parses and writes spreadsheets off the main thread. It asks the main
// thread (which owns the queue) to store texts and to look up translations.
import { parentPort, workerData } from 'node:worker_threads';
import { fromErrorInfo, toErrorInfo } from '../../shared/errors.js';
import type { ItemTranslation } from '../../shared/jobs.js';
import type { FromWorker, SheetTask, ToWorker } from '../../shared/sheet-worker-protocol.js';
import type { NewText } from '../../core/queue/backend.js';
import { ingestPlan, planSheetJob, writePlan } from '../../core/sheets/ops.js';
import type { SheetPlan } from '../../core/sheets/plan.js';

const port = parentPort;
if (!port) throw new Error('sheet-worker must run in a worker thread');

let seq = 0;
const waiting = new Map<number, (reply: ToWorker) => void>();
port.on('message', (msg: ToWorker) => {
  waiting.get(msg.seq)?.(msg);
  waiting.delete(msg.seq);
});

function ask(msg: Extract<FromWorker, { seq: number }>): Promise<ToWorker> {
  return new Promise((resolve) => {
    waiting.set(msg.seq, resolve);
    port!.postMessage(msg);
  });
}

async function add(texts: readonly NewText[]): Promise<void> {
  const reply = await ask({ type: 'add', seq: ++seq, texts: [...texts] });
  if (reply.type === 'fail') throw fromErrorInfo(reply.error);
}

async function lookup(lang: string, keys: readonly string[]): Promise<(ItemTranslation | undefined)[]> {
  const reply = await ask({ type: 'lookup', seq: ++seq, lang, keys: [...keys] });
  if (reply.type === 'fail') throw fromErrorInfo(reply.error);
  return reply.type === 'found' ? reply.values.map((v) => v ?? undefined) : [];
}

async function main(task: SheetTask): Promise<unknown> {
  if (task.type === 'plan') return planSheetJob(task.request);
  if (task.type === 'ingest') return ingestPlan(task.plan as SheetPlan, add);
  return writePlan(task.plan as SheetPlan, lookup);
}

main(workerData as SheetTask).then(
  (result) => port.postMessage({ type: 'done', result: result ?? null } satisfies FromWorker),
  (error: unknown) => port.postMessage({ type: 'error', error: toErrorInfo(error) } satisfies FromWorker),
);
