-- wrk script for bench/sign.sh: every request signs with a new
-- organisation and email.  Five requests come from each client address
-- (an IPv6 /64, which the limits count as one client),
-- passed in X-Forwarded-For as nginx passes it (the app trusts loopback),
-- so with the limits on nobody is refused and each request pays for its
-- limit check like a real signer's would.
local threads = 0

function setup(thread)
	thread:set("id", threads)
	threads = threads + 1
end

function init(args)
	n = 0
	math.randomseed(os.time() * 100 + id)
	run = math.random(1, 1000000000)
end

function request()
	n = n + 1
	-- A /64 of its own per client, per thread and per run (the run's
	-- random number), so that no later run meets an earlier one's counts.
	local c = math.floor(n / 5) % 16384
	local xff = string.format("2001:db8:%x:%x::1", run % 65536,
	    id * 16384 + c)
	local body = string.format('{"organisation":"Bench %d-%d","country":'
	    .. '"KG","contact_name":"Aigerim","email":"b%d-%d-%d@bench.example.org"}',
	    id, n, run, id, n)
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json",
	    ["X-Forwarded-For"] = xff }, body)
end
