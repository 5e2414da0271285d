// The job queue on the team's Redis: the same QueueBackend as SqliteQueue (it passes
// test/state/queue-contract.ts), so job records and item outcomes of a team job live where every
// member and worker can reach them. Item state changes are Lua scripts (atomic, idempotent);
// distributing the work is BullMQ's part (see team-runner.ts and worker.ts), not this file's.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ParlaError, type ErrorInfo } from '../../shared/errors.js';
import type { ItemTranslation, JobRecord, JobStatus } from '../../shared/jobs.js';
import { itemTranslation, parseError, sortFailures, storedReview, type FailureGroup, type JobOwner, type NewJob, type NewText, type PendingText, type QueueBackend, type StoredJob, type TextOutcome } from '../queue/backend.js';
import { QUEUE_SCRIPTS } from './redis-queue-scripts.js';
import { closeRedis } from './connection.js';
import { defineScripts, type ScriptFn } from './scripts.js';

export interface RedisQueueOptions {
  client: Redis;
  /** Team key prefix (`parla:<team>`); the queue lives under `<prefix>:q:`. */
  prefix: string;
  ownsClient?: boolean;
  /** How long a run lease lasts without renewal (a dead submitter's job is free after this). */
  leaseMs?: number;
}

export const REDIS_QUEUE_DEFAULTS = { leaseMs: 30_000 } as const;

function quads(flat: string[]): PendingText[] {
  const out: PendingText[] = [];
  for (let i = 0; i < flat.length; i += 4) {
    out.push({ id: Number(flat[i]), lang: flat[i + 1] as string, source: flat[i + 2] as string, attempts: Number(flat[i + 3]) });
  }
  return out;
}

const pad = (id: number) => String(id).padStart(12, '0');

export class RedisQueue implements QueueBackend {
  readonly client: Redis;
  private readonly base: string;
  private readonly scripts: Record<keyof typeof QUEUE_SCRIPTS, ScriptFn>;
  private readonly ownsClient: boolean;
  readonly leaseMs: number;

  constructor(options: RedisQueueOptions) {
    this.client = options.client;
    this.base = `${options.prefix}:q:`;
    this.scripts = defineScripts(this.client, QUEUE_SCRIPTS);
    this.ownsClient = options.ownsClient ?? false;
    this.leaseMs = options.leaseMs ?? REDIS_QUEUE_DEFAULTS.leaseMs;
  }

  private jobKey(id: string): string {
    return `${this.base}job:${id}`;
  }

  private keys(id: string): [string, string] {
    return [this.jobKey(id), `${this.jobKey(id)}:i:`];
  }

  async create(job: NewJob): Promise<JobRecord> {
    const id = randomUUID();
    const now = new Date().toISOString();
    const seq = await this.client.incr(`${this.base}seq`);
    const fields: Record<string, string | number> = {
      id, status: 'queued', createdAt: now, updatedAt: now, from: job.from, to: JSON.stringify(job.to),
      spec: JSON.stringify(job.spec), ingested: 0, total: 0, done: 0, failed: 0, cached: 0, memory: 0, modelCalls: 0,
    };
    if (job.key) fields['key'] = job.key;
    if (job.input) fields['input'] = JSON.stringify(job.input);
    if (job.output !== undefined) fields['output'] = job.output;
    const tx = this.client.multi().hset(this.jobKey(id), fields).zadd(`${this.base}jobs`, seq, id);
    if (job.key) tx.zadd(`${this.base}key:${job.key}`, seq, id);
    await tx.exec();
    return (await this.mustGet(id)).record;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const h = await this.client.hgetall(this.jobKey(id));
    if (!h['id']) return undefined;
    return {
      record: toRecord(h),
      ...(h['key'] ? { key: h['key'] } : {}),
      spec: JSON.parse(h['spec'] ?? '{}') as Record<string, unknown>,
      ingested: h['ingested'] === '1',
    };
  }

