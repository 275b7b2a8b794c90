-- wrk script: each thread (one connection) saves one answer as a draft again and again.
-- The answer form refuses a stale version, so the thread counts the versions it has saved.
-- BENCH_SAVE = "path|ref1:version1,ref2:version2", BENCH_CSRF = the csrftoken cookie's value.

local spec = os.getenv("BENCH_SAVE")
local base, list = spec:match("^(.-)|(.*)$")
local targets = {}
for reference, version in list:gmatch("([^:,]+):(%d+)") do
  targets[#targets + 1] = {reference, tonumber(version)}
end
local counter = 0

function setup(thread)
  counter = counter + 1
  local target = targets[((counter - 1) % #targets) + 1]
  thread:set("reference", target[1])
  thread:set("version", target[2])
end

function init(args)
  csrf = os.getenv("BENCH_CSRF")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local body = "csrfmiddlewaretoken=" .. csrf .. "&status=in_progress&narrative=Benchmark+save&evidence="
    .. "&not_applicable_reason=&save_draft=1&version=" .. version
  return wrk.format("POST", base .. reference .. "/", nil, body)
end

function response(status, headers, body)
  if status == 302 then
    version = version + 1
  else
    failed = (failed or 0) + 1
  end
end
