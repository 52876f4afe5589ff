-- wrk script: POST one event per request, each with its own image_id, so the dedup passes all.
-- TOKEN comes from the environment. Ids stay below 2^53 so Lua numbers hold them exactly.
local counter = 0
local threads = 0

-- Ids: the second the run started, then the thread, then a counter; distinct across the runs of one
-- bench (a repeat with a new timestamp would be a dedup conflict).
function setup(thread)
  threads = threads + 1
  thread:set("base", (os.time() % 800000) * 10000000000 + threads * 1000000000)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"image_id":%d,"client_id":7,"timestamp":%d,"red":0.5}',
    base + counter, os.time() * 1000)
  return wrk.format(nil, nil, nil, body)
end
