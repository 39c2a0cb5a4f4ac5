#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ratelimit.h"
#include "db/db.h"

/*
 * Counts one request of a client against both windows of a limit, in one
 * statement on that client's own row.  *retry is 0 when the request may
 * go on, else the seconds until the limit is lifted.  The windows come
 * from this node's clock; a node whose clock lags counts into the window
 * another node already opened, never resets it.
 */
int
us_db_limit_take(struct us_db *db, const struct us_limit *l,
    const char *client, int *retry, struct us_error *err)
{
	PGresult		*res;
	struct us_limit_at	 at;
	long long		 now;
	char			 key[128], b0[24], b1[24], ends[24];
	int			 hits[US_LIMIT_WINDOWS];

	*retry = 0;
	now = (long long)time(NULL);
	us_limit_at(l, now, &at);
	(void)snprintf(key, sizeof(key), "%s/%s", l->name, client);
	(void)snprintf(b0, sizeof(b0), "%lld", at.bucket[0]);
	(void)snprintf(b1, sizeof(b1), "%lld", at.bucket[1]);
	(void)snprintf(ends, sizeof(ends), "%lld", at.ends[1]);
	res = us_db_query(db, err,
	    "INSERT INTO client_limits AS c VALUES ($1, $2, 1, $3, 1,"
	    " to_timestamp($4)) ON CONFLICT (key) DO UPDATE SET"
	    " short_hits = CASE WHEN EXCLUDED.short_bucket > c.short_bucket"
	    " THEN 1 ELSE c.short_hits + 1 END,"
	    " short_bucket = greatest(c.short_bucket, EXCLUDED.short_bucket),"
	    " long_hits = CASE WHEN EXCLUDED.long_bucket > c.long_bucket"
	    " THEN 1 ELSE c.long_hits + 1 END,"
	    " long_bucket = greatest(c.long_bucket, EXCLUDED.long_bucket),"
	    " expires_at = greatest(c.expires_at, EXCLUDED.expires_at)"
	    " RETURNING short_hits, long_hits", 4, key, b0, b1, ends);
	if (res == NULL)
		return (US_FAIL);
	hits[0] = atoi(PQgetvalue(res, 0, 0));
	hits[1] = atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	*retry = us_limit_retry(l, &at, now, hits);
	return (US_OK);
}

/*
 * The mail sender's share of the relay: one more verification mail this
 * minute, overall and for the statement.  *wait is 0 when it may go,
 * else the mail (with everything else over the same cap) is put off to
 * the next minute; nothing is dropped.  The overall count is handed back
 * when only the statement's cap refused, so one busy statement does not
 * use up the others' share.
 */
int
us_db_mail_slot(struct us_db *db, const char *statement, int per_minute,
    int per_statement, int *wait, struct us_error *err)
{
	PGresult	*res;
	char		 all[16], one[16], key[48];
	int		 over_all, over_one;

	*wait = 0;
	(void)snprintf(all, sizeof(all), "%d", per_minute);
	(void)snprintf(one, sizeof(one), "%d", per_statement);
	(void)snprintf(key, sizeof(key), "mail/st/%s", statement);
	res = us_db_query(db, err,
	    "WITH hit AS (INSERT INTO rate_counters AS c (key, bucket, hits,"
	    "  expires_at) SELECT k, floor(extract(epoch FROM now()) / 60),"
	    "  1, to_timestamp((floor(extract(epoch FROM now()) / 60) + 1) *"
	    "  60) FROM unnest(ARRAY['mail', $1]) AS k"
	    "  ON CONFLICT (key, bucket) DO UPDATE SET hits = c.hits + 1"
	    "  RETURNING key, hits)"
	    " SELECT coalesce(bool_or(key = 'mail' AND hits > $2::int), false),"
	    "  coalesce(bool_or(key = $1 AND hits > $3::int), false)"
	    " FROM hit", 3, key, all, one);
	if (res == NULL)
		return (US_FAIL);
	over_all = PQgetvalue(res, 0, 0)[0] == 't';
	over_one = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (over_all) {
		*wait = 1;
		return (us_db_exec(db, err, "UPDATE outbox SET next_attempt_at ="
		    " date_trunc('minute', now()) + interval '1 minute'"
		    " WHERE sent_at IS NULL AND failed_at IS NULL AND"
		    " next_attempt_at <= now() AND kind IN ('verify',"
		    " 'already_signed', 'action')", 0));
	}
	if (over_one) {
		*wait = 1;
		return (us_db_exec(db, err, "UPDATE rate_counters SET hits ="
		    " hits - 1 WHERE key = 'mail' AND bucket ="
		    " floor(extract(epoch FROM now()) / 60)", 0) &&
		    us_db_exec(db, err, "UPDATE outbox o SET next_attempt_at ="
		    " date_trunc('minute', now()) + interval '1 minute'"
		    " WHERE $1 IN ((SELECT sg.statement_id FROM signatures sg"
		    " WHERE sg.id = o.signature_id), (SELECT ar.statement_id"
		    " FROM action_reports ar WHERE ar.id = o.action_id)) AND"
		    " o.sent_at IS NULL AND o.failed_at IS NULL AND"
		    " o.next_attempt_at <= now() AND"
		    " o.kind IN ('verify', 'already_signed', 'action')", 1,
		    statement));
	}
	return (US_OK);
}

