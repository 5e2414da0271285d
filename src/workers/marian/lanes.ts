// Model lanes: worker threads that each load their own copy of a Marian model's sessions and
// generate whole batches side by side. onnxruntime-node runs a session on the calling thread,
// and a small model's batch keeps about one core busy, so parallel batches on worker threads
// are how the host uses every core. The host thread keeps the tokenizer (a session-less
// MarianModel) and hands tokenized groups to whichever lane is free.
import { Worker, type MessagePort } from 'node:worker_threads';
import { ParlaError, fromErrorInfo, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import type { DecodeOptions } from '../../shared/translation.js';
import { COLLECT_AFTER_BYTES, batchOutputBytes, collectGarbage, exposeCollectorToNewThreads } from './garbage.js';
import { MarianModel, type GroupRunner, type LoadOptions } from './marian-model.js';
import { releaseFreedMemory } from './release-memory.js';
import type { Hypothesis } from './search.js';

/** `workerData` of a lane: which model to load, and how. */
export interface LaneData {
  parlaLane: true;
  dir: string;
  load: LoadOptions;
}

type LaneRequest = { id: number; sources: readonly number[][]; options: DecodeOptions };
type LaneReply = { id: number; ok: true; hyps: Hypothesis[][] } | { id: number; ok: false; error: ErrorInfo };
/** The host's lanes have been idle a while: collect the dead output buffers now, and say when done. */
type LaneCollect = { collect: true };
/** A lane has collected them: the memory malloc now holds free can go back. */
type LaneCollected = { collected: true };
type LaneReady = { ready: true } | { ready: false; error: ErrorInfo };

export function isLaneData(data: unknown): data is LaneData {
  return typeof data === 'object' && data !== null && (data as LaneData).parlaLane === true;
}

/** Worker side: load the model, then answer generate requests one at a time until closed. */
export async function serveLane(port: MessagePort, data: LaneData): Promise<void> {
  let model: MarianModel;
  try {
    // Token ids only cross to a lane: the host thread's model tokenizes, so a lane holds no tokenizer.
    model = await MarianModel.load(data.dir, { ...data.load, sessions: true, tokenizer: false });
  } catch (error) {
    port.postMessage({ ready: false, error: toErrorInfo(error) } satisfies LaneReady);
    return;
  }
  let outputBytes = 0;
  port.on('message', (request: LaneRequest | LaneCollect) => {
    if ('collect' in request) {
      outputBytes = 0;
      const collected = () => port.postMessage({ collected: true } satisfies LaneCollected);
      if (!collectGarbage(collected)) collected();
      return;
    }
    model.generate(request.sources, request.options).then(
      (hyps) => {
        port.postMessage({ id: request.id, ok: true, hyps } satisfies LaneReply);
        const rows = request.sources.length * (request.options.beam ?? 1);
        const steps = Math.max(1, ...hyps.flatMap((h) => h.map((x) => x.ids.length)));
        outputBytes += batchOutputBytes(rows, steps, model.config.vocabSize);
        if (outputBytes >= COLLECT_AFTER_BYTES) {
          outputBytes = 0;
          // After the reply is on its way; the native buffers go when their finalizers run.
          setImmediate(collectGarbage);
        }
      },
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: toErrorInfo(error) } satisfies LaneReply),
    );
  });
  port.postMessage({ ready: true } satisfies LaneReady);
}

/**
 * Batches in flight on any lane of this process (every model's), and batches started so far.
 * Once none has run or started for IDLE_BEFORE_RELEASE_MS, every open lane collects its dead
 * output buffers, and when all have, the memory malloc then holds free goes back to the system
 * (release-memory.ts); in a stream of batches, each would fault those pages in again.
 */
let batchesInFlight = 0;
let batchesStarted = 0;
const IDLE_BEFORE_RELEASE_MS = 100;
const openLanes = new Set<MarianLanes>();
/** Lanes yet to answer the idle collection, and the count of batches started when it was asked. */
let collecting = 0;
let idleSince = -1;

function collectWhenIdle(): void {
  const seen = batchesStarted;
  setTimeout(() => {
    if (batchesInFlight > 0 || batchesStarted !== seen) return;
    const workers = [...openLanes].flatMap((lanes) => lanes.workers());
    idleSince = seen;
    collecting = workers.length;
    for (const worker of workers) worker.postMessage({ collect: true } satisfies LaneCollect);
  }, IDLE_BEFORE_RELEASE_MS).unref();
}

function laneCollected(): void {
  if (--collecting === 0 && batchesInFlight === 0 && batchesStarted === idleSince) releaseFreedMemory();
}

