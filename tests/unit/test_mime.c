/*
 * us_mime: the messages the mail sender hands to SMTP.
 */
#include "helpers.h"

#include <openssl/evp.h>

#include "core/mime.h"
#include "core/text.h"

#define DATE		1772874303	/* Sat, 07 Mar 2026 09:05:03 UTC */
#define FROM		"Coalition <noreply@example.org>"
#define TO		"ann@example.org"
#define LINK		"https://sign.example.org/verify?token=" \
			"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE" \
			"&statement=free-civil-society-2026"
#define RU_SUBJECT	"Подтвердите подпись под заявлением «Свободу " \
			"гражданскому обществу» — срочно ქართ 😀 конец"

static void	 mail_init(struct us_mail *);
static void	 build(const struct us_mail *, struct us_buf *,
		    char [US_MIME_MSGID_MAX]);
static char	*header(const char *, const char *);
static size_t	 decode_words(const char *, struct us_buf *);
static void	 qp_decode(const char *, size_t, struct us_buf *);
static int	 valid_utf8(const char *, size_t);
static void	 assert_crlf_only(const char *, size_t);
static size_t	 longest_line(const char *, size_t);
static int	 hexdigit(int);

static void
mail_init(struct us_mail *m)
{
	memset(m, 0, sizeof(*m));
	m->from = FROM;
	m->to = TO;
	m->subject = "Please confirm your signature";
	m->text = "Hello,\n\nPlease confirm:\n" LINK "\n";
	m->html = "<p>Hello,</p>\n<p><a href=\"" LINK "\">Confirm</a></p>\n";
	m->date = DATE;
}

static void
build(const struct us_mail *m, struct us_buf *b, char msgid[US_MIME_MSGID_MAX])
{
	struct us_error	e;

	us_buf_init(b);
	us_error_clear(&e);
	if (us_mime_build(m, b, msgid, &e) != US_OK)
		fail_msg("us_mime_build: %s", e.message);
	assert_non_null(b->data);
}

/*
 * The raw value of header name in the header block of msg, folds and
 * all; NULL when absent.  The caller frees it.
 */
static char *
header(const char *msg, const char *name)
{
	const char	*end, *p, *v;
	size_t		 n;

	end = strstr(msg, "\r\n\r\n");
	assert_non_null(end);
	n = strlen(name);
	for (p = msg; p < end; p = strstr(p, "\r\n") + 2) {
		if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ')
			break;
	}
	if (p >= end)
		return (NULL);
	v = p + n + 2;
	for (p = v; !(p[0] == '\r' && p[1] == '\n' && p[2] != ' ' &&
	    p[2] != '\t'); p++)
		;
	return (strndup(v, (size_t)(p - v)));
}

/*
 * Decodes a header value made only of RFC 2047 B-encoded UTF-8 words,
 * checking each one's length and that it holds whole characters.
 * Returns the number of words.
 */
static size_t
decode_words(const char *v, struct us_buf *out)
{
	unsigned char	 raw[128];
	const char	*p, *q;
	size_t		 words = 0, len;
	int		 n;

	for (p = v; *p != '\0'; p = q + 2) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		if (strncmp(p, "=?UTF-8?B?", 10) != 0)
			fail_msg("not an encoded word: %s", p);
		q = strstr(p + 10, "?=");
		assert_non_null(q);
		if (q + 2 - p > 75)
			fail_msg("encoded word of %d characters",
			    (int)(q + 2 - p));
		len = (size_t)(q - p - 10);
		assert_true(len % 4 == 0 && len / 4 * 3 <= sizeof(raw));
		n = EVP_DecodeBlock(raw, (const unsigned char *)p + 10,
		    (int)len);
		assert_true(n >= 0);
		/* EVP_DecodeBlock counts the padding as zero bytes. */
		if (len > 0 && q[-1] == '=')
			n--;
		if (len > 1 && q[-2] == '=')
			n--;
		if (!valid_utf8((const char *)raw, (size_t)n))
			fail_msg("word %zu splits a UTF-8 character", words);
		us_buf_append(out, raw, (size_t)n);
		words++;
	}
	return (words);
}

