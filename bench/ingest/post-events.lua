-- Shared by the wrk scripts of this bench (loaded with dofile from the script's own directory):
-- POST with the bench's token (TOKEN from the environment), and an image_id base per thread.
-- Ids: the second the run started, then the thread, then the script's counter; distinct across the
-- runs of one bench (a repeat with a new timestamp would be a dedup conflict), below 2^53 so Lua
-- numbers hold them exactly.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("base", (os.time() % 800000) * 10000000000 + threads * 1000000000)
end

-- post_as(CONTENT_TYPE): every request of this thread is a POST of that type with the token.
function post_as(content_type)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = content_type
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end
