#!/bin/sh
# Collects every translatable string into assets/locale/undersigned.pot
# and merges it into each assets/locale/LANG.po, so that translators only
# ever fill in msgstr; `make` then compiles the .po files.  Run it after
# adding or changing UI text.  It finds:
#
#   {{_ Some text}}                      assets/templates/*.html, assets/mail/*
#   US_N_("text")                        C: marked, translated elsewhere
#   US_NC_("context", "text")            the same with a msgctxt
#   US_NN_("one", "many")                a singular and plural pair
#   us_i18n(lang, "text")                C: translated on the spot
#   us_i18n_ctx(lang, "context", "text")
#   us_i18n_n(lang, "one", "many", n)
#
# A comment starting "TRANSLATORS:" just before a C string reaches the
# translator.  A new language: copy undersigned.pot to LANG.po, fill in
# its header (Language, Plural-Forms) and add its plural rule to the
# table in src/core/i18n.c.
#
# Needs xgettext and msgmerge from gettext (scripts/deps.sh).
set -eu
cd "$(dirname "$0")/.."

locale=assets/locale
pot=$locale/undersigned.pot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The text between "{{_" and "}}" with the spaces around it trimmed,
# exactly as src/core/tpl.c reads the tag, written as a PO file that
# xgettext then reads like any other source (keeping its references to
# the templates, and merging repeats).
tpl_strings() {
	awk '
	# One character at a time: what gsub makes of backslashes in
	# a replacement differs between awks.
	function po(s,   out, i, c) {
		out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\" || c == "\"")
				out = out "\\" c
			else if (c == "\n")
				out = out "\\n"
			else if (c == "\t")
				out = out "\\t"
			else if (c == "\r")
				out = out "\\r"
			else
				out = out c
		}
		return "\"" out "\""
	}
	function lines(s) {
		return gsub(/\n/, "", s)
	}
	function scan(   s, line, pos, rest, end, msg, raw) {
		s = text
		line = 1
		while ((pos = index(s, "{{_")) > 0) {
			line += lines(substr(s, 1, pos - 1))
			rest = substr(s, pos + 3)
			end = index(rest, "}}")
			if (end == 0)
				break
			msg = substr(rest, 1, end - 1)
			sub(/^ +/, "", msg)
			sub(/ +$/, "", msg)
			# "{{{_x}}}" is a raw value, not a translation.
			raw = pos > 1 && substr(s, pos - 1, 1) == "{"
			if (msg != "" && !raw)
				printf "#: %s:%d\nmsgid %s\nmsgstr \"\"\n\n", \
				    file, line, po(msg)
			line += lines(msg)
			s = substr(rest, end + 2)
		}
	}
	BEGIN {
		printf "msgid \"\"\nmsgstr \"\"\n"
		printf "\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	}
	FNR == 1 && NR > 1 {
		scan()
		text = ""
	}
	{
		file = FILENAME
		text = text $0 "\n"
	}
	END {
		if (NR > 0)
			scan()
	}' "$@"
}

set --
for f in assets/templates/*.html assets/mail/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -gt 0 ]; then
	tpl_strings "$@" >"$tmp/templates.po"
else
	tpl_strings /dev/null >"$tmp/templates.po"
fi

# Plugins ask for the server's words through the model: st->tr(st, "..."),
# st->ntr(st, "one", "many", n) and plugins/common's us_prose_tr/us_prose_n.
find src plugins -name '*.[ch]' | LC_ALL=C sort >"$tmp/files"
echo "$tmp/templates.po" >>"$tmp/files"
xgettext --from-code=UTF-8 --force-po --sort-by-file \
    --keyword --keyword=US_N_ --keyword=US_NC_:1c,2 --keyword=US_NN_:1,2 \
    --keyword=us_i18n:2 --keyword=us_i18n_ctx:2c,3 \
    --keyword=us_i18n_n:2,3 --keyword=tr:2 --keyword=ntr:2,3 \
    --keyword=us_prose_tr:2 --keyword=us_prose_n:3,4 \
    --add-comments=TRANSLATORS: \
    --package-name=undersigned --files-from="$tmp/files" \
    -o "$tmp/new.pot"

# A new creation date alone is no change: leave the files as they are.
same() {
	[ -f "$2" ] &&
	    grep -v '^"POT-Creation-Date:' "$1" >"$tmp/a" &&
	    grep -v '^"POT-Creation-Date:' "$2" >"$tmp/b" &&
	    cmp -s "$tmp/a" "$tmp/b"
}
mkdir -p "$locale"
if same "$tmp/new.pot" "$pot"; then
	echo "$pot: unchanged"
else
	cp "$tmp/new.pot" "$pot"
	echo "$pot: updated"
fi

for po in "$locale"/*.po; do
	[ -f "$po" ] || continue
	msgmerge --quiet --previous --output-file="$tmp/merged.po" \
	    "$po" "$pot"
	if same "$tmp/merged.po" "$po"; then
		echo "$po: unchanged"
	else
		cp "$tmp/merged.po" "$po"
		echo "$po: merged; translate its empty and fuzzy entries"
	fi
done
