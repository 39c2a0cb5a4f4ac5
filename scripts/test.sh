#!/bin/sh
# `make test`: every suite against real services it starts itself, once on
# the normal build and once on the AddressSanitizer/UBSan build, then one
# summary line ("N passed, N failed, N skipped") and a non-zero exit on any
# failure.
#
#   scripts/test.sh              everything (the cluster test in its short form)
#   scripts/test.sh unit         C unit tests only
#   scripts/test.sh plugins      output plugins, rendered offline
#   scripts/test.sh integration  integration suite only
#   scripts/test.sh browser      the workspace in headless Chromium, with axe
#   scripts/test.sh cluster      two app nodes, a standby, failover under load
#                                (US_CLUSTER_SECONDS per phase; `make
#                                test-cluster` runs the long form)
#
# A suite that cannot run is a failure, never a silent pass.  Skipped
# tests are counted apart; with CI=true every skip fails the run unless
# its reason is one of the allowed ones below.
set -u
cd "$(dirname "$0")/.."

what=${1:-all}
passed=0
failed=0
skipped=0
failures=""
py=/usr/bin/python3
log=var/test/logs
mkdir -p "$log"
ci=0
case "${CI:-}" in true|1|yes) ci=1 ;; esac

# Skips that are no defect anywhere: reasons as pytest -rs prints them,
# one a line.
allowed_skips="valgrind checks the plain build"

note() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	skipped=$((skipped + ${4:-0}))
	if [ "$3" -gt 0 ]; then
		failures="$failures
  $1 ($3 failed)"
	fi
	printf '%-46s %4d passed %4d failed %4d skipped\n' "$1" "$2" "$3" \
	    "${4:-0}"
}

# The skips of a pytest log not covered by allowed_skips: pytest -rs
# writes "SKIPPED [N] file:line: reason" for each group.
unallowed_skips() {
	grep -E '^SKIPPED \[[0-9]+\]' "$1" | grep -v -F "$allowed_skips" |
	    sed -n 's/^SKIPPED \[\([0-9]*\)\].*/\1/p' |
	    awk '{ n += $1 } END { print n + 0 }'
}

# A suite that cannot run at all: a failure, with what to do about it.
cannot_run() {
	echo "$1: cannot run: $2" >&2
	note "$1" 0 1 0
}

# cmocka prints "[  PASSED  ] N test(s).", "[  FAILED  ] N test(s)" and
# "[  SKIPPED ] N test(s)".
unit() {
	build=$1
	n=0
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		name="unit $(basename "$t")${2:+ ($2)}"
		out="$log/$(echo "$name" | tr ' /()' '____').log"
		"$t" >"$out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
		s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
		p=${p:-0}
		f=${f:-0}
		s=${s:-0}
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1	# crashed or sanitizer error
		fi
		if [ $ci -eq 1 ] && [ "$s" -gt 0 ]; then
			f=$((f + s))
		fi
		[ "$f" -gt 0 ] && cat "$out"
		note "$name" "$p" "$f" "$s"
	done
	if [ $n -eq 0 ]; then
		cannot_run "unit${2:+ ($2)}" "no unit tests in $build/tests \
(run: make${2:+ SAN=1} all)"
	fi
}

# pytest -q ends with e.g. "61 passed, 2 failed, 1 skipped in 30.1s".
#   pytest_suite NAME DIR [VAR=VALUE ...]
pytest_suite() {
	name=$1
	dir=$2
	shift 2
	out="$log/$(echo "$name" | tr ' /()' '____').log"
	env "$@" $py -m pytest "$dir" -q -p no:cacheprovider -rfEs >"$out" 2>&1
	rc=$?
	tail=$(grep -E '^[=]* ?[0-9]+ (passed|failed|error|skipped)' "$out" |
	    tail -1)
	p=$(echo "$tail" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$tail" | sed -n 's/.*\b\([0-9][0-9]*\) failed.*/\1/p')
	e=$(echo "$tail" | sed -n 's/.*\b\([0-9][0-9]*\) error.*/\1/p')
	s=$(echo "$tail" | sed -n 's/.*\b\([0-9][0-9]*\) skipped.*/\1/p')
	p=${p:-0}
	f=$((${f:-0} + ${e:-0}))
	s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ $ci -eq 1 ] && [ "$s" -gt 0 ]; then
		u=$(unallowed_skips "$out")
		if [ "$u" -gt 0 ]; then
			echo "$name: $u test(s) skipped in CI:" >&2
			grep -E '^SKIPPED' "$out" >&2
			f=$((f + u))
		fi
	fi
	[ "$f" -gt 0 ] && tail -80 "$out"
	note "$name" "$p" "$f" "$s"
}

# The sanitizer half is half of the suite: its absence is a failure.
asan_built() {
	if [ ! -x build/asan/bin/undersigned ] ||
	    [ ! -f build/asan/undersigned.so ]; then
		cannot_run "$1 (asan)" "the AddressSanitizer build is missing (run: make SAN=1 all)"
		return 1
	fi
	return 0
}

# The browser suite needs Chromium, its driver and axe-core from npm
# (tests/browser/package-lock.json); without them its tests are skipped,
# which outside CI is reported and in CI fails the run.
browser_suite() {
	if [ ! -d tests/browser/node_modules/axe-core ] &&
	    command -v npm >/dev/null 2>&1; then
		if ! (cd tests/browser && npm ci --silent) \
		    >"$log/browser_npm.log" 2>&1; then
			cat "$log/browser_npm.log"
			cannot_run "browser" "npm ci in tests/browser failed"
			return
		fi
	fi
	pytest_suite "browser" tests/browser US_BUILD=build
	out="$log/browser.log"
	if grep -q 'browser suite skipped' "$out"; then
		grep -m1 -o 'browser suite skipped.*' "$out"
	fi
}

case "$what" in
unit|all)
	unit build
	asan_built unit && unit build/asan asan
	;;
esac
case "$what" in
plugins|all)
	pytest_suite "plugins" tests/plugins US_CLI=bin/undersigned
	asan_built plugins && pytest_suite "plugins (asan)" tests/plugins \
	    US_CLI=build/asan/bin/undersigned
	;;
esac
case "$what" in
integration|all)
	pytest_suite "integration" tests/integration US_BUILD=build
	asan_built integration && pytest_suite "integration (asan)" \
	    tests/integration US_BUILD=build/asan
	;;
esac
case "$what" in
cluster|all)
	pytest_suite "cluster (2 nodes, standby, failover)" tests/cluster \
	    US_BUILD=build
	cat var/test/cluster/report.txt 2>/dev/null
	;;
esac
case "$what" in
browser|all)
	browser_suite
	;;
esac

echo
if [ "$failed" -gt 0 ]; then
	echo "Failed:$failures"
	echo "Logs are in $log and var/test/*/."
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
