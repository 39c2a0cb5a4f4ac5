#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "db/db.h"

/* As in workspace.c: shared webmail says nothing about who signed. */
#define SQL_WEBMAIL \
	"('gmail.com','googlemail.com','yahoo.com','hotmail.com'," \
	"'outlook.com','live.com','icloud.com','aol.com','mail.ru','bk.ru'," \
	"'inbox.ru','list.ru','yandex.ru','ya.ru','rambler.ru','ukr.net'," \
	"'protonmail.com','proton.me','gmx.de','gmx.net','web.de'," \
	"'tutanota.com')"

#define SQL_DOMAIN(a)	"lower(split_part(" a ".email, '@', 2))"

struct decide {
	const char	*stmt;
	long long	 coord;
	const char	*action;
	const char	*reason;
	const char	**ids;
	size_t		 nids;
	int		 changed;
};

static int	decide_tx(struct us_db *, void *, struct us_error *);

/*
 * The moderation view: every signature of a statement with its contact
 * data, what waits for a decision, and two hints: likely duplicates
 * (similar names through pg_trgm, or one organisation's email domain)
 * and whether the email's domain is the website's.
 */
json_t *
us_db_ws_signatures(struct us_db *db, const char *slug, long long coord,
    const char *show, struct us_error *err)
{
	char		 id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (NULL);
	return (us_db_rows(db, err,
	    "SELECT sg.id, sg.organisation, sg.display_name, sg.acronym,"
	    " sg.country, sg.country2, sg.website, sg.contact_name,"
	    " sg.contact_role, sg.email, sg.comment, sg.visibility, sg.status,"
	    " sg.source, sg.initiator, sg.display_order, sg.rejection_reason,"
	    " sg.approved_at IS NOT NULL AS approved,"
	    " " US_SQL_TS("sg.created_at") " AS created_at,"
	    " " US_SQL_TS("sg.confirmed_at") " AS confirmed_at,"
	    " " US_SQL_AWAITING " AS awaiting,"
	    " (sg.email IS NOT NULL AND sg.website IS NOT NULL AND"
	    "   " SQL_DOMAIN("sg") " = regexp_replace(lower(substring("
	    "   sg.website FROM '^https?://([^/:?#]+)')), '^www\\.', ''))"
	    "   AS domain_match,"
	    " (SELECT string_agg(coalesce(o.display_name, o.organisation),"
	    "   '; ') FROM signatures o WHERE o.statement_id = sg.statement_id"
	    "   AND o.id <> sg.id AND o.status <> 'rejected' AND"
	    "   ((lower(o.organisation) % lower(sg.organisation) AND"
	    "   similarity(lower(o.organisation), lower(sg.organisation)) > 0.5)"
	    "   OR (" SQL_DOMAIN("o") " = " SQL_DOMAIN("sg") " AND"
	    "   " SQL_DOMAIN("sg") " <> '' AND " SQL_DOMAIN("sg") " NOT IN "
	    SQL_WEBMAIL "))) AS duplicates"
	    " FROM signatures sg JOIN statements st ON st.id = sg.statement_id"
	    " WHERE sg.statement_id = $1 AND CASE $2"
	    "   WHEN 'queue' THEN " US_SQL_AWAITING
	    "   WHEN 'pending' THEN sg.status = 'pending'"
	    "   WHEN 'public' THEN " US_SQL_PUBLIC_SIG
	    "   WHEN 'rejected' THEN sg.status = 'rejected'"
	    "   WHEN 'withdrawn' THEN sg.status = 'withdrawn'"
	    "   ELSE true END"
	    " ORDER BY " US_SQL_LIST_ORDER " LIMIT 2000", 2, id,
	    show != NULL ? show : "all"));
}

/*
 * approve, reject (with a reason only coordinators see), restore (undo a
 * rejection): on each chosen signature of the statement, each recorded in
 * the audit log with its state before and after.
 */
static int
decide_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct decide	*d = arg;
	PGresult	*res;
	json_t		*before, *after, *entry;
	const char	*sql;
	size_t		 i;
	int		 published;

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
	for (i = 0; i < d->nids; i++) {
		char	cid[32];

		(void)snprintf(cid, sizeof(cid), "%lld", d->coord);
		res = us_db_query(db, err, "SELECT organisation, status,"
		    " approved_at IS NOT NULL AS approved FROM signatures"
		    " WHERE id = $1 AND statement_id = $2 FOR UPDATE", 2,
		    d->ids[i], d->stmt);
		if (res == NULL)
			return (US_FAIL);
		if (PQntuples(res) != 1) {
			PQclear(res);
			continue;
		}
		before = us_db_row_json(res, 0);
		PQclear(res);
		/* Off a published list: an entry in its log, a new record. */
		entry = published ? us_db_log_removal(db, d->ids[i],
		    "coordinator", d->reason, err) : NULL;
		if (entry == NULL && err->kind != US_E_NONE) {
			json_decref(before);
			return (US_FAIL);
		}
		/* Only a rejection takes the fourth parameter, its reason. */
		res = us_db_query(db, err, sql, strcmp(d->action, "reject") ==
		    0 ? 4 : 3, d->ids[i], d->stmt, cid, d->reason);
		if (res == NULL || (PQntuples(res) == 1 && entry != NULL &&
		    !us_db_log_append(db, d->stmt, entry, err))) {
			if (res != NULL)
				PQclear(res);
			json_decref(entry);
			json_decref(before);
			return (US_FAIL);
		}
		json_decref(entry);
		if (PQntuples(res) == 1) {
			after = us_db_row_json(res, 0);
			if (strcmp(d->action, "reject") == 0 && d->reason != NULL)
				json_object_set_new(after, "reason",
				    json_string(d->reason));
			if (!us_db_audit(db, d->stmt, d->coord, d->action,
			    json_string_value(json_object_get(before,
			    "organisation")), before, after, err)) {
				json_decref(after);
				json_decref(before);
				PQclear(res);
				return (US_FAIL);
			}
			json_decref(after);
			d->changed++;
		}
		json_decref(before);
		PQclear(res);
	}
	return (US_OK);
}

int
us_db_ws_decide(struct us_db *db, const char *slug, long long coord,
    const char *action, const char *reason, const char **ids, size_t nids,
    int *changed, struct us_error *err)
{
	struct decide	d;
	char		id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	d.stmt = id;
	d.coord = coord;
	d.action = action;
	d.reason = reason;
	d.ids = ids;
	d.nids = nids;
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
