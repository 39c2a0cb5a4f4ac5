#!/bin/sh
# Runs each libFuzzer target in build/fuzz (`make fuzz-build`) for SECONDS
# (default 240), starting from its committed seed corpus in
# tests/fuzz/corpus/NAME.  New inputs go to $FUZZ_WORK/NAME (default
# var/fuzz), never into the tree; a crash leaves its input there and fails
# the run.
#
#   scripts/fuzz.sh [SECONDS] [NAME ...]
set -u
cd "$(dirname "$0")/.."

secs=${1:-240}
[ $# -gt 0 ] && shift
names=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's,.*/fuzz_\(.*\)\.c,\1,')}
work=${FUZZ_WORK:-var/fuzz}
status=0
for n in $names; do
	mkdir -p "$work/$n"
	if ! [ -x "build/fuzz/fuzz_$n" ]; then
		echo "fuzz $n: build/fuzz/fuzz_$n is missing (make fuzz-build)"
		status=1
		continue
	fi
	if "build/fuzz/fuzz_$n" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=1024 -print_final_stats=1 \
	    -artifact_prefix="$work/$n-" "$work/$n" \
	    "tests/fuzz/corpus/$n" >"$work/$n.log" 2>&1; then
		echo "fuzz $n: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' \
		    "$work/$n.log" | sed 's/.*: *//') runs in ${secs}s, no crash"
	else
		echo "fuzz $n: FAILED ($work/$n.log)"
		tail -40 "$work/$n.log"
		status=1
	fi
done
exit $status
