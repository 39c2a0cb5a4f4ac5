#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"

struct retention {
	const char	*months;
	int		 found;
	long long	 signatures;
};

static int	retention_tx(struct us_db *, void *, struct us_error *);

/*
 * Anonymises one statement that closed more than the retention period
 * ago: its signatories keep their place, name, country and website in
 * the public list, but lose the address, the contact person, the comment,
 * every link sent to them and every queued or sent mail (which holds the
 * address); readers who reported actions lose their address the same way.  updated_at is left alone: nothing public changed, so
 * rendered files and their ETags stay valid.  SKIP LOCKED lets two runs
 * share the work.
 */
static int
retention_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct retention	*r = arg;
	PGresult		*res;
	json_t			*after;
	char			 id[32];
	long long		 n;
	int			 ok;

	r->found = 0;
	res = us_db_query(db, err, "SELECT id FROM statements WHERE"
	    " closed_at IS NOT NULL AND anonymised_at IS NULL AND closed_at <="
	    " now() - make_interval(months => $1::int) ORDER BY closed_at, id"
	    " LIMIT 1 FOR UPDATE SKIP LOCKED", 1, r->months);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return (US_OK);
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	res = us_db_query(db, err, "WITH a AS (UPDATE signatures SET email ="
	    " NULL, contact_name = NULL, contact_role = NULL, comment = NULL,"
	    " anonymised_at = now() WHERE statement_id = $1 AND anonymised_at"
	    " IS NULL RETURNING 1) SELECT count(*) FROM a", 1, id);
	if (res == NULL)
		return (US_FAIL);
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (!us_db_exec(db, err, "DELETE FROM email_tokens WHERE signature_id"
	    " IN (SELECT id FROM signatures WHERE statement_id = $1)", 1, id) ||
	    !us_db_exec(db, err, "DELETE FROM outbox WHERE signature_id IN"
	    " (SELECT id FROM signatures WHERE statement_id = $1)", 1, id) ||
	    /* Readers who reported an action keep being counted, unnamed. */
	    !us_db_exec(db, err, "DELETE FROM outbox WHERE action_id IN"
	    " (SELECT id FROM action_reports WHERE statement_id = $1)", 1, id) ||
	    !us_db_exec(db, err, "DELETE FROM email_tokens WHERE action_id IN"
	    " (SELECT id FROM action_reports WHERE statement_id = $1)", 1, id) ||
	    !us_db_exec(db, err, "UPDATE action_reports SET email = NULL"
	    " WHERE statement_id = $1 AND email IS NOT NULL", 1, id) ||
	    !us_db_exec(db, err, "UPDATE statements SET anonymised_at = now()"
	    " WHERE id = $1", 1, id))
		return (US_FAIL);
	after = json_pack("{s:I, s:i}", "signatures", (json_int_t)n,
	    "retention_months", atoi(r->months));
	ok = us_db_audit(db, id, 0, "contact data anonymised", NULL, NULL,
	    after, err);
	json_decref(after);
	if (ok) {
		r->found = 1;
		r->signatures = n;
	}
	return (ok);
}

/*
 * Anonymises every statement that closed more than `months` months ago,
 * one transaction each, so an interrupted run keeps what it did.
 * Returns the number of statements and signatures anonymised.
 */
int
us_db_retention_run(struct us_db *db, int months, long long *statements,
    long long *signatures, struct us_error *err)
{
	struct retention	r;
	char			m[16];

	(void)snprintf(m, sizeof(m), "%d", months);
	r.months = m;
	*statements = *signatures = 0;
	for (;;) {
		r.signatures = 0;
		if (!us_db_tx(db, retention_tx, &r, err))
			return (US_FAIL);
		if (!r.found)
			return (US_OK);
		(*statements)++;
		*signatures += r.signatures;
	}
}
