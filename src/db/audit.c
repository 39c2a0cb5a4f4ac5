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

/* The log of one statement, newest first, with who did it. */
json_t *
us_db_audit_list(struct us_db *db, const char *stmt, struct us_error *err)
{

	return (us_db_rows(db, err,
	    "SELECT " US_SQL_TS("a.at") " AS at, coalesce(c.email, '') AS who,"
	    " a.action, a.subject, a.before::text AS before,"
	    " a.after::text AS after"
	    " FROM audit_log a LEFT JOIN coordinators c ON c.id ="
	    " a.coordinator_id WHERE a.statement_id = $1"
	    " ORDER BY a.at DESC, a.id DESC LIMIT 1000", 1, stmt));
}
