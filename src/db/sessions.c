#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "db/db.h"

/* Sign-in links live briefly; a session lasts a working week at most. */
#define LOGIN_LIFETIME		"20 minutes"
#define SESSION_IDLE		"12 hours"
#define SESSION_MAX		"7 days"

struct login {
	const char	*hex;
	const char	*lang;
	char		*token;
	char		*csrf;
	json_t		*out;
};

static int	login_consume_tx(struct us_db *, void *, struct us_error *);

/*
 * A sign-in link is mailed only to a known coordinator, at most once a
 * minute; the caller answers the same for any address.
 */
int
us_db_login_request(struct us_db *db, const char *email, struct us_error *err)
{
	return (us_db_exec(db, err,
	    "WITH c AS ("
	    "  SELECT id, email FROM coordinators WHERE lower(email) = lower($1)"
	    "  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.coordinator_id ="
	    "  coordinators.id AND o.kind = 'login' AND o.created_at > now() -"
	    "  interval '1 minute')),"
	    " o AS (INSERT INTO outbox (kind, coordinator_id, recipient)"
	    "  SELECT 'login', id, email FROM c RETURNING id)"
	    " SELECT pg_notify('outbox', '') FROM o", 1, email));
}

static const struct us_db_token_kind login_kind = {
	"SELECT encode(t.token_hash, 'hex') AS hash,"
	" t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,"
	" c.email"
	" FROM login_tokens t JOIN coordinators c ON c.id = t.coordinator_id"
	" WHERE t.token_hash = decode($1, 'hex')",
	"UPDATE login_tokens SET used_at = now()"
	" WHERE token_hash = decode($1, 'hex') AND used_at IS NULL"
	" AND expires_at > now()"
	" RETURNING encode(token_hash, 'hex') AS hash, coordinator_id",
	{
		"This sign-in link is not valid; ask for a new one.",
		"This sign-in link was already used or has expired; ask for "
		"a new one.",
		"This sign-in link has expired; ask for a new one.",
	},
};

/* What the sign-in page shows for a link: valid, used, expired. */
json_t *
us_db_login_lookup(struct us_db *db, const char *token, struct us_error *err)
{
	enum us_token_state	state;
	char			hex[US_HASH_HEX + 1];

	return (us_db_token_find(db, &login_kind, token, hex, &state, err));
}

/*
 * The link is used up and a new session begins: a new random secret for
 * the cookie (never one the browser brought, so a planted session id is
 * worthless) and a CSRF secret for its forms.
 */
static int
login_consume_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct login	*l = arg;
	json_t		*used;
	unsigned char	 h[US_HASH_LEN], c[US_HASH_LEN];
	char		 hex[US_HASH_LEN * 2 + 1], coord[32];

	if ((used = us_db_token_use(db, &login_kind, l->hex, err)) == NULL)
		return (US_FAIL);
	(void)snprintf(coord, sizeof(coord), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(used, "coordinator_id")));
	json_decref(used);
	/* The workspace language, which their mail (the digest) speaks. */
	if (l->lang != NULL && !us_db_exec(db, err, "UPDATE coordinators SET"
	    " lang = $2 WHERE id = $1", 2, coord, l->lang))
		return (US_FAIL);
	if (!us_token_new(l->token, h) || !us_token_new(l->csrf, c))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	return (us_db_exec(db, err,
	    "INSERT INTO sessions (coordinator_id, token_hash, csrf, expires_at)"
	    " VALUES ($1, decode($2, 'hex'), $3, now() + interval '"
	    SESSION_IDLE "')", 3, coord, hex, l->csrf));
}

int
us_db_login_consume(struct us_db *db, const char *token, const char *lang,
    char *session, char *csrf, struct us_error *err)
{
	struct login	l;
	char		hex[US_HASH_HEX + 1];

	if (!us_token_hash_hex(token, hex))
		return (us_token_refuse(US_TOKEN_UNKNOWN, &login_kind.msgs,
		    err));
	l.hex = hex;
	l.lang = lang;
	l.token = session;
	l.csrf = csrf;
	return (us_db_tx(db, login_consume_tx, &l, err));
}

/*
 * The session behind a cookie.  Each use moves the idle expiry forward,
 * never past a week from sign-in.
 */
int
us_db_session_get(struct us_db *db, const char *token, long long *coord,
    char *csrf, size_t csrflen, json_t **who, struct us_error *err)
{
	PGresult	*res;
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 ok;

	if (!us_token_hash_hex(token, hex))
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "not_signed_in", "Please sign in."));
	res = us_db_query(db, err,
	    "UPDATE sessions s SET last_seen_at = now(), expires_at ="
	    " least(now() + interval '" SESSION_IDLE "', s.created_at +"
	    " interval '" SESSION_MAX "')"
	    " FROM coordinators c WHERE c.id = s.coordinator_id AND"
	    " s.token_hash = decode($1, 'hex') AND s.expires_at > now()"
	    " RETURNING s.coordinator_id, s.csrf, encode(s.token_hash, 'hex'),"
	    " c.email, c.name", 1, hex);
	if (res == NULL)
		return (US_FAIL);
	ok = us_db_digest_matches(res, 2, hex);
	if (ok) {
		*coord = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		(void)snprintf(csrf, csrflen, "%s", PQgetvalue(res, 0, 1));
		if (who != NULL) {
			*who = json_pack("{s:s, s:s?}", "email",
			    PQgetvalue(res, 0, 3), "name",
			    PQgetisnull(res, 0, 4) ? NULL :
			    PQgetvalue(res, 0, 4));
		}
	}
	PQclear(res);
	if (!ok)
		return (us_error_set(err, US_E_UNAUTHORIZED, NULL,
		    "not_signed_in", "Your session has ended; please sign in "
		    "again."));
	return (US_OK);
}

int
us_db_session_end(struct us_db *db, const char *token, struct us_error *err)
{
	char		hex[US_HASH_HEX + 1];

	if (!us_token_hash_hex(token, hex))
		return (US_OK);
	return (us_db_exec(db, err, "DELETE FROM sessions WHERE token_hash ="
	    " decode($1, 'hex') OR expires_at < now()", 1, hex));
}
