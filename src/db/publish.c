#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/when.h"
#include "db/db.h"

/*
 * Publication: at once, scheduled, or at the embargo; what it will do,
 * for the confirm page; the scheduled ones that are due.
 */

struct publish {
	const char	*stmt;
	long long	 coord;
	const char	*when;		/* scheduled: RFC 3339; NULL: now */
	const char	*slug;
	int		 lift;		/* lift the embargo first */
};

static int	publish_tx(struct us_db *, void *, struct us_error *);
static int	schedule_tx(struct us_db *, void *, struct us_error *);
static int	ws_publish_tx(struct us_db *, void *, struct us_error *);

/*
 * Publication: the status, the frozen version of every language with the
 * list as it stands, and one notification per confirmed signatory with
 * an address.  One transaction, so a statement is never half published.
 */
static int
publish_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct publish	*p = arg;
	PGresult	*res;
	json_t		*entry;
	char		 cid[32];
	int		 done, ok;

	(void)snprintf(cid, sizeof(cid), "%lld", p->coord);
	res = us_db_query(db, err, "UPDATE statements SET status = 'published',"
	    " published_at = now(), publish_at = NULL, updated_at = now()"
	    " WHERE id = $1 AND status IN ('open', 'closed') RETURNING id", 1,
	    p->stmt);
	if (res == NULL)
		return (US_FAIL);
	done = PQntuples(res) == 1;
	PQclear(res);
	if (!done)
		return (US_OK);
	if (!us_db_exec(db, err,
	    "INSERT INTO statement_versions (statement_id, version, lang, title,"
	    " body_markdown, body_html, text_digest, signatories, unnamed_count,"
	    " created_by, note)"
	    " SELECT s0.id, s0.version, v.lang, v.title, v.body_markdown,"
	    " v.body_html, v.text_digest, " US_SQL_PUBLIC_LIST("s0.id") ","
	    " " US_SQL_UNNAMED("s0.id") ", NULLIF($2, '0')::bigint, 'published'"
	    " FROM statements s0, LATERAL (SELECT s0.lang, s0.title,"
	    "   s0.body_markdown, s0.body_html, s0.text_digest UNION ALL"
	    "   SELECT tr.lang, tr.title, tr.body_markdown, tr.body_html,"
	    "   tr.text_digest FROM statement_translations tr"
	    "   WHERE tr.statement_id = s0.id) v"
	    " WHERE s0.id = $1"
	    " ON CONFLICT (statement_id, version, lang) DO NOTHING", 2,
	    p->stmt, cid))
		return (US_FAIL);
	/* Version 1 opens the log and the first signed record. */
	entry = json_pack("{s:s, s:i, s:s}", "event", "published", "version",
	    1, "by", "coordinator");
	ok = us_db_log_append(db, p->stmt, entry, err);
	json_decref(entry);
	if (!ok)
		return (US_FAIL);
	if (!us_db_exec(db, err,
	    "INSERT INTO outbox (kind, signature_id, recipient)"
	    " SELECT 'published', sg.id, sg.email FROM signatures sg"
	    " JOIN statements st ON st.id = sg.statement_id"
	    " WHERE sg.statement_id = $1 AND sg.email IS NOT NULL AND "
	    US_SQL_PUBLIC_SIG, 1, p->stmt) ||
	    !us_db_exec(db, err, "SELECT pg_notify('outbox', '')", 0))
		return (US_FAIL);
	return (us_db_audit(db, p->stmt, p->coord, "published", NULL, NULL,
	    NULL, err));
}

/*
 * Part of the status change to "published" (the API's and the status
 * form's), inside its transaction.  These have no confirm step and no
 * schedule, so an embargo that holds is a refusal: the workspace's
 * publication schedules it, and PATCH can remove it.
 */
/* The embargo's wall time in its own zone, for the one embargo format. */
#define PUBLISH_EMBARGO_LOCAL \
	"to_char(embargo_until AT TIME ZONE coalesce(embargo_timezone," \
	" 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI:SS'), coalesce(embargo_timezone," \
	" 'UTC')"

