#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/statement.h"
#include "core/when.h"
#include "db/db.h"

struct stmt_create {
	const struct us_stmt_input	*in;
	const char			*coord;
};

struct stmt_status {
	const char	*slug;
	const char	*status;
	const char	*coord;
};

static int	stmt_create_tx(struct us_db *, void *, struct us_error *);
static void	stmt_expiry(json_t *);
static void	stmt_followed_by(json_t *, json_t *);
static int	stmt_status_tx(struct us_db *, void *, struct us_error *);

static int
stmt_create_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct stmt_create	*c = arg;
	const struct us_fields	*f = &c->in->f;
	PGresult		*res;
	char			 id[32];

	res = us_db_query(db, err,
	    "INSERT INTO statements (slug, kind, lang, title, body_markdown,"
	    " body_html, place, date, reference, expires_on, signing_deadline,"
	    " require_approval, text_digest, created_by,"
	    " coordinator_organisation, headline, lede, notes_to_editors,"
	    " about, embargo_until, embargo_timezone, timezone, goal,"
	    " sample_letter)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
	    " COALESCE($12::boolean, false), $13, $14, $15, $16, $17, $18,"
	    " $19, $20, $21, $22, $23, $24)"
	    " ON CONFLICT (slug) DO NOTHING RETURNING id", 24,
	    us_fields_get(f, "slug"), us_fields_get(f, "kind"),
	    us_fields_get(f, "lang"), us_fields_get(f, "title"),
	    us_fields_get(f, "body_markdown"), c->in->body_html,
	    us_fields_get(f, "place"), us_fields_get(f, "date"),
	    us_fields_get(f, "reference"), us_fields_get(f, "expires_on"),
	    us_fields_get(f, "signing_deadline"),
	    us_fields_get(f, "require_approval"), c->in->digest, c->coord,
	    us_fields_get(f, "coordinator_organisation"),
	    us_fields_get(f, "headline"), us_fields_get(f, "lede"),
	    us_fields_get(f, "notes_to_editors"), us_fields_get(f, "about"),
	    us_fields_get(f, "embargo_until"),
	    us_fields_get(f, "embargo_timezone"), us_fields_get(f, "timezone"),
	    us_fields_get(f, "goal"), us_fields_get(f, "sample_letter"));
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_CONFLICT, "slug", "slug_taken",
		    "A statement with the short name \"%s\" already exists; "
		    "choose another.", us_fields_get(f, "slug")));
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!us_db_exec(db, err, "INSERT INTO statement_coordinators"
	    " (statement_id, coordinator_id) VALUES ($1, $2)", 2, id,
	    c->coord) || !us_db_audit(db, id, strtoll(c->coord, NULL, 10),
	    "created", us_fields_get(f, "slug"), NULL, NULL, err))
		return (US_FAIL);
	if (!us_db_stmt_follows(db, id, strtoll(c->coord, NULL, 10),
	    us_fields_get(f, "follows"), err))
		return (US_FAIL);
	return (us_db_stmt_lists(db, id, c->in, err));
}


int
us_db_stmt_create(struct us_db *db, const struct us_stmt_input *in,
    long long coord, struct us_error *err)
{
	struct stmt_create	c;
	char			id[32];

	(void)snprintf(id, sizeof(id), "%lld", coord);
	c.in = in;
	c.coord = id;
	return (us_db_tx(db, stmt_create_tx, &c, err));
}

