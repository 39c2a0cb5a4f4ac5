#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/statement.h"
#include "http/http.h"

/*
 * Editing through the API, with the workspace's rules: PATCH of a
 * statement (any field of the create call), PUT and GET of one language
 * version.  Both edits go through us_db_stmt_update, so a published text
 * makes its next version here as it does in the editor.
 */

/* What a language version has of its own. */
static const char *const tr_keys[] = {
	"title", "body_markdown", "headline", "lede", "notes_to_editors",
	"about", "sample_letter", NULL
};

static int	edit_fail(struct us_req *);

/* The first of the validation errors answers the request. */
static int
edit_fail(struct us_req *r)
{
	r->err = r->errs.v[0];
	return (US_FAIL);
}

/*
 * The statement as it stands, with the request's fields over it, is
 * validated whole: a PATCH can leave nothing the create call would
 * refuse.
 */
int
us_edit_api_patch_work(struct us_db *db, struct us_req *r)
{
	struct us_db_access	 a;
	struct us_buf		 url;
	json_t			*doc;
	const char		*note;
	int			 ok;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	if ((doc = us_db_stmt_get(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	if (!us_stmt_patch(doc, r->body, &r->err)) {
		json_decref(doc);
		return (US_FAIL);
	}
	ok = us_stmt_parse(doc, r->in, &r->errs);
	json_decref(doc);
	if (!ok)
		return (edit_fail(r));
	note = json_string_value(json_object_get(r->body, "note"));
	if (!us_db_stmt_update(db, r->params[0], r->coord, r->in, NULL, note,
	    NULL, &r->err))
		return (US_FAIL);
	if ((r->out = us_db_stmt_get(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	/* As GET gives it, with its public address. */
	us_buf_init(&url);
	us_buf_appendf(&url, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&url, r->params[0]);
	json_object_set_new(r->out, "url", json_string(url.data));
	us_buf_free(&url);
	return (US_OK);
}

/*
 * A language version is checked as a statement in its own language, so
 * its title, text and press fields follow the statement's rules.
 */
int
us_edit_api_translation_put_work(struct us_db *db, struct us_req *r)
{
	struct us_stmt_input	*in = r->in;
	const char		*key, *note;
	json_t			*doc, *v;
	size_t			 i;
	int			 ok, created;
	struct us_db_access	 a;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	json_object_foreach(r->body, key, v) {
		for (i = 0; tr_keys[i] != NULL; i++)
			if (strcmp(tr_keys[i], key) == 0)
				break;
		if (tr_keys[i] == NULL && strcmp(key, "note") != 0)
			return (us_error_set(&r->err, US_E_INVALID, key,
			    "unknown_field", "'%s' is not a field of a "
			    "language version: give title, body_markdown, "
			    "headline, lede, notes_to_editors, about, "
			    "sample_letter.", key));
	}
	doc = json_pack("{s:s, s:s, s:s}", "slug", r->params[0], "kind",
	    us_stmt_kinds[0], "lang", r->params[1]);
	for (i = 0; tr_keys[i] != NULL; i++)
		if ((v = json_object_get(r->body, tr_keys[i])) != NULL)
			json_object_set(doc, tr_keys[i], v);
	ok = us_stmt_parse(doc, r->in, &r->errs);
	json_decref(doc);
	if (!ok)
		return (edit_fail(r));
	note = json_string_value(json_object_get(r->body, "note"));
	if (!us_db_stmt_update(db, r->params[0], r->coord, r->in,
	    us_fields_get(&in->f, "lang"), note, &created, &r->err))
		return (US_FAIL);
	if ((r->out = us_db_translation(db, r->params[0],
	    us_fields_get(&in->f, "lang"), &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "created", json_boolean(created));
	return (US_OK);
}

/* GET .../translations/{lang}: whoever may read the statement. */
int
us_edit_api_translation_get_work(struct us_db *db, struct us_req *r)
{
	json_t	*st;

	if ((st = us_db_stmt_get(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	json_decref(st);
	r->out = us_db_translation(db, r->params[0], r->params[1], &r->err);
	if (r->out == NULL && r->err.kind == US_E_NONE)
		us_error_set(&r->err, US_E_NOTFOUND, NULL, "no_translation",
		    "This statement has no version in \"%s\".", r->params[1]);
	return (r->out != NULL);
}

/* The statement or language version as it now stands. */
void
us_edit_api_finish(struct http_request *req, struct us_req *r)
{
	int	status = HTTP_STATUS_OK;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	if (json_is_true(json_object_get(r->out, "created")))
		status = HTTP_STATUS_CREATED;
	json_object_del(r->out, "created");
	json_object_set_new(r->out, "slug", json_string(r->params[0]));
	us_http_json(req, status, r->out);
}
