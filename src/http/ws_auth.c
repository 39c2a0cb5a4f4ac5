#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "core/validate.h"
#include "core/i18n.h"
#include "core/when.h"
#include "http/http.h"

/*
 * Signing in to the workspace: an emailed link (token rules as for
 * signatures), a page with a button (mail scanners fetch links), then a
 * server-side session in a cookie.  Sign-out ends the session.
 */

#define SESSION_COOKIE_AGE	(7L * 86400)
#define WS_FORM_MAX		(2 * 1024 * 1024)

struct login_done {
	char	session[US_TOKEN_LEN + 1];
	char	csrf[US_TOKEN_LEN + 1];
};

/* GET /w/login */
int
us_ws_login_form(struct http_request *req, struct us_req *r)
{
	json_t	*m;

	m = json_pack("{s:s}", "page_title", US_N_("Sign in"));
	us_http_page(req, HTTP_STATUS_OK, "w_login.html", m);
	json_decref(m);
	(void)r;
	return (US_HTTP_DONE);
}

/* POST /w/login: the same answer for every address. */
int
us_ws_login_prepare(struct http_request *req, struct us_req *r)
{
	const char	*email;
	json_t		*m;

	if (!us_http_body_form(req, r, US_BODY_SMALL_MAX))
		return (US_HTTP_DONE);
	email = us_fields_get(&r->fields, "email");
	if (email == NULL || !us_valid_email(email)) {
		m = json_pack("{s:s, s:s, s:s}", "page_title",
		    US_N_("Sign in"),
		    "error", "Enter your email address, like name@example.org.",
		    "email", email != NULL ? email : "");
		us_http_page(req, 422, "w_login.html", m);
		json_decref(m);
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

int
us_ws_login_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_login_request(db, us_fields_get(&r->fields, "email"),
	    &r->err))
		return (US_FAIL);
	r->out = json_pack("{s:s}", "page_title", US_N_("Check your email"));
	return (US_OK);
}

/* GET /w/login/{token}: a button, nothing more. */
int
us_ws_login_link_work(struct us_db *db, struct us_req *r)
{
	if ((r->out = us_db_login_lookup(db, r->params[0], &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "token", json_string(r->params[0]));
	json_object_set_new(r->out, "valid", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "state")), "valid") == 0));
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Sign in")));
	return (US_OK);
}

static void
login_done_free(void *p)
{
	kore_free(p);
}

/* POST /w/login/{token}: the session begins. */
int
us_ws_login_consume_work(struct us_db *db, struct us_req *r)
{
	struct login_done	*d;

	d = kore_calloc(1, sizeof(*d));
	r->in = d;
	r->in_free = login_done_free;
	return (us_db_login_consume(db, r->params[0], r->lang, d->session,
	    d->csrf, &r->err));
}

void
us_ws_login_consume_finish(struct http_request *req, struct us_req *r)
{
	struct login_done	*d = r->in;
	json_t			*m;

	if (r->err.kind == US_E_CONFLICT || r->err.kind == US_E_NOTFOUND) {
		m = json_pack("{s:s, s:b, s:s}", "page_title",
		    US_N_("Sign in"),
		    "valid", 0, "state", "used");
		us_http_page(req, us_error_status(r->err.kind),
		    "w_login_link.html", m);
		json_decref(m);
		return;
	}
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_cookie(req, US_SESSION_COOKIE, d->session, SESSION_COOKIE_AGE);
	us_http_redirect(req, "/w");
}

/* POST /w/logout */
int
us_ws_logout_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_session_end(db, r->session, &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/login");
	return (US_OK);
}

void
us_ws_logout_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind == US_E_NONE)
		us_http_cookie(req, US_SESSION_COOKIE, "", 0);
	us_http_finish(req, r);
}

/* GET /w/tokens */
int
us_ws_tokens_work(struct us_db *db, struct us_req *r)
{
	struct us_buf	 b;
	json_t		*list, *t;
	const char	*zone;
	size_t		 i;

	if ((list = us_db_tokens_list(db, r->coord, &r->err)) == NULL)
		return (US_FAIL);
	/* Times as people read them, in the coordinator's zone. */
	us_buf_init(&b);
	json_array_foreach(list, i, t) {
		zone = json_string_value(json_object_get(t, "zone"));
		us_buf_reset(&b);
		if (us_when_stamp(&b, r->lang, json_string_value(
		    json_object_get(t, "created_local")), zone))
			json_object_set_new(t, "created_text",
			    json_string(b.data));
		us_buf_reset(&b);
		if (us_when_stamp(&b, r->lang, json_string_value(
		    json_object_get(t, "last_used_local")), zone))
			json_object_set_new(t, "last_used_text",
			    json_string(b.data));
	}
	us_buf_free(&b);
	r->out = json_pack("{s:o, s:s}", "tokens", list, "page_title",
	    US_N_("API tokens"));
	return (US_OK);
}

/* POST /w/tokens: the new secret is shown on this page, once. */
int
us_ws_token_create_work(struct us_db *db, struct us_req *r)
{
	char		 token[US_TOKEN_LEN + 1];
	char		*label;
	int		 ok;

	if (!us_validate_line(&r->fields, "label", "The token's name", 100,
	    &label, &r->err))
		return (US_FAIL);
	ok = us_db_token_create(db, r->coord, label != NULL ? label :
	    "workspace", token, &r->err) && us_ws_tokens_work(db, r);
	free(label);
	if (!ok)
		return (US_FAIL);
	json_object_set_new(r->out, "new_token", json_string(token));
	return (US_OK);
}

/* POST /w/tokens/{id}/revoke */
int
us_ws_token_revoke_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_token_revoke(db, r->coord, r->params[0], &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/tokens");
	return (US_OK);
}

/* GET /w: the coordinator's statements. */
int
us_ws_home_work(struct us_db *db, struct us_req *r)
{
	json_t	*list;
	int	 off;

	if (!us_db_notices_get(db, r->coord, &off, &r->err) ||
	    (list = us_db_ws_home(db, r->coord, &r->err)) == NULL)
		return (US_FAIL);
	us_ws_labels_list(list, r->lang);
	r->out = json_pack("{s:o, s:s, s:b}", "statements", list, "page_title",
	    US_N_("Your statements"), "digest_on", !off);
	return (US_OK);
}

/*
 * Form posts of the workspace parse their body once: here when small,
 * otherwise in work after the session is checked (body.c).  The editor
 * with a long text and a hundred addressees stays well under the cap.
 */
int
us_ws_form_prepare(struct http_request *req, struct us_req *r)
{
	return (us_http_body_form(req, r, WS_FORM_MAX) ? US_HTTP_WORK :
	    US_HTTP_DONE);
}
