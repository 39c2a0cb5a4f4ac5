#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fields.h"
#include "core/import.h"
#include "db/db.h"

/*
 * Imports: the organisations already on a statement (what each line is
 * compared with for duplicates) and the transaction that stores the
 * rows.  The rows come parsed, corrected and validated (core/import.h).
 */

struct import_tx {
	const char		*stmt;
	long long		 coord;
	struct us_import	*imp;
	int			 moderation;
	int			 imported;
};

static int	import_dupes(struct us_db *, const char *, struct us_import *,
		    struct us_error *);
static int	import_row(struct us_db *, struct import_tx *,
		    struct us_import_row *, struct us_error *);
static int	import_tx(struct us_db *, void *, struct us_error *);

/*
 * Flags the rows that repeat a signature of the statement that is not
 * rejected or withdrawn (pending ones count: they are on their way), or
 * an earlier row.
 */
static int
import_dupes(struct us_db *db, const char *stmt, struct us_import *imp,
    struct us_error *err)
{
	struct us_import_known	*k;
	PGresult		*res;
	int			 i, n;

#define COL(c)	(PQgetisnull(res, i, (c)) ? NULL : PQgetvalue(res, i, (c)))
	res = us_db_query(db, err, "SELECT organisation, display_name,"
	    " acronym, country, country2, website FROM signatures"
	    " WHERE statement_id = $1 AND status IN ('pending', 'confirmed')",
	    1, stmt);
	if (res == NULL)
		return (US_FAIL);
	n = PQntuples(res);
	k = us_calloc((size_t)n + 1, sizeof(*k));
	for (i = 0; i < n; i++) {
		k[i].name = COL(0);
		k[i].display_name = COL(1);
		k[i].acronym = COL(2);
		k[i].country = COL(3);
		k[i].country2 = COL(4);
		k[i].website = COL(5);
	}
#undef COL
	us_import_dupes(imp, k, (size_t)n);
	free(k);
	PQclear(res);
	return (US_OK);
}

/*
 * One row: confirmed, as the coordinator vouches for it, and approved at
 * once or left for moderation.  An email address that already signed
 * makes the row a duplicate of that signature.
 */
static int
import_row(struct us_db *db, struct import_tx *t, struct us_import_row *row,
    struct us_error *err)
{
	const struct us_fields	*f = &row->fields;
	PGresult		*res;
	char			 cid[32];

	(void)snprintf(cid, sizeof(cid), "%lld", t->coord);
	res = us_db_query(db, err,
	    "INSERT INTO signatures (statement_id, organisation, acronym,"
	    " country, country2, website, contact_name, contact_role, email,"
	    " comment, visibility, text_digest, lang, source, status,"
	    " confirmed_at, approved_at, added_by, decided_by)"
	    " SELECT st.id, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " coalesce($11, 'named'), st.text_digest, st.lang, 'import',"
	    " 'confirmed', now(), CASE WHEN $13 THEN NULL ELSE now() END,"
	    " $12, CASE WHEN $13 THEN NULL ELSE $12::bigint END"
	    " FROM statements st WHERE st.id = $1"
	    " ON CONFLICT (statement_id, lower(email)) WHERE email IS NOT NULL"
	    " DO NOTHING RETURNING id", 13, t->stmt,
	    us_fields_get(f, "organisation"), us_fields_get(f, "acronym"),
	    us_fields_get(f, "country"), us_fields_get(f, "country2"),
	    us_fields_get(f, "website"), us_fields_get(f, "contact_name"),
	    us_fields_get(f, "contact_role"), us_fields_get(f, "email"),
	    us_fields_get(f, "comment"), us_fields_get(f, "visibility"), cid,
	    t->moderation ? "true" : "false");
	if (res == NULL)
		return (US_FAIL);
	row->stored = PQntuples(res) == 1;
	PQclear(res);
	if (row->stored)
		return (US_OK);
	res = us_db_query(db, err, "SELECT coalesce(display_name,"
	    " organisation) FROM signatures WHERE statement_id = $1 AND"
	    " lower(email) = lower($2)", 2, t->stmt, us_fields_get(f, "email"));
	if (res == NULL)
		return (US_FAIL);
	free(row->dup_of);
	row->dup_of = us_strdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) :
	    "");
	row->dup_line = 0;
	PQclear(res);
	return (US_OK);
}

static int
import_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct import_tx	*t = arg;
	PGresult		*res;
	size_t			 i;
	int			 published;
	char			 n[32];

	/*
	 * A published list gains no names.  The share lock holds a
	 * publication back until the import is in.
	 */
	res = us_db_query(db, err, "SELECT status = 'published' FROM statements"
	    " WHERE id = $1 FOR SHARE", 1, t->stmt);
	if (res == NULL)
		return (US_FAIL);
	published = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (published)
		return (us_error_set(err, US_E_CONFLICT, NULL, "published",
		    "This statement is published: its list is frozen."));

	/* A retried transaction starts over. */
	t->imported = 0;
	for (i = 0; i < t->imp->nrows; i++)
		t->imp->rows[i].stored = 0;
	if (!import_dupes(db, t->stmt, t->imp, err))
		return (US_FAIL);
	for (i = 0; i < t->imp->nrows; i++) {
		if (!us_import_wanted(&t->imp->rows[i]))
			continue;
		if (!import_row(db, t, &t->imp->rows[i], err))
			return (US_FAIL);
		if (t->imp->rows[i].stored)
			t->imported++;
	}
	(void)snprintf(n, sizeof(n), "%d", t->imported);
	return (us_db_audit(db, t->stmt, t->coord, "imported", n, NULL, NULL,
	    err));
}

/*
 * An import of the statement slug by coordinator coord: with commit the
 * wanted rows are stored (held for moderation when asked) and *imported
 * counts them; without, the rows are only compared with the list, for a
 * preview.  Either way each row's dup_of says what it repeats.
 */
int
us_db_import(struct us_db *db, const char *slug, long long coord,
    struct us_import *imp, int commit, int moderation, int *imported,
    struct us_error *err)
{
	struct import_tx	t;
	char			id[32], status[16];

	*imported = 0;
	if (!us_db_ws_own(db, slug, coord, id, status, err))
		return (US_FAIL);
	if (!commit)
		return (import_dupes(db, id, imp, err));
	if (strcmp(status, "published") == 0)
		return (us_error_set(err, US_E_CONFLICT, NULL, "published",
		    "This statement is published: its list is frozen."));
	memset(&t, 0, sizeof(t));
	t.stmt = id;
	t.coord = coord;
	t.imp = imp;
	t.moderation = moderation;
	if (!us_db_tx(db, import_tx, &t, err))
		return (US_FAIL);
	*imported = t.imported;
	return (US_OK);
}
