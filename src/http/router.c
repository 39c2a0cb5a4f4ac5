#include <string.h>

#include "http/http.h"

#define GET	HTTP_METHOD_GET
#define POST	HTTP_METHOD_POST
#define API	US_ROUTE_API

/* Every URL the service answers, in one table. */
static const struct us_route routes[] = {
	{ GET, "/healthz", API, NULL, us_health_work,
	    us_health_finish },
	{ POST, "/api/v1/statements", API | US_ROUTE_AUTH,
	    us_stmt_api_create_prepare, us_stmt_api_create_work,
	    us_stmt_api_create_finish },
	{ GET, "/api/v1/statements/{}", API | US_ROUTE_OPTAUTH, NULL,
	    us_stmt_api_get_work, us_stmt_api_get_finish },
	{ POST, "/api/v1/statements/{}/status", API | US_ROUTE_AUTH,
	    us_stmt_api_status_prepare, us_stmt_api_status_work,
	    us_stmt_api_status_finish },
	{ POST, "/api/v1/statements/{}/signatures", API,
	    us_sig_api_sign_prepare, us_sig_sign_work, us_sig_api_sign_finish },
	{ GET, "/api/v1/statements/{}/signatures", API, NULL,
	    us_sig_api_list_work, us_sig_api_list_finish },
	{ POST, "/api/v1/verify", API, us_verify_api_prepare,
	    us_verify_confirm_work, us_verify_api_finish },
	{ GET, "/api/v1/formats", API, us_formats_prepare, NULL, NULL },
	{ GET, "/", 0, NULL, us_page_index_work, us_page_index_finish },
	{ GET, "/s/{}", 0, NULL, us_page_statement_work,
	    us_page_statement_finish },
	{ POST, "/s/{}/sign", 0, us_page_sign_prepare, us_page_sign_work,
	    us_page_sign_finish },
	{ GET, "/s/{}/check-email", 0, NULL, us_page_statement_work,
	    us_page_check_email_finish },
	{ GET, "/s/{}/download/{}", 0, us_download_prepare, us_download_work,
	    us_download_finish },
	{ GET, "/verify/{}", 0, NULL, us_verify_page_work,
	    us_verify_page_finish },
	{ POST, "/verify/{}", 0, NULL, us_verify_confirm_work,
	    us_verify_confirm_finish },
	{ POST, "/verify/{}/resend", 0, NULL, us_verify_resend_work,
	    us_verify_resend_finish },
	{ GET, "/assets/{}", 0, us_asset_prepare, NULL, NULL },
};

/* Where no route matched, errors still take the right form. */
static const struct us_route	nowhere_api = { 0, "", API, NULL, NULL, NULL };
static const struct us_route	nowhere_page = { 0, "", 0, NULL, NULL, NULL };

static void	req_free(struct http_request *);
static int	req_auth(struct http_request *, struct us_req *);

void
us_req_free(struct us_req *r)
{
	us_fields_free(&r->fields);
	us_fields_free(&r->clean);
	json_decref(r->body);
	json_decref(r->out);
	if (r->in_free != NULL)
		r->in_free(r->in);
	free(r->bearer);
	kore_free(r);
}

/* Unless a task thread still works on it, the request's state goes too. */
static void
req_free(struct http_request *req)
{
	struct us_req	*r;

	if ((r = http_state_get(req)) == NULL)
		return;
	req->hdlr_extra = NULL;
	if (!us_job_release(r))
		us_req_free(r);
}

/* "Authorization: Bearer <token>"; the token is checked later, in work. */
static int
req_auth(struct http_request *req, struct us_req *r)
{
	const char	*h;

	if (!http_request_header(req, "authorization", &h)) {
		if (r->route->flags & US_ROUTE_OPTAUTH)
			return (US_OK);
		us_http_fail(req, r, US_E_UNAUTHORIZED, NULL, "unauthorized",
		    "This needs a coordinator's API token: send "
		    "\"Authorization: Bearer <token>\" (bin/undersigned "
		    "coordinator add EMAIL prints one).");
		return (US_FAIL);
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		us_http_fail(req, r, US_E_UNAUTHORIZED, NULL, "unauthorized",
		    "The Authorization header must be \"Bearer <token>\".");
		return (US_FAIL);
	}
	h += 7;
	while (*h == ' ')
		h++;
	r->bearer = us_strdup(h);
	return (US_OK);
}

/*
 * The one Kore handler (conf/undersigned.conf routes everything here).
 * First call: match, prepare, start work.  Second call, after the task
 * finished and Kore woke the request: finish.
 */
int
us_http_route(struct http_request *req)
{
	const struct us_route	*rt;
	struct us_req		*r;
	size_t			 i;
	int			 path_known, method;

	if ((r = http_state_get(req)) != NULL) {
		if (r->job != NULL && !us_job_done(r->job)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		r->route->finish(req, r);
		return (KORE_RESULT_OK);
	}

	method = req->method == HTTP_METHOD_HEAD ? HTTP_METHOD_GET :
	    req->method;
	path_known = 0;
	rt = NULL;
	r = http_state_create(req, sizeof(*r), req_free);
	memset(r, 0, sizeof(*r));
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!us_route_match(routes[i].pattern, req->path, r->params,
		    &r->nparams))
			continue;
		path_known = 1;
		if (routes[i].methods & method) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL) {
		r->route = strncmp(req->path, "/api/", 5) == 0 ||
		    strcmp(req->path, "/healthz") == 0 ? &nowhere_api :
		    &nowhere_page;
		if (path_known) {
			http_response_header(req, "allow", "GET, HEAD, POST");
			us_http_fail(req, r, US_E_METHOD, NULL,
			    "method_not_allowed", "This method is not allowed "
			    "here.");
		} else
			us_http_fail(req, r, US_E_NOTFOUND, NULL, "not_found",
			    "There is nothing at this address.");
		return (KORE_RESULT_OK);
	}
	r->route = rt;
	us_fields_init(&r->fields);
	us_fields_init(&r->clean);
	if ((rt->flags & (US_ROUTE_AUTH | US_ROUTE_OPTAUTH)) &&
	    !req_auth(req, r))
		return (KORE_RESULT_OK);
	if (rt->prepare != NULL && rt->prepare(req, r) == US_HTTP_DONE)
		return (KORE_RESULT_OK);
	us_job_start(req, r);
	return (KORE_RESULT_RETRY);
}