/*
 * Queues a mail about a signature (kind "verify" or "already_signed") or
 * an action report (kind "action"), in the caller's transaction, under
 * two rules that hold whatever the statement, its language version or
 * the data typed:
 *
 *  - one signature or report is mailed at most once in ten minutes: a
 *    re-sent form or an impatient click gets nothing new, and the caller
 *    answers the same either way;
 *  - one address receives at most one such mail in ten minutes: a mail
 *    for another signature or report waits until the address's next
 *    free slot (nothing is dropped, nobody's mailbox is flooded).
 *    Concurrent callers for one address queue on its mail_recipients
 *    row.
 *
 * table is the owner's table and column the outbox column naming it.
 *
 * The mail sender is woken only when it had nothing due (see
 * queue_signature_mail(), and "Waking the mail sender" in
 * docs/architecture.md); a report, rarer than a signature, notifies.
 */
#define MAIL_QUEUE_SQL(table, column) \
	"WITH s AS (UPDATE " table " SET last_mail_at = now()" \
	"  WHERE id = $2 AND (last_mail_at IS NULL OR last_mail_at <" \
	"  now() - interval '" US_SQL_RECIPIENT_GAP "') RETURNING id)," \
	" r AS (INSERT INTO mail_recipients AS r (address, last_mail_at)" \
	"  SELECT lower($3), now() FROM s ON CONFLICT (address) DO UPDATE" \
	"  SET last_mail_at = greatest(now(), r.last_mail_at +" \
	"  interval '" US_SQL_RECIPIENT_GAP "') RETURNING last_mail_at)," \
	" o AS (INSERT INTO outbox (kind, " column ", recipient," \
	"  next_attempt_at) SELECT $1, $2, $3, last_mail_at FROM r" \
	"  RETURNING id)" \
	" SELECT pg_notify('outbox', '') FROM o"

int
us_db_mail_queue(struct us_db *db, const char *kind, const char *id,
    const char *to, struct us_error *err)
{
	/* queue_signature_mail() in migrations/0011_revision.sql. */
	if (strcmp(kind, "action") == 0)
		return (us_db_exec(db, err, MAIL_QUEUE_SQL("action_reports",
		    "action_id"), 3, kind, id, to));
	return (us_db_exec(db, err, "SELECT queue_signature_mail($1, $2, $3)",
	    3, kind, id, to));
}

/* Windows that have ended and recipients past their ten minutes. */
int
us_db_limits_purge(struct us_db *db, struct us_error *err)
{
	return (us_db_exec(db, err, "DELETE FROM client_limits"
	    " WHERE expires_at < now()", 0) &&
	    us_db_exec(db, err, "DELETE FROM rate_counters"
	    " WHERE expires_at < now()", 0) &&
	    us_db_exec(db, err, "DELETE FROM mail_recipients WHERE"
	    " last_mail_at < now() - interval '" US_SQL_RECIPIENT_GAP "'", 0));
}
