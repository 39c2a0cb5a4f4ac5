-- wrk script for bench/sign.sh: every request signs with a new
-- organisation and email.  Five requests come from each client address,
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
	local c = math.floor(n / 5)
	local xff = string.format("10.%d.%d.%d", id % 256,
	    math.floor(c / 256) % 256, c % 256)
	local body = string.format('{"organisation":"Bench %d-%d","country":'
	    .. '"KG","contact_name":"Aigerim","email":"b%d-%d-%d@bench.example.org"}',
	    id, n, run, id, n)
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json",
	    ["X-Forwarded-For"] = xff }, body)
end
