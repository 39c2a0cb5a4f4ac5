#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dupe.h"
#include "core/fields.h"
#include "db/db.h"

/*
 * Which signatures a moderation view or a bulk decision covers: $1 the
 * statement, $2 the state shown, $3 what was searched for (name, shown
 * name, acronym, website, contact, email), $4 a country the search
 * names (ISO code, or '').  sg and st are the aliases.
 */
#define SQL_MOD_FILTER \
	" sg.statement_id = $1 AND CASE $2" \
	"   WHEN 'queue' THEN " US_SQL_AWAITING \
	"   WHEN 'pending' THEN sg.status = 'pending'" \
	"   WHEN 'public' THEN " US_SQL_PUBLIC_SIG \
	"   WHEN 'rejected' THEN sg.status = 'rejected'" \
	"   WHEN 'withdrawn' THEN sg.status = 'withdrawn'" \
	"   WHEN 'counted' THEN sg.visibility = 'counted'" \
	"   ELSE true END" \
	" AND ($3 = '' OR sg.country = $4 OR sg.country2 = $4 OR" \
	"   strpos(lower(concat_ws(' ', sg.organisation, sg.display_name," \
	"   sg.acronym, sg.website, sg.contact_name, sg.email)), lower($3))" \
	"   > 0)"

/* A statement's zone, as the workspace shows its times. */
#define SQL_MOD_ZONE \
	"coalesce(st.timezone, st.embargo_timezone, 'UTC')"
#define SQL_MOD_LOCAL(col) \
	"to_char((" col ") AT TIME ZONE " SQL_MOD_ZONE ", 'YYYY-MM-DD HH24:MI')"

#define SQL_DOMAIN(a)	"lower(split_part(" a ".email, '@', 2))"

struct decide {
	const char			*stmt;
	long long			 coord;
	const char			*action;
	const char			*reason;
	const char			**ids;
	size_t				 nids;
	const struct us_db_mod_filter	*filter;
	int				 changed;
};

static int	decide_tx(struct us_db *, void *, struct us_error *);
static int	decide_one(struct us_db *, struct decide *, const char *,
		    const char *, int, struct us_error *);
static int	mod_dupes(struct us_db *, const char *, json_t *,
		    struct us_error *);
static void	dupe_org(struct us_dupe_org *, json_t *);

static void
dupe_org(struct us_dupe_org *o, json_t *row)
{
#define S(k)	json_string_value(json_object_get(row, (k)))
	memset(o, 0, sizeof(*o));
	o->name = S("organisation");
	o->display_name = S("display_name");
	o->acronym = S("acronym");
	o->country = S("country");
	o->country2 = S("country2");
	o->website = S("website");
	o->email = S("email");
#undef S
}

/*
 * Each row of rows gets "duplicates": the other signatures of the
 * statement that are on their way or listed and likely the same
 * organisation (core/dupe.c), each with the reason, at most
 * US_DB_DUPES_SHOWN of them.
 */
static int
mod_dupes(struct us_db *db, const char *stmt, json_t *rows,
    struct us_error *err)
{
	struct us_dupe_keys	*all, mine;
	struct us_dupe_org	 o;
	enum us_dupe_reason	 why;
	json_t			*others, *row, *other, *list;
	size_t			 i, j, n;

