-- wrk scenario: every request picks a learner at random from the fixtures file.
-- Each fixture line: token<TAB>cookie<TAB>attempt_id
-- The scenario name comes from the first script argument.
local fixtures = {}
local scenario = "question"
local counter = 0

function init(args)
  scenario = args[1] or scenario
  for line in io.lines(args[2]) do
    local token, cookie, attempt = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    fixtures[#fixtures + 1] = { token = token, cookie = cookie, attempt = attempt }
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  counter = counter + 1
  local f = fixtures[math.random(#fixtures)]
  local position = math.random(1, 135)
  if scenario == "question" then
    return wrk.format("GET", "/quiz/" .. f.attempt .. "/q/" .. position, { ["Cookie"] = "session=" .. f.cookie })
  elseif scenario == "autosave" then
    local body = '{"choice": ' .. math.random(0, 3) .. ', "flagged": false}'
    return wrk.format("PUT", "/api/v1/attempts/" .. f.attempt .. "/items/" .. position,
      { ["Authorization"] = "Bearer " .. f.token, ["Content-Type"] = "application/json" }, body)
  elseif scenario == "dashboard" then
    return wrk.format("GET", "/dashboard", { ["Cookie"] = "session=" .. f.cookie })
  elseif scenario == "ce-status" then
    return wrk.format("GET", "/ce/", { ["Cookie"] = "session=" .. f.cookie })
  elseif scenario == "login-page" then
    return wrk.format("GET", "/login")
  elseif scenario == "me" then
    return wrk.format("GET", "/api/v1/me", { ["Authorization"] = "Bearer " .. f.token })
  elseif scenario == "start-exam" then
    return wrk.format("POST", "/api/v1/attempts",
      { ["Authorization"] = "Bearer " .. f.token, ["Content-Type"] = "application/json" }, '{"mode": "exam"}')
  end
  return wrk.format("GET", "/")
end


function done(summary, latency, requests)
  local bad = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d %.3f\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, bad, summary.duration / 1e6))
end
