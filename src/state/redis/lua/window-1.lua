-- window-1.lua: adds events to the hopping windows of one window correlation (Sigma event_count, value_count,
-- temporal, temporal_ordered, value_sum, value_avg, value_percentile), fires windows whose condition holds
-- (eager) and closes windows whose end passed the watermark (close-time conditions). Idempotent by event id.
--
-- KEYS[1]  base key of the correlation: <prefix>{<correlation id>}   (every key used starts with it: one slot)
-- ARGV[1]  metric: count | distinct | sum | avg | percentile | rules | sequence
-- ARGV[2]  timespan ms          ARGV[3] hop ms           ARGV[4] key TTL ms (wall clock)
-- ARGV[5]  eager: 1 fire as soon as the condition holds, 0 fire on close
-- ARGV[6]  condition "gte=10;lt=20" ("" = all ruleCount rules seen / in order)
-- ARGV[7]  ruleCount            ARGV[8] percentile (1-100)   ARGV[9] suppression bucket ms (0 = none)
-- ARGV[10] closeUntil: close windows with end <= this event time ("" = close nothing); adds to them are late
-- ARGV[11] number of adds, then per add: group, event id, time (as fmt() writes it), entry "time|rule|num", and for
--          distinct the value, for rules / sequence the rule index (4 or 5 strings an add)
-- Lua in Redis pays ~0.1 us per VM instruction and ~1 us per number-to-string, and every argument costs: the caller
-- sends only what is needed, preformatted; the script groups the adds by window and touches each window once.
-- Replay   a batch that adds again (duplicate) the event `ft` of an emitted window is a redelivery of the batch that
--          fired it (the source commits only after the detection was delivered): the hit is returned again, not
--          suppressed, so a worker that died between firing and delivering loses no detection (same detection id).
-- Returns  { late count, hit, hit, ... } with hit = { group, start, end, count, metric, lastTime, suppressed,
--           {event ids (<= 50)}, {distinct values (<= 50)} } (numbers as strings)
-- Keys     W = base:w:<start>:<group>, one hash per window: n (events), nd (distinct values), last (latest event
--          time), fired ("1" emitted, "s" suppressed), ft (id of the last event added by the batch that fired it),
--          c (closed), i:<event id> -> "time|rule|num", d:<value> -> 1, e1..e50 -> first event ids;
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
local uses_set = metric == 'distinct' or metric == 'rules' or metric == 'sequence'
local stride = 4
if uses_set then stride = 5 end

local function wkey(start, group) return base .. ':w:' .. fmt(start) .. ':' .. group end

local function entries(w)
  local all = redis.call('HGETALL', w)
  local out = {}
  for k = 1, #all, 2 do
    if string.sub(all[k], 1, 2) == 'i:' then table.insert(out, split(all[k + 1], '|')) end
  end
  return out
end

local function measure(w, st)
  if metric == 'count' then return st.n end
  if metric == 'distinct' or metric == 'rules' then return st.nd end
  -- an ordered sequence needs every rule at least once: skip the full scan until then
  if metric == 'sequence' and cond == nil and st.nd < rule_count then return 0 end
  local list = entries(w)
  if metric == 'sequence' then
    local items = {}
    for _, p in ipairs(list) do table.insert(items, { tonumber(p[1]), tonumber(p[2]) }) end
    table.sort(items, function(a, b) if a[1] == b[1] then return a[2] < b[2] end return a[1] < b[1] end)
    local need = 0
    for _, it in ipairs(items) do if it[2] == need then need = need + 1 end end
    return need
  end
  local nums = {}
  for _, p in ipairs(list) do
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

local function hit(w, st, group, start, v, forced_sup)
  local sup = forced_sup
  if sup == nil then sup = suppressed(base, group, start + span, suppress_ms) end
  local fields = {}
  for k = 1, math.min(st.n, 50) do fields[k] = 'e' .. k end
  local ids = {}
  if #fields > 0 then
    for _, id in ipairs(redis.call('HMGET', w, unpack(fields))) do if id then table.insert(ids, id) end end
  end
  local distinct = {}
  if metric == 'distinct' then
    local all = redis.call('HGETALL', w)
    for k = 1, #all, 2 do
      if #distinct < 50 and string.sub(all[k], 1, 2) == 'd:' then table.insert(distinct, string.sub(all[k], 3)) end
    end
  end
  return { group, fmt(start), fmt(start + span), fmt(st.n), fmt(v), fmt(st.last), fmt(sup), ids, distinct }
end

local out = { 0 }
local late = 0
local state = {}
local touched = {}
local E = {}
for k = 1, 50 do E[k] = 'e' .. k end
local windows_per_event = math.floor(span / hop)
local start_text = {}

