/*
 * Outgoing mail: the input is "from\0to\0subject\0text\0html" (html may
 * be absent).  Whatever the fields hold, the message's header must stay
 * a header: no line a field could have injected.
 */
#include "core/mime.h"
#include "fuzz.h"

static void	check_header(const struct us_buf *);

static void
check_header(const struct us_buf *b)
{
	static const char *const	names[] = {
		"From: ", "To: ", "Subject: ", "Date: ", "Message-ID: ",
		"MIME-Version: ", "Auto-Submitted: ", "Content-Type: ",
		"Content-Transfer-Encoding: ", " ", NULL
	};
	const char	*p, *end, *eol;
	size_t		 i;

	if ((end = strstr(b->data, "\r\n\r\n")) == NULL)
		abort();
	for (p = b->data; p < end; p = eol + 2) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			abort();
		if (memchr(p, '\n', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\r', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\0', (size_t)(eol - p)) != NULL)
			abort();
		for (i = 0; names[i] != NULL; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (names[i] == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct us_mail	 m;
	struct us_buf	 b;
	struct us_error	 e;
	char		 msgid[US_MIME_MSGID_MAX], addr[256];
	char		*from, *to, *subject, *text, *html;
	int		 has_html;

	from = fuzz_split(&data, &len, '\0');
	to = fuzz_split(&data, &len, '\0');
	subject = fuzz_split(&data, &len, '\0');
	has_html = memchr(data, '\0', len) != NULL;
	text = fuzz_split(&data, &len, '\0');
	if (!has_html) {
		free(text);
		text = fuzz_string(data, len);
	}
	html = fuzz_string(data, len);

	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.subject = subject;
	m.text = text;
	m.html = has_html ? html : NULL;
	m.date = 1796083200;
	us_buf_init(&b);
	us_error_clear(&e);
	if (us_mime_build(&m, &b, msgid, &e))
		check_header(&b);
	us_buf_reset(&b);
	(void)us_mime_address(subject, addr, sizeof(addr));
	us_mime_encode_word(&b, subject, strlen(subject), 9);
	us_mime_qp(&b, text);
	us_buf_free(&b);
	free(from);
	free(to);
	free(subject);
	free(text);
	free(html);
	return (0);
}
