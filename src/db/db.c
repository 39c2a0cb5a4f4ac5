#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/token.h"
#include "db/db.h"

#define DB_MAX_PARAMS	32

static int	db_retryable(const struct us_error *);
static PGresult	*db_vquery(struct us_db *, struct us_error *, const char *,
		    int, va_list);
static void	db_notice(void *, const char *);

/* Server notices ("relation already exists, skipping") are not news. */
static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

struct us_db *
us_db_new(const char *conninfo)
{
	struct us_db	*db;

	db = us_calloc(1, sizeof(*db));
	db->conninfo = us_strdup(conninfo);
	return (db);
}

void
us_db_free(struct us_db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

/*
 * (Re)connects when there is no healthy connection.  connect_timeout keeps
 * an unreachable host from holding a thread for long; the application name
 * shows who is connected in pg_stat_activity.
 */
int
us_db_connect(struct us_db *db, struct us_error *err)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "application_name", "client_encoding", NULL };
	const char	*vals[] = { db->conninfo, "3", "undersigned", "UTF8",
			    NULL };

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return (US_OK);
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->in_tx = 0;
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		us_log(LOG_WARNING, "database connection failed: %s",
		    db->conn != NULL ? PQerrorMessage(db->conn) : "no memory");
		return (us_error_set(err, US_E_UNAVAILABLE, NULL,
		    "database_unavailable", "The database is unavailable; "
		    "please try again in a moment."));
	}
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	db->generation++;
	return (US_OK);
}

/*
 * Maps a failed result to an error kind: connection loss and server
 * shutdown are 503 (retry), a unique violation is a conflict, bad data is
 * invalid input, anything else is our bug and is logged.
 */
int
us_db_error_status(const PGresult *res, PGconn *conn, struct us_error *err)
{
	const char	*state, *msg;

	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	if (state == NULL || PQstatus(conn) != CONNECTION_OK ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0) {
		us_log(LOG_WARNING, "database unavailable: %s", msg);
		return (us_error_set(err, US_E_UNAVAILABLE, NULL,
		    "database_unavailable", "The database is unavailable; "
		    "please try again in a moment."));
	}
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return (us_error_set(err, US_E_UNAVAILABLE, NULL,
		    "database_busy", "The database is busy; please try again."));
	if (strcmp(state, "23505") == 0)
		return (us_error_set(err, US_E_CONFLICT, NULL, "conflict",
		    "This already exists."));
	if (strncmp(state, "22", 2) == 0) {
		us_log(LOG_NOTICE, "rejected data: %s", msg);
		return (us_error_set(err, US_E_INVALID, NULL, "invalid_value",
		    "A value is out of range or malformed."));
	}
	us_log(LOG_ERR, "database error %s: %s", state, msg);
	return (us_error_set(err, US_E_INTERNAL, NULL, "internal",
	    "Something went wrong on our side; it has been logged."));
}

/*
 * Runs one parameterised statement.  Outside a transaction a statement
 * that failed because the connection was stale (PostgreSQL restarted) is
 * retried once on a fresh connection; inside one, us_db_tx retries the
 * whole transaction instead.
 */
PGresult *
us_db_queryv(struct us_db *db, struct us_error *err, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res;
	ExecStatusType	 st;
	int		 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (!us_db_connect(db, err))
			return (NULL);
		res = PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			/* The stale connection's error is over and done. */
			if (attempt > 0)
				us_error_clear(err);
			return (res);
		}
		us_db_error_status(res, db->conn, err);
		PQclear(res);
		if (db->in_tx || PQstatus(db->conn) == CONNECTION_OK)
			break;
	}
	return (NULL);
}

/* Collects n text parameters from a va_list: the SQL's $1..$n. */
static PGresult *
db_vquery(struct us_db *db, struct us_error *err, const char *sql, int n,
    va_list ap)
{
	const char	*params[DB_MAX_PARAMS];
	int		 i;

	if (n > DB_MAX_PARAMS)
		abort();
	for (i = 0; i < n; i++)
		params[i] = va_arg(ap, const char *);
	return (us_db_queryv(db, err, sql, n, params));
}

PGresult *
us_db_query(struct us_db *db, struct us_error *err, const char *sql, int n,
    ...)
{
	PGresult	*res;
	va_list		 ap;

	va_start(ap, n);
	res = db_vquery(db, err, sql, n, ap);
	va_end(ap);
	return (res);
}

/* A query's rows as a JSON array (see us_db_row_json); NULL on error. */
json_t *
us_db_rows(struct us_db *db, struct us_error *err, const char *sql, int n,
    ...)
{
	PGresult	*res;
	json_t		*list;
	va_list		 ap;

	va_start(ap, n);
	res = db_vquery(db, err, sql, n, ap);
	va_end(ap);
	if (res == NULL)
		return (NULL);
	list = us_db_rows_json(res);
	PQclear(res);
	return (list);
}

int
us_db_exec(struct us_db *db, struct us_error *err, const char *sql, int n,
    ...)
{
	PGresult	*res;
	va_list		 ap;

	va_start(ap, n);
	res = db_vquery(db, err, sql, n, ap);
	va_end(ap);
	if (res == NULL)
		return (US_FAIL);
	PQclear(res);
	return (US_OK);
}

static int
db_retryable(const struct us_error *err)
{
	return (err->kind == US_E_UNAVAILABLE);
}

