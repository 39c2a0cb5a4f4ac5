#!/bin/sh
# Mail throughput against a plain SMTP client, and signing to the last
# mail delivered (docs/benchmarks.md, "Mail").
#
#   bench/mail.sh [SIZES]        default: 2000,10000
#
# Starts a private PostgreSQL cluster under var/bench/mail (fsync on, as in
# production), the server with UNDERSIGNED_RATE_LIMITS=off and SMTP_URL
# pointing at an aiosmtpd sink that bench/mail.py runs, one open
# statement; then bench/mail.py measures.  Everything started here is
# stopped at the end.
set -eu
cd "$(dirname "$0")/.."

sizes=${1:-2000,10000}
dir=var/bench/mail
: "${PORT:=8393}"
smtp_port=${SMTP_PORT:-8394}
export PORT
mkdir -p "$dir" var/run
rm -f "$dir/mailer.log"

[ -x bin/undersigned ] && [ -f build/undersigned.so ] ||
    { echo "mail.sh: build first (make server)" >&2; exit 1; }

kore_pid=""
cleanup() {
	trap - INT TERM EXIT
	set +e
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null && wait "$kore_pid"
	scripts/pg.sh stop "$dir/pg" >/dev/null
}
trap cleanup INT TERM EXIT

scripts/pg.sh start "$dir/pg" >/dev/null
DATABASE_URL=$(scripts/pg.sh url "$dir/pg")
PUBLIC_URL="http://127.0.0.1:$PORT"
SMTP_URL="smtp://127.0.0.1:$smtp_port"
MAIL_FROM="Coalition <noreply@bench.example.org>"
UNDERSIGNED_RATE_LIMITS=off
export DATABASE_URL PUBLIC_URL SMTP_URL MAIL_FROM UNDERSIGNED_RATE_LIMITS
bin/undersigned migrate >/dev/null
token=$(bin/undersigned coordinator add "bench-$$@example.org" | tail -1)
slug="mail-$(date +%s)"

sed -e "s,var/run/kore.pid,$dir/kore.pid," conf/undersigned.conf \
    >"$dir/kore.conf"
kore -c "$dir/kore.conf" -f -n -r >"$dir/kore.log" 2>&1 &
kore_pid=$!
i=0
until curl -fsS "$PUBLIC_URL/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$kore_pid" 2>/dev/null; then
		echo "mail.sh: the server did not start ($dir/kore.log)" >&2
		exit 1
	fi
	sleep 0.1
done
api="$PUBLIC_URL/api/v1/statements"
curl -fsS -o /dev/null -X POST "$api" -H "Authorization: Bearer $token" \
    -d "{\"slug\":\"$slug\",\"kind\":\"joint_statement\",\"lang\":\"en\",\"title\":\"Bench\",\"body_markdown\":\"We call for a benchmark.\",\"place\":\"Bishkek\",\"date\":\"2026-12-10\",\"coordinator_organisation\":\"Public Verdict Foundation\"}"
curl -fsS -o /dev/null -X POST "$api/$slug/status" \
    -H "Authorization: Bearer $token" -d '{"status":"open"}'
/usr/bin/python3 bench/mail.py --url "$PUBLIC_URL" --slug "$slug" \
    --smtp-port "$smtp_port" --sizes "$sizes" --dir "$dir"
