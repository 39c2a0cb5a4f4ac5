#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/errmsg.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/markdown.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/when.h"
#include "http/http.h"

static void	model_dateline(json_t *, const char *);
static void	model_counts(json_t *, const char *);
static void	model_labels(json_t *, const char *);
static void	model_text(json_t *, const char *);
static void	model_text_versions(json_t *, json_t *);

/*
 * A sentence with a count, in the reader's language and plural form:
 * "{n}" in the translation is replaced by the number.
 */
void
us_page_words(struct us_buf *b, const char *lang, const char *one,
    const char *many, unsigned long n)
{
	const char	*t, *at;
	char		 num[32];

	t = us_i18n_n(lang, one, many, n);
	(void)snprintf(num, sizeof(num), "%lu", n);
	if ((at = strstr(t, "{n}")) == NULL) {
		us_buf_puts(b, t);
		return;
	}
	us_buf_append(b, t, (size_t)(at - t));
	us_buf_puts(b, num);
	us_buf_puts(b, at + 3);
}

/*
 * "Bishkek, 10 December 2026", the expiry and the changelog's days, in the
 * reader's language.
 */
static void
model_dateline(json_t *st, const char *lang)
{
	const char	*place, *date, *exp;
	struct us_buf	 b;
	json_t		*v;
	size_t		 i;

	us_buf_init(&b);
	place = json_string_value(json_object_get(st, "place"));
	date = json_string_value(json_object_get(st, "date"));
	if (place != NULL)
		us_buf_puts(&b, place);
	if (place != NULL && date != NULL)
		us_buf_puts(&b, ", ");
	if (date != NULL)
		us_i18n_date(&b, lang, date);
	if (b.len > 0)
		json_object_set_new(st, "dateline", json_string(b.data));
	if ((exp = json_string_value(json_object_get(st, "expires_on"))) !=
	    NULL) {
		us_buf_reset(&b);
		us_i18n_date(&b, lang, exp);
		json_object_set_new(st, "expires_text", json_string(b.data));
	}
	/* The public changelog's days (UTC). */
	json_array_foreach(json_object_get(st, "versions"), i, v) {
		us_buf_reset(&b);
		us_i18n_date(&b, lang, json_string_value(json_object_get(v,
		    "created_at")));
		json_object_set_new(v, "created_text", json_string(b.data));
	}
	us_buf_free(&b);
}

/*
 * The signing deadline as a sentence in lang: "{date}", "{time}" and
 * "{zone}" in msgid become the deadline's day and wall-clock time in the
 * statement's zone, and the zone's name, so nobody has to guess whose
 * midnight it is.  Expanded here, never through printf.
 */
static void
model_deadline(json_t *st, const char *lang)
{
	const char	*local, *zone, *p;
	struct us_buf	 b;
	int		 passed;

	local = json_string_value(json_object_get(st, "deadline_local"));
	zone = json_string_value(json_object_get(st, "deadline_zone"));
	if (local == NULL || strlen(local) != 16 || zone == NULL)
		return;
	passed = json_is_true(json_object_get(st, "deadline_passed"));
	p = passed ? us_i18n(lang, "The signing deadline has passed: signing "
	    "closed on {date} at {time} ({zone}).") :
	    us_i18n(lang, "Signing closes on {date} at {time} ({zone}).");
	us_buf_init(&b);
	while (*p != '\0') {
		if (strncmp(p, "{date}", 6) == 0) {
			us_i18n_date(&b, lang, local);
			p += 6;
		} else if (strncmp(p, "{time}", 6) == 0) {
			us_buf_puts(&b, local + 11);
			p += 6;
		} else if (strncmp(p, "{zone}", 6) == 0) {
			us_buf_puts(&b, zone);
			p += 6;
		} else
			us_buf_putc(&b, *p++);
	}
	json_object_set_new(st, passed ? "status_text" : "deadline_text",
	    json_string(b.data));
	us_buf_free(&b);
}

