#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/import.h"
#include "core/multipart.h"
#include "core/sign.h"
#include "http/http.h"

/*
 * Importing signatories collected elsewhere: a pasted numbered list or a
 * CSV file.  Every line is either understood (and shown so before
 * anything is stored) or reported with the reason, never dropped.
 */

#define IMPORT_MAX	(4 * 1024 * 1024)

struct import {
	char		*text;
	size_t		 len;
	int		 csv;
};

struct import_tx {
	const char		*stmt;
	long long		 coord;
	struct us_fields	*rows;
	size_t			 nrows;
	json_t			*lines;		/* the rows' line numbers */
	json_t			*rejected;
	size_t			 nparsed;	/* rejects before the tx */
	int			 imported;
};

static void	import_free(void *);
static int	import_rows(struct us_req *, struct import *, json_t **,
		    json_t **, struct us_fields **, size_t *);
static int	import_tx(struct us_db *, void *, struct us_error *);
static json_t	*reject(size_t, const char *, const char *);
static int	import_run(struct us_db *, struct us_req *, struct import *,
		    int);
static int	line_cmp(const void *, const void *);
static void	sort_by_line(json_t *);

static int
line_cmp(const void *a, const void *b)
{
	json_int_t	x, y;

	x = json_integer_value(json_object_get(*(json_t *const *)a, "line"));
	y = json_integer_value(json_object_get(*(json_t *const *)b, "line"));
	return (x < y ? -1 : x > y);
}

/* Reports come from the parser and the rules: put them back in order. */
static void
sort_by_line(json_t *list)
{
	json_t	**v;
	size_t	  i, n;

	n = json_array_size(list);
	v = us_calloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof(*v), line_cmp);
	json_array_clear(list);
	for (i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
}

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
reject(size_t line, const char *text, const char *reason)
{
	return (json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line, "text",
	    text != NULL ? text : "", "reason", reason));
}

/*
 * Parses and validates; understood rows go to rows (clean fields) and
 * shown (for the preview), every other line to rejected.
 */
static int
import_rows(struct us_req *r, struct import *im, json_t **shown,
    json_t **rejected, struct us_fields **rows, size_t *nrows)
{
	struct us_import	 in;
	struct us_errlist	 errs;
	struct us_fields	 clean;
	json_t			*o;
	const char		*c;
	size_t			 i;

	memset(&in, 0, sizeof(in));
	if (im->csv ? !us_import_csv(&in, im->text, im->len, &r->err) :
	    !us_import_list(&in, im->text, im->len)) {
		us_import_free(&in);
		return (US_FAIL);
	}
	*shown = json_array();
	*rejected = json_array();
	*rows = us_calloc(in.nrows, sizeof(**rows));
	*nrows = 0;
	for (i = 0; i < in.nrejects; i++)
		json_array_append_new(*rejected, reject(in.rejects[i].line,
		    in.rejects[i].text, in.rejects[i].reason));
	for (i = 0; i < in.nrows; i++) {
		memset(&errs, 0, sizeof(errs));
		us_fields_init(&clean);
		if (!us_sign_validate_import(&in.rows[i].fields, &clean,
		    &errs)) {
			json_array_append_new(*rejected, reject(in.rows[i].line,
			    in.rows[i].text, errs.v[0].message));
			us_fields_free(&clean);
			continue;
		}
		o = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "line",
		    (json_int_t)in.rows[i].line, "organisation",
		    us_fields_get(&clean, "organisation"), "acronym",
		    us_fields_get(&clean, "acronym"), "email",
		    us_fields_get(&clean, "email"), "website",
		    us_fields_get(&clean, "website"));
		if ((c = us_fields_get(&clean, "country")) != NULL)
			json_object_set_new(o, "country", json_string(
			    us_country_name_in(c, r->lang)));
		if ((c = us_fields_get(&clean, "country2")) != NULL)
			json_object_set_new(o, "country2", json_string(
			    us_country_name_in(c, r->lang)));
		json_array_append_new(*shown, o);
		(*rows)[(*nrows)++] = clean;
	}
	/* Rejections in the order of the input. */
	sort_by_line(*rejected);
	us_import_free(&in);
	return (US_OK);
}

static int
import_tx(struct us_db *db, void *arg, struct us_error *err)
{
	struct import_tx	*t = arg;
	size_t			 i;
	int			 added;
	char			 n[32];

	/* A retried transaction starts over: drop the last try's rejects. */
	while (json_array_size(t->rejected) > t->nparsed)
		json_array_remove(t->rejected, t->nparsed);
	t->imported = 0;
	for (i = 0; i < t->nrows; i++) {
		if (!us_db_ws_add_signature(db, t->stmt, t->coord, &t->rows[i],
		    &added, err))
			return (US_FAIL);
		if (added)
			t->imported++;
		else
			json_array_append_new(t->rejected, reject((size_t)
			    json_integer_value(json_array_get(t->lines, i)),
			    us_fields_get(&t->rows[i], "organisation"),
			    "this email address has already signed"));
	}
	(void)snprintf(n, sizeof(n), "%d", t->imported);
	return (us_db_audit(db, t->stmt, t->coord, "imported", n, NULL, NULL,
	    err));
}

