#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/mime.h"
#include "core/relay.h"
#include "mail/mail.h"

/*
 * Relays cap the messages of one connection (many at 100): past this
 * many a connection is closed after its message and the next one opens
 * a fresh one, before the relay would refuse with a 421 in the middle of
 * a batch.
 */
#define SMTP_PER_CONNECTION	100

struct smtp_slot {
	CURL			*curl;
	struct curl_slist	*rcpt;
	struct us_buf		 msg;
	size_t			 off;
	long long		 id;
	char			 msgid[US_MIME_MSGID_MAX];
	char			 ebuf[CURL_ERROR_SIZE];
	int			 busy;
	int			 sent;		/* on its connection */
};

struct us_smtp {
	CURLM			*multi;
	const char		*url;
	char			 env[300];	/* <MAIL FROM address> */
	enum us_relay_tls	 tls;
	int			 nslots;
	int			 busy;
	int			 used;		/* connections may be open */
	struct smtp_slot	 slots[US_SMTP_MAX_CONNECTIONS];
};

static size_t	smtp_read(char *, size_t, size_t, void *);
static int	smtp_slot_init(struct us_smtp *, struct smtp_slot *);
static void	smtp_slot_free(struct us_smtp *, struct smtp_slot *);
static int	smtp_step(struct us_smtp *, int, us_smtp_done, void *);
static int	smtp_multi(struct us_smtp *);

static size_t
smtp_read(char *dst, size_t size, size_t n, void *arg)
{
	struct smtp_slot	*s = arg;
	size_t			 len;

	len = s->msg.len - s->off;
	if (len > size * n)
		len = size * n;
	memcpy(dst, s->msg.data + s->off, len);
	s->off += len;
	return (len);
}

/*
 * A sender keeps up to n SMTP connections open across messages, each
 * carrying one message at a time: while the relay takes one message the
 * next is rendered and another connection is busy, instead of the
 * sender and the relay waiting for each other.  curl keeps a
 * connection between transfers, so each further message is a new
 * transaction (MAIL FROM, RCPT, DATA) on it, without a new TCP and TLS
 * handshake and EHLO; a transfer that fails drops its connection and the
 * next one opens a new one.
 */
struct us_smtp *
us_mail_smtp_open(const char *url, const char *from, int n,
    struct us_error *err)
{
	struct us_smtp	*s;
	char		 addr[256];

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		us_error_set(err, US_E_INTERNAL, NULL, "memory",
		    "out of memory");
		return (NULL);
	}
	if (!us_relay_tls(url, &s->tls)) {
		us_error_set(err, US_E_INTERNAL, NULL, "smtp_url",
		    "SMTP_URL cannot be read");
		goto fail;
	}
	if (!us_mime_address(from, addr, sizeof(addr))) {
		us_error_set(err, US_E_INTERNAL, NULL, "mail_from",
		    "MAIL_FROM has no address");
		goto fail;
	}
	(void)snprintf(s->env, sizeof(s->env), "<%s>", addr);
	s->url = url;
	s->nslots = n < 1 ? 1 : n > US_SMTP_MAX_CONNECTIONS ?
	    US_SMTP_MAX_CONNECTIONS : n;
	if (!smtp_multi(s)) {
		us_error_set(err, US_E_INTERNAL, NULL, "curl",
		    "curl_multi_init failed");
		goto fail;
	}
	return (s);
fail:
	free(s);
	return (NULL);
}

/* The multi handle owns the open connections (its connection cache). */
static int
smtp_multi(struct us_smtp *s)
{
	if ((s->multi = curl_multi_init()) == NULL)
		return (US_FAIL);
	curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, (long)s->nslots);
	curl_multi_setopt(s->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)s->nslots);
	s->used = 0;
	return (US_OK);
}

