// The memory each model takes in the model host, as the host measured it (see ModelInfo.memory):
// `<dataDir>/model-memory.json`, keyed by model folder and precision. The host writes it (one
// host per data dir); the Models page, `parla models list --json` and the host's memory budget
// read it. Measured, not computed from file sizes: a model's weights are about a third of what
// it costs once onnxruntime has built its kernels and run a batch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaneLayout, ModelMemory } from '../../shared/translation.js';
import { writeWholeSync } from '../output-file.js';

export type MemoryRecords = Record<string, ModelMemory>;

export function modelMemoryPath(dataDir: string): string {
  return join(dataDir, 'model-memory.json');
}

const PRECISIONS = ['fp32', 'int8'] as const;
const precision = (quantized: boolean): (typeof PRECISIONS)[number] => (quantized ? 'int8' : 'fp32');

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
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 1024 ? v : undefined);
  const layoutOf = (v: unknown): LaneLayout | undefined => {
    const l = (v ?? {}) as Record<string, unknown>;
    const lanes = count(l.lanes);
    const threadsPerLane = count(l.threadsPerLane);
    return lanes && threadsPerLane ? { lanes, threadsPerLane } : undefined;
  };
  for (const [dir, value] of Object.entries(parsed as Record<string, unknown>)) {
    const v = (value ?? {}) as Record<string, unknown>;
    const layouts = (v.layout ?? {}) as Record<string, unknown>;
    const entry: ModelMemory = {};
    for (const p of PRECISIONS) {
      const measured = bytes(v[p]);
      if (!measured) continue;
      entry[p] = measured;
      const layout = layoutOf(layouts[p]);
      if (layout) entry.layout = { ...entry.layout, [p]: layout };
    }
    if (entry.fp32 || entry.int8) out[dir] = entry;
  }
  return out;
}

/** The measured bytes of one model folder in one precision, if any. */
export function modelMemoryOf(records: MemoryRecords, dir: string, quantized: boolean): number | undefined {
  return records[dir]?.[precision(quantized)];
}

/** Records a measurement and the lanes it was made with (whole-file write: a reader never sees half of it). */
export function recordModelMemory(dataDir: string, dir: string, quantized: boolean, bytes: number, layout?: LaneLayout): void {
  const records = readModelMemory(dataDir);
  const p = precision(quantized);
  const entry: ModelMemory = { ...records[dir], [p]: Math.round(bytes) };
  // The layout of an earlier measurement no longer describes this one.
  const layouts = { ...entry.layout };
  if (layout) layouts[p] = layout;
  else delete layouts[p];
  if (Object.keys(layouts).length) entry.layout = layouts;
  else delete entry.layout;
  records[dir] = entry;
  writeWholeSync(modelMemoryPath(dataDir), JSON.stringify(records, null, 2) + '\n');
}
