#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/statement.h"
#include "db/db.h"

struct edit {
	const char			*slug;
	long long			 coord;
	const struct us_stmt_input	*in;
	const char			*version_lang;	/* a translation */
	const char			*note;
	int				 created;	/* a new version */
};

static int	edit_tx(struct us_db *, void *, struct us_error *);
static void	press_text(json_t *, const PGresult *, int, const char *);
static int	edit_langs_ok(struct us_db *, const char *, const struct edit *,
		    const char *, struct us_error *);

/* Addressees and media contacts are replaced as a whole. */
int
us_db_stmt_lists(struct us_db *db, const char *id, const struct us_stmt_input *in,
    struct us_error *err)
{
	const struct us_fields	*a;
	char			 pos[32];
	size_t			 i;

	if (!us_db_exec(db, err, "DELETE FROM addressees WHERE statement_id ="
	    " $1", 1, id) || !us_db_exec(db, err, "DELETE FROM media_contacts"
	    " WHERE statement_id = $1", 1, id))
		return (US_FAIL);
	for (i = 0; i < in->addressees.n; i++) {
		a = &in->addressees.v[i];
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		if (!us_db_exec(db, err, "INSERT INTO addressees (statement_id,"
		    " position, name, title, address, email, phone, fax, social,"
		    " salutation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
		    " $10)", 10, id, pos,
		    us_fields_get(a, "name"), us_fields_get(a, "title"),
		    us_fields_get(a, "address"), us_fields_get(a, "email"),
		    us_fields_get(a, "phone"), us_fields_get(a, "fax"),
		    us_fields_get(a, "social"), us_fields_get(a, "salutation")))
			return (US_FAIL);
	}
	for (i = 0; i < in->contacts.n; i++) {
		a = &in->contacts.v[i];
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		if (!us_db_exec(db, err, "INSERT INTO media_contacts"
		    " (statement_id, position, name, organisation, email, phone,"
		    " languages, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		    " $8)", 8, id, pos, us_fields_get(a, "name"),
		    us_fields_get(a, "organisation"), us_fields_get(a, "email"),
		    us_fields_get(a, "phone"), us_fields_get(a, "languages"),
		    us_fields_get(a, "timezone")))
			return (US_FAIL);
	}
	return (US_OK);
}

static int
edit_langs_ok(struct us_db *db, const char *id, const struct edit *e,
    const char *base, struct us_error *err)
{
	PGresult	*res;
	const char	*lang;
	int		 taken;

	if (e->version_lang != NULL) {
		if (strcmp(e->version_lang, base) == 0)
			return (us_error_set(err, US_E_INVALID, "version",
			    "same_language", "%s is the statement's own "
			    "language: edit the statement itself, not a "
			    "language version.", base));
		return (US_OK);
	}
	if ((lang = us_fields_get(&e->in->f, "lang")) == NULL ||
	    strcmp(lang, base) == 0)
		return (US_OK);
	res = us_db_query(db, err, "SELECT 1 FROM statement_translations"
	    " WHERE statement_id = $1 AND lang = $2", 2, id, lang);
	if (res == NULL)
		return (US_FAIL);
	taken = PQntuples(res) > 0;
	PQclear(res);
	if (taken)
		return (us_error_set(err, US_E_CONFLICT, "lang", "lang_taken",
		    "This statement already has a %s version; choose another "
		    "language for the statement itself.", lang));
	return (US_OK);
}

/*
 * An edit.  Before publication the text simply changes (signatures keep
 * the digest of what they signed).  A published text is frozen: changing
 * it makes the next version, kept and listed publicly with its note.
 * A language version of the text (a translation; version_lang, which the
 * caller makes sure differs from the statement's language) shares the
 * statement's signatories and metadata.
 */
/*
 * A new version of a published text is an entry in the statement's log,
 * and a new signed record (docs/record.md).
 */
static int
edit_log_version(struct us_db *db, const char *id, const char *lang,
    const char *note, struct us_error *err)
{
	PGresult	*res;
	json_t		*entry;
	int		 ok;

	if ((res = us_db_query(db, err, "SELECT version FROM statements WHERE"
	    " id = $1", 1, id)) == NULL)
		return (US_FAIL);
	entry = json_pack("{s:s, s:I, s:s, s:s}", "event", "version",
	    "version", (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10),
	    "by", "coordinator", "lang", lang);
	PQclear(res);
	if (note != NULL && *note != '\0')
		json_object_set_new(entry, "note", json_string(note));
	ok = us_db_log_append(db, id, entry, err);
	json_decref(entry);
	return (ok);
}

