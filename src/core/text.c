#include <string.h>

#include "buf.h"
#include "text.h"

static int	text_is_space(unsigned int);
static int	text_is_control(unsigned int, int);
static int	text_is_bidi_control(unsigned int);

/*
 * Decodes one UTF-8 sequence; returns its length or 0 when it is not a
 * shortest-form encoding of a Unicode scalar value (overlongs, surrogates
 * and values past U+10FFFF are all refused).
 */
int
us_utf8_decode(const unsigned char *s, size_t len, unsigned int *cp)
{
	unsigned int	c;
	int		n, i;

	if (len == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if ((size_t)n > len)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

size_t
us_utf8_chars(const char *s)
{
	size_t	n;

	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Bytes in the longest prefix of s holding at most max characters. */
size_t
us_utf8_prefix(const char *s, size_t max)
{
	size_t	i, n;

	for (i = 0, n = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == max)
				break;
			n++;
		}
	}
	return (i);
}

static int
text_is_space(unsigned int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == 0xa0 || c == 0x2007 || c == 0x202f || c == 0x3000 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0xfeff);
}

static int
text_is_control(unsigned int c, int flags)
{
	if ((flags & US_TEXT_MULTILINE) && (c == '\n' || c == '\t'))
		return (0);
	/* C0, DEL, C1, and the line/paragraph separators that break lines. */
	return (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
	    c == 0x2029 || c == 0xfffe || c == 0xffff);
}

/*
 * The explicit embeddings, overrides (U+202A..U+202E) and isolates
 * (U+2066..U+2069): in a name they make what a reader sees differ from
 * what is stored ("evil\u202Efdp.exe" shows as "evilexe.pdf"), and an
 * unclosed one reorders the text around it on the page, in the PDF, in
 * the export.  The marks (U+200E, U+200F, U+061C) only set the direction
 * of neutral characters and right-to-left names need them, so they stay.
 */
static int
text_is_bidi_control(unsigned int c)
{
	return ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
}

/*
 * Validates and cleans one value.  On success *out is a new string
 * (trimmed, CR LF and lone CR turned into LF in multi-line text) and
 * *chars its length in characters.
 */
enum us_text_verdict
us_text_clean(const char *in, size_t len, int flags, char **out,
    size_t *chars)
{
	const unsigned char	*s = (const unsigned char *)in;
	struct us_buf		 b;
	size_t			 i, start, end, n;
	unsigned int		 cp;
	int			 k;

	*out = NULL;
	us_buf_init(&b);
	for (i = 0; i < len; i += (size_t)k) {
		if ((k = us_utf8_decode(s + i, len - i, &cp)) == 0) {
			us_buf_free(&b);
			return (US_TEXT_BAD_UTF8);
		}
		if (cp == '\r' && (flags & US_TEXT_MULTILINE)) {
			if (i + 1 < len && s[i + 1] == '\n')
				continue;
			us_buf_putc(&b, '\n');
			continue;
		}
		if (text_is_control(cp, flags)) {
			us_buf_free(&b);
			return (US_TEXT_CONTROL);
		}
		if (!(flags & US_TEXT_MULTILINE) && text_is_bidi_control(cp)) {
			us_buf_free(&b);
			return (US_TEXT_BIDI);
		}
		us_buf_append(&b, s + i, (size_t)k);
	}

	/* Trim white space (including no-break and ideographic) at both ends. */
	start = 0;
	end = b.len;
	while (start < end &&
	    (k = us_utf8_decode((unsigned char *)b.data + start,
	    end - start, &cp)) > 0 && text_is_space(cp))
		start += (size_t)k;
	while (end > start) {
		n = end - 1;
		while (n > start && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		if (us_utf8_decode((unsigned char *)b.data + n, end - n,
		    &cp) == 0 || !text_is_space(cp))
			break;
		end = n;
	}

	*out = us_strndup(b.data != NULL ? b.data + start : "", end - start);
	*chars = us_utf8_chars(*out);
	us_buf_free(&b);
	return (US_TEXT_OK);
}
