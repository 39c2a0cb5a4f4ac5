#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/import.h"
#include "core/multipart.h"
#include "http/http.h"

/*
 * Importing signatories collected elsewhere: a pasted numbered list or a
 * CSV file.  Every line is either understood (and shown so before
 * anything is stored), flagged (a guess, a duplicate), or reported with
 * the reason, never dropped.  Reading is core/import*.c, storing
 * db/import.c; this file carries the request there and formats the
 * report.
 */

#define IMPORT_MAX	(4 * 1024 * 1024)
#define IMPORT_LINES_MAX 10000	/* organisations (and unread lines) */

/* The preview form's fields sorted by name, for lookups by name. */
struct form_index {
	const struct us_field	**v;
	size_t			  n;
};

struct import {
	char		*text;
	size_t		 len;
	int		 csv;
	int		 commit;
	int		 moderation;	/* imported rows wait for approval */
	int		 duplicates;	/* API: import duplicates too */
};

static void	 import_free(void *);
static json_t	*note(size_t, const char *, const char *);
static void	 countries_text(struct us_buf *, const struct us_fields *,
		    const char *);
static int	 form_cmp(const void *, const void *);
static void	 form_index(struct form_index *, const struct us_fields *);
static const char *form_get(const struct form_index *, const char *);
static const char *changed(const struct form_index *, const char *,
		    const char *);
static void	 import_corrections(struct us_import *, const char *,
		    const struct us_fields *, const char *);
static int	 import_run(struct us_db *, struct us_req *,
		    struct us_import *);
static json_t	*report(const struct us_import *);
static json_t	*preview_lines(const struct us_import *, const char *,
		    json_t *);
static int	 flag(const struct us_fields *, const char *);
static int	 line_cmp(const void *, const void *);
static void	 sort_by_line(json_t *);
static struct import *import_from_form(const struct us_fields *);

static void
import_free(void *p)
{
	struct import	*im = p;

	if (im == NULL)
		return;
	free(im->text);
	free(im);
}

static json_t *
note(size_t line, const char *text, const char *reason)
{
	return (json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line, "text",
	    text != NULL ? text : "", "reason", reason));
}

static int
line_cmp(const void *a, const void *b)
{
	json_int_t	x, y;

	x = json_integer_value(json_object_get(*(json_t *const *)a, "line"));
	y = json_integer_value(json_object_get(*(json_t *const *)b, "line"));
	if (x != y)
		return (x < y ? -1 : 1);
	return (strcmp(json_string_value(json_object_get(*(json_t *const *)a,
	    "reason")), json_string_value(json_object_get(*(json_t *const *)b,
	    "reason"))));
}

/* Rejects come from the parser and from the list: in input order. */
static void
sort_by_line(json_t *list)
{
	json_t	**v;
	size_t	  i, n;

	n = json_array_size(list);
	v = us_calloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof(*v), line_cmp);
	json_array_clear(list);
	for (i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
}

/* A form or query value "1", "yes" or "on". */
static int
flag(const struct us_fields *f, const char *name)
{
	const char	*v = us_fields_get(f, name);

	return (v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "true") == 0));
}

/* "Germany, Switzerland" in the reader's language, as a row's input. */
static void
countries_text(struct us_buf *b, const struct us_fields *f, const char *lang)
{
	const char	*c;

	us_buf_reset(b);
	if ((c = us_fields_get(f, "country")) != NULL)
		us_buf_puts(b, us_country_name_in(c, lang));
	if ((c = us_fields_get(f, "country2")) != NULL)
		us_buf_appendf(b, ", %s", us_country_name_in(c, lang));
}

static int
form_cmp(const void *a, const void *b)
{
	return (strcmp((*(const struct us_field *const *)a)->name,
	    (*(const struct us_field *const *)b)->name));
}

/*
 * A form of a long list has thousands of fields: sorted once, each
 * lookup is a binary search rather than a walk through all of them.
 */
