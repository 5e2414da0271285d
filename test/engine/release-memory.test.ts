// glibc keeps freed memory below a live chunk; releaseFreedMemory() (malloc_trim through koffi)
// gives it back. Real allocations from this process: 2,000 buffers of 64 KiB (heap-allocated,
// under glibc's mmap threshold), every 50th kept alive so the heap's top cannot simply shrink.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memoryReleases, releaseFreedMemory } from '../../src/workers/marian/release-memory.js';

const anonMB = (): number => Number(/^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

describe.skipIf(process.platform !== 'linux')('releasing freed memory (glibc)', () => {
  it('gives back what malloc kept after buffers were freed, and counts it', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let buffers: Buffer[] | undefined = Array.from({ length: 2000 }, () => Buffer.alloc(64 * 1024, 1));
    const pins = buffers.filter((_, i) => i % 50 === 49);
    buffers = undefined;
    gc();
    gc();
    const held = anonMB();
    const count = memoryReleases();
    expect(releaseFreedMemory()).toBe(true);
    const after = anonMB();
    expect(memoryReleases()).toBe(count + 1);
    // ~125 MB were freed; all but the pinned 40 buffers' pages go back.
    expect(held - after).toBeGreaterThan(60);
    expect(pins).toHaveLength(40);
  });
});
