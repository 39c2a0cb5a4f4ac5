#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/i18n.h"
#include "http/http.h"

static void	response_send(struct http_request *, int, const char *,
		    const struct us_buf *);
static void	error_words(json_t *, const struct us_error *,
		    const struct us_req *, const char *);

/*
 * Headers every answer carries.  The referrer policy matters most: a
 * verification link holds a secret that must not leak to another site.
 * same-origin sends no referrer elsewhere, and lets browsers send our
 * own forms' real Origin (no-referrer made it "null", which proves
 * nothing about where a form came from).
 */
void
us_http_headers(struct http_request *req)
{
	const struct us_req	*r = http_state_get(req);
	int			 framable;

	/*
	 * Framing: only the widget (/s/{slug}/embed), which holds no form
	 * and no secret, may sit in another site's frame; every other page
	 * refuses, against clickjacking of the sign and confirm buttons, and
	 * so does an error in the widget's place.
	 */
	framable = r != NULL && r->route != NULL &&
	    (r->route->flags & US_ROUTE_FRAMABLE) && r->err.kind == US_E_NONE;
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	if (!framable)
		http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "content-security-policy", framable ?
	    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
	    "script-src 'self'; frame-ancestors *; form-action 'self'; "
	    "base-uri 'none'" :
	    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
	    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
	    "base-uri 'none'");
}

static void
response_send(struct http_request *req, int status, const char *type,
    const struct us_buf *b)
{
	us_http_headers(req);
	http_response_header(req, "content-type", type);
	http_response(req, status, b->data, b->len);
}

