#include <string.h>

#include "http/http.h"

/*
 * The coordinators of a statement through the API, with the workspace's
 * rules: POST {"email"} adds one, DELETE ?email= removes one (never the
 * last).  Both answer with the list as it now stands.
 */

#define COORD_BODY_MAX	4096

/*
 * Kore 4.1 reads no body on DELETE (the bytes would be taken for the
 * next request), so the address comes in the query; a DELETE that sends
 * a body is told so instead of being misread.
 */
int
us_coord_api_prepare(struct http_request *req, struct us_req *r)
{
	const char	*len;

	if (req->method == HTTP_METHOD_POST) {
		if (!us_http_body_json(req, r, COORD_BODY_MAX))
			return (US_HTTP_DONE);
	} else if (http_request_header(req, "content-length", &len) &&
	    strcmp(len, "0") != 0) {
		us_http_fail(req, r, US_E_MALFORMED, "email", "body_not_read",
		    "A DELETE body is not read: send the address in the "
		    "query, DELETE .../coordinators?email=name@example.org.");
		return (US_HTTP_DONE);
	}
	if (us_fields_get(&r->fields, "email") == NULL) {
		us_http_fail(req, r, US_E_INVALID, "email", "required",
		    "Give the coordinator's email address, like "
		    "name@example.org.");
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

int
us_coord_api_add_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_ws_add_coordinator(db, r->params[0], r->coord,
	    us_fields_get(&r->fields, "email"), &r->err))
		return (US_FAIL);
	r->out = us_db_ws_coordinators(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

int
us_coord_api_remove_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_ws_remove_coordinator(db, r->params[0], r->coord,
	    us_fields_get(&r->fields, "email"), &r->err))
		return (US_FAIL);
	r->out = us_db_ws_coordinators(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

void
us_coord_api_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = json_pack("{s:s, s:O}", "slug", r->params[0], "coordinators",
	    r->out);
	us_http_json(req, HTTP_STATUS_OK, doc);
	json_decref(doc);
}
