#!/bin/sh
# Abuse benchmark: how the service answers its readers while it is
# attacked.  Starts a private PostgreSQL cluster (var/bench/pg), the
# migrations and Kore as `make run` does (mail is spooled to var/mail,
# nothing is sent), creates an open statement and a coordinator token,
# then runs bench/abuse.py: /healthz and the public statement page are
# measured alone, then again while two clients send hostile bodies and a
# third floods the sign form.  Everything started here is stopped at the
# end.
#
#   bench/abuse.sh [SECONDS [ATTACKERS]]
#	SECONDS per phase (default 20); ATTACKERS a comma-separated subset of
#	form,json,flood (default all three).
set -eu
cd "$(dirname "$0")/.."

secs=${1:-20}
attackers=${2:-form,json,flood}
: "${PORT:=8099}"
export PORT
dir=var/bench
mkdir -p "$dir" var/run var/mail

kore_pid=""
cleanup() {
	trap - INT TERM EXIT
	set +e
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null && wait "$kore_pid"
	scripts/pg.sh stop "$dir/pg"
}
trap cleanup INT TERM EXIT

[ -x bin/undersigned ] && [ -f build/undersigned.so ] ||
    { echo "abuse.sh: build first (make server)" >&2; exit 1; }
scripts/pg.sh start "$dir/pg" --fast
DATABASE_URL=$(scripts/pg.sh url "$dir/pg")
PUBLIC_URL="http://127.0.0.1:$PORT"
export DATABASE_URL PUBLIC_URL
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
		echo "abuse.sh: the server did not start ($dir/kore.log)" >&2
		exit 1
	fi
	sleep 0.1
done
/usr/bin/python3 bench/abuse.py --url "$PUBLIC_URL" --token "$token" \
    --seconds "$secs" --kore-pid "$kore_pid" --attackers "$attackers"
