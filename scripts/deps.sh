#!/bin/sh
# Installs the Debian 12 packages undersigned needs, and only those that
# are missing, so a second run costs nothing.  Uses sudo when not root.
#
#   scripts/deps.sh run    what `make run` needs: build, serve, database
#   scripts/deps.sh test   that and the test tools (`make test`)
set -eu
what=${1:-test}

# build and run: the server, its database, mail, countries, plugins
# (Pango/Cairo with fonts for every script, xlsxwriter), translations.
pkgs="
build-essential pkg-config make curl ca-certificates
kore libjansson-dev libcmark-dev libssl-dev libpq-dev libcurl4-openssl-dev
postgresql-15 postgresql-client-15 iso-codes tzdata gettext
libpango1.0-dev libcairo2-dev fonts-noto-core fonts-dejavu-core
libxlsxwriter-dev
"
# tests: cmocka, valgrind, pytest and what it talks to, PDF and XLSX
# readers, the browser and its driver, nginx for the cluster test.
if [ "$what" = test ]; then
	pkgs="$pkgs
libcmocka-dev valgrind poppler-utils
python3 python3-pytest python3-requests python3-psycopg2 python3-aiosmtpd
python3-openpyxl python3-selenium chromium chromium-driver nginx
"
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
