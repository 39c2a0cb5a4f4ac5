#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/when.h"
#include "db/db.h"

struct sig_sign {
	const char		*slug;
	const struct us_fields	*f;
	const char		*source;
};

static int	sig_sign_tx(struct us_db *, void *, struct us_error *);

/*
 * One transaction: the pending signature and its outbox mail commit
 * together.  Anyone can type an address, so signing again never changes
 * a signature someone may be about to confirm: a confirmed or rejected
 * one is never changed, and a pending one only once its own text (the
 * language version its signer read) has changed since, when its links
 * can no longer confirm anything.  Another language, other data or the
 * same data again all leave it alone; its owner gets the mail again
 * instead (at most once in ten minutes, limits.c).  A withdrawn one
 * starts afresh.  Either way the replaced data's links die, and the new
 * data gets its own mail (no sooner than ten minutes after the last one
 * to that address).
 */
static int
sig_sign_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct sig_sign		*s = arg;
	const struct us_fields	*f = s->f;
	PGresult		*res;
	const char		*digest, *lang, *given;
	char			 stid[32], sig[32], status[16], stdigest[65];
	char			 stlang[40];
	int			 replaced;

	res = us_db_query(db, err,
	    "SELECT id, status, text_digest, lang, (signing_deadline IS NOT"
	    " NULL AND signing_deadline < now()),"
	    " " US_SQL_DEADLINE_LOCAL("statements") ","
	    " " US_SQL_STMT_ZONE("statements") ", expires_on::text,"
	    " to_char(now() AT TIME ZONE " US_SQL_EXPIRY_ZONE("statements")
	    ", 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM statements"
	    " WHERE slug = $1", 1, s->slug);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), "draft") == 0) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", s->slug));
	}
	if (strcmp(PQgetvalue(res, 0, 1), "open") != 0) {
		PQclear(res);
		return (us_error_set(err, US_E_CONFLICT, NULL,
		    "signing_closed", "This statement is not open for "
		    "signatures."));
	}
	/* An urgent action is over at the end of its last day. */
	if (!PQgetisnull(res, 0, 7) && us_when_expired(PQgetvalue(res, 0, 7),
	    PQgetvalue(res, 0, 8))) {
		us_error_set(err, US_E_CONFLICT, NULL, "expired",
		    "This action expired on %s: it no longer takes "
		    "signatures.", PQgetvalue(res, 0, 7));
		PQclear(res);
		return (US_FAIL);
	}
	if (PQgetvalue(res, 0, 4)[0] == 't') {
		us_error_set(err, US_E_CONFLICT, NULL, "signing_closed",
		    "The signing deadline has passed: signing closed on %s "
		    "(%s).", PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 6));
		PQclear(res);
		return (US_FAIL);
	}
	(void)snprintf(stid, sizeof(stid), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(stdigest, sizeof(stdigest), "%s", PQgetvalue(res, 0, 2));
	(void)snprintf(stlang, sizeof(stlang), "%s", PQgetvalue(res, 0, 3));
	PQclear(res);

	/*
	 * The signer agrees to the text they were shown, in the language
	 * they read it in, not a later one.
	 */
	lang = us_fields_get(f, "lang") != NULL ? us_fields_get(f, "lang") :
	    stlang;
	if (strcmp(lang, stlang) != 0) {
		res = us_db_query(db, err, "SELECT text_digest FROM"
		    " statement_translations WHERE statement_id = $1 AND"
		    " lang = $2", 2, stid, lang);
		if (res == NULL)
			return (US_FAIL);
		if (PQntuples(res) != 1) {
			PQclear(res);
			lang = stlang;
		} else {
			(void)snprintf(stdigest, sizeof(stdigest), "%s",
			    PQgetvalue(res, 0, 0));
			PQclear(res);
		}
	}
	if ((given = us_fields_get(f, "text_digest")) != NULL &&
	    strcmp(given, stdigest) != 0)
		return (us_error_set(err, US_E_CONFLICT, "text_digest",
		    "text_changed", "The text of this statement changed after "
		    "you opened it. Please read the current text and sign "
		    "again."));
	digest = stdigest;

	res = us_db_query(db, err,
	    "INSERT INTO signatures AS sg (statement_id, organisation, acronym,"
	    " country, website, contact_name, contact_role, email, comment,"
	    " visibility, text_digest, lang, source)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	    " ON CONFLICT (statement_id, lower(email)) WHERE email IS NOT NULL"
	    " DO UPDATE SET"
	    " organisation = EXCLUDED.organisation, acronym = EXCLUDED.acronym,"
	    " country = EXCLUDED.country, website = EXCLUDED.website,"
	    " contact_name = EXCLUDED.contact_name,"
	    " contact_role = EXCLUDED.contact_role, email = EXCLUDED.email,"
	    " comment = EXCLUDED.comment, visibility = EXCLUDED.visibility,"
	    " text_digest = EXCLUDED.text_digest, lang = EXCLUDED.lang,"
	    " status = 'pending', confirmed_at = NULL, approved_at = NULL,"
	    " withdrawn_at = NULL, last_mail_at = NULL, updated_at = now()"
	    " WHERE sg.status = 'withdrawn' OR (sg.status = 'pending' AND"
	    " sg.text_digest IS DISTINCT FROM (SELECT coalesce(("
	    "  SELECT tr.text_digest FROM statement_translations tr"
	    "  WHERE tr.statement_id = sg.statement_id AND tr.lang = sg.lang),"
	    "  (SELECT st.text_digest FROM statements st"
	    "  WHERE st.id = sg.statement_id AND st.lang = sg.lang))))"
	    " RETURNING id, status, xmax <> 0 AS replaced", 13,
	    stid, us_fields_get(f, "organisation"), us_fields_get(f, "acronym"),
	    us_fields_get(f, "country"), us_fields_get(f, "website"),
	    us_fields_get(f, "contact_name"), us_fields_get(f, "contact_role"),
	    us_fields_get(f, "email"), us_fields_get(f, "comment"),
	    us_fields_get(f, "visibility"), digest, lang, s->source);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = us_db_query(db, err, "SELECT id, status FROM signatures"
		    " WHERE statement_id = $1 AND lower(email) = lower($2)", 2,
		    stid, us_fields_get(f, "email"));
		if (res == NULL)
			return (US_FAIL);
		if (PQntuples(res) != 1) {
			PQclear(res);
			return (us_error_set(err, US_E_UNAVAILABLE, NULL,
			    "database_busy", "Please try again."));
		}
	}
	(void)snprintf(sig, sizeof(sig), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 1));
	replaced = PQnfields(res) == 3 && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);

	/* Links sent for the replaced data must not confirm the new data. */
	if (replaced && !us_db_exec(db, err, "UPDATE email_tokens SET"
	    " used_at = now() WHERE signature_id = $1 AND purpose = 'verify'"
	    " AND used_at IS NULL", 1, sig))
		return (US_FAIL);

	if (strcmp(status, "pending") == 0)
		return (us_db_mail_queue(db, "verify", sig,
		    us_fields_get(f, "email"), err));
	if (strcmp(status, "confirmed") == 0)
		return (us_db_mail_queue(db, "already_signed", sig,
		    us_fields_get(f, "email"), err));
	return (US_OK);
}