/* The sentences around the list, in words people read. */
static void
model_counts(json_t *st, const char *lang)
{
	json_int_t	total, unnamed, countries;
	struct us_buf	b;

	us_buf_init(&b);
	total = json_integer_value(json_object_get(st, "signature_count"));
	unnamed = json_integer_value(json_object_get(st, "unnamed_count"));
	countries = json_integer_value(json_object_get(st, "country_count"));
	if (total == 0)
		us_buf_puts(&b, us_i18n(lang, "No organisation has signed yet."));
	else {
		us_page_words(&b, lang, US_NN_("{n} organisation",
		    "{n} organisations"), (unsigned long)total);
		us_buf_putc(&b, ' ');
		/* Named countries only: none when all signed unnamed. */
		if (countries > 0) {
			us_page_words(&b, lang, US_NN_("from {n} country",
			    "from {n} countries"), (unsigned long)countries);
			us_buf_putc(&b, ' ');
		}
		us_page_words(&b, lang, US_NN_("has signed.", "have signed."),
		    (unsigned long)total);
	}
	json_object_set_new(st, "count_text", json_string(b.data));
	if (unnamed > 0) {
		us_buf_reset(&b);
		us_page_words(&b, lang, US_NN_("and {n} organisation that cannot "
		    "be named for its safety", "and {n} organisations that "
		    "cannot be named for their safety"), (unsigned long)unnamed);
		json_object_set_new(st, "unnamed_text", json_string(b.data));
	}
	us_buf_free(&b);
}

/* "ACRONYM, Country" after each name, as such lists are printed. */
static void
model_labels(json_t *list, const char *lang)
{
	json_t		*s;
	const char	*acr, *cname, *c2;
	char		 detail[400];
	size_t		 i;

	json_array_foreach(list, i, s) {
		acr = json_string_value(json_object_get(s, "acronym"));
		cname = json_string_value(json_object_get(s, "country")) != NULL ?
		    us_country_name_in(json_string_value(json_object_get(s,
		    "country")), lang) : NULL;
		c2 = json_string_value(json_object_get(s, "country2")) != NULL ?
		    us_country_name_in(json_string_value(json_object_get(s,
		    "country2")), lang) : NULL;
		(void)snprintf(detail, sizeof(detail), "%s%s%s%s%s",
		    acr != NULL ? acr : "", acr != NULL && cname != NULL ?
		    ", " : "", cname != NULL ? cname : "",
		    c2 != NULL ? ", " : "", c2 != NULL ? c2 : "");
		if (detail[0] != '\0')
			json_object_set_new(s, "detail", json_string(detail));
		if (cname != NULL)
			json_object_set_new(s, "country_name",
			    json_string(cname));
	}
}

/* Labels, notices and share metadata that the template prints as is. */
static void
model_text(json_t *st, const char *lang)
{
	static const struct {
		const char	*kind;
		const char	*label;
	} kinds[] = {
		{ "joint_statement", US_N_("Joint statement") },
		{ "open_letter", US_N_("Open letter") },
		{ "urgent_action", US_N_("Urgent action") },
	};
	const char	*kind, *status, *note = NULL;
	size_t		 i;

	kind = json_string_value(json_object_get(st, "kind"));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, kind) == 0)
			json_object_set_new(st, "kind_label",
			    json_string(us_i18n(lang, kinds[i].label)));
	}
	status = json_string_value(json_object_get(st, "status"));
	if (strcmp(status, "published") == 0)
		note = US_N_("This statement is published. Signing is closed.");
	else if (strcmp(status, "closed") == 0)
		note = US_N_("Signing is closed.");
	else if (strcmp(status, "draft") == 0)
		note = US_N_("This is a draft, seen through a preview link.");
	if (note != NULL)
		json_object_set_new(st, "status_text",
		    json_string(us_i18n(lang, note)));
	json_object_set_new(st, "has_addressees", json_boolean(
	    json_array_size(json_object_get(st, "addressees")) > 0));
	json_object_set_new(st, "has_signatures", json_boolean(
	    json_array_size(json_object_get(st, "signatures")) > 0));

	us_page_share(st, lang);
}

/*
 * The language versions a reader can switch to; the sign form binds to
 * the current one.
 */
