#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/country.h"
#include "core/i18n.h"
#include "core/markdown.h"
#include "core/statement.h"
#include "core/token.h"
#include "core/validate.h"
#include "http/http.h"

/*
 * The statement editor and overview of the workspace.  The editor's form
 * is turned into the same JSON the API takes, so one set of rules
 * (core/statement.c) validates both.
 */

#define ROWS_EXTRA	2	/* blank rows offered for more addressees */

static const char *const stmt_simple[] = {
	"slug", "kind", "lang", "title", "body_markdown", "place", "date",
	"reference", "expires_on", "signing_deadline",
	"coordinator_organisation", "headline", "lede", "notes_to_editors",
	"about", "embargo_until", "embargo_timezone", NULL
};

static const char *const addressee_keys[] = {
	"name", "title", "address", "email", "phone", "fax", "social", NULL
};

static const char *const contact_keys[] = {
	"name", "organisation", "email", "phone", "languages", "timezone", NULL
};

/* What each field of a list row is called on the form. */
static const struct {
	const char	*key;
	const char	*label;
} row_labels[] = {
	{ "name", US_N_("Name") },
	{ "title", US_N_("Title or office") },
	{ "address", US_N_("Postal address") },
	{ "email", US_N_("Email") },
	{ "phone", US_N_("Phone") },
	{ "fax", US_N_("Fax") },
	{ "social", US_N_("Social media") },
	{ "organisation", US_N_("Organisation") },
	{ "languages", US_N_("Languages") },
	{ "timezone", US_N_("Time zone") },
};

static json_t	*form_rows(const struct us_fields *, const char *,
		    const char *const *);
static json_t	*form_json(const struct us_fields *);
static void	 editor_rows(json_t *, const char *, const char *,
		    const char *const *, const char *);
static void	 editor_model(struct us_req *, json_t *);
static void	 stmt_input_free(void *);

/* p1_name, p1_title ... p2_name: the list members of a form, as JSON. */
static json_t *
form_rows(const struct us_fields *f, const char *prefix,
    const char *const *keys)
{
	json_t		*list, *o;
	const char	*v;
	char		 name[64];
	int		 i, k, any;

	list = json_array();
	for (i = 1; i <= 100; i++) {
		o = json_object();
		any = 0;
		for (k = 0; keys[k] != NULL; k++) {
			(void)snprintf(name, sizeof(name), "%s%d_%s", prefix, i,
			    keys[k]);
			if ((v = us_fields_get(f, name)) == NULL)
				continue;
			json_object_set_new(o, keys[k], json_string(v));
			if (*v != '\0' && strspn(v, " \t\r\n") != strlen(v))
				any = 1;
		}
		if (any)
			json_array_append_new(list, o);
		else
			json_decref(o);
	}
	return (list);
}

/* The editor form as the API's JSON statement. */
static json_t *
form_json(const struct us_fields *f)
{
	json_t		*o;
	const char	*v;
	size_t		 i;

	o = json_object();
	for (i = 0; stmt_simple[i] != NULL; i++) {
		if ((v = us_fields_get(f, stmt_simple[i])) != NULL && *v != '\0')
			json_object_set_new(o, stmt_simple[i], json_string(v));
	}
	json_object_set_new(o, "require_approval", json_boolean(
	    us_fields_get(f, "require_approval") != NULL));
	json_object_set_new(o, "addressees", form_rows(f, "a",
	    addressee_keys));
	json_object_set_new(o, "media_contacts", form_rows(f, "m",
	    contact_keys));
	return (o);
}

