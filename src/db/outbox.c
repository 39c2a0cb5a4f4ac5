#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/token.h"
#include "db/db.h"

/* How long a claimed message stays invisible to other senders. */
#define OUTBOX_LEASE	"5 minutes"
#define TOKEN_LIFETIME	"7 days"
#define WITHDRAW_LIFETIME "400 days"
#define LOGIN_LIFETIME	"20 minutes"
#define NOTICE_LIFETIME	"400 days"

struct claim {
	const struct us_mail_caps	*caps;
	int				 max;
	json_t				*out;	/* the messages claimed */
};

/* Email tokens of a batch, made in one INSERT. */
struct tokens {
	struct us_buf	 owners, purposes, hashes;
	json_t		*wanted;	/* hash hex -> [message, name] */
	int		 n;
};

static int	outbox_claim_tx(struct us_db *, void *, struct us_error *);
static int	outbox_signer_context(struct us_db *, json_t *,
		    struct us_error *);
static int	outbox_coordinator_context(struct us_db *, json_t *,
		    struct us_error *);
static int	outbox_needed(const json_t *);
static json_t	*outbox_context(struct us_db *, const char *, const char *,
		    struct us_error *);
static int	outbox_token(struct us_db *, json_t *, const char *,
		    const char *, const char *, const char *,
		    struct us_error *);
static int	outbox_token_want(struct tokens *, json_t *, const char *,
		    const char *, struct us_error *);
static int	outbox_tokens_insert(struct us_db *, struct tokens *,
		    struct us_error *);
static void	outbox_array_add(struct us_buf *, const char *);
static int	outbox_is(const json_t *, const char *);

static int
outbox_is(const json_t *m, const char *kind)
{
	const char	*k = json_string_value(json_object_get(m, "kind"));

	return (k != NULL && strcmp(k, kind) == 0);
}

/*
 * Appends one element to a PostgreSQL array literal being built ("{a,b}"
 * once closed); elements are quoted, so any text is safe.
 */
static void
outbox_array_add(struct us_buf *b, const char *v)
{
	us_buf_putc(b, b->len == 0 ? '{' : ',');
	us_buf_putc(b, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			us_buf_putc(b, '\\');
		us_buf_putc(b, *v);
	}
	us_buf_putc(b, '"');
}

/*
 * Makes a token for the message being sent and puts it in the model as
 * name ("token", "unsubscribe_token"); its row id is remembered so a
 * failed attempt can take it back.  For the rare kinds, one at a time.
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

/* Queues an email token (confirm or withdraw) for the batch's INSERT. */
static int
outbox_token_want(struct tokens *t, json_t *m, const char *name,
    const char *purpose, struct us_error *err)
{
	char		 token[US_TOKEN_LEN + 1], hex[US_HASH_LEN * 2 + 1];
	char		 sig[32];
	unsigned char	 h[US_HASH_LEN];

	if (!us_token_new(token, h))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	(void)snprintf(sig, sizeof(sig), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(m, "signature_id")));
	outbox_array_add(&t->owners, sig);
	outbox_array_add(&t->purposes, purpose);
	outbox_array_add(&t->hashes, hex);
	json_object_set_new(m, name, json_string(token));
	json_object_set_new(t->wanted, hex, json_incref(m));
	t->n++;
	return (US_OK);
}

