-- wrk script of the exchange benchmark: each thread sends the signed requests that
-- bench/exchange_requests.mjs prepared for it, each once, in order.
--   wrk ... -s bench/exchange.lua URL -- PREFIX CLIENT_ID PURPOSE_PERCENT_ENCODED
-- If a thread ran out of requests it would start again and the server would refuse the
-- replayed nonces (401): wrk counts those as errors, and the benchmark fails on errors.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local prefix, client, purpose = args[1], args[2], args[3]
  requests = {}
  for line in io.lines(prefix .. "-" .. id .. ".txt") do
    local path, ts, nonce, sig = line:match("^(%S+)\t(%S+)\t(%S+)\t(%S+)$")
    requests[#requests + 1] = wrk.format("GET", path, {
      ["X-Zw-Client"] = client,
      ["X-Zw-Timestamp"] = ts,
      ["X-Zw-Nonce"] = nonce,
      ["X-Zw-Signature"] = sig,
      ["X-Zw-Purpose"] = purpose,
    })
  end
  next_request = 1
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
