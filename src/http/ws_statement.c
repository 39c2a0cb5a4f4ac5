#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/country.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/markdown.h"
#include "core/statement.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/when.h"
#include "http/http.h"

/*
 * The statement editor and overview of the workspace.  The editor's form
 * is turned into the same JSON the API takes, so one set of rules
 * (core/statement.c) validates both.
 */

static const char *const stmt_simple[] = {
	"slug", "kind", "lang", "title", "body_markdown", "place", "date",
	"reference", "expires_on", "coordinator_organisation", "headline",
	"lede", "notes_to_editors", "about", "goal", "sample_letter", "follows",
	NULL
};

/*
 * What a language version has of its own besides its title and text:
 * the press release and the sample letter.
 */
static const char *const press_keys[] = {
	"headline", "lede", "notes_to_editors", "about", "sample_letter", NULL
};

/* Entered as wall-clock time in the statement's zone. */
static const char *const stmt_times[] = {
	"signing_deadline", "embargo_until", NULL
};

static const char *const addressee_keys[] = {
	"name", "title", "address", "email", "phone", "fax", "social",
	"salutation", NULL
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
	{ "salutation", US_N_("Salutation (e.g. \"Dear Mr. President,\")") },
	{ "organisation", US_N_("Organisation") },
	{ "languages", US_N_("Languages") },
	{ "timezone", US_N_("Time zone") },
};

/*
 * The languages offered for a text, by their own names so that whoever
 * writes in one finds it whatever the interface's language.  A tag not
 * listed (set through the API) is offered as it is.
 */
static const struct {
	const char	*tag;
	const char	*name;
} languages[] = {
	{ "en", "English" }, { "ru", "Русский" }, { "ky", "Кыргызча" },
	{ "kk", "Қазақша" }, { "uz", "Oʻzbekcha" }, { "tg", "Тоҷикӣ" },
	{ "tk", "Türkmençe" }, { "ka", "ქართული" }, { "hy", "Հայերեն" },
	{ "az", "Azərbaycanca" }, { "uk", "Українська" },
	{ "be", "Беларуская" }, { "ro", "Română" }, { "pl", "Polski" },
	{ "de", "Deutsch" }, { "fr", "Français" }, { "es", "Español" },
	{ "pt", "Português" }, { "it", "Italiano" }, { "nl", "Nederlands" },
	{ "tr", "Türkçe" }, { "ar", "العربية" }, { "fa", "فارسی" },
	{ "zh", "中文" },
};

/* Where an error summary entry leads: the first control of its field. */
static const struct {
	const char	*field;
	const char	*anchor;
} error_anchors[] = {
	{ "addressees", "f-a1_name" },
	{ "media_contacts", "f-m1_name" },
	{ "embargo_timezone", "f-timezone" },
	{ "form", "f-title" },
};

#define ROWS_FORM_MAX	100	/* as many as US_STMT_ADDRESSEES_MAX */

static json_t	*form_rows(const struct us_fields *, const char *,
		    const char *const *);
static int	 form_local_time(const char *);
static json_t	*form_json(struct us_db *, struct us_req *, int);
static void	 editor_rows(json_t *, const char *, const char *,
		    const char *const *, size_t, const char *);
static size_t	 editor_more(const struct us_fields *, const char *,
		    const char *);
static int	 editor_model(struct us_db *, struct us_req *, json_t *);
static int	 editor_follows(struct us_db *, struct us_req *, json_t *);
static int	 editor_local_times(struct us_db *, struct us_req *,
		    json_t *);
static void	 stmt_input_free(void *);
static void	 plan_count(json_t *, const char *, const char *);
static int	 ws_moment(struct us_db *, struct us_req *, json_t *,
		    const char *);

/*
 * p1_name, p1_title ... p2_name: the list members of a form, as JSON.
 * A row with its "remove" box ticked, or with nothing in it, is left out.
 */
