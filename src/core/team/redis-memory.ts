// The team's translation memory in Redis: an entry one member saves answers every member's next
// request. Keys under `<prefix>:memory:`: e (id → entry JSON), k (pair + memoryKey → id), one set
// per pair and word w:<pair>:<word> (ids; the fuzzy index), seq (a change counter), c and gone
// (id → the change that wrote or removed it; a member's local copy reads them to catch up).
// Every write is one Lua script, so an entry, its place and its index never disagree.
import type { Redis } from 'ioredis';
import type { MemoryEntry, MemoryPage, MemoryQuery, MemorySuggestion, NewMemoryEntry } from '../../shared/memory.js';
import { DEFAULT_MEMORY_AUTHOR } from '../../shared/memory.js';
import {
  byPairAndSource,
  matchesMemoryQuery,
  mergeWithin,
  normalizeMemoryEntry,
  pairOf,
  parseStoredEntry,
  placeOf,
  type MemoryBackend,
  type SuggestOptions,
} from '../memory/backend.js';
import { candidateWords, FUZZY_LIMITS, indexWords, memoryKey, rankCandidates, scoreCandidates } from '../memory/match.js';
import { closeRedis } from './connection.js';
import { defineScripts, type ScriptDef, type ScriptFn } from './scripts.js';

// mergeEntries (src/core/memory/backend.ts) in Lua: the later edit wins, every version with
// another text is kept in the history once, ordered by time.
const MERGE = `
local function revkey(r) return string.format('%d', r.when) .. '\\0' .. r.target .. '\\0' .. r.who end
local function rev(e) return { target = e.target, who = e.who, when = e.when, origin = e.origin } end
local function merge(stored, incoming)
  local winner = stored
  if incoming.when >= stored.when then winner = incoming end
  local seen, list = {}, {}
  local function put(r)
    local k = revkey(r)
    if not seen[k] then seen[k] = true; list[#list + 1] = r end
  end
  for _, r in ipairs(type(stored.history) == 'table' and stored.history or {}) do put(r) end
  for _, r in ipairs(type(incoming.history) == 'table' and incoming.history or {}) do put(r) end
  put(rev(stored)); put(rev(incoming))
  local history = {}
  for _, r in ipairs(list) do if r.target ~= winner.target then history[#history + 1] = r end end
  table.sort(history, function(a, b)
    if a.when ~= b.when then return a.when < b.when end
    if a.target ~= b.target then return a.target < b.target end
    return a.who < b.who
  end)
  local note = winner.note
  if note == nil then note = stored.note end
  return { id = stored.id, from = winner.from, to = winner.to, source = winner.source, target = winner.target,
    who = winner.who, when = winner.when, origin = winner.origin, note = note, history = history }
end
`;

const SCRIPTS = {
  /** KEYS: e, k, seq, c. ARGV: base, then (place, pair, json, n, word × n)… → stored JSON per entry. */
  memory_add: {
    keys: 4,
    lua: `${MERGE}
local base = ARGV[1]
local out = {}
local n = 2
while n <= #ARGV do
  local place, pair, json, count = ARGV[n], ARGV[n + 1], ARGV[n + 2], tonumber(ARGV[n + 3])
  local id = redis.call('HGET', KEYS[2], place)
  if id then
    local stored = cjson.decode(redis.call('HGET', KEYS[1], id))
    json = cjson.encode(merge(stored, cjson.decode(json)))
  else
    id = cjson.decode(json).id
    redis.call('HSET', KEYS[2], place, id)
    for w = 1, count do redis.call('SADD', base .. 'w:' .. pair .. ':' .. ARGV[n + 3 + w], id) end
  end
  redis.call('HSET', KEYS[1], id, json)
  -- One change number per entry, so a member catching up can stop between any two.
  redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[3]), id)
  out[#out + 1] = json
  n = n + 4 + count
end
return out`,
  },
  /** KEYS: k, e. ARGV: places… → entry JSON or false per place. */
  memory_lookup: {
    keys: 2,
    lua: `
local out = {}
local ids = redis.call('HMGET', KEYS[1], unpack(ARGV))
for i = 1, #ARGV do
  if ids[i] then out[i] = redis.call('HGET', KEYS[2], ids[i]) else out[i] = false end
end
return out`,
  },
  /** KEYS: e, k, seq, c, gone. ARGV: base, id, place, pair, words… → 1 when removed. */
  memory_remove: {
    keys: 5,
    lua: `
local base, id, place, pair = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', KEYS[2], place) ~= id then return 0 end
redis.call('HDEL', KEYS[2], place)
redis.call('HDEL', KEYS[1], id)
for w = 5, #ARGV do redis.call('SREM', base .. 'w:' .. pair .. ':' .. ARGV[w], id) end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZREM', KEYS[4], id)
redis.call('ZADD', KEYS[5], seq, id)
return 1`,
  },
} satisfies Record<string, ScriptDef>;

