-- wrk script: GET one path with an API key. Needs SOCM_KEY and SOCM_PATH.
local key = os.getenv("SOCM_KEY")
local path = os.getenv("SOCM_PATH")

request = function()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