/* RFC 2045 quoted-printable back to text with LF line ends. */
static void
qp_decode(const char *s, size_t len, struct us_buf *out)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '=' && i + 2 < len && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=') {
			assert_true(i + 2 < len);
			assert_true(hexdigit(s[i + 1]) >= 0 &&
			    hexdigit(s[i + 2]) >= 0);
			us_buf_putc(out, hexdigit(s[i + 1]) * 16 +
			    hexdigit(s[i + 2]));
			i += 2;
		} else if (s[i] == '\r') {
			assert_true(i + 1 < len && s[i + 1] == '\n');
		} else
			us_buf_putc(out, s[i]);
	}
}

static int
hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

static int
valid_utf8(const char *s, size_t len)
{
	unsigned int	cp;
	size_t		i;
	int		k;

	for (i = 0; i < len; i += (size_t)k) {
		if ((k = us_utf8_decode((const unsigned char *)s + i, len - i,
		    &cp)) == 0)
			return (0);
	}
	return (1);
}

/* Every CR is followed by LF and every LF preceded by CR. */
static void
assert_crlf_only(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			fail_msg("bare CR at offset %zu", i);
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			fail_msg("bare LF at offset %zu", i);
	}
}

/* Octets in the longest line, not counting its CRLF. */
static size_t
longest_line(const char *s, size_t len)
{
	size_t	i, n = 0, max = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			n = 0;
		else if (++n > max)
			max = n;
	}
	return (max);
}

static void
test_mime_uses_crlf_everywhere(void **state)
{
	struct us_mail	m;
	struct us_buf	b;
	char		id[US_MIME_MSGID_MAX];

	(void)state;
	mail_init(&m);
	m.text = "one\ntwo\r\nthree\n\nfour";
	m.html = "<p>one</p>\r\n<p>two</p>\n";
	build(&m, &b, id);
	assert_crlf_only(b.data, b.len);
	assert_non_null(strstr(b.data, "\r\n\r\none\r\ntwo\r\nthree\r\n\r\n"
	    "four\r\n--"));
	us_buf_free(&b);
}

static void
test_mime_writes_required_headers(void **state)
{
	static const char	 want[] =
	    "From: Coalition <noreply@example.org>\r\n"
	    "To: ann@example.org\r\n"
	    "Subject: Please confirm your signature\r\n"
	    "Date: Sat, 07 Mar 2026 09:05:03 +0000\r\n";
	struct us_mail	 m;
	struct us_buf	 b;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	build(&m, &b, id);
	assert_true(b.len > sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want) - 1);
	v = header(b.data, "Message-ID");
	assert_non_null(v);
	assert_string_equal(v, id);
	free(v);
	v = header(b.data, "MIME-Version");
	assert_string_equal(v, "1.0");
	free(v);
	v = header(b.data, "Auto-Submitted");
	assert_string_equal(v, "auto-generated");
	free(v);
	us_buf_free(&b);
}

static void
test_mime_message_id_is_random_at_sender_domain(void **state)
{
	struct us_mail	m;
	struct us_buf	a, b;
	char		ida[US_MIME_MSGID_MAX], idb[US_MIME_MSGID_MAX];

	(void)state;
	mail_init(&m);
	build(&m, &a, ida);
	build(&m, &b, idb);
	assert_int_equal(strlen(ida), 1 + 32 + strlen("@example.org>"));
	assert_int_equal(ida[0], '<');
	assert_int_equal(strspn(ida + 1, "0123456789abcdef"), 32);
	assert_string_equal(ida + 33, "@example.org>");
	assert_string_not_equal(ida, idb);
	us_buf_free(&a);
	us_buf_free(&b);
}

static void
test_mime_builds_multipart_alternative(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, want;
	char		 id[US_MIME_MSGID_MAX], hex[33];
	const char	*body;

	(void)state;
	mail_init(&m);
	m.text = "Text\n";
	m.html = "<p>HTML</p>";
	build(&m, &b, id);
	memcpy(hex, id + 1, 32);
	hex[32] = '\0';
	us_buf_init(&want);
	us_buf_appendf(&want, "Content-Type: multipart/alternative; "
	    "boundary=\"=_us_%s\"\r\n\r\n"
	    "This is a message in MIME format.\r\n\r\n"
	    "--=_us_%s\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "Text\r\n"
	    "--=_us_%s\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "<p>HTML</p>\r\n"
	    "--=_us_%s--\r\n", hex, hex, hex, hex);
	body = strstr(b.data, "Content-Type: multipart/");
	assert_non_null(body);
	assert_string_equal(body, want.data);
	us_buf_free(&want);
	us_buf_free(&b);
}

