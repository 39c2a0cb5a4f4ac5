#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/token.h"
#include "core/siglist.h"
#include "db/db.h"

struct embargo {
	const char	*slug;
	const char	*zone;
	json_t		*out;
};

static int	embargo_tx(struct us_db *, void *, struct us_error *);

/*
 * The embargo as printed: local time and zone abbreviation at that
 * moment.  PostgreSQL knows the zone rules; the session zone is set for
 * this transaction only.
 */
static int
embargo_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct embargo	*e = arg;
	PGresult	*res;

	if (!us_db_exec(db, err, "SELECT set_config('TimeZone', $1, true)", 1,
	    e->zone))
		return (US_FAIL);
	res = us_db_query(db, err,
	    "SELECT to_char(embargo_until, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
	    " AS local, to_char(embargo_until, 'TZ') AS zone"
	    " FROM statements WHERE slug = $1 AND embargo_until > now()", 1,
	    e->slug);
	if (res == NULL)
		return (US_FAIL);
	json_decref(e->out);
	e->out = PQntuples(res) == 1 ? us_db_row_json(res, 0) : NULL;
	PQclear(res);
	return (US_OK);
}

/*
 * The statement in the JSON form output plugins are given (see
 * docs/plugins.md): public data only.  Named signatories come from the
 * public list query; counted-only ones exist here as a number.  lang
 * NULL or the statement's own language: the original; another language:
 * that language version's title and text (US_E_NOTFOUND when there is
 * none), with the rest in common.  Country names and the plugin's words
 * are put in the language by the model (src/plugin/model.c).  coord 0
 * is the public; a coordinator's id also finds a draft, for the
 * workspace's preview.  The named signatories go to rows, compact (a
 * list of 100,000 would be 100,000 JSON objects), and the JSON's
 * "signatories" is empty: us_model_build_rows takes both.
 */
json_t *
us_db_render_model(struct us_db *db, const char *slug, const char *lang,
    const char *base, long long coord, struct us_siglist *rows,
    struct us_error *err)
{
	struct embargo	 e;
	struct us_buf	 url;
	json_t		*st, *doc, *sigs, *v, *tr = NULL, *rec;
	const char	*key;
	char		 now[32];
	struct tm	 tm;
	time_t		 t;
	static const char *keep[] = { "slug", "kind", "status", "lang",
			    "title", "place", "date", "reference", "expires_on",
			    "signing_deadline", "body_markdown", "body_html",
			    "text_digest", "coordinator_organisation",
			    "headline", "lede", "notes_to_editors", "about",
			    "addressees", "media_contacts", "signature_count",
			    "unnamed_count", "published_at", "version",
			    "sample_letter", "action_count", "actions_by_channel",
			    NULL };
	static const char *translated[] = { "lang", "title", "body_markdown",
			    "body_html", "text_digest", "sample_letter", NULL };
	size_t		 i;

	if ((st = us_db_stmt_get(db, slug, coord, err)) == NULL)
		return (NULL);
	if (lang != NULL && strcmp(lang, json_string_value(json_object_get(st,
	    "lang"))) != 0) {
		if ((tr = us_db_translation(db, slug, lang, err)) == NULL) {
			if (err->kind == US_E_NONE)
				us_error_set(err, US_E_NOTFOUND, "lang",
				    "no_translation", "This statement has no "
				    "version in \"%s\"; its page lists the "
				    "languages it has.", lang);
			json_decref(st);
			return (NULL);
		}
	}
	/*
	 * us_db_stmt_get() has decided who may see it, a draft included.
	 * The list goes to rows, compact, and the JSON has none.
	 */
	sigs = us_db_sig_rows(db, slug, coord == 0, rows, err) ?
	    json_array() : NULL;
	if (sigs == NULL) {
		json_decref(st);
		json_decref(tr);
		return (NULL);
	}
	doc = json_object();
	for (i = 0; keep[i] != NULL; i++) {
		key = keep[i];
		if ((v = json_object_get(st, key)) != NULL)
			json_object_set(doc, key, v);
	}
	for (i = 0; tr != NULL && translated[i] != NULL; i++)
		json_object_set(doc, translated[i], json_object_get(tr,
		    translated[i]));
	/* A language version's own text has no separate headline or lede. */
	if (tr != NULL) {
		json_object_del(doc, "headline");
		json_object_del(doc, "lede");
	}
	json_decref(tr);
	json_object_set_new(doc, "signatories", sigs);

