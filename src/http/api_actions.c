#include <stdio.h>
#include <string.h>

#include "core/action.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/http.h"

/*
 * Reports of actions taken: the JSON API, the form on the public page,
 * and the emailed link that confirms a report.  The link works as a
 * signature's does (db/tokens.c): GET shows, POST confirms.
 */

static void	action_sent(struct http_request *, struct us_req *);
static void	action_page(struct http_request *, struct us_req *, int,
		    const char *, const char *);

/* POST /api/v1/statements/{slug}/actions */
int
us_action_api_prepare(struct http_request *req, struct us_req *r)
{
	if (!us_http_body_json(req, r, US_BODY_SMALL_MAX))
		return (US_HTTP_DONE);
	if (!us_action_validate(&r->fields, &r->clean, &r->errs)) {
		us_http_error(req, r, &r->errs.v[0]);
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

int
us_action_work(struct us_db *db, struct us_req *r)
{
	/* Unless the client says otherwise, the language it reads. */
	if (us_fields_get(&r->clean, "lang") == NULL)
		us_fields_set(&r->clean, "lang", r->lang, strlen(r->lang));
	return (us_db_action_report(db, r->params[0], &r->clean,
	    (r->route->flags & US_ROUTE_API) ? "api" : "web", &r->err));
}

/* The same answer whether the report is new, pending or confirmed. */
void
us_action_api_finish(struct http_request *req, struct us_req *r)
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

static void
action_sent(struct http_request *req, struct us_req *r)
{
	struct us_buf	url;

	us_buf_init(&url);
	us_buf_puts(&url, "/s/");
	us_esc_url(&url, r->params[0]);
	us_buf_puts(&url, "/action-sent");
	us_http_redirect(req, url.data);
	us_buf_free(&url);
}

/*
 * POST /s/{slug}/actions.  As on the sign form: a filled honeypot gets
 * the answer a person gets and nothing else; invalid input goes to work
 * so the page can be shown again with the statement and the errors.
 */
int
us_page_action_prepare(struct http_request *req, struct us_req *r)
{
	const char	*trap;

	if (!us_http_body_form(req, r, US_BODY_SMALL_MAX))
		return (US_HTTP_DONE);
	if ((trap = us_fields_get(&r->fields, US_ACTION_HONEYPOT)) != NULL &&
	    *trap != '\0') {
		us_log(LOG_INFO, "action form for %s: honeypot filled, ignored",
		    r->params[0]);
		action_sent(req, r);
		return (US_HTTP_DONE);
	}
	(void)us_action_validate(&r->fields, &r->clean, &r->errs);
	return (US_HTTP_WORK);
}

int
us_page_action_work(struct us_db *db, struct us_req *r)
{
	if (r->errs.n == 0 && us_action_work(db, r))
		return (US_OK);
	return (us_page_form_again(db, r));
}

void
us_page_action_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	if (r->errs.n == 0) {
		action_sent(req, r);
		return;
	}
	us_page_form_state(r->out, NULL, NULL, r->lang);
	us_page_action_form(r->out, &r->fields, &r->errs, r->lang);
	us_http_page(req, us_error_status(r->errs.v[0].kind),
	    "statement.html", r->out);
}

/* GET /s/{slug}/action-sent */
void
us_page_action_sent_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_page(req, HTTP_STATUS_OK, "action_sent.html", r->out);
}

/* GET /action/{token}: shows, changes nothing. */
int
us_action_link_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_action_lookup(db, r->params[0], &r->err);
	return (r->out != NULL);
}

/* POST /action/{token}; a refused link still shows its report. */
int
us_action_confirm_work(struct us_db *db, struct us_req *r)
{
	struct us_error	e;

	r->out = us_db_action_confirm(db, r->params[0], &r->err);
	if (r->out == NULL && r->err.kind == US_E_CONFLICT) {
		us_error_clear(&e);
		r->out = us_db_action_lookup(db, r->params[0], &e);
	}
	return (r->err.kind == US_E_NONE);
}

/*
 * The reader arrives from a mail, perhaps in another browser: without
 * an explicit choice, the page speaks the language they reported in.
 */
static void
action_page(struct http_request *req, struct us_req *r, int status,
    const char *tpl, const char *title)
{
	json_t		*model;
	const char	*lang, *label;

	lang = json_string_value(json_object_get(r->out, "report_lang"));
	if (r->lang_choice[0] == '\0' && us_i18n_supported(lang))
		(void)snprintf(r->lang, sizeof(r->lang), "%s", lang);
	model = json_deep_copy(r->out);
	json_object_set_new(model, "token", json_string(r->params[0]));
	json_object_set_new(model, "page_title",
	    json_string(us_i18n(r->lang, title)));
	label = us_action_channel_label(json_string_value(json_object_get(
	    r->out, "channel")));
	if (label != NULL)
		json_object_set_new(model, "channel_label",
		    json_string(us_i18n(r->lang, label)));
	json_object_set_new(model, "confirmed", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "report_status")),
	    "confirmed") == 0));
	us_http_page(req, status, tpl, model);
	json_decref(model);
}

void
us_action_link_finish(struct http_request *req, struct us_req *r)
{
	const char	*state;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	state = json_string_value(json_object_get(r->out, "state"));
	if (strcmp(state, "valid") != 0) {
		action_page(req, r, HTTP_STATUS_CONFLICT, "action_problem.html",
		    US_N_("This link cannot be used"));
		return;
	}
	action_page(req, r, HTTP_STATUS_OK, "action_confirm.html",
	    US_N_("Confirm the action you took"));
}

void
us_action_confirm_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		if (r->out == NULL || r->err.kind != US_E_CONFLICT) {
			us_http_error(req, r, &r->err);
			return;
		}
		action_page(req, r, HTTP_STATUS_CONFLICT, "action_problem.html",
		    US_N_("This link cannot be used"));
		return;
	}
	action_page(req, r, HTTP_STATUS_OK, "action_confirmed.html",
	    US_N_("Action confirmed"));
}
