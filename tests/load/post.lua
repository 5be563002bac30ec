-- wrk script: POST a fixed body from the file SOCM_BODY_FILE with an API key.
local key = os.getenv("SOCM_KEY")
local path = os.getenv("SOCM_PATH")
local f = assert(io.open(os.getenv("SOCM_BODY_FILE"), "r"))
local body = f:read("*a")
f:close()

request = function()
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, summary.requests,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