	/* A published statement's files name its signed record. */
	if ((rec = us_db_record_latest(db, slug, err)) != NULL) {
		json_object_set(doc, "record_digest", json_object_get(rec,
		    "digest"));
		json_object_set(doc, "record_key_id", json_object_get(rec,
		    "key_id"));
		json_decref(rec);
	} else if (err->kind == US_E_NOTFOUND)
		us_error_clear(err);
	else {
		json_decref(st);
		json_decref(doc);
		return (NULL);
	}

	us_buf_init(&url);
	us_buf_appendf(&url, "%s/s/", base);
	us_esc_url(&url, slug);
	json_object_set_new(doc, "url", json_string(url.data));
	us_buf_free(&url);
	t = time(NULL);
	gmtime_r(&t, &tm);
	(void)strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(doc, "generated_at", json_string(now));
	json_object_set_new(doc, "list_as_of", json_string(now));
	if (json_is_string(json_object_get(st, "embargo_until"))) {
		e.slug = slug;
		e.zone = json_string_value(json_object_get(st,
		    "embargo_timezone"));
		e.out = NULL;
		if (!us_db_tx(db, embargo_tx, &e, err)) {
			json_decref(st);
			json_decref(doc);
			return (NULL);
		}
		if (e.out != NULL) {
			json_object_set(e.out, "until",
			    json_object_get(st, "embargo_until"));
			json_object_set(e.out, "timezone",
			    json_object_get(st, "embargo_timezone"));
			json_object_set_new(doc, "embargo", e.out);
		}
	}
	json_decref(st);
	return (doc);
}

/*
 * What makes a rendered file stale: the text, the status, any change to
 * a signature past pending (confirmation, approval, withdrawal all touch
 * updated_at), the text of any language version, and the number of
 * actions readers confirmed.  Index probes, no
 * scan of the list.
 */
int
us_db_render_revision(struct us_db *db, const char *slug, char *out,
    size_t len, struct us_error *err)
{
	PGresult	*res;
	struct us_buf	 b;
	unsigned char	 h[US_HASH_LEN];
	char		 hex[US_HASH_LEN * 2 + 1];
	int		 i;

	res = us_db_query(db, err,
	    "SELECT st.status, st.text_digest, st.updated_at,"
	    " (SELECT max(sg.updated_at) FROM signatures sg"
	    "   WHERE sg.statement_id = st.id AND sg.status <> 'pending'),"
	    " st.require_approval,"
	    " (SELECT string_agg(tr.lang || ':' || tr.text_digest, ','"
	    "   ORDER BY tr.lang) FROM statement_translations tr"
	    "   WHERE tr.statement_id = st.id),"
	    " coalesce(st.embargo_until > now(), false),"
	    " (SELECT count(*) FROM action_reports ar WHERE ar.statement_id ="
	    "   st.id AND ar.status = 'confirmed')"
	    " FROM statements st WHERE st.slug = $1 AND st.status <> 'draft'",
	    1, slug);
	if (res == NULL)
		return (US_FAIL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (us_error_set(err, US_E_NOTFOUND, NULL, "not_found",
		    "There is no statement \"%s\".", slug));
	}
	us_buf_init(&b);
	for (i = 0; i < PQnfields(res); i++)
		us_buf_appendf(&b, "%s|", PQgetvalue(res, 0, i));
	PQclear(res);
	us_sha256(b.data, b.len, h);
	us_buf_free(&b);
	us_hex(h, 8, hex);
	(void)snprintf(out, len, "%s", hex);
	return (US_OK);
}
