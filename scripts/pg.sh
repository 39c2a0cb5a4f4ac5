#!/bin/sh
# A private PostgreSQL 15 cluster for development and tests, kept under the
# project (var/pg by default): data in DIR/data, the unix socket in DIR, no
# TCP listener.  PostgreSQL refuses to run as root, so as root the server
# runs as Debian's "postgres" user.
#
#   scripts/pg.sh start [DIR] [--fast]   create if needed, start, create db
#   scripts/pg.sh stop [DIR]
#   scripts/pg.sh status [DIR]
#   scripts/pg.sh url [DIR]              print the libpq conninfo
# --fast turns off fsync: for throwaway test clusters only.
set -eu

cmd=${1:-}
dir=${2:-var/pg}
fast=${3:-}
case "$dir" in --fast) fast=--fast; dir=var/pg ;; esac

pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/pg_ctl" ] || { echo "pg.sh: PostgreSQL 15 is not installed (run: make deps)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data

# Run a PostgreSQL program as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif runuser -u postgres -- test -x "$dir"; then
		runuser -u postgres -- "$@"
	else
		# The project sits below a directory postgres may not enter
		# (a clone in /root, say).  Rather than loosen permissions
		# there, let this one process search directories.
		setpriv --reuid=postgres --regid=postgres --init-groups \
		    --inh-caps=+dac_read_search --ambient-caps=+dac_read_search \
		    -- "$@"
	fi
}

case "$cmd" in
start)
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$dir"
	fi
	chmod 700 "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		as_owner "$pgbin/initdb" -D "$data" -U undersigned \
		    --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		    { cat "$dir/initdb.log" >&2; exit 1; }
		{
			echo "listen_addresses = ''"
			echo "unix_socket_directories = '$dir'"
			echo "max_connections = 200"
			echo "shared_buffers = 128MB"
			if [ "$fast" = --fast ]; then
				echo "fsync = off"
				echo "synchronous_commit = off"
				echo "full_page_writes = off"
			fi
		} | as_owner sh -c "cat >> '$data/postgresql.conf'"
	fi
	if ! as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_owner "$pgbin/pg_ctl" -D "$data" -l "$dir/postgres.log" \
		    -w -t 60 start >/dev/null ||
		    { tail -20 "$dir/postgres.log" >&2; exit 1; }
	fi
	if ! psql -h "$dir" -U undersigned -d postgres -tAc \
	    "SELECT 1 FROM pg_database WHERE datname = 'undersigned'" | grep -q 1; then
		psql -h "$dir" -U undersigned -d postgres -q -c \
		    "CREATE DATABASE undersigned ENCODING 'UTF8' TEMPLATE template0"
	fi
	;;
stop)
	if [ -f "$data/PG_VERSION" ] &&
	    as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_owner "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	;;
status)
	as_owner "$pgbin/pg_ctl" -D "$data" status
	;;
url)
	echo "host=$dir dbname=undersigned user=undersigned"
	;;
*)
	echo "usage: scripts/pg.sh start|stop|status|url [DIR] [--fast]" >&2
	exit 2
	;;
esac
