#include <stdio.h>
#include <string.h>

#include "db/db.h"

/*
 * May this coordinator act on this statement?  One question, asked by
 * every workspace page and coordinator API call before anything else.
 * Not found is 404, someone else's statement 403.
 */
int
us_db_access(struct us_db *db, const char *slug, long long coord,
    struct us_db_access *a, struct us_error *err)
{
	PGresult	*res;
	char		 cid[32];
	int		 mine;

	memset(a, 0, sizeof(*a));
	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	res = us_db_query(db, err,
	    "SELECT st.id, st.status, st.lang, EXISTS (SELECT 1 FROM"
	    " statement_coordinators sc WHERE sc.statement_id = st.id AND"
	    " sc.coordinator_id = $2) FROM statements st WHERE st.slug = $1",
	    2, slug, cid);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug));
	}
	(void)snprintf(a->id, sizeof(a->id), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(a->status, sizeof(a->status), "%s",
	    PQgetvalue(res, 0, 1));
	(void)snprintf(a->lang, sizeof(a->lang), "%s", PQgetvalue(res, 0, 2));
	mine = PQgetvalue(res, 0, 3)[0] == 't';
	PQclear(res);
	if (!mine)
		return (us_error_set(err, US_E_FORBIDDEN, NULL,
		    "not_coordinator", "You are not a coordinator of this "
		    "statement."));
	return (US_OK);
}

/* The same question for callers that keep their own id and status. */
int
us_db_ws_own(struct us_db *db, const char *slug, long long coord,
    char id[US_DB_ID_LEN], char status[US_DB_STATUS_LEN],
    struct us_error *err)
{
	struct us_db_access	a;

	if (!us_db_access(db, slug, coord, &a, err))
		return (US_FAIL);
	if (id != NULL)
		memcpy(id, a.id, sizeof(a.id));
	if (status != NULL)
		memcpy(status, a.status, sizeof(a.status));
	return (US_OK);
}
