#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "db/db.h"

struct verify {
	const char	*token;
	json_t		*out;
};

static int	 verify_confirm(struct us_db *, struct verify *,
		    struct us_error *);

/*
 * A confirmation link and what its page shows: the signature, its
 * statement, and whether the text is still the one signed.
 */
static const struct us_db_token_kind verify_kind = {
	"SELECT encode(t.token_hash, 'hex') AS hash,"
	" t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,"
	" t.signature_id,"
	" sg.organisation, sg.status AS signature_status, sg.visibility,"
	" sg.visibility = 'counted' AS counted,"
	" sg.text_digest IS NOT DISTINCT FROM CASE WHEN sg.lang = st.lang"
	"   THEN st.text_digest ELSE (SELECT tr.text_digest FROM"
	"   statement_translations tr WHERE tr.statement_id = st.id AND"
	"   tr.lang = sg.lang) END AS text_current,"
	" st.slug, coalesce((SELECT tr.title FROM statement_translations tr"
	"   WHERE tr.statement_id = st.id AND tr.lang = sg.lang), st.title)"
	"   AS title, sg.lang AS signed_lang, st.status AS statement_status,"
	" st.require_approval"
	" FROM email_tokens t JOIN signatures sg ON sg.id = t.signature_id"
	" JOIN statements st ON st.id = sg.statement_id"
	" WHERE t.token_hash = decode($1, 'hex') AND t.purpose = 'verify'",
	"UPDATE email_tokens SET used_at = now() WHERE token_hash ="
	" decode($1, 'hex') AND purpose = 'verify' AND used_at IS NULL"
	" AND expires_at > now() RETURNING encode(token_hash, 'hex') AS hash",
	{
		"This confirmation link is not valid. Check that it was "
		"copied whole, or sign again to get a new one.",
		"This confirmation link was already used.",
		"This confirmation link has expired; ask for a new one.",
	},
};

/* What GET shows: it reads, and changes nothing (mail scanners follow links). */
json_t *
us_db_verify_lookup(struct us_db *db, const char *token, struct us_error *err)
{
	enum us_token_state	state;
	char			hex[US_HASH_HEX + 1];

	return (us_db_token_find(db, &verify_kind, token, hex, &state, err));
}

/*
 * Reads the link, then confirms in one statement, which is its own
 * transaction: two round trips, no BEGIN or COMMIT of their own.
 */