static void
test_mime_text_only_message_has_single_part(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	char		 id[US_MIME_MSGID_MAX];
	const char	*body;

	(void)state;
	mail_init(&m);
	m.html = NULL;
	m.text = "Только текст.\nВторая строка";
	build(&m, &b, id);
	assert_null(strstr(b.data, "multipart"));
	body = strstr(b.data, "Content-Type:");
	assert_non_null(body);
	assert_string_equal(body, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "Только текст.\r\nВторая строка\r\n");
	us_buf_free(&b);
}

static void
test_mime_keeps_link_on_one_line(void **state)
{
	struct us_mail	m;
	struct us_buf	b;
	char		id[US_MIME_MSGID_MAX];

	(void)state;
	mail_init(&m);
	assert_true(strlen(LINK) > 76);
	build(&m, &b, id);
	assert_non_null(strstr(b.data, "\r\n" LINK "\r\n"));
	assert_non_null(strstr(b.data, "<a href=\"" LINK "\">"));
	assert_null(strstr(b.data, "quoted-printable"));
	us_buf_free(&b);
}

static void
test_mime_ascii_subject_left_plain(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	m.subject = "Signature confirmed: \"Free civil society\" (2026)";
	build(&m, &b, id);
	v = header(b.data, "Subject");
	assert_string_equal(v, m.subject);
	free(v);
	us_buf_free(&b);
}

static void
test_mime_encodes_non_ascii_subject_in_whole_characters(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, dec;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	m.subject = RU_SUBJECT;
	build(&m, &b, id);
	assert_crlf_only(b.data, b.len);
	v = header(b.data, "Subject");
	assert_non_null(v);
	us_buf_init(&dec);
	assert_true(decode_words(v, &dec) > 2);
	assert_string_equal(dec.data, RU_SUBJECT);
	assert_null(strchr(v, '\xd0'));
	free(v);
	us_buf_free(&dec);
	us_buf_free(&b);
}

static void
test_mime_encodes_short_non_ascii_subject_in_one_word(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	m.subject = "Café";
	build(&m, &b, id);
	v = header(b.data, "Subject");
	assert_string_equal(v, "=?UTF-8?B?Q2Fmw6k=?=");
	free(v);
	us_buf_free(&b);
}

static void
test_mime_subject_crlf_cannot_inject_headers(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, dec;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	m.subject = "Hello\r\nBcc: evil@example.com\nX-Evil: 1";
	build(&m, &b, id);
	assert_null(strstr(b.data, "\r\nBcc:"));
	assert_null(strstr(b.data, "\r\nX-Evil:"));
	v = header(b.data, "Subject");
	assert_string_equal(v, "Hello  Bcc: evil@example.com X-Evil: 1");
	free(v);
	us_buf_free(&b);

	m.subject = "Привет\r\nBcc: evil@example.com";
	build(&m, &b, id);
	assert_null(strstr(b.data, "\r\nBcc:"));
	v = header(b.data, "Subject");
	us_buf_init(&dec);
	(void)decode_words(v, &dec);
	assert_string_equal(dec.data, "Привет  Bcc: evil@example.com");
	free(v);
	us_buf_free(&dec);
	us_buf_free(&b);
}

static void
test_mime_encodes_non_ascii_display_name(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, dec;
	char		 id[US_MIME_MSGID_MAX];
	char		*v, *lt;

	(void)state;
	mail_init(&m);
	m.from = "Коалиция «За свободу» <noreply@example.org>";
	build(&m, &b, id);
	v = header(b.data, "From");
	assert_non_null(v);
	lt = strrchr(v, '<');
	assert_non_null(lt);
	assert_string_equal(lt, "<noreply@example.org>");
	assert_int_equal(lt[-1], ' ');
	lt[-1] = '\0';
	us_buf_init(&dec);
	assert_int_equal(decode_words(v, &dec), 1);
	assert_string_equal(dec.data, "Коалиция «За свободу»");
	free(v);
	us_buf_free(&dec);
	us_buf_free(&b);
}

