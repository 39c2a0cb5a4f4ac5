#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/idn.h"
#include "core/log.h"
#include "core/relay.h"
#include "db/db.h"
#include "mail/mail.h"

/*
 * SIGTERM and SIGINT stay blocked except inside ppoll(): a signal that
 * came while a mail was being sent then ends the next wait at once
 * instead of being missed until the wait times out.
 */
static volatile sig_atomic_t	sender_quit;
static sigset_t			sender_waitmask;

static void	sender_signal(int);
static void	sender_sleep(struct pollfd *, int);
static int	sender_deliver(const struct us_config *,
		    const struct us_tpls *, struct us_db *, json_t *);
static int	sender_wait(struct us_db *, int);
static int	sender_record_sent(struct us_db *, long long, const char *,
		    struct us_error *);

static void
sender_signal(int sig)
{
	(void)sig;
	sender_quit = 1;
}

/* Sleeps until fd (if any) is readable, ms pass, or a signal comes. */
static void
sender_sleep(struct pollfd *pfd, int ms)
{
	struct timespec	ts;

	if (sender_quit)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	(void)ppoll(pfd, pfd != NULL ? 1 : 0, &ts, &sender_waitmask);
}

/*
 * Exponential: base, 2 base, 4 base ... capped at an hour, so a long SMTP
 * outage is retried hourly for about a day before the message is failed.
 */
int
us_mail_backoff(const struct us_config *cfg, int attempt)
{
	long	secs;
	int	i;

	secs = cfg->mail_retry;
	for (i = 1; i < attempt && secs < 3600; i++)
		secs *= 2;
	return (secs > 3600 ? 3600 : (int)secs);
}

/*
 * A message the SMTP server accepted must be recorded as sent, or its
 * lease runs out and it goes out again.  When the database is away (a
 * restart, a failover to the standby) the outcome is kept here and
 * recorded once it is back, before anything else is claimed.  Past the
 * lease (five minutes) another sender may have taken the message
 * anyway, so waiting longer would only stall the queue.
 */
static int
sender_record_sent(struct us_db *db, long long id, const char *msgid,
    struct us_error *err)
{
	int	pause_ms = 100, waited_ms = 0;

	for (;;) {
		us_error_clear(err);
		if (us_db_outbox_sent(db, id, msgid, err))
			return (US_OK);
		if (err->kind != US_E_UNAVAILABLE || sender_quit ||
		    waited_ms >= 300000)
			return (US_FAIL);
		us_log(LOG_WARNING, "mail %lld was sent but is not recorded "
		    "yet (%s); trying again in %d ms", id, err->message,
		    pause_ms);
		sender_sleep(NULL, pause_ms);
		waited_ms += pause_ms;
		pause_ms = pause_ms >= 2000 ? 4000 : pause_ms * 2;
	}
}

static int
sender_deliver(const struct us_config *cfg, const struct us_tpls *tpls,
    struct us_db *db, json_t *m)
{
	struct us_buf	 msg, rcpt;
	struct us_error	 err, dberr;
	char		 msgid[US_MIME_MSGID_MAX], path[4096];
	const char	*to, *url;
	long long	 id;
	int		 attempt, ok;

	us_buf_init(&msg);
	us_error_clear(&err);
	id = json_integer_value(json_object_get(m, "id"));
	attempt = (int)json_integer_value(json_object_get(m, "attempt"));
	/*
	 * Addresses are stored with their domain in Unicode; SMTP (the
	 * envelope and the To header) carries its A-labels.
	 */
	us_buf_init(&rcpt);
	to = json_string_value(json_object_get(m, "recipient"));
	if (to != NULL && us_idn_email_ascii(&rcpt, to) == US_OK)
		json_object_set_new(m, "recipient", json_string(rcpt.data));
	us_buf_free(&rcpt);
	to = json_string_value(json_object_get(m, "recipient"));

	ok = us_mail_render(cfg, tpls, m, &msg, msgid, &err);
	if (ok && cfg->smtp_url != NULL)
		ok = us_mail_smtp(cfg->smtp_url, cfg->mail_from, to, &msg, &err);
	else if (ok) {
		ok = us_mail_spool(cfg->mail_dir, id, &msg, path, sizeof(path),
		    &err);
		url = json_string_value(json_object_get(m, "verify_url"));
		if (url == NULL)
			url = json_string_value(json_object_get(m,
			    "login_url"));
		if (ok)
			us_log(LOG_NOTICE, "mail %lld to %s written to %s%s%s",
			    id, to, path, url != NULL ? "; link: " : "",
			    url != NULL ? url : "");
	}
	us_buf_free(&msg);

	us_error_clear(&dberr);
	if (ok) {
		if (cfg->smtp_url != NULL)
			us_log(LOG_NOTICE, "mail %lld (%s) sent to %s", id,
			    json_string_value(json_object_get(m, "kind")), to);
		return (sender_record_sent(db, id, msgid, &dberr));
	}
	us_log(LOG_WARNING, "mail %lld attempt %d failed: %s", id, attempt,
	    err.message);
	return (us_db_outbox_failed(db, m, us_mail_backoff(cfg, attempt),
	    err.message,
	    attempt >= US_MAIL_MAX_ATTEMPTS, &dberr));
}

/*
 * The longest the sender sleeps without looking at the outbox.  Mail is
 * queued with a NOTIFY only when nothing else was due (the wake-up
 * contract in docs/architecture.md), so this poll bounds the wait of the
 * one mail that contract can miss.
 */
