#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/db.h"

struct deliver {
	const char		*slug;
	long long		 coord;
	const char		*file_name;
	const char		*mime_type;
	const struct us_buf	*file;
};

static int	deliver_tx(struct us_db *, void *, struct us_error *);

/*
 * Queues the published text's mail to every addressee with an address,
 * once per published version: the file row is unique per version, so a
 * second press of the button (or two at once) finds it and changes
 * nothing.  Each mail is its own outbox row, retried on its own when
 * SMTP is away, and the outbox holds at most one row per delivery.
 */
static int
deliver_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct deliver		*d = arg;
	struct us_db_access	 a;
	PGresult		*res;
	json_t			*after;
	char			 version[16], file[32], cid[32], n[16];

	if (!us_db_access(db, d->slug, d->coord, &a, err))
		return (US_FAIL);
	if (strcmp(a.status, "published") != 0)
		return (us_error_set(err, US_E_CONFLICT, NULL, "not_published",
		    "Only a published statement can be delivered to its "
		    "addressees: publish it first."));
	res = us_db_query(db, err, "SELECT st.version, (SELECT count(*) FROM"
	    " addressees ad WHERE ad.statement_id = st.id AND"
	    " coalesce(ad.email, '') <> '') FROM statements st WHERE st.id ="
	    " $1 FOR UPDATE", 1, a.id);
	if (res == NULL)
		return (US_FAIL);
	(void)snprintf(version, sizeof(version), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(n, sizeof(n), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	if (strcmp(n, "0") == 0)
		return (us_error_set(err, US_E_CONFLICT, NULL,
		    "no_addressee_email", "None of this statement's addressees "
		    "has an email address: add one in the editor first."));

	(void)snprintf(cid, sizeof(cid), "%lld", d->coord);
	res = us_db_query(db, err, "INSERT INTO delivery_files (statement_id,"
	    " version, file_name, mime_type, data, coordinator_id)"
	    " VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6)"
	    " ON CONFLICT (statement_id, version) DO NOTHING RETURNING id", 6,
	    a.id, version, d->file_name, d->mime_type, d->file->data, cid);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_CONFLICT, NULL,
		    "already_delivered", "Version %s of this statement was "
		    "already delivered to its addressees; it goes out once "
		    "per version.", version));
	}
	(void)snprintf(file, sizeof(file), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	res = us_db_query(db, err,
	    "WITH d AS (INSERT INTO deliveries (file_id, statement_id,"
	    "  version, addressee, name, email, reply_to)"
	    "  SELECT $1, ad.statement_id, $3, ad.position - 1, ad.name,"
	    "  ad.email, c.email FROM addressees ad, coordinators c"
	    "  WHERE ad.statement_id = $2 AND coalesce(ad.email, '') <> ''"
	    "  AND c.id = $4 RETURNING id, email),"
	    " o AS (INSERT INTO outbox (kind, delivery_id, recipient)"
	    "  SELECT 'delivery', id, email FROM d RETURNING id)"
	    " SELECT count(*), pg_notify('outbox', '') FROM o", 4, file, a.id,
	    version, cid);
	if (res == NULL)
		return (US_FAIL);
	after = json_pack("{s:s, s:i}", "version", version, "addressees",
	    atoi(PQgetvalue(res, 0, 0)));
	PQclear(res);
	if (!us_db_audit(db, a.id, d->coord, "deliver", version, NULL, after,
	    err)) {
		json_decref(after);
		return (US_FAIL);
	}
	json_decref(after);
	return (US_OK);
}

/* file is the attachment in hex, rendered by the caller. */
int
us_db_deliver(struct us_db *db, const char *slug, long long coord,
    const char *file_name, const char *mime_type, const struct us_buf *file,
    struct us_error *err)
{
	struct deliver	d;

	d.slug = slug;
	d.coord = coord;
	d.file_name = file_name;
	d.mime_type = mime_type;
	d.file = file;
	return (us_db_tx(db, deliver_tx, &d, err));
}

/* Every delivery of the statement, newest version first, for its coordinators. */
json_t *
us_db_deliveries(struct us_db *db, const char *slug, long long coord,
    struct us_error *err)
{
	struct us_db_access	a;

	if (!us_db_access(db, slug, coord, &a, err))
		return (NULL);
	return (us_db_rows(db, err,
	    "SELECT d.name AS addressee, d.addressee AS position, d.email,"
	    " d.version, CASE WHEN o.sent_at IS NOT NULL THEN 'sent'"
	    " WHEN o.failed_at IS NOT NULL THEN 'failed' ELSE 'queued' END"
	    " AS status, " US_SQL_TS("o.sent_at") " AS sent_at"
	    " FROM deliveries d JOIN outbox o ON o.delivery_id = d.id"
	    " WHERE d.statement_id = $1 ORDER BY d.version DESC, d.addressee",
	    1, a.id));
}
