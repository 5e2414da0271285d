// Named API keys for the compatible APIs, in the data dir's parla.db. Only a key's sha256 is
// stored: the key is shown once when created. Usage is counted per calendar month (UTC), the
// period DeepL's `/v2/usage` reports; a charge that would pass the key's character limit is
// refused whole, in the same transaction that reads the count, so two requests cannot both slip
// under it.
import { createHash, randomBytes } from 'node:crypto';
import { ParlaError } from '../../shared/errors.js';
import { KEY_NAME, type ApiKeyInfo, type CreatedApiKey, type NewApiKey } from '../../shared/keys.js';
import { writeTransaction, type Db } from '../db.js';

interface KeyRow {
  name: string;
  char_limit: number | null;
  rate_limit: number | null;
  created_at: number;
  last_used_at: number | null;
  characters: number | null;
  requests: number | null;
}

/** The usage period a moment falls in: its calendar month in UTC, "2026-12". */
export function usagePeriod(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A whole number of at least 1, or a one-line BAD_INPUT naming the option. */
function limitOf(value: number | undefined, name: string): number | null {
  if (value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 1) throw new ParlaError('BAD_INPUT', `${name} must be a whole number of at least 1, not ${String(value)}`);
  return value;
}

export class KeyStore {
  private readonly st;
  private readonly chargeTx: (name: string, period: string, characters: number, limit: number | null) => boolean;
  private readonly revokeTx: (name: string) => boolean;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const select = `SELECT k.name, k.char_limit, k.rate_limit, k.created_at, k.last_used_at, u.characters, u.requests
      FROM api_keys k LEFT JOIN api_key_usage u ON u.name = k.name AND u.period = @period`;
    this.st = {
      insert: db.prepare('INSERT INTO api_keys (name, hash, char_limit, rate_limit, created_at) VALUES (?, ?, ?, ?, ?)'),
      exists: db.prepare<[string], { name: string }>('SELECT name FROM api_keys WHERE name = ?'),
      all: db.prepare<{ period: string }, KeyRow>(`${select} ORDER BY k.name`),
      byName: db.prepare<{ period: string; name: string }, KeyRow>(`${select} WHERE k.name = @name`),
      byHash: db.prepare<{ period: string; hash: string }, KeyRow>(`${select} WHERE k.hash = @hash`),
      used: db.prepare<[number, string]>('UPDATE api_keys SET last_used_at = ? WHERE name = ?'),
      count: db.prepare<{ name: string; period: string; characters: number; requests: number }>(
        `INSERT INTO api_key_usage (name, period, characters, requests) VALUES (@name, @period, @characters, @requests)
         ON CONFLICT (name, period) DO UPDATE SET characters = characters + excluded.characters, requests = requests + excluded.requests`,
      ),
      remove: db.prepare<[string]>('DELETE FROM api_keys WHERE name = ?'),
      removeUsage: db.prepare<[string]>('DELETE FROM api_key_usage WHERE name = ?'),
    };
    const st = this.st;
    this.chargeTx = writeTransaction(db, (name: string, period: string, characters: number, limit: number | null) => {
      const row = st.byName.get({ period, name });
      if (!row) return false;
      if (limit !== null && (row.characters ?? 0) + characters > limit) return false;
      st.count.run({ name, period, characters, requests: 0 });
      return true;
    });
    this.revokeTx = writeTransaction(db, (name: string) => {
      st.removeUsage.run(name);
      return st.remove.run(name).changes > 0;
    });
  }

  create(request: NewApiKey): CreatedApiKey {
    if (!KEY_NAME.test(request.name)) throw new ParlaError('BAD_INPUT', `a key name is 1-64 letters, digits or . _ @ - (starting with a letter or digit), not "${request.name}"`);
    const charLimit = limitOf(request.charLimit, 'the character limit');
    const rateLimit = limitOf(request.ratePerMinute, 'the rate limit');
    if (this.st.exists.get(request.name)) throw new ParlaError('CONFLICT', `a key named "${request.name}" exists; revoke it first or pick another name`);
    // 32 random bytes: unguessable; the prefix tells a leaked key apart in a secret scanner.
    const key = `parla_${randomBytes(32).toString('base64url')}`;
    this.st.insert.run(request.name, hashKey(key), charLimit, rateLimit, this.now());
    return { ...this.info(request.name)!, key };
  }

  list(): ApiKeyInfo[] {
    const period = usagePeriod(this.now());
    return this.st.all.all({ period }).map((row) => toInfo(row, period));
  }

  info(name: string): ApiKeyInfo | undefined {
    const period = usagePeriod(this.now());
    const row = this.st.byName.get({ period, name });
    return row ? toInfo(row, period) : undefined;
  }

  /** The key a request presents, counted as one request of this month; undefined when none has that text. */
  use(key: string): ApiKeyInfo | undefined {
    const now = this.now();
    const period = usagePeriod(now);
    const row = this.st.byHash.get({ period, hash: hashKey(key) });
    if (!row) return undefined;
    this.st.used.run(now, row.name);
    this.st.count.run({ name: row.name, period, characters: 0, requests: 1 });
    return toInfo({ ...row, requests: (row.requests ?? 0) + 1, last_used_at: now }, period);
  }

  /**
   * Adds `characters` to this month's count unless that passes the key's limit; false then (or
   * when the key was revoked meanwhile). `characters` may be negative: a refund.
   */
  charge(name: string, characters: number): boolean {
    const row = this.info(name);
    return this.chargeTx(name, usagePeriod(this.now()), characters, characters > 0 ? (row?.charLimit ?? null) : null);
  }

  /** False when no key has that name. */
  revoke(name: string): boolean {
    return this.revokeTx(name);
  }
}

function toInfo(row: KeyRow, period: string): ApiKeyInfo {
  return {
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    charLimit: row.char_limit,
    ratePerMinute: row.rate_limit,
    usage: { period, characters: row.characters ?? 0, requests: row.requests ?? 0 },
  };
}
