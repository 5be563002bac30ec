-- wrk script: PUT one answer at a time, cycling through roles and levels, so
-- every request is a real write (a new revision, an audit entry, a commit).
-- Needs the environment: SOCM_KEY, SOCM_PATH (…/assessments/{id}/answers); SOCM_PATHS, when
-- set, lists several such paths (space-separated) and the requests go to each in turn.
local key = os.getenv("SOCM_KEY")
local paths = {}
for p in string.gmatch(os.getenv("SOCM_PATHS") or os.getenv("SOCM_PATH"), "%S+") do
  paths[#paths + 1] = p
end
local roles = {"A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "B-1", "B-2", "B-3", "B-4", "B-5",
               "C-1", "C-2", "C-3", "C-4", "C-5", "D-1", "D-2", "D-3", "D-4"}
local counter = 0

request = function()
  counter = counter + 1
  local role = roles[(counter % #roles) + 1]
  local path = paths[(counter % #paths) + 1]
  local body = string.format('{"inSource":%d,"note":"load %d"}', counter % 6, counter)
  return wrk.format("PUT", path .. "/" .. role,
                    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