static int
stmt_status_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct stmt_status	*s = arg;
	PGresult		*res;
	json_t			*before, *after;
	char			 id[32], from[16];
	int			 mine, ok;

	res = us_db_query(db, err,
	    "SELECT st.id, st.status, EXISTS (SELECT 1 FROM"
	    " statement_coordinators sc WHERE sc.statement_id = st.id AND"
	    " sc.coordinator_id = $2) FROM statements st WHERE st.slug = $1"
	    " FOR UPDATE", 2, s->slug, s->coord);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", s->slug));
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(from, sizeof(from), "%s", PQgetvalue(res, 0, 1));
	mine = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	if (!mine)
		return (us_error_set(err, US_E_FORBIDDEN, NULL,
		    "not_coordinator", "You are not a coordinator of this "
		    "statement."));
	if (!us_stmt_transition(from, s->status, err))
		return (US_FAIL);
	if (strcmp(from, s->status) == 0)
		return (US_OK);
	/* Publishing freezes the text and list and tells the signatories. */
	if (strcmp(s->status, "published") == 0)
		return (us_db_publish(db, id, strtoll(s->coord, NULL, 10), err));
	if (!us_db_exec(db, err, "UPDATE statements SET status = $2,"
	    " updated_at = now() WHERE id = $1", 2, id, s->status))
		return (US_FAIL);
	before = json_pack("{s:s}", "status", from);
	after = json_pack("{s:s}", "status", s->status);
	ok = us_db_audit(db, id, strtoll(s->coord, NULL, 10), "status", NULL,
	    before, after, err);
	json_decref(before);
	json_decref(after);
	return (ok);
}

int
us_db_stmt_set_status(struct us_db *db, const char *slug, const char *status,
    long long coord, struct us_error *err)
{
	struct stmt_status	s;
	char			id[32];

	(void)snprintf(id, sizeof(id), "%lld", coord);
	s.slug = slug;
	s.status = status;
	s.coord = id;
	return (us_db_tx(db, stmt_status_tx, &s, err));
}

/*
 * expired: whether the action's last day (expires_on) has ended in the
 * statement's zone (core/when.c decides; PostgreSQL knows the zone's
 * clock).  The local clock itself is not part of the statement.
 */
static void
stmt_expiry(json_t *st)
{
	json_object_set_new(st, "expired", json_boolean(us_when_expired(
	    json_string_value(json_object_get(st, "expires_on")),
	    json_string_value(json_object_get(st, "now_local")))));
	json_object_del(st, "now_local");
}

/*
 * followed_by: the later updates of this action that are open, closed or
 * published (update_number counts them all, in order of creation, so a
 * draft in between does not renumber the rest once it comes out).
 */
static void
stmt_followed_by(json_t *st, json_t *rows)
{
	json_t		*out, *u;
	const char	*status;
	size_t		 i;

	out = json_array();
	json_array_foreach(rows, i, u) {
		status = json_string_value(json_object_get(u, "status"));
		if (status == NULL || strcmp(status, "draft") == 0)
			continue;
		json_object_del(u, "status");
		json_array_append(out, u);
	}
	json_decref(rows);
	json_object_set_new(st, "followed_by", out);
}

/*
 * The statement as the public sees it, with its live counts.  Drafts exist
 * only for their coordinators (coord 0 = anonymous reader).  Counted-only
 * signatures are in the totals and nowhere else: a country count that
 * included them would say where an organisation works that asked not to
 * be named.
 */