void
us_http_json(struct http_request *req, int status, json_t *doc)
{
	struct us_buf	b;
	char		*s;

	us_buf_init(&b);
	if ((s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		fatal("json_dumps: out of memory");
	us_buf_puts(&b, s);
	us_buf_putc(&b, '\n');
	free(s);
	http_response_header(req, "cache-control", "no-store");
	response_send(req, status, "application/json; charset=utf-8", &b);
	us_buf_free(&b);
}

/*
 * The one way errors leave the service: JSON for the API, a page for a
 * browser.  503 and 429 say when to come back.
 */
/*
 * A page's words for an error whose message the reader's language can
 * say: how long to wait after too many requests, and any message written
 * as a msgid (US_N_, no values in it).  Other messages stay as the code
 * wrote them.
 */
static void
error_words(json_t *err, const struct us_error *e, const struct us_req *r,
    const char *lang)
{
	struct us_buf	b;

	if (e->kind != US_E_RATELIMIT || r->retry_after <= 0) {
		json_object_set_new(err, "message",
		    json_string(us_i18n(lang, e->message)));
		return;
	}
	us_buf_init(&b);
	if (r->retry_after < 120)
		us_page_words(&b, lang, US_NN_("Too many requests from your "
		    "address. Please try again in {n} second.", "Too many "
		    "requests from your address. Please try again in {n} "
		    "seconds."), (unsigned long)r->retry_after);
	else
		us_page_words(&b, lang, US_NN_("Too many requests from your "
		    "address. Please try again in {n} minute.", "Too many "
		    "requests from your address. Please try again in {n} "
		    "minutes."), (unsigned long)(r->retry_after + 59) / 60);
	json_object_set_new(err, "message", json_string(b.data));
	us_buf_free(&b);
}

void
us_http_error(struct http_request *req, const struct us_req *r,
    const struct us_error *e)
{
	json_t		*doc, *err;
	const char	*lang;
	char		 retry[16];
	int		 status;

	status = us_error_status(e->kind);
	if (e->kind == US_E_RATELIMIT && r != NULL && r->retry_after > 0) {
		(void)snprintf(retry, sizeof(retry), "%d", r->retry_after);
		http_response_header(req, "retry-after", retry);
	} else if (e->kind == US_E_UNAVAILABLE || e->kind == US_E_RATELIMIT)
		http_response_header(req, "retry-after", US_RETRY_AFTER);
	if (e->kind == US_E_UNAUTHORIZED)
		http_response_header(req, "www-authenticate",
		    "Bearer realm=\"undersigned\"");
	err = json_pack("{s:s, s:s, s:o}", "code", e->code[0] != '\0' ?
	    e->code : "error", "message", e->message,
	    "field", e->field[0] != '\0' ? json_string(e->field) : json_null());
	if (r == NULL || (r->route->flags & US_ROUTE_API)) {
		doc = json_pack("{s:o}", "error", err);
		us_http_json(req, status, doc);
	} else {
		lang = r->lang[0] != '\0' ? r->lang : "en";
		error_words(err, e, r, lang);
		doc = json_pack("{s:o, s:i, s:s}", "error", err, "status",
		    status, "title", us_i18n(lang, status == 404 ?
		    US_N_("Not found") : status == 503 ?
		    US_N_("Temporarily unavailable") : status == 429 ?
		    US_N_("Too many requests") :
		    US_N_("Something is not right")));
		us_http_page(req, status, "error.html", doc);
	}
	json_decref(doc);
}

void
us_http_fail(struct http_request *req, const struct us_req *r,
    enum us_errkind kind, const char *field, const char *code,
    const char *message)
{
	struct us_error	e;

	us_error_set(&e, kind, field, code, "%s", message);
	us_http_error(req, r, &e);
}

/*
 * A page's bytes: the template renders into the layout, with the model's
 * "title" as the page title.  A template that fails is our bug: logged,
 * and US_FAIL (the caller answers 500).
 */
int
us_http_page_render(struct http_request *req, const char *tpl, json_t *model,
    struct us_buf *b)
{
	struct us_error	e;
	struct us_req	*r = http_state_get(req);

	json_object_set_new(model, "content_template", json_string(tpl));
	json_object_set_new(model, "public_url",
	    json_string(us_app.cfg.public_url));
	/* Every page knows its reader's language and, signed in, who. */
	json_object_set_new(model, "ui_lang", json_string(r != NULL &&
	    r->lang[0] != '\0' ? r->lang : "en"));
	json_object_set_new(model, "ui_ru", json_boolean(r != NULL &&
	    strcmp(r->lang, "ru") == 0));
	/* Language links point here; only ever within this site. */
	us_esc_path(b, req->path);
	json_object_set_new(model, "path", json_string(b->data));
	us_buf_reset(b);
	json_object_set_new(model, "asset_version",
	    json_string(us_app.asset_version));
	/*
	 * Page titles are set in English where the page is built and
	 * translated here, once, for <title> (a statement's own title is
	 * no msgid and stays as it is).
	 */
	if (r != NULL && json_is_string(json_object_get(model, "page_title")))
		json_object_set_new(model, "page_title", json_string(us_i18n(
		    r->lang, json_string_value(json_object_get(model,
		    "page_title")))));
	if (r != NULL && r->who != NULL) {
		json_object_set(model, "who", r->who);
		json_object_set_new(model, "csrf", json_string(r->csrf));
	}
	if (!us_tpl_render(&us_app.pages, tpl, model, US_TPL_HTML, b, &e)) {
		us_log(LOG_ERR, "template %s: %s", tpl, e.message);
		return (US_FAIL);
	}
	return (US_OK);
}

/* The answer when a page could not be rendered. */
void
us_http_page_broken(struct http_request *req)
{
	static const char	msg[] = "Internal error\n";

	http_response_header(req, "content-type", "text/plain; charset=utf-8");
	us_http_headers(req);
	http_response(req, 500, msg, sizeof(msg) - 1);
}

void
us_http_page(struct http_request *req, int status, const char *tpl,
    json_t *model)
{
	struct us_buf	b;

	us_buf_init(&b);
	if (!us_http_page_render(req, tpl, model, &b)) {
		us_http_page_broken(req);
		us_buf_free(&b);
		return;
	}
	http_response_header(req, "cache-control", "no-store");
	/* The language comes from these (router.c, req_lang). */
	http_response_header(req, "vary", "Accept-Language, Cookie");
	response_send(req, status, "text/html; charset=utf-8", &b);
	us_buf_free(&b);
}

/*
 * Cookies are written by hand because Kore's have no SameSite: Lax keeps
 * them off cross-site POSTs, Secure follows PUBLIC_URL's scheme.  max_age
 * 0 deletes.
 */
void
us_http_cookie(struct http_request *req, const char *name, const char *value,
    long max_age)
{
	char	buf[512];

	(void)snprintf(buf, sizeof(buf), "%s=%s; Path=/; Max-Age=%ld; "
	    "SameSite=Lax%s%s", name, value, max_age,
	    strcmp(name, US_SESSION_COOKIE) == 0 ? "; HttpOnly" : "",
	    strncmp(us_app.cfg.public_url, "https:", 6) == 0 ? "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
}

/* 303: after a POST the browser fetches the result with GET. */
void
us_http_redirect(struct http_request *req, const char *location)
{
	us_http_headers(req);
	http_response_header(req, "location", location);
	http_response(req, HTTP_STATUS_SEE_OTHER, NULL, 0);
}
