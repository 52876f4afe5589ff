-- wrk script: POST batches of BATCH events (NDJSON, default 1 000) per request, every event with its
-- own image_id, so the dedup passes all. TOKEN comes from the environment.
-- Ids: the second the run started, then the thread, then a counter; distinct across the runs of one
-- bench (a repeat with a new timestamp would be a dedup conflict), below 2^53 so Lua holds them.
local counter = 0
local size = tonumber(os.getenv("BATCH") or "1000")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("base", (os.time() % 800000) * 10000000000 + threads * 1000000000)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-ndjson"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function request()
  local lines = {}
  local now = os.time() * 1000
  for i = 1, size do
    counter = counter + 1
    lines[i] = string.format('{"image_id":%d,"client_id":%d,"timestamp":%d,"red":0.%05d}',
      base + counter, 1 + counter % 50, now, counter % 100000)
  end
  return wrk.format(nil, nil, nil, table.concat(lines, "\n") .. "\n")
end
