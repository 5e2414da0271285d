import { openLocalState, type LocalState } from '../../../src/core/state.js';
import { prepareBatch, runBatch, type BatchRequest } from '../../../src/core/jobs/batch.js';
import type { JobRunnerOptions } from '../../../src/core/jobs/runner.js';
import { FakeTranslator } from './fake-translator.js';

export function localState(dataDir: string, model = new FakeTranslator(), runner: Partial<JobRunnerOptions> = {}) {
  const state = openLocalState({ dataDir, openEngine: async () => model, runner });
  return { ...state, model };
}

export async function batch(state: LocalState, req: BatchRequest) {
  const { job, resumed } = await prepareBatch(state.queue, req);
  return { record: await runBatch(state.runner, job), resumed };
}
