-- wrk script for scripts/bench: each thread sends its own slice of the pre-signed requests
-- (TSV: id, timestamp, signature, body) in order. Prepare more than the run can send: a request
-- sent twice would be a cheaper redelivery, and `done` says if that happened.
local counter = 0
local threads = {}
PREPARED = tonumber(os.getenv("PREPARED") or "0")
CONNECTIONS = tonumber(os.getenv("CONNECTIONS") or "64")

function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local path, count = args[1], tonumber(args[2])
    requests = {}
    local n = 0
    for line in io.lines(path) do
        if n % count == index then
            local id, ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
            table.insert(requests, wrk.format("POST", wrk.path, {
                ["Content-Type"] = "application/json",
                ["webhook-id"] = id, ["webhook-timestamp"] = ts, ["webhook-signature"] = sig,
            }, body))
        end
        n = n + 1
    end
    sent = 0
    failed = 0
end

function request()
    sent = sent + 1
    return requests[((sent - 1) % #requests) + 1]
end

function response(status, headers, body)
    if status < 200 or status > 299 then failed = failed + 1 end
end

function done(summary, latency, requests)
    if summary.requests > PREPARED then
        print(string.format("warning: %d requests sent but only %d prepared: some were redeliveries", summary.requests, PREPARED))
    end
    print(string.format("webhooks: %d signed JSON leads over %d connections in %.2f s: %.0f leads/s, p50 %.2f ms, p99 %.2f ms, %d errors",
        summary.requests, CONNECTIONS or 64, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
