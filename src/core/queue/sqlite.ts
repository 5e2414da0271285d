// SQLite job queue. Every batch's outcomes and the job's counters change in one transaction, so
// after kill -9 a job restarts exactly where its last committed batch left it.
// Its tables are made and changed by the ordered migrations in src/core/migrations.ts.
import { randomUUID } from 'node:crypto';
import { ParlaError, type ErrorInfo } from '../../shared/errors.js';
import type { JobRecord, JobStatus } from '../../shared/jobs.js';
import { openDb, writeTransaction, type Db } from '../db.js';
import { itemTranslation, parseError, sortFailures, storedReview, type FailureGroup, type JobOwner, type NewJob, type NewText, type PendingText, type QueueBackend, type StoredJob, type TextOutcome } from './backend.js';
import type { ItemTranslation } from '../../shared/jobs.js';

/**
 * Every column but `spec`: a text job's spec holds all its texts (megabytes of JSON), and the
 * runner reads the job's record between every two batches.
 */
const RECORD_COLUMNS =
  'id, key, status, created_at, updated_at, src_lang, tgt_langs, input, output, error, ingested, total, done, failed, flagged, cached, memory, model_calls, owner, owner_pid';

/**
 * Review columns, added to queues made before review flags existed (their items read as clean):
 * an item's flags and confidence (JSON), and the job's count of flagged items.
 */
interface JobRow {
  id: string;
  key: string | null;
  status: JobStatus;
  created_at: string;
  updated_at: string;
  src_lang: string;
  tgt_langs: string;
  input: string | null;
  output: string | null;
  error: string | null;
  ingested: number;
  total: number;
  done: number;
  failed: number;
  flagged: number;
  cached: number;
  memory: number;
  model_calls: number;
  owner: string | null;
  owner_pid: number | null;
}

