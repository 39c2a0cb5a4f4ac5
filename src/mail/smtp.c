#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "core/mime.h"
#include "core/relay.h"
#include "mail/mail.h"

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
 * One message over SMTP (smtp:// or smtps://; user:password@ in the URL
 * for servers that want a login).  TLS is required (core/relay.c) except
 * to a relay on this machine without a login: there STARTTLS is used
 * when offered.  A relay that does not offer STARTTLS, or one an
 * attacker stripped it from, gets neither the password nor the message.
 * curl dot-stuffs the body; it is already CRLF.
 */
int
us_mail_smtp(const char *url, const char *from, const char *to,
    const struct us_buf *msg, struct us_error *err)
{
	CURL			*c;
	CURLcode		 rc;
	struct curl_slist	*rcpt = NULL;
	struct smtp_reader	 r;
	char			 env[300], ebuf[CURL_ERROR_SIZE];
	char			 addr[256];
	enum us_relay_tls	 tls;

	if (!us_relay_tls(url, &tls))
		return (us_error_set(err, US_E_INTERNAL, NULL, "smtp_url",
		    "SMTP_URL cannot be read"));
	if (!us_mime_address(from, addr, sizeof(addr)))
		return (us_error_set(err, US_E_INTERNAL, NULL, "mail_from",
		    "MAIL_FROM has no address"));
	(void)snprintf(env, sizeof(env), "<%s>", addr);
	if ((c = curl_easy_init()) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "curl",
		    "curl_easy_init failed"));
	rcpt = curl_slist_append(rcpt, to);
	r.msg = msg;
	r.off = 0;
	ebuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, env);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, tls == US_RELAY_PLAIN_OK ?
	    (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return (us_error_set(err, US_E_UNAVAILABLE, NULL, "smtp",
		    "SMTP delivery failed: %s", ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(rc)));
	return (US_OK);
}