/* Rows for the template: the ones there are and a few blank ones. */
static void
editor_rows(json_t *model, const char *key, const char *prefix,
    const char *const *keys, const char *lang)
{
	json_t		*list, *rows, *row, *cell, *fields;
	const char	*label;
	size_t		 i, k, n, l;

	list = json_object_get(model, key);
	n = json_array_size(list) + ROWS_EXTRA;
	rows = json_array();
	for (i = 0; i < n; i++) {
		row = json_pack("{s:I}", "n", (json_int_t)(i + 1));
		fields = json_array();
		for (k = 0; keys[k] != NULL; k++) {
			cell = json_object_get(json_array_get(list, i), keys[k]);
			label = keys[k];
			for (l = 0; l < sizeof(row_labels) / sizeof(row_labels[0]);
			    l++) {
				if (strcmp(row_labels[l].key, keys[k]) == 0)
					label = us_i18n(lang, row_labels[l].label);
			}
			json_array_append_new(fields, json_pack("{s:s, s:s, s:s,"
			    " s:s, s:b}", "key", keys[k], "prefix", prefix,
			    "value", json_is_string(cell) ? json_string_value(cell) :
			    "", "label", label, "multiline",
			    strcmp(keys[k], "address") == 0));
		}
		json_object_set_new(row, "fields", fields);
		json_array_append_new(rows, row);
	}
	json_object_set_new(model, key[0] == 'a' ? "addressee_rows" :
	    "contact_rows", rows);
}

/* What the editor template needs besides the statement's values. */
static void
editor_model(struct us_req *r, json_t *m)
{
	const char	*kind;
	json_t		*errors, *list;
	size_t		 i;

	editor_rows(m, "addressees", "a", addressee_keys, r->lang);
	editor_rows(m, "media_contacts", "m", contact_keys, r->lang);
	kind = json_string_value(json_object_get(m, "kind"));
	for (i = 0; us_stmt_kinds[i] != NULL; i++) {
		char	key[40];

		(void)snprintf(key, sizeof(key), "kind_%s", us_stmt_kinds[i]);
		json_object_set_new(m, key, json_boolean(kind != NULL &&
		    strcmp(kind, us_stmt_kinds[i]) == 0));
	}
	errors = json_object();
	list = json_array();
	for (i = 0; i < r->errs.n; i++) {
		json_object_set_new(errors, r->errs.v[i].field[0] != '\0' ?
		    r->errs.v[i].field : "form",
		    json_string(r->errs.v[i].message));
		json_array_append_new(list, json_pack("{s:s}", "message",
		    r->errs.v[i].message));
	}
	json_object_set_new(m, "errors", errors);
	json_object_set_new(m, "error_list", list);
	json_object_set_new(m, "has_errors", json_boolean(r->errs.n > 0));
}

static void
stmt_input_free(void *p)
{
	if (p == NULL)
		return;
	us_stmt_input_free(p);
	free(p);
}

/* GET /w/new */
int
us_ws_new_work(struct us_db *db, struct us_req *r)
{
	(void)db;
	r->out = json_pack("{s:s, s:s, s:s, s:b}", "page_title",
	    "New statement", "kind", "joint_statement", "lang", r->lang,
	    "is_new", 1);
	editor_model(r, r->out);
	return (US_OK);
}

/*
 * POST /w/new and POST /w/s/{slug}/edit: validate; with "preview" or on
 * errors, show the form again with what was typed.
 */
int
us_ws_save_work(struct us_db *db, struct us_req *r)
{
	struct us_stmt_input	*in;
	json_t			*doc;
	const char		*action, *version, *base, *md;
	int			 is_new = r->nparams == 0;
	char			*html;

	doc = form_json(&r->fields);
	version = us_fields_get(&r->fields, "version");
	base = us_fields_get(&r->fields, "base_lang");
	if (!is_new)
		json_object_set_new(doc, "slug", json_string(r->params[0]));
	/* A translation is checked as a statement in its own language. */
	if (version != NULL && base != NULL && strcmp(version, base) != 0)
		json_object_set_new(doc, "lang", json_string(version));
	else
		version = NULL;
	in = us_calloc(1, sizeof(*in));
	r->in = in;
	r->in_free = stmt_input_free;
	action = us_fields_get(&r->fields, "action");
	if (us_stmt_parse(doc, in, &r->errs) && (action == NULL ||
	    strcmp(action, "preview") != 0)) {
		if (version != NULL)
			json_object_set_new(doc, "lang", json_string(base));
		if (is_new ? us_db_stmt_create(db, in, r->coord, &r->err) :
		    us_db_stmt_update(db, r->params[0], r->coord, in, version,
		    us_fields_get(&r->fields, "note"), NULL, &r->err)) {
			(void)snprintf(r->redirect, sizeof(r->redirect),
			    "/w/s/%s", is_new ? us_fields_get(&in->f, "slug") :
			    r->params[0]);
			json_decref(doc);
			return (US_OK);
		}
		if (r->err.kind != US_E_CONFLICT &&
		    r->err.kind != US_E_INVALID) {
			json_decref(doc);
			return (US_FAIL);
		}
		*us_errlist_add(&r->errs) = r->err;
		us_error_clear(&r->err);
	}
	/* Shown again, as typed, with a preview of the text. */
	r->out = doc;
	if (version != NULL) {
		json_object_set_new(r->out, "tr_lang", json_string(version));
		json_object_set_new(r->out, "base_lang", json_string(base));
	}
	json_object_set_new(r->out, "is_new", json_boolean(is_new));
	json_object_set_new(r->out, "page_title", json_string(is_new ?
	    "New statement" : "Edit statement"));
	/* A text over the cap is refused above; it is not rendered either. */
	md = json_string_value(json_object_get(doc, "body_markdown"));
	if (md != NULL && !us_md_too_long(md)) {
		html = us_md_html(md);
		json_object_set_new(r->out, "preview_html", json_string(html));
		free(html);
	}
	json_object_set_new(r->out, "note", json_string(
	    us_fields_get(&r->fields, "note") != NULL ?
	    us_fields_get(&r->fields, "note") : ""));
	editor_model(r, r->out);
	return (US_OK);
}

