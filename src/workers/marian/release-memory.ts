// glibc's malloc keeps what onnxruntime frees after a batch (activations, attention caches,
// logits: ~60-130 MB for an OPUS-MT-size model) in its arenas for reuse, and gives back to the
// system only a free top above its trim threshold, never the free chunks below a live one. So a
// host that had translated one batch held that memory until it exited. malloc_trim(0) gives every
// free page of every arena back (madvise), in 2-15 ms; the host calls it once its lanes have been
// idle for a moment and have collected their dead outputs (lanes.ts), so a stream of batches
// keeps reusing its pages. Measured (bench/results/engine-realsize.md, docs/engine.md): RSS growth
// after a run 492-570 → 424-435 MB (OPUS-MT-size fp32), 221-342 → 195-262 MB (int8), 436-500 →
// 325-349 MB (the bundled model, fp32). jemalloc and fixed glibc thresholds, measured instead,
// cost 8-26 % of the throughput. malloc_trim is glibc's, called through koffi (a C FFI that ships
// prebuilt). Elsewhere (macOS, Windows, musl, Electron's allocator) this does nothing.
import { createRequire } from 'node:module';

type Trim = (pad: number) => number;

interface Koffi {
  load(path: string): { func(signature: string): Trim };
}

let trim: Trim | null | undefined;
let releases = 0;

function loadTrim(): Trim | null {
  if (process.platform !== 'linux') return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    // musl has no libc.so.6 (nor malloc_trim): the load throws, and nothing is released.
    return koffi.load('libc.so.6').func('int malloc_trim(size_t)');
  } catch {
    return null;
  }
}

/**
 * Gives the memory malloc holds free back to the system; false where it cannot (not glibc), or
 * where PARLA_KEEP_FREED_MEMORY=1 asks it not to (bench:engine's `-keep` variants, for comparison).
 */
export function releaseFreedMemory(): boolean {
  if (process.env.PARLA_KEEP_FREED_MEMORY === '1') return false;
  trim ??= loadTrim();
  if (!trim) return false;
  trim(0);
  releases++;
  return true;
}

/** How many times this process has released freed memory (tests, stats). */
export function memoryReleases(): number {
  return releases;
}
