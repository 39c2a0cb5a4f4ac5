#!/bin/sh
# Installs the Debian 12 packages undersigned needs, and only those that
# are missing, so a second run costs nothing.  Uses sudo when not root.
#
#   scripts/deps.sh build      compile and `make install` (the container's
#                              build stage): no database server
#   scripts/deps.sh runtime    serve an installed copy and nothing more (the
#                              container's runtime stage): no compiler
#   scripts/deps.sh run        what `make run` needs: build, serve, database
#   scripts/deps.sh test       that and the test tools (`make test`)
#   scripts/deps.sh list WHAT  print WHAT's packages, install nothing
set -eu
what=${1:-test}
list=0
if [ "$what" = list ]; then
	list=1
	what=${2:-test}
fi

# compile: the module, the CLI and the plugins (Pango/Cairo,
# xlsxwriter), the translations (msgfmt).
build="
build-essential pkg-config make ca-certificates
kore libjansson-dev libcmark-dev libssl-dev libpq-dev libcurl4-openssl-dev
libpango1.0-dev libcairo2-dev libxlsxwriter-dev libidn2-dev gettext
"
# serve: the libraries the module, the CLI and the plugins link (ldd),
# countries, time zones, fonts for every script in PDFs, CA certificates
# for SMTP over TLS, curl for health checks, pg_dump for `undersigned
# backup`.  Debian's kore package also
# pulls its own headers (for kodev).
runtime="
kore libjansson4 libcmark0.30.2 libssl3 libpq5 libcurl4 libxlsxwriter4 libidn2-0
libpango-1.0-0 libpangocairo-1.0-0 libcairo2
iso-codes tzdata fonts-noto-core fonts-dejavu-core ca-certificates curl
postgresql-client-15
"
# make run: both, and the private PostgreSQL cluster.
run="$build $runtime postgresql-15 postgresql-client-15"
# tests: cmocka, valgrind, pytest and what it talks to, PDF and XLSX
# readers, the browser and its driver; the deployment suite's nginx,
# openssl, systemd-analyze, mandoc for the manual pages, bear for
# compile_commands.json; clang with libFuzzer; nginx also for the
# cluster test.
test="$run
libcmocka-dev valgrind poppler-utils
python3 python3-pytest python3-requests python3-psycopg2 python3-aiosmtpd
python3-openpyxl python3-selenium python3-yaml chromium chromium-driver
nginx openssl systemd util-linux mandoc bear
clang libclang-rt-14-dev
"
case "$what" in
build) pkgs=$build ;;
runtime) pkgs=$runtime ;;
run) pkgs=$run ;;
test) pkgs=$test ;;
*)
	echo "usage: scripts/deps.sh build|runtime|run|test|list WHAT" >&2
	exit 2
	;;
esac
if [ $list -eq 1 ]; then
	echo $pkgs | tr ' ' '\n' | sort -u
	exit 0
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# npm (for axe-core in the browser tests) may come with a Node.js that is
# not Debian's, whose package then conflicts with Debian's npm.
if [ "$what" = test ]; then
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps.sh: these packages are missing and there is no sudo:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian starts a system-wide cluster when postgresql is installed; ours
# runs privately under var/, so the package's own cluster is not needed.
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
