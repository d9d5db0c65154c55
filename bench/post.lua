-- wrk script: POSTs the GraphQL request bodies in a file (one JSON document a line) in turn,
-- counts responses that are not 200 or that carry "errors", and prints one JSON summary line.
-- A line may start with a bearer token and a tab: that request is sent signed in with it.
--
--   wrk -t1 -c16 -d10s -s bench/post.lua http://127.0.0.1:8901/graphql -- bodies.jsonl

local bodies = {}
local tokens = {}
local sent = 0
bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      local token, body = string.match(line, "^([^\t{]+)\t(.*)$")
      table.insert(tokens, token or false)
      table.insert(bodies, body or line)
    end
  end
  if #bodies == 0 then
    error("no request bodies in " .. args[1])
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  sent = sent + 1
  local i = (sent % #bodies) + 1
  if tokens[i] then
    local headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["Authorization"] = "Bearer " .. tokens[i]
    return wrk.format(nil, nil, headers, bodies[i])
  end
  return wrk.format(nil, nil, nil, bodies[i])
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "bad_responses": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, failed,
    e.connect, e.read, e.write, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99)))
end
