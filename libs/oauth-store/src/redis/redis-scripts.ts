import { luaScript } from './redis-connection';

/*
 * Every read-modify-write of the Redis backend is one Lua script, so it is atomic across every authz instance
 * sharing the Redis. Times come from the caller (ARGV) so all backends judge expiry by the app's clock; every
 * key written gets PEXPIREAT. Records are stored as hashes: `d` holds the immutable JSON, other fields the
 * parts scripts change. Keys a script derives from a record (a parent token, an evicted client) use the prefix
 * passed in ARGV: this backend is for a standalone Redis (or Sentinel), not Redis Cluster.
 */

/** An index sorted set lives as long as its longest-lived member. */
const KEEP_INDEX = `
local function keep(index)
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIREAT', index, last[2]) end
end`;

/**
 * KEYS: client, unused index, used index. ARGV: id, data, expiresAt, now, maxClients, client key prefix.
 * Indexes are scored by expiresAt: pruning is a range delete, eviction a ZPOPMIN (never-used clients first).
 */
export const CLIENT_SAVE = luaScript(`${KEEP_INDEX}
local id, now, max = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('DEL', KEYS[1])
while redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) >= max do
  local victim = redis.call('ZPOPMIN', KEYS[2])
  if #victim == 0 then victim = redis.call('ZPOPMIN', KEYS[3]) end
  redis.call('DEL', ARGV[6] .. victim[1])
end
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'e', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], id)
keep(KEYS[2])
return 1`);

/** KEYS: client, unused index, used index. ARGV: id, usedAt, expiresAt. */
export const CLIENT_MARK_USED = luaScript(`${KEEP_INDEX}
local current = redis.call('HGET', KEYS[1], 'e')
if not current then return 0 end
local expires = current
if tonumber(ARGV[3]) > tonumber(current) then expires = ARGV[3] end
redis.call('HSET', KEYS[1], 'u', ARGV[2], 'e', expires)
redis.call('PEXPIREAT', KEYS[1], expires)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], expires, ARGV[1])
keep(KEYS[2])
keep(KEYS[3])
return 1`);

/** KEYS: unused index, used index. ARGV: now. */
export const CLIENT_COUNT = luaScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2])`);

/**
 * KEYS: grant, its client's index, its subject's index. ARGV: data, expiresAt, revokedAt ('' for none), grant
 * id, now. The indexes (sorted sets of grant ids scored by expiresAt) answer "grants of a client / subject"; the
 * grant names them (`ci`, `si`) so an extension can move its score.
 */
export const GRANT_SAVE = luaScript(`${KEEP_INDEX}
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'e', ARGV[2], 'ci', KEYS[2], 'si', KEYS[3])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'r', ARGV[3]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
for i = 2, 3 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[5])
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[4])
  keep(KEYS[i])
end
return 1`);

/** KEYS: grant. ARGV: expiresAt, grant id. Never shortens; the grant's index entries move with it. */
export const GRANT_EXTEND = luaScript(`${KEEP_INDEX}
local expires = redis.call('HGET', KEYS[1], 'e')
if not expires or tonumber(ARGV[1]) <= tonumber(expires) then return 0 end
redis.call('HSET', KEYS[1], 'e', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
for _, index in ipairs(redis.call('HMGET', KEYS[1], 'ci', 'si')) do
  if index then
    redis.call('ZADD', index, ARGV[1], ARGV[2])
    keep(index)
  end
end
return 1`);

/** KEYS: grant. ARGV: revokedAt. The first revocation time wins; returns the grant's fields. */
export const GRANT_REVOKE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], 'r', ARGV[1])
return redis.call('HGETALL', KEYS[1])`);

/** KEYS: record. ARGV: now. Single use: {outcome, fields}; false when absent. */
export const CONSUME = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HEXISTS', KEYS[1], 'c') == 1 then
  return {'already_consumed', redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], 'c', ARGV[1])
return {'consumed', redis.call('HGETALL', KEYS[1])}`);

/**
 * KEYS: interaction. ARGV: subject, authTime, federated sign-in JSON ('' for none). Only a live, unconsumed
 * interaction changes.
 */
export const INTERACTION_SET_SUBJECT = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'c') == 1 then return false end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'a', ARGV[2])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'f') else redis.call('HSET', KEYS[1], 'f', ARGV[3]) end
return redis.call('HGETALL', KEYS[1])`);

/**
 * KEYS: presented token, successor. ARGV: presentedId, now, graceMs, successor data, successor expiresAt,
 * successor parentId, token key prefix. Mirrors decideRotation (refresh-rotation.rule.ts) step for step.
 */
export const REFRESH_ROTATE = luaScript(`
local presented = redis.call('HGETALL', KEYS[1])
if #presented == 0 then return false end
local f = {}
for i = 1, #presented, 2 do f[presented[i]] = presented[i + 1] end
local now, grace = tonumber(ARGV[2]), tonumber(ARGV[3])
local outcome
if not f.c then
  local parentKey = f.p and (ARGV[7] .. f.p)
  local sibling = parentKey and redis.call('HGET', parentKey, 's')
  if sibling and sibling ~= ARGV[1] then
    outcome = 'reused'
  else
    outcome = 'rotated'
    redis.call('HSET', KEYS[1], 'c', ARGV[2])
    if parentKey and redis.call('EXISTS', parentKey) == 1 then redis.call('HSET', parentKey, 's', ARGV[1]) end
  end
elseif f.s or now - tonumber(f.c) >= grace then
  outcome = 'reused'
else
  outcome = 'grace'
end
if outcome ~= 'reused' then
  redis.call('HSET', KEYS[2], 'd', ARGV[4])
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], 'p', ARGV[6]) end
  redis.call('PEXPIREAT', KEYS[2], ARGV[5])
end
return {outcome, presented}`);

/**
 * Rate limiting (@nestjs/throttler's storage contract). KEYS: hits, block. ARGV: ttl ms, limit, block ms.
 * Returns {totalHits, ms to window end, blocked 0/1, ms to block end}.
 */
export const THROTTLE_INCREMENT = luaScript(`
local ttl, limit, block = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  left = ttl
end
if hits > limit then
  if block > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', block)
    return {hits, left, 1, block}
  end
  return {hits, left, 1, left}
end
return {hits, left, 0, 0}`);
