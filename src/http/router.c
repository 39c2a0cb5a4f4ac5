#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "http/http.h"

#define GET	HTTP_METHOD_GET
#define POST	HTTP_METHOD_POST
#define DELETE	HTTP_METHOD_DELETE
#define PATCH	HTTP_METHOD_PATCH
#define PUT	HTTP_METHOD_PUT
#define API	US_ROUTE_API
#define WS	US_ROUTE_SESSION
#define WSF	(US_ROUTE_SESSION | US_ROUTE_CSRF)

/* Every URL the service answers, in one table. */
static const struct us_route routes[] = {
	{ GET, "/healthz", API, NULL, us_health_work,
	    us_health_finish, NULL },
	{ POST, "/api/v1/statements", API | US_ROUTE_AUTH,
	    us_stmt_api_create_prepare, us_stmt_api_create_work,
	    us_stmt_api_create_finish, NULL },
	{ GET, "/api/v1/statements/{}", API | US_ROUTE_OPTAUTH, NULL,
	    us_stmt_api_get_work, us_stmt_api_get_finish, NULL },
	{ PATCH, "/api/v1/statements/{}", API | US_ROUTE_AUTH,
	    us_stmt_api_create_prepare, us_edit_api_patch_work,
	    us_edit_api_finish, NULL },
	{ PUT, "/api/v1/statements/{}/translations/{}", API | US_ROUTE_AUTH,
	    us_stmt_api_create_prepare, us_edit_api_translation_put_work,
	    us_edit_api_finish, NULL },
	{ GET, "/api/v1/statements/{}/translations/{}",
	    API | US_ROUTE_OPTAUTH, NULL, us_edit_api_translation_get_work,
	    us_edit_api_finish, NULL },
	{ POST, "/api/v1/statements/{}/status", API | US_ROUTE_AUTH,
	    us_stmt_api_status_prepare, us_stmt_api_status_work,
	    us_stmt_api_status_finish, NULL },
	{ POST, "/api/v1/statements/{}/coordinators", API | US_ROUTE_AUTH,
	    us_coord_api_prepare, us_coord_api_add_work, us_coord_api_finish,
	    NULL },
	{ DELETE, "/api/v1/statements/{}/coordinators", API | US_ROUTE_AUTH,
	    us_coord_api_prepare, us_coord_api_remove_work,
	    us_coord_api_finish, NULL },
	{ POST, "/api/v1/statements/{}/signatures", API | US_ROUTE_LIMIT_SIGN,
	    us_sig_api_sign_prepare, us_sig_sign_work, us_sig_api_sign_finish, NULL },
	{ GET, "/api/v1/statements/{}/signatures", API, us_list_prepare,
	    us_sig_api_list_work, us_sig_api_list_finish, NULL },
	{ POST, "/api/v1/verify", API, us_verify_api_prepare,
	    us_verify_confirm_work, us_verify_api_finish, NULL },
	{ GET, "/api/v1/formats", API, us_formats_prepare, NULL, NULL, NULL },
	{ GET, "/api/v1/keys", API, NULL, us_keys_work, us_keys_finish, NULL },
	{ POST, "/api/v1/statements/{}/signatures/import", API | US_ROUTE_AUTH,
	    us_import_api_prepare, us_import_api_work, us_import_api_finish, NULL },
	{ GET, "/api/v1/statements/{}/export.{}", API | US_ROUTE_AUTH, NULL,
	    us_export_work, us_export_finish, NULL },
	/* Lists: the index of statements and the feed (api_lists.c). */
	{ GET, "/api/v1/statements", API, us_list_prepare,
	    us_stmt_api_index_work, us_stmt_api_index_finish, NULL },
	{ GET, "/feed.atom", 0, NULL, us_feed_work, us_feed_finish, NULL },
	/* Urgent actions: reports of actions taken, delivery. */
	{ POST, "/api/v1/statements/{}/actions", API | US_ROUTE_LIMIT_SIGN,
	    us_action_api_prepare, us_action_work, us_action_api_finish, NULL },
	{ POST, "/api/v1/statements/{}/deliveries", API | US_ROUTE_AUTH, NULL,
	    us_delivery_api_work, us_delivery_api_finish, NULL },
	{ GET, "/api/v1/statements/{}/deliveries", API | US_ROUTE_AUTH, NULL,
	    us_delivery_list_work, us_delivery_list_finish, NULL },
	{ POST, "/s/{}/actions", US_ROUTE_LIMIT_SIGN, us_page_action_prepare,
	    us_page_action_work, us_page_action_finish, NULL },
	{ GET, "/s/{}/action-sent", 0, NULL, us_page_statement_work,
	    us_page_action_sent_finish, NULL },
	{ GET, "/action/{}", 0, NULL, us_action_link_work,
	    us_action_link_finish, NULL },
	{ POST, "/action/{}", 0, NULL, us_action_confirm_work,
	    us_action_confirm_finish, NULL },
	{ GET, "/w/s/{}/deliver", WS, NULL, us_ws_deliver_plan_work, NULL,
	    "w_deliver.html" },
	{ POST, "/w/s/{}/deliver", WSF, us_ws_form_prepare, us_ws_deliver_work,
	    NULL, NULL },
	{ GET, "/", 0, NULL, us_page_index_work, us_page_index_finish, NULL },
	{ GET, "/s/{}", 0, us_page_statement_prepare, us_page_statement_work,
	    us_page_statement_finish, NULL },
	{ POST, "/s/{}/sign", US_ROUTE_LIMIT_SIGN, us_page_sign_prepare,
	    us_page_sign_work, us_page_sign_finish, NULL },
	{ GET, "/s/{}/check-email", 0, NULL, us_page_statement_work,
	    us_page_check_email_finish, NULL },
	/* Shared and embedded (page_share.c). */
	{ GET, "/s/{}/card.png", 0, NULL, us_page_card_work,
	    us_page_card_finish, NULL },
	{ GET, "/s/{}/embed", US_ROUTE_FRAMABLE, us_page_embed_prepare,
	    us_page_embed_work, us_page_embed_finish, NULL },
	{ GET, "/s/{}/download/{}", 0, us_download_prepare, us_download_work,
	    us_download_finish, NULL },
	{ GET, "/verify/{}", 0, NULL, us_verify_page_work,
	    us_verify_page_finish, NULL },
	{ POST, "/verify/{}", 0, NULL, us_verify_confirm_work,
	    us_verify_confirm_finish, NULL },
	{ POST, "/verify/{}/resend", US_ROUTE_LIMIT_RESEND, NULL,
	    us_verify_resend_work, us_verify_resend_finish, NULL },
	{ GET, "/s/{}/preview/{}", 0, NULL, us_page_preview_work,
	    us_page_preview_finish, NULL },
	{ GET, "/withdraw/{}", 0, NULL, us_withdraw_page_work, NULL,
	    "withdraw.html" },
	{ POST, "/withdraw/{}", 0, NULL, us_withdraw_work, NULL,
	    "withdraw.html" },
	{ GET, "/assets/{}", 0, us_asset_prepare, NULL, NULL, NULL },
	{ GET, "/verify-document", 0, us_proof_form, NULL, NULL, NULL },
	{ POST, "/verify-document", 0, us_proof_prepare, us_proof_work, NULL,
	    "verify_document.html" },

	{ GET, "/w/login", 0, us_ws_login_form, NULL, NULL, NULL },
	{ POST, "/w/login", US_ROUTE_LIMIT_LOGIN, us_ws_login_prepare,
	    us_ws_login_work, NULL, "w_login_sent.html" },
	{ GET, "/w/login/{}", 0, NULL, us_ws_login_link_work, NULL,
	    "w_login_link.html" },
	{ POST, "/w/login/{}", 0, NULL, us_ws_login_consume_work,
	    us_ws_login_consume_finish, NULL },
	{ POST, "/w/logout", WSF, us_ws_form_prepare, us_ws_logout_work,
	    us_ws_logout_finish, NULL },
	{ GET, "/w", WS, NULL, us_ws_home_work, NULL, "w_home.html" },
	{ GET, "/w/tokens", WS, NULL, us_ws_tokens_work, NULL,
	    "w_tokens.html" },
	{ POST, "/w/tokens", WSF, us_ws_form_prepare, us_ws_token_create_work,
	    NULL, "w_tokens.html" },
	{ POST, "/w/tokens/{}/revoke", WSF, us_ws_form_prepare,
	    us_ws_token_revoke_work, NULL, NULL },
	{ GET, "/w/new", WS, NULL, us_ws_new_work, NULL, "w_editor.html" },
	{ POST, "/w/new", WSF, us_ws_form_prepare, us_ws_save_work,
	    us_ws_save_finish, NULL },
	{ GET, "/w/s/{}", WS, NULL, us_ws_statement_work,
	    us_ws_statement_finish, "w_statement.html" },
	{ GET, "/w/s/{}/preview", WS, NULL, us_ws_preview_work,
	    us_page_preview_finish, NULL },
	{ GET, "/w/s/{}/preview/{}", WS, us_download_prepare,
	    us_ws_render_preview_work, us_ws_render_preview_finish, NULL },
	{ GET, "/w/s/{}/edit", WS, NULL, us_ws_edit_work, NULL,
	    "w_editor.html" },
	{ POST, "/w/s/{}/edit", WSF, us_ws_form_prepare, us_ws_save_work,
	    us_ws_save_finish, NULL },
	{ POST, "/w/s/{}/status", WSF, us_ws_form_prepare, us_ws_status_work,
	    NULL, NULL },
	{ GET, "/w/s/{}/publish", WS, NULL, us_ws_publish_plan_work, NULL,
	    "w_publish.html" },
	{ POST, "/w/s/{}/publish", WSF, us_ws_form_prepare,
	    us_ws_publish_work, NULL, NULL },
	{ POST, "/w/s/{}/preview-link", WSF, us_ws_form_prepare,
	    us_ws_preview_link_work, us_ws_statement_finish,
	    "w_statement.html" },
	{ POST, "/w/s/{}/preview-link/revoke", WSF, us_ws_form_prepare,
	    us_ws_preview_revoke_work, NULL, NULL },
	{ POST, "/w/s/{}/coordinators", WSF, us_ws_form_prepare,
	    us_ws_coordinator_add_work, NULL, NULL },
	{ POST, "/w/s/{}/coordinators/remove", WSF, us_ws_form_prepare,
	    us_ws_coordinator_remove_work, NULL, NULL },
	{ GET, "/w/s/{}/audit", WS, NULL, us_ws_audit_work, NULL,
	    "w_audit.html" },
	{ GET, "/w/s/{}/signatures", WS, NULL, us_ws_signatures_work, NULL,
	    "w_signatures.html" },
	{ POST, "/w/s/{}/signatures", WSF, us_ws_form_prepare,
	    us_ws_decide_work, NULL, "w_bulk_confirm.html" },
	{ POST, "/w/s/{}/signatures/{}", WSF, us_ws_form_prepare,
	    us_ws_sig_edit_work, NULL, NULL },
	{ GET, "/w/s/{}/import", WS, NULL, us_ws_import_form_work, NULL,
	    "w_import.html" },
	{ POST, "/w/s/{}/import", WSF, us_ws_import_prepare,
	    us_ws_import_work, NULL, "w_import.html" },
	{ GET, "/w/s/{}/export.{}", WS, NULL, us_export_work,
	    us_export_finish, NULL },

	/* Notices: the digest setting and its unsubscribe (ws_notices.c). */
	{ POST, "/w/notices", WSF, us_ws_form_prepare, us_ws_notices_work,
	    NULL, NULL },
	{ GET, "/w/unsubscribe/{}", 0, NULL, us_ws_unsubscribe_page_work,
	    NULL, "w_unsubscribe.html" },
	{ POST, "/w/unsubscribe/{}", 0, us_ws_unsubscribe_prepare,
	    us_ws_unsubscribe_work, NULL, "w_unsubscribe.html" },
};

