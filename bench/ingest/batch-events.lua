-- wrk script: POST batches of BATCH events (NDJSON, default 1 000) per request, every event with its
-- own image_id, so the dedup passes all. TOKEN comes from the environment.
local counter = 0
local size = tonumber(os.getenv("BATCH") or "1000")

function setup(thread)
  thread:set("base", math.random(1, 8000) * 1000000000000)
end

function init(args)
  math.randomseed(os.time())
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
