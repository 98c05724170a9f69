-- Shared helpers, inlined by the loader (src/state/redis/scripts.ts) where a script says `--!include _common.lua`.
-- Not a script of its own.

-- numbers as exact text: integers without exponent, floats with 17 significant digits, inf as "inf"
local function fmt(x)
  if x == math.huge then return 'inf' end
  if x == -math.huge then return '-inf' end
  if x == math.floor(x) and math.abs(x) < 9007199254740992 then return string.format('%d', x) end
  return string.format('%.17g', x)
end

-- condition text "gte=10;lt=20" -> table; "" -> nil
local function parse_cond(text)
  if text == nil or text == '' then return nil end
  local c = {}
  for k, v in string.gmatch(text, '(%a+)=([^;]+)') do c[k] = tonumber(v) end
  return c
end

local function cond_holds(c, v)
  if c.gt and not (v > c.gt) then return false end
  if c.gte and not (v >= c.gte) then return false end
  if c.lt and not (v < c.lt) then return false end
  if c.lte and not (v <= c.lte) then return false end
  if c.eq and v ~= c.eq then return false end
  if c.neq and v == c.neq then return false end
  return true
end

-- suppression per group: at most one fire per group per bucket of `ms` event time (aligned to the epoch), so the
-- outcome does not depend on the order events arrive in. Returns 1 when this fire is suppressed.
local function suppressed(base, group, t, ms)
  if ms <= 0 then return 0 end
  local bucket = math.floor(t / ms) * ms
  local ok = redis.call('SET', base .. ':s:' .. fmt(bucket) .. ':' .. group, '1', 'NX', 'PX', math.floor(ms * 2))
  if ok then return 0 end
  return 1
end

local function split(text, sep)
  local out = {}
  local from = 1
  while true do
    local i = string.find(text, sep, from, true)
    if not i then table.insert(out, string.sub(text, from)); return out end
    table.insert(out, string.sub(text, from, i - 1))
    from = i + #sep
  end
end
