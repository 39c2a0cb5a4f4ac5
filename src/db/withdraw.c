#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "db/db.h"

struct withdraw {
	const char	*token;
	json_t		*out;
};

static int	 withdraw_tx(struct us_db *, void *, struct us_error *);

static const struct us_db_token_kind withdraw_kind = {
	"SELECT encode(t.token_hash, 'hex') AS hash,"
	" t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,"
	" sg.id AS signature_id,"
	" st.id AS statement_id, coalesce(sg.display_name,"
	" sg.organisation) AS organisation, sg.status AS signature_status,"
	" st.slug, st.title"
	" FROM email_tokens t JOIN signatures sg ON sg.id = t.signature_id"
	" JOIN statements st ON st.id = sg.statement_id"
	" WHERE t.token_hash = decode($1, 'hex') AND t.purpose = 'withdraw'",
	"UPDATE email_tokens SET used_at = now() WHERE token_hash ="
	" decode($1, 'hex') AND purpose = 'withdraw' AND used_at IS NULL"
	" AND expires_at > now() RETURNING encode(token_hash, 'hex') AS hash",
	{
		"This withdrawal link is not valid.",
		"This withdrawal link was already used or has expired.",
		"This withdrawal link was already used or has expired.",
	},
};

/* What the withdrawal page shows; reading it changes nothing. */
json_t *
us_db_withdraw_lookup(struct us_db *db, const char *token,
    struct us_error *err)
{
	enum us_token_state	state;
	char			hex[US_HASH_HEX + 1];

	return (us_db_token_find(db, &withdraw_kind, token, hex, &state, err));
}

/*
 * The signer takes the signature back: it leaves every public list at
 * once and stays in the audit log, recorded as the signer's own act.
 */
static int
withdraw_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct withdraw		*w = arg;
	enum us_token_state	 state;
	PGresult		*res;
	json_t			*before, *after, *used, *entry;
	const char		*status;
	char			 sig[32], stmt[32], hex[US_HASH_HEX + 1];
	int			 ok;

	json_decref(w->out);
	if ((w->out = us_db_token_find(db, &withdraw_kind, w->token, hex,
	    &state, err)) == NULL ||
	    !us_token_refuse(state, &withdraw_kind.msgs, err))
		return (US_FAIL);
	/*
	 * A signature the coordinators removed is not on the list; the link
	 * stays usable in case they restore it.
	 */
	status = json_string_value(json_object_get(w->out,
	    "signature_status"));
	if (strcmp(status, "pending") != 0 && strcmp(status, "confirmed") != 0)
		return (us_error_set(err, US_E_CONFLICT, "token",
		    "signature_removed", "This signature is not on the list: "
		    "it was already withdrawn or removed."));
	(void)snprintf(sig, sizeof(sig), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(w->out, "signature_id")));
	(void)snprintf(stmt, sizeof(stmt), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(w->out, "statement_id")));
	if ((used = us_db_token_use(db, &withdraw_kind, hex, err)) == NULL)
		return (US_FAIL);
	json_decref(used);
	/* Off a published list: an entry in its log, and a new record. */
	entry = us_db_log_removal(db, sig, "signer", NULL, err);
	if (entry == NULL && err->kind != US_E_NONE)
		return (US_FAIL);
	res = us_db_query(db, err, "UPDATE signatures SET status = 'withdrawn',"
	    " withdrawn_at = now(), updated_at = now() WHERE id = $1 AND"
	    " status IN ('pending', 'confirmed') RETURNING status", 1, sig);
	if (res == NULL) {
		json_decref(entry);
		return (US_FAIL);
	}
	ok = PQntuples(res) == 1;
	PQclear(res);
	if (ok && entry != NULL)
		ok = us_db_log_append(db, stmt, entry, err) ? 1 : -1;
	json_decref(entry);
	if (ok == -1)
		return (US_FAIL);
	if (!ok)
		return (US_OK);
	before = json_pack("{s:O}", "status",
	    json_object_get(w->out, "signature_status"));
	after = json_pack("{s:s}", "status", "withdrawn");
	json_object_set_new(w->out, "signature_status",
	    json_string("withdrawn"));
	ok = us_db_audit(db, stmt, 0, "withdrawn by the signer",
	    json_string_value(json_object_get(w->out, "organisation")), before,
	    after, err);
	json_decref(before);
	json_decref(after);
	return (ok);
}

json_t *
us_db_withdraw(struct us_db *db, const char *token, struct us_error *err)
{
	struct withdraw	w;

	w.token = token;
	w.out = NULL;
	if (!us_db_tx(db, withdraw_tx, &w, err)) {
		json_decref(w.out);
		return (NULL);
	}
	return (w.out);
}