static int
smtp_slot_init(struct us_smtp *s, struct smtp_slot *t)
{
	if ((t->curl = curl_easy_init()) == NULL)
		return (US_FAIL);
	curl_easy_setopt(t->curl, CURLOPT_URL, s->url);
	curl_easy_setopt(t->curl, CURLOPT_MAIL_FROM, s->env);
	curl_easy_setopt(t->curl, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(t->curl, CURLOPT_READDATA, t);
	curl_easy_setopt(t->curl, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(t->curl, CURLOPT_USE_SSL,
	    s->tls == US_RELAY_PLAIN_OK ? (long)CURLUSESSL_TRY :
	    (long)CURLUSESSL_ALL);
	curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(t->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->curl, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, t->ebuf);
	t->sent = 0;
	return (US_OK);
}

static void
smtp_slot_free(struct us_smtp *s, struct smtp_slot *t)
{
	if (t->busy) {
		curl_multi_remove_handle(s->multi, t->curl);
		t->busy = 0;
		s->busy--;
	}
	if (t->curl != NULL)
		curl_easy_cleanup(t->curl);
	t->curl = NULL;
	curl_slist_free_all(t->rcpt);
	t->rcpt = NULL;
	us_buf_free(&t->msg);
}

void
us_mail_smtp_close(struct us_smtp *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nslots; i++)
		smtp_slot_free(s, &s->slots[i]);
	curl_multi_cleanup(s->multi);
	free(s);
}

/*
 * Closes every connection (the multi handle's cache holds them, so it
 * goes too); the next message opens a new one.
 */
int
us_mail_smtp_idle(struct us_smtp *s)
{
	int	i;

	for (i = 0; i < s->nslots; i++)
		smtp_slot_free(s, &s->slots[i]);
	curl_multi_cleanup(s->multi);
	return (smtp_multi(s));
}

/*
 * Runs the transfers, waiting up to ms for progress, and reports each
 * that ended: a transfer that failed gets a fresh handle next time, no
 * state of a broken dialogue kept.
 */
static int
smtp_step(struct us_smtp *s, int ms, us_smtp_done done, void *arg)
{
	struct smtp_slot	*t;
	struct us_error		 err;
	CURLMsg			*cm;
	int			 running, left;

	if (curl_multi_perform(s->multi, &running) != CURLM_OK)
		return (US_FAIL);
	while ((cm = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (cm->msg != CURLMSG_DONE)
			continue;
		(void)curl_easy_getinfo(cm->easy_handle, CURLINFO_PRIVATE,
		    (char **)&t);
		curl_multi_remove_handle(s->multi, t->curl);
		t->busy = 0;
		s->busy--;
		curl_slist_free_all(t->rcpt);
		t->rcpt = NULL;
		us_error_clear(&err);
		if (cm->data.result != CURLE_OK) {
			us_error_set(&err, US_E_UNAVAILABLE, NULL, "smtp",
			    "SMTP delivery failed: %s", t->ebuf[0] != '\0' ?
			    t->ebuf : curl_easy_strerror(cm->data.result));
			curl_easy_cleanup(t->curl);
			t->curl = NULL;
		} else if (++t->sent >= SMTP_PER_CONNECTION)
			t->sent = 0;
		done(arg, t->id, t->msgid, err.kind == US_E_NONE ? NULL : &err);
	}
	if (s->busy > 0 && ms > 0)
		(void)curl_multi_poll(s->multi, NULL, 0, ms, NULL);
	return (US_OK);
}

/*
 * Starts one message to one recipient (smtp:// or smtps://;
 * user:password@ in the URL for servers that want a login) and returns
 * as soon as it is under way, after waiting for a free connection if all
 * are busy.  done is called for each message that ended meanwhile, with
 * NULL or the failure.  msg is taken over (left empty).  TLS is required
 * (core/relay.c) except to a relay on this machine without a login:
 * there STARTTLS is used when offered.  A relay that does not offer
 * STARTTLS, or one an attacker stripped it from, gets neither the
 * password nor the message.  curl dot-stuffs the body; it is already
 * CRLF.
 */
int
us_mail_smtp_send(struct us_smtp *s, long long id, const char *msgid,
    const char *to, struct us_buf *msg, us_smtp_done done, void *arg,
    struct us_error *err)
{
	struct smtp_slot	*t = NULL;
	int			 i;

	while (s->busy >= s->nslots) {
		if (!smtp_step(s, 1000, done, arg))
			return (us_error_set(err, US_E_INTERNAL, NULL, "curl",
			    "curl_multi_perform failed"));
	}
	for (i = 0; i < s->nslots; i++) {
		if (!s->slots[i].busy) {
			t = &s->slots[i];
			break;
		}
	}
	if (t->curl == NULL && !smtp_slot_init(s, t))
		return (us_error_set(err, US_E_INTERNAL, NULL, "curl",
		    "curl_easy_init failed"));
	if ((t->rcpt = curl_slist_append(NULL, to)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "memory",
		    "out of memory"));
	us_buf_free(&t->msg);
	t->msg = *msg;
	us_buf_init(msg);
	t->off = 0;
	t->id = id;
	(void)snprintf(t->msgid, sizeof(t->msgid), "%s", msgid);
	t->ebuf[0] = '\0';
	curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, t->rcpt);
	curl_easy_setopt(t->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)t->msg.len);
	curl_easy_setopt(t->curl, CURLOPT_FORBID_REUSE,
	    t->sent + 1 >= SMTP_PER_CONNECTION ? 1L : 0L);
	if (curl_multi_add_handle(s->multi, t->curl) != CURLM_OK)
		return (us_error_set(err, US_E_INTERNAL, NULL, "curl",
		    "curl_multi_add_handle failed"));
	t->busy = 1;
	s->busy++;
	s->used = 1;
	return (smtp_step(s, 0, done, arg) ? US_OK : us_error_set(err,
	    US_E_INTERNAL, NULL, "curl", "curl_multi_perform failed"));
}

/* Waits for every message under way to end, reporting each. */
int
us_mail_smtp_flush(struct us_smtp *s, us_smtp_done done, void *arg)
{
	while (s->busy > 0) {
		if (!smtp_step(s, 1000, done, arg))
			return (US_FAIL);
	}
	return (US_OK);
}

/* Whether a connection may be open. */
int
us_mail_smtp_active(const struct us_smtp *s)
{
	return (s->used);
}
