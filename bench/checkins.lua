-- wrk script of bench/bench_checkins.py: every request is a new check-in (or a bare insert) with a
-- unique idempotency key, spread over a pool of inspectors, companions and enterprises.
-- Arguments (after --): <mode: checkin|bare> <pool file> <run label>
-- Pool file: one line per inspector: <API token>\t<companion certificate no.>\t<enterprise code>
-- Environment: QJ_WRK_RATE = requests per second per wrk thread (unset: each connection sends its next
-- request as soon as the previous answer arrives — a closed loop). With a rate, every thread hands its
-- connections send times on a fixed schedule (an open loop while a connection is free); a request sent
-- more than 10 ms after its slot counts as "late" (the server did not keep up).

local threads = {}
local counter = 0
local rate = tonumber(os.getenv("QJ_WRK_RATE") or "")

if rate and rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } qj_timespec;
    int clock_gettime(int clk_id, qj_timespec *tp);
  ]]
  local ts = ffi.new("qj_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local period, next_slot = 1000 / rate, nil

  function delay()
    local now = now_ms()
    next_slot = next_slot or now
    local wait = next_slot - now
    next_slot = next_slot + period
    if wait < -10 then late = late + 1 end
    return wait > 0 and math.floor(wait) or 0
  end
end

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, label = args[1], args[3]
  pool = {}
  for line in io.lines(args[2]) do
    local token, companion, code = line:match("^(%S+)\t(%S+)\t(%S+)$")
    if token then table.insert(pool, {token = token, companion = companion, code = code}) end
  end
  bad, created, first_bad, late = 0, 0, "", 0
end

function request()
  counter = counter + 1
  local key = string.format("%s-%d-%d", label, tid, counter)
  if mode == "bare" then
    return wrk.format("POST", "/bench/bare/", {["Content-Type"] = "application/json"}, '{"key":"' .. key .. '"}')
  end
  local p = pool[(tid * 7 + counter) % #pool + 1]
  local body = string.format('{"enterprise_code":"%s","companions":["%s"],"latitude":"38.2","longitude":"116.8"}',
    p.code, p.companion)
  return wrk.format("POST", "/api/v1/checkins/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. p.token,
    ["Idempotency-Key"] = key,
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300):gsub("\n", " ") end
  end
end

function done(summary, latency, requests)
  local nbad, ncreated, nlate, sample = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    nbad = nbad + t:get("bad")
    ncreated = ncreated + t:get("created")
    nlate = nlate + t:get("late")
    if sample == "" then sample = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d created=%d not_201=%d " ..
    "connect=%d read=%d write=%d timeout=%d status=%d late=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, ncreated, nbad, e.connect, e.read, e.write, e.timeout, e.status, nlate))
  if sample ~= "" then io.write("SAMPLE " .. sample .. "\n") end
end
