-- wrk script: POST batches of BATCH events (NDJSON, default 1 000) per request. The bodies are
-- built once per thread (BODIES of them, default 16, every event with its own image_id) and posted
-- in turn: building 1 000 lines per request cost the client about 0.55 µs of CPU per event, a
-- quarter of what the node spends, on the cores the node and the broker share. The ids repeat
-- after BODIES requests, so this script is for nodes with the dedup off (bench/ingest parts 1-2,
-- ab.sh); nothing behind the raw topic sees the repeats there.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "post-events.lua")
local size = tonumber(os.getenv("BATCH") or "1000")
local count = tonumber(os.getenv("BODIES") or "16")
local requests = {}
local next_request = 0

function init(args)
  post_as("application/x-ndjson")
  local now = os.time() * 1000
  local counter = 0
  for b = 1, count do
    local lines = {}
    for i = 1, size do
      counter = counter + 1
      lines[i] = string.format('{"image_id":%d,"client_id":%d,"timestamp":%d,"red":0.%05d}',
        base + counter, 1 + counter % 50, now, counter % 100000)
    end
    requests[b] = wrk.format(nil, nil, nil, table.concat(lines, "\n") .. "\n")
  end
end

function request()
  next_request = next_request % count + 1
  return requests[next_request]
end
