// onnxruntime-node's output tensors (logits, the attention cache) hold native buffers that V8
// frees only once it collects their small JavaScript objects, and V8 lets such external memory
// grow by about 64 MB before it collects. A real-size model makes ~4 MB of logits per decoding
// step for 16 sentences, so after a batch ~70-100 MB of dead buffers stayed resident in each lane
// (measured with /proc/self/smaps, docs/engine.md). A lane asks for a collection once its batches
// have produced COLLECT_AFTER_BYTES of outputs: a few milliseconds on a lane's small heap.
import { setFlagsFromString } from 'node:v8';

/** Outputs made since the last collection after which a lane collects (a tiny model: every few batches). */
export const COLLECT_AFTER_BYTES = 32 * 1024 * 1024;

type Collector = () => void;

/**
 * Makes sure worker threads started after this call have V8's `gc` global. A host process starts
 * with --expose-gc (host-runtime.ts), and then nothing changes; another process that starts
 * lanes (a test, a benchmark, `parla translate` without a host) sets the process-wide flag, which
 * applies to contexts made after it. MarianLanes calls it before starting its lanes.
 */
export function exposeCollectorToNewThreads(): void {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') return;
  setFlagsFromString('--expose-gc');
}

/**
 * Collects now and once more shortly after: the first collection finds the dead tensors and
 * queues their finalizers, the second frees what those released; `then` runs after the second.
 * Called without options on purpose: `gc({type: 'major'})` left the buffers in place (70 MB
 * measured), `gc()` freed them.
 */
export function collectGarbage(then?: () => void): boolean {
  const gc = (globalThis as { gc?: Collector }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  setTimeout(() => {
    gc();
    then?.();
  }, 50).unref();
  return true;
}

/** Bytes of outputs a batch made: logits for every row at every step (the cache is smaller). */
export function batchOutputBytes(rows: number, steps: number, vocabSize: number): number {
  return rows * steps * vocabSize * 4;
}