json_t *
us_db_stmt_get(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*st;
	char		 cid[32], id[32];

	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	res = us_db_query(db, err,
	    "SELECT st.id, st.slug, st.title, st.kind, st.status, st.lang,"
	    " st.place, st.date::text AS date, st.reference,"
	    " st.expires_on::text AS expires_on,"
	    " " US_SQL_TS("st.signing_deadline") " AS signing_deadline,"
	    " st.require_approval, st.text_digest, st.body_markdown,"
	    " st.body_html,"
	    " " US_SQL_TS("st.created_at") " AS created_at,"
	    " " US_SQL_TS("st.updated_at") " AS updated_at,"
	    " (st.signing_deadline IS NOT NULL AND st.signing_deadline < now())"
	    "   AS deadline_passed,"
	    " " US_SQL_DEADLINE_LOCAL("st") " AS deadline_local,"
	    " " US_SQL_STMT_ZONE("st") " AS deadline_zone,"
	    " c.signature_count, c.unnamed_count,"
	    " (SELECT count(DISTINCT u.c) FROM signatures sg"
	    "   CROSS JOIN LATERAL unnest(ARRAY[sg.country, sg.country2])"
	    "   AS u(c) WHERE sg.statement_id = st.id AND u.c IS NOT NULL AND"
	    "   sg.visibility = 'named' AND " US_SQL_PUBLIC_SIG ")"
	    "   AS country_count,"
	    " st.coordinator_organisation, st.headline, st.lede,"
	    " st.notes_to_editors, st.about,"
	    " " US_SQL_TS("st.embargo_until") " AS embargo_until,"
	    " st.embargo_timezone, st.timezone, st.goal,"
	    " " US_SQL_TS("st.published_at") " AS published_at, st.version,"
	    " to_char(st.embargo_until AT TIME ZONE coalesce("
	    "   st.embargo_timezone, 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI')"
	    "   AS embargo_local,"
	    " coalesce(st.embargo_until > now(), false) AS embargo_active,"
	    " st.sample_letter,"
	    " to_char(now() AT TIME ZONE " US_SQL_EXPIRY_ZONE("st") ","
	    "   'YYYY-MM-DD\"T\"HH24:MI:SS') AS now_local,"
	    " " US_SQL_EXPIRY_ZONE("st") " AS expiry_zone,"
	    " f.slug AS follows, f.reference AS follows_reference,"
	    " f.title AS follows_title, f.status AS follows_status,"
	    " CASE WHEN f.id IS NOT NULL THEN (SELECT count(*) FROM"
	    "   statements u WHERE u.follows_id = f.id AND (u.created_at,"
	    "   u.id) <= (st.created_at, st.id)) END AS update_number,"
	    " EXISTS (SELECT 1 FROM statement_coordinators sc"
	    "   WHERE sc.statement_id = st.id AND sc.coordinator_id = $2)"
	    "   AS is_coordinator"
	    " FROM statements st LEFT JOIN statements f ON f.id ="
	    "   st.follows_id CROSS JOIN LATERAL ("
	    "   SELECT count(*) AS signature_count,"
	    "   count(*) FILTER (WHERE sg.visibility = 'counted')"
	    "     AS unnamed_count"
	    "   FROM signatures sg WHERE sg.statement_id = st.id AND "
	    US_SQL_PUBLIC_SIG ") c"
	    " WHERE st.slug = $1", 2, slug, cid);
	if (res == NULL)
		return (NULL);
	/* coord -1: an embargo preview, which may show a draft. */
	if (PQntuples(res) != 1 || (strcmp(PQgetvalue(res, 0, 4), "draft") ==
	    0 && PQgetvalue(res, 0, PQnfields(res) - 1)[0] != 't' &&
	    coord != -1)) {
		PQclear(res);
		us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug);
		return (NULL);
	}
	st = us_db_row_json(res, 0);
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	stmt_expiry(st);
	/* An earlier draft is its coordinators' business alone. */
	if (!json_is_true(json_object_get(st, "is_coordinator")) &&
	    json_is_string(json_object_get(st, "follows_status")) &&
	    strcmp(json_string_value(json_object_get(st, "follows_status")),
	    "draft") == 0) {
		json_object_set_new(st, "follows", json_null());
		json_object_set_new(st, "follows_reference", json_null());
		json_object_set_new(st, "follows_title", json_null());
		json_object_set_new(st, "update_number", json_null());
	}
	json_object_del(st, "follows_status");
	json_object_del(st, "id");
	json_object_del(st, "is_coordinator");

	/* The updates that follow this one and are out in the open. */
	res = us_db_query(db, err, "SELECT slug, title, reference,"
	    " row_number() OVER (ORDER BY created_at, id) AS update_number,"
	    " status FROM statements WHERE follows_id = $1 ORDER BY"
	    " created_at, id", 1, id);
	if (res == NULL)
		goto fail;
	stmt_followed_by(st, us_db_rows_json(res));
	PQclear(res);

	res = us_db_query(db, err,
	    "SELECT position, name, title, address, email, phone, fax, social,"
	    " salutation FROM addressees WHERE statement_id = $1 ORDER BY position", 1, id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "addressees", us_db_rows_json(res));
	PQclear(res);

	res = us_db_query(db, err,
	    "SELECT u.country, count(*) AS count FROM signatures sg"
	    " JOIN statements st ON st.id = sg.statement_id"
	    " CROSS JOIN LATERAL unnest(ARRAY[sg.country, sg.country2])"
	    " AS u(country)"
	    " WHERE sg.statement_id = $1 AND u.country IS NOT NULL AND"
	    " sg.visibility = 'named' AND " US_SQL_PUBLIC_SIG
	    " GROUP BY u.country ORDER BY count(*) DESC, u.country", 1, id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "countries", us_db_rows_json(res));
	PQclear(res);

	res = us_db_query(db, err,
	    "SELECT name, organisation, email, phone, languages, timezone"
	    " FROM media_contacts WHERE statement_id = $1 ORDER BY position",
	    1, id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "media_contacts", us_db_rows_json(res));
	PQclear(res);

	res = us_db_query(db, err, "SELECT lang, title FROM"
	    " statement_translations WHERE statement_id = $1 ORDER BY lang", 1,
	    id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "translations", us_db_rows_json(res));
	PQclear(res);

	/* The public changelog: each published version with its note. */
	res = us_db_query(db, err, "SELECT DISTINCT ON (version) version,"
	    " " US_SQL_TS("created_at") " AS created_at, note FROM"
	    " statement_versions WHERE statement_id = $1"
	    " ORDER BY version DESC", 1, id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "versions", us_db_rows_json(res));
	PQclear(res);
	if (!us_db_action_counts(db, id, st, err))
		goto fail;
	return (st);