	if (json_array_size(rows) == 0)
		return (US_OK);
	if ((others = us_db_rows(db, err, "SELECT id::text AS id,"
	    " organisation, display_name, acronym, country, country2,"
	    " website, email FROM signatures WHERE statement_id = $1 AND"
	    " status IN ('pending', 'confirmed') ORDER BY id", 1, stmt)) ==
	    NULL)
		return (US_FAIL);
	n = json_array_size(others);
	all = us_calloc(n + 1, sizeof(*all));
	json_array_foreach(others, j, other) {
		dupe_org(&o, other);
		us_dupe_keys_make(&all[j], &o);
	}
	json_array_foreach(rows, i, row) {
		const char	*id = json_string_value(json_object_get(row,
				    "id"));

		dupe_org(&o, row);
		us_dupe_keys_make(&mine, &o);
		list = json_array();
		for (j = 0; j < n && json_array_size(list) <
		    US_DB_DUPES_SHOWN; j++) {
			other = json_array_get(others, j);
			if (id != NULL && strcmp(id, json_string_value(
			    json_object_get(other, "id"))) == 0)
				continue;
			if ((why = us_dupe_match(&mine, &all[j])) ==
			    US_DUPE_NONE)
				continue;
			json_array_append_new(list, json_pack("{s:O, s:O, s:O?,"
			    " s:O?, s:s}", "id", json_object_get(other, "id"),
			    "organisation", json_object_get(other,
			    "display_name") != NULL && json_is_string(
			    json_object_get(other, "display_name")) ?
			    json_object_get(other, "display_name") :
			    json_object_get(other, "organisation"),
			    "acronym", json_object_get(other, "acronym"),
			    "country", json_object_get(other, "country"),
			    "reason", us_dupe_reason_text(why)));
		}
		us_dupe_keys_free(&mine);
		json_object_set_new(row, "duplicates", list);
	}
	for (j = 0; j < n; j++)
		us_dupe_keys_free(&all[j]);
	free(all);
	json_decref(others);
	return (US_OK);
}

/*
 * One page of the moderation view: the signatures the filter covers,
 * with their contact data, times as wall clock in the statement's zone
 * (created_local, confirmed_local), likely duplicates with the reason,
 * and whether the email's domain is the website's.  {rows, total, zone}.
 */
json_t *
us_db_ws_signatures(struct us_db *db, const char *slug, long long coord,
    const struct us_db_mod_filter *f, int page, int per_page,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*rows, *out;
	char		 id[US_DB_ID_LEN], limit[16], offset[32];
	const char	*show = f->show != NULL ? f->show : "all";
	const char	*q = f->q != NULL ? f->q : "";
	const char	*country = f->country != NULL ? f->country : "";

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (NULL);
	res = us_db_query(db, err, "SELECT count(*), (SELECT " SQL_MOD_ZONE
	    " FROM statements st WHERE st.id = $1) FROM signatures sg"
	    " JOIN statements st ON st.id = sg.statement_id WHERE"
	    SQL_MOD_FILTER, 4, id, show, q, country);
	if (res == NULL)
		return (NULL);
	out = json_pack("{s:I, s:s}", "total", (json_int_t)strtoll(
	    PQgetvalue(res, 0, 0), NULL, 10), "zone", PQgetvalue(res, 0, 1));
	PQclear(res);
	(void)snprintf(limit, sizeof(limit), "%d", per_page);
	(void)snprintf(offset, sizeof(offset), "%lld",
	    (long long)(page - 1) * per_page);
	rows = us_db_rows(db, err,
	    "SELECT sg.id::text AS id, sg.organisation, sg.display_name,"
	    " sg.acronym, sg.country, sg.country2, sg.website,"
	    " sg.contact_name, sg.contact_role, sg.email, sg.comment,"
	    " sg.visibility, sg.status, sg.source, sg.initiator,"
	    " sg.display_order, sg.rejection_reason,"
	    " sg.approved_at IS NOT NULL AS approved,"
	    " " SQL_MOD_LOCAL("sg.created_at") " AS created_local,"
	    " " SQL_MOD_LOCAL("sg.confirmed_at") " AS confirmed_local,"
	    " " US_SQL_AWAITING " AS awaiting,"
	    " (sg.email IS NOT NULL AND sg.website IS NOT NULL AND"
	    "   " SQL_DOMAIN("sg") " = regexp_replace(lower(substring("
	    "   sg.website FROM '^https?://([^/:?#]+)')), '^www\\.', ''))"
	    "   AS domain_match"
	    " FROM signatures sg JOIN statements st ON st.id = sg.statement_id"
	    " WHERE" SQL_MOD_FILTER
	    " ORDER BY " US_SQL_LIST_ORDER " LIMIT $5 OFFSET $6", 6, id, show,
	    q, country, limit, offset);
	if (rows == NULL || !mod_dupes(db, id, rows, err)) {
		json_decref(rows);
		json_decref(out);
		return (NULL);
	}
	json_object_set_new(out, "rows", rows);
	return (out);
}

