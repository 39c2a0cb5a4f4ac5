#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "mime.h"
#include "token.h"

static int	mime_ascii_printable(const char *);
static void	mime_header_text(struct us_buf *, const char *, const char *);
static void	mime_body(struct us_buf *, const char *);
static int	mime_long_lines(const char *);
static void	mime_part(struct us_buf *, const char *, const char *,
		    const char *);
static void	mime_date(struct us_buf *, time_t);
static void	mime_attachment(struct us_buf *, const char *,
		    const struct us_mail *);

/* Extracts addr from "Name <addr>" or a bare address. */
int
us_mime_address(const char *from, char *out, size_t len)
{
	const char	*lt, *gt;
	size_t		 n;

	if ((lt = strrchr(from, '<')) != NULL) {
		if ((gt = strchr(lt, '>')) == NULL)
			return (US_FAIL);
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else
		n = strlen(from);
	if (n == 0 || n >= len || memchr(from, '@', n) == NULL)
		return (US_FAIL);
	memcpy(out, from, n);
	out[n] = '\0';
	return (US_OK);
}

static int
mime_ascii_printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return (0);
	}
	return (1);
}

/*
 * RFC 2047 B-encoding in words of at most 75 characters, each word
 * holding whole UTF-8 characters, folded onto continuation lines that
 * stay within 76 characters.  col is where the first word starts (after
 * "Subject: "); continuation lines start after one space.
 */
void
us_mime_encode_word(struct us_buf *b, const char *s, size_t len, size_t col)
{
	unsigned char	enc[64];
	size_t		i, n, room;
	int		first = 1;

	for (i = 0; i < len; i += n) {
		/* 12 characters of =?UTF-8?B??= around 4 per 3 bytes. */
		room = 76 - (first ? (col < 40 ? col : 40) : 1);
		room = (room > 75 ? 75 : room) - 12;
		room = room / 4 * 3;
		n = len - i > room ? room : len - i;
		while (n > 0 && i + n < len &&
		    ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (n == 0)
			n = len - i > room ? room : len - i;
		EVP_EncodeBlock(enc, (const unsigned char *)s + i, (int)n);
		if (!first)
			us_buf_puts(b, "\r\n ");
		us_buf_appendf(b, "=?UTF-8?B?%s?=", enc);
		first = 0;
	}
}

/*
 * A display name (RFC 5322 phrase) as readers and parsers expect it:
 * plain when it is ASCII words, a quoted string when it holds specials
 * such as a comma or a quote ("Dr. Who, Jr."), RFC 2047 words when it is
 * not ASCII.  Control characters (CR, LF above all) never get through.
 * col is where it starts on its line.
 */
void
us_mime_phrase(struct us_buf *b, const char *s, size_t col)
{
	struct us_buf	 clean;
	const char	*p;

	us_buf_init(&clean);
	for (p = s; *p != '\0'; p++)
		us_buf_putc(&clean, (unsigned char)*p < 0x20 || *p == 0x7f ?
		    ' ' : *p);
	if (clean.len == 0)
		us_buf_puts(b, "\"\"");
	else if (!mime_ascii_printable(clean.data) ||
	    strstr(clean.data, "=?") != NULL || clean.len > 900)
		us_mime_encode_word(b, clean.data, clean.len, col);
	else if (strpbrk(clean.data, "\"\\()<>[]:;@,.") == NULL)
		us_buf_append(b, clean.data, clean.len);
	else {
		us_buf_putc(b, '"');
		for (p = clean.data; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				us_buf_putc(b, '\\');
			us_buf_putc(b, *p);
		}
		us_buf_putc(b, '"');
	}
	us_buf_free(&clean);
}

/* Header text: CR and LF can never reach a header, whatever the input. */
static void
mime_header_text(struct us_buf *b, const char *name, const char *value)
{
	struct us_buf	clean;
	const char	*p;

	us_buf_init(&clean);
	for (p = value; *p != '\0'; p++)
		us_buf_putc(&clean, (*p == '\r' || *p == '\n') ? ' ' : *p);
	us_buf_appendf(b, "%s: ", name);
	if (clean.len > 0 && mime_ascii_printable(clean.data) &&
	    strstr(clean.data, "=?") == NULL && clean.len < 900)
		us_buf_append(b, clean.data, clean.len);
	else if (clean.len > 0)
		us_mime_encode_word(b, clean.data, clean.len,
		    strlen(name) + 2);
	us_buf_puts(b, "\r\n");
	us_buf_free(&clean);
}

static void
mime_date(struct us_buf *b, time_t t)
{
	static const char	*days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				    "Fri", "Sat" };
	static const char	*months[] = { "Jan", "Feb", "Mar", "Apr", "May",
				    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
				    "Dec" };
	struct tm		 tm;

	gmtime_r(&t, &tm);
	us_buf_appendf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
mime_long_lines(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n')
			n = 0;
		else if (++n > 990)
			return (1);
	}
	return (0);
}