/* Where no route matched, errors still take the right form. */
static const struct us_route	nowhere_api = { 0, "", API, NULL, NULL, NULL,
				    NULL };
static const struct us_route	nowhere_page = { 0, "", 0, NULL, NULL, NULL,
				    NULL };

static void	req_free(struct http_request *);
static int	req_auth(struct http_request *, struct us_req *);
static void	req_lang(struct http_request *, struct us_req *);
static void	req_client(struct http_request *, struct us_req *);
static int	req_session(struct http_request *, struct us_req *);
static int	req_same_origin(struct http_request *, struct us_req *);

void
us_req_free(struct us_req *r)
{
	us_fields_free(&r->fields);
	us_fields_free(&r->clean);
	json_decref(r->body);
	json_decref(r->out);
	json_decref(r->who);
	free(r->session);
	us_buf_free(&r->file);
	us_buf_free(&r->raw);
	free(r->raw_type);
	if (r->in_free != NULL)
		r->in_free(r->in);
	free(r->bearer);
	us_pagecache_release(r);
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

/*
 * The reader's language: ?lang= (remembered in a cookie), the cookie,
 * then Accept-Language.  The choice is kept even when the UI does not
 * speak it: a statement may have a version in that language, and the
 * page model picks among those with the same order.
 */
static void
req_lang(struct http_request *req, struct us_req *r)
{
	const char	*accept = NULL, *q;
	char		*cookie = NULL;
	size_t		 n;

	if (req->query_string != NULL &&
	    (q = strstr(req->query_string, "lang=")) != NULL &&
	    (q == req->query_string || q[-1] == '&') &&
	    us_i18n_tag(q + 5, (n = strcspn(q + 5, "&")))) {
		memcpy(r->lang_choice, q + 5, n);
		r->lang_choice[n] = '\0';
		us_http_cookie(req, US_LANG_COOKIE, r->lang_choice,
		    365L * 86400);
	}
	http_populate_cookies(req);
	if (r->lang_choice[0] == '\0' &&
	    http_request_cookie(req, US_LANG_COOKIE, &cookie) &&
	    us_i18n_tag(cookie, strlen(cookie)))
		(void)snprintf(r->lang_choice, sizeof(r->lang_choice), "%s",
		    cookie);
	if (http_request_header(req, "accept-language", &accept))
		(void)snprintf(r->accept_lang, sizeof(r->accept_lang), "%s",
		    accept);
	(void)snprintf(r->lang, sizeof(r->lang), "%s",
	    us_i18n_negotiate(r->accept_lang, r->lang_choice));
}

/* The workspace cookie; the session is looked up later, in work. */
static int
req_session(struct http_request *req, struct us_req *r)
{
	char	*cookie;

	if (http_request_cookie(req, US_SESSION_COOKIE, &cookie) &&
	    *cookie != '\0') {
		r->session = us_strdup(cookie);
		return (US_OK);
	}
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		us_http_redirect(req, "/w/login");
	else
		us_http_fail(req, r, US_E_FORBIDDEN, NULL, "not_signed_in",
		    "Please sign in first.");
	return (US_FAIL);
}

/*
 * The answer of a route without a finish of its own.  A workspace
 * session that has ended sends the reader to sign in again.
 */
void
us_http_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind == US_E_UNAUTHORIZED &&
	    (r->route->flags & US_ROUTE_SESSION)) {
		us_http_cookie(req, US_SESSION_COOKIE, "", 0);
		us_http_redirect(req, "/w/login");
		return;
	}
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	if (r->redirect[0] != '\0') {
		us_http_redirect(req, r->redirect);
		return;
	}
	if (r->file_type != NULL) {
		char	disp[400];

		us_http_headers(req);
		(void)snprintf(disp, sizeof(disp), "attachment; "
		    "filename=\"%s\"", r->file_name);
		http_response_header(req, "content-type", r->file_type);
		http_response_header(req, "content-disposition", disp);
		http_response_header(req, "cache-control", "no-store");
		http_response(req, HTTP_STATUS_OK, r->file.data, r->file.len);
		return;
	}
	us_http_page(req, HTTP_STATUS_OK, r->route->tpl, r->out);
}

