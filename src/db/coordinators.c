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
	unsigned char	 h[US_HASH_LEN], stored[US_HASH_LEN];
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 ok;

	if (!us_token_hash(token, h))
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "invalid_token", "The API token is not valid."));
	us_hex(h, sizeof(h), hex);
	res = us_db_query(db, err,
	    "UPDATE api_tokens SET last_used_at = now()"
	    " WHERE token_hash = decode($1, 'hex') AND revoked_at IS NULL"
	    " RETURNING coordinator_id, encode(token_hash, 'hex')", 1, hex);
	if (res == NULL)
		return (US_FAIL);
	ok = PQntuples(res) == 1 &&
	    us_unhex(PQgetvalue(res, 0, 1), stored, sizeof(stored)) &&
	    us_token_equal(h, stored);
	if (ok)
		*coord = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (!ok)
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "invalid_token", "The API token is not valid or was "
		    "revoked."));
	return (US_OK);
}