/* The whole import: parse, validate, and (commit) store in one go. */
static int
import_run(struct us_db *db, struct us_req *r, struct import *im, int commit)
{
	struct import_tx	 t;
	struct us_fields	*rows = NULL;
	json_t			*shown = NULL, *rejected = NULL, *lines, *o;
	size_t			 nrows = 0, i;
	char			 id[32], status[16];
	int			 ok = US_FAIL;

	if (!us_db_ws_own(db, r->params[0], r->coord, id, status, &r->err))
		goto done;
	if (commit && strcmp(status, "published") == 0) {
		us_error_set(&r->err, US_E_CONFLICT, NULL, "published",
		    "This statement is published: its list is frozen.");
		goto done;
	}
	if (!import_rows(r, im, &shown, &rejected, &rows, &nrows))
		goto done;
	r->out = json_pack("{s:O, s:O, s:I, s:s}", "rows", shown, "rejected",
	    rejected, "readable", (json_int_t)nrows, "slug", r->params[0]);
	if (commit) {
		lines = json_array();
		json_array_foreach(shown, i, o)
			json_array_append(lines, json_object_get(o, "line"));
		t.stmt = id;
		t.coord = r->coord;
		t.rows = rows;
		t.nrows = nrows;
		t.lines = lines;
		t.rejected = rejected;
		t.nparsed = json_array_size(rejected);
		ok = us_db_tx(db, import_tx, &t, &r->err);
		json_decref(lines);
		if (!ok)
			goto done;
		sort_by_line(rejected);
		json_object_set_new(r->out, "imported", json_integer(t.imported));
		json_object_set(r->out, "rejected", rejected);
	}
	ok = US_OK;
done:
	for (i = 0; i < nrows; i++)
		us_fields_free(&rows[i]);
	free(rows);
	json_decref(shown);
	json_decref(rejected);
	return (ok);
}

/*
 * POST /api/v1/statements/{slug}/signatures/import: text/csv is a CSV
 * file, anything else a pasted list.
 */
int
us_import_api_prepare(struct http_request *req, struct us_req *r)
{
	struct import	*im;
	struct us_buf	 b;
	const char	*type;

	us_buf_init(&b);
	if (!us_http_body(req, r, IMPORT_MAX, &b)) {
		us_buf_free(&b);
		return (US_HTTP_DONE);
	}
	im = us_calloc(1, sizeof(*im));
	im->len = b.len;
	im->text = us_buf_release(&b);
	im->csv = http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "text/csv", 8) == 0;
	r->in = im;
	r->in_free = import_free;
	return (US_HTTP_WORK);
}

int
us_import_api_work(struct us_db *db, struct us_req *r)
{
	return (import_run(db, r, r->in, 1));
}

void
us_import_api_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = json_pack("{s:O, s:O}", "imported", json_object_get(r->out,
	    "imported"), "rejected", json_object_get(r->out, "rejected"));
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
 * in "file"): action=preview shows what each line gave, action=import
 * stores it.  The preview carries the input on to the import.
 */
int
us_ws_import_prepare(struct http_request *req, struct us_req *r)
{
	struct import		*im;
	const struct us_field	*file, *text;
	struct us_buf		 b;
	const char		*type;

	us_buf_init(&b);
	if (!us_http_body(req, r, IMPORT_MAX, &b)) {
		us_buf_free(&b);
		return (US_HTTP_DONE);
	}
	if (!http_request_header(req, "content-type", &type))
		type = NULL;
	if (!(strncasecmp(type != NULL ? type : "", "multipart/", 10) == 0 ?
	    us_multipart_parse(&r->fields, type, b.data != NULL ? b.data : "",
	    b.len, &r->err) : us_form_parse(&r->fields, b.data != NULL ?
	    b.data : "", b.len, &r->err))) {
		us_buf_free(&b);
		us_http_error(req, r, &r->err);
		return (US_HTTP_DONE);
	}
	us_buf_free(&b);
	im = us_calloc(1, sizeof(*im));
	r->in = im;
	r->in_free = import_free;
	file = us_fields_find(&r->fields, "file");
	text = us_fields_find(&r->fields, "text");
	if (file != NULL && file->len > 0) {
		im->text = us_strndup(file->value, file->len);
		im->len = file->len;
		im->csv = 1;
	} else if (text != NULL) {
		im->text = us_strndup(text->value, text->len);
		im->len = text->len;
		im->csv = us_fields_get(&r->fields, "format") != NULL &&
		    strcmp(us_fields_get(&r->fields, "format"), "csv") == 0;
	} else {
		im->text = us_strdup("");
		im->len = 0;
	}
	return (US_HTTP_WORK);
}

int
us_ws_import_work(struct us_db *db, struct us_req *r)
{
	struct import	*im = r->in;
	const char	*action = us_fields_get(&r->fields, "action");
	int		 commit = action != NULL && strcmp(action, "import") == 0;

	if (!import_run(db, r, im, commit))
		return (US_FAIL);
	json_object_set_new(r->out, "text", json_stringn_nocheck(im->text,
	    im->len));
	json_object_set_new(r->out, "format", json_string(im->csv ? "csv" :
	    "list"));
	json_object_set_new(r->out, "committed", json_boolean(commit));
	json_object_set_new(r->out, "page_title",
	    json_string("Import signatories"));
	return (US_OK);
}