static void
model_text_versions(json_t *st, json_t *tr)
{
	json_t		*versions, *t;
	const char	*cur;
	size_t		 i;

	cur = json_string_value(json_object_get(st, "lang"));
	versions = json_array();
	json_array_append_new(versions, json_pack("{s:O, s:b}", "lang",
	    json_object_get(st, "base_lang"), "current", strcmp(cur,
	    json_string_value(json_object_get(st, "base_lang"))) == 0));
	json_array_foreach(json_object_get(st, "translations"), i, t) {
		json_array_append_new(versions, json_pack("{s:O, s:b}",
		    "lang", json_object_get(t, "lang"), "current",
		    strcmp(cur, json_string_value(json_object_get(t, "lang"))) ==
		    0));
	}
	json_object_set_new(st, "text_versions", versions);
	json_object_set_new(st, "has_text_versions",
	    json_boolean(json_array_size(versions) > 1));
	(void)tr;
}

/*
 * The language version to show: the one asked for by ?text= or by the
 * form it was signed with; else, among the statement's own language and
 * its versions, the reader's choice (?lang=, cookie) and then the
 * browser's preference, as for the UI; else the statement's language.
 */
static const char *
model_pick_text(json_t *st, const struct us_req *r, const char *text_lang)
{
	const char	*v[US_PAGE_VERSIONS_MAX];
	json_t		*t;
	size_t		 i, n = 0;
	int		 k;

	if (text_lang != NULL && *text_lang != '\0')
		return (text_lang);
	v[n++] = json_string_value(json_object_get(st, "lang"));
	json_array_foreach(json_object_get(st, "translations"), i, t) {
		if (n == US_PAGE_VERSIONS_MAX)
			break;
		v[n++] = json_string_value(json_object_get(t, "lang"));
	}
	k = us_i18n_choose(r->accept_lang, r->lang_choice, v, n);
	return (k > 0 ? v[k] : NULL);
}

/*
 * The embargo in the one format people read (core/when.c), while it
 * holds; once passed, nothing says "embargo" any more.
 */
void
us_page_embargo_text(json_t *st, const char *lang)
{
	struct us_buf	b;

	if (!json_is_true(json_object_get(st, "embargo_active")))
		return;
	us_buf_init(&b);
	if (us_when_text(&b, lang, json_string_value(json_object_get(st,
	    "embargo_local")), json_string_value(json_object_get(st,
	    "embargo_timezone"))))
		json_object_set_new(st, "embargo_text", json_string(b.data));
	us_buf_free(&b);
}

/*
 * What a statement page shows: the statement, its counts in words and
 * the public list.  Runs in the task thread; only core/ and db/ calls.
 * coord is 0 for the public, -1 for an embargo preview.
 */
json_t *
us_page_statement_model(struct us_db *db, const char *slug, long long coord,
    const struct us_req *r, const char *text_lang, struct us_error *err)
{
	json_t		*st, *tr = NULL;
	const char	*status, *ui_lang = r->lang;

	if ((st = us_db_stmt_get(db, slug, coord, err)) == NULL)
		return (NULL);
	json_object_set(st, "base_lang", json_object_get(st, "lang"));
	text_lang = model_pick_text(st, r, text_lang);
	if (text_lang != NULL && strcmp(text_lang,
	    json_string_value(json_object_get(st, "lang"))) != 0) {
		if ((tr = us_db_translation(db, slug, text_lang, err)) == NULL &&
		    err->kind != US_E_NONE) {
			json_decref(st);
			return (NULL);
		}
		if (tr != NULL) {
			const char	*k;
			json_t		*v;

			/* A press field it lacks stays the statement's. */
			json_object_foreach(tr, k, v)
				if (!json_is_null(v))
					json_object_set(st, k, v);
			json_decref(tr);
		}
	}
	us_page_embargo_text(st, ui_lang);
	/* us_db_stmt_get() has already decided who may see this status. */
	if (!us_page_list(db, st, slug, coord == 0, r, ui_lang, err)) {
		json_decref(st);
		return (NULL);
	}
	model_labels(json_object_get(st, "signatures"), ui_lang);
	model_dateline(st, ui_lang);
	model_counts(st, ui_lang);
	if (strcmp(json_string_value(json_object_get(st, "status")), "open") ==
	    0)
		model_deadline(st, ui_lang);
	model_text_versions(st, tr);
	status = json_string_value(json_object_get(st, "status"));
	json_object_set_new(st, "open", json_boolean(strcmp(status, "open") ==
	    0 && !json_is_true(json_object_get(st, "deadline_passed")) &&
	    coord != -1));
	json_object_set_new(st, "is_urgent_action", json_boolean(strcmp(
	    json_string_value(json_object_get(st, "kind")),
	    "urgent_action") == 0));
	json_object_set_new(st, "has_versions", json_boolean(
	    json_array_size(json_object_get(st, "versions")) > 1));
	model_text(st, ui_lang);
	us_page_act_model(st, slug, ui_lang);
	/* Reports of actions taken and delivery: page_action.c. */
	if (!us_page_actions(db, st, slug, ui_lang, err)) {
		json_decref(st);
		return (NULL);
	}
	return (st);
}

