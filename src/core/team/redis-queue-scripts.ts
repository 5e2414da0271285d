// The Redis queue's atomic steps. KEYS[1] is the job hash, KEYS[2] the base of its item keys
// (`<job>:i:`), under which: ids (lang\0key → id), lang, src, cnt, st ('p' pending, 'd' done,
// 'f' failed), att (attempts), res, rev (review: flags and confidence, JSON), err (hashes by id); fresh and fresh:<lang> (pending, never
// tried; by id), retry (pending retries; by due time), failed (set), seq (id counter).
// Ids are zero-padded so that sorted-set ties order like numbers.
import type { ScriptDef } from './scripts.js';

const PAD = `local function pad(n) return string.format('%012d', n) end`;
/** Appends an item as the (id, lang, source, attempts) quad that nextTexts and pendingItems answer with. */
const PUSH_ITEM = `local function push_item(out, b, id)
  table.insert(out, id)
  table.insert(out, redis.call('HGET', b .. 'lang', id))
  table.insert(out, redis.call('HGET', b .. 'src', id))
  table.insert(out, redis.call('HGET', b .. 'att', id))
end`;

export const QUEUE_SCRIPTS = {
  /** ARGV: (lang, key, source, count) quads. */
  addTexts: {
    keys: 2,
    lua: `${PAD}
local b = KEYS[2]
for i = 1, #ARGV, 4 do
  local lang, key, src, count = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local id = redis.call('HGET', b .. 'ids', lang .. '\\0' .. key)
  if id then
    redis.call('HINCRBY', b .. 'cnt', id, count)
  else
    id = pad(redis.call('INCR', b .. 'seq'))
    redis.call('HSET', b .. 'ids', lang .. '\\0' .. key, id)
    redis.call('HSET', b .. 'lang', id, lang)
    redis.call('HSET', b .. 'src', id, src)
    redis.call('HSET', b .. 'cnt', id, count)
    redis.call('HSET', b .. 'st', id, 'p')
    redis.call('HSET', b .. 'att', id, 0)
    redis.call('ZADD', b .. 'fresh', tonumber(id), id)
    redis.call('ZADD', b .. 'fresh:' .. lang, tonumber(id), id)
    redis.call('SADD', b .. 'langs', lang)
  end
end
return 1`,
  },
  /** ARGV: langs... Drops every item of the job and zeroes its counters. */
  resetItems: {
    keys: 2,
    lua: `
local b = KEYS[2]
for _, lang in ipairs(redis.call('SMEMBERS', b .. 'langs')) do redis.call('DEL', b .. 'fresh:' .. lang) end
for _, k in ipairs({'ids', 'lang', 'src', 'cnt', 'st', 'att', 'res', 'rev', 'err', 'fresh', 'retry', 'failed', 'seq', 'langs'}) do
  redis.call('DEL', b .. k)
end
redis.call('HSET', KEYS[1], 'ingested', 0, 'total', 0, 'done', 0, 'failed', 0, 'flagged', 0, 'cached', 0, 'memory', 0, 'modelCalls', 0)
return 1`,
  },
  /** ARGV: now (ISO). */
  finishIngest: {
    keys: 2,
    lua: `
local total = 0
for _, c in ipairs(redis.call('HVALS', KEYS[2] .. 'cnt')) do total = total + tonumber(c) end
redis.call('HSET', KEYS[1], 'ingested', 1, 'total', total, 'updatedAt', ARGV[1])
return total`,
  },
  /** ARGV: limit, now (ms). → flat (id, lang, source, attempts) quads. */
  nextTexts: {
    keys: 2,
    lua: `${PUSH_ITEM}
local b = KEYS[2]
local out = {}
local ids
local first = redis.call('ZRANGE', b .. 'fresh', 0, 0)
if #first > 0 then
  local lang = redis.call('HGET', b .. 'lang', first[1])
  ids = redis.call('ZRANGE', b .. 'fresh:' .. lang, 0, tonumber(ARGV[1]) - 1)
else
  ids = redis.call('ZRANGEBYSCORE', b .. 'retry', '-inf', ARGV[2], 'LIMIT', 0, 1)
end
for _, id in ipairs(ids) do push_item(out, b, id) end
return out`,
  },
  /** ARGV: ids... → flat (id, lang, source, attempts) quads for those still pending. */
  pendingItems: {
    keys: 2,
    lua: `${PUSH_ITEM}
local b = KEYS[2]
local out = {}
for _, id in ipairs(ARGV) do
  if redis.call('HGET', b .. 'st', id) == 'p' then push_item(out, b, id) end
end
return out`,
  },
  /**
   * ARGV: now (ISO), then (id, kind, payload, cached ('2': memory), retryAt, review, flagged) per outcome; kind
   * 'o' ok (payload: text; review: flags and confidence JSON or ''; flagged '1' when it has
   * flags), 'f' final failure, 'r' retry later (payload: error JSON). Only pending items settle,
   * so a replayed or duplicated chunk never counts twice.
   */
  commit: {
    keys: 2,
    lua: `
local b = KEYS[2]
local done, failed, flagged, cached, memory, model = 0, 0, 0, 0, 0, 0
for i = 2, #ARGV, 7 do
  local id, kind, payload = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('HGET', b .. 'st', id) == 'p' then
    local lang = redis.call('HGET', b .. 'lang', id)
    local count = tonumber(redis.call('HGET', b .. 'cnt', id))
    redis.call('ZREM', b .. 'fresh', id)
    redis.call('ZREM', b .. 'fresh:' .. lang, id)
    redis.call('ZREM', b .. 'retry', id)
    if kind == 'o' then
      redis.call('HSET', b .. 'st', id, 'd')
      redis.call('HSET', b .. 'res', id, payload)
      if ARGV[i + 5] ~= '' then redis.call('HSET', b .. 'rev', id, ARGV[i + 5]) end
      redis.call('HDEL', b .. 'err', id)
      done = done + count
      if ARGV[i + 6] == '1' then flagged = flagged + count end
      -- '2': answered by the translation memory, '1': by the cache, '0': by the model
      if ARGV[i + 3] == '2' then memory = memory + 1 elseif ARGV[i + 3] == '1' then cached = cached + 1 else model = model + 1 end
    else
      redis.call('HSET', b .. 'err', id, payload)
      redis.call('HINCRBY', b .. 'att', id, 1)
      if kind == 'f' then
        redis.call('HSET', b .. 'st', id, 'f')
        redis.call('SADD', b .. 'failed', id)
        failed = failed + count
      else
        redis.call('ZADD', b .. 'retry', tonumber(ARGV[i + 4]), id)
      end
    end
  end
end
redis.call('HINCRBY', KEYS[1], 'done', done)
redis.call('HINCRBY', KEYS[1], 'failed', failed)
redis.call('HINCRBY', KEYS[1], 'flagged', flagged)
redis.call('HINCRBY', KEYS[1], 'cached', cached)
redis.call('HINCRBY', KEYS[1], 'memory', memory)
redis.call('HINCRBY', KEYS[1], 'modelCalls', model)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
return done`,
  },
  /** ARGV: now (ISO). → number of texts put back. */
  retryFailed: {
    keys: 2,
    lua: `
local b = KEYS[2]
local ids = redis.call('SMEMBERS', b .. 'failed')
local items = 0
for _, id in ipairs(ids) do
  local lang = redis.call('HGET', b .. 'lang', id)
  items = items + tonumber(redis.call('HGET', b .. 'cnt', id))
  redis.call('HSET', b .. 'st', id, 'p')
  redis.call('HSET', b .. 'att', id, 0)
  redis.call('HDEL', b .. 'err', id)
  redis.call('ZADD', b .. 'fresh', tonumber(id), id)
  redis.call('ZADD', b .. 'fresh:' .. lang, tonumber(id), id)
end
redis.call('DEL', b .. 'failed')
redis.call('HINCRBY', KEYS[1], 'failed', -items)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
return #ids`,
  },
  /** ARGV: lang, keys... → (translation, review) per key: nil, nil where not done; review '' when none. */
  lookup: {
    keys: 2,
    lua: `
local b = KEYS[2]
local out = {}
for i = 2, #ARGV do
  local id = redis.call('HGET', b .. 'ids', ARGV[1] .. '\\0' .. ARGV[i])
  local v, r = false, false
  if id and redis.call('HGET', b .. 'st', id) == 'd' then
    v = redis.call('HGET', b .. 'res', id)
    r = redis.call('HGET', b .. 'rev', id) or ''
  end
  out[2 * i - 3] = v
  out[2 * i - 2] = r
end
return out`,
  },
  /** KEYS: job hash, lease key. ARGV: owner id, lease ms. → 1 when the caller holds the lease. */
  acquire: {
    keys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1`,
  },
  /** KEYS: lease key. ARGV: owner id. */
  release: {
    keys: 1,
    lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`,
  },
} satisfies Record<string, ScriptDef>;