static void
form_index(struct form_index *ix, const struct us_fields *f)
{
	size_t	i;

	ix->n = f->n;
	ix->v = us_calloc(f->n + 1, sizeof(*ix->v));
	for (i = 0; i < f->n; i++)
		ix->v[i] = &f->v[i];
	qsort(ix->v, ix->n, sizeof(*ix->v), form_cmp);
}

/* The first value of name, or NULL. */
static const char *
form_get(const struct form_index *ix, const char *name)
{
	size_t	lo = 0, hi = ix->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->v[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->n && strcmp(ix->v[lo]->name, name) == 0)
		return (ix->v[lo]->value);
	return (NULL);
}

/* The form's value of name when it differs from what was shown, or NULL. */
static const char *
changed(const struct form_index *ix, const char *name, const char *shown)
{
	const char	*v;

	if ((v = form_get(ix, name)) == NULL)
		return (NULL);
	return (strcmp(v, shown != NULL ? shown : "") != 0 ? v : NULL);
}

/*
 * The coordinator's corrections from the preview form, one set of
 * fields per line shown ("shown_N", "keep_N", "name_N", "acronym_N",
 * "countries_N").  They apply only to the text they were made on: the
 * form carries that text's digest.
 */
static void
import_corrections(struct us_import *imp, const char *digest,
    const struct us_fields *form, const char *lang)
{
	struct shown {
		size_t	 line;
		char	*name;		/* NULL: the line was not read */
		char	*acronym;
		char	*countries;
	}				*v;
	struct form_index		 ix;
	struct us_buf			 b;
	const struct us_fields		*f;
	const char			*d, *k, *a;
	char				 key[48];
	size_t				 i, n = 0;
	int				 keep;

	d = us_fields_get(form, "digest");
	if (d == NULL || strcmp(d, digest) != 0)
		return;
	/* What each line gave, copied: a correction may move the rows. */
	v = us_calloc(imp->nrows + imp->nrejects + 1, sizeof(*v));
	us_buf_init(&b);
	for (i = 0; i < imp->nrows; i++, n++) {
		f = &imp->rows[i].fields;
		countries_text(&b, f, lang);
		v[n].line = imp->rows[i].line;
		v[n].name = us_strdup(us_fields_get(f, "organisation") != NULL ?
		    us_fields_get(f, "organisation") : "");
		a = us_fields_get(f, "acronym");
		v[n].acronym = us_strdup(a != NULL ? a : "");
		v[n].countries = us_strdup(b.data != NULL ? b.data : "");
	}
	for (i = 0; i < imp->nrejects; i++, n++)
		v[n].line = imp->rejects[i].line;
	form_index(&ix, form);
	for (i = 0; i < n; i++) {
		(void)snprintf(key, sizeof(key), "shown_%zu", v[i].line);
		if (form_get(&ix, key) == NULL)
			continue;
		(void)snprintf(key, sizeof(key), "keep_%zu", v[i].line);
		k = form_get(&ix, key);
		keep = k != NULL && strcmp(k, "1") == 0 ? US_IMPORT_KEEP_YES :
		    US_IMPORT_KEEP_NO;
		(void)snprintf(key, sizeof(key), "name_%zu", v[i].line);
		d = changed(&ix, key, v[i].name);
		(void)snprintf(key, sizeof(key), "acronym_%zu", v[i].line);
		a = changed(&ix, key, v[i].acronym);
		(void)snprintf(key, sizeof(key), "countries_%zu", v[i].line);
		(void)us_import_fix(imp, v[i].line, d, a, changed(&ix, key,
		    v[i].countries), keep);
	}
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].acronym);
		free(v[i].countries);
	}
	free(v);
	free(ix.v);
	us_buf_free(&b);
}

