-- series-add-1.lua: counts events per group in fixed buckets for rate_change / baseline. Idempotent by event id.
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}
-- ARGV[1]  bucket span ms       ARGV[2] TTL ms of a bucket's id set / evidence (wall clock)
-- ARGV[3]  TTL ms of a group's counts (wall clock)
-- ARGV[4]  number of adds, then 3 per add: group, event id, time
-- Returns  number of adds accepted (new and not late)
-- Keys     base:meta hash {first, lastClosed, maxTime}; base:g hash group -> last bucket with events;
--          base:c:<group> hash bucket start -> count; base:b:<start>:<group>:i set of event ids;
--          base:b:<start>:<group>:e list of the first 50 event ids
--!include _common.lua

local base = KEYS[1]
local span = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local counts_ttl = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local meta = redis.call('HMGET', base .. ':meta', 'first', 'lastClosed', 'maxTime')
local first = tonumber(meta[1] or '')
local last_closed = tonumber(meta[2] or '')
local max_time = tonumber(meta[3] or '')
local accepted = 0
local i = 5
for _ = 1, n do
  local group, id, t = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  i = i + 3
  local b = math.floor(t / span) * span
  if not (last_closed and b <= last_closed) then
    local bk = base .. ':b:' .. fmt(b) .. ':' .. group
    if redis.call('SADD', bk .. ':i', id) == 1 then
      accepted = accepted + 1
      redis.call('PEXPIRE', bk .. ':i', ttl)
      if redis.call('LLEN', bk .. ':e') < 50 then redis.call('RPUSH', bk .. ':e', id) end
      redis.call('PEXPIRE', bk .. ':e', ttl)
      redis.call('HINCRBY', base .. ':c:' .. group, fmt(b), 1)
      redis.call('PEXPIRE', base .. ':c:' .. group, counts_ttl)
      local seen = tonumber(redis.call('HGET', base .. ':g', group) or '')
      if not seen or b > seen then redis.call('HSET', base .. ':g', group, fmt(b)) end
      if not first or b < first then first = b; redis.call('HSET', base .. ':meta', 'first', fmt(b)) end
      if not max_time or t > max_time then max_time = t; redis.call('HSET', base .. ':meta', 'maxTime', fmt(t)) end
    end
  end
end
return accepted
