#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "db/db.h"

/* How long a claimed message stays invisible to other senders. */
#define OUTBOX_LEASE	"5 minutes"
#define TOKEN_LIFETIME	"7 days"
#define WITHDRAW_LIFETIME "400 days"
#define LOGIN_LIFETIME	"20 minutes"

struct claim {
	const struct us_mail_caps	*caps;
	json_t				*out;
	int				 skipped;
};

static int	outbox_claim_tx(struct us_db *, void *, struct us_error *);
static json_t	*outbox_context(struct us_db *, const char *, const char *,
		    struct us_error *);
static int	outbox_token(struct us_db *, json_t *, const char *,
		    const char *, const char *, const char *,
		    struct us_error *);

/*
 * Makes a token for the message being sent and puts it in the model as
 * name ("token", "withdraw_token"); its row id is remembered so a failed
 * attempt can take it back.
 */
static int
outbox_token(struct us_db *db, json_t *m, const char *name, const char *sql,
    const char *owner, const char *lifetime, struct us_error *err)
{
	PGresult	*res;
	char		 token[US_TOKEN_LEN + 1], hex[US_HASH_LEN * 2 + 1];
	unsigned char	 h[US_HASH_LEN];
	json_t		*ids;

	if (!us_token_new(token, h))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	if ((res = us_db_query(db, err, sql, 3, owner, hex, lifetime)) == NULL)
		return (US_FAIL);
	json_object_set_new(m, name, json_string(token));
	if ((ids = json_object_get(m, "token_ids")) == NULL) {
		ids = json_array();
		json_object_set_new(m, "token_ids", ids);
	}
	json_array_append_new(ids, json_string(PQgetvalue(res, 0, 0)));
	PQclear(res);
	return (US_OK);
}

/*
 * What a report's link or a delivery says, from the row the outbox
 * names; NULL (and no error) when the row has gone.  A delivery carries
 * the statement's text and list in its own language, and the file
 * rendered when it was delivered, in base64 as MIME sends it.
 */
static json_t *
outbox_context(struct us_db *db, const char *kind, const char *id,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*ctx;

	if (strcmp(kind, "action") == 0)
		res = us_db_query(db, err,
		    "SELECT ar.status AS report_status, ar.channel,"
		    " ar.lang, st.slug, coalesce(tr.title, st.title) AS title"
		    " FROM action_reports ar JOIN statements st"
		    " ON st.id = ar.statement_id"
		    " LEFT JOIN statement_translations tr"
		    " ON tr.statement_id = st.id AND tr.lang = ar.lang"
		    " WHERE ar.id = $1", 1, id);
	else
		res = us_db_query(db, err,
		    "SELECT d.name AS addressee_name, d.reply_to, d.version,"
		    " s0.slug, s0.title, s0.lang, s0.body_markdown, s0.body_html,"
		    " s0.place, s0.date::text AS date, s0.reference,"
		    " s0.coordinator_organisation, f.file_name, f.mime_type,"
		    " encode(f.data, 'base64') AS attachment,"
		    " " US_SQL_PUBLIC_LIST("s0.id") " AS signatories,"
		    " " US_SQL_UNNAMED("s0.id") " AS unnamed_count"
		    " FROM deliveries d JOIN statements s0"
		    " ON s0.id = d.statement_id"
		    " JOIN delivery_files f ON f.id = d.file_id"
		    " WHERE d.id = $1", 1, id);
	if (res == NULL)
		return (NULL);
	ctx = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	return (ctx);
}

/*
 * Claims the next due message with FOR UPDATE SKIP LOCKED and leases it
 * by moving next_attempt_at forward, then commits: the SMTP conversation
 * happens outside any transaction, and a sender that dies mid-way leaves a
 * message that is simply tried again when the lease ends.  For a
 * confirmation mail the token is made here, so its secret exists only in
 * memory and in the message sent.
 */
