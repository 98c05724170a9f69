-- novelty-1.lua: first_seen. Records values per group (runs of observations with gaps <= lookback) and fires,
-- once the watermark has passed, for each value that starts a run, when the group was known for `learning`.
-- Order-independent within the allowed lateness: an earlier event arriving later moves the candidate back.
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}
-- ARGV[1]  lookback ms    ARGV[2] learning ms    ARGV[3] suppression ms    ARGV[4] TTL ms of a group (wall clock)
-- ARGV[5]  finalizeUntil: decide candidates with time <= this ("" = decide nothing)
-- ARGV[6]  number of adds, then 4 per add: group, value, event id, time
-- Returns  { hit, ... } with hit = { group, value, time, event id, group first seen, suppressed }
-- Keys     base:f:<group> hash 'g' -> first time of the group, 'v:<value>' -> "first|last|first event id";
--          base:pend zset of candidates, member "<group>\30<value>\30<time>\30<event id>", score time
--!include _common.lua

local base = KEYS[1]
local lookback = tonumber(ARGV[1])
local learning = tonumber(ARGV[2])
local suppress_ms = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local until_t = tonumber(ARGV[5])
local n = tonumber(ARGV[6])
local pend = base .. ':pend'

local function member(group, value, t, id) return group .. '\30' .. value .. '\30' .. fmt(t) .. '\30' .. id end

local i = 7
local touched = {}
for _ = 1, n do
  local group, value, id, t = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  i = i + 4
  local h = base .. ':f:' .. group
  local got = redis.call('HMGET', h, 'g', 'v:' .. value)
  local gf, rec = tonumber(got[1] or ''), got[2]
  if not gf or t < gf then redis.call('HSET', h, 'g', fmt(t)) end
  if not rec then
    redis.call('HSET', h, 'v:' .. value, fmt(t) .. '|' .. fmt(t) .. '|' .. id)
    redis.call('ZADD', pend, fmt(t), member(group, value, t, id))
  else
    local p = split(rec, '|')
    local first, last, fid = tonumber(p[1]), tonumber(p[2]), p[3]
    if t > last + lookback then
      redis.call('HSET', h, 'v:' .. value, fmt(t) .. '|' .. fmt(t) .. '|' .. id)
      redis.call('ZADD', pend, fmt(t), member(group, value, t, id))
    elseif t < first then
      if t >= first - lookback then
        redis.call('ZREM', pend, member(group, value, first, fid))
        redis.call('HSET', h, 'v:' .. value, fmt(t) .. '|' .. fmt(last) .. '|' .. id)
        redis.call('ZADD', pend, fmt(t), member(group, value, t, id))
      end
    elseif t > last + lookback / 1000 then
      -- `last` only decides when a run ends (a gap > lookback): a 1/1000 lookback of slack saves most writes
      redis.call('HSET', h, 'v:' .. value, fmt(first) .. '|' .. fmt(t) .. '|' .. fid)
    end
  end
  touched[h] = true
end
for h in pairs(touched) do redis.call('PEXPIRE', h, ttl) end

local out = {}
if until_t then
  local members = redis.call('ZRANGEBYSCORE', pend, '-inf', fmt(until_t))
  for _, m in ipairs(members) do
    local p = split(m, '\30')
    local group, value, t, id = p[1], p[2], tonumber(p[3]), p[4]
    local gf = tonumber(redis.call('HGET', base .. ':f:' .. group, 'g') or '')
    if gf and t - gf >= learning then
      local sup = suppressed(base, group, t, suppress_ms)
      table.insert(out, { group, value, fmt(t), id, fmt(gf), fmt(sup) })
    end
    redis.call('ZREM', pend, m)
  end
end
return out
