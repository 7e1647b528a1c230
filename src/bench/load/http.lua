-- wrk script shared by every HTTP workload. PATH_TEMPLATE may contain {id}, replaced by a random
-- id in 1..ID_MAX per request; AUTHORIZATION, when set, is sent as the Authorization header. At the
-- end it prints one JSON line with the figures we keep.
local template = os.getenv("PATH_TEMPLATE") or "/"
local id_max = tonumber(os.getenv("ID_MAX") or "1")
local authorization = os.getenv("AUTHORIZATION")
local headers = {}
if authorization and authorization ~= "" then
  headers["Authorization"] = authorization
end
local counter = 0

function init(args)
  math.randomseed(os.time() + counter)
end

request = function()
  local path = template:gsub("{id}", tostring(math.random(1, id_max)))
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"non2xx":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