int
us_db_sig_sign(struct us_db *db, const char *slug, const struct us_fields *f,
    const char *source, struct us_error *err)
{
	struct sig_sign	s;

	s.slug = slug;
	s.f = f;
	s.source = source;
	return (us_db_tx(db, sig_sign_tx, &s, err));
}

/*
 * The public list: named, confirmed (and approved where required)
 * organisations in display order.  Contact data and counted-only
 * signatories never leave this query.
 */
json_t *
us_db_sig_public(struct us_db *db, const char *slug, struct us_error *err)
{
	PGresult	*res;

	res = us_db_query(db, err,
	    "SELECT st.status FROM statements st WHERE st.slug = $1", 1, slug);
	if (res == NULL)
		return (NULL);
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), "draft") == 0) {
		PQclear(res);
		us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug);
		return (NULL);
	}
	PQclear(res);
	return (us_db_sig_listed(db, slug, err));
}

/*
 * The same list for a statement of any status, for callers that already
 * checked who may see it (the embargo preview, the workspace).
 */
json_t *
us_db_sig_listed(struct us_db *db, const char *slug, struct us_error *err)
{
	return (us_db_rows(db, err,
	    "SELECT row_number() OVER (ORDER BY " US_SQL_LIST_ORDER ")"
	    " AS position, coalesce(sg.display_name, sg.organisation)"
	    " AS organisation, sg.acronym, sg.country, sg.country2,"
	    " (coalesce(sg.confirmed_at, sg.created_at) AT TIME ZONE 'UTC')"
	    " ::date::text AS signed_on"
	    " FROM signatures sg JOIN statements st ON st.id = sg.statement_id"
	    " WHERE st.slug = $1 AND sg.visibility = 'named' AND "
	    US_SQL_PUBLIC_SIG
	    " ORDER BY position", 1, slug));
}

/*
 * A signature added by a coordinator (or the demo), already confirmed:
 * nobody is mailed.  An existing signature for the address is left as it
 * is.
 */
int
us_db_sig_add_confirmed(struct us_db *db, const char *slug,
    const struct us_fields *f, const char *source, struct us_error *err)
{
	return (us_db_exec(db, err,
	    "INSERT INTO signatures (statement_id, organisation, acronym,"
	    " country, website, contact_name, contact_role, email, comment,"
	    " visibility, text_digest, lang, source, status, confirmed_at)"
	    " SELECT st.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, st.text_digest,"
	    " st.lang, $11, 'confirmed', now() FROM statements st"
	    " WHERE st.slug = $1"
	    " ON CONFLICT (statement_id, lower(email)) WHERE email IS NOT NULL"
	    " DO NOTHING", 11, slug,
	    us_fields_get(f, "organisation"), us_fields_get(f, "acronym"),
	    us_fields_get(f, "country"), us_fields_get(f, "website"),
	    us_fields_get(f, "contact_name"), us_fields_get(f, "contact_role"),
	    us_fields_get(f, "email"), us_fields_get(f, "comment"),
	    us_fields_get(f, "visibility"), source));
}
