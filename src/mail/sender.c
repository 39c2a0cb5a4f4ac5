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
 * Messages claimed and recorded together: large enough that the database
 * work per message is a small fraction of the SMTP dialogue, small
 * enough that several senders share a burst and that a sender stopped
 * mid-batch leaves little to its lease.
 */
#define SENDER_BATCH		50
/* An idle SMTP connection is closed well before relays time it out. */
#define SENDER_SMTP_IDLE	60

/*
 * SIGTERM and SIGINT stay blocked except inside ppoll(): a signal that
 * came while a mail was being sent then ends the next wait at once
 * instead of being missed until the wait times out.
 */
static volatile sig_atomic_t	sender_quit;
static sigset_t			sender_waitmask;

struct sender {
	const struct us_config	*cfg;
	const struct us_tpls	*tpls;
	struct us_db		*db;
	struct us_smtp		*smtp;		/* NULL: the spool */
	time_t			 smtp_used;
	json_t			*batch;		/* being delivered */
	int			 relay_down;
	struct us_error		 relay_err;
	long long		 ids[SENDER_BATCH];
	char			 msgids[SENDER_BATCH][US_MIME_MSGID_MAX];
	size_t			 nsent;
};

static void	sender_signal(int);
static void	sender_sleep(struct pollfd *, int);
static int	sender_deliver(struct sender *, json_t *, struct us_error *);
static void	sender_done(void *, long long, const char *,
		    const struct us_error *);
static void	sender_failed(struct sender *, const json_t *,
		    const struct us_error *, int);
static void	sender_batch(struct sender *, json_t *);
static int	sender_wait(struct us_db *, int);
static int	sender_record_sent(struct sender *, struct us_error *);
static int	sender_notices(struct us_db *, struct us_error *);

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
 * Messages the SMTP server accepted must be recorded as sent, or their
 * lease runs out and they go out again.  When the database is away (a
 * restart, a failover to the standby) the outcome is kept here and
 * recorded once it is back, before anything else is claimed.  Past the
 * lease (five minutes) another sender may have taken the messages
 * anyway, so waiting longer would only stall the queue.
 */
static int
sender_record_sent(struct sender *s, struct us_error *err)
{
	const char	*msgids[SENDER_BATCH];
	size_t		 i;
	int		 pause_ms = 100, waited_ms = 0;

	for (i = 0; i < s->nsent; i++)
		msgids[i] = s->msgids[i];
	for (;;) {
		us_error_clear(err);
		if (us_db_outbox_sent(s->db, s->ids, msgids, s->nsent, err)) {
			s->nsent = 0;
			return (US_OK);
		}
		if (err->kind != US_E_UNAVAILABLE || sender_quit ||
		    waited_ms >= 300000)
			break;
		us_log(LOG_WARNING, "%zu mail%s sent but not recorded yet "
		    "(%s); trying again in %d ms", s->nsent,
		    s->nsent == 1 ? " was" : "s were", err->message, pause_ms);
		sender_sleep(NULL, pause_ms);
		waited_ms += pause_ms;
		pause_ms = pause_ms >= 2000 ? 4000 : pause_ms * 2;
	}
	s->nsent = 0;
	return (US_FAIL);
}

/*
 * Records a failed attempt with its backoff.  untried: the message never
 * reached the relay (it was away, or the sender is stopping), so the
 * attempt does not count.
 */
static void
sender_failed(struct sender *s, const json_t *m, const struct us_error *err,
    int untried)
{
	struct us_error	dberr;
	int		attempt;

	attempt = (int)json_integer_value(json_object_get(m, "attempt"));
	if (!untried)
		us_log(LOG_WARNING, "mail %" JSON_INTEGER_FORMAT " attempt %d "
		    "failed: %s", json_integer_value(json_object_get(m, "id")),
		    attempt, err->message);
	us_error_clear(&dberr);
	if (!us_db_outbox_failed(s->db, m, sender_quit && untried ? 0 :
	    us_mail_backoff(s->cfg, attempt), err->message, !untried &&
	    attempt >= US_MAIL_MAX_ATTEMPTS, untried, &dberr))
		us_log(LOG_WARNING, "could not record the failure of a mail "
		    "(%s); it will be retried", dberr.message);
}

