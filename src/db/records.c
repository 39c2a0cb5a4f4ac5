#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jcs.h"
#include "core/record.h"
#include "core/sig.h"
#include "core/token.h"
#include "db/db.h"

static int	key_insert(struct us_db *, struct us_error *);
static int	key_in_use(struct us_db *, unsigned char [US_SIG_KEY_LEN],
		    char [US_SIG_ID_LEN + 1], struct us_error *);
static json_t	*record_signatories(const json_t *);
static int	rotate_tx(struct us_db *, void *, struct us_error *);

/*
 * A new key in use.  Two processes starting at once both try; the unique
 * index on the key in use lets one win and the other insert nothing.
 */
static int
key_insert(struct us_db *db, struct us_error *err)
{
	unsigned char	priv[US_SIG_KEY_LEN], pub[US_SIG_KEY_LEN];
	char		id[US_SIG_ID_LEN + 1], hpriv[US_SIG_KEY_LEN * 2 + 1];
	char		hpub[US_SIG_KEY_LEN * 2 + 1];
	int		ok;

	if (!us_sig_keygen(priv, pub, err))
		return (US_FAIL);
	us_sig_key_id(pub, id);
	us_hex(priv, sizeof(priv), hpriv);
	us_hex(pub, sizeof(pub), hpub);
	ok = us_db_exec(db, err, "INSERT INTO signing_keys (id, public_key,"
	    " private_key) VALUES ($1, decode($2, 'hex'), decode($3, 'hex'))"
	    " ON CONFLICT DO NOTHING", 3, id, hpub, hpriv);
	explicit_bzero(priv, sizeof(priv));
	explicit_bzero(hpriv, sizeof(hpriv));
	return (ok);
}

/* Makes the first key pair when there is none in use (first start). */
int
us_db_keys_ensure(struct us_db *db, struct us_error *err)
{
	PGresult	*res;
	int		 have;

	if ((res = us_db_query(db, err, "SELECT 1 FROM signing_keys WHERE"
	    " retired_at IS NULL", 0)) == NULL)
		return (US_FAIL);
	have = PQntuples(res) > 0;
	PQclear(res);
	return (have ? US_OK : key_insert(db, err));
}

static int
key_in_use(struct us_db *db, unsigned char priv[US_SIG_KEY_LEN],
    char id[US_SIG_ID_LEN + 1], struct us_error *err)
{
	PGresult	*res;
	int		 ok;

	if (!us_db_keys_ensure(db, err) || (res = us_db_query(db, err,
	    "SELECT id, encode(private_key, 'hex') FROM signing_keys"
	    " WHERE retired_at IS NULL", 0)) == NULL)
		return (US_FAIL);
	ok = PQntuples(res) == 1 && us_unhex(PQgetvalue(res, 0, 1), priv,
	    US_SIG_KEY_LEN);
	if (ok)
		(void)snprintf(id, US_SIG_ID_LEN + 1, "%s",
		    PQgetvalue(res, 0, 0));
	explicit_bzero(PQgetvalue(res, 0, 1), strlen(PQgetvalue(res, 0, 1)));
	PQclear(res);
	if (!ok)
		return (us_error_set(err, US_E_INTERNAL, NULL, "no_key",
		    "the signing key in use cannot be read"));
	return (US_OK);
}

static int
rotate_tx(struct us_db *db, void *arg, struct us_error *err)
{
	(void)arg;
	return (us_db_exec(db, err, "UPDATE signing_keys SET retired_at ="
	    " now() WHERE retired_at IS NULL", 0) && key_insert(db, err));
}

/* Retires the key in use (it stays, for checking) and makes a new one. */
int
us_db_keys_rotate(struct us_db *db, struct us_error *err)
{
	return (us_db_tx(db, rotate_tx, NULL, err));
}

/* GET /api/v1/keys: public columns only, oldest first. */
json_t *
us_db_keys_list(struct us_db *db, struct us_error *err)
{
	return (us_db_rows(db, err, "SELECT id, algorithm,"
	    " encode(public_key, 'base64') AS public_key,"
	    " " US_SQL_TS("created_at") " AS created_at,"
	    " " US_SQL_TS("retired_at") " AS retired_at"
	    " FROM signing_keys ORDER BY created_at, id", 0));
}

/* The frozen list's entries as a record has them: every country. */
static json_t *
record_signatories(const json_t *list)
{
	json_t		*out, *e, *countries;
	const json_t	*s, *c;
	size_t		 i;

	out = json_array();
	json_array_foreach(list, i, s) {
		countries = json_array();
		if (json_is_string(c = json_object_get(s, "country")))
			json_array_append(countries, (json_t *)c);
		if (json_is_string(c = json_object_get(s, "country2")))
			json_array_append(countries, (json_t *)c);
		e = json_pack("{s:O, s:O, s:O, s:o}", "position",
		    json_object_get(s, "position"), "organisation",
		    json_object_get(s, "organisation"), "acronym",
		    json_object_get(s, "acronym") != NULL ?
		    json_object_get(s, "acronym") : json_null(),
		    "countries", countries);
		json_array_append_new(out, e);
	}
	return (out);
}

