#!/bin/sh
# Large-list benchmark (docs/benchmarks.md, "Large lists"): a statement
# with 100,000 confirmed signatories; the coordinators' CSV export against
# `psql \copy` of the same rows and columns, the public page's and the
# list API's first pages, a page deep in the list, and the Kore workers'
# peak RSS.  Starts a private PostgreSQL cluster (var/bench-lists/pg) and
# Kore on a free loopback port, stops both at the end.
#
#   bench/lists.sh [ROWS [RUNS]]	(default 100000 rows, 7 runs each)
set -eu
cd "$(dirname "$0")/.."

rows=${1:-100000}
runs=${2:-7}
dir=var/bench-lists
mkdir -p "$dir" var/run var/mail
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PORT

kore_pid=""
cleanup() {
	trap - INT TERM EXIT
	set +e
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null && wait "$kore_pid"
	scripts/pg.sh stop "$dir/pg"
}
trap cleanup INT TERM EXIT

[ -x bin/undersigned ] && [ -f build/undersigned.so ] ||
    { echo "lists.sh: build first (make server)" >&2; exit 1; }
scripts/pg.sh start "$dir/pg" --fast
DATABASE_URL=$(scripts/pg.sh url "$dir/pg")
PUBLIC_URL="http://127.0.0.1:$PORT"
UNDERSIGNED_RATE_LIMITS=off
export DATABASE_URL PUBLIC_URL UNDERSIGNED_RATE_LIMITS
unset SMTP_URL
bin/undersigned migrate >/dev/null
token=$(bin/undersigned coordinator add "bench-$$@example.org" | tail -1)

sed -e "s,var/run/kore.pid,$dir/kore.pid," conf/undersigned.conf \
    >"$dir/kore.conf"
kore -c "$dir/kore.conf" -f -n -r >"$dir/kore.log" 2>&1 &
kore_pid=$!
i=0
until curl -fsS "$PUBLIC_URL/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$kore_pid" 2>/dev/null; then
		echo "lists.sh: the server did not start ($dir/kore.log)" >&2
		exit 1
	fi
	sleep 0.1
done
/usr/bin/python3 bench/lists.py --url "$PUBLIC_URL" --token "$token" \
    --database "$DATABASE_URL" --kore-pid "$kore_pid" --rows "$rows" \
    --runs "$runs"