/* A message ended at the relay: accepted (err NULL) or not. */
static void
sender_done(void *arg, long long id, const char *msgid,
    const struct us_error *err)
{
	struct sender	*s = arg;
	json_t		*m = NULL;
	size_t		 i;

	for (i = 0; i < json_array_size(s->batch); i++) {
		if (json_integer_value(json_object_get(json_array_get(s->batch,
		    i), "id")) == id) {
			m = json_array_get(s->batch, i);
			break;
		}
	}
	if (m == NULL)
		return;
	if (err != NULL) {
		/*
		 * The relay failed: the rest of the batch is not tried
		 * against it and waits for the same backoff.
		 */
		if (!s->relay_down) {
			s->relay_down = 1;
			s->relay_err = *err;
		}
		sender_failed(s, m, err, 0);
		return;
	}
	us_log(LOG_INFO, "mail %lld (%s) sent to %s", id,
	    json_string_value(json_object_get(m, "kind")),
	    json_string_value(json_object_get(m, "recipient")));
	s->ids[s->nsent] = id;
	(void)snprintf(s->msgids[s->nsent], US_MIME_MSGID_MAX, "%s", msgid);
	s->nsent++;
}

/*
 * Renders one message and hands it to the relay (which reports its end
 * through sender_done) or writes it to the spool.  On failure err says
 * why and the caller records the attempt.
 */
static int
sender_deliver(struct sender *s, json_t *m, struct us_error *err)
{
	const struct us_config	*cfg = s->cfg;
	struct us_buf		 msg, rcpt;
	char			 msgid[US_MIME_MSGID_MAX], path[4096];
	const char		*to, *url;
	long long		 id;
	int			 ok;

	us_buf_init(&msg);
	id = json_integer_value(json_object_get(m, "id"));
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

	ok = us_mail_render(cfg, s->tpls, m, &msg, msgid, err);
	if (ok && s->smtp != NULL) {
		ok = us_mail_smtp_send(s->smtp, id, msgid, to, &msg,
		    sender_done, s, err);
		s->smtp_used = time(NULL);
	} else if (ok) {
		ok = us_mail_spool(cfg->mail_dir, id, &msg, path, sizeof(path),
		    err);
		url = json_string_value(json_object_get(m, "verify_url"));
		if (url == NULL)
			url = json_string_value(json_object_get(m,
			    "login_url"));
		if (ok) {
			us_log(LOG_NOTICE, "mail %lld to %s written to %s%s%s",
			    id, to, path, url != NULL ? "; link: " : "",
			    url != NULL ? url : "");
			s->ids[s->nsent] = id;
			memcpy(s->msgids[s->nsent], msgid, sizeof(msgid));
			s->nsent++;
		}
	}
	us_buf_free(&msg);
	return (ok);
}

/*
 * Delivers a claimed batch over the SMTP connections and records the
 * sent messages in one statement.  When the relay fails, the rest of
 * the batch is not tried against it: those messages wait for the same
 * backoff without the attempt counting.  A stop request lets the
 * messages under way finish and hands the rest back at once.
 */
static void
sender_batch(struct sender *s, json_t *batch)
{
	struct us_error	 err, dberr;
	json_t		*m;
	size_t		 i;

	s->batch = batch;
	s->relay_down = 0;
	json_array_foreach(batch, i, m) {
		if (sender_quit) {
			us_error_set(&err, US_E_UNAVAILABLE, NULL, "stopped",
			    "the mail sender stopped before this message");
			sender_failed(s, m, &err, 1);
			continue;
		}
		if (s->relay_down) {
			sender_failed(s, m, &s->relay_err, 1);
			continue;
		}
		us_error_clear(&err);
		if (!sender_deliver(s, m, &err))
			sender_failed(s, m, &err, 0);
	}
	if (s->smtp != NULL && !us_mail_smtp_flush(s->smtp, sender_done, s))
		us_log(LOG_WARNING, "the SMTP transfers could not be "
		    "finished; their mail will be retried");
	if (s->nsent > 0) {
		if (!sender_record_sent(s, &dberr))
			us_log(LOG_WARNING, "could not record sent mail "
			    "(%s); it may go out again", dberr.message);
	}
	s->batch = NULL;
}