static void
test_mime_encodes_display_name_with_specials(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	char		 id[US_MIME_MSGID_MAX];
	char		*v;

	(void)state;
	mail_init(&m);
	m.from = "Dr. Who <who@example.org>";
	build(&m, &b, id);
	v = header(b.data, "From");
	assert_string_equal(v, "\"Dr. Who\" <who@example.org>");
	free(v);
	us_buf_free(&b);

	m.from = "who@example.org";
	build(&m, &b, id);
	v = header(b.data, "From");
	assert_string_equal(v, "who@example.org");
	free(v);
	us_buf_free(&b);
}

/*
 * A statement's mail names its coordinating organisation as the sender:
 * commas and quotes are quoted, Cyrillic is RFC 2047, the address stays
 * MAIL_FROM's, and nothing in the name can start a header.
 */
static void
test_mime_from_name_replaces_display_name(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, dec;
	char		 id[US_MIME_MSGID_MAX];
	char		*v, *lt;

	(void)state;
	mail_init(&m);
	m.from_name = "Human Rights House Foundation (HRHF), \"Norway\" via "
	    "undersigned";
	build(&m, &b, id);
	v = header(b.data, "From");
	assert_string_equal(v, "\"Human Rights House Foundation (HRHF), "
	    "\\\"Norway\\\" via undersigned\" <noreply@example.org>");
	free(v);
	us_buf_free(&b);

	m.from_name = "Общественный фонд «Правовой ключ», Бишкек via "
	    "Коалиция";
	build(&m, &b, id);
	v = header(b.data, "From");
	lt = strrchr(v, '<');
	assert_non_null(lt);
	assert_string_equal(lt, "<noreply@example.org>");
	lt[-1] = '\0';
	us_buf_init(&dec);
	assert_true(decode_words(v, &dec) >= 1);
	assert_string_equal(dec.data, m.from_name);
	assert_null(strchr(v, ','));
	free(v);
	us_buf_free(&dec);
	us_buf_free(&b);

	m.from_name = "Evil\r\nBcc: victim@example.com";
	build(&m, &b, id);
	assert_null(strstr(b.data, "\r\nBcc:"));
	v = header(b.data, "From");
	assert_string_equal(v, "\"Evil  Bcc: victim@example.com\" "
	    "<noreply@example.org>");
	free(v);
	us_buf_free(&b);

	m.from_name = "Plain Name";
	build(&m, &b, id);
	v = header(b.data, "From");
	assert_string_equal(v, "Plain Name <noreply@example.org>");
	free(v);
	us_buf_free(&b);
}