static int
outbox_claim_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct claim	*c = arg;
	PGresult	*res;
	json_t		*o, *ctx;
	const char	*status;
	char		 id[32], sig[32], coord[32], kind[32], stmt[32];
	char		 action[32], delivery[32];
	int		 needed, wait;

	json_decref(c->out);
	c->out = NULL;
	c->skipped = 0;
	res = us_db_query(db, err,
	    "SELECT id, kind, recipient, attempts + 1 AS attempt, signature_id,"
	    " coordinator_id, coalesce((SELECT statement_id FROM signatures sg"
	    " WHERE sg.id = outbox.signature_id), (SELECT statement_id FROM"
	    " action_reports ar WHERE ar.id = outbox.action_id))"
	    " AS statement_id, action_id, delivery_id"
	    " FROM outbox WHERE sent_at IS NULL AND"
	    " failed_at IS NULL AND next_attempt_at <= now()"
	    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", 0);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return (US_OK);
	}
	o = us_db_row_json(res, 0);
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(kind, sizeof(kind), "%s", PQgetvalue(res, 0, 1));
	(void)snprintf(sig, sizeof(sig), "%s", PQgetvalue(res, 0, 4));
	(void)snprintf(coord, sizeof(coord), "%s", PQgetvalue(res, 0, 5));
	(void)snprintf(stmt, sizeof(stmt), "%s", PQgetvalue(res, 0, 6));
	(void)snprintf(action, sizeof(action), "%s", PQgetvalue(res, 0, 7));
	(void)snprintf(delivery, sizeof(delivery), "%s", PQgetvalue(res, 0, 8));
	PQclear(res);

	/*
	 * Mail that anyone can cause by typing an address shares the relay
	 * under a cap: what is over it waits for the next minute.
	 */
	if (c->caps->per_minute > 0 && stmt[0] != '\0' &&
	    (strcmp(kind, "verify") == 0 || strcmp(kind, "already_signed") ==
	    0 || strcmp(kind, "action") == 0)) {
		if (!us_db_mail_slot(db, stmt, c->caps->per_minute,
		    c->caps->per_statement, &wait, err)) {
			json_decref(o);
			return (US_FAIL);
		}
		if (wait) {
			json_decref(o);
			c->skipped = 1;
			return (US_OK);
		}
	}
	c->out = o;

	if (!us_db_exec(db, err, "UPDATE outbox SET attempts = attempts + 1,"
	    " last_attempt_at = now(), next_attempt_at = now() + interval '"
	    OUTBOX_LEASE "' WHERE id = $1", 1, id))
		return (US_FAIL);

	if (strcmp(kind, "login") == 0) {
		res = us_db_query(db, err, "SELECT email, name FROM coordinators"
		    " WHERE id = $1", 1, coord);
		if (res == NULL)
			return (US_FAIL);
		ctx = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
		PQclear(res);
		needed = ctx != NULL;
	} else if (strcmp(kind, "action") == 0 ||
	    strcmp(kind, "delivery") == 0) {
		if ((ctx = outbox_context(db, kind, strcmp(kind, "action") == 0 ?
		    action : delivery, err)) == NULL && err->kind != US_E_NONE)
			return (US_FAIL);
		/* A report confirmed meanwhile needs no link any more. */
		needed = ctx != NULL && (strcmp(kind, "delivery") == 0 ||
		    strcmp(json_string_value(json_object_get(ctx,
		    "report_status")), "pending") == 0);
	} else {
		res = us_db_query(db, err,
		    "SELECT sg.organisation, sg.acronym, sg.contact_name,"
		    " sg.status AS signature_status, sg.visibility,"
		    " st.slug, coalesce(tr.title, st.title) AS title,"
		    " coalesce(tr.lang, st.lang) AS lang, st.require_approval,"
		    " st.status AS statement_status"
		    " FROM signatures sg JOIN statements st"
		    " ON st.id = sg.statement_id"
		    " LEFT JOIN statement_translations tr"
		    " ON tr.statement_id = st.id AND tr.lang = sg.lang"
		    " WHERE sg.id = $1", 1, sig);
		if (res == NULL)
			return (US_FAIL);
		ctx = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
		PQclear(res);
		status = ctx != NULL ? json_string_value(json_object_get(ctx,
		    "signature_status")) : "";
		/* Confirmed or withdrawn meanwhile: nothing left to say. */
		needed = ctx != NULL && (strcmp(kind, "verify") == 0 ?
		    strcmp(status, "pending") == 0 :
		    strcmp(kind, "published") == 0 ?
		    strcmp(status, "confirmed") == 0 : 1);
	}
	if (!needed) {
		json_decref(ctx);
		c->skipped = 1;
		return (us_db_exec(db, err, "UPDATE outbox SET failed_at ="
		    " now(), last_error = 'not needed any more' WHERE id = $1",
		    1, id));
	}
	json_object_update(o, ctx);
	json_decref(ctx);

	if (strcmp(kind, "login") == 0)
		return (outbox_token(db, o, "token", "INSERT INTO login_tokens"
		    " (coordinator_id, token_hash, expires_at) VALUES ($1,"
		    " decode($2, 'hex'), now() + $3::interval) RETURNING id",
		    coord, LOGIN_LIFETIME, err));
	if (strcmp(kind, "action") == 0)
		return (outbox_token(db, o, "token", "INSERT INTO email_tokens"
		    " (action_id, purpose, token_hash, expires_at) VALUES ($1,"
		    " 'action', decode($2, 'hex'), now() + $3::interval)"
		    " RETURNING id", action, TOKEN_LIFETIME, err));
	if (strcmp(kind, "delivery") == 0)
		return (US_OK);
	if (strcmp(kind, "verify") == 0 && !outbox_token(db, o, "token",
	    "INSERT INTO email_tokens (signature_id, token_hash, expires_at)"
	    " VALUES ($1, decode($2, 'hex'), now() + $3::interval) RETURNING id",
	    sig, TOKEN_LIFETIME, err))
		return (US_FAIL);
	/* Every mail to a signer carries a way out. */
	return (outbox_token(db, o, "withdraw_token", "INSERT INTO email_tokens"
	    " (signature_id, purpose, token_hash, expires_at) VALUES ($1,"
	    " 'withdraw', decode($2, 'hex'), now() + $3::interval) RETURNING id",
	    sig, WITHDRAW_LIFETIME, err));
}

