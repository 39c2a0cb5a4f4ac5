#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "text.h"

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
 * White space as people paste it: ASCII, no-break spaces, the typographic
 * spaces of U+2000..U+200A, narrow no-break, ideographic, and a BOM that
 * word processors leave in the middle of text.
 */
int
us_text_is_space(unsigned int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == 0xa0 || c == 0x202f || c == 0x3000 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0xfeff);
}

/* Bytes of the white space character at s (not a line end), or 0. */
size_t
us_text_space_len(const char *s)
{
	unsigned int	cp;
	int		k;

	if (*s == '\0' || *s == '\n' || *s == '\r')
		return (0);
	if ((k = us_utf8_decode((const unsigned char *)s, strnlen(s, 4),
	    &cp)) == 0 || !us_text_is_space(cp))
		return (0);
	return ((size_t)k);
}

/* Bytes of the white space character that ends at end, or 0. */
size_t
us_text_space_before(const char *start, const char *end)
{
	size_t	n;

	for (n = 1; n <= 3 && (size_t)(end - start) >= n; n++) {
		if (((unsigned char)end[-(ptrdiff_t)n] & 0xc0) == 0x80)
			continue;
		return (us_text_space_len(end - n) == n ? n : 0);
	}
	return (0);
}

/*
 * Simple (one to one) lower-case mapping for the scripts our users
 * write country and column names in: ASCII, Latin-1, Latin Extended-A
 * (and the regular pairs of Extended-B), Greek and Cyrillic, as in
 * UnicodeData.txt.  Anything else is returned unchanged.
 */
unsigned int
us_text_lower_cp(unsigned int c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z' ? c + 32 : c);
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return (c + 32);
	if (c >= 0x100 && c <= 0x17f) {
		if (c == 0x130)		/* dotted capital I */
			return ('i');
		if (c == 0x178)		/* Y with diaeresis */
			return (0xff);
		if ((c <= 0x137) || (c >= 0x14a && c <= 0x177))
			return (c % 2 == 0 ? c + 1 : c);
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return (c % 2 == 1 ? c + 1 : c);
		return (c);
	}
	/* Of Latin Extended-B, the regular pairs (Romanian ș, ț) and Ə. */
	if (c >= 0x180 && c <= 0x24f) {
		if (c == 0x18f)
			return (0x259);
		if (c >= 0x1cd && c <= 0x1dc)
			return (c % 2 == 1 ? c + 1 : c);
		if ((c >= 0x1de && c <= 0x1ef) || (c >= 0x1f8 && c <= 0x21f) ||
		    (c >= 0x222 && c <= 0x233) || (c >= 0x246 && c <= 0x24f))
			return (c % 2 == 0 ? c + 1 : c);
		return (c);
	}
	if (c >= 0x370 && c <= 0x3ff) {
		if (c == 0x370 || c == 0x372 || c == 0x376)
			return (c + 1);
		if (c == 0x37f)
			return (0x3f3);
		if (c == 0x386)
			return (0x3ac);
		if (c >= 0x388 && c <= 0x38a)
			return (c + 37);
		if (c == 0x38c)
			return (0x3cc);
		if (c == 0x38e || c == 0x38f)
			return (c + 63);
		if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
			return (c + 32);
		if (c == 0x3cf)
			return (0x3d7);
		if (c >= 0x3d8 && c <= 0x3ef)
			return (c % 2 == 0 ? c + 1 : c);
		if (c == 0x3f4)
			return (0x3b8);
		if (c == 0x3f7 || c == 0x3fa)
			return (c + 1);
		if (c == 0x3f9)
			return (0x3f2);
		if (c >= 0x3fd)
			return (c - 130);
		return (c);
	}
	if (c >= 0x400 && c <= 0x52f) {
		if (c <= 0x40f)
			return (c + 80);
		if (c <= 0x42f)
			return (c + 32);
		if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
		    c >= 0x4d0)
			return (c % 2 == 0 ? c + 1 : c);
		if (c == 0x4c0)
			return (0x4cf);
		if (c >= 0x4c1 && c <= 0x4ce)
			return (c % 2 == 1 ? c + 1 : c);
	}
	return (c);
}

/*
 * Capital and small letters of the scripts us_text_lower_cp knows: a
 * capital has a different small form; a small letter is the small form
 * of some capital (found through the offsets the mapping uses), or one
 * of the few with no capital of their own.
 */
int
us_text_is_upper(unsigned int c)
{
	return (us_text_lower_cp(c) != c);
}

int
us_text_is_lower(unsigned int c)
{
	static const int	off[] = {
		1, -1, 8, 15, 32, 37, 38, 63, 64, 80, 116, 202, -7, -60,
		-121, -130,
	};
	size_t			i;

	if (c == 0xdf || c == 0x3c2 || c == 0x138 || c == 0x149)
		return (1);	/* ß, final sigma, kra, 'n */
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		if ((int)c - off[i] > 0 &&
		    us_text_lower_cp((unsigned int)((int)c - off[i])) == c &&
		    (unsigned int)((int)c - off[i]) != c)
			return (1);
	}
	return (c == 'i');
}

/* Appends c encoded as UTF-8. */
void
us_utf8_put(struct us_buf *b, unsigned int c)
{
	unsigned char	u[4];
	size_t		n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	us_buf_append(b, u, n);
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
	    end - start, &cp)) > 0 && us_text_is_space(cp))
		start += (size_t)k;
	while (end > start) {
		n = end - 1;
		while (n > start && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		if (us_utf8_decode((unsigned char *)b.data + n, end - n,
		    &cp) == 0 || !us_text_is_space(cp))
			break;
		end = n;
	}

	*out = us_strndup(b.data != NULL ? b.data + start : "", end - start);
	*chars = us_utf8_chars(*out);
	us_buf_free(&b);
	return (US_TEXT_OK);
}
