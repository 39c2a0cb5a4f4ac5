#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/statement.h"
#include "http/http.h"

/* A statement's text can be long; anything past this is a mistake. */
#define STATEMENT_BODY_MAX	(1024 * 1024)

static void	stmt_input_free(void *);
static json_t	*stmt_ref(const char *);

static void
stmt_input_free(void *p)
{
	if (p == NULL)
		return;
	us_stmt_input_free(p);
	free(p);
}

static json_t *
stmt_ref(const char *slug)
{
	struct us_buf	 url;
	json_t		*doc;

	us_buf_init(&url);
	us_buf_appendf(&url, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&url, slug);
	doc = json_pack("{s:s, s:s}", "slug", slug, "url", url.data);
	us_buf_free(&url);
	return (doc);
}

/*
 * POST /api/v1/statements (created as a draft), and PATCH of a statement
 * and PUT of a language version (api_edit.c): the statement is validated
 * and its Markdown rendered in work, after the token check and off the
 * event loop.
 */
int
us_stmt_api_create_prepare(struct http_request *req, struct us_req *r)
{
	if (!us_http_body_json(req, r, STATEMENT_BODY_MAX))
		return (US_HTTP_DONE);
	r->in = us_calloc(1, sizeof(struct us_stmt_input));
	r->in_free = stmt_input_free;
	return (US_HTTP_WORK);
}

int
us_stmt_api_create_work(struct us_db *db, struct us_req *r)
{
	if (!us_stmt_parse(r->body, r->in, &r->errs)) {
		r->err = r->errs.v[0];
		return (US_FAIL);
	}
	return (us_db_stmt_create(db, r->in, r->coord, &r->err));
}

void
us_stmt_api_create_finish(struct http_request *req, struct us_req *r)
{
	struct us_stmt_input	*in = r->in;
	json_t			*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = stmt_ref(us_fields_get(&in->f, "slug"));
	http_response_header(req, "location",
	    json_string_value(json_object_get(doc, "url")));
	us_http_json(req, HTTP_STATUS_CREATED, doc);
	json_decref(doc);
}

/* POST /api/v1/statements/{slug}/status {"status": "open"} */
int
us_stmt_api_status_prepare(struct http_request *req, struct us_req *r)
{
	const char	*s;

	if (!us_http_body_json(req, r, US_BODY_SMALL_MAX))
		return (US_HTTP_DONE);
	if ((s = us_fields_get(&r->fields, "status")) == NULL ||
	    !us_stmt_valid_status(s) || strcmp(s, "draft") == 0) {
		us_http_fail(req, r, US_E_INVALID, "status", "invalid_status",
		    "status must be \"open\", \"closed\" or \"published\".");
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

int
us_stmt_api_status_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_stmt_set_status(db, r->params[0],
	    us_fields_get(&r->fields, "status"), r->coord, &r->err))
		return (US_FAIL);
	r->out = us_db_stmt_get(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

void
us_stmt_api_status_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = stmt_ref(r->params[0]);
	json_object_set(doc, "status", json_object_get(r->out, "status"));
	us_http_json(req, HTTP_STATUS_OK, doc);
	json_decref(doc);
}

/* GET /api/v1/statements/{slug}: public unless a draft. */
int
us_stmt_api_get_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_stmt_get(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

void
us_stmt_api_get_finish(struct http_request *req, struct us_req *r)
{
	json_t	*ref;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	ref = stmt_ref(r->params[0]);
	json_object_set(r->out, "url", json_object_get(ref, "url"));
	json_decref(ref);
	us_http_json(req, HTTP_STATUS_OK, r->out);
}
