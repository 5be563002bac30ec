-- wrk script: POST the workbook SOCM_BODY_FILE to SOCM_PATH (an answers:import?dryRun=true).
local key = os.getenv("SOCM_KEY")
local path = os.getenv("SOCM_PATH")
local f = assert(io.open(os.getenv("SOCM_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

request = function()
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. key, ["Content-Type"] = xlsx}, body)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
