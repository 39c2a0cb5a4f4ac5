#include "core/sign.h"
#include "http/http.h"

/* POST /api/v1/statements/{slug}/signatures */
int
us_sig_api_sign_prepare(struct http_request *req, struct us_req *r)
{
	if (!us_http_body_json(req, r, US_BODY_SIGN_MAX))
		return (US_HTTP_DONE);
	if (!us_sign_validate(&r->fields, &r->clean, &r->errs)) {
		us_http_error(req, r, &r->errs.v[0]);
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

/* Shared by the API and the form: the pending row and its mail. */
int
us_sig_sign_work(struct us_db *db, struct us_req *r)
{
	return (us_db_sig_sign(db, r->params[0], &r->clean,
	    (r->route->flags & US_ROUTE_API) ? "api" : "web", &r->err));
}

/*
 * The answer is the same whether the address was new, pending or already
 * confirmed: nobody learns from it who has signed.
 */
void
us_sig_api_sign_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = json_pack("{s:s}", "status", "pending_verification");
	us_http_json(req, HTTP_STATUS_ACCEPTED, doc);
	json_decref(doc);
}
