#include <string.h>

#include "act.h"
#include "text.h"

static void	act_enc(struct us_buf *, const char *, size_t);
static size_t	act_enc_len(const char *, size_t);
static size_t	act_cut(const char *, size_t, size_t);

/*
 * RFC 6068 percent-encoding of a header value: every byte but the
 * unreserved ones, and each line break as CRLF (%0D%0A), which is what
 * the RFC asks of a body and what every client reads as one.
 */
static void
act_enc(struct us_buf *b, const char *s, size_t len)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;
	size_t			i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			us_buf_putc(b, c);
		else if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		else if (c == '\n' || c == '\r')
			us_buf_puts(b, "%0D%0A");
		else {
			us_buf_putc(b, '%');
			us_buf_putc(b, hex[c >> 4]);
			us_buf_putc(b, hex[c & 15]);
		}
	}
}

/* How long act_enc() makes the first len bytes of s. */
static size_t
act_enc_len(const char *s, size_t len)
{
	unsigned char	c;
	size_t		i, n = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			n++;
		else if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		else if (c == '\n' || c == '\r')
			n += 6;
		else
			n += 3;
	}
	return (n);
}

/*
 * The longest start of s (len bytes) whose encoding takes at most room
 * bytes, ending where a reader expects a pause: after a paragraph when
 * one ends in the second half of what fits, else after a word, else at
 * a character (never inside a UTF-8 sequence).  Trailing spaces and
 * line breaks are dropped.
 */
static size_t
act_cut(const char *s, size_t len, size_t room)
{
	size_t	i, n = 0, fit = 0, para = 0, word = 0;
	int	step;
	unsigned int cp;

	for (i = 0; i < len; i += (size_t)step) {
		if ((step = us_utf8_decode((const unsigned char *)s + i,
		    len - i, &cp)) <= 0)
			step = 1;
		n += act_enc_len(s + i, (size_t)step);
		if (n > room)
			break;
		fit = i + (size_t)step;
		if (s[i] == '\n' && i > 0 && (s[i - 1] == '\n' ||
		    (s[i - 1] == '\r' && i > 1 && s[i - 2] == '\n')))
			para = i;
		else if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')
			word = i;
	}
	if (fit == len)
		return (len);
	if (para > 0 && para * 2 >= fit)
		fit = para;
	else if (word > 0)
		fit = word;
	while (fit > 0 && (s[fit - 1] == ' ' || s[fit - 1] == '\n' ||
	    s[fit - 1] == '\r' || s[fit - 1] == '\t'))
		fit--;
	return (fit);
}

/*
 * mailto:to?subject=...&body=... into b, at most max bytes.  A body that
 * does not fit is cut (act_cut) and ends with tail instead (e.g. "The
 * full letter is at https://..."), after a blank line.  to is a checked
 * address: only its "@" stays as it is.  Returns 1 when the body was
 * cut, 0 when it went whole (or, with no room left for one, not at all).
 */
int
us_act_mailto(struct us_buf *b, const char *to, const char *subject,
    const char *body, const char *tail, size_t max)
{
	size_t	start = b->len, used, room, keep, blen, tlen;
	const char *at;

	us_buf_puts(b, "mailto:");
	if ((at = strchr(to, '@')) != NULL) {
		act_enc(b, to, (size_t)(at - to));
		us_buf_putc(b, '@');
		act_enc(b, at + 1, strlen(at + 1));
	} else
		act_enc(b, to, strlen(to));
	if (subject != NULL && *subject != '\0') {
		us_buf_puts(b, "?subject=");
		/* A subject is one line; a long one is cut at a word too. */
		keep = act_cut(subject, strlen(subject), max / 4);
		act_enc(b, subject, keep);
	}
	if (body == NULL || *body == '\0')
		return (0);
	used = b->len - start + strlen(subject != NULL && *subject != '\0' ?
	    "&body=" : "?body=");
	if (used >= max)
		return (0);
	room = max - used;
	blen = strlen(body);
	us_buf_puts(b, subject != NULL && *subject != '\0' ? "&body=" :
	    "?body=");
	if (act_enc_len(body, blen) <= room) {
		act_enc(b, body, blen);
		return (0);
	}
	tlen = tail != NULL ? act_enc_len(tail, strlen(tail)) + 12 : 0;
	if (tlen >= room)
		tlen = 0;
	keep = act_cut(body, blen, room - tlen);
	act_enc(b, body, keep);
	if (keep > 0 && tlen > 0)
		us_buf_puts(b, "%0D%0A%0D%0A");
	if (tlen > 0)
		act_enc(b, tail, strlen(tail));
	return (1);
}

/*
 * A tel: or fax: link (scheme "tel" or "fax") for the first number in
 * what a coordinator typed ("+996 (312) 62-50-36, ext. 2" dials
 * +996312625036): a leading "+" and the digits, up to the first letter
 * or separator of a second number.  0 (nothing written) without at
 * least three digits.
 */
int
us_act_tel(struct us_buf *b, const char *scheme, const char *number)
{
	struct us_buf	n;
	const char	*p;
	size_t		digits = 0;

	us_buf_init(&n);
	for (p = number; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			us_buf_putc(&n, *p);
			digits++;
		} else if (*p == '+' && n.len == 0)
			us_buf_putc(&n, '+');
		else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' ||
		    *p == ')')
			continue;
		else if (digits > 0)
			break;
	}
	if (digits < 3) {
		us_buf_free(&n);
		return (0);
	}
	us_buf_puts(b, scheme);
	us_buf_putc(b, ':');
	us_buf_append(b, n.data, n.len);
	us_buf_free(&n);
	return (1);
}

/*
 * The address of a social profile in what a coordinator typed ("Twitter:
 * https://x.com/president_kg"): the first https:// or http:// word,
 * whose bytes outside printable ASCII and the characters that would
 * end an HTML attribute or start another scheme are percent-encoded.
 * 0 when there is none: a bare "@handle" names no network to link to.
 */
int
us_act_social_url(struct us_buf *b, const char *social)
{
	static const char	hex[] = "0123456789ABCDEF";
	const char		*p, *s;
	unsigned char		 c;

	for (p = social; *p != '\0'; p++) {
		if ((p == social || p[-1] == ' ' || p[-1] == '\n' ||
		    p[-1] == '\t' || p[-1] == ':' || p[-1] == '(') &&
		    (strncmp(p, "https://", 8) == 0 ||
		    strncmp(p, "http://", 7) == 0))
			break;
	}
	if (*p == '\0')
		return (0);
	s = p + (p[4] == 's' ? 8 : 7);
	if (*s == '\0' || *s == ' ' || *s == '/' || *s == '\n')
		return (0);
	for (; *p != '\0' && *p != ' ' && *p != '\n' && *p != '\r' &&
	    *p != '\t'; p++) {
		c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '<' || c == '>' || c == '\\' || c == '`') {
			us_buf_putc(b, '%');
			us_buf_putc(b, hex[c >> 4]);
			us_buf_putc(b, hex[c & 15]);
		} else
			us_buf_putc(b, c);
	}
	/* A closing bracket or stop after the address is the sentence's. */
	while (b->len > 0 && (b->data[b->len - 1] == ')' ||
	    b->data[b->len - 1] == '.' || b->data[b->len - 1] == ','))
		b->len--;
	b->data[b->len] = '\0';
	return (1);
}
