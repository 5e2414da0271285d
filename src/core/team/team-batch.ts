// `parla batch` against the team queue: the same planning and resume rule as the local
// prepareBatch (src/core/jobs/batch.ts), with the job record created in Redis instead of SQLite.
import { resolve } from 'node:path';
import { batchKey, type BatchRequest, type BatchStart } from '../jobs/batch.js';
import type { QueueBackend } from '../queue/backend.js';
import { planInWorker } from '../sheets/worker-client.js';

export async function prepareTeamBatch(queue: QueueBackend, req: BatchRequest): Promise<BatchStart> {
  const plan = await planInWorker({
    file: req.file,
    to: req.to,
    ...(req.columns ? { columns: req.columns } : {}),
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.out !== undefined ? { output: req.out } : {}),
  });
  const key = batchKey(req, plan.output);
  const existing = await queue.findResumable(key);
  if (existing) return { job: existing, resumed: true };
  const job = await queue.create({
    key,
    from: req.from ?? '',
    to: req.to,
    input: {
      file: resolve(req.file),
      ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
      columns: plan.sheets.flatMap((s) => s.columns.map((c) => (plan.sheets.length > 1 ? `${s.name}!${c.header}` : c.header))),
    },
    output: resolve(plan.output),
    spec: { kind: 'sheet', plan, ...(req.model ? { model: req.model } : {}), ...(req.options ? { options: req.options } : {}) },
  });
  return { job, resumed: false };
}
