-- wrk script: POST a fixed body from the file SOCM_BODY_FILE with an API key.
local key = os.getenv("SOCM_KEY")
local path = os.getenv("SOCM_PATH")
local f = assert(io.open(os.getenv("SOCM_BODY_FILE"), "r"))
local body = f:read("*a")
f:close()

request = function()
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