static json_t *
form_rows(const struct us_fields *f, const char *prefix,
    const char *const *keys)
{
	json_t		*list, *o;
	const char	*v;
	char		 name[64];
	int		 i, k, any;

	list = json_array();
	for (i = 1; i <= ROWS_FORM_MAX; i++) {
		(void)snprintf(name, sizeof(name), "%s%d_remove", prefix, i);
		if (us_fields_get(f, name) != NULL)
			continue;
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

/*
 * What <input type=datetime-local> sends: "2026-12-09T00:01", seconds
 * optional, a real calendar day.  Anything else (an RFC 3339 time typed
 * by hand included) goes to the statement's rules as it is.
 */
static int
form_local_time(const char *v)
{
	struct us_rule	 rule = { "t", "t", 0, 10, us_check_date, NULL };
	struct us_error	 e;
	const char	*shape = "dddd-dd-ddTdd:dd:dd";
	char		 day[11], *p = day;
	size_t		 i, n = strlen(v);

	if (n != 16 && n != 19)
		return (0);
	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)v[i]) :
		    v[i] != shape[i])
			return (0);
	if (atoi(v + 11) > 23 || atoi(v + 14) > 59 ||
	    (n == 19 && atoi(v + 17) > 59))
		return (0);
	memcpy(day, v, 10);
	day[10] = '\0';
	memset(&e, 0, sizeof(e));
	return (us_check_date(&rule, &p, &e));
}

/*
 * The editor form as the API's JSON statement.  Times are entered in
 * the statement's zone and stored in UTC; an embargo is printed in that
 * zone.  A new statement without a short name gets one from its title.
 */
static json_t *
form_json(struct us_db *db, struct us_req *r, int is_new)
{
	struct us_rule	 zrule = { "timezone", "Time zone", 0, 64,
			    us_check_timezone, NULL };
	const struct us_fields *f = &r->fields;
	struct us_error	 zerr;
	json_t		*o;
	const char	*v, *title;
	char		 utc[US_DB_TIME_LEN], slug[81], *zone;
	size_t		 i;
	int		 zone_ok;

	o = json_object();
	for (i = 0; stmt_simple[i] != NULL; i++) {
		if ((v = us_fields_get(f, stmt_simple[i])) != NULL && *v != '\0')
			json_object_set_new(o, stmt_simple[i], json_string(v));
	}
	if (is_new && json_object_get(o, "slug") == NULL &&
	    (title = json_string_value(json_object_get(o, "title"))) != NULL) {
		us_stmt_slug_suggest(title, slug, sizeof(slug));
		json_object_set_new(o, "slug", json_string(slug));
	}
	v = us_fields_get(f, "timezone");
	zone = us_strdup(v != NULL && *v != '\0' ? v : "UTC");
	memset(&zerr, 0, sizeof(zerr));
	if (!(zone_ok = us_check_timezone(&zrule, &zone, &zerr)))
		*us_errlist_add(&r->errs) = zerr;
	json_object_set_new(o, "timezone", json_string(zone));
	for (i = 0; stmt_times[i] != NULL; i++) {
		if ((v = us_fields_get(f, stmt_times[i])) == NULL || *v == '\0')
			continue;
		if (zone_ok && form_local_time(v)) {
			if (!us_db_time_convert(db, v, zone, 0, utc, &r->err)) {
				free(zone);
				json_decref(o);
				return (NULL);
			}
			json_object_set_new(o, stmt_times[i], json_string(utc));
		} else
			json_object_set_new(o, stmt_times[i], json_string(v));
	}
	if (json_object_get(o, "embargo_until") != NULL)
		json_object_set_new(o, "embargo_timezone", json_string(zone));
	free(zone);
	json_object_set_new(o, "require_approval", json_boolean(
	    us_fields_get(f, "require_approval") != NULL));
	json_object_set_new(o, "addressees", form_rows(f, "a",
	    addressee_keys));
	json_object_set_new(o, "media_contacts", form_rows(f, "m",
	    contact_keys));
	return (o);
}

/*
 * Blank rows asked for with "Add another": one always, one more per
 * press of the button, as many as the list may hold.
 */
static size_t
editor_more(const struct us_fields *f, const char *key, const char *add)
{
	const char	*v = us_fields_get(f, key), *action;
	size_t		 n = 1;

	if (v != NULL && strspn(v, "0123456789") == strlen(v) && *v != '\0' &&
	    strlen(v) < 4)
		n = (size_t)atoi(v);
	if (n < 1)
		n = 1;
	if ((action = us_fields_get(f, "action")) != NULL &&
	    strcmp(action, add) == 0)
		n++;
	return (n);
}

