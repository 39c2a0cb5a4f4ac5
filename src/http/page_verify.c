#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "http/http.h"

static void	verify_problem(struct http_request *, struct us_req *);
static void	verify_page(struct http_request *, struct us_req *, int,
		    const char *, const char *, json_t *);
static const char *verify_token(const struct us_req *);
static int	verify_blocked(const struct us_req *);

/* The token comes from the path (/verify/{token}) or the API body. */
static const char *
verify_token(const struct us_req *r)
{
	const char	*t;

	if (r->nparams > 0)
		return (r->params[0]);
	t = us_fields_get(&r->clean, "token");
	return (t != NULL ? t : "");
}

/* POST /api/v1/verify {"token": "..."} */
int
us_verify_api_prepare(struct http_request *req, struct us_req *r)
{
	const char	*t;

	if (!us_http_body_json(req, r, US_BODY_SMALL_MAX))
		return (US_HTTP_DONE);
	if ((t = us_fields_get(&r->fields, "token")) == NULL || *t == '\0') {
		us_http_fail(req, r, US_E_INVALID, "token", "required",
		    "token is required: the part of the link after /verify/.");
		return (US_HTTP_DONE);
	}
	us_fields_set(&r->clean, "token", t, strlen(t));
	return (US_HTTP_WORK);
}

int
us_verify_confirm_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_verify_confirm(db, verify_token(r), &r->err);
	/* The API confirms a report of an action taken the same way. */
	if (r->out == NULL && (r->route->flags & US_ROUTE_API) &&
	    strcmp(r->err.code, "token_unknown") == 0) {
		us_error_clear(&r->err);
		r->out = us_db_action_confirm(db, verify_token(r), &r->err);
	}
	if (r->out == NULL && r->err.kind == US_E_CONFLICT &&
	    !(r->route->flags & US_ROUTE_API)) {
		/* The page explains a used or expired link; it needs the row. */
		struct us_error	e;

		us_error_clear(&e);
		r->out = us_db_verify_lookup(db, verify_token(r), &e);
	}
	return (r->err.kind == US_E_NONE);
}

void
us_verify_api_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;
	int	 pending;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	pending = json_is_true(json_object_get(r->out, "require_approval"));
	doc = json_pack("{s:s, s:O, s:b}", "status", "confirmed", "statement",
	    json_object_get(r->out, "slug"), "approval_pending", pending);
	us_http_json(req, HTTP_STATUS_OK, doc);
	json_decref(doc);
}

/* GET /verify/{token}: shows, changes nothing. */
int
us_verify_page_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_verify_lookup(db, verify_token(r), &r->err);
	return (r->out != NULL);
}

/* The token's row, with what the page adds, rendered with tpl. */
static void
verify_page(struct http_request *req, struct us_req *r, int status,
    const char *tpl, const char *title, json_t *extra)
{
	json_t		*model;
	const char	*signed_lang;

	/*
	 * The signer arrives from a mail, perhaps in another browser: without
	 * an explicit choice, the page speaks the language they signed in.
	 */
	signed_lang = json_string_value(json_object_get(r->out, "signed_lang"));
	if (r->lang_choice[0] == '\0' && us_i18n_supported(signed_lang))
		(void)snprintf(r->lang, sizeof(r->lang), "%s", signed_lang);
	model = json_deep_copy(r->out);
	json_object_set_new(model, "token", json_string(verify_token(r)));
	json_object_set_new(model, "page_title",
	    json_string(us_i18n(r->lang, title)));
	if (extra != NULL)
		json_object_update(model, extra);
	json_decref(extra);
	if (strcmp(tpl, "verified.html") == 0)
		us_page_share_links(model, r->lang);
	us_http_page(req, status, tpl, model);
	json_decref(model);
}

/*
 * A link that cannot confirm: unknown, used or expired.  Used and expired
 * links offer a new email; an unknown one cannot know whom to write to.
 */
static void
verify_problem(struct http_request *req, struct us_req *r)
{
	const char	*state, *sgstatus;
	int		 status, confirmed, removed, changed;

	if (r->err.kind == US_E_UNAVAILABLE || r->err.kind == US_E_INTERNAL ||
	    r->out == NULL) {
		us_http_error(req, r, &r->err);
		return;
	}
	state = json_string_value(json_object_get(r->out, "state"));
	sgstatus = json_string_value(json_object_get(r->out,
	    "signature_status"));
	confirmed = strcmp(sgstatus, "confirmed") == 0;
	removed = strcmp(sgstatus, "rejected") == 0 ||
	    strcmp(sgstatus, "withdrawn") == 0;
	changed = !confirmed && !removed &&
	    !json_is_true(json_object_get(r->out, "text_current"));
	status = r->err.kind != US_E_NONE ? us_error_status(r->err.kind) :
	    HTTP_STATUS_CONFLICT;
	/* A new link helps only a signature that can still be confirmed. */
	verify_page(req, r, status, "verify_problem.html",
	    US_N_("This link cannot be used"), json_pack("{s:b, s:b, s:b, s:b, s:b,"
	    " s:b}", "used", !removed && !changed && strcmp(state, "used") == 0,
	    "expired", !removed && !changed && strcmp(state, "expired") == 0,
	    "confirmed", confirmed, "removed", removed, "text_changed", changed,
	    "can_resend", !confirmed && !removed && !changed));
}

/* A valid link whose signature cannot be confirmed as it stands. */
static int
verify_blocked(const struct us_req *r)
{
	const char	*sgstatus;

	sgstatus = json_string_value(json_object_get(r->out,
	    "signature_status"));
	if (strcmp(sgstatus, "rejected") == 0 ||
	    strcmp(sgstatus, "withdrawn") == 0)
		return (1);
	return (strcmp(sgstatus, "pending") == 0 &&
	    !json_is_true(json_object_get(r->out, "text_current")));
}

void
us_verify_page_finish(struct http_request *req, struct us_req *r)
{
	const char	*state;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	state = json_string_value(json_object_get(r->out, "state"));
	if (strcmp(state, "valid") != 0 || verify_blocked(r)) {
		verify_problem(req, r);
		return;
	}
	verify_page(req, r, HTTP_STATUS_OK, "verify.html",
	    US_N_("Confirm your signature"), NULL);
}

/* POST /verify/{token}: the button. */
void
us_verify_confirm_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		verify_problem(req, r);
		return;
	}
	verify_page(req, r, HTTP_STATUS_OK, "verified.html",
	    US_N_("Signature confirmed"), NULL);
}

/* POST /verify/{token}/resend */
int
us_verify_resend_work(struct us_db *db, struct us_req *r)
{
	return (us_db_verify_resend(db, verify_token(r), &r->err));
}

void
us_verify_resend_finish(struct http_request *req, struct us_req *r)
{
	json_t	*model;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	model = json_pack("{s:s}", "page_title", us_i18n(r->lang,
	    "Check your email"));
	us_http_page(req, HTTP_STATUS_OK, "resent.html", model);
	json_decref(model);
}
