#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/fields.h"
#include "core/i18n.h"
#include "db/db.h"

struct action_report {
	const char		*slug;
	const struct us_fields	*f;
	const char		*source;
};

struct action_confirm {
	const char	*token;
	json_t		*out;
};

static int	action_report_tx(struct us_db *, void *, struct us_error *);
static int	action_confirm_tx(struct us_db *, void *, struct us_error *);

/*
 * A report's confirmation link and what its page shows.  Same table,
 * same digests, same single use as a signature's (tokens.c); only the
 * row it confirms differs.
 */
static const struct us_db_token_kind action_kind = {
	"SELECT encode(t.token_hash, 'hex') AS hash,"
	" t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,"
	" t.action_id, ar.status AS report_status, ar.channel,"
	" ar.lang AS report_lang, st.slug, st.status AS statement_status,"
	" coalesce((SELECT tr.title FROM statement_translations tr"
	"   WHERE tr.statement_id = st.id AND tr.lang = ar.lang), st.title)"
	"   AS title"
	" FROM email_tokens t JOIN action_reports ar ON ar.id = t.action_id"
	" JOIN statements st ON st.id = ar.statement_id"
	" WHERE t.token_hash = decode($1, 'hex') AND t.purpose = 'action'",
	"UPDATE email_tokens SET used_at = now() WHERE token_hash ="
	" decode($1, 'hex') AND purpose = 'action' AND used_at IS NULL"
	" AND expires_at > now() RETURNING encode(token_hash, 'hex') AS hash",
	{
		"This confirmation link is not valid. Check that it was "
		"copied whole, or report the action again to get a new one.",
		"This confirmation link was already used.",
		"This confirmation link has expired; report the action again "
		"to get a new one.",
	},
};

/*
 * One transaction: the pending report and its outbox mail commit
 * together.  The same report again (address, channel, addressee) is
 * the same row: a pending one takes the new country and language and
 * its owner gets the link again (at most once in ten minutes,
 * limits.c); a confirmed one stays as it is and is counted once.  The
 * answer is the same in every case, so nobody learns who reported.
 */
static int
action_report_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct action_report	*a = arg;
	PGresult		*res;
	const char		*lang, *index, *expires;
	char			 stid[32], stlang[40], id[32];
	long			 naddr;

	res = us_db_query(db, err,
	    "SELECT id, status, lang, expires_on::text,"
	    " (now() AT TIME ZONE coalesce(timezone, 'UTC'))::date::text,"
	    " coalesce(timezone, 'UTC'),"
	    " (SELECT count(*) FROM addressees ad WHERE ad.statement_id ="
	    "  statements.id)"
	    " FROM statements WHERE slug = $1", 1, a->slug);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), "draft") == 0) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", a->slug));
	}
	if (strcmp(PQgetvalue(res, 0, 1), "open") != 0) {
		PQclear(res);
		return (us_error_set(err, US_E_CONFLICT, NULL, "not_open",
		    "This statement is not open: actions can be reported "
		    "only while it is."));
	}
	expires = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
	if (us_action_expired(expires, PQgetvalue(res, 0, 4))) {
		us_error_set(err, US_E_CONFLICT, NULL, "expired",
		    "This action expired on %s (end of the day, %s): reports "
		    "are no longer taken.", expires, PQgetvalue(res, 0, 5));
		PQclear(res);
		return (US_FAIL);
	}
	naddr = strtol(PQgetvalue(res, 0, 6), NULL, 10);
	(void)snprintf(stid, sizeof(stid), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(stlang, sizeof(stlang), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	if (naddr == 0)
		return (us_error_set(err, US_E_CONFLICT, NULL, "no_addressees",
		    "This statement names no addressees, so there is no "
		    "action to report: sign it instead."));
	if ((index = us_fields_get(a->f, "addressee")) != NULL &&
	    (strlen(index) > 4 || strtol(index, NULL, 10) >= naddr))
		return (us_error_set(err, US_E_INVALID, "addressee",
		    "invalid_addressee", "Addressee must be the number of an "
		    "addressee in the statement's list: 0 to %ld, or null.",
		    naddr - 1));

	/*
	 * The reader's language, for the mail and the confirmation page,
	 * when the service speaks it or the statement has that version.
	 */
	lang = us_fields_get(a->f, "lang");
	if (lang != NULL && strcmp(lang, stlang) != 0 &&
	    !us_i18n_supported(lang)) {
		res = us_db_query(db, err, "SELECT 1 FROM statement_translations"
		    " WHERE statement_id = $1 AND lang = $2", 2, stid, lang);
		if (res == NULL)
			return (US_FAIL);
		if (PQntuples(res) != 1)
			lang = NULL;
		PQclear(res);
	}
	if (lang == NULL)
		lang = stlang;

	res = us_db_query(db, err,
	    "INSERT INTO action_reports AS ar (statement_id, channel,"
	    " addressee, country, email, lang, source)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT (statement_id, lower(email), channel,"
	    " coalesce(addressee, -1)) WHERE email IS NOT NULL"
	    " DO UPDATE SET country = EXCLUDED.country, lang = EXCLUDED.lang"
	    " WHERE ar.status = 'pending'"
	    " RETURNING id", 7, stid, us_fields_get(a->f, "channel"),
	    index, us_fields_get(a->f, "country"), us_fields_get(a->f, "email"),
	    lang, a->source);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (US_OK);		/* confirmed already: counted once */
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return (us_db_mail_queue(db, "action", id, us_fields_get(a->f, "email"),
	    err));
}

int
us_db_action_report(struct us_db *db, const char *slug,
    const struct us_fields *f, const char *source, struct us_error *err)
{
	struct action_report	a;

	a.slug = slug;
	a.f = f;
	a.source = source;
	return (us_db_tx(db, action_report_tx, &a, err));
}

/* What GET shows: it reads, and changes nothing (mail scanners follow links). */
json_t *
us_db_action_lookup(struct us_db *db, const char *token, struct us_error *err)
{
	enum us_token_state	state;
	char			hex[US_HASH_HEX + 1];

	return (us_db_token_find(db, &action_kind, token, hex, &state, err));
}

/*
 * A report made in time is confirmed even after the action expires or
 * the statement closes: the reader acted when they could.
 */
static int
action_confirm_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct action_confirm	*c = arg;
	enum us_token_state	 state;
	json_t			*used;
	char			 id[32], hex[US_HASH_HEX + 1];

	json_decref(c->out);
	if ((c->out = us_db_token_find(db, &action_kind, c->token, hex, &state,
	    err)) == NULL || !us_token_refuse(state, &action_kind.msgs, err))
		return (US_FAIL);
	(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(c->out, "action_id")));
	if ((used = us_db_token_use(db, &action_kind, hex, err)) == NULL)
		return (US_FAIL);
	json_decref(used);
	if (!us_db_exec(db, err, "UPDATE email_tokens SET used_at = now()"
	    " WHERE action_id = $1 AND purpose = 'action' AND"
	    " used_at IS NULL", 1, id) ||
	    !us_db_exec(db, err, "UPDATE action_reports SET status ="
	    " 'confirmed', confirmed_at = now() WHERE id = $1 AND"
	    " status = 'pending'", 1, id))
		return (US_FAIL);
	json_object_set_new(c->out, "report_status", json_string("confirmed"));
	return (US_OK);
}