/*
 * One decision on signature sid, recorded in the audit log with its
 * state before and after.  sql is the action's UPDATE.
 */
static int
decide_one(struct us_db *db, struct decide *d, const char *sid,
    const char *sql, int published, struct us_error *err)
{
	PGresult	*res;
	json_t		*before, *after, *entry;
	char		 cid[32];
	int		 ok;

	(void)snprintf(cid, sizeof(cid), "%lld", d->coord);
	res = us_db_query(db, err, "SELECT organisation, status,"
	    " approved_at IS NOT NULL AS approved FROM signatures"
	    " WHERE id = $1 AND statement_id = $2 FOR UPDATE", 2, sid,
	    d->stmt);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (US_OK);
	}
	before = us_db_row_json(res, 0);
	PQclear(res);
	/* Off a published list: an entry in its log, a new record. */
	entry = published ? us_db_log_removal(db, sid, "coordinator",
	    d->reason, err) : NULL;
	if (entry == NULL && err->kind != US_E_NONE) {
		json_decref(before);
		return (US_FAIL);
	}
	/* Only a rejection takes the fourth parameter, its reason. */
	res = us_db_query(db, err, sql, strcmp(d->action, "reject") == 0 ? 4 :
	    3, sid, d->stmt, cid, d->reason);
	if (res == NULL || (PQntuples(res) == 1 && entry != NULL &&
	    !us_db_log_append(db, d->stmt, entry, err))) {
		if (res != NULL)
			PQclear(res);
		json_decref(entry);
		json_decref(before);
		return (US_FAIL);
	}
	json_decref(entry);
	ok = US_OK;
	if (PQntuples(res) == 1) {
		after = us_db_row_json(res, 0);
		if (strcmp(d->action, "reject") == 0 && d->reason != NULL)
			json_object_set_new(after, "reason",
			    json_string(d->reason));
		ok = us_db_audit(db, d->stmt, d->coord, d->action,
		    json_string_value(json_object_get(before, "organisation")),
		    before, after, err);
		json_decref(after);
		if (ok)
			d->changed++;
	}
	json_decref(before);
	PQclear(res);
	return (ok);
}

/*
 * approve, reject (with a reason only coordinators see), restore (undo a
 * rejection): on each chosen signature of the statement, or on every one
 * the filter covers (read here, in the transaction, so the set decided
 * on is the set that matches now).
 */