/* Body text with every line end as CRLF. */
static void
mime_body(struct us_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			us_buf_puts(b, "\r\n");
		else
			us_buf_putc(b, *s);
	}
	if (b->len < 2 || b->data[b->len - 1] != '\n')
		us_buf_puts(b, "\r\n");
}

/* Quoted-printable (RFC 2045), soft-wrapped before 76 characters. */
void
us_mime_qp(struct us_buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;
	size_t			col = 0;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\r')
			continue;
		if (c == '\n') {
			us_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		if (col >= 72) {
			us_buf_puts(b, "=\r\n");
			col = 0;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    (c == ' ' && s[1] != '\n' && s[1] != '\r' && s[1] != '\0')) {
			us_buf_putc(b, c);
			col++;
		} else {
			us_buf_putc(b, '=');
			us_buf_putc(b, hex[c >> 4]);
			us_buf_putc(b, hex[c & 15]);
			col += 3;
		}
	}
	us_buf_puts(b, "\r\n");
}

static void
mime_part(struct us_buf *b, const char *boundary, const char *type,
    const char *body)
{
	int	qp = mime_long_lines(body);

	us_buf_appendf(b, "--%s\r\n", boundary);
	us_buf_appendf(b, "Content-Type: %s; charset=utf-8\r\n", type);
	us_buf_appendf(b, "Content-Transfer-Encoding: %s\r\n\r\n",
	    qp ? "quoted-printable" : "8bit");
	if (qp)
		us_mime_qp(b, body);
	else
		mime_body(b, body);
}

/*
 * The file after the message's text.  Its name goes as an RFC 2231
 * parameter (UTF-8, percent-encoded), which mail clients read for names
 * in any script.
 */
static void
mime_attachment(struct us_buf *b, const char *boundary,
    const struct us_mail *m)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	us_buf_appendf(b, "--%s\r\n", boundary);
	us_buf_appendf(b, "Content-Type: %s\r\n", m->attach_type);
	us_buf_puts(b, "Content-Transfer-Encoding: base64\r\n");
	us_buf_puts(b, "Content-Disposition: attachment;\r\n"
	    " filename*=utf-8''");
	for (p = (const unsigned char *)m->attach_name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._", *p) != NULL)
			us_buf_putc(b, *p);
		else {
			us_buf_putc(b, '%');
			us_buf_putc(b, hex[*p >> 4]);
			us_buf_putc(b, hex[*p & 15]);
		}
	}
	us_buf_puts(b, "\r\n\r\n");
	mime_body(b, m->attach_b64);
	us_buf_appendf(b, "--%s--\r\n", boundary);
}