struct country_choice {
	const char	*code;
	const char	*name;
	char		*key;
};

static int
country_choice_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct country_choice *)a)->key,
	    ((const struct country_choice *)b)->key));
}

/*
 * The country choices of the sign form in the reader's language, in that
 * language's order (case-folded names compare in alphabetical order for
 * Latin and Cyrillic alike), the chosen one selected.
 */
json_t *
us_page_countries(const char *selected, const char *lang)
{
	const struct us_country	*c;
	struct country_choice	*v;
	json_t			*list;
	size_t			 i, n;

	n = us_country_count();
	v = us_calloc(n, sizeof(*v));
	for (i = 0; i < n && (c = us_country_at(i)) != NULL; i++) {
		v[i].code = c->alpha2;
		v[i].name = us_country_name_in(c->alpha2, lang);
		v[i].key = us_country_key(v[i].name);
	}
	qsort(v, n, sizeof(*v), country_choice_cmp);
	list = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "code", v[i].code, "name", v[i].name, "selected",
		    selected != NULL && strcmp(selected, v[i].code) == 0));
		free(v[i].key);
	}
	free(v);
	return (list);
}

/*
 * What the sign form shows: the values as typed (so nothing is lost on
 * an error) and each error next to its field.
 */
void
us_page_form_state(json_t *model, const struct us_fields *typed,
    const struct us_errlist *errs, const char *lang)
{
	json_t		*form, *errors, *summary;
	struct us_buf	 msg;
	const char	*vis, *country;
	size_t		 i;

	form = json_object();
	for (i = 0; typed != NULL && i < typed->n; i++)
		json_object_set_new(form, typed->v[i].name,
		    json_stringn_nocheck(typed->v[i].value, typed->v[i].len));
	vis = typed != NULL ? us_fields_get(typed, "visibility") : NULL;
	json_object_set_new(form, "counted", json_boolean(vis != NULL &&
	    strcmp(vis, "counted") == 0));
	country = typed != NULL ? us_fields_get(typed, "country") : NULL;
	json_object_set_new(model, "countries", us_page_countries(
	    country != NULL && us_country_find(country) != NULL ?
	    us_country_find(country)->alpha2 : NULL, lang));
	country = typed != NULL ? us_fields_get(typed, "country2") : NULL;
	json_object_set_new(model, "countries2", us_page_countries(
	    country != NULL && us_country_find(country) != NULL ?
	    us_country_find(country)->alpha2 : NULL, lang));

	errors = json_object();
	summary = json_array();
	us_buf_init(&msg);
	for (i = 0; errs != NULL && i < errs->n; i++) {
		us_buf_reset(&msg);
		us_errmsg(&msg, lang, &errs->v[i]);
		json_object_set_new(errors, errs->v[i].field[0] != '\0' ?
		    errs->v[i].field : "form", json_string(msg.data));
		json_array_append_new(summary, json_pack("{s:s, s:s}", "field",
		    errs->v[i].field[0] != '\0' ? errs->v[i].field : "form",
		    "message", msg.data));
	}
	us_buf_free(&msg);
	json_object_set_new(model, "form", form);
	json_object_set_new(model, "has_errors", json_boolean(errs != NULL &&
	    errs->n > 0));
	json_object_set_new(model, "errors", errors);
	json_object_set_new(model, "error_summary", summary);
}
