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
#   scripts/test.sh fuzz         each libFuzzer target briefly over its seeds
#   scripts/test.sh deploy       make install, systemd units, privilege
#                                separation, nginx with TLS, the container
#   scripts/test.sh man          the manual pages, with mandoc -Tlint
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

# Each libFuzzer target for a few seconds from its seed corpus; a target
# that cannot be built (no clang) fails, it is never skipped.
fuzz_suite() {
	if ! command -v clang >/dev/null 2>&1 ||
	    ! make --no-print-directory fuzz-build >"$log/fuzz_build.log" 2>&1
	then
		tail -20 "$log/fuzz_build.log"
		note "fuzz (build: needs clang, libclang-rt-14-dev)" 0 1
		return
	fi
	rm -rf var/test/fuzz
	for src in tests/fuzz/fuzz_*.c; do
		n=$(basename "$src" .c)
		n=${n#fuzz_}
		if FUZZ_WORK=var/test/fuzz scripts/fuzz.sh \
		    "${FUZZ_TEST_SECONDS:-5}" "$n" \
		    >"$log/fuzz_$n.log" 2>&1; then
			note "fuzz $n" 1 0
		else
			cat "$log/fuzz_$n.log"
			note "fuzz $n" 0 1
		fi
	done
}

# Each page in man/ must pass mandoc's checks at warning level (style
# notes such as cross-references to pages this machine lacks are not
# failures).  A missing mandoc fails: scripts/deps.sh test installs it.
man_pages() {
	if ! command -v mandoc >/dev/null 2>&1; then
		echo "mandoc is missing: scripts/deps.sh test (apt-get install mandoc)"
		note "manual pages (mandoc -Tlint)" 0 1
		return
	fi
	p=0
	f=0
	for page in man/*.[1-9]; do
		if mandoc -Tlint -W warning "$page"; then
			p=$((p + 1))
		else
			f=$((f + 1))
		fi
	done
	note "manual pages (mandoc -Tlint)" "$p" "$f"
}

# The deployment suite mounts, chroots and changes users as systemd
# would: it needs root (CI runs as root), and says so rather than skip.
deploy_suite() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "the deployment suite needs root (sudo make test)"
		note "deploy" 0 1
		return
	fi
	pytest_suite "deploy" tests/deploy
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
case "$what" in
fuzz|all)
	fuzz_suite
	;;
esac
case "$what" in
deploy|all)
	deploy_suite
	;;
esac
case "$what" in
man|all)
	man_pages
	;;
esac

echo
if [ "$failed" -gt 0 ]; then
	echo "Failed:$failures"
	echo "Logs are in $log and var/test/*/."
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
