-- wrk script: POST batches of BATCH events (NDJSON, default 1 000) per request, every event with its
-- own image_id, so the dedup passes all.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "post-events.lua")
local counter = 0
local size = tonumber(os.getenv("BATCH") or "1000")

function init(args)
  post_as("application/x-ndjson")
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