static int
decide_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct decide	*d = arg;
	PGresult	*res;
	const char	*sql;
	size_t		 i;
	int		 published, n;

	d->changed = 0;
	if (strcmp(d->action, "approve") == 0)
		sql = "UPDATE signatures SET approved_at = now(), decided_by ="
		    " $3, updated_at = now() WHERE id = $1 AND statement_id = $2"
		    " AND status = 'confirmed' AND approved_at IS NULL"
		    " RETURNING organisation, status, approved_at IS NOT NULL"
		    " AS approved";
	else if (strcmp(d->action, "reject") == 0)
		sql = "UPDATE signatures SET status = 'rejected',"
		    " rejection_reason = $4, decided_by = $3, updated_at = now()"
		    " WHERE id = $1 AND statement_id = $2 AND status IN"
		    " ('pending', 'confirmed') RETURNING organisation, status,"
		    " approved_at IS NOT NULL AS approved";
	else if (strcmp(d->action, "restore") == 0)
		sql = "UPDATE signatures SET status = CASE WHEN confirmed_at IS"
		    " NULL THEN 'pending' ELSE 'confirmed' END,"
		    " rejection_reason = NULL, decided_by = $3,"
		    " updated_at = now() WHERE id = $1 AND statement_id = $2"
		    " AND status = 'rejected'"
		    " RETURNING organisation, status, approved_at IS NOT NULL"
		    " AS approved";
	else
		return (us_error_set(err, US_E_INVALID, "action",
		    "invalid_action", "The action must be approve, reject or "
		    "restore."));

	/*
	 * What was published went out as a version with its list: the list
	 * may lose a name (reject, withdraw) but gains none afterwards.  The
	 * share lock holds a publication back until this decision is made.
	 */
	res = us_db_query(db, err, "SELECT status = 'published' FROM statements"
	    " WHERE id = $1 FOR SHARE", 1, d->stmt);
	if (res == NULL)
		return (US_FAIL);
	published = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (published && strcmp(d->action, "reject") != 0)
		return (us_error_set(err, US_E_CONFLICT, "action", "published",
		    "This statement is published: its list can lose a name "
		    "but gain none. Approving or restoring is no longer "
		    "possible."));
	if (d->filter == NULL) {
		for (i = 0; i < d->nids; i++)
			if (!decide_one(db, d, d->ids[i], sql, published, err))
				return (US_FAIL);
		return (US_OK);
	}
	res = us_db_query(db, err, "SELECT sg.id FROM signatures sg JOIN"
	    " statements st ON st.id = sg.statement_id WHERE" SQL_MOD_FILTER
	    " ORDER BY sg.id", 4, d->stmt, d->filter->show != NULL ?
	    d->filter->show : "all", d->filter->q != NULL ? d->filter->q : "",
	    d->filter->country != NULL ? d->filter->country : "");
	if (res == NULL)
		return (US_FAIL);
	if ((n = PQntuples(res)) > US_DB_DECIDE_MAX) {
		PQclear(res);
		return (us_error_set(err, US_E_INVALID, "scope", "too_many",
		    "%d signatures match: at most %d can be decided on at "
		    "once. Narrow the search or the filter.", n,
		    US_DB_DECIDE_MAX));
	}
	for (i = 0; i < (size_t)n; i++)
		if (!decide_one(db, d, PQgetvalue(res, (int)i, 0), sql,
		    published, err)) {
			PQclear(res);
			return (US_FAIL);
		}
	PQclear(res);
	return (US_OK);
}

/*
 * The decision on the signatures ids (nids of them), or, with filter
 * set, on every signature it covers.
 */
int
us_db_ws_decide(struct us_db *db, const char *slug, long long coord,
    const char *action, const char *reason, const char **ids, size_t nids,
    const struct us_db_mod_filter *filter, int *changed,
    struct us_error *err)
{
	struct decide	d;
	char		id[US_DB_ID_LEN];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	memset(&d, 0, sizeof(d));
	d.stmt = id;
	d.coord = coord;
	d.action = action;
	d.reason = reason;
	d.ids = ids;
	d.nids = nids;
	d.filter = filter;
	if (!us_db_tx(db, decide_tx, &d, err))
		return (US_FAIL);
	*changed = d.changed;
	return (US_OK);
}

struct sig_edit {
	const char	*stmt;
	long long	 coord;
	const char	*sig;
	const char	*display_name;
	const char	*initiator;
	const char	*position;
};

struct list_order {
	const char	*stmt;
	long long	 coord;
	const char	*order;
};

static int	sig_edit_tx(struct us_db *, void *, struct us_error *);
static int	list_order_tx(struct us_db *, void *, struct us_error *);

/*
 * A published list went out with its names as shown then: renaming,
 * reordering or marking an initiator afterwards would change what was
 * published without a trace on the page, so it is refused.  The share
 * lock holds a publication back until the edit is made.
 */