function toRecord(r: JobRow): JobRecord {
  const record: JobRecord = {
    id: r.id,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    from: r.src_lang,
    to: JSON.parse(r.tgt_langs) as string[],
    progress: { total: r.total, done: r.done, failed: r.failed, flagged: r.flagged, cached: r.cached, memory: r.memory, modelCalls: r.model_calls, rate: 0, etaSeconds: null },
  };
  if (r.input) record.input = JSON.parse(r.input) as JobRecord['input'];
  if (r.output) record.output = r.output;
  if (r.error) {
    const e = JSON.parse(r.error) as ErrorInfo;
    record.error = { code: e.code, message: e.message };
  }
  return record;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SqliteQueueOptions {
  db?: Db;
  file?: string;
}

export class SqliteQueue implements QueueBackend {
  private readonly db: Db;
  private readonly ownsDb: boolean;
  private readonly applyOutcomes: (jobId: string, outcomes: readonly TextOutcome[]) => void;
  private readonly insertTexts: (jobId: string, texts: readonly NewText[]) => void;

  constructor(options: SqliteQueueOptions) {
    if (!options.db && !options.file) throw new ParlaError('INTERNAL', 'SqliteQueue needs a db or a file');
    this.db = options.db ?? openDb(options.file as string);
    this.ownsDb = !options.db;
    const db = this.db;

    const insert = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO job_texts (job_id, lang, key, source, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_id, lang, key) DO UPDATE SET count = count + excluded.count`,
    );
    // The total grows with each chunk, in its transaction: finishIngest then needs no sum over
    // every item (half a second for 200,000, with the event loop blocked).
    const addTotal = db.prepare<[number, string]>('UPDATE jobs SET total = total + ? WHERE id = ?');
    this.insertTexts = writeTransaction(db, (jobId: string, texts: readonly NewText[]) => {
      let added = 0;
      for (const t of texts) {
        insert.run(jobId, t.lang, t.key, t.source, t.count ?? 1);
        added += t.count ?? 1;
      }
      addTotal.run(added, jobId);
    });

    const getText = db.prepare<[number, string], { count: number; status: string }>(
      'SELECT count, status FROM job_texts WHERE id = ? AND job_id = ?',
    );
    const markDone = db.prepare<[string, string | null, number]>(`UPDATE job_texts SET status = 'done', result = ?, review = ?, error = NULL WHERE id = ?`);
    const markFailed = db.prepare<[string, number]>(`UPDATE job_texts SET status = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?`);
    const markRetry = db.prepare<[string, number, number]>(
      `UPDATE job_texts SET error = ?, attempts = attempts + 1, next_at = ? WHERE id = ?`,
    );
    const bump = db.prepare<[number, number, number, number, number, number, string, string]>(
      `UPDATE jobs SET done = done + ?, failed = failed + ?, flagged = flagged + ?, cached = cached + ?, memory = memory + ?, model_calls = model_calls + ?,
         updated_at = ? WHERE id = ?`,
    );
    this.applyOutcomes = writeTransaction(db, (jobId: string, outcomes: readonly TextOutcome[]) => {
      let done = 0;
      let failed = 0;
      let flagged = 0;
      let cached = 0;
      let memory = 0;
      let modelCalls = 0;
      for (const o of outcomes) {
        const row = getText.get(o.id, jobId);
        // A text already settled (a second runner, a replayed batch) must not count twice.
        if (!row || row.status !== 'pending') continue;
        if (o.ok) {
          markDone.run(o.text, storedReview(o), o.id);
          done += row.count;
          if (o.flags?.length) flagged += row.count;
          if (o.memory) memory += 1;
          else if (o.cached) cached += 1;
          else modelCalls += 1;
        } else if (o.final) {
          markFailed.run(JSON.stringify(o.error), o.id);
          failed += row.count;
        } else {
          markRetry.run(JSON.stringify(o.error), o.retryAt, o.id);
        }
      }
      bump.run(done, failed, flagged, cached, memory, modelCalls, new Date().toISOString(), jobId);
    });
  }

  private row(id: string): JobRow | undefined {
    return this.db.prepare<[string], JobRow>(`SELECT ${RECORD_COLUMNS} FROM jobs WHERE id = ?`).get(id);
  }

  private mustRow(id: string): JobRow {
    const row = this.row(id);
    if (!row) throw new ParlaError('NOT_FOUND', `no job ${id}`);
    return row;
  }

  async create(job: NewJob): Promise<JobRecord> {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO jobs (id, key, status, created_at, updated_at, src_lang, tgt_langs, input, output, spec)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, job.key ?? null, now, now, job.from, JSON.stringify(job.to), job.input ? JSON.stringify(job.input) : null, job.output ?? null, JSON.stringify(job.spec));
    return toRecord(this.mustRow(id));
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const row = this.row(id);
    if (!row) return undefined;
    // The spec is read and parsed when asked for, once: most reads want the record alone. A
    // job's spec never changes after create.
    const readSpec = this.db.prepare<[string], { spec: string }>('SELECT spec FROM jobs WHERE id = ?');
    let spec: Record<string, unknown> | undefined;
    return {
      record: toRecord(row),
      ...(row.key ? { key: row.key } : {}),
      get spec() {
        spec ??= JSON.parse(readSpec.get(id)?.spec ?? '{}') as Record<string, unknown>;
        return spec;
      },
      ingested: row.ingested === 1,
    };
  }

  async list(): Promise<JobRecord[]> {
    return this.db.prepare<[], JobRow>(`SELECT ${RECORD_COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC`).all().map(toRecord);
  }

  async findResumable(key: string): Promise<JobRecord | undefined> {
    const row = this.db
      .prepare<[string], JobRow>(
        `SELECT ${RECORD_COLUMNS} FROM jobs WHERE key = ? AND status NOT IN ('done', 'canceled') ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get(key);
    return row ? toRecord(row) : undefined;
  }

  async resetItems(jobId: string): Promise<void> {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM job_texts WHERE job_id = ?').run(jobId);
      this.db
        .prepare('UPDATE jobs SET ingested = 0, total = 0, done = 0, failed = 0, flagged = 0, cached = 0, memory = 0, model_calls = 0 WHERE id = ?')
        .run(jobId);
    })();
  }

  async addTexts(jobId: string, texts: readonly NewText[]): Promise<void> {
    if (texts.length > 0) this.insertTexts(jobId, texts);
  }

  async finishIngest(jobId: string): Promise<void> {
    this.db.prepare('UPDATE jobs SET ingested = 1, updated_at = ? WHERE id = ?').run(new Date().toISOString(), jobId);
  }

  async nextTexts(jobId: string, limit: number, now: number): Promise<PendingText[]> {
    const fresh = this.db
      .prepare<[string], { lang: string }>(`SELECT lang FROM job_texts WHERE job_id = ? AND status = 'pending' AND attempts = 0 ORDER BY id LIMIT 1`)
      .get(jobId);
    if (fresh) {
      return this.db
        .prepare<[string, string, number], PendingText>(
          `SELECT id, lang, source, attempts FROM job_texts
           WHERE job_id = ? AND status = 'pending' AND attempts = 0 AND lang = ? ORDER BY id LIMIT ?`,
        )
        .all(jobId, fresh.lang, limit);
    }
    return this.db
      .prepare<[string, number], PendingText>(
        `SELECT id, lang, source, attempts FROM job_texts
         WHERE job_id = ? AND status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT 1`,
      )
      .all(jobId, now);
  }

  async nextRetryAt(jobId: string): Promise<number | undefined> {
    const row = this.db
      .prepare<[string], { at: number | null }>(`SELECT min(next_at) AS at FROM job_texts WHERE job_id = ? AND status = 'pending'`)
      .get(jobId);
    return row?.at ?? undefined;
  }

  async commit(jobId: string, outcomes: readonly TextOutcome[]): Promise<void> {
    this.applyOutcomes(jobId, outcomes);
  }

  async retryFailed(jobId: string): Promise<number> {
    return writeTransaction(this.db, () => {
      const { n, items } = this.db
        .prepare<[string], { n: number; items: number | null }>(
          `SELECT count(*) AS n, sum(count) AS items FROM job_texts WHERE job_id = ? AND status = 'failed'`,
        )
        .get(jobId) as { n: number; items: number | null };
      this.db.prepare(`UPDATE job_texts SET status = 'pending', attempts = 0, next_at = 0, error = NULL WHERE job_id = ? AND status = 'failed'`).run(jobId);
      this.db.prepare('UPDATE jobs SET failed = failed - ?, updated_at = ? WHERE id = ?').run(items ?? 0, new Date().toISOString(), jobId);
      return n;
    })();
  }

  async failures(jobId: string): Promise<FailureGroup[]> {
    const rows = this.db
      .prepare<[string], { lang: string; error: string | null; items: number }>(
        `SELECT lang, error, sum(count) AS items FROM job_texts WHERE job_id = ? AND status = 'failed' GROUP BY lang, error`,
      )
      .all(jobId);
    return sortFailures(rows.map((r) => ({ lang: r.lang, error: parseError(r.error), count: r.items })));
  }

  async lookup(jobId: string, lang: string, keys: readonly string[]): Promise<(ItemTranslation | undefined)[]> {
    const rows = this.db
      .prepare<[string, string, string], { key: string; result: string; review: string | null }>(
        `SELECT key, result, review FROM job_texts WHERE job_id = ? AND lang = ? AND status = 'done'
           AND key IN (SELECT value FROM json_each(?))`,
      )
      .all(jobId, lang, JSON.stringify(keys));
    const byKey = new Map(rows.map((r) => [r.key, itemTranslation(r.result, r.review)]));
    return keys.map((k) => byKey.get(k));
  }

  async setStatus(jobId: string, status: JobStatus, patch: { error?: ErrorInfo | null; output?: string } = {}): Promise<JobRecord> {
    this.mustRow(jobId);
    const sets = ['status = ?', 'updated_at = ?'];
    const params: (string | null)[] = [status, new Date().toISOString()];
    if (patch.error !== undefined) {
      sets.push('error = ?');
      params.push(patch.error ? JSON.stringify(patch.error) : null);
    }
    if (patch.output !== undefined) {
      sets.push('output = ?');
      params.push(patch.output);
    }
    this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...params, jobId);
    return toRecord(this.mustRow(jobId));
  }

  async remove(jobId: string): Promise<boolean> {
    let removed = false;
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM job_texts WHERE job_id = ?').run(jobId);
      removed = this.db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId).changes > 0;
    })();
    return removed;
  }

  async acquire(jobId: string, owner: JobOwner): Promise<boolean> {
    return writeTransaction(this.db, () => {
      const row = this.mustRow(jobId);
      const held = row.owner !== null && row.owner !== owner.id && row.owner_pid !== null && isAlive(row.owner_pid);
      if (held) return false;
      this.db.prepare('UPDATE jobs SET owner = ?, owner_pid = ? WHERE id = ?').run(owner.id, owner.pid, jobId);
      return true;
    })();
  }

  async release(jobId: string, ownerId: string): Promise<void> {
    this.db.prepare('UPDATE jobs SET owner = NULL, owner_pid = NULL WHERE id = ? AND owner = ?').run(jobId, ownerId);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
