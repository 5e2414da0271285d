// The host's dynamic batcher with a fake model: requests in one window merge into one batch, a
// request arriving while a long batch runs starts its own batch instead of waiting for it, and
// no more than `maxRunning` batches run per key.
import { describe, expect, it } from 'vitest';
import { Batcher, type BatchJob } from '../../src/workers/host/batcher.js';

function job(texts: string[]): { job: BatchJob<string>; done: Promise<string[]> } {
  let resolve!: (r: string[]) => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<string[]>((res, rej) => ((resolve = res), (reject = rej)));
  return { job: { texts, resolve, reject, canceled: false }, done };
}

describe('Batcher', () => {
  it('merges a window, runs a late short request beside a long batch, and caps batches per key', async () => {
    const batches: string[][] = [];
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const batcher = new Batcher<string>(
      2,
      async (_key, texts) => {
        batches.push(texts);
        running++;
        peak = Math.max(peak, running);
        // The long job batch waits for the test to release it; short ones finish at once.
        if (texts.includes('long')) await new Promise<void>((r) => gates.push(r));
        running--;
        return texts.map((t) => t.toUpperCase());
      },
      2,
    );
    const a = job(['long', 'b']);
    const b = job(['c']);
    batcher.submit('k', a.job);
    batcher.submit('k', b.job);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([['long', 'b', 'c']]);

    const typed = job(['typed']);
    batcher.submit('k', typed.job);
    expect(await typed.done).toEqual(['TYPED']); // did not wait for the long batch

    const long2 = job(['long', 'x']);
    const long3 = job(['long', 'y']);
    batcher.submit('k', long2.job);
    await new Promise((r) => setTimeout(r, 20));
    batcher.submit('k', long3.job);
    await new Promise((r) => setTimeout(r, 20));
    expect(peak).toBe(2); // the third long batch waits for a free slot
    expect(batches).toHaveLength(3);

    while (gates.length || batches.length < 4) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    gates.forEach((g) => g());
    expect(await a.done).toEqual(['LONG', 'B']);
    expect(await b.done).toEqual(['C']);
    expect(await long2.done).toEqual(['LONG', 'X']);
    expect(await long3.done).toEqual(['LONG', 'Y']);
    await batcher.idle();
    expect(peak).toBe(2);
  });
});
