#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/escape.h"
#include "core/markdown.h"
#include "core/text.h"
#include "core/validate.h"
#include "http/http.h"

static void	model_dateline(json_t *);
static void	model_counts(json_t *);
static void	model_labels(json_t *);
static char	*model_date(const char *, char *, size_t);
static void	model_words(json_t *, const char *);

static char *
model_date(const char *iso, char *out, size_t len)
{
	static const char	*months[] = { "January", "February", "March",
				    "April", "May", "June", "July", "August",
				    "September", "October", "November",
				    "December" };
	int			 y, m, d;

	if (iso == NULL || !us_valid_date(iso) ||
	    sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
		return (NULL);
	(void)snprintf(out, len, "%d %s %d", d, months[m - 1], y);
	return (out);
}

/* "Bishkek, 10 December 2026" */
static void
model_dateline(json_t *st)
{
	const char	*place;
	char		 date[40], line[400], exp[40];

	place = json_string_value(json_object_get(st, "place"));
	if (model_date(json_string_value(json_object_get(st, "date")), date,
	    sizeof(date)) == NULL)
		date[0] = '\0';
	(void)snprintf(line, sizeof(line), "%s%s%s", place != NULL ? place : "",
	    place != NULL && date[0] != '\0' ? ", " : "", date);
	if (line[0] != '\0')
		json_object_set_new(st, "dateline", json_string(line));
	if (model_date(json_string_value(json_object_get(st, "expires_on")),
	    exp, sizeof(exp)) != NULL)
		json_object_set_new(st, "expires_text", json_string(exp));
}

/* The sentences around the list, in words people read. */
static void
model_counts(json_t *st)
{
	json_int_t	total, unnamed, countries;
	char		buf[200];

	total = json_integer_value(json_object_get(st, "signature_count"));
	unnamed = json_integer_value(json_object_get(st, "unnamed_count"));
	countries = json_integer_value(json_object_get(st, "country_count"));
	if (total == 0)
		(void)snprintf(buf, sizeof(buf), "No organisation has signed "
		    "yet.");
	else
		(void)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT
		    " organisation%s from %" JSON_INTEGER_FORMAT " countr%s "
		    "%s signed.", total, total == 1 ? "" : "s", countries,
		    countries == 1 ? "y" : "ies", total == 1 ? "has" : "have");
	json_object_set_new(st, "count_text", json_string(buf));
	if (unnamed > 0) {
		(void)snprintf(buf, sizeof(buf), "and %" JSON_INTEGER_FORMAT
		    " organisation%s that cannot be named for %s safety",
		    unnamed, unnamed == 1 ? "" : "s",
		    unnamed == 1 ? "its" : "their");
		json_object_set_new(st, "unnamed_text", json_string(buf));
	}
}

/* "ACRONYM, Country" after each name, as such lists are printed. */
static void
model_labels(json_t *list)
{
	json_t		*s;
	const char	*acr, *cname;
	char		 detail[400];
	size_t		 i;

	json_array_foreach(list, i, s) {
		acr = json_string_value(json_object_get(s, "acronym"));
		cname = us_country_name(json_string_value(json_object_get(s,
		    "country")));
		(void)snprintf(detail, sizeof(detail), "%s%s%s",
		    acr != NULL ? acr : "", acr != NULL && cname != NULL ?
		    ", " : "", cname != NULL ? cname : "");
		if (detail[0] != '\0')
			json_object_set_new(s, "detail", json_string(detail));
		if (cname != NULL)
			json_object_set_new(s, "country_name",
			    json_string(cname));
	}
}

