// Dynamic batching: requests for the same model and decode options, from any client, are
// collected for a few milliseconds and translated as one batch. Up to `maxRunning` batches run
// per key at a time (requests arriving meanwhile form the next one), so a short interactive
// request does not wait for a job's whole batch: it shares the model's lanes with it instead.
import { ParlaError } from '../../shared/errors.js';

export interface BatchJob<R> {
  texts: string[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
  canceled: boolean;
}

export class Batcher<R> {
  private readonly queues = new Map<string, BatchJob<R>[]>();
  /** Batches running per key. */
  private readonly busy = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly run: (key: string, texts: string[]) => Promise<R[]>,
    private readonly maxRunning = 2,
  ) {}

  submit(key: string, job: BatchJob<R>): void {
    const queue = this.queues.get(key) ?? [];
    queue.push(job);
    this.queues.set(key, queue);
    this.schedule(key);
  }

  /** Resolves once nothing is queued or running (for a shutdown that waits for pending calls). */
  idle(): Promise<void> {
    if (this.running === 0 && [...this.queues.values()].every((q) => q.length === 0)) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private schedule(key: string): void {
    if ((this.busy.get(key) ?? 0) >= this.maxRunning || this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.flush(key);
      }, this.windowMs),
    );
  }

  private async flush(key: string): Promise<void> {
    const jobs = (this.queues.get(key) ?? []).filter((j) => !j.canceled);
    this.queues.set(key, []);
    if (jobs.length) {
      this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
      this.running++;
      try {
        const results = await this.run(key, jobs.flatMap((j) => j.texts));
        let k = 0;
        for (const job of jobs) {
          const mine = results.slice(k, k + job.texts.length);
          k += job.texts.length;
          if (!job.canceled) job.resolve(mine);
        }
      } catch (error) {
        for (const job of jobs) job.reject(error);
      } finally {
        const left = (this.busy.get(key) ?? 1) - 1;
        if (left) this.busy.set(key, left);
        else this.busy.delete(key);
        this.running--;
      }
    }
    if ((this.queues.get(key) ?? []).length) this.schedule(key);
    else this.queues.delete(key);
    if (this.running === 0 && this.queues.size === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}

export function canceledError(): ParlaError {
  return new ParlaError('CANCELED', 'request canceled');
}