  async list(): Promise<JobRecord[]> {
    const ids = await this.client.zrevrange(`${this.base}jobs`, 0, -1);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is StoredJob => j !== undefined).map((j) => j.record);
  }

  async findResumable(key: string): Promise<JobRecord | undefined> {
    for (const id of await this.client.zrevrange(`${this.base}key:${key}`, 0, -1)) {
      const job = await this.get(id);
      if (job && job.record.status !== 'done' && job.record.status !== 'canceled') return job.record;
    }
    return undefined;
  }

  async resetItems(jobId: string): Promise<void> {
    await this.scripts.resetItems(...this.keys(jobId));
  }

  async addTexts(jobId: string, texts: readonly NewText[]): Promise<void> {
    if (texts.length === 0) return;
    const args: (string | number)[] = [];
    for (const t of texts) args.push(t.lang, t.key, t.source, t.count ?? 1);
    await this.scripts.addTexts(...this.keys(jobId), ...args);
  }

  async finishIngest(jobId: string): Promise<void> {
    await this.scripts.finishIngest(...this.keys(jobId), new Date().toISOString());
  }

  async nextTexts(jobId: string, limit: number, now: number): Promise<PendingText[]> {
    return quads((await this.scripts.nextTexts(...this.keys(jobId), limit, now)) as string[]);
  }

  async nextRetryAt(jobId: string): Promise<number | undefined> {
    const [, b] = this.keys(jobId);
    if ((await this.client.zcard(`${b}fresh`)) > 0) return 0;
    const first = await this.client.zrange(`${b}retry`, '0', '0', 'WITHSCORES');
    return first.length === 2 ? Number(first[1]) : undefined;
  }

  /** Every pending item id of the job, fresh ones first, in order: what the submitter splits into chunks. */
  async pendingIds(jobId: string): Promise<{ id: number; lang: string }[]> {
    const [, b] = this.keys(jobId);
    const ids = [...(await this.client.zrange(`${b}fresh`, '0', '-1')), ...(await this.client.zrange(`${b}retry`, '0', '-1'))];
    if (ids.length === 0) return [];
    const langs = await this.client.hmget(`${b}lang`, ...ids);
    return ids.map((id, i) => ({ id: Number(id), lang: langs[i] as string }));
  }

  /** Those of `ids` still pending, with their texts: what a worker translates for one chunk. */
  async pendingItems(jobId: string, ids: readonly number[]): Promise<PendingText[]> {
    if (ids.length === 0) return [];
    return quads((await this.scripts.pendingItems(...this.keys(jobId), ...ids.map(pad))) as string[]);
  }

  async commit(jobId: string, outcomes: readonly TextOutcome[]): Promise<void> {
    const args: (string | number)[] = [new Date().toISOString()];
    for (const o of outcomes) {
      if (o.ok) args.push(pad(o.id), 'o', o.text, o.memory ? '2' : o.cached ? '1' : '0', 0, storedReview(o) ?? '', o.flags?.length ? '1' : '0');
      else args.push(pad(o.id), o.final ? 'f' : 'r', JSON.stringify(o.error), '0', o.retryAt, '', '0');
    }
    await this.scripts.commit(...this.keys(jobId), ...args);
  }

  async retryFailed(jobId: string): Promise<number> {
    return Number(await this.scripts.retryFailed(...this.keys(jobId), new Date().toISOString()));
  }

  async failures(jobId: string): Promise<FailureGroup[]> {
    const [, b] = this.keys(jobId);
    const ids = await this.client.smembers(`${b}failed`);
    if (ids.length === 0) return [];
    const [langs, errors, counts] = await Promise.all([this.client.hmget(`${b}lang`, ...ids), this.client.hmget(`${b}err`, ...ids), this.client.hmget(`${b}cnt`, ...ids)]);
    const groups = new Map<string, FailureGroup>();
    ids.forEach((_, i) => {
      const id = `${langs[i]}\u0000${errors[i]}`;
      const group = groups.get(id) ?? { lang: langs[i] ?? '', error: parseError(errors[i]), count: 0 };
      group.count += Number(counts[i] ?? 1);
      groups.set(id, group);
    });
    return sortFailures([...groups.values()]);
  }

  async lookup(jobId: string, lang: string, keys: readonly string[]): Promise<(ItemTranslation | undefined)[]> {
    if (keys.length === 0) return [];
    const raw = (await this.scripts.lookup(...this.keys(jobId), lang, ...keys)) as (string | null)[];
    return keys.map((_, i) => {
      const text = raw[2 * i];
      return typeof text === 'string' ? itemTranslation(text, raw[2 * i + 1]) : undefined;
    });
  }

  async setStatus(jobId: string, status: JobStatus, patch: { error?: ErrorInfo | null; output?: string } = {}): Promise<JobRecord> {
    const key = this.jobKey(jobId);
    if (!(await this.client.exists(key))) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
    const tx = this.client.multi().hset(key, { status, updatedAt: new Date().toISOString(), ...(patch.output !== undefined ? { output: patch.output } : {}) });
    if (patch.error === null) tx.hdel(key, 'error');
    else if (patch.error) tx.hset(key, 'error', JSON.stringify({ code: patch.error.code, message: patch.error.message }));
    await tx.exec();
    return (await this.mustGet(jobId)).record;
  }

  /** The status alone: what workers poll between texts to notice pause and cancel quickly. */
  async status(jobId: string): Promise<JobStatus | undefined> {
    return ((await this.client.hget(this.jobKey(jobId), 'status')) ?? undefined) as JobStatus | undefined;
  }

  async remove(jobId: string): Promise<boolean> {
    const stored = await this.get(jobId);
    if (!stored) return false;
    // The items first (the script knows their keys), then the record and its indexes.
    await this.scripts.resetItems(...this.keys(jobId));
    const tx = this.client.multi().del(this.jobKey(jobId), `${this.jobKey(jobId)}:lease`).zrem(`${this.base}jobs`, jobId);
    if (stored.key) tx.zrem(`${this.base}key:${stored.key}`, jobId);
    await tx.exec();
    return true;
  }

  /** A lease with a time limit: pids mean nothing across machines, so a dead owner's lease expires. */
  async acquire(jobId: string, owner: JobOwner): Promise<boolean> {
    const got = Number(await this.scripts.acquire(this.jobKey(jobId), `${this.jobKey(jobId)}:lease`, owner.id, this.leaseMs));
    if (got === -1) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
    return got === 1;
  }

  async release(jobId: string, ownerId: string): Promise<void> {
    await this.scripts.release(`${this.jobKey(jobId)}:lease`, ownerId);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }

  private async mustGet(id: string): Promise<StoredJob> {
    const job = await this.get(id);
    if (!job) throw new ParlaError('NOT_FOUND', `no job ${id}`);
    return job;
  }
}

function toRecord(h: Record<string, string>): JobRecord {
  const n = (k: string) => Number(h[k] ?? 0);
  const record: JobRecord = {
    id: h['id'] as string,
    status: h['status'] as JobStatus,
    createdAt: h['createdAt'] as string,
    updatedAt: h['updatedAt'] as string,
    from: h['from'] ?? '',
    to: JSON.parse(h['to'] ?? '[]') as string[],
    progress: { total: n('total'), done: n('done'), failed: n('failed'), flagged: n('flagged'), cached: n('cached'), memory: n('memory'), modelCalls: n('modelCalls'), rate: 0, etaSeconds: null },
  };
  if (h['input']) record.input = JSON.parse(h['input']) as JobRecord['input'];
  if (h['output']) record.output = h['output'];
  if (h['error']) record.error = JSON.parse(h['error']) as JobRecord['error'];
  return record;
}
