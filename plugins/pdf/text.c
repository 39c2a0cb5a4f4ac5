/*
 * Text on its way into Pango markup.
 *
 * Every string in the model and every literal in the Markdown AST passes
 * through pdf_text() before it meets Pango: control characters would
 * otherwise draw as hex boxes or break a name over two lines, and a bare
 * "<" or "&" would be read as markup.  Names such as "<script>" must come
 * out of the PDF exactly as they were typed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pdf.h"

static int	digits(const char *, size_t);

void
pdf_text(GString *out, const char *s, int flags)
{
	const char	*p, *next;
	char		*valid;
	gunichar	 c;
	int		 space, newline, started;

	if (s == NULL)
		return;

	/* The ABI promises UTF-8; a broken byte must not abort the page. */
	valid = NULL;
	if (!g_utf8_validate(s, -1, NULL)) {
		valid = g_utf8_make_valid(s, -1);
		s = valid;
	}

	space = newline = started = 0;
	for (p = s; *p != '\0'; p = next) {
		c = g_utf8_get_char(p);
		next = g_utf8_next_char(p);

		/*
		 * CR LF, a lone CR, LF and the Unicode separators are all one
		 * line break, written as U+2028 LINE SEPARATOR: Pango breaks
		 * the line there but stays in the paragraph, so a list item's
		 * hanging indent holds on the lines after it.
		 */
		if (c == '\r') {
			if (*next == '\n')
				continue;
			c = '\n';
		}
		if (c == 0x2028 || c == 0x2029)
			c = '\n';
		if (c == '\n' && !(flags & PDF_TEXT_NEWLINES))
			c = ' ';
		if (c == '\t' && !(flags & PDF_TEXT_TABS))
			c = ' ';
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    (c >= 0x80 && c < 0xa0))
			c = ' ';

		if (flags & PDF_TEXT_SQUASH) {
			if (c == ' ') {
				space = started;
				continue;
			}
			if (c == '\n') {
				newline = started;
				space = 0;
				continue;
			}
			if (newline)
				g_string_append(out, "\u2028");
			else if (space)
				g_string_append_c(out, ' ');
			space = newline = 0;
			started = 1;
		}

		if (flags & PDF_TEXT_ESCAPE) {
			switch (c) {
			case '&':
				g_string_append(out, "&amp;");
				continue;
			case '<':
				g_string_append(out, "&lt;");
				continue;
			case '>':
				g_string_append(out, "&gt;");
				continue;
			case '"':
				g_string_append(out, "&quot;");
				continue;
			case '\'':
				g_string_append(out, "&apos;");
				continue;
			}
		}

		if (c == '\n')
			g_string_append(out, "\u2028");
		else if (c < 0x80)
			g_string_append_c(out, (char)c);
		else
			g_string_append_len(out, p, next - p);
	}

	g_free(valid);
}

/*
 * "2026-12-01" becomes "1 December 2026" in the statement's language;
 * anything else stays as it is.
 */
void
pdf_text_date(GString *out, const struct us_p_statement *st,
    const char *ymd)
{
	char	buf[128];

	if (ymd == NULL)
		return;
	if (st->format_date(st, ymd, 0, buf, sizeof(buf)))
		pdf_text(out, buf, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
	else
		pdf_text(out, ymd, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
}

/*
 * cairo wants "YYYY-MM-DDThh:mm:ss" with an optional "Z" or "+hh:mm";
 * RFC 3339 also allows fractions of a second, which cairo would copy into
 * the PDF unparsed.  Drop them.
 */
int
pdf_text_iso8601(char *buf, size_t len, const char *s)
{
	const char	*zone;

	if (s == NULL || strlen(s) < 20)
		return (-1);
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return (-1);

	zone = s + 19;
	if (*zone == '.') {
		zone++;
		while (isdigit((unsigned char)*zone))
			zone++;
	}
	if (strcmp(zone, "Z") != 0 && strcmp(zone, "z") != 0 &&
	    !(strlen(zone) == 6 && (zone[0] == '+' || zone[0] == '-') &&
	    digits(zone + 1, 2) && zone[3] == ':' && digits(zone + 4, 2)))
		return (-1);

	if ((size_t)snprintf(buf, len, "%.10sT%.8s%s", s, s + 11,
	    (*zone == 'z') ? "Z" : zone) >= len)
		return (-1);

	return (0);
}

static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
	}

	return (1);
}