/* Rows for the template: the ones there are and the blank ones asked for. */
static void
editor_rows(json_t *model, const char *key, const char *prefix,
    const char *const *keys, size_t more, const char *lang)
{
	json_t		*list, *rows, *row, *cell, *fields;
	const char	*label;
	size_t		 i, k, n, l, max;

	max = strcmp(prefix, "a") == 0 ? US_STMT_ADDRESSEES_MAX :
	    US_STMT_CONTACTS_MAX;
	list = json_object_get(model, key);
	n = json_array_size(list) + more;
	if (n > max)
		n = max > json_array_size(list) ? max : json_array_size(list);
	rows = json_array();
	for (i = 0; i < n; i++) {
		row = json_pack("{s:I, s:s, s:b}", "n", (json_int_t)(i + 1),
		    "prefix", prefix, "filled", i < json_array_size(list));
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
			    " s:s, s:b, s:s}", "key", keys[k], "prefix", prefix,
			    "value", json_is_string(cell) ? json_string_value(cell) :
			    "", "label", label, "multiline",
			    strcmp(keys[k], "address") == 0, "type",
			    strcmp(keys[k], "email") == 0 ? "email" :
			    strcmp(keys[k], "phone") == 0 ||
			    strcmp(keys[k], "fax") == 0 ? "tel" : "text"));
		}
		json_object_set_new(row, "fields", fields);
		json_array_append_new(rows, row);
	}
	json_object_set_new(model, strcmp(prefix, "a") == 0 ?
	    "addressee_rows" : "contact_rows", rows);
	json_object_set_new(model, strcmp(prefix, "a") == 0 ? "a_more" :
	    "m_more", json_integer((json_int_t)more));
	json_object_set_new(model, strcmp(prefix, "a") == 0 ? "a_room" :
	    "m_room", json_boolean(n < max));
}

/*
 * The stored UTC times as the form shows them: wall clock in the
 * statement's zone, for <input type=datetime-local>.
 */
static int
editor_local_times(struct us_db *db, struct us_req *r, json_t *m)
{
	const char	*zone, *v;
	char		 local[US_DB_TIME_LEN];
	size_t		 i;

	if ((zone = json_string_value(json_object_get(m, "timezone"))) ==
	    NULL && (zone = json_string_value(json_object_get(m,
	    "embargo_timezone"))) == NULL)
		zone = "UTC";
	/* zone may be the member itself: set it from a copy. */
	json_object_set_new(m, "timezone", json_string(zone));
	zone = json_string_value(json_object_get(m, "timezone"));
	for (i = 0; stmt_times[i] != NULL; i++) {
		if ((v = json_string_value(json_object_get(m,
		    stmt_times[i]))) == NULL)
			continue;
		if (!us_db_time_convert(db, v, zone, 1, local, &r->err))
			return (US_FAIL);
		json_object_set_new(m, stmt_times[i], json_string(local));
	}
	return (US_OK);
}

/*
 * The earlier actions this one may update: the coordinator's other
 * statements, newest first, the one it follows selected.
 */
static int
editor_follows(struct us_db *db, struct us_req *r, json_t *m)
{
	json_t		*mine, *opts, *s;
	const char	*slug, *cur, *follows;
	size_t		 i;

	if ((mine = us_db_ws_home(db, r->coord, &r->err)) == NULL)
		return (US_FAIL);
	cur = json_string_value(json_object_get(m, "slug"));
	follows = json_string_value(json_object_get(m, "follows"));
	opts = json_array();
	json_array_foreach(mine, i, s) {
		slug = json_string_value(json_object_get(s, "slug"));
		if (slug == NULL || (cur != NULL && strcmp(cur, slug) == 0))
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:O, s:b}",
		    "slug", slug, "title", json_object_get(s, "title"),
		    "selected", follows != NULL && strcmp(follows, slug) == 0));
	}
	json_decref(mine);
	json_object_set_new(m, "follows_options", opts);
	return (US_OK);
}

