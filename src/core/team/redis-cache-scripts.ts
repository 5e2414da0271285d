// The Redis cache's atomic steps. Keys: e (payload by cache key), c (created-at ms), b (bytes),
// lru (sorted set scored by a logical tick, like SqliteCache's accessed_at), m (counters).
import type { ScriptDef } from './scripts.js';

const DROP = `
local function drop(k)
  local b = tonumber(redis.call('HGET', KEYS[3], k) or '0')
  redis.call('HDEL', KEYS[1], k)
  redis.call('HDEL', KEYS[2], k)
  redis.call('HDEL', KEYS[3], k)
  redis.call('ZREM', KEYS[4], k)
  redis.call('HINCRBY', KEYS[5], 'entries', -1)
  redis.call('HINCRBY', KEYS[5], 'bytes', -b)
end
`;

export const CACHE_SCRIPTS = {
  /** ARGV: now, ttlMs (-1: none), key... → payload or nil per key; touches hits, counts. */
  getMany: {
    keys: 5,
    lua: `${DROP}
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local tick = tonumber(redis.call('HGET', KEYS[5], 'tick') or '0')
local out, hits, misses = {}, 0, 0
for i = 3, #ARGV do
  local k = ARGV[i]
  local v = redis.call('HGET', KEYS[1], k)
  if v and ttl >= 0 and tonumber(redis.call('HGET', KEYS[2], k) or '0') < now - ttl then
    drop(k)
    v = false
  end
  if v then
    hits = hits + 1
    tick = tick + 1
    redis.call('ZADD', KEYS[4], tick, k)
  else
    misses = misses + 1
  end
  out[i - 2] = v
end
redis.call('HSET', KEYS[5], 'tick', tick)
redis.call('HINCRBY', KEYS[5], 'hits', hits)
redis.call('HINCRBY', KEYS[5], 'misses', misses)
return out`,
  },
  /** ARGV: now, maxEntries, maxBytes, then (key, payload, bytes) triples. */
  setMany: {
    keys: 5,
    lua: `${DROP}
local now = ARGV[1]
local maxEntries = tonumber(ARGV[2])
local maxBytes = tonumber(ARGV[3])
local tick = tonumber(redis.call('HGET', KEYS[5], 'tick') or '0')
local dEntries, dBytes = 0, 0
for i = 4, #ARGV, 3 do
  local k, payload, bytes = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local old = redis.call('HGET', KEYS[3], k)
  if old then dBytes = dBytes - tonumber(old) else dEntries = dEntries + 1 end
  dBytes = dBytes + bytes
  tick = tick + 1
  redis.call('HSET', KEYS[1], k, payload)
  redis.call('HSET', KEYS[2], k, now)
  redis.call('HSET', KEYS[3], k, bytes)
  redis.call('ZADD', KEYS[4], tick, k)
end
redis.call('HSET', KEYS[5], 'tick', tick)
local entries = redis.call('HINCRBY', KEYS[5], 'entries', dEntries)
local total = redis.call('HINCRBY', KEYS[5], 'bytes', dBytes)
while entries > maxEntries or total > maxBytes do
  local victim = redis.call('ZPOPMIN', KEYS[4], 1)
  if #victim == 0 then break end
  drop(victim[1])
  entries = tonumber(redis.call('HGET', KEYS[5], 'entries'))
  total = tonumber(redis.call('HGET', KEYS[5], 'bytes'))
end
return entries`,
  },
} satisfies Record<string, ScriptDef>;
