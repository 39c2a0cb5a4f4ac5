#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "db/db.h"

/*
 * One row of the audit log: who (NULL: the signer or the system), did
 * what, to what, with the state before and after as JSON.  It must be
 * written in the transaction of the change it records, so neither
 * exists alone: outside us_db_tx it refuses, and a change whose audit
 * row fails is rolled back with it.
 */
int
us_db_audit(struct us_db *db, const char *stmt, long long coord,
    const char *action, const char *subject, const json_t *before,
    const json_t *after, struct us_error *err)
{
	char	 cid[32], *b, *a;
	int	 ok;

	if (!db->in_tx) {
		us_log(LOG_ERR, "audit of \"%s\" outside a transaction",
		    action);
		return (us_error_set(err, US_E_INTERNAL, NULL, "internal",
		    "Something went wrong on our side; it has been logged."));
	}
	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	b = before != NULL ? json_dumps(before, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) : NULL;
	a = after != NULL ? json_dumps(after, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) : NULL;
	ok = us_db_exec(db, err, "INSERT INTO audit_log (statement_id,"
	    " coordinator_id, action, subject, before, after) VALUES ($1,"
	    " NULLIF($2, '0')::bigint, $3, $4, $5::jsonb, $6::jsonb)", 6, stmt,
	    cid, action, subject, b, a);
	free(b);
	free(a);
	return (ok);
}

/*
 * One page of the log of one statement, newest first, with who did it:
 * {entries, total, zone}.  Times come as wall clock in the statement's
 * zone (at_local, and subject_local for a subject that is a time), for
 * people to read; the stored JSON comes parsed.
 */
json_t *
us_db_audit_list(struct us_db *db, const char *stmt, int page, int per_page,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*rows, *out, *e, *v;
	char		 limit[16], offset[32];
	size_t		 i;
	const char	*s;

	res = us_db_query(db, err, "SELECT count(*), (SELECT coalesce("
	    "st.timezone, st.embargo_timezone, 'UTC') FROM statements st"
	    " WHERE st.id = $1) FROM audit_log WHERE statement_id = $1", 1,
	    stmt);
	if (res == NULL)
		return (NULL);
	out = json_pack("{s:I, s:s}", "total", (json_int_t)strtoll(
	    PQgetvalue(res, 0, 0), NULL, 10), "zone", PQgetvalue(res, 0, 1));
	PQclear(res);
	(void)snprintf(limit, sizeof(limit), "%d", per_page);
	(void)snprintf(offset, sizeof(offset), "%lld",
	    (long long)(page - 1) * per_page);
	rows = us_db_rows(db, err,
	    "SELECT to_char(a.at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI')"
	    " AS at_local, c.email AS who, a.coordinator_id IS NOT NULL OR"
	    " a.action NOT IN ('withdrawn by the signer',"
	    " 'contact data anonymised', 'published') AS by_coordinator,"
	    " a.action, a.subject,"
	    " CASE WHEN a.subject ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d' THEN"
	    " to_char(a.subject::timestamptz AT TIME ZONE z.zone,"
	    " 'YYYY-MM-DD HH24:MI') END AS subject_local,"
	    " a.before::text AS before, a.after::text AS after"
	    " FROM audit_log a LEFT JOIN coordinators c ON c.id ="
	    " a.coordinator_id CROSS JOIN (SELECT coalesce(st.timezone,"
	    " st.embargo_timezone, 'UTC') AS zone FROM statements st"
	    " WHERE st.id = $1) z WHERE a.statement_id = $1"
	    " ORDER BY a.at DESC, a.id DESC LIMIT $2 OFFSET $3", 3, stmt,
	    limit, offset);
	if (rows == NULL) {
		json_decref(out);
		return (NULL);
	}
	json_array_foreach(rows, i, e) {
		if ((s = json_string_value(json_object_get(e, "before"))) !=
		    NULL && (v = json_loads(s, 0, NULL)) != NULL)
			json_object_set_new(e, "before", v);
		if ((s = json_string_value(json_object_get(e, "after"))) !=
		    NULL && (v = json_loads(s, 0, NULL)) != NULL)
			json_object_set_new(e, "after", v);
	}
	json_object_set_new(out, "entries", rows);
	return (out);
}