/*
 * Refuses with the embargo in the format people read everywhere else,
 * "00:01 (Asia/Bishkek), Wednesday 9 December 2026", never an ISO time.
 */
static int
publish_refuse(struct us_error *err, const char *field, const char *code,
    const char *local, const char *zone, const char *advice)
{
	struct us_buf	b;

	us_buf_init(&b);
	if (!us_when_text(&b, "en", local, zone))
		us_buf_appendf(&b, "%s (%s)", local, zone);
	us_error_set(err, US_E_CONFLICT, field, code,
	    "The embargo holds until %s: %s", b.data, advice);
	us_buf_free(&b);
	return (US_FAIL);
}

int
us_db_publish(struct us_db *db, const char *stmt, long long coord,
    struct us_error *err)
{
	struct publish	 p;
	PGresult	*res;
	int		 under;
	char		 until[US_DB_TIME_LEN];

	res = us_db_query(db, err, "SELECT coalesce(embargo_until > now(),"
	    " false), " US_SQL_TS("embargo_until") ", " PUBLISH_EMBARGO_LOCAL
	    " FROM statements WHERE id = $1", 1, stmt);
	if (res == NULL)
		return (US_FAIL);
	under = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	if (under) {
		(void)snprintf(until, sizeof(until), "%s",
		    PQgetvalue(res, 0, 1));
		(void)publish_refuse(err, "status", "embargo_holds",
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
		    "publish from the workspace to have it published then, or "
		    "remove the embargo first (PATCH with \"embargo_until\": "
		    "null).");
	}
	PQclear(res);
	if (under)
		return (US_FAIL);
	p.stmt = stmt;
	p.coord = coord;
	p.when = NULL;
	p.slug = NULL;
	p.lift = 0;
	return (publish_tx(db, &p, err));
}

/*
 * A coordinator's publication.  An embargo holds unless lifted: "now"
 * under a future embargo is scheduled for the embargo's time, and a time
 * before it is refused, so no click can break an embargo by accident.
 */
static int
ws_publish_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct publish		*p = arg;
	struct us_db_access	 a;
	PGresult		*res;
	const char		*id;
	char			 until[US_DB_TIME_LEN], local[US_DB_TIME_LEN];
	char			 zone[64];
	int			 under, before, ok;

	if (!us_db_access(db, p->slug, p->coord, &a, err))
		return (US_FAIL);
	if (strcmp(a.status, "open") != 0 && strcmp(a.status, "closed") != 0)
		return (us_error_set(err, US_E_CONFLICT, "status",
		    "invalid_transition", "Only an open or closed statement "
		    "can be published (this one is %s).", a.status));
	p->stmt = id = a.id;
	res = us_db_query(db, err, "SELECT coalesce(embargo_until > now(),"
	    " false), " US_SQL_TS("embargo_until") ", coalesce($2::timestamptz"
	    " < embargo_until, false), " PUBLISH_EMBARGO_LOCAL " FROM"
	    " statements WHERE id = $1 FOR UPDATE", 2, id, p->when);
	if (res == NULL)
		return (US_FAIL);
	under = PQgetvalue(res, 0, 0)[0] == 't';
	(void)snprintf(until, sizeof(until), "%s", PQgetvalue(res, 0, 1));
	before = PQgetvalue(res, 0, 2)[0] == 't';
	(void)snprintf(local, sizeof(local), "%s", PQgetvalue(res, 0, 3));
	(void)snprintf(zone, sizeof(zone), "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	if (p->lift && under) {
		if (!us_db_exec(db, err, "UPDATE statements SET embargo_until ="
		    " NULL, embargo_timezone = NULL, updated_at = now() WHERE"
		    " id = $1", 1, id) || !us_db_audit(db, id, p->coord,
		    "embargo lifted", until, NULL, NULL, err))
			return (US_FAIL);
	} else if (under && p->when == NULL)
		p->when = until;
	else if (under && before)
		return (publish_refuse(err, "publish_at", "before_embargo",
		    local, zone, "choose a time after it, or lift the "
		    "embargo."));
	ok = p->when != NULL ? schedule_tx(db, p, err) : publish_tx(db, p, err);
	p->when = NULL;		/* until[] ends with this frame */
	return (ok);
}

