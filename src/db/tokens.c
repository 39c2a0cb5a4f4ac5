#include "core/token.h"
#include "db/db.h"

/*
 * Emailed links, once for all kinds (confirmation, withdrawal, sign-in):
 * the presented token is hashed, the row found by its digest, the digests
 * compared in constant time, and the link's state decided in one place
 * (core/token.c).  Each kind brings its SQL and its words.
 */

/*
 * The row of a presented link and its "state" (valid, used, expired), or
 * NULL with 404 token_unknown (or a database error).  hex receives the
 * digest for later statements; *state the state.
 */
json_t *
us_db_token_find(struct us_db *db, const struct us_db_token_kind *k,
    const char *token, char hex[US_HASH_HEX + 1], enum us_token_state *state,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*o;

	*state = US_TOKEN_UNKNOWN;
	if (!us_token_hash_hex(token, hex)) {
		us_token_refuse(US_TOKEN_UNKNOWN, &k->msgs, err);
		return (NULL);
	}
	if ((res = us_db_query(db, err, k->find, 1, hex)) == NULL)
		return (NULL);
	if (PQntuples(res) == 1)
		*state = us_token_state(hex, PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1)[0] == 't',
		    PQgetvalue(res, 0, 2)[0] == 't');
	if (*state == US_TOKEN_UNKNOWN) {
		PQclear(res);
		us_token_refuse(US_TOKEN_UNKNOWN, &k->msgs, err);
		return (NULL);
	}
	o = us_db_row_json(res, 0);
	PQclear(res);
	json_object_del(o, "hash");
	json_object_del(o, "used");
	json_object_del(o, "expired");
	json_object_set_new(o, "state",
	    json_string(us_token_state_name(*state)));
	return (o);
}

/*
 * Uses the link up, if it is still valid at this moment: the row the
 * kind's statement returns (its first column the digest, compared again
 * in constant time), or NULL with 409 token_used when another request
 * was first or the link just expired.
 */
json_t *
us_db_token_use(struct us_db *db, const struct us_db_token_kind *k,
    const char *hex, struct us_error *err)
{
	PGresult	*res;
	json_t		*o;

	if ((res = us_db_query(db, err, k->use, 1, hex)) == NULL)
		return (NULL);
	if (PQntuples(res) != 1 || us_token_state(hex, PQgetvalue(res, 0, 0),
	    0, 0) != US_TOKEN_VALID) {
		PQclear(res);
		us_token_refuse(US_TOKEN_USED, &k->msgs, err);
		return (NULL);
	}
	o = us_db_row_json(res, 0);
	PQclear(res);
	json_object_del(o, "hash");
	return (o);
}
