#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "core/mime.h"
#include "core/relay.h"
#include "mail/mail.h"

/*
 * Relays cap the messages of one connection (Exchange at 20 by default in
 * some versions, many ISPs at 100): past this many the connection is
 * closed after the message and the next one opens a fresh one, before
 * the relay would refuse with a 421 in the middle of a batch.
 */
#define SMTP_PER_CONNECTION	100

struct smtp_reader {
	const struct us_buf	*msg;
	size_t			 off;
};

static size_t	smtp_read(char *, size_t, size_t, void *);

static size_t
smtp_read(char *dst, size_t size, size_t n, void *arg)
{
	struct smtp_reader	*r = arg;
	size_t			 len;

	len = r->msg->len - r->off;
	if (len > size * n)
		len = size * n;
	memcpy(dst, r->msg->data + r->off, len);
	r->off += len;
	return (len);
}

/*
 * A session holds one curl easy handle: curl keeps its connection open
 * between transfers, so each further message is a new transaction (MAIL
 * FROM, RCPT, DATA) on the same connection, without a new TCP and TLS
 * handshake and EHLO.  When a transfer fails curl drops the connection
 * and the next message opens a new one.
 */
int
us_mail_smtp_open(struct us_smtp *s, const char *url, const char *from,
    struct us_error *err)
{
	char	addr[256];

	memset(s, 0, sizeof(*s));
	if (!us_relay_tls(url, &s->tls))
		return (us_error_set(err, US_E_INTERNAL, NULL, "smtp_url",
		    "SMTP_URL cannot be read"));
	if (!us_mime_address(from, addr, sizeof(addr)))
		return (us_error_set(err, US_E_INTERNAL, NULL, "mail_from",
		    "MAIL_FROM has no address"));
	(void)snprintf(s->env, sizeof(s->env), "<%s>", addr);
	s->url = url;
	return (US_OK);
}

void
us_mail_smtp_close(struct us_smtp *s)
{
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	s->curl = NULL;
	s->sent = 0;
}

/*
 * One message to one recipient (smtp:// or smtps://; user:password@ in
 * the URL for servers that want a login).  TLS is required
 * (core/relay.c) except to a relay on this machine without a login:
 * there STARTTLS is used when offered.  A relay that does not offer
 * STARTTLS, or one an attacker stripped it from, gets neither the
 * password nor the message.  curl dot-stuffs the body; it is already
 * CRLF.
 */
int
us_mail_smtp_send(struct us_smtp *s, const char *to, const struct us_buf *msg,
    struct us_error *err)
{
	CURLcode		 rc;
	struct curl_slist	*rcpt;
	struct smtp_reader	 r;
	char			 ebuf[CURL_ERROR_SIZE];

	if (s->curl == NULL) {
		if ((s->curl = curl_easy_init()) == NULL)
			return (us_error_set(err, US_E_INTERNAL, NULL, "curl",
			    "curl_easy_init failed"));
		curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
		curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, s->env);
		curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, smtp_read);
		curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(s->curl, CURLOPT_USE_SSL,
		    s->tls == US_RELAY_PLAIN_OK ? (long)CURLUSESSL_TRY :
		    (long)CURLUSESSL_ALL);
		curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(s->curl, CURLOPT_TCP_NODELAY, 1L);
		curl_easy_setopt(s->curl, CURLOPT_MAXCONNECTS, 1L);
		s->sent = 0;
	}
	if ((rcpt = curl_slist_append(NULL, to)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "memory",
		    "out of memory"));
	r.msg = msg;
	r.off = 0;
	ebuf[0] = '\0';
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, &r);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)msg->len);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(s->curl, CURLOPT_FORBID_REUSE,
	    s->sent + 1 >= SMTP_PER_CONNECTION ? 1L : 0L);
	rc = curl_easy_perform(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpt);
	if (rc != CURLE_OK) {
		/* A fresh handle next time: no state of a broken dialogue. */
		us_mail_smtp_close(s);
		return (us_error_set(err, US_E_UNAVAILABLE, NULL, "smtp",
		    "SMTP delivery failed: %s", ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(rc)));
	}
	if (++s->sent >= SMTP_PER_CONNECTION)
		s->sent = 0;
	return (US_OK);
}