/*
 * A workspace form posted from another site is refused before anything
 * happens, sign-in included: a forged sign-in would put a coordinator
 * into someone else's workspace.  Sec-Fetch-Site says it directly where
 * browsers send it; Origin is compared with PUBLIC_URL otherwise.
 * "Origin: null" comes from sandboxed frames and data: pages an attacker
 * controls, so it passes only where the session's form token must still
 * match; the sign-in forms have no token to fall back on.  Our pages'
 * same-origin referrer policy has browsers send the real origin.
 */
static int
req_same_origin(struct http_request *req, struct us_req *r)
{
	const char	*site, *origin, *pub, *end;
	char		 msg[512];
	size_t		 n;

	if (http_request_header(req, "sec-fetch-site", &site)) {
		if (strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0)
			return (US_OK);
		goto refuse;
	}
	if (!http_request_header(req, "origin", &origin))
		return (US_OK);
	if (strcmp(origin, "null") == 0) {
		if (r->route->flags & US_ROUTE_CSRF)
			return (US_OK);
		goto refuse;
	}
	pub = us_app.cfg.public_url;
	if ((end = strstr(pub, "://")) != NULL)
		end = strchr(end + 3, '/');
	n = end != NULL ? (size_t)(end - pub) : strlen(pub);
	if (strlen(origin) == n && strncasecmp(origin, pub, n) == 0)
		return (US_OK);
refuse:
	(void)snprintf(msg, sizeof(msg), "This form was sent from another "
	    "site. Open the workspace at %s/w and send it from there.",
	    us_app.cfg.public_url);
	us_http_fail(req, r, US_E_FORBIDDEN, NULL, "cross_site", msg);
	return (US_FAIL);
}