/** Entries per script call of an add: Redis stays responsive while a large batch goes in. */
const ADD_STEP = 2000;

export interface RedisMemoryOptions {
  client: Redis;
  /** Team key prefix (`parla:<team>`). */
  prefix: string;
  ownsClient?: boolean;
  author?: () => string;
  now?: () => number;
}

/** What changed in the team's memory after a member's last look. */
export interface MemoryChanges {
  entries: MemoryEntry[];
  removed: string[];
  /** Read from here next time. */
  seq: number;
}

export class RedisMemory implements MemoryBackend {
  private readonly client: Redis;
  private readonly base: string;
  private readonly keys: { e: string; k: string; seq: string; c: string; gone: string };
  private readonly scripts: Record<keyof typeof SCRIPTS, ScriptFn>;
  private readonly ownsClient: boolean;
  private readonly author: () => string;
  private readonly now: () => number;

  constructor(options: RedisMemoryOptions) {
    this.client = options.client;
    this.base = `${options.prefix}:memory:`;
    const b = this.base;
    this.keys = { e: `${b}e`, k: `${b}k`, seq: `${b}seq`, c: `${b}c`, gone: `${b}gone` };
    this.scripts = defineScripts(this.client, SCRIPTS);
    this.ownsClient = options.ownsClient ?? false;
    this.author = options.author ?? (() => DEFAULT_MEMORY_AUTHOR);
    this.now = options.now ?? Date.now;
  }

  async add(entries: readonly NewMemoryEntry[]): Promise<MemoryEntry[]> {
    const defaults = { who: this.author(), now: this.now() };
    const normalized = entries.map((e) => normalizeMemoryEntry(e, defaults));
    const stored = await this.storeAll(normalized, ADD_STEP);
    return normalized.map((e) => stored.get(placeOf(e))!);
  }

  /** One script call: Redis runs it whole or (the sender killed before it arrived) not at all. */
  async import(entries: readonly NewMemoryEntry[], onProgress?: (done: number) => void): Promise<number> {
    const defaults = { who: this.author(), now: this.now() };
    const stored = await this.storeAll(entries.map((e) => normalizeMemoryEntry({ origin: 'imported', ...e }, defaults)), Infinity);
    onProgress?.(stored.size);
    return stored.size;
  }

  /** Entries as a member's local copy holds them (ids, times, history kept), merged in. */
  async storeEntries(entries: readonly MemoryEntry[]): Promise<MemoryEntry[]> {
    const stored = await this.storeAll(entries, ADD_STEP);
    return entries.map((e) => stored.get(placeOf(e))!);
  }

  private async storeAll(entries: readonly MemoryEntry[], step: number): Promise<Map<string, MemoryEntry>> {
    const unique = [...mergeWithin(entries)];
    const stored = new Map<string, MemoryEntry>();
    for (let at = 0; at < unique.length; at += step) {
      const args: (string | number)[] = [this.base];
      for (const [place, e] of unique.slice(at, at + step)) {
        const words = indexWords(memoryKey(e.source));
        args.push(place, pairOf(e.from, e.to), JSON.stringify(e), words.length, ...words);
      }
      const out = (await this.scripts.memory_add(this.keys.e, this.keys.k, this.keys.seq, this.keys.c, ...args)) as string[];
      for (const json of out) {
        const e = parseStoredEntry(json);
        stored.set(placeOf(e), e);
      }
    }
    return stored;
  }