/*
 * Publish now, at the embargo, or at when (RFC 3339); lift says the
 * coordinator chose to lift the embargo.  The mail sender publishes
 * scheduled statements when their time comes.
 */
int
us_db_ws_publish(struct us_db *db, const char *slug, long long coord,
    const char *when, int lift, struct us_error *err)
{
	struct publish	 p;

	p.stmt = NULL;
	p.slug = slug;
	p.coord = coord;
	p.when = when;
	p.lift = lift;
	return (us_db_tx(db, ws_publish_tx, &p, err));
}

/*
 * What publishing would do, for the confirm page: how many organisations
 * the frozen list holds, how many mails go out, and the embargo.
 */
json_t *
us_db_ws_publish_plan(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	struct us_db_access	 a;
	PGresult		*res;
	json_t			*plan;

	if (!us_db_access(db, slug, coord, &a, err))
		return (NULL);
	res = us_db_query(db, err,
	    "SELECT st.slug, st.title, st.status,"
	    " coalesce(st.timezone, st.embargo_timezone, 'UTC') AS timezone,"
	    " st.embargo_timezone,"
	    " coalesce(st.embargo_until > now(), false) AS embargo_active,"
	    " to_char(st.embargo_until AT TIME ZONE coalesce("
	    "   st.embargo_timezone, 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI')"
	    "   AS embargo_local,"
	    " to_char(st.publish_at AT TIME ZONE coalesce(st.timezone,"
	    "   st.embargo_timezone, 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI')"
	    "   AS publish_local,"
	    " (SELECT count(*) FROM signatures sg WHERE sg.statement_id ="
	    "   st.id AND " US_SQL_PUBLIC_SIG ") AS listed,"
	    " (SELECT count(*) FROM signatures sg WHERE sg.statement_id ="
	    "   st.id AND sg.email IS NOT NULL AND " US_SQL_PUBLIC_SIG ")"
	    "   AS mails"
	    " FROM statements st WHERE st.id = $1", 1, a.id);
	if (res == NULL)
		return (NULL);
	plan = us_db_row_json(res, 0);
	PQclear(res);
	return (plan);
}

/* The mail sender publishes it when the time comes; wake it to plan. */
static int
schedule_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct publish	*p = arg;

	return (us_db_exec(db, err, "UPDATE statements SET publish_at ="
	    " $2::timestamptz, updated_at = now() WHERE id = $1", 2, p->stmt,
	    p->when) &&
	    us_db_exec(db, err, "SELECT pg_notify('outbox', '')", 0) &&
	    us_db_audit(db, p->stmt, p->coord, "publication scheduled",
	    p->when, NULL, NULL, err));
}

/* Scheduled publications that are due; returns how many were published. */
int
us_db_publish_due(struct us_db *db, int *count, struct us_error *err)
{
	struct publish	 p;
	PGresult	*res;
	char		 id[32];
	int		 i, n;

	*count = 0;
	res = us_db_query(db, err, "SELECT id FROM statements WHERE publish_at"
	    " <= now() AND status IN ('open', 'closed') ORDER BY publish_at", 0);
	if (res == NULL)
		return (US_FAIL);
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, i, 0));
		p.stmt = id;
		p.coord = 0;
		p.when = NULL;
		p.slug = NULL;
		p.lift = 0;
		if (!us_db_tx(db, publish_tx, &p, err)) {
			PQclear(res);
			return (US_FAIL);
		}
		(*count)++;
	}
	PQclear(res);
	return (US_OK);
}

