#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "core/validate.h"
#include "db/db.h"

/*
 * Adds the coordinator if new and gives them a fresh API token.  token
 * receives the secret (US_TOKEN_LEN + 1 bytes); only its digest is kept.
 */
int
us_db_coord_add(struct us_db *db, const char *email, const char *label,
    char *token, struct us_error *err)
{
	PGresult	*res;
	unsigned char	 h[US_HASH_LEN];
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 ok;

	if (!us_valid_email(email))
		return (us_error_set(err, US_E_INVALID, "email",
		    "invalid_email", "%s is not an email address.", email));
	if (!us_token_new(token, h))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	res = us_db_query(db, err,
	    "WITH c AS ("
	    "  INSERT INTO coordinators (email) VALUES ($1)"
	    "  ON CONFLICT (lower(email)) DO UPDATE SET email = coordinators.email"
	    "  RETURNING id)"
	    " INSERT INTO api_tokens (coordinator_id, token_hash, label)"
	    " SELECT id, decode($2, 'hex'), $3 FROM c RETURNING id",
	    3, email, hex, label);
	ok = res != NULL && PQntuples(res) == 1;
	PQclear(res);
	return (ok ? US_OK : US_FAIL);
}

/*
 * Resolves a bearer token to its coordinator.  The row is found by the
 * token's digest; the digests are then compared in constant time so no
 * timing of ours depends on how much of a guess was right.
 */
int
us_db_coord_auth(struct us_db *db, const char *token, long long *coord,
    struct us_error *err)
{
	PGresult	*res;
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 ok;

	if (!us_token_hash_hex(token, hex))
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "invalid_token", "The API token is not valid."));
	res = us_db_query(db, err,
	    "UPDATE api_tokens SET last_used_at = now()"
	    " WHERE token_hash = decode($1, 'hex') AND revoked_at IS NULL"
	    " RETURNING coordinator_id, encode(token_hash, 'hex')", 1, hex);
	if (res == NULL)
		return (US_FAIL);
	ok = us_db_digest_matches(res, 1, hex);
	if (ok)
		*coord = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (!ok)
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "invalid_token", "The API token is not valid or was "
		    "revoked."));
	return (US_OK);
}

/*
 * The coordinator's API tokens, newest first; never the secrets.  Times
 * come as wall clock (created_local, last_used_local) in the coordinator's
 * zone, named in zone: that of the statement they last worked on that
 * has one, else UTC.
 */
json_t *
us_db_tokens_list(struct us_db *db, long long coord, struct us_error *err)
{
	char		 cid[32];

	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	return (us_db_rows(db, err, "SELECT t.id, t.label, z.zone,"
	    " to_char(t.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI')"
	    " AS created_local, to_char(t.last_used_at AT TIME ZONE z.zone,"
	    " 'YYYY-MM-DD HH24:MI') AS last_used_local,"
	    " t.revoked_at IS NOT NULL AS revoked FROM api_tokens t"
	    " CROSS JOIN (SELECT coalesce((SELECT coalesce(st.timezone,"
	    " st.embargo_timezone) FROM statements st JOIN"
	    " statement_coordinators sc ON sc.statement_id = st.id WHERE"
	    " sc.coordinator_id = $1 AND coalesce(st.timezone,"
	    " st.embargo_timezone) IS NOT NULL ORDER BY st.updated_at DESC"
	    " LIMIT 1), 'UTC') AS zone) z"
	    " WHERE t.coordinator_id = $1 ORDER BY t.created_at DESC", 1,
	    cid));
}

/* A new token for the signed-in coordinator; token gets the secret. */
int
us_db_token_create(struct us_db *db, long long coord, const char *label,
    char *token, struct us_error *err)
{
	unsigned char	h[US_HASH_LEN];
	char		hex[US_HASH_LEN * 2 + 1], cid[32];

	if (!us_token_new(token, h))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	return (us_db_exec(db, err, "INSERT INTO api_tokens (coordinator_id,"
	    " token_hash, label) VALUES ($1, decode($2, 'hex'), $3)", 3, cid,
	    hex, label != NULL ? label : ""));
}

int
us_db_token_revoke(struct us_db *db, long long coord, const char *id,
    struct us_error *err)
{
	char	cid[32];

	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	return (us_db_exec(db, err, "UPDATE api_tokens SET revoked_at = now()"
	    " WHERE id = $1::bigint AND coordinator_id = $2 AND revoked_at IS"
	    " NULL", 2, id, cid));
}

struct coord_change {
	const char	*stmt;
	long long	 coord;
	const char	*email;
};