  async lookup(from: string, to: string, sources: readonly string[]): Promise<(MemoryEntry | undefined)[]> {
    if (sources.length === 0) return [];
    const places = sources.map((source) => placeOf({ from, to, source }));
    const out = (await this.scripts.memory_lookup(this.keys.k, this.keys.e, ...places)) as (string | null)[];
    return out.map((json) => (json ? parseStoredEntry(json) : undefined));
  }

  async suggest(from: string, to: string, source: string, options: SuggestOptions): Promise<MemorySuggestion[]> {
    const key = memoryKey(source);
    const wordKey = (w: string) => `${this.base}w:${pairOf(from, to)}:${w}`;
    const all = indexWords(key);
    if (all.length === 0) return [];
    const sizes = await this.client.pipeline(all.map((w) => ['scard', wordKey(w)])).exec();
    const frequency = new Map(all.map((w, i) => [w, Number(sizes?.[i]?.[1] ?? 0)]));
    const words = candidateWords(key, options.threshold, (w) => frequency.get(w) ?? 0);
    // A word in more entries than the posting limit is read as a sample of that many (as SQLite's LIMIT).
    const postings = await this.client
      .pipeline(words.map((w) => (frequency.get(w)! > FUZZY_LIMITS.posting ? ['srandmember', wordKey(w), FUZZY_LIMITS.posting] : ['smembers', wordKey(w)])))
      .exec();
    const ids = rankCandidates(postings?.map(([, ids]) => ids as string[]) ?? [], FUZZY_LIMITS.candidates);
    if (ids.length === 0) return [];
    const candidates = (await this.client.hmget(this.keys.e, ...ids)).filter((j): j is string => j !== null).map(parseStoredEntry);
    return scoreCandidates(key, candidates, options.threshold, options.limit).map(({ entry, score }) => ({
      id: entry.id, source: entry.source, target: entry.target, score,
    }));
  }

  async list(query: MemoryQuery): Promise<MemoryPage> {
    const matching = (await this.client.hvals(this.keys.e))
      .map(parseStoredEntry)
      .filter((e) => (!query.from || e.from === query.from) && (!query.to || e.to === query.to) && matchesMemoryQuery(e, query.q))
      .sort(byPairAndSource);
    const offset = query.offset ?? 0;
    return { entries: matching.slice(offset, query.limit === undefined ? undefined : offset + query.limit), total: matching.length };
  }

  async get(id: string): Promise<MemoryEntry | undefined> {
    const json = await this.client.hget(this.keys.e, id);
    return json ? parseStoredEntry(json) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    const entry = await this.get(id);
    if (!entry) return false;
    const key = memoryKey(entry.source);
    const { e, k, seq, c, gone } = this.keys;
    return (await this.scripts.memory_remove(e, k, seq, c, gone, this.base, id, placeOf(entry), pairOf(entry.from, entry.to), ...indexWords(key))) === 1;
  }

  /** Entries written and removed after change `seq`, up to `limit` of each. */
  async changesSince(seq: number, limit: number): Promise<MemoryChanges> {
    const [written, removed] = await Promise.all([
      this.client.zrangebyscore(this.keys.c, `(${seq}`, '+inf', 'WITHSCORES', 'LIMIT', 0, limit),
      this.client.zrangebyscore(this.keys.gone, `(${seq}`, '+inf', 'WITHSCORES', 'LIMIT', 0, limit),
    ]);
    const ids: string[] = [];
    let last = seq;
    for (let i = 0; i < written.length; i += 2) {
      ids.push(written[i]!);
      last = Math.max(last, Number(written[i + 1]));
    }
    const gone: string[] = [];
    for (let i = 0; i < removed.length; i += 2) {
      gone.push(removed[i]!);
      last = Math.max(last, Number(removed[i + 1]));
    }
    // With more changes than the limit on one side, stop where that side was cut: the rest next time.
    if (written.length / 2 === limit) last = Math.min(last, Number(written[written.length - 1]));
    if (removed.length / 2 === limit) last = Math.min(last, Number(removed[removed.length - 1]));
    const entries = ids.length ? (await this.client.hmget(this.keys.e, ...ids)).filter((j): j is string => j !== null).map(parseStoredEntry) : [];
    return { entries, removed: gone, seq: last };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }
}
