#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/statement.h"
#include "core/token.h"
#include "db/db.h"

struct preview {
	const char	*stmt;
	long long	 coord;
	const char	*hex;		/* NULL: revoke */
	const char	*days;
};

static int	preview_tx(struct us_db *, void *, struct us_error *);

/* The signed-in coordinator's statements, with what waits for them. */
json_t *
us_db_ws_home(struct us_db *db, long long coord, struct us_error *err)
{
	char		 cid[32];

	(void)snprintf(cid, sizeof(cid), "%lld", coord);
	return (us_db_rows(db, err,
	    "SELECT st.slug, st.title, st.kind, st.status, st.lang,"
	    " " US_SQL_TS("st.updated_at") " AS updated_at,"
	    " (SELECT count(*) FROM signatures sg WHERE sg.statement_id ="
	    "   st.id AND " US_SQL_PUBLIC_SIG ") AS signature_count,"
	    " (SELECT count(*) FROM signatures sg WHERE sg.statement_id ="
	    "   st.id AND " US_SQL_AWAITING ") AS awaiting"
	    " FROM statements st JOIN statement_coordinators sc ON"
	    " sc.statement_id = st.id WHERE sc.coordinator_id = $1"
	    " ORDER BY st.updated_at DESC", 1, cid));
}

/*
 * Everything the overview page of a statement shows its coordinators:
 * the statement (with its versions and translations), counts by state,
 * coordinators.
 */
json_t *
us_db_ws_statement(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*st;
	char		 id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (NULL);
	if ((st = us_db_stmt_get(db, slug, coord, err)) == NULL)
		return (NULL);
	res = us_db_query(db, err,
	    "SELECT count(*) FILTER (WHERE sg.status = 'pending') AS pending,"
	    " count(*) FILTER (WHERE " US_SQL_AWAITING ") AS awaiting,"
	    " count(*) FILTER (WHERE sg.status = 'rejected') AS rejected,"
	    " count(*) FILTER (WHERE sg.status = 'withdrawn') AS withdrawn,"
	    " st.list_order, " US_SQL_TS("st.publish_at") " AS publish_at,"
	    " " US_SQL_TS("st.published_at") " AS published_at, st.version,"
	    " (st.preview_token_hash IS NOT NULL AND st.preview_expires_at >"
	    "   now()) AS has_preview,"
	    " " US_SQL_TS("st.preview_expires_at") " AS preview_expires_at"
	    " FROM statements st LEFT JOIN signatures sg ON sg.statement_id ="
	    " st.id WHERE st.id = $1 GROUP BY st.id", 1, id);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 1) {
		json_t	*counts = us_db_row_json(res, 0);

		json_object_update(st, counts);
		json_decref(counts);
	}
	PQclear(res);

	res = us_db_query(db, err, "SELECT c.email FROM coordinators c JOIN"
	    " statement_coordinators sc ON sc.coordinator_id = c.id WHERE"
	    " sc.statement_id = $1 ORDER BY c.email", 1, id);
	if (res == NULL)
		goto fail;
	json_object_set_new(st, "coordinators", us_db_rows_json(res));
	/* The last coordinator cannot be removed: no button for one. */
	if (PQntuples(res) > 1) {
		json_t	*c;
		size_t	 i;

		json_array_foreach(json_object_get(st, "coordinators"), i, c)
			json_object_set_new(c, "removable", json_true());
	}
	PQclear(res);
	return (st);
fail:
	json_decref(st);
	return (NULL);
}

static int
preview_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct preview	*p = arg;

	if (p->hex == NULL)
		return (us_db_exec(db, err, "UPDATE statements SET"
		    " preview_token_hash = NULL, preview_expires_at = NULL"
		    " WHERE id = $1", 1, p->stmt) &&
		    us_db_audit(db, p->stmt, p->coord, "preview link revoked",
		    NULL, NULL, NULL, err));
	return (us_db_exec(db, err, "UPDATE statements SET preview_token_hash ="
	    " decode($2, 'hex'), preview_expires_at = now() +"
	    " make_interval(days => $3::integer) WHERE id = $1", 3, p->stmt,
	    p->hex, p->days) &&
	    us_db_audit(db, p->stmt, p->coord, "preview link made", p->days,
	    NULL, NULL, err));
}

/*
 * A secret link to the statement as it will be published, for
 * journalists under embargo, valid for days (1 to US_PREVIEW_DAYS_MAX).
 * A new link replaces the old one.
 */
int
us_db_ws_preview_link(struct us_db *db, const char *slug, long long coord,
    int days, char *token, struct us_error *err)
{
	struct preview	p;
	unsigned char	h[US_HASH_LEN];
	char		hex[US_HASH_LEN * 2 + 1], id[32], d[16];

	if (days < 1 || days > US_PREVIEW_DAYS_MAX)
		return (us_error_set(err, US_E_INVALID, "days",
		    "invalid_number", "A preview link is valid for 1 to %d "
		    "days.", US_PREVIEW_DAYS_MAX));
	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	if (!us_token_new(token, h))
		return (us_error_set(err, US_E_INTERNAL, NULL, "random",
		    "no randomness available"));
	us_hex(h, sizeof(h), hex);
	(void)snprintf(d, sizeof(d), "%d", days);
	p.stmt = id;
	p.coord = coord;
	p.hex = hex;
	p.days = d;
	return (us_db_tx(db, preview_tx, &p, err));
}

/* The preview link stops working at once. */
int
us_db_ws_preview_revoke(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	struct preview	p;
	char		id[32];

	if (!us_db_ws_own(db, slug, coord, id, NULL, err))
		return (US_FAIL);
	p.stmt = id;
	p.coord = coord;
	p.hex = NULL;
	p.days = NULL;
	return (us_db_tx(db, preview_tx, &p, err));
}

/*
 * Whether token opens the preview of slug: digests compared in constant
 * time; an expired link says so rather than "not valid".
 */
int
us_db_preview_ok(struct us_db *db, const char *slug, const char *token,
    struct us_error *err)
{
	PGresult	*res;
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 ok, expired;

	if (!us_token_hash_hex(token, hex))
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "This preview link is not valid."));
	res = us_db_query(db, err, "SELECT encode(preview_token_hash, 'hex'),"
	    " preview_expires_at IS NULL OR preview_expires_at <= now()"
	    " FROM statements WHERE slug = $1 AND preview_token_hash IS NOT"
	    " NULL", 1, slug);
	if (res == NULL)
		return (US_FAIL);
	ok = us_db_digest_matches(res, 0, hex);
	expired = ok && PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (!ok)
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "This preview link is not valid."));
	if (expired)
		return (us_error_set(err, US_E_NOTFOUND, NULL,
		    "preview_expired", "This preview link has expired. Ask "
		    "the statement's coordinators for a new one."));
	return (US_OK);
}
