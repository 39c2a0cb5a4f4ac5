#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

/*
 * Notices the mail sender queues on its own, once a minute: a digest to
 * each coordinator while signatures wait for their approval, and one
 * reminder to each signer who has not confirmed.  Each is decided and
 * queued by one statement that also records it (coordinators.digest_at,
 * signatures.reminded_at), with SKIP LOCKED: several senders, restarts
 * and retries never queue one twice.  What a notice says is read when it
 * is sent (db/outbox.c), so it is dropped if nothing is left to say.
 */

/* At most one digest a day; none while nothing waits. */
#define DIGEST_EVERY	"1 day"
/*
 * A reminder goes 48 hours after the last confirmation mail, and only for
 * signatures up to two weeks old: older ones were given up on, and an
 * upgrade must not mail every stale sign-up of the past.
 */
#define REMIND_AFTER	"48 hours"
#define REMIND_WITHIN	"14 days"
/* Bounds one minute's work; the rest is queued the next minute. */
#define REMIND_BATCH	"1000"

int
us_db_notices_queue(struct us_db *db, int *digests, int *reminders,
    struct us_error *err)
{
	PGresult	*res;

	*digests = *reminders = 0;
	res = us_db_query(db, err,
	    "WITH due AS (SELECT c.id FROM coordinators c"
	    "  WHERE NOT c.digest_off AND (c.digest_at IS NULL OR"
	    "  c.digest_at <= now() - interval '" DIGEST_EVERY "')"
	    "  AND EXISTS (SELECT 1 FROM statement_coordinators sc"
	    "  JOIN statements st ON st.id = sc.statement_id"
	    "  JOIN signatures sg ON sg.statement_id = st.id"
	    "  WHERE sc.coordinator_id = c.id AND"
	    "  st.status IN ('open', 'closed') AND " US_SQL_AWAITING ")"
	    "  FOR UPDATE OF c SKIP LOCKED),"
	    " marked AS (UPDATE coordinators c SET digest_at = now()"
	    "  FROM due WHERE c.id = due.id RETURNING c.id, c.email),"
	    " queued AS (INSERT INTO outbox (kind, coordinator_id, recipient)"
	    "  SELECT 'digest', id, email FROM marked RETURNING 1)"
	    " SELECT count(*) FROM queued", 0);
	if (res == NULL)
		return (US_FAIL);
	*digests = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);

	res = us_db_query(db, err,
	    "WITH due AS (SELECT sg.id FROM signatures sg"
	    "  JOIN statements st ON st.id = sg.statement_id"
	    "  WHERE sg.status = 'pending' AND sg.reminded_at IS NULL AND"
	    "  sg.email IS NOT NULL AND"
	    "  sg.created_at > now() - interval '" REMIND_WITHIN "' AND"
	    "  coalesce(sg.last_mail_at, sg.created_at) <="
	    "  now() - interval '" REMIND_AFTER "' AND st.status = 'open' AND"
	    "  (st.signing_deadline IS NULL OR st.signing_deadline > now())"
	    "  ORDER BY sg.created_at LIMIT " REMIND_BATCH
	    "  FOR UPDATE OF sg SKIP LOCKED),"
	    " marked AS (UPDATE signatures sg SET reminded_at = now()"
	    "  FROM due WHERE sg.id = due.id RETURNING sg.id, sg.email),"
	    " queued AS (INSERT INTO outbox (kind, signature_id, recipient)"
	    "  SELECT 'reminder', id, email FROM marked RETURNING 1)"
	    " SELECT count(*) FROM queued", 0);
	if (res == NULL)
		return (US_FAIL);
	*reminders = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return (US_OK);
}

/*
 * The coordinator behind a digest's unsubscribe link: {email,
 * digest_off}, or NULL with US_E_NOTFOUND.
 */
json_t *
us_db_notices_token(struct us_db *db, const char *token, struct us_error *err)
{
	PGresult	*res;
	json_t		*o;
	char		 hex[US_HASH_HEX + 1];

	if (!us_token_hash_hex(token, hex))
		goto unknown;
	res = us_db_query(db, err, "SELECT c.email, c.digest_off,"
	    " encode(t.token_hash, 'hex') FROM notice_tokens t"
	    " JOIN coordinators c ON c.id = t.coordinator_id"
	    " WHERE t.token_hash = decode($1, 'hex') AND t.expires_at > now()",
	    1, hex);
	if (res == NULL)
		return (NULL);
	if (!us_db_digest_matches(res, 2, hex)) {
		PQclear(res);
		goto unknown;
	}
	o = json_pack("{s:s, s:b}", "email", PQgetvalue(res, 0, 0),
	    "digest_off", PQgetvalue(res, 0, 1)[0] == 't');
	PQclear(res);
	return (o);
unknown:
	us_error_set(err, US_E_NOTFOUND, NULL, "unknown_link",
	    "This link is unknown or has expired. Sign in to the workspace "
	    "to change which mail you receive.");
	return (NULL);
}

/* The one-click unsubscribe (after its confirm button), or its undo. */
int
us_db_notices_off(struct us_db *db, const char *token, int off,
    struct us_error *err)
{
	PGresult	*res;
	char		 hex[US_HASH_HEX + 1];
	int		 n;

	if (!us_token_hash_hex(token, hex))
		n = 0;
	else {
		res = us_db_query(db, err, "UPDATE coordinators c SET"
		    " digest_off = $2::boolean FROM notice_tokens t"
		    " WHERE t.coordinator_id = c.id AND"
		    " t.token_hash = decode($1, 'hex') AND t.expires_at > now()"
		    " RETURNING c.id", 2, hex, off ? "true" : "false");
		if (res == NULL)
			return (US_FAIL);
		n = PQntuples(res);
		PQclear(res);
	}
	if (n == 0)
		return (us_error_set(err, US_E_NOTFOUND, NULL, "unknown_link",
		    "This link is unknown or has expired. Sign in to the "
		    "workspace to change which mail you receive."));
	return (US_OK);
}

/*
 * The setting on the workspace page; the language the coordinator uses
 * there is remembered with it (and at each sign-in) for their mail.
 */
int
us_db_notices_setting(struct us_db *db, long long coord, int off,
    const char *lang, struct us_error *err)
{
	char	id[32];

	(void)snprintf(id, sizeof(id), "%lld", coord);
	return (us_db_exec(db, err, "UPDATE coordinators SET digest_off ="
	    " $2::boolean, lang = coalesce($3, lang) WHERE id = $1", 3, id,
	    off ? "true" : "false", lang));
}

int
us_db_notices_get(struct us_db *db, long long coord, int *off,
    struct us_error *err)
{
	PGresult	*res;
	char		 id[32];

	(void)snprintf(id, sizeof(id), "%lld", coord);
	if ((res = us_db_query(db, err, "SELECT digest_off FROM coordinators"
	    " WHERE id = $1", 1, id)) == NULL)
		return (US_FAIL);
	*off = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return (US_OK);
}