/*
 * Seals a new record of statement stmt (an id) as it stands, inside the
 * caller's transaction: at publication, at each later version and after
 * each removal from the published list (docs/record.md).
 */
int
us_db_record_make(struct us_db *db, const char *stmt, struct us_error *err)
{
	PGresult	*res;
	json_t		*row, *texts, *record, *meta;
	struct us_buf	 doc;
	unsigned char	 priv[US_SIG_KEY_LEN];
	char		 key[US_SIG_ID_LEN + 1], seq[16], version[16];
	char		 digest[US_RECORD_DIGEST_LEN + 1];
	long long	 named, unnamed;
	int		 ok = US_FAIL;

	res = us_db_query(db, err,
	    "SELECT s0.slug, s0.kind, s0.lang, s0.place, s0.date::text AS date,"
	    " s0.reference, s0.coordinator_organisation, s0.version,"
	    " " US_SQL_TS("s0.published_at") " AS published_at,"
	    " " US_SQL_TS("now()") " AS recorded_at,"
	    " (SELECT r.digest FROM statement_records r WHERE r.statement_id"
	    "   = s0.id ORDER BY r.seq DESC LIMIT 1) AS previous,"
	    " (SELECT coalesce(max(r.seq), 0) + 1 FROM statement_records r"
	    "   WHERE r.statement_id = s0.id) AS seq,"
	    " (SELECT count(*) FROM statement_log l WHERE l.statement_id ="
	    "   s0.id) AS log_length,"
	    " (SELECT l.hash FROM statement_log l WHERE l.statement_id = s0.id"
	    "   ORDER BY l.seq DESC LIMIT 1) AS log_head,"
	    " (SELECT coalesce(jsonb_agg(jsonb_build_object('entry', l.entry,"
	    "   'hash', l.hash) ORDER BY l.seq), '[]') FROM statement_log l"
	    "   WHERE l.statement_id = s0.id) AS log_entries,"
	    " " US_SQL_PUBLIC_LIST("s0.id") " AS list,"
	    " " US_SQL_UNNAMED("s0.id") " AS unnamed"
	    " FROM statements s0 WHERE s0.id = $1", 1, stmt);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no such statement."));
	}
	row = us_db_row_json(res, 0);
	PQclear(res);
	if ((texts = us_db_rows(db, err, "SELECT DISTINCT ON (lang) lang,"
	    " title, body_markdown, text_digest FROM statement_versions"
	    " WHERE statement_id = $1 ORDER BY lang, version DESC", 1,
	    stmt)) == NULL) {
		json_decref(row);
		return (US_FAIL);
	}
	named = (long long)json_array_size(json_object_get(row, "list"));
	unnamed = json_integer_value(json_object_get(row, "unnamed"));
	meta = json_object();
	json_object_set(meta, "slug", json_object_get(row, "slug"));
	json_object_set(meta, "kind", json_object_get(row, "kind"));
	json_object_set(meta, "lang", json_object_get(row, "lang"));
	json_object_set(meta, "place", json_object_get(row, "place"));
	json_object_set(meta, "date", json_object_get(row, "date"));
	json_object_set(meta, "reference", json_object_get(row, "reference"));
	json_object_set(meta, "coordinator_organisation",
	    json_object_get(row, "coordinator_organisation"));
	record = json_pack("{s:o, s:O, s:O, s:O, s:O, s:o, s:o,"
	    " s:{s:I, s:I, s:I}, s:{s:O, s:O, s:O}}",
	    "statement", meta,
	    "version", json_object_get(row, "version"),
	    "published_at", json_object_get(row, "published_at"),
	    "recorded_at", json_object_get(row, "recorded_at"),
	    "previous", json_object_get(row, "previous"),
	    "texts", texts,
	    "signatories", record_signatories(json_object_get(row, "list")),
	    "counts", "named", (json_int_t)named, "unnamed",
	    (json_int_t)unnamed, "total", (json_int_t)(named + unnamed),
	    "log", "length", json_object_get(row, "log_length"), "head",
	    json_object_get(row, "log_head"), "entries",
	    json_object_get(row, "log_entries"));
	(void)snprintf(seq, sizeof(seq), "%lld",
	    (long long)json_integer_value(json_object_get(row, "seq")));
	(void)snprintf(version, sizeof(version), "%lld",
	    (long long)json_integer_value(json_object_get(row, "version")));
	json_decref(row);
	us_buf_init(&doc);
	if (record == NULL) {
		us_error_set(err, US_E_INTERNAL, NULL, "record_failed",
		    "the record could not be built");
		goto done;
	}
	if (!key_in_use(db, priv, key, err))
		goto done;
	if (!us_record_seal(record, priv, &doc, digest, err))
		goto done;
	ok = us_db_exec(db, err, "INSERT INTO statement_records (statement_id,"
	    " seq, version, digest, key_id, document) VALUES ($1, $2, $3, $4,"
	    " $5, $6)", 6, stmt, seq, version, digest, key, doc.data);
