-- wrk script for bench/throughput.py: every request confirms with a link
-- of its own.  The links come one a line from the file named after "--";
-- thread i takes every line whose number is i modulo the threads, so no
-- two requests use the same link.  When a thread runs out it repeats its
-- last link, which answers 409 and shows as a failure in wrk's count.
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

function init(args)
	tokens = {}
	n = 0
	local nthreads = 2
	local i = 0
	for line in io.lines(args[1]) do
		if i % nthreads == id then
			table.insert(tokens, line)
		end
		i = i + 1
	end
end

function request()
	n = n + 1
	local t = tokens[math.min(n, #tokens)]
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
	    '{"token":"' .. t .. '"}')
end
