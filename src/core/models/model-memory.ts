// The memory each model takes in the model host, as the host measured it (see ModelInfo.memory):
// `<dataDir>/model-memory.json`, keyed by model folder and precision. The host writes it (one
// host per data dir); the Models page, `parla models list --json` and the host's memory budget
// read it. Measured, not computed from file sizes: a model's weights are about a third of what
// it costs once onnxruntime has built its kernels and run a batch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelMemory } from '../../shared/translation.js';
import { writeWholeSync } from '../output-file.js';

export type MemoryRecords = Record<string, ModelMemory>;

export function modelMemoryPath(dataDir: string): string {
  return join(dataDir, 'model-memory.json');
}

const precision = (quantized: boolean): keyof ModelMemory => (quantized ? 'int8' : 'fp32');

/** Every record; none when the file is missing or unreadable (a hand-edited or cut file is ignored). */
export function readModelMemory(dataDir: string): MemoryRecords {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(modelMemoryPath(dataDir), 'utf8'));
  } catch {
    return {};
  }
  const out: MemoryRecords = {};
  if (!parsed || typeof parsed !== 'object') return out;
  const bytes = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  for (const [dir, value] of Object.entries(parsed as Record<string, unknown>)) {
    const v = (value ?? {}) as Record<string, unknown>;
    const fp32 = bytes(v.fp32);
    const int8 = bytes(v.int8);
    if (fp32 || int8) out[dir] = { ...(fp32 ? { fp32 } : {}), ...(int8 ? { int8 } : {}) };
  }
  return out;
}

/** The measured bytes of one model folder in one precision, if any. */
export function modelMemoryOf(records: MemoryRecords, dir: string, quantized: boolean): number | undefined {
  return records[dir]?.[precision(quantized)];
}

/** Records a measurement (whole-file write: a reader never sees half of it). */
export function recordModelMemory(dataDir: string, dir: string, quantized: boolean, bytes: number): void {
  const records = readModelMemory(dataDir);
  records[dir] = { ...records[dir], [precision(quantized)]: Math.round(bytes) };
  writeWholeSync(modelMemoryPath(dataDir), JSON.stringify(records, null, 2) + '\n');
}