/* Read, correct, validate, compare with the list, and store on commit. */
static int
import_run(struct us_db *db, struct us_req *r, struct us_import *imp)
{
	struct import	*im = r->in;
	char		 digest[US_IMPORT_DIGEST_HEX];
	size_t		 i;
	int		 imported;

	memset(imp, 0, sizeof(*imp));
	if (im->csv ? !us_import_csv(imp, im->text, im->len, &r->err) :
	    !us_import_list(imp, im->text, im->len))
		return (US_FAIL);
	if (imp->nrows + imp->nrejects > IMPORT_LINES_MAX)
		return (us_error_set(&r->err, US_E_TOOLARGE, "text",
		    "too_many_lines", "The list has %zu lines with text; an "
		    "import takes at most %d. Import it in parts.",
		    imp->nrows + imp->nrejects, IMPORT_LINES_MAX));
	us_import_digest(im->text, im->len, digest);
	import_corrections(imp, digest, &r->fields, r->lang);
	if (im->duplicates) {
		for (i = 0; i < imp->nrows; i++)
			imp->rows[i].keep = US_IMPORT_KEEP_YES;
	}
	us_import_validate(imp);
	if (!us_db_import(db, r->params[0], r->coord, imp, im->commit,
	    im->moderation, &imported, &r->err))
		return (US_FAIL);
	r->out = json_pack("{s:s, s:s, s:b, s:b}", "slug", r->params[0],
	    "digest", digest, "committed", im->commit, "moderation",
	    im->moderation);
	if (im->commit)
		json_object_set_new(r->out, "imported", json_integer(imported));
	return (US_OK);
}

/*
 * The report of a stored import: lines not imported in "rejected" (a
 * duplicate with reason "duplicate" and what it repeats), lines imported
 * with a guess or despite a duplicate in "warnings".  Rows the
 * coordinator left out are in neither.
 */
static json_t *
report(const struct us_import *imp)
{
	const struct us_import_row	*row;
	json_t				*rej, *warn, *o;
	size_t				 i;
	int				 in;

	rej = json_array();
	warn = json_array();
	for (i = 0; i < imp->nrejects; i++)
		json_array_append_new(rej, note(imp->rejects[i].line,
		    imp->rejects[i].text, imp->rejects[i].reason));
	for (i = 0; i < imp->nrows; i++) {
		row = &imp->rows[i];
		in = row->stored;
		if (!in && row->dup_of == NULL)
			continue;
		if (row->dup_of != NULL) {
			o = note(row->line, row->text, "duplicate");
			json_object_set_new(o, "duplicate_of",
			    json_string(row->dup_of));
			if (row->dup_line > 0)
				json_object_set_new(o, "duplicate_line",
				    json_integer((json_int_t)row->dup_line));
			json_array_append_new(in ? warn : rej, o);
		}
		if (in && row->warning[0] != '\0')
			json_array_append_new(warn, note(row->line, row->text,
			    row->warning));
	}
	sort_by_line(rej);
	sort_by_line(warn);
	return (json_pack("{s:o, s:o}", "rejected", rej, "warnings", warn));
}

/*
 * The preview: every line in the order of the input, each with what it
 * gave and the inputs to correct it; and the counts the summary shows.
 */
