#include <stdio.h>
#include <string.h>

#include "db/db.h"

/*
 * The coordinators' export as a stream: COPY ... TO STDOUT hands the
 * rows over one at a time, so a list of 100,000 never sits in memory as
 * a result set (us_db_ws_export keeps that shape for XLSX and JSON).
 * COPY takes no parameters; the statement's id goes in as a setting
 * through a parameterised set_config() and the query reads it back.
 * The columns are those of src/http/ws_export.c, in its order, the
 * country twice (code and name).
 */
#define EXPORT_COPY_SQL \
	"COPY (SELECT CASE WHEN sg.visibility = 'named' AND " \
	US_SQL_PUBLIC_SIG " THEN row_number() OVER (PARTITION BY" \
	" sg.visibility = 'named' AND " US_SQL_PUBLIC_SIG \
	" ORDER BY " US_SQL_LIST_ORDER ") END AS position," \
	" sg.organisation, sg.display_name, sg.acronym, sg.country," \
	" sg.country, sg.country2, sg.website, sg.contact_name," \
	" sg.contact_role, sg.email, sg.comment, sg.visibility, sg.status," \
	" sg.approved_at IS NOT NULL, sg.rejection_reason, sg.source," \
	" sg.initiator, sg.lang, sg.text_digest," \
	" " US_SQL_TS("sg.created_at") "," \
	" " US_SQL_TS("sg.confirmed_at") "," \
	" " US_SQL_TS("sg.withdrawn_at") ", sg.id" \
	" FROM signatures sg JOIN statements st ON st.id = sg.statement_id" \
	" WHERE sg.statement_id =" \
	" current_setting('undersigned.export_statement')::bigint" \
	" ORDER BY position NULLS LAST, sg.created_at, sg.id) TO STDOUT"

int
us_db_ws_export_stream(struct us_db *db, const char *slug, long long coord,
    us_db_row_fn row, void *arg, struct us_error *err)
{
	PGresult	*res;
	char		 id[US_DB_ID_LEN], *line;
	int		 n, ok = US_OK;

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	if (!us_db_exec(db, err, "SELECT set_config("
	    "'undersigned.export_statement', $1, false)", 1, id))
		return (US_FAIL);
	res = PQexec(db->conn, EXPORT_COPY_SQL);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		us_db_error_status(res, db->conn, err);
		PQclear(res);
		return (US_FAIL);
	}
	PQclear(res);
	/* Every row is read, even after the caller failed, to end the COPY. */
	while ((n = PQgetCopyData(db->conn, &line, 0)) > 0) {
		if (ok && !row(arg, line, (size_t)n, err))
			ok = US_FAIL;
		PQfreemem(line);
	}
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && ok) {
			us_db_error_status(res, db->conn, err);
			ok = US_FAIL;
		}
		PQclear(res);
	}
	if (n == -2 && ok) {
		us_db_error_status(NULL, db->conn, err);
		ok = US_FAIL;
	}
	return (ok);
}