static int
outbox_tokens_insert(struct us_db *db, struct tokens *t, struct us_error *err)
{
	PGresult	*res;
	json_t		*m, *ids;
	int		 i;

	if (t->n == 0)
		return (US_OK);
	us_buf_putc(&t->owners, '}');
	us_buf_putc(&t->purposes, '}');
	us_buf_putc(&t->hashes, '}');
	res = us_db_query(db, err, "INSERT INTO email_tokens (signature_id,"
	    " purpose, token_hash, expires_at) SELECT o, p, decode(h, 'hex'),"
	    " now() + CASE p WHEN 'verify' THEN interval '" TOKEN_LIFETIME "'"
	    " ELSE interval '" WITHDRAW_LIFETIME "' END"
	    " FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(o, p, h)"
	    " RETURNING id, encode(token_hash, 'hex')", 3, t->owners.data,
	    t->purposes.data, t->hashes.data);
	if (res == NULL)
		return (US_FAIL);
	for (i = 0; i < PQntuples(res); i++) {
		if ((m = json_object_get(t->wanted, PQgetvalue(res, i, 1))) ==
		    NULL)
			continue;
		if ((ids = json_object_get(m, "token_ids")) == NULL) {
			ids = json_array();
			json_object_set_new(m, "token_ids", ids);
		}
		json_array_append_new(ids, json_string(PQgetvalue(res, i, 0)));
	}
	PQclear(res);
	return (US_OK);
}

/*
 * What a mail to a signer says: the signature and the statement in the
 * signer's language, for every message of the batch in one query.
 */
static int
outbox_signer_context(struct us_db *db, json_t *batch, struct us_error *err)
{
	struct us_buf	 ids;
	PGresult	*res;
	json_t		*m, *ctx, *bysig;
	char		 sid[32];
	size_t		 i;
	int		 r;

	us_buf_init(&ids);
	json_array_foreach(batch, i, m) {
		if (json_is_integer(json_object_get(m, "signature_id"))) {
			(void)snprintf(sid, sizeof(sid), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(m,
			    "signature_id")));
			outbox_array_add(&ids, sid);
		}
	}
	if (ids.len == 0) {
		us_buf_free(&ids);
		return (US_OK);
	}
	us_buf_putc(&ids, '}');
	res = us_db_query(db, err,
	    "SELECT sg.id::text AS sid, sg.organisation, sg.acronym,"
	    " sg.contact_name, sg.status AS signature_status, sg.visibility,"
	    " st.slug, coalesce(tr.title, st.title) AS title,"
	    " coalesce(tr.lang, st.lang) AS lang, st.require_approval,"
	    " st.status AS statement_status, st.coordinator_organisation,"
	    " (st.status = 'open' AND (st.signing_deadline IS NULL OR"
	    " st.signing_deadline > now())) AS signing_open"
	    " FROM signatures sg JOIN statements st"
	    " ON st.id = sg.statement_id"
	    " LEFT JOIN statement_translations tr"
	    " ON tr.statement_id = st.id AND tr.lang = sg.lang"
	    " WHERE sg.id = ANY($1::bigint[])", 1, ids.data);
	us_buf_free(&ids);
	if (res == NULL)
		return (US_FAIL);
	bysig = json_object();
	for (r = 0; r < PQntuples(res); r++) {
		ctx = us_db_row_json(res, r);
		json_object_set_new(bysig, PQgetvalue(res, r, 0), ctx);
	}
	PQclear(res);
	json_array_foreach(batch, i, m) {
		if (!json_is_integer(json_object_get(m, "signature_id")))
			continue;
		(void)snprintf(sid, sizeof(sid), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(m, "signature_id")));
		if ((ctx = json_object_get(bysig, sid)) != NULL) {
			json_object_update(m, ctx);
			json_object_del(m, "sid");
			json_object_set_new(m, "context", json_true());
		}
	}
	json_decref(bysig);
	return (US_OK);
}

/*
 * A mail to a coordinator: a sign-in link, or the digest of what waits
 * for their approval, by statement, in their workspace language.
 */
