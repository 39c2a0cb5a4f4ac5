#!/bin/sh
# `make run`: the private database (unless DATABASE_URL is set), the
# migrations, the demo statement, the mail sender and the server, all in
# the foreground until Ctrl-C, which stops everything started here.
set -eu
cd "$(dirname "$0")/.."

: "${PORT:=8080}"
export PORT
mkdir -p var/run var/log var/mail

pg_started=0
kore_pid=""
mailer_pid=""
# Ctrl-C reaches Kore and the mailer too; whatever is still running is
# stopped here.  PostgreSQL runs in its own session and needs pg_ctl.
cleanup() {
	trap - INT TERM EXIT
	set +e
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null
	[ -n "$mailer_pid" ] && kill "$mailer_pid" 2>/dev/null
	wait
	[ "$pg_started" -eq 1 ] && scripts/pg.sh stop var/pg
	echo "undersigned: stopped."
}
trap cleanup INT TERM EXIT

bin/undersigned check-config >/dev/null
if [ -z "${DATABASE_URL:-}" ]; then
	scripts/pg.sh start var/pg
	pg_started=1
fi
bin/undersigned migrate
bin/undersigned demo >var/run/demo.txt

bin/undersigned mailer &
mailer_pid=$!
kore -c conf/undersigned.conf -f -n -r &
kore_pid=$!

i=0
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$kore_pid" 2>/dev/null; then
		echo "undersigned: the server did not start (see above)" >&2
		exit 1
	fi
	sleep 0.1
done

echo
echo "undersigned is running on http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
cat var/run/demo.txt
echo
wait "$kore_pid"