static json_t *
preview_lines(const struct us_import *imp, const char *lang, json_t *sum)
{
	const struct us_import_row	*row;
	struct us_buf			 b;
	json_t				*lines, *o, **byline;
	size_t				 i, j, n, maxline = 0;
	json_int_t			 ok = 0, guess = 0, dup = 0, left = 0;

	for (i = 0; i < imp->nrows; i++)
		maxline = imp->rows[i].line > maxline ? imp->rows[i].line :
		    maxline;
	for (i = 0; i < imp->nrejects; i++)
		maxline = imp->rejects[i].line > maxline ?
		    imp->rejects[i].line : maxline;
	byline = us_calloc(maxline + 1, sizeof(*byline));
	us_buf_init(&b);
	for (i = 0; i < imp->nrows; i++) {
		row = &imp->rows[i];
		countries_text(&b, &row->fields, lang);
		o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:b, s:b}",
		    "line", (json_int_t)row->line, "text", row->text,
		    "name", us_fields_get(&row->fields, "organisation"),
		    "acronym", us_fields_get(&row->fields, "acronym"),
		    "countries", b.data != NULL ? b.data : "",
		    "email", us_fields_get(&row->fields, "email"),
		    "keep", us_import_wanted(row), "fixed", row->fixed);
		if (row->warning[0] != '\0')
			json_object_set_new(o, "warning",
			    json_string(row->warning));
		if (row->dup_of != NULL) {
			json_object_set_new(o, "duplicate_of",
			    json_string(row->dup_of));
			if (row->dup_line > 0)
				json_object_set_new(o, "duplicate_line",
				    json_integer((json_int_t)row->dup_line));
			dup++;
		}
		if (us_import_wanted(row)) {
			ok++;
			if (row->warning[0] != '\0' || row->dup_of != NULL)
				guess++;
		} else if (row->keep == US_IMPORT_KEEP_NO &&
		    row->dup_of == NULL) {
			/* A duplicate unticked is counted as a duplicate. */
			json_object_set_new(o, "left_out", json_true());
			left++;
		}
		byline[row->line] = o;
	}
	for (i = 0; i < imp->nrejects; i++)
		byline[imp->rejects[i].line] = json_pack("{s:I, s:s, s:s, s:b}",
		    "line", (json_int_t)imp->rejects[i].line, "text",
		    imp->rejects[i].text, "rejected", imp->rejects[i].reason,
		    "keep", 0);
	lines = json_array();
	for (j = 0, n = 0; j <= maxline; j++) {
		if (byline[j] != NULL) {
			json_array_append_new(lines, byline[j]);
			n++;
		}
	}
	free(byline);
	us_buf_free(&b);
	json_object_set_new(sum, "to_import", json_integer(ok));
	json_object_set_new(sum, "to_check", json_integer(guess));
	json_object_set_new(sum, "duplicates", json_integer(dup));
	json_object_set_new(sum, "left_out", json_integer(left));
	json_object_set_new(sum, "unread", json_integer(
	    (json_int_t)imp->nrejects));
	json_object_set_new(sum, "lines", json_integer((json_int_t)n));
	return (lines);
}

/*
 * POST /api/v1/statements/{slug}/signatures/import: text/csv is a CSV
 * file, anything else a pasted list.  ?moderation=1 leaves the rows for
 * approval; ?duplicates=import imports duplicates too (as warnings).
 */
int
us_import_api_prepare(struct http_request *req, struct us_req *r)
{
	struct import		*im;
	struct us_fields	 q;
	struct us_buf		 b;
	const char		*type, *d;

	us_fields_init(&q);
	if (req->query_string != NULL && !us_form_parse(&q, req->query_string,
	    strlen(req->query_string), &r->err)) {
		us_fields_free(&q);
		us_http_error(req, r, &r->err);
		return (US_HTTP_DONE);
	}
	d = us_fields_get(&q, "duplicates");
	if (d != NULL && strcmp(d, "import") != 0 && strcmp(d, "skip") != 0) {
		us_fields_free(&q);
		us_http_fail(req, r, US_E_INVALID, "duplicates",
		    "invalid_choice", "duplicates must be \"skip\" (the "
		    "default) or \"import\".");
		return (US_HTTP_DONE);
	}
	us_buf_init(&b);
	if (!us_http_body(req, r, IMPORT_MAX, &b)) {
		us_buf_free(&b);
		us_fields_free(&q);
		return (US_HTTP_DONE);
	}
	im = us_calloc(1, sizeof(*im));
	im->len = b.len;
	im->text = us_buf_release(&b);
	im->csv = http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "text/csv", 8) == 0;
	im->commit = 1;
	im->moderation = flag(&q, "moderation");
	im->duplicates = d != NULL && strcmp(d, "import") == 0;
	us_fields_free(&q);
	r->in = im;
	r->in_free = import_free;
	return (US_HTTP_WORK);
}

