-- wrk script: PUT one answer at a time, cycling through roles and levels, so
-- every request is a real write (a new revision, an audit entry, a commit).
-- Needs the environment: SOCM_KEY, SOCM_PATH (…/assessments/{id}/answers).
local key = os.getenv("SOCM_KEY")
local path = os.getenv("SOCM_PATH")
local roles = {"A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "B-1", "B-2", "B-3", "B-4", "B-5",
               "C-1", "C-2", "C-3", "C-4", "C-5", "D-1", "D-2", "D-3", "D-4"}
local counter = 0

request = function()
  counter = counter + 1
  local role = roles[(counter % #roles) + 1]
  local body = string.format('{"inSource":%d,"note":"load %d"}', counter % 6, counter)
  return wrk.format("PUT", path .. "/" .. role,
                    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

local non2xx = 0
response = function(status)
  if status >= 300 then non2xx = non2xx + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, summary.requests,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