/* What the editor template needs besides the statement's values. */
static int
editor_model(struct us_db *db, struct us_req *r, json_t *m)
{
	const char	*kind, *lang, *zone, *field, *anchor;
	json_t		*errors, *list, *zones, *z, *opts;
	size_t		 i, k;
	int		 found;
	char		 key[40], id[80];

	editor_rows(m, "addressees", "a", addressee_keys,
	    editor_more(&r->fields, "a_more", "add_addressee"), r->lang);
	editor_rows(m, "media_contacts", "m", contact_keys,
	    editor_more(&r->fields, "m_more", "add_contact"), r->lang);
	if (!editor_follows(db, r, m))
		return (US_FAIL);
	kind = json_string_value(json_object_get(m, "kind"));
	for (i = 0; us_stmt_kinds[i] != NULL; i++) {
		(void)snprintf(key, sizeof(key), "kind_%s", us_stmt_kinds[i]);
		json_object_set_new(m, key, json_boolean(kind != NULL &&
		    strcmp(kind, us_stmt_kinds[i]) == 0));
	}
	lang = json_string_value(json_object_get(m, "lang"));
	opts = json_array();
	found = 0;
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++) {
		k = lang != NULL && strcmp(lang, languages[i].tag) == 0;
		found |= (int)k;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "tag",
		    languages[i].tag, "name", languages[i].name, "selected",
		    (int)k));
	}
	if (!found && lang != NULL && *lang != '\0')
		json_array_insert_new(opts, 0, json_pack("{s:s, s:s, s:b}",
		    "tag", lang, "name", lang, "selected", 1));
	json_object_set_new(m, "languages", opts);

	if ((zones = us_db_zones(db, &r->err)) == NULL)
		return (US_FAIL);
	zone = json_string_value(json_object_get(m, "timezone"));
	json_array_foreach(zones, i, z)
		json_object_set_new(z, "selected", json_boolean(zone != NULL &&
		    strcmp(zone, json_string_value(json_object_get(z,
		    "name"))) == 0));
	json_object_set_new(m, "zones", zones);

	errors = json_object();
	list = json_array();
	for (i = 0; i < r->errs.n; i++) {
		field = r->errs.v[i].field[0] != '\0' ? r->errs.v[i].field :
		    "form";
		json_object_set_new(errors, field,
		    json_string(r->errs.v[i].message));
		anchor = NULL;
		for (k = 0; k < sizeof(error_anchors) /
		    sizeof(error_anchors[0]); k++)
			if (strcmp(error_anchors[k].field, field) == 0)
				anchor = error_anchors[k].anchor;
		if (anchor == NULL) {
			(void)snprintf(id, sizeof(id), "f-%s", field);
			anchor = id;
		}
		json_array_append_new(list, json_pack("{s:s, s:s}", "message",
		    r->errs.v[i].message, "anchor", anchor));
	}
	json_object_set_new(m, "errors", errors);
	json_object_set_new(m, "error_list", list);
	json_object_set_new(m, "has_errors", json_boolean(r->errs.n > 0));
	return (US_OK);
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
	r->out = json_pack("{s:s, s:s, s:s, s:b, s:s}", "page_title",
	    US_N_("New statement"), "kind", "joint_statement", "lang", r->lang,
	    "is_new", 1, "timezone", "UTC");
	return (editor_model(db, r, r->out));
}

/*
 * POST /w/new and POST /w/s/{slug}/edit: validate; with "preview", "Add
 * another" or on errors, show the form again with what was typed.
 */
