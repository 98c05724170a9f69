--[[
  Claims Event Hubs partition ownerships with optimistic concurrency (etag), atomically.
  Used by RedisCheckpointStore.claimOwnership (src/bridge/redis-checkpoint-store.ts).

  KEYS[1]  ownership hash of one (namespace, event hub, consumer group):
           field = partition id, value = "<etag>\n<lastModifiedTimeInMs>\n<ownerId>"
  ARGV[1]  time of the claim in ms since the epoch, or "" to use the Redis server clock (TIME)
  ARGV[2+] groups of 4, one per requested claim:
             partition id, owner id ("" abandons the partition), expected etag ("" = the partition must
             have no ownership record yet), new etag
  Returns  a flat array, 3 entries per claim that succeeded (in request order):
             partition id, new etag, lastModifiedTimeInMs (as a string)
           A claim whose expected etag does not match the stored one (or that expects no record while one
           exists) is left out: another processor won the partition, as the Event Hubs SDK expects.
]]
local now = ARGV[1]
if now == '' then
  local t = redis.call('TIME')
  now = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
end

local claimed = {}
for i = 2, #ARGV, 4 do
  local partitionId = ARGV[i]
  local ownerId = ARGV[i + 1]
  local expectedEtag = ARGV[i + 2]
  local newEtag = ARGV[i + 3]
  local current = redis.call('HGET', KEYS[1], partitionId)
  local ok
  if current then
    local currentEtag = string.match(current, '^([^\n]*)\n')
    ok = expectedEtag ~= '' and currentEtag == expectedEtag
  else
    ok = expectedEtag == ''
  end
  if ok then
    redis.call('HSET', KEYS[1], partitionId, newEtag .. '\n' .. now .. '\n' .. ownerId)
    claimed[#claimed + 1] = partitionId
    claimed[#claimed + 1] = newEtag
    claimed[#claimed + 1] = now
  end
end
return claimed