void
us_ws_save_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind == US_E_NONE && r->redirect[0] == '\0') {
		us_http_page(req, r->errs.n > 0 ?
		    us_error_status(r->errs.v[0].kind) : HTTP_STATUS_OK,
		    "w_editor.html", r->out);
		return;
	}
	us_http_finish(req, r);
}

/* GET /w/s/{slug}/edit[?version=ru] */
int
us_ws_edit_work(struct us_db *db, struct us_req *r)
{
	json_t		*tr, *t;
	const char	*version = us_fields_get(&r->fields, "version");
	size_t		 i;

	if ((r->out = us_db_ws_statement(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "page_title",
	    json_string("Edit statement"));
	json_object_set_new(r->out, "is_new", json_false());
	json_object_set(r->out, "base_lang", json_object_get(r->out, "lang"));
	if (version != NULL && *version != '\0' && strcmp(version,
	    json_string_value(json_object_get(r->out, "lang"))) != 0) {
		json_object_set_new(r->out, "tr_lang", json_string(version));
		tr = json_object_get(r->out, "translations");
		json_array_foreach(tr, i, t) {
			if (strcmp(json_string_value(json_object_get(t, "lang")),
			    version) != 0)
				continue;
			if (!us_db_translation_text(db, r->params[0], version,
			    r->out, &r->err))
				return (US_FAIL);
		}
	}
	editor_model(r, r->out);
	return (US_OK);
}

/* GET /w/s/{slug}: the overview. */
int
us_ws_statement_work(struct us_db *db, struct us_req *r)
{
	const char	*status;

	if ((r->out = us_db_ws_statement(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	status = json_string_value(json_object_get(r->out, "status"));
	us_ws_labels(r->out, r->lang);
	json_object_set_new(r->out, "page_title", json_object_get(r->out,
	    "title") != NULL ? json_copy(json_object_get(r->out, "title")) :
	    json_string(""));
	json_object_set_new(r->out, "can_open", json_boolean(
	    strcmp(status, "draft") == 0 || strcmp(status, "closed") == 0));
	json_object_set_new(r->out, "can_close", json_boolean(
	    strcmp(status, "open") == 0));
	json_object_set_new(r->out, "can_publish", json_boolean(
	    strcmp(status, "open") == 0 || strcmp(status, "closed") == 0));
	json_object_set_new(r->out, "formats", json_null());
	return (US_OK);
}

void
us_ws_statement_finish(struct http_request *req, struct us_req *r)
{
	json_t	*formats;
	size_t	 i;

	if (r->err.kind == US_E_NONE) {
		formats = json_array();
		for (i = 0; i < us_app.plugins.n; i++)
			json_array_append_new(formats, json_pack("{s:s, s:s}",
			    "name", us_app.plugins.v[i].p->name, "title",
			    us_app.plugins.v[i].p->title));
		json_object_set_new(r->out, "formats", formats);
	}
	us_http_finish(req, r);
}

/* POST /w/s/{slug}/status */
int
us_ws_status_work(struct us_db *db, struct us_req *r)
{
	const char	*s = us_fields_get(&r->fields, "status");

	if (s == NULL || !us_stmt_valid_status(s))
		return (us_error_set(&r->err, US_E_INVALID, "status",
		    "invalid_status", "Choose open, closed or published."));
	if (!us_db_stmt_set_status(db, r->params[0], s, r->coord, &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s",
	    r->params[0]);
	return (US_OK);
}

/* POST /w/s/{slug}/publish: now, or at publish_at. */
int
us_ws_publish_work(struct us_db *db, struct us_req *r)
{
	struct us_rule	 rule = { "publish_at", "Publication time", 0, 40,
			    us_check_timestamp, NULL };
	const char	*when = us_fields_get(&r->fields, "publish_at");
	char		*v;

	if (when != NULL && *when != '\0') {
		v = us_strdup(when);
		if (!us_check_timestamp(&rule, &v, &r->err)) {
			free(v);
			return (US_FAIL);
		}
		free(v);
	} else
		when = NULL;
	if (!us_db_ws_publish(db, r->params[0], r->coord, when, &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s",
	    r->params[0]);
	return (US_OK);
}

/*
 * POST /w/s/{slug}/preview-link [days=N]: the link is shown once and
 * opens the statement for US_PREVIEW_DAYS days unless told otherwise.
 */
int
us_ws_preview_link_work(struct us_db *db, struct us_req *r)
{
	const char	*d = us_fields_get(&r->fields, "days");
	char		 token[US_TOKEN_LEN + 1], url[600];
	int		 days = US_PREVIEW_DAYS;

	if (d != NULL && *d != '\0') {
		if (strlen(d) > 3 || strspn(d, "0123456789") != strlen(d))
			return (us_error_set(&r->err, US_E_INVALID, "days",
			    "invalid_number", "Give the number of days the "
			    "link stays valid (1 to %d).",
			    US_PREVIEW_DAYS_MAX));
		days = atoi(d);
	}
	if (!us_db_ws_preview_link(db, r->params[0], r->coord, days, token,
	    &r->err) || !us_ws_statement_work(db, r))
		return (US_FAIL);
	(void)snprintf(url, sizeof(url), "%s/s/%s/preview/%s",
	    us_app.cfg.public_url, r->params[0], token);
	json_object_set_new(r->out, "preview_url", json_string(url));
	return (US_OK);
}

/* POST /w/s/{slug}/preview-link/revoke */
int
us_ws_preview_revoke_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_ws_preview_revoke(db, r->params[0], r->coord, &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s",
	    r->params[0]);
	return (US_OK);
}

/* POST /w/s/{slug}/coordinators */
int
us_ws_coordinator_add_work(struct us_db *db, struct us_req *r)
{
	const char	*email = us_fields_get(&r->fields, "email");

	if (!us_db_ws_add_coordinator(db, r->params[0], r->coord,
	    email != NULL ? email : "", &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s",
	    r->params[0]);
	return (US_OK);
}

/*
 * POST /w/s/{slug}/coordinators/remove: whoever is removed loses access
 * at once; one who removed themselves goes back to their statements.
 */
int
us_ws_coordinator_remove_work(struct us_db *db, struct us_req *r)
{
	const char	*email = us_fields_get(&r->fields, "email");
	const char	*me = json_string_value(json_object_get(r->who,
			    "email"));

	if (!us_db_ws_remove_coordinator(db, r->params[0], r->coord,
	    email != NULL ? email : "", &r->err))
		return (US_FAIL);
	if (me != NULL && email != NULL && strcasecmp(me, email) == 0)
		(void)snprintf(r->redirect, sizeof(r->redirect), "/w");
	else
		(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s",
		    r->params[0]);
	return (US_OK);
}

/* GET /w/s/{slug}/audit */
int
us_ws_audit_work(struct us_db *db, struct us_req *r)
{
	json_t	*list;
	char	 id[32];

	if (!us_db_ws_own(db, r->params[0], r->coord, id, NULL, &r->err) ||
	    (list = us_db_audit_list(db, id, &r->err)) == NULL)
		return (US_FAIL);
	r->out = json_pack("{s:o, s:s, s:s}", "entries", list, "slug",
	    r->params[0], "page_title", "Audit log");
	return (US_OK);
}