static int
edit_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct edit		*e = arg;
	const struct us_fields	*f = &e->in->f;
	PGresult		*res;
	json_t			*before, *after;
	struct us_db_access	 a;
	const char		*id = a.id;
	char			 cid[32];
	int			 published, changed, tr_changed = 0, ok;

	if (!us_db_access(db, e->slug, e->coord, &a, err))
		return (US_FAIL);
	(void)snprintf(cid, sizeof(cid), "%lld", e->coord);
	published = strcmp(a.status, "published") == 0;
	res = us_db_query(db, err, "SELECT title, text_digest, lang FROM"
	    " statements WHERE id = $1 FOR UPDATE", 1, id);
	if (res == NULL)
		return (US_FAIL);
	before = us_db_row_json(res, 0);
	PQclear(res);

	/*
	 * The form says which language is the base; the row decides.  A
	 * translation in the base language, or a base moved onto a language
	 * that has a translation, would leave two texts for one language.
	 */
	if (!edit_langs_ok(db, id, e, json_string_value(json_object_get(before,
	    "lang")), err)) {
		json_decref(before);
		return (US_FAIL);
	}

	if (e->version_lang != NULL) {
		/* Its digest before: none means this edit creates it. */
		res = us_db_query(db, err, "SELECT text_digest FROM"
		    " statement_translations WHERE statement_id = $1 AND lang ="
		    " $2 FOR UPDATE", 2, id, e->version_lang);
		if (res == NULL) {
			json_decref(before);
			return (US_FAIL);
		}
		e->created = PQntuples(res) == 0;
		tr_changed = e->created ||
		    strcmp(PQgetvalue(res, 0, 0), e->in->digest) != 0;
		PQclear(res);
		res = us_db_query(db, err,
		    "INSERT INTO statement_translations (statement_id, lang,"
		    " title, body_markdown, body_html, text_digest, headline,"
		    " lede, notes_to_editors, about, sample_letter) VALUES ($1,"
		    " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
		    " ON CONFLICT (statement_id, lang)"
		    " DO UPDATE SET title = EXCLUDED.title, body_markdown ="
		    " EXCLUDED.body_markdown, body_html = EXCLUDED.body_html,"
		    " text_digest = EXCLUDED.text_digest, headline ="
		    " EXCLUDED.headline, lede = EXCLUDED.lede,"
		    " notes_to_editors = EXCLUDED.notes_to_editors, about ="
		    " EXCLUDED.about, sample_letter = EXCLUDED.sample_letter,"
		    " updated_at = now() RETURNING lang", 11, id,
		    e->version_lang, us_fields_get(f, "title"),
		    us_fields_get(f, "body_markdown"), e->in->body_html,
		    e->in->digest, us_fields_get(f, "headline"),
		    us_fields_get(f, "lede"),
		    us_fields_get(f, "notes_to_editors"),
		    us_fields_get(f, "about"), us_fields_get(f, "sample_letter"));
	} else {
		res = us_db_query(db, err,
		    "UPDATE statements SET kind = $2, lang = $3, title = $4,"
		    " body_markdown = $5, body_html = $6, text_digest = $7,"
		    " place = $8, date = $9, reference = $10, expires_on = $11,"
		    " signing_deadline = $12, require_approval ="
		    " COALESCE($13::boolean, false), coordinator_organisation ="
		    " $14, headline = $15, lede = $16, notes_to_editors = $17,"
		    " about = $18, embargo_until = $19, embargo_timezone = $20,"
		    " timezone = $22, goal = $23, sample_letter = $24,"
		    " updated_at = now()"
		    " WHERE id = $1"
		    " RETURNING text_digest <> $21 AS text_changed", 24, id,
		    us_fields_get(f, "kind"), us_fields_get(f, "lang"),
		    us_fields_get(f, "title"), us_fields_get(f, "body_markdown"),
		    e->in->body_html, e->in->digest, us_fields_get(f, "place"),
		    us_fields_get(f, "date"), us_fields_get(f, "reference"),
		    us_fields_get(f, "expires_on"),
		    us_fields_get(f, "signing_deadline"),
		    us_fields_get(f, "require_approval"),
		    us_fields_get(f, "coordinator_organisation"),
		    us_fields_get(f, "headline"), us_fields_get(f, "lede"),
		    us_fields_get(f, "notes_to_editors"),
		    us_fields_get(f, "about"), us_fields_get(f, "embargo_until"),
		    us_fields_get(f, "embargo_timezone"),
		    json_string_value(json_object_get(before, "text_digest")),
		    us_fields_get(f, "timezone"), us_fields_get(f, "goal"),
		    us_fields_get(f, "sample_letter"));
	}
	if (res == NULL) {
		json_decref(before);
		return (US_FAIL);
	}
	changed = tr_changed;
	PQclear(res);
	if (e->version_lang == NULL) {
		if (!us_db_stmt_follows(db, id, e->coord,
		    us_fields_get(f, "follows"), err) ||
		    !us_db_stmt_lists(db, id, e->in, err)) {
			json_decref(before);
			return (US_FAIL);
		}
		/* The digest compare above says whether the text itself moved. */
		changed = strcmp(json_string_value(json_object_get(before,
		    "text_digest")), e->in->digest) != 0;
	}

	if (published && changed) {
		if (!us_db_exec(db, err, "UPDATE statements SET version ="
		    " version + 1 WHERE id = $1", 1, id) || !us_db_exec(db, err,
		    "INSERT INTO statement_versions (statement_id, version, lang,"
		    " title, body_markdown, body_html, text_digest, signatories,"
		    " unnamed_count, created_by, note)"
		    " SELECT st.id, st.version, $2, $3, $4, $5, $6,"
		    " coalesce((SELECT v.signatories FROM statement_versions v"
		    "   WHERE v.statement_id = st.id ORDER BY v.version DESC"
		    "   LIMIT 1), '[]'), coalesce((SELECT v.unnamed_count FROM"
		    "   statement_versions v WHERE v.statement_id = st.id"
		    "   ORDER BY v.version DESC LIMIT 1), 0),"
		    " NULLIF($7, '0')::bigint, $8 FROM statements st"
		    " WHERE st.id = $1", 8, id, e->version_lang != NULL ?
		    e->version_lang : us_fields_get(f, "lang"),
		    us_fields_get(f, "title"), us_fields_get(f, "body_markdown"),
		    e->in->body_html, e->in->digest, cid, e->note) ||
		    !edit_log_version(db, id, e->version_lang != NULL ?
		    e->version_lang : us_fields_get(f, "lang"), e->note, err)) {
			json_decref(before);
			return (US_FAIL);
		}
	}
	after = json_pack("{s:s, s:s}", "title", us_fields_get(f, "title"),
	    "text_digest", e->in->digest);
	ok = us_db_audit(db, id, e->coord, e->version_lang != NULL ?
	    "translation edited" : "edited", e->version_lang, before, after,
	    err);
	json_decref(before);
	json_decref(after);
	return (ok);
}