/*
 * Returns the claimed message's model, or NULL: with err->kind US_E_NONE
 * when nothing is due, otherwise the failure.  A message found to be
 * unnecessary is retired and the next one is looked at.
 */
json_t *
us_db_outbox_claim(struct us_db *db, const struct us_mail_caps *caps,
    struct us_error *err)
{
	struct claim	c;
	int		i;

	c.caps = caps;
	c.out = NULL;
	for (i = 0; i < 100; i++) {
		us_error_clear(err);
		if (!us_db_tx(db, outbox_claim_tx, &c, err)) {
			json_decref(c.out);
			return (NULL);
		}
		if (!c.skipped)
			return (c.out);
	}
	json_decref(c.out);
	return (NULL);
}

int
us_db_outbox_sent(struct us_db *db, long long id, const char *msgid,
    struct us_error *err)
{
	char	sid[32];

	(void)snprintf(sid, sizeof(sid), "%lld", id);
	return (us_db_exec(db, err, "UPDATE outbox SET sent_at = now(),"
	    " message_id = $2, last_error = NULL WHERE id = $1", 2, sid, msgid));
}

/*
 * Records a failed attempt and when to try again; after the last attempt
 * the message is marked failed.  The tokens made for the attempt never
 * reached anyone, so they go.
 */
int
us_db_outbox_failed(struct us_db *db, const json_t *m, int retry_secs,
    const char *why, int give_up, struct us_error *err)
{
	const char	*table;
	json_t		*tid;
	char		 sid[32], secs[32];
	size_t		 i;

	(void)snprintf(sid, sizeof(sid), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(m, "id")));
	(void)snprintf(secs, sizeof(secs), "%d", retry_secs);
	if (!us_db_exec(db, err, "UPDATE outbox SET last_error = $2,"
	    " next_attempt_at = now() + make_interval(secs => $3::int),"
	    " failed_at = CASE WHEN $4::boolean THEN now() END WHERE id = $1",
	    4, sid, why, secs, give_up ? "true" : "false"))
		return (US_FAIL);
	table = strcmp(json_string_value(json_object_get(m, "kind")),
	    "login") == 0 ? "DELETE FROM login_tokens WHERE id = $1" :
	    "DELETE FROM email_tokens WHERE id = $1";
	json_array_foreach(json_object_get(m, "token_ids"), i, tid) {
		if (!us_db_exec(db, err, table, 1, json_string_value(tid)))
			return (US_FAIL);
	}
	return (US_OK);
}