/* Labels, notices and share metadata that the template prints as is. */
static void
model_words(json_t *st, const char *slug)
{
	static const struct {
		const char	*kind;
		const char	*label;
	} kinds[] = {
		{ "joint_statement", "Joint statement" },
		{ "open_letter", "Open letter" },
		{ "urgent_action", "Urgent action" },
	};
	const char	*kind, *status, *note = NULL;
	struct us_buf	 url;
	char		*lede;
	size_t		 i;

	kind = json_string_value(json_object_get(st, "kind"));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, kind) == 0)
			json_object_set_new(st, "kind_label",
			    json_string(kinds[i].label));
	}
	status = json_string_value(json_object_get(st, "status"));
	if (strcmp(status, "published") == 0)
		note = "This statement is published. Signing is closed.";
	else if (strcmp(status, "closed") == 0)
		note = "Signing is closed.";
	else if (json_is_true(json_object_get(st, "deadline_passed")))
		note = "The signing deadline has passed.";
	if (note != NULL)
		json_object_set_new(st, "status_text", json_string(note));
	json_object_set_new(st, "has_addressees", json_boolean(
	    json_array_size(json_object_get(st, "addressees")) > 0));
	json_object_set_new(st, "has_signatures", json_boolean(
	    json_array_size(json_object_get(st, "signatures")) > 0));

	lede = us_md_first_paragraph(json_string_value(json_object_get(st,
	    "body_markdown")));
	lede[us_utf8_prefix(lede, 240)] = '\0';
	if (*lede != '\0')
		json_object_set_new(st, "share_description", json_string(lede));
	free(lede);
	us_buf_init(&url);
	us_buf_appendf(&url, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&url, slug);
	json_object_set_new(st, "canonical_url", json_string(url.data));
	us_buf_free(&url);
}

/*
 * What a statement page shows: the statement, its counts in words and
 * the public list.  Runs in the task thread; only core/ and db/ calls.
 */
json_t *
us_page_statement_model(struct us_db *db, const char *slug,
    struct us_error *err)
{
	json_t		*st, *list;
	const char	*status;

	if ((st = us_db_stmt_get(db, slug, 0, err)) == NULL)
		return (NULL);
	if ((list = us_db_sig_public(db, slug, err)) == NULL) {
		json_decref(st);
		return (NULL);
	}
	model_labels(list);
	json_object_set_new(st, "signatures", list);
	model_dateline(st);
	model_counts(st);
	status = json_string_value(json_object_get(st, "status"));
	json_object_set_new(st, "open", json_boolean(strcmp(status, "open") ==
	    0 && !json_is_true(json_object_get(st, "deadline_passed"))));
	json_object_set_new(st, "is_urgent_action", json_boolean(strcmp(
	    json_string_value(json_object_get(st, "kind")),
	    "urgent_action") == 0));
	model_words(st, slug);
	return (st);
}

/* The country choices of the sign form, the chosen one selected. */
json_t *
us_page_countries(const char *selected)
{
	const struct us_country	*c;
	json_t			*list;
	size_t			 i;

	list = json_array();
	for (i = 0; (c = us_country_at(i)) != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "code", c->alpha2, "name", c->name, "selected",
		    selected != NULL && strcmp(selected, c->alpha2) == 0));
	return (list);
}

/*
 * What the sign form shows: the values as typed (so nothing is lost on
 * an error) and each error next to its field.
 */
void
us_page_form_state(json_t *model, const struct us_fields *typed,
    const struct us_errlist *errs)
{
	json_t		*form, *errors, *summary;
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
	    us_country_find(country)->alpha2 : NULL));

	errors = json_object();
	summary = json_array();
	for (i = 0; errs != NULL && i < errs->n; i++) {
		json_object_set_new(errors, errs->v[i].field[0] != '\0' ?
		    errs->v[i].field : "form", json_string(errs->v[i].message));
		json_array_append_new(summary, json_pack("{s:s, s:s}", "field",
		    errs->v[i].field[0] != '\0' ? errs->v[i].field : "form",
		    "message", errs->v[i].message));
	}
	json_object_set_new(model, "form", form);
	json_object_set_new(model, "has_errors", json_boolean(errs != NULL &&
	    errs->n > 0));
	json_object_set_new(model, "errors", errors);
	json_object_set_new(model, "error_summary", summary);
}
