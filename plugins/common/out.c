#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"

static void	out_flush(struct us_out *);
static void	out_send(struct us_out *, const void *, size_t);

void
us_out_init(struct us_out *o, struct us_p_sink *sink, const char *who)
{
	o->sink = sink;
	o->who = who;
	o->failed = 0;
	o->len = 0;
}

static void
out_send(struct us_out *o, const void *data, size_t len)
{
	if (o->failed || len == 0)
		return;
	if (o->sink->write(o->sink, data, len) != US_PLUGIN_OK)
		us_out_fail(o, "cannot write the output");
}

static void
out_flush(struct us_out *o)
{
	out_send(o, o->buf, o->len);
	o->len = 0;
}

void
us_out_write(struct us_out *o, const void *data, size_t len)
{
	if (o->failed)
		return;
	if (len > sizeof(o->buf) - o->len) {
		out_flush(o);
		/* A piece larger than the buffer goes through whole. */
		if (len >= sizeof(o->buf)) {
			out_send(o, data, len);
			return;
		}
		if (o->failed)
			return;
	}
	memcpy(o->buf + o->len, data, len);
	o->len += len;
}

void
us_out_puts(struct us_out *o, const char *s)
{
	if (s != NULL)
		us_out_write(o, s, strlen(s));
}

void
us_out_printf(struct us_out *o, const char *fmt, ...)
{
	va_list	 ap;
	char	 sb[256], *s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(sb, sizeof(sb), fmt, ap);
	va_end(ap);
	if (n < 0) {
		us_out_fail(o, "cannot format the output");
		return;
	}
	if ((size_t)n < sizeof(sb)) {
		us_out_write(o, sb, n);
		return;
	}

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		us_out_fail(o, "out of memory");
		return;
	}
	us_out_write(o, s, n);
	free(s);
}

void
us_out_fail(struct us_out *o, const char *why)
{
	if (o->failed)
		return;
	o->failed = 1;
	o->len = 0;
	o->sink->error(o->sink, "%s: %s", o->who, why);
}

int
us_out_finish(struct us_out *o)
{
	out_flush(o);
	return (o->failed ? US_PLUGIN_ERROR : US_PLUGIN_OK);
}
