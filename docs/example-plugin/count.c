/*
 * A complete output plugin: "count" turns a statement into one line of
 * plain text, "<title>: N organisations from M countries".
 *
 *	cc -shared -fPIC -fvisibility=hidden -I../../plugins \
 *	    -o count.so count.c
 *	cp count.so ../../plugins/	# the server loads it at start
 */
#include <stdio.h>

#include "undersigned-plugin.h"

static int
render(const struct us_p_statement *st, struct us_p_sink *out)
{
	char	line[512];
	int	n;

	n = snprintf(line, sizeof(line), "%s: %zu organisation%s from %zu "
	    "countr%s\n", st->title, st->signature_count,
	    st->signature_count == 1 ? "" : "s", st->ncountries,
	    st->ncountries == 1 ? "y" : "ies");
	if (n < 0 || (size_t)n >= sizeof(line)) {
		out->error(out, "the title is too long for one line");
		return (US_PLUGIN_ERROR);
	}
	return (out->write(out, line, (size_t)n));
}

static const struct us_plugin count = {
	US_PLUGIN_HEADER,
	.name = "count",
	.title = "Signature count",
	.mime_type = "text/plain; charset=utf-8",
	.extension = "txt",
	.version = "1.0",
	.render = render,
};

US_PLUGIN_EXPORT(&count);