/*
 * Sleeps until a NOTIFY on "outbox", the next retry falls due, the poll
 * interval passes (the sign path does not notify for every message), or
 * a signal.  Returns US_FAIL when the connection is gone.
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
 * The digest and reminder notices are queued here, in the sender, rather
 * than by a timer unit like retention: they are mail, the sender already
 * runs wherever mail goes out and wakes every minute, and queueing is
 * one idempotent statement each (db/notices.c) that any number of
 * senders may run at once.
 */
static int
sender_notices(struct us_db *db, struct us_error *err)
{
	int	digests, reminders;

	if (!us_db_notices_queue(db, &digests, &reminders, err))
		return (US_FAIL);
	if (digests > 0 || reminders > 0)
		us_log(LOG_NOTICE, "queued %d digest%s to coordinators and %d "
		    "reminder%s to signers", digests, digests == 1 ? "" : "s",
		    reminders, reminders == 1 ? "" : "s");
	return (US_OK);
}

/*
 * The sender's loop, which also publishes statements whose publication
 * time has come and queues the notices.  It survives the database and
 * the SMTP server going away: each is retried, nothing is dropped.
 * once: deliver what is due and return (for scripts and tests).
 */
int
us_mail_run(const struct us_config *cfg, const struct us_tpls *tpls, int once)
{
	struct sigaction	 sa;
	sigset_t		 block;
	struct sender		 s;
	struct us_error		 err;
	struct us_mail_caps	 caps;
	json_t			*batch;
	time_t			 purged = 0;
	char			 relay[512];
	unsigned long		 listened = 0;
	size_t			 n;
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

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.tpls = tpls;
	memset(&caps, 0, sizeof(caps));
	if (cfg->rate_limits) {
		caps.per_minute = cfg->mail_per_minute;
		caps.per_statement = cfg->mail_per_statement;
	}
	us_error_clear(&err);
	if (cfg->smtp_url != NULL && (s.smtp = us_mail_smtp_open(cfg->smtp_url,
	    cfg->mail_from, cfg->smtp_connections, &err)) == NULL) {
		us_log(LOG_ERR, "mail sender: %s", err.message);
		curl_global_cleanup();
		return (US_FAIL);
	}
	s.db = us_db_new(cfg->conninfo);
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
		if (listened == 0 || listened != s.db->generation) {
			if (!us_db_exec(s.db, &err, "LISTEN outbox", 0))
				goto down;
			listened = s.db->generation;
			pause_ms = 500;
		}
		/* Expired limit windows and the notices, once a minute. */
		if (time(NULL) - purged >= 60) {
			if (!us_db_limits_purge(s.db, &err) ||
			    !sender_notices(s.db, &err))
				goto down;
			purged = time(NULL);
		}
		/* Scheduled publications first: they queue mail too. */
		if (!us_db_publish_due(s.db, &published, &err))
			goto down;
		if (published > 0)
			us_log(LOG_NOTICE, "published %d scheduled statement%s",
			    published, published == 1 ? "" : "s");
		if (!us_db_tx_keys_expire(s.db, &err))
			goto down;
		n = 0;
		while (!sender_quit && (batch = us_db_outbox_claim(s.db, &caps,
		    SENDER_BATCH, &err)) != NULL) {
			n = json_array_size(batch);
			if (n > 0)
				sender_batch(&s, batch);
			json_decref(batch);
			if (n < SENDER_BATCH)
				break;
		}
		if (err.kind != US_E_NONE)
			goto down;
		if (once)
			break;
		if (s.smtp != NULL && us_mail_smtp_active(s.smtp) &&
		    time(NULL) - s.smtp_used >= SENDER_SMTP_IDLE &&
		    !us_mail_smtp_idle(s.smtp)) {
			us_error_set(&err, US_E_INTERNAL, NULL, "curl",
			    "curl_multi_init failed");
			us_log(LOG_ERR, "mail sender: %s", err.message);
			break;
		}
		if (listened != s.db->generation)
			continue;
		if (!sender_wait(s.db, cfg->mail_poll_ms))
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
	us_mail_smtp_close(s.smtp);
	us_db_free(s.db);
	curl_global_cleanup();
	(void)sigprocmask(SIG_UNBLOCK, &block, NULL);
	us_log(LOG_NOTICE, "mail sender stopped");
	return (err.kind == US_E_NONE ? US_OK : US_FAIL);
}
