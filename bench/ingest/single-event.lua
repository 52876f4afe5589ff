-- wrk script: POST one event per request, each with its own image_id, so the dedup passes all.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "post-events.lua")
local counter = 0

function init(args)
  post_as("application/json")
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"image_id":%d,"client_id":7,"timestamp":%d,"red":0.5}',
    base + counter, os.time() * 1000)
  return wrk.format(nil, nil, nil, body)
end