static int
outbox_coordinator_context(struct us_db *db, json_t *m, struct us_error *err)
{
	PGresult	*res;
	json_t		*ctx, *list;
	char		 coord[32];

	(void)snprintf(coord, sizeof(coord), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(m, "coordinator_id")));
	res = us_db_query(db, err, "SELECT email, name, lang, digest_off"
	    " FROM coordinators WHERE id = $1", 1, coord);
	if (res == NULL)
		return (US_FAIL);
	ctx = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	if (ctx == NULL)
		return (US_OK);
	json_object_update(m, ctx);
	json_decref(ctx);
	json_object_set_new(m, "context", json_true());
	if (!outbox_is(m, "digest"))
		return (US_OK);
	list = us_db_rows(db, err,
	    "SELECT st.slug, coalesce(tr.title, st.title) AS title,"
	    " count(*)::int AS waiting"
	    " FROM statement_coordinators sc"
	    " JOIN statements st ON st.id = sc.statement_id"
	    " JOIN signatures sg ON sg.statement_id = st.id"
	    " LEFT JOIN statement_translations tr ON tr.statement_id = st.id"
	    " AND tr.lang = (SELECT lang FROM coordinators WHERE id = $1)"
	    " WHERE sc.coordinator_id = $1 AND st.status IN ('open', 'closed')"
	    " AND " US_SQL_AWAITING
	    " GROUP BY st.id, st.slug, tr.title, st.title"
	    " ORDER BY min(sg.confirmed_at), st.id", 1, coord);
	if (list == NULL)
		return (US_FAIL);
	json_object_set_new(m, "statements", list);
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
 * Confirmed, withdrawn or opted out meanwhile: nothing left to say.  A
 * kind not named here is always sent.
 */
static int
outbox_needed(const json_t *m)
{
	const char	*status;
	int		 context;

	context = json_is_true(json_object_get(m, "context"));
	if (outbox_is(m, "login"))
		return (context);
	if (outbox_is(m, "digest"))
		return (context &&
		    !json_is_true(json_object_get(m, "digest_off")) &&
		    json_array_size(json_object_get(m, "statements")) > 0);
	status = json_string_value(json_object_get(m, "signature_status"));
	if (outbox_is(m, "verify"))
		return (context && strcmp(status, "pending") == 0);
	/* A reminder only while it can still lead to a signature. */
	if (outbox_is(m, "reminder"))
		return (context && strcmp(status, "pending") == 0 &&
		    json_is_true(json_object_get(m, "signing_open")));
	if (outbox_is(m, "published"))
		return (context && strcmp(status, "confirmed") == 0);
	if (outbox_is(m, "already_signed"))
		return (context);
	/* A report confirmed meanwhile needs no link any more. */
	if (outbox_is(m, "action"))
		return (context && strcmp(json_string_value(json_object_get(m,
		    "report_status")), "pending") == 0);
	if (outbox_is(m, "delivery"))
		return (context);
	return (1);
}

/*
 * Claims up to max due messages with FOR UPDATE SKIP LOCKED and leases
 * them by moving next_attempt_at forward, then commits: the SMTP
 * conversation happens outside any transaction, several senders never
 * take the same message, and a sender that dies mid-way leaves messages
 * that are simply tried again when the lease ends.  The tokens a message
 * carries are made here, so their secrets exist only in memory and in
 * the message sent.  Whatever the batch size, the work is a fixed
 * number of statements, not a number per message.
 */
