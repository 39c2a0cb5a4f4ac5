#!/bin/sh
# The container's entry point: configuration comes only from the
# environment, and the database is outside the container, so a missing
# DATABASE_URL stops here with a message instead of a server that answers
# 503 for ever.  The strict check of every other setting follows.
set -eu
if [ -z "${DATABASE_URL:-}" ]; then
	echo "undersigned: set DATABASE_URL to the PostgreSQL 15 database" \
	    "(libpq URI or conninfo); this image has no database inside" >&2
	exit 1
fi
undersigned check-config >/dev/null
exec "$@"
