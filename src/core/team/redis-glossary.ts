// The team's glossary in Redis, so every member and worker enforces the same terms. Keys under
// `<prefix>:glossary:`: v (pair → version), t (pair + source term → id), i (id → pair) and one
// hash per pair p:<pair> (id → entry JSON). Each change is one Lua script that also bumps its
// pair's version, so entries and versions never disagree. forPair reads the version on every call
// (one HGET) and reloads a pair's entries only when it changed: a term another member adds is
// used by the next translation, without restarting.
import type { Redis } from 'ioredis';
import type { GlossaryEntry, GlossaryPage, GlossaryQuery, NewGlossaryEntry } from '../../shared/glossary.js';
import { byPairAndSource, checkLang, lastPerTerm, matchesQuery, normalizeEntry, type GlossaryBackend } from '../glossary/backend.js';
import { closeRedis } from './connection.js';
import { defineScripts, type ScriptDef, type ScriptFn } from './scripts.js';

const SCRIPTS = {
  /** KEYS: v, t, i. ARGV: base, then (pair, source, id, json)… → stored JSON per entry. */
  add: {
    keys: 3,
    lua: `
local base = ARGV[1]
local out, touched = {}, {}
for n = 2, #ARGV, 4 do
  local pair, source, id, json = ARGV[n], ARGV[n + 1], ARGV[n + 2], ARGV[n + 3]
  local entries = base .. 'p:' .. pair
  local existing = redis.call('HGET', KEYS[2], pair .. '\\0' .. source)
  if existing then
    -- The term is already there: it keeps its id and creation time.
    local old = cjson.decode(redis.call('HGET', entries, existing))
    local e = cjson.decode(json)
    e.id = existing
    e.createdAt = old.createdAt
    json = cjson.encode(e)
    id = existing
  end
  redis.call('HSET', entries, id, json)
  redis.call('HSET', KEYS[2], pair .. '\\0' .. source, id)
  redis.call('HSET', KEYS[3], id, pair)
  touched[pair] = true
  out[#out + 1] = json
end
for pair in pairs(touched) do redis.call('HINCRBY', KEYS[1], pair, 1) end
return out`,
  },
  /** KEYS: v, t, i. ARGV: base, id → 1 when removed. */
  remove: {
    keys: 3,
    lua: `
local pair = redis.call('HGET', KEYS[3], ARGV[2])
if not pair then return 0 end
local entries = ARGV[1] .. 'p:' .. pair
local json = redis.call('HGET', entries, ARGV[2])
if json then redis.call('HDEL', KEYS[2], pair .. '\\0' .. cjson.decode(json).source) end
redis.call('HDEL', entries, ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
redis.call('HINCRBY', KEYS[1], pair, 1)
return 1`,
  },
  /** KEYS: v, t, i. ARGV: base, pair → entries removed. */
  clear: {
    keys: 3,
    lua: `
local entries = ARGV[1] .. 'p:' .. ARGV[2]
local all = redis.call('HGETALL', entries)
for n = 1, #all, 2 do
  redis.call('HDEL', KEYS[2], ARGV[2] .. '\\0' .. cjson.decode(all[n + 1]).source)
  redis.call('HDEL', KEYS[3], all[n])
end
redis.call('DEL', entries)
if #all > 0 then redis.call('HINCRBY', KEYS[1], ARGV[2], 1) end
return #all / 2`,
  },
} satisfies Record<string, ScriptDef>;

/** Entries per script call: large imports go in steps that each keep Redis responsive. */
const ADD_STEP = 2000;

export interface RedisGlossaryOptions {
  client: Redis;
  /** Team key prefix (`parla:<team>`). */
  prefix: string;
  ownsClient?: boolean;
  now?: () => number;
}

export class RedisGlossary implements GlossaryBackend {
  private readonly client: Redis;
  private readonly base: string;
  private readonly keys: [string, string, string];
  private readonly scripts: Record<keyof typeof SCRIPTS, ScriptFn>;
  private readonly ownsClient: boolean;
  private readonly now: () => number;
  private readonly loaded = new Map<string, { version: string; entries: readonly GlossaryEntry[] }>();

  constructor(options: RedisGlossaryOptions) {
    this.client = options.client;
    this.base = `${options.prefix}:glossary:`;
    this.keys = [`${this.base}v`, `${this.base}t`, `${this.base}i`];
    this.scripts = defineScripts(this.client, SCRIPTS);
    this.ownsClient = options.ownsClient ?? false;
    this.now = options.now ?? Date.now;
  }

  async add(entries: readonly NewGlossaryEntry[]): Promise<GlossaryEntry[]> {
    const now = this.now();
    const normalized = entries.map((e) => normalizeEntry(e, now));
    const unique = lastPerTerm(normalized);
    const stored = new Map<string, GlossaryEntry>();
    for (let at = 0; at < unique.length; at += ADD_STEP) {
      const args: string[] = [this.base];
      for (const e of unique.slice(at, at + ADD_STEP)) args.push(pairOf(e.from, e.to), e.source, e.id, JSON.stringify(e));
      const out = (await this.scripts.add(...this.keys, ...args)) as string[];
      for (const json of out) {
        const e = JSON.parse(json) as GlossaryEntry;
        stored.set(`${pairOf(e.from, e.to)}\u0000${e.source}`, e);
      }
    }
    return normalized.map((e) => stored.get(`${pairOf(e.from, e.to)}\u0000${e.source}`)!);
  }

  async list(query: GlossaryQuery): Promise<GlossaryPage> {
    const pairs =
      query.from && query.to
        ? [[query.from, query.to] as const]
        : (await this.client.hkeys(this.keys[0]))
            .map((p) => p.split('>') as [string, string])
            .filter(([from, to]) => (!query.from || from === query.from) && (!query.to || to === query.to));
    const matching: GlossaryEntry[] = [];
    for (const [from, to] of pairs) for (const e of (await this.forPair(from, to)).entries) if (matchesQuery(e, query.q)) matching.push(e);
    matching.sort(byPairAndSource);
    const offset = query.offset ?? 0;
    return { entries: matching.slice(offset, query.limit === undefined ? undefined : offset + query.limit), total: matching.length };
  }

  async remove(id: string): Promise<boolean> {
    return (await this.scripts.remove(...this.keys, this.base, id)) === 1;
  }

  async clear(from: string, to: string): Promise<number> {
    return Number(await this.scripts.clear(...this.keys, this.base, pairOf(checkLang(from, 'from'), checkLang(to, 'to'))));
  }

  async forPair(from: string, to: string): Promise<{ version: string; entries: readonly GlossaryEntry[] }> {
    const pair = pairOf(from, to);
    const known = this.loaded.get(pair);
    const version = (await this.client.hget(this.keys[0], pair)) ?? '0';
    if (known?.version === version) return known;
    // Version and entries in one MULTI, so they are in step even while another member writes.
    const [[, v], [, all]] = (await this.client.multi().hget(this.keys[0], pair).hvals(`${this.base}p:${pair}`).exec()) as [
      [Error | null, string | null],
      [Error | null, string[]],
    ];
    const fresh = { version: v ?? '0', entries: all.map((json) => JSON.parse(json) as GlossaryEntry).sort(byPairAndSource) };
    this.loaded.set(pair, fresh);
    return fresh;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }
}

function pairOf(from: string, to: string): string {
  return `${from}>${to}`;
}
