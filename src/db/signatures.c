#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "db/db.h"

/*
 * A signature, in one statement (sign_statement() in
 * migrations/0011_revision.sql): the pending signature and its outbox
 * mail commit together, in one round trip.  Anyone can type an address,
 * so signing again never changes a signature someone may be about to
 * confirm: a confirmed or rejected one is never changed, and a pending
 * one only once its own text (the language version its signer read) has
 * changed since, when its links can no longer confirm anything.  Another
 * language, other data or the same data again all leave it alone; its
 * owner gets the mail again instead (at most once in ten minutes,
 * limits.c).  A withdrawn one starts afresh.  Either way the replaced
 * data's links die, and the new data gets its own mail (no sooner than
 * ten minutes after the last one to that address).
 *
 * No request key (us_db_tx): run again after a connection lost while it
 * committed, it finds its own signature, leaves it alone and queues no
 * second mail, and the signer gets the same answer.  us_db_query runs it
 * once more on a fresh connection after such a loss.
 */
int
us_db_sig_sign(struct us_db *db, const char *slug, const struct us_fields *f,
    const char *source, struct us_error *err)
{
	PGresult	*res;
	const char	*outcome;
	int		 ok = US_FAIL;

	res = us_db_query(db, err, "SELECT outcome, deadline_local,"
	    " deadline_zone FROM sign_statement($1, $2, $3, $4, $5, $6, $7,"
	    " $8, $9, $10, $11, $12, $13, $14)", 14, slug, us_fields_get(f, "lang"),
	    us_fields_get(f, "text_digest"), us_fields_get(f, "organisation"),
	    us_fields_get(f, "acronym"), us_fields_get(f, "country"),
	    us_fields_get(f, "website"), us_fields_get(f, "contact_name"),
	    us_fields_get(f, "contact_role"), us_fields_get(f, "email"),
	    us_fields_get(f, "comment"), us_fields_get(f, "visibility"),
	    source, us_fields_get(f, "country2"));
	if (res == NULL)
		return (US_FAIL);
	outcome = PQgetvalue(res, 0, 0);
	if (strcmp(outcome, "signed") == 0)
		ok = US_OK;
	else if (strcmp(outcome, "not_found") == 0)
		us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug);
	else if (strcmp(outcome, "closed") == 0)
		us_error_set(err, US_E_CONFLICT, NULL, "signing_closed",
		    "This statement is not open for signatures.");
	else if (strcmp(outcome, "expired") == 0)
		us_error_set(err, US_E_CONFLICT, NULL, "expired",
		    "This action expired on %s: it no longer takes "
		    "signatures.", PQgetvalue(res, 0, 1));
	else if (strcmp(outcome, "deadline") == 0)
		us_error_set(err, US_E_CONFLICT, NULL, "signing_closed",
		    "The signing deadline has passed: signing closed on %s "
		    "(%s).", PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	else if (strcmp(outcome, "text_changed") == 0)
		us_error_set(err, US_E_CONFLICT, "text_digest", "text_changed",
		    "The text of this statement changed after you opened it. "
		    "Please read the current text and sign again.");
	else
		us_error_set(err, US_E_UNAVAILABLE, NULL, "database_busy",
		    "Please try again.");
	PQclear(res);
	return (ok);
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
	    " visibility, text_digest, lang, source, status, confirmed_at,"
	    " country2)"
	    " SELECT st.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, st.text_digest,"
	    " st.lang, $11, 'confirmed', now(), $12 FROM statements st"
	    " WHERE st.slug = $1"
	    " ON CONFLICT (statement_id, lower(email)) WHERE email IS NOT NULL"
	    " DO NOTHING", 12, slug,
	    us_fields_get(f, "organisation"), us_fields_get(f, "acronym"),
	    us_fields_get(f, "country"), us_fields_get(f, "website"),
	    us_fields_get(f, "contact_name"), us_fields_get(f, "contact_role"),
	    us_fields_get(f, "email"), us_fields_get(f, "comment"),
	    us_fields_get(f, "visibility"), source,
	    us_fields_get(f, "country2")));
}