static int
outbox_claim_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct claim	*c = arg;
	struct tokens	 t;
	struct us_buf	 lease, unneeded;
	PGresult	*res;
	json_t		*batch, *m, *ctx;
	const char	*stmt;
	char		 max[16], id[32], coord[32];
	size_t		 i;
	int		 r, wait, ok = US_FAIL;

	json_decref(c->out);
	c->out = json_array();
	batch = json_array();
	us_buf_init(&lease);
	us_buf_init(&unneeded);
	memset(&t, 0, sizeof(t));
	us_buf_init(&t.owners);
	us_buf_init(&t.purposes);
	us_buf_init(&t.hashes);
	t.wanted = json_object();

	(void)snprintf(max, sizeof(max), "%d", c->max);
	res = us_db_query(db, err,
	    "SELECT o.id, o.kind, o.recipient, o.attempts + 1 AS attempt,"
	    " o.signature_id, o.coordinator_id, o.action_id, o.delivery_id,"
	    " coalesce(sg.statement_id, ar.statement_id)::text"
	    " AS statement_id FROM outbox o"
	    " LEFT JOIN signatures sg ON sg.id = o.signature_id"
	    " LEFT JOIN action_reports ar ON ar.id = o.action_id"
	    " WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND"
	    " o.next_attempt_at <= now() ORDER BY o.next_attempt_at, o.id"
	    " LIMIT $1 FOR UPDATE OF o SKIP LOCKED", 1, max);
	if (res == NULL)
		goto done;
	for (r = 0; r < PQntuples(res); r++)
		json_array_append_new(batch, us_db_row_json(res, r));
	PQclear(res);

	json_array_foreach(batch, i, m) {
		/*
		 * Mail that anyone can cause by typing an address shares the
		 * relay under a cap: what is over it waits for the next
		 * minute, unleased.
		 */
		stmt = json_string_value(json_object_get(m, "statement_id"));
		if (c->caps->per_minute > 0 && stmt != NULL &&
		    (outbox_is(m, "verify") || outbox_is(m, "already_signed") ||
		    outbox_is(m, "action"))) {
			if (!us_db_mail_slot(db, stmt, c->caps->per_minute,
			    c->caps->per_statement, &wait, err))
				goto done;
			if (wait)
				continue;
		}
		(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(m, "id")));
		outbox_array_add(&lease, id);
		json_array_append(c->out, m);
	}
	if (lease.len == 0) {
		ok = US_OK;
		goto done;
	}
	us_buf_putc(&lease, '}');
	if (!us_db_exec(db, err, "UPDATE outbox SET attempts = attempts + 1,"
	    " last_attempt_at = now(), next_attempt_at = now() + interval '"
	    OUTBOX_LEASE "' WHERE id = ANY($1::bigint[])", 1, lease.data))
		goto done;

	if (!outbox_signer_context(db, c->out, err))
		goto done;
	json_array_foreach(c->out, i, m) {
		if (json_is_integer(json_object_get(m, "coordinator_id")) &&
		    !outbox_coordinator_context(db, m, err))
			goto done;
		if (outbox_is(m, "action") || outbox_is(m, "delivery")) {
			(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(m,
			    outbox_is(m, "action") ? "action_id" :
			    "delivery_id")));
			ctx = outbox_context(db, json_string_value(
			    json_object_get(m, "kind")), id, err);
			if (ctx == NULL && err->kind != US_E_NONE)
				goto done;
			if (ctx != NULL) {
				json_object_update(m, ctx);
				json_decref(ctx);
				json_object_set_new(m, "context",
				    json_true());
			}
		}
	}

	for (i = 0; i < json_array_size(c->out); ) {
		m = json_array_get(c->out, i);
		if (outbox_needed(m)) {
			i++;
			continue;
		}
		(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(m, "id")));
		outbox_array_add(&unneeded, id);
		json_array_remove(c->out, i);
	}
	if (unneeded.len > 0) {
		us_buf_putc(&unneeded, '}');
		if (!us_db_exec(db, err, "UPDATE outbox SET failed_at = now(),"
		    " last_error = 'not needed any more' WHERE"
		    " id = ANY($1::bigint[])", 1, unneeded.data))
			goto done;
	}

	json_array_foreach(c->out, i, m) {
		(void)snprintf(coord, sizeof(coord), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(m, "coordinator_id")));
		if (outbox_is(m, "login")) {
			if (!outbox_token(db, m, "token", "INSERT INTO"
			    " login_tokens (coordinator_id, token_hash,"
			    " expires_at) VALUES ($1, decode($2, 'hex'),"
			    " now() + $3::interval) RETURNING id", coord,
			    LOGIN_LIFETIME, err))
				goto done;
			continue;
		}
		if (outbox_is(m, "digest")) {
			if (!outbox_token(db, m, "unsubscribe_token", "INSERT"
			    " INTO notice_tokens (coordinator_id, token_hash,"
			    " expires_at) VALUES ($1, decode($2, 'hex'),"
			    " now() + $3::interval) RETURNING id", coord,
			    NOTICE_LIFETIME, err))
				goto done;
			continue;
		}
		if (outbox_is(m, "action")) {
			(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(m,
			    "action_id")));
			if (!outbox_token(db, m, "token", "INSERT INTO"
			    " email_tokens (action_id, purpose, token_hash,"
			    " expires_at) VALUES ($1, 'action', decode($2,"
			    " 'hex'), now() + $3::interval) RETURNING id", id,
			    TOKEN_LIFETIME, err))
				goto done;
			continue;
		}
		if (!json_is_true(json_object_get(m, "context")) ||
		    !json_is_integer(json_object_get(m, "signature_id")))
			continue;
		if ((outbox_is(m, "verify") || outbox_is(m, "reminder")) &&
		    !outbox_token_want(&t, m, "token", "verify", err))
			goto done;
		/* Every mail to a signer carries a way out. */
		if (!outbox_token_want(&t, m, "withdraw_token", "withdraw",
		    err))
			goto done;
	}
	ok = outbox_tokens_insert(db, &t, err);
