#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/siglist.h"
#include "db/db.h"

/*
 * Pages of a statement's public list, searched or not, and the public
 * index of statements.  The list's order is that of US_SQL_LIST_ORDER,
 * spelt out per mode so that each query walks its index of
 * migrations/0012_lists.sql: a page at offset 99,000 reads the index up
 * to it and sorts nothing.
 */

/* The order of each list_order, as US_SQL_LIST_ORDER has it. */
static const struct {
	const char	*mode;
	const char	*order;
} list_orders[] = {
	{ "date", "coalesce(sg.confirmed_at, sg.created_at), sg.id" },
	{ "alphabetical", "coalesce(sg.display_name, sg.organisation)"
	    " COLLATE \"und-x-icu\", coalesce(sg.confirmed_at, sg.created_at),"
	    " sg.id" },
	{ "manual", "NOT sg.initiator, sg.display_order,"
	    " coalesce(sg.confirmed_at, sg.created_at), sg.id" },
};

/* US_SQL_PUBLIC_SIG for a statement whose require_approval is $2. */
#define LIST_WHERE \
	" FROM signatures sg WHERE sg.statement_id = $1" \
	" AND sg.status = 'confirmed' AND sg.visibility = 'named'" \
	" AND (sg.approved_at IS NOT NULL OR" \
	" NOT ($2::boolean OR sg.source = 'import'))"

#define LIST_COLUMNS \
	" coalesce(sg.display_name, sg.organisation) AS organisation," \
	" sg.acronym, sg.country, sg.country2," \
	" (coalesce(sg.confirmed_at, sg.created_at) AT TIME ZONE 'UTC')" \
	" ::date::text AS signed_on"

/*
 * A search matches the name or acronym as a case-blind substring, or a
 * country among $3 (the codes whose names match, found by the caller).
 */
#define LIST_MATCH \
	" WHERE strpos(lower(x.organisation COLLATE \"und-x-icu\")," \
	" lower($4 COLLATE \"und-x-icu\")) > 0" \
	" OR strpos(lower(coalesce(x.acronym, '') COLLATE \"und-x-icu\")," \
	" lower($4 COLLATE \"und-x-icu\")) > 0" \
	" OR x.country = ANY ($3::text[]) OR x.country2 = ANY ($3::text[])"

static json_t	*list_rows(PGresult *);
static int	 list_statement(struct us_db *, const struct us_db_list_query *,
		    char [US_DB_ID_LEN], char [8], const char **,
		    struct us_error *);

/* A page's rows as JSON; the result is freed. */
static json_t *
list_rows(PGresult *res)
{
	json_t	*rows;

	rows = us_db_rows_json(res);
	PQclear(res);
	return (rows);
}

/*
 * The statement of a list: its id, whether it asks for approval, and the
 * ORDER BY of its list order.  The public does not see a draft.
 */
static int
list_statement(struct us_db *db, const struct us_db_list_query *lq,
    char id[US_DB_ID_LEN], char approval[8], const char **order,
    struct us_error *err)
{
	PGresult	*res;
	const char	*status;
	size_t		 i;

	res = us_db_query(db, err, "SELECT st.id, st.status, st.list_order,"
	    " st.require_approval FROM statements st WHERE st.slug = $1", 1,
	    lq->slug);
	if (res == NULL)
		return (US_FAIL);
	status = PQntuples(res) == 1 ? PQgetvalue(res, 0, 1) : NULL;
	if (status == NULL || (lq->public && strcmp(status, "draft") == 0)) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", lq->slug));
	}
	(void)snprintf(id, US_DB_ID_LEN, "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(approval, 8, "%s", PQgetvalue(res, 0, 3));
	*order = list_orders[0].order;
	for (i = 0; i < sizeof(list_orders) / sizeof(list_orders[0]); i++)
		if (strcmp(list_orders[i].mode, PQgetvalue(res, 0, 2)) == 0)
			*order = list_orders[i].order;
	PQclear(res);
	return (US_OK);
}

json_t *
us_db_sig_page(struct us_db *db, const struct us_db_list_query *lq,
    long long *total, struct us_error *err)
{
	PGresult	*res;
	struct us_buf	 sql;
	const char	*order = NULL;
	char		 id[US_DB_ID_LEN], approval[8], lim[24], off[24];
	json_t		*rows = NULL;

	if (!list_statement(db, lq, id, approval, &order, err))
		return (NULL);
	(void)snprintf(lim, sizeof(lim), "%lld", lq->limit);
	(void)snprintf(off, sizeof(off), "%lld", lq->offset);

	us_buf_init(&sql);
	if (lq->q == NULL) {
		res = us_db_query(db, err, "SELECT count(*)" LIST_WHERE, 2, id,
		    approval);
		if (res == NULL)
			goto done;
		*total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		us_buf_appendf(&sql, "SELECT row_number() OVER (ORDER BY %s)"
		    " AS position," LIST_COLUMNS LIST_WHERE
		    " ORDER BY %s LIMIT $4 OFFSET $3", order, order);
		res = us_db_query(db, err, sql.data, 4, id, approval, off, lim);
	} else {
		us_buf_appendf(&sql, "SELECT count(*) FROM (SELECT"
		    LIST_COLUMNS LIST_WHERE ") x" LIST_MATCH);
		res = us_db_query(db, err, sql.data, 4, id, approval,
		    lq->countries, lq->q);
		if (res == NULL)
			goto done;
		*total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		us_buf_reset(&sql);
		us_buf_appendf(&sql, "SELECT x.* FROM (SELECT row_number() OVER"
		    " (ORDER BY %s) AS position," LIST_COLUMNS LIST_WHERE ") x"
		    LIST_MATCH " ORDER BY x.position LIMIT $5 OFFSET $6",
		    order);
		res = us_db_query(db, err, sql.data, 6, id, approval,
		    lq->countries, lq->q, lim, off);
	}
	if (res != NULL)
		rows = list_rows(res);
done:
	us_buf_free(&sql);
	return (rows);
}