int
us_import_api_work(struct us_db *db, struct us_req *r)
{
	struct us_import	imp;
	json_t			*rep;
	int			 ok;

	if ((ok = import_run(db, r, &imp)) == US_OK) {
		rep = report(&imp);
		json_object_update(r->out, rep);
		json_decref(rep);
	}
	us_import_free(&imp);
	return (ok);
}

void
us_import_api_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = json_pack("{s:O, s:O, s:O}", "imported", json_object_get(r->out,
	    "imported"), "rejected", json_object_get(r->out, "rejected"),
	    "warnings", json_object_get(r->out, "warnings"));
	us_http_json(req, HTTP_STATUS_OK, doc);
	json_decref(doc);
}

/* GET /w/s/{slug}/import */
int
us_ws_import_form_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_ws_own(db, r->params[0], r->coord, NULL, NULL, &r->err))
		return (US_FAIL);
	r->out = json_pack("{s:s, s:s}", "slug", r->params[0], "page_title",
	    "Import signatories");
	return (US_OK);
}

/*
 * POST /w/s/{slug}/import (multipart: a pasted list in "text" or a CSV
 * in "file"; or a form): action=preview shows what each line gave,
 * action=import stores it.  The preview carries the input and the
 * coordinator's corrections on to the import.  A large upload is parsed
 * in work, once the session is known (body.c).
 */
int
us_ws_import_prepare(struct http_request *req, struct us_req *r)
{
	return (us_http_body_form(req, r, IMPORT_MAX) ? US_HTTP_WORK :
	    US_HTTP_DONE);
}

/* The list to import and the coordinator's choices, from the form. */
static struct import *
import_from_form(const struct us_fields *f)
{
	struct import		*im;
	const struct us_field	*file, *text;
	const char		*format, *action;

	im = us_calloc(1, sizeof(*im));
	file = us_fields_find(f, "file");
	text = us_fields_find(f, "text");
	if (file != NULL && file->len > 0) {
		im->text = us_strndup(file->value, file->len);
		im->len = file->len;
		im->csv = 1;
	} else if (text != NULL) {
		im->text = us_strndup(text->value, text->len);
		im->len = text->len;
		format = us_fields_get(f, "format");
		im->csv = format != NULL && strcmp(format, "csv") == 0;
	} else {
		im->text = us_strdup("");
		im->len = 0;
	}
	action = us_fields_get(f, "action");
	im->commit = action != NULL && strcmp(action, "import") == 0;
	im->moderation = flag(f, "moderation");
	return (im);
}

int
us_ws_import_work(struct us_db *db, struct us_req *r)
{
	struct import		*im;
	struct us_import	 imp;
	json_t			*sum, *rep;
	int			 ok;

	im = import_from_form(&r->fields);
	r->in = im;
	r->in_free = import_free;
	if ((ok = import_run(db, r, &imp)) == US_OK) {
		sum = json_object();
		json_object_set_new(r->out, "lines", preview_lines(&imp,
		    r->lang, sum));
		json_object_set_new(r->out, "summary", sum);
		if (im->commit) {
			rep = report(&imp);
			json_object_update(r->out, rep);
			json_decref(rep);
		}
		json_object_set_new(r->out, "text", json_stringn_nocheck(
		    im->text, im->len));
		json_object_set_new(r->out, "format", json_string(im->csv ?
		    "csv" : "list"));
		json_object_set_new(r->out, "is_csv", json_boolean(im->csv));
		json_object_set_new(r->out, "previewed", json_boolean(
		    json_array_size(json_object_get(r->out, "lines")) > 0));
		json_object_set_new(r->out, "page_title",
		    json_string("Import signatories"));
	}
	us_import_free(&imp);
	return (ok);
}
