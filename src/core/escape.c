#include <string.h>

#include "escape.h"

/* Safe in element content and in quoted attribute values alike. */
void
us_esc_html(struct us_buf *b, const char *s)
{
	const char	*run;

	for (run = s; *s != '\0'; s++) {
		const char	*rep;

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		us_buf_append(b, run, (size_t)(s - run));
		us_buf_puts(b, rep);
		run = s + 1;
	}
	us_buf_append(b, run, (size_t)(s - run));
}

static void	esc_byte(struct us_buf *, unsigned char);

static void
esc_byte(struct us_buf *b, unsigned char c)
{
	static const char	hex[] = "0123456789ABCDEF";

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~') {
		us_buf_putc(b, c);
		return;
	}
	us_buf_putc(b, '%');
	us_buf_putc(b, hex[c >> 4]);
	us_buf_putc(b, hex[c & 15]);
}

/* Percent-encodes everything but RFC 3986 unreserved characters. */
void
us_esc_url(struct us_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		esc_byte(b, (unsigned char)*s);
}

/*
 * A request path as a link to the same page of this site, whatever the
 * path held: one leading slash and never two in a row ("//host/" is
 * another site to a browser), every byte but unreserved ones and "/"
 * percent-encoded (a backslash, which browsers read as a slash, too).
 */
void
us_esc_path(struct us_buf *b, const char *s)
{
	us_buf_putc(b, '/');
	for (; *s != '\0'; s++) {
		if (*s == '/') {
			if (b->len > 0 && b->data[b->len - 1] == '/')
				continue;
			us_buf_putc(b, '/');
		} else
			esc_byte(b, (unsigned char)*s);
	}
}
