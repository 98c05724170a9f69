-- series-add-1.lua: counts events per group in fixed buckets for rate_change / baseline. Idempotent by event id.
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}
-- ARGV[1]  bucket span ms       ARGV[2] TTL ms of a bucket's id set / evidence (wall clock)
-- ARGV[3]  TTL ms of a group's counts (wall clock)
-- ARGV[4]  number of (bucket, group) runs, then per run (the caller groups the adds, first-touch order):
--          bucket start (as fmt() writes it), group, number of adds k, then 2 per add (in add order): event id, time
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
local meta_changed = false
local j = 5
for _ = 1, n do
  local bf, group, k = ARGV[j], ARGV[j + 1], tonumber(ARGV[j + 2])
  j = j + 3
  local b = tonumber(bf)
  if b ~= math.floor(b) then bf = fmt(b) end
  if not (last_closed and b <= last_closed) then
    local bk = base .. ':b:' .. bf .. ':' .. group
    local new_ids = {}
    local run_max
    for a = 0, k - 1 do
      local id = ARGV[j + 2 * a]
      if redis.call('SADD', bk .. ':i', id) == 1 then
        new_ids[#new_ids + 1] = id
        local t = tonumber(ARGV[j + 2 * a + 1])
        if not run_max or t > run_max then run_max = t end
      end
    end
    local got = #new_ids
    if got > 0 then
      accepted = accepted + got
      redis.call('PEXPIRE', bk .. ':i', ttl)
      local room = 50 - redis.call('LLEN', bk .. ':e')
      if room > 0 then redis.call('RPUSH', bk .. ':e', unpack(new_ids, 1, math.min(room, got))) end
      redis.call('PEXPIRE', bk .. ':e', ttl)
      local ck = base .. ':c:' .. group
      redis.call('HINCRBY', ck, bf, got)
      redis.call('PEXPIRE', ck, counts_ttl)
      local seen = tonumber(redis.call('HGET', base .. ':g', group) or '')
      if not seen or b > seen then redis.call('HSET', base .. ':g', group, bf) end
      if not first or b < first then first = b; meta_changed = true end
      if not max_time or run_max > max_time then max_time = run_max; meta_changed = true end
    end
  end
  j = j + 2 * k
end
if meta_changed then redis.call('HSET', base .. ':meta', 'first', fmt(first), 'maxTime', fmt(max_time)) end
return accepted