fail:
	json_decref(st);
	return (NULL);
}

json_t *
us_db_stmt_list_public(struct us_db *db, struct us_error *err)
{

	return (us_db_rows(db, err,
	    "SELECT st.slug, st.title, st.kind, st.status, st.lang, st.place,"
	    " st.date::text AS date, (SELECT count(*) FROM signatures sg"
	    "   WHERE sg.statement_id = st.id AND " US_SQL_PUBLIC_SIG ")"
	    "   AS signature_count"
	    " FROM statements st WHERE st.status <> 'draft'"
	    " ORDER BY st.status = 'open' DESC, st.updated_at DESC LIMIT 100",
	    0));
}

/*
 * One language version of the text, as the public page shows it and the
 * sign form binds to: title, HTML, digest.  NULL (no error) when there
 * is none in that language.
 */
json_t *
us_db_translation(struct us_db *db, const char *slug, const char *lang,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*o;

	res = us_db_query(db, err, "SELECT tr.lang, tr.title, tr.body_markdown,"
	    " tr.body_html, tr.text_digest, tr.headline, tr.lede,"
	    " tr.notes_to_editors, tr.about, tr.sample_letter"
	    " FROM statement_translations tr"
	    " JOIN statements st ON st.id = tr.statement_id WHERE st.slug = $1"
	    " AND tr.lang = $2", 2, slug, lang);
	if (res == NULL)
		return (NULL);
	o = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	return (o);
}

/*
 * What every public page of the statement is rendered from, as one
 * number (migrations/0011_revision.sql): one index lookup, so a cached
 * page costs this query at most once a check interval.
 */
int
us_db_stmt_revision(struct us_db *db, const char *slug, long long *rev,
    struct us_error *err)
{
	PGresult	*res;

	res = us_db_query(db, err, "SELECT statement_page_revision($1)", 1,
	    slug);
	if (res == NULL)
		return (US_FAIL);
	*rev = PQgetisnull(res, 0, 0) ? -1 : strtoll(PQgetvalue(res, 0, 0),
	    NULL, 10);
	PQclear(res);
	return (US_OK);
}
