#!/bin/sh
# The cost of the abuse limits on signing.
#
#   bench/sign.sh [SECONDS] [ROUNDS]      defaults: 15 seconds, 2 rounds
#
# Starts a private PostgreSQL cluster under var/bench/sign (as make run
# does, fsync on), one open statement, and the server; then wrk posts
# signatures with distinct emails to POST /api/v1/statements/{slug}/
# signatures over 8 connections (bench/sign.lua), alternately with the
# limits on (each client address signing five times, well under its
# limit, through X-Forwarded-For from the trusted loopback proxy) and
# with UNDERSIGNED_RATE_LIMITS=off, ROUNDS times each.  Prints the
# requests per second of every run and the CPU time the server spent per
# request (Kore and every PostgreSQL process of the private cluster, from
# /proc: steadier than throughput on a busy machine), and the median of
# each mode.  The mail sender is not started: the outbox fills, nothing is
# sent.
set -eu
cd "$(dirname "$0")/.."

secs=${1:-15}
rounds=${2:-2}
dir=var/bench/sign
port=${PORT:-8391}
export PORT=$port
mkdir -p "$dir" var/run

command -v wrk >/dev/null || { echo "sign.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
make --no-print-directory server >/dev/null

kore_pid=""
cleanup() {
	trap - INT TERM EXIT
	set +e
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null && wait "$kore_pid"
	scripts/pg.sh stop "$dir/pg" >/dev/null
}
trap cleanup INT TERM EXIT

scripts/pg.sh start "$dir/pg" >/dev/null
export DATABASE_URL="host=$(cd "$dir/pg" && pwd) dbname=undersigned user=undersigned"
unset SMTP_URL
bin/undersigned migrate >/dev/null
token=$(bin/undersigned coordinator add bench@bench.example.org | tail -1)
slug="bench-$(date +%s)"

start_app() {
	UNDERSIGNED_RATE_LIMITS=$1 kore -c conf/undersigned.conf -f -n -r \
	    >"$dir/kore-$1.log" 2>&1 &
	kore_pid=$!
	i=0
	until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "sign.sh: the server did not start" >&2; exit 1; }
		sleep 0.1
	done
}

# CPU ticks (utime + stime) of Kore, its workers and the cluster.
cpu_ticks() {
	pm=$(head -1 "$dir/pg/data/postmaster.pid")
	for p in $kore_pid $(ps -o pid= --ppid "$kore_pid") $pm \
	    $(ps -o pid= --ppid "$pm"); do
		cat "/proc/$p/stat" 2>/dev/null
	done | awk '{ t += $14 + $15 } END { print t + 0 }'
}

stop_app() {
	kill "$kore_pid"
	wait "$kore_pid" || true
	kore_pid=""
}

start_app on
api="http://127.0.0.1:$port/api/v1/statements"
curl -fsS -o /dev/null -X POST "$api" -H "Authorization: Bearer $token" \
    -d "{\"slug\":\"$slug\",\"kind\":\"joint_statement\",\"lang\":\"en\",\"title\":\"Bench\",\"body_markdown\":\"We call for a benchmark.\",\"place\":\"Bishkek\",\"date\":\"2026-12-10\"}"
curl -fsS -o /dev/null -X POST "$api/$slug/status" \
    -H "Authorization: Bearer $token" -d '{"status":"open"}'
stop_app

results=$dir/results.txt
: >"$results"
r=1
while [ $r -le "$rounds" ]; do
	for mode in on off; do
		start_app $mode
		before=$(cpu_ticks)
		out=$(wrk -t2 -c8 -d"${secs}s" -s bench/sign.lua \
		    "$api/$slug/signatures")
		after=$(cpu_ticks)
		stop_app
		rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
		n=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
		bad=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
		cpu=$(awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
		    'BEGIN { printf "%.0f", t / hz / n * 1e6 }')
		printf 'round %d  limits %-3s  %8s req/s  %5s us CPU/request  refused or failed: %s\n' \
		    "$r" "$mode" "$rps" "$cpu" "${bad:-0}"
		echo "$mode $rps $cpu ${bad:-0}" >>"$results"
	done
	r=$((r + 1))
done

median() {
	awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$results" | sort -n |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
on=$(median on 2)
off=$(median off 2)
con=$(median on 3)
coff=$(median off 3)
echo "median: limits on $on req/s, off $off req/s" \
    "($(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.1f", (a - b) / b * 100 }') %);" \
    "CPU per request on $con us, off $coff us" \
    "($(awk -v a="$con" -v b="$coff" 'BEGIN { printf "%+.1f", (a - b) / b * 100 }') %)"
echo "signatures stored: $(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM signatures")," \
    "client limit rows: $(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM client_limits")"