/* A fresh random request key, as hex. */
int
us_db_tx_key_new(char key[US_TX_KEY_HEX], struct us_error *err)
{
	unsigned char	raw[US_TX_KEY_LEN];

	if (!us_random(raw, sizeof(raw)))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(raw, sizeof(raw), key);
	return (US_OK);
}

/*
 * Whether the transaction that wrote key committed: 1 yes, 0 no, -1 the
 * database cannot say now (err set).
 */
int
us_db_tx_committed(struct us_db *db, const char *key, struct us_error *err)
{
	PGresult	*res;
	int		 found;

	us_error_clear(err);
	res = us_db_query(db, err, "SELECT 1 FROM tx_keys WHERE key ="
	    " decode($1, 'hex')", 1, key);
	if (res == NULL)
		return (-1);
	found = PQntuples(res) == 1;
	PQclear(res);
	return (found);
}

/*
 * BEGIN, fn, COMMIT.  On failure the transaction is rolled back; when the
 * failure was the connection or a serialisation conflict the whole unit is
 * run once more, so a restart of PostgreSQL costs no request.
 *
 * A connection lost during COMMIT leaves it open whether the transaction
 * happened: PostgreSQL may have committed and died before answering.  So
 * each run writes a random key into tx_keys inside the transaction, and
 * after such a loss the key is looked up on a fresh connection: there,
 * the work is done and fn's results stand; absent, it is run again.  A
 * confirmation link is thus never "already used" by its own first use,
 * and an import never lands twice.  (txid_status() would need no table,
 * but after a fail-over to a standby that never saw the transaction its
 * id may belong to another one.)
 */
int
us_db_tx(struct us_db *db, us_db_fn fn, void *arg, struct us_error *err)
{
	char		key[US_TX_KEY_HEX];
	int		attempt, ok, committing;

	if (!us_db_tx_key_new(key, err))
		return (US_FAIL);
	for (attempt = 0; attempt < 2; attempt++) {
		us_error_clear(err);
		if (!us_db_exec(db, err, "BEGIN", 0))
			return (US_FAIL);
		db->in_tx = 1;
		committing = 0;
		ok = fn(db, arg, err) && us_db_exec(db, err, "INSERT INTO"
		    " tx_keys (key) VALUES (decode($1, 'hex'))", 1, key);
		if (ok) {
			committing = 1;
			ok = us_db_exec(db, err, "COMMIT", 0);
		}
		db->in_tx = 0;
		if (ok)
			return (US_OK);
		if (committing && PQstatus(db->conn) != CONNECTION_OK) {
			switch (us_db_tx_committed(db, key, err)) {
			case 1:
				us_log(LOG_NOTICE, "a COMMIT whose answer was "
				    "lost had succeeded; not repeated");
				return (US_OK);
			case 0:
				us_error_set(err, US_E_UNAVAILABLE, NULL,
				    "database_unavailable", "The database is "
				    "unavailable; please try again in a "
				    "moment.");
				continue;
			default:
				return (US_FAIL);
			}
		}
		if (PQstatus(db->conn) == CONNECTION_OK &&
		    PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
			PGresult *res = PQexec(db->conn, "ROLLBACK");
			PQclear(res);
		}
		if (!db_retryable(err))
			return (US_FAIL);
	}
	return (US_FAIL);
}

/* Keys older than any retry can be: a day, to be generous. */
int
us_db_tx_keys_expire(struct us_db *db, struct us_error *err)
{
	return (us_db_exec(db, err, "DELETE FROM tx_keys WHERE at < now() -"
	    " interval '1 day'", 0));
}

/*
 * A row as a JSON object keyed by column name; booleans and integers keep
 * their type, NULL becomes null, everything else is a string.  SQL aliases
 * thus decide the shape of API responses and template models.
 */
json_t *
us_db_row_json(const PGresult *res, int row)
{
	json_t		*o;
	const char	*v;
	int		 i;

	o = json_object();
	for (i = 0; i < PQnfields(res); i++) {
		if (PQgetisnull(res, row, i)) {
			json_object_set_new(o, PQfname(res, i), json_null());
			continue;
		}
		v = PQgetvalue(res, row, i);
		switch (PQftype(res, i)) {
		case 16:	/* bool */
			json_object_set_new(o, PQfname(res, i),
			    json_boolean(v[0] == 't'));
			break;
		case 20:	/* int8 */
		case 21:	/* int2 */
		case 23:	/* int4 */
			json_object_set_new(o, PQfname(res, i),
			    json_integer(strtoll(v, NULL, 10)));
			break;
		case 114:	/* json */
		case 3802:	/* jsonb */
			json_object_set_new(o, PQfname(res, i),
			    json_loads(v, JSON_DECODE_ANY, NULL));
			break;
		default:
			json_object_set_new(o, PQfname(res, i),
			    json_string(v));
			break;
		}
	}
	return (o);
}

json_t *
us_db_rows_json(const PGresult *res)
{
	json_t	*a;
	int	 i;

	a = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(a, us_db_row_json(res, i));
	return (a);
}

/*
 * Whether the digest in column col of the only row of res is the one
 * presented (hex).  The row was found by that digest; comparing again in
 * constant time means no answer of ours depends on a partial match.
 */
int
us_db_digest_matches(const PGresult *res, int col, const char *hex)
{
	return (PQntuples(res) == 1 && us_token_state(hex,
	    PQgetvalue(res, 0, col), 0, 0) == US_TOKEN_VALID);
}