int
us_ws_save_work(struct us_db *db, struct us_req *r)
{
	struct us_stmt_input	*in;
	json_t			*doc;
	const char		*action, *version, *base, *md;
	int			 is_new = r->nparams == 0, saving;
	char			*html;

	if ((doc = form_json(db, r, is_new)) == NULL)
		return (US_FAIL);
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
	saving = action == NULL || strcmp(action, "save") == 0;
	if (us_stmt_parse(doc, in, &r->errs) && saving) {
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
	/* "Add another" only asks for a row: no complaint about the rest. */
	if (!saving && action != NULL && strncmp(action, "add_", 4) == 0)
		r->errs.n = 0;
	/* Shown again, as typed, with a preview of the text. */
	r->out = doc;
	if (version != NULL) {
		json_object_set_new(r->out, "tr_lang", json_string(version));
		json_object_set_new(r->out, "base_lang", json_string(base));
	}
	json_object_set_new(r->out, "is_new", json_boolean(is_new));
	json_object_set_new(r->out, "page_title", json_string(is_new ?
	    US_N_("New statement") : US_N_("Edit statement")));
	/* A text over the cap is refused above; it is not rendered either. */
	md = json_string_value(json_object_get(doc, "body_markdown"));
	if (md != NULL && !us_md_too_long(md) && action != NULL &&
	    strcmp(action, "preview") == 0) {
		html = us_md_html(md);
		json_object_set_new(r->out, "preview_html", json_string(html));
		free(html);
	}
	json_object_set_new(r->out, "note", json_string(
	    us_fields_get(&r->fields, "note") != NULL ?
	    us_fields_get(&r->fields, "note") : ""));
	if (!editor_local_times(db, r, r->out))
		return (US_FAIL);
	return (editor_model(db, r, r->out));
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
	    json_string(US_N_("Edit statement")));
	json_object_set_new(r->out, "is_new", json_false());
	json_object_set(r->out, "base_lang", json_object_get(r->out, "lang"));
	if (version != NULL && *version != '\0' && strcmp(version,
	    json_string_value(json_object_get(r->out, "lang"))) != 0) {
		json_object_set_new(r->out, "tr_lang", json_string(version));
		/* A new language version starts empty, not as a copy. */
		json_object_set_new(r->out, "title", json_string(""));
		json_object_set_new(r->out, "body_markdown", json_string(""));
		for (i = 0; press_keys[i] != NULL; i++)
			json_object_set_new(r->out, press_keys[i],
			    json_string(""));
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
	if (!editor_local_times(db, r, r->out))
		return (US_FAIL);
	return (editor_model(db, r, r->out));
}

/* GET /w/s/{slug}: the overview. */
int
us_ws_statement_work(struct us_db *db, struct us_req *r)
{
	const char	*status, *base;
	json_t		*langs, *v;
	size_t		 i;

	if ((r->out = us_db_ws_statement(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	status = json_string_value(json_object_get(r->out, "status"));
	us_ws_labels(r->out, r->lang);
	json_object_set_new(r->out, "page_title", json_object_get(r->out,
	    "title") != NULL ? json_copy(json_object_get(r->out, "title")) :
	    json_string(""));
	/* The languages a version may be written in: all but the text's. */
	langs = json_array();
	base = json_string_value(json_object_get(r->out, "lang"));
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		if (base == NULL || strcmp(base, languages[i].tag) != 0)
			json_array_append_new(langs, json_pack("{s:s, s:s}",
			    "tag", languages[i].tag, "name", languages[i].name));
	json_object_set_new(r->out, "version_languages", langs);
	json_object_set_new(r->out, "is_draft", json_boolean(
	    strcmp(status, "draft") == 0));
	json_object_set_new(r->out, "can_open", json_boolean(
	    strcmp(status, "draft") == 0 || strcmp(status, "closed") == 0));
	json_object_set_new(r->out, "can_close", json_boolean(
	    strcmp(status, "open") == 0));
	json_object_set_new(r->out, "can_publish", json_boolean(
	    strcmp(status, "open") == 0 || strcmp(status, "closed") == 0));
	json_object_set_new(r->out, "formats", json_null());
	us_page_embargo_text(r->out, r->lang);
	if (!ws_moment(db, r, r->out, "publish_at") ||
	    !ws_moment(db, r, r->out, "published_at") ||
	    !ws_moment(db, r, r->out, "preview_expires_at"))
		return (US_FAIL);
	json_array_foreach(json_object_get(r->out, "versions"), i, v) {
		if (!ws_moment(db, r, v, "created_at"))
			return (US_FAIL);
		/* The note publication writes is a status, in words. */
		if (json_string_value(json_object_get(v, "note")) != NULL &&
		    strcmp(json_string_value(json_object_get(v, "note")),
		    "published") == 0)
			json_object_set_new(v, "note", json_string(us_i18n(
			    r->lang, "published")));
	}
	return (US_OK);
}

/*
 * The widget's <iframe> for coordinators to paste into their sites: the
 * title escaped for its attribute here, and the whole code once more by
 * the template that shows it as text.
 */
static void
ws_embed_snippet(json_t *st)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_buf_appendf(&b, "<iframe src=\"%s/s/", us_app.cfg.public_url);
	us_esc_url(&b, json_string_value(json_object_get(st, "slug")));
	us_buf_puts(&b, "/embed\" title=\"");
	us_esc_html(&b, json_string_value(json_object_get(st, "title")));
	us_buf_puts(&b, "\" width=\"100%\" height=\"260\" "
	    "style=\"border:0\" loading=\"lazy\"></iframe>");
	json_object_set_new(st, "embed_snippet", json_string(b.data));
	us_buf_free(&b);
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
			    us_i18n(r->lang, us_app.plugins.v[i].p->title)));
		json_object_set_new(r->out, "formats", formats);
		ws_embed_snippet(r->out);
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

/*
 * A stored UTC time of m (the statement r->out, or one of its versions)
 * as people read it (core/when.c), in the statement's zone, into
 * key_text; never raw ISO on a page.
 */
static int
ws_moment(struct us_db *db, struct us_req *r, json_t *m, const char *key)
{
	struct us_buf	 b;
	const char	*v, *zone;
	char		 local[US_DB_TIME_LEN], name[40];

	if ((v = json_string_value(json_object_get(m, key))) == NULL)
		return (US_OK);
	if ((zone = json_string_value(json_object_get(r->out, "timezone"))) ==
	    NULL && (zone = json_string_value(json_object_get(r->out,
	    "embargo_timezone"))) == NULL)
		zone = "UTC";
	if (!us_db_time_convert(db, v, zone, 1, local, &r->err))
		return (US_FAIL);
	us_buf_init(&b);
	(void)snprintf(name, sizeof(name), "%s_text", key);
	if (us_when_text(&b, r->lang, local, zone))
		json_object_set_new(m, name, json_string(b.data));
	us_buf_free(&b);
	return (US_OK);
}

/* "{n} organisations" with the count of key, as key_text. */
static void
plan_count(json_t *plan, const char *key, const char *words)
{
	struct us_buf	 b;
	const char	*at;
	char		 name[32];

	us_buf_init(&b);
	if ((at = strstr(words, "{n}")) == NULL)
		us_buf_puts(&b, words);
	else {
		us_buf_append(&b, words, (size_t)(at - words));
		us_buf_appendf(&b, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(plan, key)));
		us_buf_puts(&b, at + 3);
	}
	(void)snprintf(name, sizeof(name), "%s_text", key);
	json_object_set_new(plan, name, json_string(b.data));
	us_buf_free(&b);
}

/*
 * GET /w/s/{slug}/publish: what publishing will do, before it is done:
 * the list frozen, the mails sent, from when the page is public.
 */
int
us_ws_publish_plan_work(struct us_db *db, struct us_req *r)
{
	struct us_buf	 b;
	const char	*st;

	if ((r->out = us_db_ws_publish_plan(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	st = json_string_value(json_object_get(r->out, "status"));
	json_object_set_new(r->out, "can_publish", json_boolean(
	    strcmp(st, "open") == 0 || strcmp(st, "closed") == 0));
	us_buf_init(&b);
	if (json_is_true(json_object_get(r->out, "embargo_active")) &&
	    us_when_text(&b, r->lang, json_string_value(json_object_get(r->out,
	    "embargo_local")), json_string_value(json_object_get(r->out,
	    "embargo_timezone"))))
		json_object_set_new(r->out, "embargo_text", json_string(b.data));
	us_buf_reset(&b);
	if (us_when_text(&b, r->lang, json_string_value(json_object_get(r->out,
	    "publish_local")), json_string_value(json_object_get(r->out,
	    "timezone"))))
		json_object_set_new(r->out, "scheduled_text",
		    json_string(b.data));
	plan_count(r->out, "listed", us_i18n_n(r->lang, "{n} organisation",
	    "{n} organisations", (unsigned long)json_integer_value(
	    json_object_get(r->out, "listed"))));
	plan_count(r->out, "mails", us_i18n_n(r->lang, "{n} email",
	    "{n} emails", (unsigned long)json_integer_value(
	    json_object_get(r->out, "mails"))));
	us_buf_free(&b);
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Publish")));
	return (US_OK);
}

/*
 * POST /w/s/{slug}/publish: when = now (the default), or "at" with
 * publish_at, wall-clock time in the statement's zone (an RFC 3339 time
 * is taken as it is).  An embargo holds unless lift_embargo is ticked.
 */
int
us_ws_publish_work(struct us_db *db, struct us_req *r)
{
	struct us_rule	 rule = { "publish_at", "Publication time", 0, 40,
			    us_check_timestamp, NULL };
	const char	*when = us_fields_get(&r->fields, "publish_at");
	const char	*how = us_fields_get(&r->fields, "when");
	json_t		*plan;
	char		*v, utc[US_DB_TIME_LEN];
	int		 ok;

	if (how != NULL && strcmp(how, "now") == 0)
		when = NULL;
	if (when != NULL && *when != '\0' && form_local_time(when)) {
		if ((plan = us_db_ws_publish_plan(db, r->params[0], r->coord,
		    &r->err)) == NULL)
			return (US_FAIL);
		ok = us_db_time_convert(db, when, json_string_value(
		    json_object_get(plan, "timezone")), 0, utc, &r->err);
		json_decref(plan);
		if (!ok)
			return (US_FAIL);
		when = utc;
	} else if (when != NULL && *when != '\0') {
		v = us_strdup(when);
		if (!us_check_timestamp(&rule, &v, &r->err)) {
			free(v);
			return (US_FAIL);
		}
		free(v);
	} else
		when = NULL;
	if (!us_db_ws_publish(db, r->params[0], r->coord, when,
	    us_fields_get(&r->fields, "lift_embargo") != NULL, &r->err))
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