/*
 * The public index: statements open for signing or published (closed
 * ones wait for their publication), newest change first.  An update of
 * an urgent action names the one it follows (not a draft) and its
 * number among that one's updates, as its page does.
 */
json_t *
us_db_stmt_index(struct us_db *db, const char *statuses, long long limit,
    long long offset, long long *total, struct us_error *err)
{
	PGresult	*res;
	char		 lim[24], off[24];

	res = us_db_query(db, err, "SELECT count(*) FROM statements st"
	    " WHERE st.status <> 'draft' AND st.status = ANY ($1::text[])", 1,
	    statuses);
	if (res == NULL)
		return (NULL);
	*total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	(void)snprintf(lim, sizeof(lim), "%lld", limit);
	(void)snprintf(off, sizeof(off), "%lld", offset);
	return (us_db_rows(db, err,
	    "SELECT st.slug, st.title, st.kind, st.status, st.lang,"
	    " st.reference, f.slug AS follows,"
	    " coalesce(f.reference, f.title) AS follows_name,"
	    " CASE WHEN f.id IS NOT NULL THEN (SELECT count(*) FROM"
	    "   statements u WHERE u.follows_id = f.id AND (u.created_at,"
	    "   u.id) <= (st.created_at, st.id)) END AS update_number,"
	    " left(st.body_markdown, 2000) AS body_markdown,"
	    " (SELECT count(*) FROM signatures sg"
	    "   WHERE sg.statement_id = st.id AND " US_SQL_PUBLIC_SIG ")"
	    "   AS signature_count,"
	    " " US_SQL_TS("st.published_at") " AS published_at,"
	    " " US_SQL_TS("st.updated_at") " AS updated_at,"
	    " " US_SQL_TS("st.created_at") " AS created_at"
	    " FROM statements st LEFT JOIN statements f ON f.id ="
	    "   st.follows_id AND f.status <> 'draft'"
	    " WHERE st.status <> 'draft' AND st.status = ANY ($1::text[])"
	    " ORDER BY st.updated_at DESC, st.id DESC LIMIT $2 OFFSET $3",
	    3, statuses, lim, off));
}

/*
 * The whole public list of a statement as compact rows (core/siglist.h)
 * for a render: the result's strings are copied into one block, so the
 * list costs its text and one row each, and the result is freed before
 * the render starts.  Empty strings read as NULL, as in the plugin model.
 */
int
us_db_sig_rows(struct us_db *db, const char *slug, int public,
    struct us_siglist *l, struct us_error *err)
{
	struct us_db_list_query	 lq;
	PGresult		*res;
	size_t			 i, c, len, total = 0, off;
	const char		*order = NULL;
	char			 id[US_DB_ID_LEN], approval[8];
	struct us_buf		 sql;
	size_t			 at[6];

	memset(l, 0, sizeof(*l));
	memset(&lq, 0, sizeof(lq));
	lq.slug = slug;
	lq.public = public;
	if (!list_statement(db, &lq, id, approval, &order, err))
		return (US_FAIL);
	us_buf_init(&sql);
	us_buf_appendf(&sql, "SELECT row_number() OVER (ORDER BY %s) AS"
	    " position," LIST_COLUMNS LIST_WHERE " ORDER BY %s", order, order);
	res = us_db_query(db, err, sql.data, 2, id, approval);
	us_buf_free(&sql);
	if (res == NULL)
		return (US_FAIL);
	l->n = (size_t)PQntuples(res);
	for (i = 0; i < l->n; i++)
		for (c = 1; c < 6; c++)
			total += (size_t)PQgetlength(res, (int)i, (int)c) + 1;
	l->v = us_calloc(l->n > 0 ? l->n : 1, sizeof(*l->v));
	l->text = us_malloc(total > 0 ? total : 1);
	off = 0;
	for (i = 0; i < l->n; i++) {
		l->v[i].position = (unsigned int)strtoul(PQgetvalue(res,
		    (int)i, 0), NULL, 10);
		for (c = 1; c < 6; c++) {
			len = (size_t)PQgetlength(res, (int)i, (int)c);
			at[c] = PQgetisnull(res, (int)i, (int)c) || len == 0 ?
			    (size_t)-1 : off;
			memcpy(l->text + off, PQgetvalue(res, (int)i, (int)c),
			    len + 1);
			off += len + 1;
		}
		l->v[i].organisation = at[1] != (size_t)-1 ? l->text + at[1] :
		    "";
		l->v[i].acronym = at[2] != (size_t)-1 ? l->text + at[2] : NULL;
		l->v[i].country = at[3] != (size_t)-1 ? l->text + at[3] : NULL;
		l->v[i].country2 = at[4] != (size_t)-1 ? l->text + at[4] : NULL;
		l->v[i].signed_on = at[5] != (size_t)-1 ? l->text + at[5] :
		    NULL;
	}
	PQclear(res);
	return (US_OK);
}
