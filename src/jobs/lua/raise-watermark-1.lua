--[[
  Raises the cluster-wide event-time watermark: the greatest event time any worker has processed.
  KEYS[1]  watermark key (string, epoch ms)
  ARGV[1]  this worker's greatest event time (epoch ms)
  ARGV[2]  TTL of the key in seconds (it expires when no worker reports any more)
  Returns  the watermark after the call (epoch ms, as a string)
]]
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local candidate = tonumber(ARGV[1])
if candidate > current then
  current = candidate
end
redis.call('SET', KEYS[1], tostring(current), 'EX', tonumber(ARGV[2]))
return tostring(current)