static int
verify_confirm(struct us_db *db, struct verify *v, struct us_error *err)
{
	enum us_token_state	 state;
	PGresult		*res;
	const char		*ststatus, *sgstatus;
	char			 sig[32], hex[US_HASH_HEX + 1];
	char			 key[US_TX_KEY_HEX];

	json_decref(v->out);
	if ((v->out = us_db_token_find(db, &verify_kind, v->token, hex, &state,
	    err)) == NULL || !us_token_refuse(state, &verify_kind.msgs, err))
		return (US_FAIL);
	ststatus = json_string_value(json_object_get(v->out,
	    "statement_status"));
	if (strcmp(ststatus, "open") != 0 && strcmp(ststatus, "closed") != 0)
		return (us_error_set(err, US_E_CONFLICT, NULL,
		    "signing_closed", "This statement no longer accepts "
		    "signatures."));
	/*
	 * Neither refusal burns the link: nothing was confirmed, and the
	 * page still has to say why.
	 */
	sgstatus = json_string_value(json_object_get(v->out,
	    "signature_status"));
	if (strcmp(sgstatus, "rejected") == 0 ||
	    strcmp(sgstatus, "withdrawn") == 0)
		return (us_error_set(err, US_E_CONFLICT, "token",
		    "signature_removed", "This signature was withdrawn or "
		    "removed from the list; sign again to add it back."));
	if (strcmp(sgstatus, "pending") == 0 &&
	    !json_is_true(json_object_get(v->out, "text_current")))
		return (us_error_set(err, US_E_CONFLICT, "token",
		    "text_changed", "The text of this statement changed after "
		    "you signed it. Please read the current text and sign "
		    "again."));
	(void)snprintf(sig, sizeof(sig), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(v->out, "signature_id")));

	/*
	 * Single use: this link and any other confirmation link sent, the
	 * signature confirmed and a request key written, in one statement.
	 * The stored digest is compared with the presented one again, in
	 * constant time, as us_db_token_use does.  A connection lost while
	 * it committed makes us_db_query run it again on a fresh one, which
	 * then finds the link used: the key says whether that was this very
	 * request (see us_db_tx), so a link is never "already used" by its
	 * own first use.
	 */
	if (!us_db_tx_key_new(key, err))
		return (US_FAIL);
	res = us_db_query(db, err,
	    "WITH t AS (UPDATE email_tokens SET used_at = now()"
	    "  WHERE token_hash = decode($1, 'hex') AND purpose = 'verify'"
	    "  AND used_at IS NULL AND expires_at > now()"
	    "  RETURNING token_hash),"
	    " sib AS (UPDATE email_tokens SET used_at = now()"
	    "  WHERE signature_id = $2 AND purpose = 'verify' AND"
	    "  used_at IS NULL AND token_hash <> decode($1, 'hex') AND"
	    "  EXISTS (SELECT 1 FROM t)),"
	    " sg AS (UPDATE signatures SET status = 'confirmed',"
	    "  confirmed_at = now(), updated_at = now() WHERE id = $2 AND"
	    "  status = 'pending' AND EXISTS (SELECT 1 FROM t) RETURNING id),"
	    " k AS (INSERT INTO tx_keys (key) SELECT decode($3, 'hex') FROM t)"
	    " SELECT encode(t.token_hash, 'hex'), EXISTS (SELECT 1 FROM sg)"
	    " FROM t", 3, hex, sig, key);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) == 0) {
		PQclear(res);
		switch (us_db_tx_committed(db, key, err)) {
		case 1:
			json_object_set_new(v->out, "signature_status",
			    json_string("confirmed"));
			return (US_OK);
		case 0:
			return (us_token_refuse(US_TOKEN_USED,
			    &verify_kind.msgs, err));
		default:
			return (US_FAIL);
		}
	}
	if (us_token_state(hex, PQgetvalue(res, 0, 0), 0, 0) !=
	    US_TOKEN_VALID) {
		PQclear(res);
		return (us_token_refuse(US_TOKEN_USED, &verify_kind.msgs, err));
	}
	if (PQgetvalue(res, 0, 1)[0] == 't')
		json_object_set_new(v->out, "signature_status",
		    json_string("confirmed"));
	PQclear(res);
	return (US_OK);
}

/* POST: confirms.  The answer says whether approval is still to come. */
json_t *
us_db_verify_confirm(struct us_db *db, const char *token, struct us_error *err)
{
	struct verify	v;

	v.token = token;
	v.out = NULL;
	if (!verify_confirm(db, &v, err)) {
		json_decref(v.out);
		return (NULL);
	}
	return (v.out);
}

/*
 * A used or expired link offers a new email.  It goes out only while the
 * signature still waits for confirmation and the statement is open, and
 * only if no mail went to the address in the last ten minutes.
 */
int
us_db_verify_resend(struct us_db *db, const char *token, struct us_error *err)
{
	PGresult	*res;
	char		 hex[US_HASH_HEX + 1], sig[32];
	int		 ok;

	if (!us_token_hash_hex(token, hex))
		return (us_token_refuse(US_TOKEN_UNKNOWN, &verify_kind.msgs,
		    err));
	res = us_db_query(db, err,
	    "SELECT sg.id, sg.email FROM email_tokens t"
	    " JOIN signatures sg ON sg.id = t.signature_id"
	    " JOIN statements st ON st.id = sg.statement_id"
	    " WHERE t.token_hash = decode($1, 'hex') AND t.purpose = 'verify'"
	    " AND st.status = 'open' AND sg.status = 'pending'", 1, hex);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (US_OK);
	}
	(void)snprintf(sig, sizeof(sig), "%s", PQgetvalue(res, 0, 0));
	ok = us_db_mail_queue(db, "verify", sig, PQgetvalue(res, 0, 1), err);
	PQclear(res);
	return (ok);
}