done:
	json_decref(batch);
	json_decref(t.wanted);
	us_buf_free(&t.owners);
	us_buf_free(&t.purposes);
	us_buf_free(&t.hashes);
	us_buf_free(&lease);
	us_buf_free(&unneeded);
	return (ok);
}

/*
 * Returns up to max claimed messages (an array, empty when nothing is
 * due), or NULL with the failure in err.
 */
json_t *
us_db_outbox_claim(struct us_db *db, const struct us_mail_caps *caps, int max,
    struct us_error *err)
{
	struct claim	c;

	c.caps = caps;
	c.max = max;
	c.out = NULL;
	us_error_clear(err);
	if (!us_db_tx(db, outbox_claim_tx, &c, err)) {
		json_decref(c.out);
		return (NULL);
	}
	return (c.out);
}

/*
 * Records messages the relay accepted, in one statement: ids and
 * msgids are parallel, n long.
 */
int
us_db_outbox_sent(struct us_db *db, const long long *ids,
    const char *const *msgids, size_t n, struct us_error *err)
{
	struct us_buf	a, b;
	char		sid[32];
	size_t		i;
	int		ok;

	if (n == 0)
		return (US_OK);
	us_buf_init(&a);
	us_buf_init(&b);
	for (i = 0; i < n; i++) {
		(void)snprintf(sid, sizeof(sid), "%lld", ids[i]);
		outbox_array_add(&a, sid);
		outbox_array_add(&b, msgids[i]);
	}
	us_buf_putc(&a, '}');
	us_buf_putc(&b, '}');
	ok = us_db_exec(db, err, "UPDATE outbox o SET sent_at = now(),"
	    " message_id = u.msgid, last_error = NULL"
	    " FROM unnest($1::bigint[], $2::text[]) AS u(id, msgid)"
	    " WHERE o.id = u.id", 2, a.data, b.data);
	us_buf_free(&a);
	us_buf_free(&b);
	return (ok);
}

/*
 * Records a failed attempt and when to try again; after the last attempt
 * the message is marked failed.  untried: the message was never handed
 * to the relay (an earlier one of its batch found the relay away), so
 * the attempt does not count.  The tokens made for the attempt never
 * reached anyone, so they go.
 */
int
us_db_outbox_failed(struct us_db *db, const json_t *m, int retry_secs,
    const char *why, int give_up, int untried, struct us_error *err)
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
	    " attempts = attempts - CASE WHEN $5::boolean THEN 1 ELSE 0 END,"
	    " failed_at = CASE WHEN $4::boolean THEN now() END WHERE id = $1",
	    5, sid, why, secs, give_up ? "true" : "false",
	    untried ? "true" : "false"))
		return (US_FAIL);
	table = outbox_is(m, "login") ?
	    "DELETE FROM login_tokens WHERE id = $1" : outbox_is(m, "digest") ?
	    "DELETE FROM notice_tokens WHERE id = $1" :
	    "DELETE FROM email_tokens WHERE id = $1";
	json_array_foreach(json_object_get(m, "token_ids"), i, tid) {
		if (!us_db_exec(db, err, table, 1, json_string_value(tid)))
			return (US_FAIL);
	}
	return (US_OK);
}
