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

/* Percent-encodes everything but RFC 3986 unreserved characters. */
void
us_esc_url(struct us_buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			us_buf_putc(b, c);
		} else {
			us_buf_putc(b, '%');
			us_buf_putc(b, hex[c >> 4]);
			us_buf_putc(b, hex[c & 15]);
		}
	}
}