static int	coord_add_tx(struct us_db *, void *, struct us_error *);
static int	coord_remove_tx(struct us_db *, void *, struct us_error *);
static int	coord_email(const char *, struct us_error *);
static int	coord_apply(struct us_db *, const char *, long long, const char *,
		    int (*)(struct us_db *, void *, struct us_error *),
		    struct us_error *);

static int
coord_email(const char *email, struct us_error *err)
{
	if (!us_valid_email(email))
		return (us_error_set(err, US_E_INVALID, "email",
		    "invalid_email", "Give the coordinator's email address, "
		    "like name@example.org."));
	return (US_OK);
}

static int
coord_add_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct coord_change	*c = arg;

	return (us_db_exec(db, err,
	    "WITH c AS (INSERT INTO coordinators (email) VALUES ($2)"
	    "  ON CONFLICT (lower(email)) DO UPDATE SET email ="
	    "  coordinators.email RETURNING id)"
	    " INSERT INTO statement_coordinators (statement_id, coordinator_id)"
	    " SELECT $1, id FROM c ON CONFLICT DO NOTHING", 2, c->stmt,
	    c->email) &&
	    us_db_audit(db, c->stmt, c->coord, "coordinator added", c->email,
	    NULL, NULL, err));
}

/*
 * A change to a statement's coordinators by one of them: the address is
 * checked, the acting coordinator's own access too, then tx runs the
 * change and its audit row in one transaction.
 */
static int
coord_apply(struct us_db *db, const char *slug, long long coord,
    const char *email, int (*tx)(struct us_db *, void *, struct us_error *),
    struct us_error *err)
{
	struct coord_change	c;
	char			id[32];

	if (!coord_email(email, err) ||
	    !us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	c.stmt = id;
	c.coord = coord;
	c.email = email;
	return (us_db_tx(db, tx, &c, err));
}

/*
 * Another coordinator for a statement, by email: added as a coordinator
 * if new (they sign in by emailed link, so no password is involved).
 */
int
us_db_ws_add_coordinator(struct us_db *db, const char *slug, long long coord,
    const char *email, struct us_error *err)
{
	return (coord_apply(db, slug, coord, email, coord_add_tx, err));
}

/*
 * The statement's row is locked first, so two coordinators removing each
 * other at once cannot both succeed and leave nobody.
 */
static int
coord_remove_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct coord_change	*c = arg;
	PGresult		*res;
	char			 email[320];
	int			 left;

	if (!us_db_exec(db, err, "SELECT 1 FROM statements WHERE id = $1"
	    " FOR UPDATE", 1, c->stmt))
		return (US_FAIL);
	res = us_db_query(db, err, "DELETE FROM statement_coordinators sc"
	    " USING coordinators c WHERE sc.statement_id = $1 AND"
	    " c.id = sc.coordinator_id AND lower(c.email) = lower($2)"
	    " RETURNING c.email", 2, c->stmt, c->email);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, "email",
		    "not_a_coordinator", "%s is not a coordinator of this "
		    "statement.", c->email));
	}
	(void)snprintf(email, sizeof(email), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = us_db_query(db, err, "SELECT count(*) FROM statement_coordinators"
	    " WHERE statement_id = $1", 1, c->stmt);
	if (res == NULL)
		return (US_FAIL);
	left = (int)strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (left == 0)
		return (us_error_set(err, US_E_CONFLICT, "email",
		    "last_coordinator", "%s is the last coordinator of this "
		    "statement; add another before removing them.", email));
	return (us_db_audit(db, c->stmt, c->coord, "coordinator removed",
	    email, NULL, NULL, err));
}

/*
 * A coordinator leaves a statement: every access ends at once (each
 * request checks membership), exports and API included.  The last one
 * cannot be removed.
 */
int
us_db_ws_remove_coordinator(struct us_db *db, const char *slug,
    long long coord, const char *email, struct us_error *err)
{
	return (coord_apply(db, slug, coord, email, coord_remove_tx, err));
}

/* The addresses of a statement's coordinators, for its coordinators. */
json_t *
us_db_ws_coordinators(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*list;
	char		 id[32];
	int		 i;

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (NULL);
	res = us_db_query(db, err, "SELECT c.email FROM coordinators c JOIN"
	    " statement_coordinators sc ON sc.coordinator_id = c.id WHERE"
	    " sc.statement_id = $1 ORDER BY c.email", 1, id);
	if (res == NULL)
		return (NULL);
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, json_string(PQgetvalue(res, i, 0)));
	PQclear(res);
	return (list);
}