json_t *
us_db_action_confirm(struct us_db *db, const char *token,
    struct us_error *err)
{
	struct action_confirm	c;

	c.token = token;
	c.out = NULL;
	if (!us_db_tx(db, action_confirm_tx, &c, err)) {
		json_decref(c.out);
		return (NULL);
	}
	return (c.out);
}

/*
 * The confirmed reports of statement id (a bigint in decimal), in total
 * and by channel, every channel present: st gets action_count and
 * actions_by_channel.
 */
int
us_db_action_counts(struct us_db *db, const char *id, json_t *st,
    struct us_error *err)
{
	PGresult	*res;
	json_t		*by;
	long long	 n, total = 0;
	int		 i;

	res = us_db_query(db, err, "SELECT channel, count(*) FROM"
	    " action_reports WHERE statement_id = $1 AND status = 'confirmed'"
	    " GROUP BY channel", 1, id);
	if (res == NULL)
		return (US_FAIL);
	by = json_object();
	for (i = 0; us_action_channels[i] != NULL; i++)
		json_object_set_new(by, us_action_channels[i], json_integer(0));
	for (i = 0; i < PQntuples(res); i++) {
		n = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		json_object_set_new(by, PQgetvalue(res, i, 0), json_integer(n));
		total += n;
	}
	PQclear(res);
	json_object_set_new(st, "action_count", json_integer(total));
	json_object_set_new(st, "actions_by_channel", by);
	return (US_OK);
}

/*
 * What the public page adds about acting: the statement's date today in
 * its zone (to tell whether the action has expired), and how many
 * addressees the latest delivered version reached and on which day
 * there (delivered_count 0 when nothing was sent yet).
 */
json_t *
us_db_action_page(struct us_db *db, const char *slug, struct us_error *err)
{
	json_t	*rows, *one;

	rows = us_db_rows(db, err,
	    "SELECT (now() AT TIME ZONE coalesce(st.timezone, 'UTC'))::date"
	    " ::text AS today,"
	    " (SELECT count(*) FROM addressees ad WHERE ad.statement_id ="
	    "  st.id) AS addressee_count,"
	    " count(o.id) AS delivered_count,"
	    " (max(o.sent_at) AT TIME ZONE coalesce(st.timezone, 'UTC'))::date"
	    " ::text AS delivered_on"
	    " FROM statements st LEFT JOIN deliveries d ON d.statement_id ="
	    " st.id AND d.version = (SELECT max(f.version) FROM delivery_files f"
	    "  WHERE f.statement_id = st.id)"
	    " LEFT JOIN outbox o ON o.delivery_id = d.id AND"
	    " o.sent_at IS NOT NULL"
	    " WHERE st.slug = $1 GROUP BY st.id", 1, slug);
	if (rows == NULL)
		return (NULL);
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (one == NULL)
		us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug);
	return (one);
}
