-- wrk script: POSTs the signed GitHub "issues" payload with a unique X-GitHub-Delivery per request and counts
-- the answers per HTTP status (printed as "STATUS <code> <count>" lines after the run).
-- Env: BENCH_BODY (payload file), BENCH_SIG (file holding "sha256=..."), BENCH_TAG (delivery id prefix).

local all_threads = {}

function setup(thread)
  thread:set("tid", #all_threads)
  table.insert(all_threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
  body = f:read("*a")
  f:close()
  local s = assert(io.open(os.getenv("BENCH_SIG"), "rb"))
  signature = s:read("*l")
  s:close()
  tag = os.getenv("BENCH_TAG") or "wrk"
  seq = 0
  statuses = {}
end

function request()
  seq = seq + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "issues",
    ["X-GitHub-Delivery"] = tag .. "-" .. tid .. "-" .. seq,
    ["X-Hub-Signature-256"] = signature,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(all_threads) do
    for code, n in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
  end
  for code, n in pairs(total) do
    io.write(string.format("STATUS %d %d\n", code, n))
  end
end