static void
test_mime_falls_back_to_quoted_printable_for_long_lines(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, text, dec;
	char		 id[US_MIME_MSGID_MAX];
	const char	*start, *end;
	int		 i;

	(void)state;
	us_buf_init(&text);
	us_buf_puts(&text, "Intro\n");
	for (i = 0; i < 40; i++)
		us_buf_puts(&text, "Ünïcödé = 100% «ok»\t");
	us_buf_puts(&text, "end \nLast line\n");
	assert_true(text.len > 998);
	mail_init(&m);
	m.text = text.data;
	build(&m, &b, id);
	assert_crlf_only(b.data, b.len);
	assert_true(longest_line(b.data, b.len) <= 998);

	start = strstr(b.data, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	assert_non_null(start);
	start = strstr(start, "\r\n\r\n") + 4;
	end = strstr(start, "\r\n--=_us_");
	assert_non_null(end);
	assert_true(longest_line(start, (size_t)(end - start)) <= 76);
	us_buf_init(&dec);
	qp_decode(start, (size_t)(end - start), &dec);
	assert_string_equal(dec.data, text.data);
	/* The short HTML part is still 8bit. */
	assert_non_null(strstr(b.data, "Content-Type: text/html; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"));
	us_buf_free(&dec);
	us_buf_free(&text);
	us_buf_free(&b);
}

static void
test_mime_qp_encodes_specials_and_trailing_space(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_mime_qp(&b, "a=b é\tx \ny\t\nlast ");
	assert_string_equal(b.data, "a=3Db =C3=A9=09x=20\r\ny=09\r\n"
	    "last=20\r\n");
	us_buf_free(&b);
}

static void
test_mime_qp_soft_wraps_before_77_characters(void **state)
{
	struct us_buf	b, dec;
	char		line[301];

	(void)state;
	memset(line, 'x', 300);
	line[300] = '\0';
	us_buf_init(&b);
	us_mime_qp(&b, line);
	assert_true(longest_line(b.data, b.len) <= 76);
	assert_non_null(strstr(b.data, "=\r\n"));
	/* The encoder ends the last line with a CRLF of its own. */
	us_buf_init(&dec);
	qp_decode(b.data, b.len, &dec);
	assert_int_equal(dec.len, 301);
	assert_memory_equal(dec.data, line, 300);
	assert_int_equal(dec.data[300], '\n');
	us_buf_free(&dec);
	us_buf_free(&b);
}

static void
test_mime_refuses_crlf_in_recipient(void **state)
{
	struct us_mail	m;
	struct us_buf	b;
	struct us_error	e;
	char		id[US_MIME_MSGID_MAX];

	(void)state;
	mail_init(&m);
	m.to = "ann@example.org\r\nBcc: evil@example.com";
	us_buf_init(&b);
	us_error_clear(&e);
	assert_int_equal(us_mime_build(&m, &b, id, &e), US_FAIL);
	assert_string_equal(e.code, "mail_address");
	m.to = "ann@example.org\nBcc: evil@example.com";
	assert_int_equal(us_mime_build(&m, &b, id, &e), US_FAIL);
	mail_init(&m);
	m.from = "Nobody <nobody>";
	assert_int_equal(us_mime_build(&m, &b, id, &e), US_FAIL);
	mail_init(&m);
	m.from = "x <a@b.org\r\nBcc: evil@example.com>";
	assert_int_equal(us_mime_build(&m, &b, id, &e), US_FAIL);
	assert_null(strstr(b.data != NULL ? b.data : "", "Bcc:"));
	us_buf_free(&b);
}

/* RFC 2047: a line holding an encoded word is at most 76 characters. */
static void
test_mime_encoded_subject_lines_fit_76_characters(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b, words;
	char		 id[US_MIME_MSGID_MAX];
	char		*subj;
	const char	*p, *eol;

	(void)state;
	mail_init(&m);
	m.subject = "Подтвердите подпись: Совместное заявление о защите "
	    "гражданского пространства — «отзовите законопроект»";
	build(&m, &b, id);
	subj = header(b.data, "Subject");
	assert_non_null(subj);
	for (p = b.data; (eol = strstr(p, "\r\n")) != NULL && eol != p;
	    p = eol + 2) {
		if (strncmp(p, "Subject:", 8) == 0 || (p[0] == ' ' &&
		    strstr(p, "=?UTF-8?B?") == p + 1))
			assert_true(eol - p <= 76);
	}
	us_buf_init(&words);
	decode_words(subj, &words);
	assert_string_equal(words.data, m.subject);
	us_buf_free(&words);
	free(subj);
	us_buf_free(&b);
}

static void
test_mime_address_extracts_addr(void **state)
{
	char	out[64];

	(void)state;
	assert_int_equal(us_mime_address("Name <a@example.org>", out,
	    sizeof(out)), US_OK);
	assert_string_equal(out, "a@example.org");
	assert_int_equal(us_mime_address("a@example.org", out, sizeof(out)),
	    US_OK);
	assert_string_equal(out, "a@example.org");
	assert_int_equal(us_mime_address("\"A <x>\" <b@example.org>", out,
	    sizeof(out)), US_OK);
	assert_string_equal(out, "b@example.org");
}

static void
test_mime_address_rejects_malformed(void **state)
{
	char	out[16];

	(void)state;
	assert_int_equal(us_mime_address("Name <a@example.org", out,
	    sizeof(out)), US_FAIL);
	assert_int_equal(us_mime_address("Name <>", out, sizeof(out)),
	    US_FAIL);
	assert_int_equal(us_mime_address("Name <nobody>", out, sizeof(out)),
	    US_FAIL);
	assert_int_equal(us_mime_address("", out, sizeof(out)), US_FAIL);
	/* 15 characters fit in 16 bytes, 16 do not. */
	assert_int_equal(us_mime_address("<abcdefghij@x.or>", out,
	    sizeof(out)), US_OK);
	assert_string_equal(out, "abcdefghij@x.or");
	assert_int_equal(us_mime_address("<abcdefghijk@x.or>", out,
	    sizeof(out)), US_FAIL);
}

static void
test_mime_attachment_follows_text_in_multipart_mixed(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	char		 msgid[US_MIME_MSGID_MAX], *h;
	const char	*alt, *att, *end;

	(void)state;
	mail_init(&m);
	m.reply_to = "Coordinator <coord@example.org>";
	m.attach_name = "письмо.pdf";
	m.attach_type = "application/pdf";
	m.attach_b64 = "JVBERi0xLjQK\nJSVFT0YK\n";
	build(&m, &b, msgid);
	assert_crlf_only(b.data, b.len);
	h = header(b.data, "Reply-To");
	assert_non_null(h);
	assert_string_equal(h, "coord@example.org");
	free(h);
	h = header(b.data, "Content-Type");
	assert_non_null(h);
	assert_non_null(strstr(h, "multipart/mixed; boundary=\"=_um_"));
	free(h);
	alt = strstr(b.data, "Content-Type: multipart/alternative");
	att = strstr(b.data, "Content-Type: application/pdf");
	assert_non_null(alt);
	assert_non_null(att);
	assert_true(alt < att);
	assert_non_null(strstr(att, "Content-Transfer-Encoding: base64\r\n"));
	assert_non_null(strstr(att, "filename*=utf-8''%D0%BF%D0%B8%D1%81%D1%8C"
	    "%D0%BC%D0%BE.pdf\r\n\r\nJVBERi0xLjQK\r\nJSVFT0YK\r\n--=_um_"));
	end = b.data + b.len - 4;
	assert_memory_equal(end, "--\r\n", 4);
	us_buf_free(&b);
}

static void
test_mime_refuses_crlf_in_reply_to(void **state)
{
	struct us_mail	 m;
	struct us_buf	 b;
	struct us_error	 e;
	char		 msgid[US_MIME_MSGID_MAX];

	(void)state;
	mail_init(&m);
	m.reply_to = "coord@example.org\r\nBcc: x@example.org";
	us_buf_init(&b);
	us_error_clear(&e);
	assert_int_equal(us_mime_build(&m, &b, msgid, &e), US_FAIL);
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_mime_uses_crlf_everywhere),
		cmocka_unit_test(test_mime_writes_required_headers),
		cmocka_unit_test(test_mime_message_id_is_random_at_sender_domain),
		cmocka_unit_test(test_mime_builds_multipart_alternative),
		cmocka_unit_test(test_mime_text_only_message_has_single_part),
		cmocka_unit_test(test_mime_keeps_link_on_one_line),
		cmocka_unit_test(test_mime_ascii_subject_left_plain),
		cmocka_unit_test(
		    test_mime_encodes_non_ascii_subject_in_whole_characters),
		cmocka_unit_test(
		    test_mime_encodes_short_non_ascii_subject_in_one_word),
		cmocka_unit_test(test_mime_subject_crlf_cannot_inject_headers),
		cmocka_unit_test(test_mime_encodes_non_ascii_display_name),
		cmocka_unit_test(test_mime_encodes_display_name_with_specials),
		cmocka_unit_test(test_mime_from_name_replaces_display_name),
		cmocka_unit_test(
		    test_mime_falls_back_to_quoted_printable_for_long_lines),
		cmocka_unit_test(
		    test_mime_qp_encodes_specials_and_trailing_space),
		cmocka_unit_test(test_mime_qp_soft_wraps_before_77_characters),
		cmocka_unit_test(test_mime_refuses_crlf_in_recipient),
		cmocka_unit_test(
		    test_mime_encoded_subject_lines_fit_76_characters),
		cmocka_unit_test(test_mime_address_extracts_addr),
		cmocka_unit_test(test_mime_address_rejects_malformed),
		cmocka_unit_test(
		    test_mime_attachment_follows_text_in_multipart_mixed),
		cmocka_unit_test(test_mime_refuses_crlf_in_reply_to),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