#define US_MAIL_POLL_MS	1000

/*
 * Sleeps until a NOTIFY on "outbox", the next retry falls due, or a
 * signal.  Returns US_FAIL when the connection is gone.
 */
static int
sender_wait(struct us_db *db, int max_ms)
{
	struct pollfd	 pfd;
	struct us_error	 err;
	PGresult	*res;
	PGnotify	*n;
	double		 due;
	int		 ms;

	ms = max_ms;
	res = us_db_query(db, &err, "SELECT EXTRACT(EPOCH FROM least("
	    " (SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL"
	    " AND failed_at IS NULL), (SELECT min(publish_at) FROM statements"
	    " WHERE status IN ('open', 'closed'))) - now())", 0);
	if (res == NULL)
		return (US_FAIL);
	if (!PQgetisnull(res, 0, 0)) {
		due = strtod(PQgetvalue(res, 0, 0), NULL) * 1000.0;
		if (due < ms)
			ms = due < 20 ? 20 : (int)due;
	}
	PQclear(res);

	/* A NOTIFY may have arrived with that query's answer. */
	if ((n = PQnotifies(db->conn)) != NULL) {
		do
			PQfreemem(n);
		while ((n = PQnotifies(db->conn)) != NULL);
		return (US_OK);
	}
	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	sender_sleep(&pfd, ms);
	if (!PQconsumeInput(db->conn))
		return (US_FAIL);
	while ((n = PQnotifies(db->conn)) != NULL)
		PQfreemem(n);
	return (US_OK);
}

/*
 * The sender's loop, which also publishes statements whose publication
 * time has come.  It survives the database and the SMTP server going
 * away: each is retried, nothing is dropped.  once: deliver what is due
 * and return (for scripts and tests).
 */
int
us_mail_run(const struct us_config *cfg, const struct us_tpls *tpls, int once)
{
	struct sigaction	 sa;
	sigset_t		 block;
	struct us_db		*db;
	struct us_error		 err;
	struct us_mail_caps	 caps;
	json_t			*m;
	time_t			 purged = 0;
	char			 relay[512];
	unsigned long		 listened = 0;
	int			 pause_ms = 500, published;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sender_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	(void)sigprocmask(SIG_BLOCK, &block, &sender_waitmask);
	sigdelset(&sender_waitmask, SIGTERM);
	sigdelset(&sender_waitmask, SIGINT);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	memset(&caps, 0, sizeof(caps));
	if (cfg->rate_limits) {
		caps.per_minute = cfg->mail_per_minute;
		caps.per_statement = cfg->mail_per_statement;
	}
	db = us_db_new(cfg->conninfo);
	if (cfg->smtp_url != NULL)
		us_relay_redact(cfg->smtp_url, relay, sizeof(relay));
	us_log(LOG_NOTICE, "mail sender started; delivering %s%s",
	    cfg->smtp_url != NULL ? "by SMTP to " : "to files in ",
	    cfg->smtp_url != NULL ? relay : cfg->mail_dir);
	if (cfg->rate_limits)
		us_log(LOG_NOTICE, "verification mail: at most %d a minute, "
		    "%d a minute per statement; the rest waits",
		    caps.per_minute, caps.per_statement);
	else
		us_log(LOG_WARNING, "UNDERSIGNED_RATE_LIMITS=off: verification "
		    "mail is not capped; use this for load tests only");
	while (!sender_quit) {
		us_error_clear(&err);
		/*
		 * LISTEN belongs to a connection: any reconnection (here, or
		 * inside a query's retry) needs it again, or new mail would
		 * wait for the next poll.
		 */
		if (listened == 0 || listened != db->generation) {
			if (!us_db_exec(db, &err, "LISTEN outbox", 0))
				goto down;
			listened = db->generation;
			pause_ms = 500;
		}
		/* Expired limit windows, once a minute. */
		if (time(NULL) - purged >= 60) {
			if (!us_db_limits_purge(db, &err))
				goto down;
			purged = time(NULL);
		}
		/* Scheduled publications first: they queue mail too. */
		if (!us_db_publish_due(db, &published, &err))
			goto down;
		if (published > 0)
			us_log(LOG_NOTICE, "published %d scheduled statement%s",
			    published, published == 1 ? "" : "s");
		if (!us_db_tx_keys_expire(db, &err))
			goto down;
		while (!sender_quit && (m = us_db_outbox_claim(db, &caps, &err)) !=
		    NULL) {
			if (!sender_deliver(cfg, tpls, db, m))
				us_log(LOG_WARNING, "could not record the "
				    "outcome of a mail; it will be retried");
			json_decref(m);
		}
		if (err.kind != US_E_NONE)
			goto down;
		if (once)
			break;
		if (listened != db->generation)
			continue;
		if (!sender_wait(db, US_MAIL_POLL_MS))
			goto down;
		continue;
down:
		listened = 0;
		if (once) {
			us_log(LOG_ERR, "mail sender: %s", err.message);
			break;
		}
		us_log(LOG_WARNING, "mail sender: %s; retrying in %d ms",
		    err.message, pause_ms);
		sender_sleep(NULL, pause_ms);
		pause_ms = pause_ms >= 16000 ? 30000 : pause_ms * 2;
	}
	us_db_free(db);
	curl_global_cleanup();
	(void)sigprocmask(SIG_UNBLOCK, &block, NULL);
	us_log(LOG_NOTICE, "mail sender stopped");
	return (err.kind == US_E_NONE ? US_OK : US_FAIL);
}