int
us_mime_build(const struct us_mail *m, struct us_buf *b,
    char msgid[US_MIME_MSGID_MAX], struct us_error *err)
{
	unsigned char	 rnd[16];
	char		 hex[33], addr[256], boundary[64], mixed[64];
	const char	*lt, *domain;
	struct us_buf	 name;

	if (!us_mime_address(m->from, addr, sizeof(addr)) ||
	    strpbrk(m->from, "\r\n") != NULL || strpbrk(m->to, "\r\n") != NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "mail_address",
		    "bad sender or recipient address"));
	if (!us_random(rnd, sizeof(rnd)))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness"));
	us_hex(rnd, sizeof(rnd), hex);
	domain = strchr(addr, '@') + 1;
	(void)snprintf(msgid, US_MIME_MSGID_MAX, "<%s@%s>", hex, domain);
	(void)snprintf(boundary, sizeof(boundary), "=_us_%s", hex);
	/* Not a prefix of the other: a parser matches boundaries by prefix. */
	(void)snprintf(mixed, sizeof(mixed), "=_um_%s", hex);

	/*
	 * The display name given, else the one of MAIL_FROM; without
	 * either, the bare address.
	 */
	us_buf_init(&name);
	if (m->from_name != NULL)
		us_buf_puts(&name, m->from_name);
	else if ((lt = strrchr(m->from, '<')) != NULL && lt > m->from)
		us_buf_append(&name, m->from, (size_t)(lt - m->from));
	while (name.len > 0 && name.data[name.len - 1] == ' ')
		name.data[--name.len] = '\0';
	us_buf_puts(b, "From: ");
	if (name.len > 0) {
		us_mime_phrase(b, name.data, 6);
		us_buf_appendf(b, " <%s>\r\n", addr);
	} else
		us_buf_appendf(b, "%s\r\n", addr);
	us_buf_free(&name);

	us_buf_appendf(b, "To: %s\r\n", m->to);
	if (m->reply_to != NULL) {
		if (!us_mime_address(m->reply_to, addr, sizeof(addr)) ||
		    strpbrk(m->reply_to, "\r\n") != NULL)
			return (us_error_set(err, US_E_INTERNAL, NULL,
			    "mail_address", "bad Reply-To address"));
		us_buf_appendf(b, "Reply-To: %s\r\n", addr);
	}
	mime_header_text(b, "Subject", m->subject);
	mime_date(b, m->date);
	us_buf_appendf(b, "Message-ID: %s\r\n", msgid);
	us_buf_puts(b, "MIME-Version: 1.0\r\n");
	us_buf_puts(b, "Auto-Submitted: auto-generated\r\n");
	if (m->attach_b64 != NULL) {
		us_buf_appendf(b, "Content-Type: multipart/mixed; "
		    "boundary=\"%s\"\r\n\r\n", mixed);
		us_buf_puts(b, "This is a message in MIME format.\r\n\r\n");
		us_buf_appendf(b, "--%s\r\n", mixed);
	}
	if (m->html == NULL) {
		us_buf_puts(b, "Content-Type: text/plain; charset=utf-8\r\n");
		if (mime_long_lines(m->text)) {
			us_buf_puts(b, "Content-Transfer-Encoding: "
			    "quoted-printable\r\n\r\n");
			us_mime_qp(b, m->text);
		} else {
			us_buf_puts(b, "Content-Transfer-Encoding: 8bit\r\n\r\n");
			mime_body(b, m->text);
		}
	} else {
		us_buf_appendf(b, "Content-Type: multipart/alternative; "
		    "boundary=\"%s\"\r\n\r\n", boundary);
		if (m->attach_b64 == NULL)
			us_buf_puts(b, "This is a message in MIME format."
			    "\r\n\r\n");
		mime_part(b, boundary, "text/plain", m->text);
		mime_part(b, boundary, "text/html", m->html);
		us_buf_appendf(b, "--%s--\r\n", boundary);
	}
	if (m->attach_b64 != NULL)
		mime_attachment(b, mixed, m);
	return (US_OK);
}