static int
sig_edit_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct sig_edit	*e = arg;
	PGresult	*res;
	json_t		*before, *after;
	int		 ok;

	res = us_db_query(db, err, "SELECT status = 'published' FROM statements"
	    " WHERE id = $1 FOR SHARE", 1, e->stmt);
	if (res == NULL)
		return (US_FAIL);
	ok = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (ok)
		return (us_error_set(err, US_E_CONFLICT, "display_name",
		    "published", "This statement is published: the names on "
		    "its list stay as they were published and can no longer "
		    "be edited."));
	res = us_db_query(db, err, "SELECT organisation, display_name,"
	    " initiator, display_order FROM signatures WHERE id = $1 AND"
	    " statement_id = $2 FOR UPDATE", 2, e->sig, e->stmt);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no such signature on this statement."));
	}
	before = us_db_row_json(res, 0);
	PQclear(res);
	res = us_db_query(db, err, "UPDATE signatures SET display_name ="
	    " NULLIF($3, ''), initiator = $4::boolean, display_order ="
	    " NULLIF($5, '')::integer, updated_at = now() WHERE id = $1 AND"
	    " statement_id = $2 RETURNING organisation, display_name,"
	    " initiator, display_order", 5, e->sig, e->stmt, e->display_name,
	    e->initiator, e->position);
	if (res == NULL) {
		json_decref(before);
		return (US_FAIL);
	}
	after = us_db_row_json(res, 0);
	PQclear(res);
	ok = us_db_audit(db, e->stmt, e->coord, "signature edited",
	    json_string_value(json_object_get(before, "organisation")), before,
	    after, err);
	json_decref(before);
	json_decref(after);
	return (ok);
}

/*
 * How a name is shown (the original is kept), whether the organisation
 * is an initiator, and its place in a manual order.  display_name has
 * been validated (core/sign.c) by the caller.
 */
int
us_db_ws_sig_edit(struct us_db *db, const char *slug, long long coord,
    const char *sig, const char *display_name, int initiator,
    const char *position, struct us_error *err)
{
	struct sig_edit	e;
	char		id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	e.stmt = id;
	e.coord = coord;
	e.sig = sig;
	e.display_name = display_name;
	e.initiator = initiator ? "true" : "false";
	e.position = position;
	return (us_db_tx(db, sig_edit_tx, &e, err));
}

static int
list_order_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct list_order	*l = arg;

	return (us_db_exec(db, err, "UPDATE statements SET list_order = $2,"
	    " updated_at = now() WHERE id = $1", 2, l->stmt, l->order) &&
	    us_db_audit(db, l->stmt, l->coord, "list order", l->order, NULL,
	    NULL, err));
}

int
us_db_ws_list_order(struct us_db *db, const char *slug, long long coord,
    const char *order, struct us_error *err)
{
	struct list_order	l;
	char			id[32];

	if (strcmp(order, "date") != 0 && strcmp(order, "alphabetical") != 0 &&
	    strcmp(order, "manual") != 0)
		return (us_error_set(err, US_E_INVALID, "list_order",
		    "invalid_choice", "The order must be date, alphabetical or "
		    "manual."));
	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	l.stmt = id;
	l.coord = coord;
	l.order = order;
	return (us_db_tx(db, list_order_tx, &l, err));
}

/* Every signature with its contact data, for the coordinators' export. */
json_t *
us_db_ws_export(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	char		 id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (NULL);
	return (us_db_rows(db, err,
	    "SELECT sg.id, CASE WHEN sg.visibility = 'named' AND "
	    US_SQL_PUBLIC_SIG " THEN row_number() OVER (PARTITION BY"
	    " sg.visibility = 'named' AND " US_SQL_PUBLIC_SIG
	    " ORDER BY " US_SQL_LIST_ORDER ") END AS position,"
	    " sg.organisation, sg.display_name, sg.acronym, sg.country,"
	    " sg.country2, sg.website, sg.contact_name, sg.contact_role,"
	    " sg.email, sg.comment, sg.visibility, sg.status,"
	    " sg.approved_at IS NOT NULL AS approved, sg.rejection_reason,"
	    " sg.source, sg.initiator, sg.lang, sg.text_digest,"
	    " " US_SQL_TS("sg.created_at") " AS created_at,"
	    " " US_SQL_TS("sg.confirmed_at") " AS confirmed_at,"
	    " " US_SQL_TS("sg.withdrawn_at") " AS withdrawn_at"
	    " FROM signatures sg JOIN statements st ON st.id = sg.statement_id"
	    " WHERE sg.statement_id = $1"
	    " ORDER BY position NULLS LAST, sg.created_at, sg.id", 1, id));
}