interface Lane {
  worker: Worker;
  pending: Map<number, { resolve(h: Hypothesis[][]): void; reject(e: unknown): void }>;
}

/** The host side: N lanes for one model; `generate` runs on the first free lane. */
export class MarianLanes implements GroupRunner {
  private readonly free: Lane[];
  private readonly waiting: ((lane: Lane) => void)[] = [];
  private nextId = 0;
  private failure: ParlaError | undefined;
  private closed = false;

  private constructor(private readonly all: Lane[]) {
    this.free = [...all];
  }

  /**
   * Starts `count` lanes running `entry` (a module that calls `serveLane` when its `workerData`
   * is a LaneData: the host's own entry) and waits until every lane has loaded the model.
   */
  static async start(entry: string | URL, dir: string, load: LoadOptions, count: number): Promise<MarianLanes> {
    const data: LaneData = { parlaLane: true, dir, load };
    exposeCollectorToNewThreads();
    // Worker wants a path or a URL object; `import.meta.url` is a file:// string.
    const script = typeof entry === 'string' && entry.startsWith('file:') ? new URL(entry) : entry;
    const started = await Promise.allSettled(
      Array.from({ length: Math.max(1, count) }, () => {
        const worker = new Worker(script, { workerData: data });
        return new Promise<Worker>((resolve, reject) => {
          const fail = (error: unknown) => {
            void worker.terminate();
            reject(error instanceof Error ? error : new Error(String(error)));
          };
          const exited = (code: number) => fail(new ParlaError('HOST_CRASHED', `a model lane exited with code ${code} while loading ${dir}`));
          worker.once('message', (m: LaneReady) => {
            worker.off('error', fail);
            worker.off('exit', exited);
            if (m.ready) resolve(worker);
            else fail(fromErrorInfo(m.error));
          });
          worker.once('error', fail);
          worker.once('exit', exited);
        });
      }),
    );
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const rejected = started.find((s) => s.status === 'rejected');
    if (rejected) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw (rejected as PromiseRejectedResult).reason;
    }
    const lanes = new MarianLanes(workers.map((worker) => ({ worker, pending: new Map() })));
    for (const lane of lanes.all) lanes.watch(lane);
    openLanes.add(lanes);
    return lanes;
  }

  get lanes(): number {
    return this.all.length;
  }

  /** Set once a lane has died: every later call fails and the owner should load afresh. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  private watch(lane: Lane): void {
    const { worker } = lane;
    worker.on('message', (reply: LaneReply | LaneCollected) => {
      if ('collected' in reply) {
        laneCollected();
        return;
      }
      const call = lane.pending.get(reply.id);
      if (!call) return;
      lane.pending.delete(reply.id);
      if (reply.ok) call.resolve(reply.hyps);
      else call.reject(fromErrorInfo(reply.error));
    });
    const died = (why: string) => {
      if (this.closed) return;
      this.failure ??= new ParlaError('HOST_CRASHED', `a model lane stopped (${why})`);
      for (const call of lane.pending.values()) call.reject(this.failure);
      lane.pending.clear();
      for (const w of this.waiting.splice(0)) w(lane); // they fail on the broken check
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
  }

  private acquire(): Promise<Lane> {
    const lane = this.free.pop();
    return lane ? Promise.resolve(lane) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: Lane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.free.push(lane);
  }

  /** Throws once the lanes cannot take a call: a lane died, or the model was unloaded. */
  private assertUsable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new ParlaError('HOST_CRASHED', 'the model was unloaded');
  }

  async generate(sources: readonly number[][], options: DecodeOptions): Promise<Hypothesis[][]> {
    this.assertUsable();
    const lane = await this.acquire();
    try {
      // Again after the wait: the lanes may have broken or closed meanwhile.
      this.assertUsable();
      const id = this.nextId++;
      batchesInFlight++;
      batchesStarted++;
      try {
        return await new Promise<Hypothesis[][]>((resolve, reject) => {
          lane.pending.set(id, { resolve, reject });
          lane.worker.postMessage({ id, sources, options } satisfies LaneRequest);
        });
      } finally {
        if (--batchesInFlight === 0) collectWhenIdle();
      }
    } finally {
      this.release(lane);
    }
  }

  /** The workers that can take an idle collection: none once broken or closed. */
  workers(): Worker[] {
    return this.closed || this.failure ? [] : this.all.map((lane) => lane.worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    openLanes.delete(this);
    const unloaded = new ParlaError('HOST_CRASHED', 'the model was unloaded');
    for (const lane of this.all) {
      for (const call of lane.pending.values()) call.reject(unloaded);
      lane.pending.clear();
    }
    await Promise.all(this.all.map((l) => l.worker.terminate()));
  }
}