done:
	explicit_bzero(priv, sizeof(priv));
	json_decref(record);
	us_buf_free(&doc);
	return (ok);
}

/*
 * One more entry in the statement's log, chained to the one before:
 * hash = SHA-256 of the canonical {"entry": ..., "previous": ...}.  Then a
 * new record, so that the log's head is in the record of the list it
 * left.  Inside the caller's transaction, which holds the statement row.
 */
int
us_db_log_append(struct us_db *db, const char *stmt, json_t *entry,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*link;
	char		 hash[US_RECORD_DIGEST_LEN + 1], seq[16], *text;
	int		 ok;

	res = us_db_query(db, err, "SELECT (SELECT hash FROM statement_log"
	    " WHERE statement_id = $1 ORDER BY seq DESC LIMIT 1),"
	    " (SELECT coalesce(max(seq), 0) + 1 FROM statement_log WHERE"
	    " statement_id = $1), " US_SQL_TS("now()"), 1, stmt);
	if (res == NULL)
		return (US_FAIL);
	json_object_set_new(entry, "at", json_string(PQgetvalue(res, 0, 2)));
	link = json_pack("{s:O, s:o}", "entry", entry, "previous",
	    PQgetisnull(res, 0, 0) ? json_null() :
	    json_string(PQgetvalue(res, 0, 0)));
	(void)snprintf(seq, sizeof(seq), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	ok = us_record_digest(link, hash, err);
	json_decref(link);
	if (!ok)
		return (US_FAIL);
	text = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
	ok = us_db_exec(db, err, "INSERT INTO statement_log (statement_id,"
	    " seq, entry, hash) VALUES ($1, $2, $3::jsonb, $4)", 4, stmt, seq,
	    text, hash);
	free(text);
	return (ok && us_db_record_make(db, stmt, err));
}

/*
 * Before a signature leaves the lists: the log entry its removal makes
 * when it is on the public list of a published statement, else NULL (no
 * entry; also NULL on error, with err set).  by is "signer" or
 * "coordinator"; a coordinator's reason goes in the entry, since it
 * explains a name that readers saw and no longer see.  A counted-only
 * signature is logged without its name.  Call us_db_log_append() with
 * the entry once the signature is removed.
 */
json_t *
us_db_log_removal(struct us_db *db, const char *sig, const char *by,
    const char *reason, struct us_error *err)
{
	PGresult	*res;
	json_t		*entry;
	int		 named;

	res = us_db_query(db, err, "SELECT sg.visibility = 'named',"
	    " coalesce(sg.display_name, sg.organisation) FROM signatures sg"
	    " JOIN statements st ON st.id = sg.statement_id WHERE sg.id = $1"
	    " AND st.status = 'published' AND " US_SQL_PUBLIC_SIG, 1, sig);
	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return (NULL);
	}
	named = PQgetvalue(res, 0, 0)[0] == 't';
	entry = json_pack("{s:s, s:s, s:b, s:o}", "event", "removed", "by", by,
	    "named", named, "organisation", named ?
	    json_string(PQgetvalue(res, 0, 1)) : json_null());
	PQclear(res);
	if (reason != NULL && *reason != '\0')
		json_object_set_new(entry, "reason", json_string(reason));
	return (entry);
}

/*
 * The latest record of a published statement: {digest, key_id, version,
 * document}; NULL with US_E_NOTFOUND when it has none.
 */
json_t *
us_db_record_latest(struct us_db *db, const char *slug, struct us_error *err)
{
	PGresult	*res;
	json_t		*o;

	res = us_db_query(db, err, "SELECT r.digest, r.key_id, r.version,"
	    " r.document FROM statement_records r JOIN statements st ON st.id ="
	    " r.statement_id WHERE st.slug = $1 AND st.status = 'published'"
	    " ORDER BY r.seq DESC LIMIT 1", 1, slug);
	if (res == NULL)
		return (NULL);
	o = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	if (o == NULL)
		us_error_set(err, US_E_NOTFOUND, NULL, "no_record",
		    "\"%s\" has no signed record: records are made when a "
		    "statement is published.", slug);
	return (o);
}

/* The record with this digest, {document}; NULL, US_E_NOTFOUND: none. */
json_t *
us_db_record_by_digest(struct us_db *db, const char *digest,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*o;

	if ((res = us_db_query(db, err, "SELECT document FROM"
	    " statement_records WHERE digest = $1", 1, digest)) == NULL)
		return (NULL);
	o = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	if (o == NULL)
		us_error_set(err, US_E_NOTFOUND, NULL, "no_record", "No record "
		    "has the digest %s.", digest);
	return (o);
}

/* The public log of a statement, oldest first. */
json_t *
us_db_log_list(struct us_db *db, const char *slug, struct us_error *err)
{
	return (us_db_rows(db, err, "SELECT l.seq, l.entry, l.hash FROM"
	    " statement_log l JOIN statements st ON st.id = l.statement_id"
	    " WHERE st.slug = $1 ORDER BY l.seq", 1, slug));
}