-- pass 1: group the adds (their ARGV positions) by window, first-touch order
local i = 12
for _ = 1, tonumber(ARGV[11]) do
  local group, t = ARGV[i], tonumber(ARGV[i + 2])
  local first_start = math.floor(t / hop) * hop
  for k = 0, windows_per_event - 1 do
    local start = first_start - k * hop
    if close_until and start + span <= close_until then
      late = late + 1
    else
      local sf = start_text[start]
      if not sf then sf = fmt(start); start_text[start] = sf end
      local w = base .. ':w:' .. sf .. ':' .. group
      local st = state[w]
      if not st then
        st = { group = group, start = start, changed = false, adds = {} }
        state[w] = st
        touched[#touched + 1] = w
      end
      st.adds[#st.adds + 1] = i
    end
  end
  i = i + stride
end

-- HMGET / HSET in slices: unpack() has a stack limit
local SLICE = 2000
local function hmget(w, fields)
  if #fields <= SLICE then return redis.call('HMGET', w, unpack(fields)) end
  local got = {}
  for a = 1, #fields, SLICE do
    local part = redis.call('HMGET', w, unpack(fields, a, math.min(a + SLICE - 1, #fields)))
    for b = 1, #part do got[a + b - 1] = part[b] end
  end
  return got
end
local function hset(w, list)
  if #list <= SLICE then redis.call('HSET', w, unpack(list)); return end
  for a = 1, #list, SLICE do redis.call('HSET', w, unpack(list, a, math.min(a + SLICE - 1, #list))) end
end

-- pass 2, per window: one HMGET (state, the ids and values of its adds) and one HSET of everything new
for _, w in ipairs(touched) do
  local st = state[w]
  local adds = st.adds
  local na = #adds
  local fields = { 'n', 'nd', 'last', 'fired', 'c', 'ft' }
  for a = 1, na do fields[6 + a] = 'i:' .. ARGV[adds[a] + 1] end
  if uses_set then for a = 1, na do fields[6 + na + a] = 'd:' .. ARGV[adds[a] + 4] end end
  local m = hmget(w, fields)
  st.n = tonumber(m[1] or '0')
  st.nd = tonumber(m[2] or '0')
  st.last = tonumber(m[3] or '-1')
  st.fired = m[4] ~= false
  st.emitted = m[4] == '1'
  st.closed = m[5] ~= false
  local trigger = m[6]
  if st.closed then
    late = late + na
  else
    local seen_id, seen_v = {}, {}
    local writes = {}
    local nw = 0
    for a = 1, na do
      local x = adds[a]
      local ifield = fields[6 + a]
      if m[6 + a] and trigger and st.emitted and ARGV[x + 1] == trigger then st.replay = true end
      if not m[6 + a] and not seen_id[ifield] then
        seen_id[ifield] = true
        st.last_id = ARGV[x + 1]
        local n = st.n + 1
        st.n = n
        st.changed = true
        writes[nw + 1] = ifield
        writes[nw + 2] = ARGV[x + 3]
        nw = nw + 2
        if n <= 50 then
          writes[nw + 1] = E[n]
          writes[nw + 2] = ARGV[x + 1]
          nw = nw + 2
        end
        if uses_set then
          local dfield = fields[6 + na + a]
          if not m[6 + na + a] and not seen_v[dfield] then
            seen_v[dfield] = true
            st.nd = st.nd + 1
            writes[nw + 1] = dfield
            writes[nw + 2] = '1'
            nw = nw + 2
          end
        end
        local t = tonumber(ARGV[x + 2])
        if t > st.last then st.last = t end
      end
    end
    if st.changed then
      writes[nw + 1] = 'n'
      writes[nw + 2] = st.n
      writes[nw + 3] = 'nd'
      writes[nw + 4] = st.nd
      writes[nw + 5] = 'last'
      writes[nw + 6] = fmt(st.last)
      hset(w, writes)
    end
  end
end

for _, w in ipairs(touched) do
  local st = state[w]
  if st.changed then
    redis.call('PEXPIRE', w, ttl)
    if eager then
      if not st.fired then
        local v = measure(w, st)
        if holds(v) then
          local h = hit(w, st, st.group, st.start, v)
          local outcome = '1'
          if h[7] == '1' then outcome = 's' end
          redis.call('HSET', w, 'fired', outcome, 'ft', st.last_id)
          table.insert(out, h)
        end
      end
    else
      redis.call('ZADD', base .. ':open', 'NX', fmt(st.start + span), st.group .. '\30' .. fmt(st.start))
    end
  end
  if eager and st.fired and st.replay then
    table.insert(out, hit(w, st, st.group, st.start, measure(w, st), 0))
  end
end

if close_until then
  local members = redis.call('ZRANGEBYSCORE', base .. ':open', '-inf', fmt(close_until))
  for _, member in ipairs(members) do
    local sep = string.find(member, '\30', 1, true)
    local group = string.sub(member, 1, sep - 1)
    local start = tonumber(string.sub(member, sep + 1))
    local w = wkey(start, group)
    local m = redis.call('HMGET', w, 'n', 'nd', 'last')
    local st = { n = tonumber(m[1] or '0'), nd = tonumber(m[2] or '0'), last = tonumber(m[3] or '-1') }
    if st.n > 0 then
      local v = measure(w, st)
      if holds(v) then table.insert(out, hit(w, st, group, start, v)) end
    end
    redis.call('DEL', w)
    redis.call('HSET', w, 'c', '1')
    redis.call('PEXPIRE', w, ttl)
    redis.call('ZREM', base .. ':open', member)
  end
end

out[1] = late
return out
