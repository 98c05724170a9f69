-- suppress-1.lua: suppression of a single-event rule per group key: is another fire within the period?
--
-- KEYS[1]  base key of the rule: <prefix>{<rule id>}
-- ARGV[1]  group key      ARGV[2] event time of the detection      ARGV[3] suppression period ms
-- Returns  1 suppressed, 0 not (and the mark now holds this time)
--!include _common.lua

return suppressed(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