/*
 * The address limits count under: the peer, or what trusted proxies say
 * in X-Forwarded-For (core/netaddr.c).
 */
static void
req_client(struct http_request *req, struct us_req *r)
{
	struct connection	*c = req->owner;
	const char		*xff;
	char			 peer[INET6_ADDRSTRLEN];

	peer[0] = '\0';
	if (c->family == AF_INET6)
		(void)inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, peer,
		    sizeof(peer));
	else if (c->family == AF_INET)
		(void)inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, peer,
		    sizeof(peer));
	if (!http_request_header(req, "x-forwarded-for", &xff))
		xff = NULL;
	(void)us_net_client(&us_app.cfg.trusted, peer[0] != '\0' ? peer :
	    "unknown", xff, r->client, sizeof(r->client));
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
		if (r->route->finish != NULL)
			r->route->finish(req, r);
		else
			us_http_finish(req, r);
		return (KORE_RESULT_OK);
	}

	method = req->method == HTTP_METHOD_HEAD ? HTTP_METHOD_GET :
	    req->method;
	path_known = 0;
	rt = NULL;
	r = http_state_create(req, sizeof(*r), req_free);
	memset(r, 0, sizeof(*r));
	us_buf_init(&r->file);
	us_buf_init(&r->raw);
	req_lang(req, r);
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
			http_response_header(req, "allow",
			    "GET, HEAD, POST, PUT, PATCH, DELETE");
			us_http_fail(req, r, US_E_METHOD, NULL,
			    "method_not_allowed", "This method is not allowed "
			    "here.");
		} else
			us_http_fail(req, r, US_E_NOTFOUND, NULL, "not_found",
			    "There is nothing at this address.");
		return (KORE_RESULT_OK);
	}
	r->route = rt;
	if (rt->flags & US_ROUTE_LIMITS)
		req_client(req, r);
	us_fields_init(&r->fields);
	us_fields_init(&r->clean);
	if ((rt->flags & (US_ROUTE_AUTH | US_ROUTE_OPTAUTH)) &&
	    !req_auth(req, r))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST && strncmp(req->path, "/w/", 3) == 0 &&
	    !req_same_origin(req, r))
		return (KORE_RESULT_OK);
	if ((rt->flags & US_ROUTE_SESSION) && !req_session(req, r))
		return (KORE_RESULT_OK);
	/* A page's query (?show=, ?version=) reads like a form. */
	if (req->method != HTTP_METHOD_POST && req->query_string != NULL &&
	    !us_form_parse(&r->fields, req->query_string,
	    strlen(req->query_string), &r->err)) {
		us_http_error(req, r, &r->err);
		return (KORE_RESULT_OK);
	}
	if (rt->prepare != NULL && rt->prepare(req, r) == US_HTTP_DONE)
		return (KORE_RESULT_OK);
	us_job_start(req, r);
	return (KORE_RESULT_RETRY);
}