int
us_db_stmt_update(struct us_db *db, const char *slug, long long coord,
    const struct us_stmt_input *in, const char *version_lang,
    const char *note, int *created, struct us_error *err)
{
	struct edit	e;
	int		ok;

	e.created = 0;
	e.slug = slug;
	e.coord = coord;
	e.in = in;
	e.version_lang = version_lang;
	e.note = note;
	ok = us_db_tx(db, edit_tx, &e, err);
	if (created != NULL)
		*created = e.created;
	return (ok);
}

/* A press field of a language version: its own, or none at all. */
static void
press_text(json_t *out, const PGresult *res, int col, const char *key)
{
	if (PQgetisnull(res, 0, col))
		json_object_set_new(out, key, json_string(""));
	else
		json_object_set_new(out, key,
		    json_string(PQgetvalue(res, 0, col)));
}

/* A language version's title, text and press fields, for the editor. */
int
us_db_translation_text(struct us_db *db, const char *slug, const char *lang,
    json_t *out, struct us_error *err)
{
	PGresult	*res;

	res = us_db_query(db, err, "SELECT tr.title, tr.body_markdown,"
	    " tr.headline, tr.lede, tr.notes_to_editors, tr.about,"
	    " tr.sample_letter FROM"
	    " statement_translations tr JOIN statements st ON st.id ="
	    " tr.statement_id WHERE st.slug = $1 AND tr.lang = $2", 2, slug,
	    lang);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) == 1) {
		json_object_set_new(out, "title",
		    json_string(PQgetvalue(res, 0, 0)));
		json_object_set_new(out, "body_markdown",
		    json_string(PQgetvalue(res, 0, 1)));
		press_text(out, res, 2, "headline");
		press_text(out, res, 3, "lede");
		press_text(out, res, 4, "notes_to_editors");
		press_text(out, res, 5, "about");
		press_text(out, res, 6, "sample_letter");
	}
	PQclear(res);
	return (US_OK);
}

