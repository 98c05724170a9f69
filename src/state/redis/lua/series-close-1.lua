-- series-close-1.lua: closes buckets of a rate_change / baseline correlation for every known group, decides which
-- fire (with suppression) and updates the learned baseline. Run once per cluster (scheduled evaluation).
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}
-- ARGV[1]  mode: rate | baseline     ARGV[2] bucket span ms     ARGV[3] previous buckets (rate)
-- ARGV[4]  condition on the change in percent, "gte=10" (rate)   ARGV[5] min count   ARGV[6] sigma (baseline)
-- ARGV[7]  learning ms (baseline)    ARGV[8] suppression ms      ARGV[9] TTL ms of learned stats (wall clock)
-- ARGV[10] group retention ms: a group without events for this long is forgotten
-- ARGV[11] number of buckets, then 2 per bucket (ascending): start, hour-of-week slot
-- Returns  { hit, ... } with hit = { group, start, end, count, mean, stddev, score, suppressed, {event ids} }
-- Keys     as series-add-1.lua, plus base:st:<group> hash slot -> "n|sum|sumsq" (baseline)
--!include _common.lua

local base = KEYS[1]
local mode = ARGV[1]
local span = tonumber(ARGV[2])
local previous = tonumber(ARGV[3])
local cond = parse_cond(ARGV[4])
local min_count = tonumber(ARGV[5])
local sigma = tonumber(ARGV[6])
local learning = tonumber(ARGV[7])
local suppress_ms = tonumber(ARGV[8])
local stats_ttl = tonumber(ARGV[9])
local retention = tonumber(ARGV[10])
local nb = tonumber(ARGV[11])
local first = tonumber(redis.call('HGET', base .. ':meta', 'first') or '')
local out = {}
local i = 12
for _ = 1, nb do
  local b, slot = tonumber(ARGV[i]), ARGV[i + 1]
  i = i + 2
  local groups = redis.call('HGETALL', base .. ':g')
  for gi = 1, #groups, 2 do
    local group, seen = groups[gi], tonumber(groups[gi + 1])
    local ck = base .. ':c:' .. group
    local bk = base .. ':b:' .. fmt(b) .. ':' .. group
    local c = tonumber(redis.call('HGET', ck, fmt(b)) or '0')
    local fire, mean, sd, score = false, 0, 0, 0
    if mode == 'rate' then
      local s = 0
      for k = 1, previous do s = s + tonumber(redis.call('HGET', ck, fmt(b - k * span)) or '0') end
      mean = s / previous
      if mean == 0 then
        if c > 0 then score = math.huge else score = 0 end
      else
        score = (c - mean) / mean * 100
      end
      local learned = first and first <= b - previous * span
      fire = learned and c >= min_count and cond ~= nil and cond_holds(cond, score)
      redis.call('HDEL', ck, fmt(b - previous * span))
    else
      local sk = base .. ':st:' .. group
      local st = redis.call('HGET', sk, slot)
      local sn, ssum, ssq = 0, 0, 0
      if st then
        local p = split(st, '|')
        sn, ssum, ssq = tonumber(p[1]), tonumber(p[2]), tonumber(p[3])
      end
      if sn > 0 then
        mean = ssum / sn
        local var = ssq / sn - mean * mean
        if var < 0 then var = 0 end
        sd = math.sqrt(var)
      end
      score = mean + sigma * sd
      local learned = first and first <= b - learning and sn > 0
      fire = learned and c >= min_count and c > score
      redis.call('HSET', sk, slot, fmt(sn + 1) .. '|' .. fmt(ssum + c) .. '|' .. fmt(ssq + c * c))
      redis.call('PEXPIRE', sk, stats_ttl)
      redis.call('HDEL', ck, fmt(b))
    end
    if fire then
      local sup = suppressed(base, group, b + span, suppress_ms)
      table.insert(out, { group, fmt(b), fmt(b + span), fmt(c), fmt(mean), fmt(sd), fmt(score), fmt(sup),
        redis.call('LRANGE', bk .. ':e', 0, 49) })
    end
    redis.call('DEL', bk .. ':i', bk .. ':e')
    if seen < b - retention then
      redis.call('HDEL', base .. ':g', group)
      redis.call('DEL', ck, base .. ':st:' .. group)
    end
  end
  redis.call('HSET', base .. ':meta', 'lastClosed', fmt(b))
end
return out
