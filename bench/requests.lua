-- wrk script: sends pre-built requests read from a file, counts every answer's status.
-- File (written by bench/wrk.py): per request a line "<head bytes> <tail bytes>\n", then the head,
-- then the tail. A request with a tail gets a 10-digit per-thread-unique number between the two
-- (a fixed-width slot in the body, e.g. the certificate number), so a cycle never repeats a body.
-- Usage: wrk -s bench/requests.lua URL -- FILE

local requests, count, sent = {}, 0, 0
thread_no = 0
statuses = {}

local threads = {}
local next_thread = 0
function setup(thread)
  thread:set("thread_no", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  while true do
    local line = f:read("*l")
    if not line then break end
    local a, b = line:match("^(%d+) (%d+)$")
    local head = f:read(tonumber(a))
    local tail = tonumber(b) > 0 and f:read(tonumber(b)) or ""
    count = count + 1
    requests[count] = {head, tail}
  end
  f:close()
end

function request()
  local r = requests[sent % count + 1]
  sent = sent + 1
  if r[2] == "" then return r[1] end
  return r[1] .. string.format("%02d%08d", thread_no % 100, sent % 100000000) .. r[2]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_)
  local codes = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do codes[code] = (codes[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%d": %d', code, n)) end
  local e = summary.errors
  io.write(string.format('BENCH-WRK {"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
