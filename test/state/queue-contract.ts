// One behaviour suite for every QueueBackend (SQLite now, BullMQ later).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewJob, QueueBackend } from '../../src/core/queue/backend.js';

const job = (over: Partial<NewJob> = {}): NewJob => ({ from: 'en', to: ['es', 'fr'], spec: { texts: [] }, ...over });
const err = { name: 'Error', code: 'INTERNAL' as const, message: 'boom' };

export function runQueueContract(name: string, makeBackend: () => Promise<QueueBackend>): void {
  describe(`QueueBackend contract: ${name}`, () => {
    const open: QueueBackend[] = [];
    const make = async () => {
      const q = await makeBackend();
      open.push(q);
      return q;
    };
    afterEach(async () => {
      for (const q of open.splice(0)) await q.close();
    });

    it('creates a queued job with the docs/contracts.md record shape', async () => {
      const q = await make();
      const r = await q.create(job({ input: { file: 'a.csv', columns: ['A'] }, output: 'a.es.csv' }));
      expect(r).toMatchObject({
        status: 'queued', from: 'en', to: ['es', 'fr'], input: { file: 'a.csv', columns: ['A'] }, output: 'a.es.csv',
        progress: { total: 0, done: 0, failed: 0, flagged: 0, cached: 0, modelCalls: 0, rate: 0, etaSeconds: null },
      });
      expect(typeof r.id).toBe('string');
      expect(Date.parse(r.createdAt)).not.toBeNaN();
      expect((await q.get(r.id))?.ingested).toBe(false);
      expect((await q.list()).map((j) => j.id)).toContain(r.id);
      expect(await q.get('nope')).toBeUndefined();
    });

    it('dedupes texts per language and totals their occurrences', async () => {
      const q = await make();
      const { id } = await q.create(job());
      await q.addTexts(id, [
        { lang: 'es', key: 'k1', source: 'a' },
        { lang: 'es', key: 'k1', source: 'a' },
        { lang: 'es', key: 'k2', source: 'b', count: 3 },
        { lang: 'fr', key: 'k1', source: 'a' },
      ]);
      await q.finishIngest(id);
      expect((await q.get(id))?.record.progress.total).toBe(6);
      const batch = await q.nextTexts(id, 10, Date.now());
      expect(batch.map((t) => [t.lang, t.source])).toEqual([['es', 'a'], ['es', 'b']]);
    });

    it('commits outcomes and counters atomically, ignoring replays', async () => {
      const q = await make();
      const { id } = await q.create(job({ to: ['es'] }));
      await q.addTexts(id, [
        { lang: 'es', key: 'a', source: 'a', count: 2 },
        { lang: 'es', key: 'b', source: 'b' },
      ]);
      await q.finishIngest(id);
      const [a, b] = await q.nextTexts(id, 10, Date.now());
      const outcomes = [
        { id: a!.id, ok: true as const, text: 'A', cached: false },
        { id: b!.id, ok: true as const, text: 'B', cached: true },
      ];
      await q.commit(id, outcomes);
      await q.commit(id, outcomes);
      expect((await q.get(id))?.record.progress).toMatchObject({ total: 3, done: 3, failed: 0, cached: 1, modelCalls: 1 });
      expect(await q.nextTexts(id, 10, Date.now())).toEqual([]);
      expect(await q.lookup(id, 'es', ['b', 'zz', 'a'])).toEqual([{ text: 'B', flags: [] }, undefined, { text: 'A', flags: [] }]);
    });

    it('keeps each item\'s review flags and confidence, and counts flagged items (occurrences) once', async () => {
      const q = await make();
      const { id } = await q.create(job({ to: ['es'] }));
      await q.addTexts(id, [
        { lang: 'es', key: 'a', source: 'a', count: 3 },
        { lang: 'es', key: 'b', source: 'b' },
        { lang: 'es', key: 'c', source: 'c' },
      ]);
      await q.finishIngest(id);
      const [a, b, c] = await q.nextTexts(id, 10, Date.now());
      const outcomes = [
        { id: a!.id, ok: true as const, text: 'A', cached: false, flags: ['repetition' as const, 'length' as const], confidence: 0.12 },
        { id: b!.id, ok: true as const, text: 'B', cached: true, flags: [], confidence: 0.9 },
        { id: c!.id, ok: true as const, text: '', cached: false, flags: ['low_confidence' as const], confidence: 0.3 },
      ];
      await q.commit(id, outcomes);
      await q.commit(id, outcomes);
      expect((await q.get(id))?.record.progress).toMatchObject({ total: 5, done: 5, flagged: 4 });
      expect(await q.lookup(id, 'es', ['a', 'b', 'c', 'zz'])).toEqual([
        { text: 'A', flags: ['repetition', 'length'], confidence: 0.12 },
        { text: 'B', flags: [], confidence: 0.9 },
        { text: '', flags: ['low_confidence'], confidence: 0.3 },
        undefined,
      ]);
      // Starting ingestion over forgets the count with the items.
      await q.resetItems(id);
      expect((await q.get(id))?.record.progress.flagged).toBe(0);
    });

    it('schedules retries alone and after their time, then fails; retryFailed brings them back', async () => {
      const q = await make();
      const { id } = await q.create(job({ to: ['es'] }));
      await q.addTexts(id, [
        { lang: 'es', key: 'a', source: 'a' },
        { lang: 'es', key: 'b', source: 'b' },
      ]);
      await q.finishIngest(id);
      const batch = await q.nextTexts(id, 10, 0);
      await q.commit(id, batch.map((t) => ({ id: t.id, ok: false as const, error: err, final: false, retryAt: 1000 })));
      expect(await q.nextTexts(id, 10, 999)).toEqual([]);
      expect(await q.nextRetryAt(id)).toBe(1000);
      const retry = await q.nextTexts(id, 10, 1000);
      expect(retry).toHaveLength(1);
      expect(retry[0]!.attempts).toBe(1);
      await q.commit(id, [{ id: retry[0]!.id, ok: false, error: err, final: true, retryAt: 0 }]);
      expect((await q.get(id))?.record.progress.failed).toBe(1);
      expect(await q.failures(id)).toEqual([{ lang: 'es', error: err, count: 1 }]);
      expect(await q.retryFailed(id)).toBe(1);
      expect(await q.failures(id)).toEqual([]);
      expect((await q.get(id))?.record.progress.failed).toBe(0);
      const again = await q.nextTexts(id, 10, 1000);
      expect(again.map((t) => t.attempts)).toEqual([0]);
    });

    it('groups failed items by language and reason, rows counted, most first', async () => {
      const q = await make();
      const { id } = await q.create(job({ to: ['es', 'fr'] }));
      await q.addTexts(id, [
        { lang: 'es', key: 'a', source: 'a', count: 2 },
        { lang: 'fr', key: 'a', source: 'a', count: 2 },
        { lang: 'fr', key: 'b', source: 'b', count: 3 },
        { lang: 'es', key: 'c', source: 'c' },
      ]);
      await q.finishIngest(id);
      const noModel = { name: 'ParlaError', code: 'UNKNOWN_PAIR' as const, message: 'no model for en→fr' };
      // One language per fetch: settle each before asking for the next.
      for (let items = await q.nextTexts(id, 10, 0); items.length; items = await q.nextTexts(id, 10, 0)) {
        await q.commit(
          id,
          items.map((t) =>
            t.source === 'c' ? { id: t.id, ok: true as const, text: 'C', cached: false } : { id: t.id, ok: false as const, error: t.lang === 'fr' ? noModel : err, final: true, retryAt: 0 },
          ),
        );
      }
      expect(await q.failures(id)).toEqual([
        { lang: 'fr', error: noModel, count: 5 },
        { lang: 'es', error: err, count: 2 },
      ]);
    });

    it('resetItems drops a half-ingested job’s items', async () => {
      const q = await make();
      const { id } = await q.create(job());
      await q.addTexts(id, [{ lang: 'es', key: 'a', source: 'a' }]);
      await q.resetItems(id);
      await q.finishIngest(id);
      expect((await q.get(id))?.record.progress.total).toBe(0);
    });

    it('sets status, error and output; finds the newest resumable job by key', async () => {
      const q = await make();
      const key = `key-${randomUUID()}`;
      const a = await q.create(job({ key }));
      await q.setStatus(a.id, 'done', { output: 'out.csv' });
      expect(await q.findResumable(key)).toBeUndefined();
      const b = await q.create(job({ key }));
      const failed = await q.setStatus(b.id, 'failed', { error: err });
      expect(failed.error).toEqual({ code: 'INTERNAL', message: 'boom' });
      expect((await q.findResumable(key))?.id).toBe(b.id);
      expect((await q.setStatus(b.id, 'running', { error: null })).error).toBeUndefined();
      expect((await q.get(a.id))?.record.output).toBe('out.csv');
      await expect(q.setStatus('nope', 'done')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('gives the run lease to one live owner at a time', async () => {
      const q = await make();
      const { id } = await q.create(job());
      const me = { id: 'a', pid: process.pid };
      expect(await q.acquire(id, me)).toBe(true);
      expect(await q.acquire(id, me)).toBe(true);
      expect(await q.acquire(id, { id: 'b', pid: process.pid })).toBe(false);
      await q.release(id, 'a');
      expect(await q.acquire(id, { id: 'b', pid: process.pid })).toBe(true);
    });

    it('removes a job with its items; other jobs keep theirs', async () => {
      const q = await make();
      const key = `k-${randomUUID()}`;
      const gone = await q.create(job({ key, output: 'out.csv' }));
      const kept = await q.create(job());
      for (const { id } of [gone, kept]) {
        await q.addTexts(id, [{ lang: 'es', key: 'k1', source: 'a' }, { lang: 'fr', key: 'k1', source: 'a' }]);
        await q.finishIngest(id);
      }
      await q.acquire(gone.id, { id: 'a', pid: process.pid });
      expect(await q.remove(gone.id)).toBe(true);
      expect(await q.get(gone.id)).toBeUndefined();
      expect((await q.list()).map((j) => j.id)).not.toContain(gone.id);
      expect(await q.findResumable(key)).toBeUndefined();
      expect(await q.nextTexts(gone.id, 10, Date.now())).toEqual([]);
      expect(await q.remove(gone.id)).toBe(false);
      expect(await q.nextTexts(kept.id, 10, Date.now())).toHaveLength(1);
      expect((await q.get(kept.id))?.record.progress.total).toBe(2);
    });
  });
}