/*
 * The earlier urgent action statement id updates (follows: its slug, or
 * NULL for none).  It must be one the coordinator may see (published,
 * open or closed, or one of their own), and the chain of updates must
 * not come back to this statement: each page links to the one before.
 */
int
us_db_stmt_follows(struct us_db *db, const char *id, long long coord,
    const char *follows, struct us_error *err)
{
	PGresult	*res;
	char		 cid[32];
	int		 loop, kept;

	if (follows == NULL)
		return (us_db_exec(db, err, "UPDATE statements SET follows_id ="
		    " NULL WHERE id = $1", 1, id));
	/* A link that stands is kept, whoever edits the statement now. */
	res = us_db_query(db, err, "SELECT 1 FROM statements st JOIN"
	    " statements f ON f.id = st.follows_id WHERE st.id = $1 AND"
	    " f.slug = $2", 2, id, follows);
	if (res == NULL)
		return (US_FAIL);
	kept = PQntuples(res) == 1;
	PQclear(res);
	if (kept)
		return (US_OK);
	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	res = us_db_query(db, err, "SELECT st.id, st.id = $2::bigint FROM"
	    " statements st WHERE st.slug = $1 AND (st.status <> 'draft' OR"
	    " EXISTS (SELECT 1 FROM statement_coordinators sc WHERE"
	    " sc.statement_id = st.id AND sc.coordinator_id = $3))", 3,
	    follows, id, cid);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_INVALID, "follows",
		    "unknown_statement", "There is no statement \"%s\" to "
		    "update: give the short name (slug) of an existing "
		    "statement.", follows));
	}
	if (PQgetvalue(res, 0, 1)[0] == 't') {
		PQclear(res);
		return (us_error_set(err, US_E_INVALID, "follows",
		    "follows_self", "A statement cannot be an update of "
		    "itself: give the short name (slug) of an earlier one."));
	}
	PQclear(res);
	/* The chain above the earlier one, which must not hold this one. */
	res = us_db_query(db, err, "WITH RECURSIVE up(id, depth) AS ("
	    " SELECT st.id, 1 FROM statements st WHERE st.slug = $1"
	    " UNION ALL SELECT st.follows_id, up.depth + 1 FROM up JOIN"
	    " statements st ON st.id = up.id WHERE st.follows_id IS NOT NULL"
	    " AND up.depth < 10000)"
	    " SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::bigint)", 2,
	    follows, id);
	if (res == NULL)
		return (US_FAIL);
	loop = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (loop)
		return (us_error_set(err, US_E_INVALID, "follows",
		    "follows_cycle", "\"%s\" is itself an update of this "
		    "statement; an update must follow an earlier action, not "
		    "a later one.", follows));
	return (us_db_exec(db, err, "UPDATE statements SET follows_id ="
	    " (SELECT id FROM statements WHERE slug = $2) WHERE id = $1", 2,
	    id, follows));
}

/*
 * The time zones a coordinator may choose, with their offset now:
 * PostgreSQL's list of the system tzdata, the regional names only (the
 * legacy aliases would double the list).
 */
json_t *
us_db_zones(struct us_db *db, struct us_error *err)
{
	return (us_db_rows(db, err, "SELECT name, CASE WHEN utc_offset <"
	    " interval '0' THEN '-' ELSE '+' END || to_char(make_interval(secs"
	    " => abs(extract(epoch FROM utc_offset))), 'HH24:MI') AS offset"
	    " FROM pg_timezone_names WHERE name ~ '^(Africa|America|"
	    "Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/"
	    "[A-Za-z_/-]+$' OR name = 'UTC' ORDER BY name", 0));
}

/*
 * A time between the form's wall clock in a zone ("2026-12-09T00:01",
 * what <input type=datetime-local> sends) and RFC 3339 in UTC.  The
 * caller has checked both: PostgreSQL knows the calendar and the zone's
 * history.
 */
int
us_db_time_convert(struct us_db *db, const char *value, const char *zone,
    int to_local, char out[US_DB_TIME_LEN], struct us_error *err)
{
	PGresult	*res;

	res = us_db_query(db, err, to_local ?
	    "SELECT to_char($1::timestamptz AT TIME ZONE $2::text,"
	    " 'YYYY-MM-DD\"T\"HH24:MI')" :
	    "SELECT to_char(($1::timestamp AT TIME ZONE $2::text) AT TIME ZONE"
	    " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", 2, value, zone);
	if (res == NULL)
		return (US_FAIL);
	(void)snprintf(out, US_DB_TIME_LEN, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return (US_OK);
}
