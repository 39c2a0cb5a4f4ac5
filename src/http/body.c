#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/multipart.h"
#include "http/http.h"

/*
 * Request bodies: a cap per route (413 past it), and no parsing for a
 * stranger.  On a route that needs a Bearer token or a workspace session,
 * a body larger than US_BODY_PREAUTH_MAX is kept raw and parsed in the
 * task thread only once the token or session has been checked (job.c),
 * so an anonymous client cannot make the server work through a large
 * form or JSON document.  Smaller bodies cost little and are parsed at
 * once, as on public routes.
 */

static int	body_deferred(const struct us_req *, size_t);
static int	body_json(struct us_req *);
static int	body_form(struct us_req *);
static int	body_take(struct http_request *, struct us_req *, size_t,
		    int (*)(struct us_req *));

/*
 * Reads the body, refusing more than max bytes with 413.  Returns US_FAIL
 * after answering.
 */
int
us_http_body(struct http_request *req, const struct us_req *r, size_t max,
    struct us_buf *out)
{
	char	chunk[8192];
	ssize_t	n;

	if (req->content_length > max)
		goto large;
	for (;;) {
		if ((n = http_body_read(req, chunk, sizeof(chunk))) == -1) {
			us_http_fail(req, r, US_E_MALFORMED, NULL, "bad_body",
			    "The request body could not be read.");
			return (US_FAIL);
		}
		if (n == 0)
			break;
		us_buf_append(out, chunk, (size_t)n);
		if (out->len > max)
			goto large;
	}
	return (US_OK);
large:
	{
		char	msg[160];

		(void)snprintf(msg, sizeof(msg), "The request body is too "
		    "large: at most %zu bytes are accepted here.", max);
		us_http_fail(req, r, US_E_TOOLARGE, NULL, "too_large", msg);
	}
	return (US_FAIL);
}

static int
body_deferred(const struct us_req *r, size_t len)
{
	return ((r->route->flags & (US_ROUTE_AUTH | US_ROUTE_SESSION)) &&
	    len > US_BODY_PREAUTH_MAX);
}

/* r->raw as a JSON object: into r->body, its scalars into r->fields. */
static int
body_json(struct us_req *r)
{
	json_error_t	jerr;

	r->body = json_loadb(r->raw.data != NULL ? r->raw.data : "",
	    r->raw.len, JSON_REJECT_DUPLICATES, &jerr);
	us_buf_free(&r->raw);
	if (r->body == NULL)
		return (us_error_set(&r->err, US_E_MALFORMED, NULL,
		    "malformed_json", "The body is not valid JSON: %s (line "
		    "%d, column %d).", jerr.text, jerr.line, jerr.column));
	if (!json_is_object(r->body))
		return (us_error_set(&r->err, US_E_MALFORMED, NULL,
		    "malformed_json", "The body must be a JSON object."));
	return (us_fields_from_json(&r->fields, r->body, &r->err));
}

/* r->raw as multipart/form-data or URL-encoded, by its Content-Type. */
static int
body_form(struct us_req *r)
{
	const char	*data = r->raw.data != NULL ? r->raw.data : "";
	int		 ok;

	if (r->raw_type != NULL &&
	    strncasecmp(r->raw_type, "multipart/", 10) == 0)
		ok = us_multipart_parse(&r->fields, r->raw_type, data,
		    r->raw.len, &r->err);
	else
		ok = us_form_parse(&r->fields, data, r->raw.len, &r->err);
	us_buf_free(&r->raw);
	return (ok);
}

/*
 * Reads a body of at most max bytes and parses it with parse, now or,
 * for a large body on an authenticated route, in work after the check.
 */
static int
body_take(struct http_request *req, struct us_req *r, size_t max,
    int (*parse)(struct us_req *))
{
	const char	*type;

	if (!us_http_body(req, r, max, &r->raw))
		return (US_FAIL);
	if (http_request_header(req, "content-type", &type))
		r->raw_type = us_strdup(type);
	if (body_deferred(r, r->raw.len)) {
		r->parse = parse;
		return (US_OK);
	}
	if (!parse(r)) {
		us_http_error(req, r, &r->err);
		return (US_FAIL);
	}
	return (US_OK);
}

/*
 * A JSON object body into r->body and its scalar members into r->fields.
 * The Content-Type is not insisted on (curl -d sends a form type): the
 * body must simply be a JSON object.
 */
int
us_http_body_json(struct http_request *req, struct us_req *r, size_t max)
{
	return (body_take(req, r, max, body_json));
}

/* A form, URL-encoded or multipart (a file upload), into r->fields. */
int
us_http_body_form(struct http_request *req, struct us_req *r, size_t max)
{
	return (body_take(req, r, max, body_form));
}
