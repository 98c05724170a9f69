-- window-1.lua: adds events to the hopping windows of one window correlation (Sigma event_count, value_count,
-- temporal, temporal_ordered, value_sum, value_avg, value_percentile), fires windows whose condition holds
-- (eager) and closes windows whose end passed the watermark (close-time conditions). Idempotent by event id.
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}   (every key used starts with it: one slot)
-- ARGV[1]  metric: count | distinct | sum | avg | percentile | rules | sequence
-- ARGV[2]  timespan ms          ARGV[3] hop ms           ARGV[4] key TTL ms (wall clock)
-- ARGV[5]  eager: 1 fire as soon as the condition holds, 0 fire on close
-- ARGV[6]  condition "gte=10;lt=20" ("" = all ruleCount rules seen / in order)
-- ARGV[7]  ruleCount            ARGV[8] percentile (1-100)   ARGV[9] suppression ms (0 = none)
-- ARGV[10] closeUntil: close windows with end <= this event time ("" = close nothing); adds to them are late
-- ARGV[11] number of adds, then 6 per add: group, event id, time, value, num, rule index ("" when unused)
-- Returns  { late count, hit, hit, ... } with hit = { group, start, end, count, metric, lastTime, suppressed,
--           {event ids (<= 50)}, {distinct values (<= 50)} } (numbers as strings)
-- Keys     W = base:w:<start>:<group> hash event id -> "time|rule|num"; W:d set of values / rule indexes;
--          W:e list of the first 50 event ids; W:m hash {last, fired}; W:c closed marker;
--          base:open zset of close-time windows, member "<group>\30<start>", score end
--!include _common.lua

local base = KEYS[1]
local metric = ARGV[1]
local span = tonumber(ARGV[2])
local hop = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local eager = ARGV[5] == '1'
local cond = parse_cond(ARGV[6])
local rule_count = tonumber(ARGV[7])
local pct = tonumber(ARGV[8])
local suppress_ms = tonumber(ARGV[9])
local close_until = tonumber(ARGV[10])
local n = tonumber(ARGV[11])

local function wkey(start, group) return base .. ':w:' .. fmt(start) .. ':' .. group end

local function measure(w)
  if metric == 'count' then return redis.call('HLEN', w) end
  if metric == 'distinct' or metric == 'rules' then return redis.call('SCARD', w .. ':d') end
  local vals = redis.call('HVALS', w)
  if metric == 'sequence' then
    local items = {}
    for _, v in ipairs(vals) do
      local p = split(v, '|')
      table.insert(items, { tonumber(p[1]), tonumber(p[2]) })
    end
    table.sort(items, function(a, b) if a[1] == b[1] then return a[2] < b[2] end return a[1] < b[1] end)
    local need = 0
    for _, it in ipairs(items) do if it[2] == need then need = need + 1 end end
    return need
  end
  local nums = {}
  for _, v in ipairs(vals) do
    local p = split(v, '|')
    local x = tonumber(p[3])
    if x then table.insert(nums, x) end
  end
  if #nums == 0 then return 0 end
  if metric == 'sum' or metric == 'avg' then
    local s = 0
    for _, x in ipairs(nums) do s = s + x end
    if metric == 'avg' then return s / #nums end
    return s
  end
  table.sort(nums)
  local rank = math.ceil(pct / 100 * #nums)
  if rank < 1 then rank = 1 end
  return nums[rank]
end

local function holds(v)
  if cond == nil then return v >= rule_count end
  return cond_holds(cond, v)
end

local function hit(w, group, start, v)
  local m = redis.call('HMGET', w .. ':m', 'last')
  local sup = suppressed(base, group, start + span, suppress_ms)
  local distinct = {}
  if metric == 'distinct' then distinct = redis.call('SRANDMEMBER', w .. ':d', 50) end
  return { group, fmt(start), fmt(start + span), fmt(redis.call('HLEN', w)), fmt(v), m[1] or '0', fmt(sup),
    redis.call('LRANGE', w .. ':e', 0, 49), distinct }
end

local out = { 0 }
local late = 0
local touched = {}
local touched_list = {}
local windows_per_event = math.floor(span / hop)
local i = 12
for _ = 1, n do
  local group, id, t, value, num, rule = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  i = i + 6
  local first_start = math.floor(t / hop) * hop
  for k = 0, windows_per_event - 1 do
    local start = first_start - k * hop
    local w = wkey(start, group)
    if (close_until and start + span <= close_until) or redis.call('EXISTS', w .. ':c') == 1 then
      late = late + 1
    elseif redis.call('HSETNX', w, id, fmt(t) .. '|' .. rule .. '|' .. num) == 1 then
      if metric == 'distinct' then redis.call('SADD', w .. ':d', value)
      elseif metric == 'rules' then redis.call('SADD', w .. ':d', rule) end
      if redis.call('LLEN', w .. ':e') < 50 then redis.call('RPUSH', w .. ':e', id) end
      local last = tonumber(redis.call('HGET', w .. ':m', 'last') or '-1')
      if t > last then redis.call('HSET', w .. ':m', 'last', fmt(t)) end
      if not touched[w] then
        touched[w] = true
        table.insert(touched_list, { w, group, start })
      end
    end
  end
end

for _, tw in ipairs(touched_list) do
  local w, group, start = tw[1], tw[2], tw[3]
  for _, suffix in ipairs({ '', ':d', ':e', ':m' }) do redis.call('PEXPIRE', w .. suffix, ttl) end
  if eager then
    if redis.call('HGET', w .. ':m', 'fired') == false then
      local v = measure(w)
      if holds(v) then
        redis.call('HSET', w .. ':m', 'fired', '1')
        table.insert(out, hit(w, group, start, v))
      end
    end
  else
    redis.call('ZADD', base .. ':open', 'NX', fmt(start + span), group .. '\30' .. fmt(start))
  end
end

if close_until then
  local members = redis.call('ZRANGEBYSCORE', base .. ':open', '-inf', close_until)
  for _, member in ipairs(members) do
    local sep = string.find(member, '\30', 1, true)
    local group = string.sub(member, 1, sep - 1)
    local start = tonumber(string.sub(member, sep + 1))
    local w = wkey(start, group)
    local v = measure(w)
    if redis.call('HLEN', w) > 0 and holds(v) then table.insert(out, hit(w, group, start, v)) end
    redis.call('DEL', w, w .. ':d', w .. ':e', w .. ':m')
    redis.call('SET', w .. ':c', '1', 'PX', ttl)
    redis.call('ZREM', base .. ':open', member)
  end
end

out[1] = late
return out
