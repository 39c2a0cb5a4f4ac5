#include <string.h>

#include "core/escape.h"
#include "core/log.h"
#include "core/sign.h"
#include "http/http.h"

#define PAGE_HTML	"text/html; charset=utf-8"

static void	page_sign_sent(struct http_request *, struct us_req *);
static int	page_cacheable(const struct us_req *);
static void	page_text_lang(const struct us_req *, const char *, char *,
		    size_t);
static void	page_versions(json_t *, struct us_buf *);

/* After a signature: "check your email", whatever the address's history. */
static void
page_sign_sent(struct http_request *req, struct us_req *r)
{
	struct us_buf	url;

	us_buf_init(&url);
	us_buf_puts(&url, "/s/");
	us_esc_url(&url, r->params[0]);
	us_buf_puts(&url, "/check-email");
	us_http_redirect(req, url.data);
	us_buf_free(&url);
}

/* Only the page everyone gets: no query but the language and version. */
static int
page_cacheable(const struct us_req *r)
{
	size_t	i;

	for (i = 0; i < r->fields.n; i++) {
		if (strcmp(r->fields.v[i].name, "lang") != 0 &&
		    strcmp(r->fields.v[i].name, "text") != 0)
			return (0);
	}
	return (1);
}

/*
 * The language version the page model will show (model_pick_text in
 * page_model.c), chosen from the versions remembered with the cached
 * statement ("en,ru": its own language first): ?text= when it names one,
 * else the reader's choice and browser, else the statement's language.
 */
static void
page_text_lang(const struct us_req *r, const char *versions, char *out,
    size_t size)
{
	const char	*v[US_PAGE_VERSIONS_MAX], *text;
	char		 copy[US_PAGE_VERSIONS_MAX * 8], *p, *tok;
	size_t		 n = 0, i;
	int		 k;

	(void)snprintf(copy, sizeof(copy), "%s", versions);
	for (p = copy; n < US_PAGE_VERSIONS_MAX &&
	    (tok = strsep(&p, ",")) != NULL;)
		if (*tok != '\0')
			v[n++] = tok;
	out[0] = '\0';
	if (n == 0)
		return;
	text = us_fields_get(&r->fields, "text");
	if (text != NULL && *text != '\0') {
		for (i = 0; i < n; i++)
			if (strcmp(v[i], text) == 0)
				break;
		(void)snprintf(out, size, "%s", v[i < n ? i : 0]);
		return;
	}
	k = us_i18n_choose(r->accept_lang, r->lang_choice, v, n);
	(void)snprintf(out, size, "%s", v[k > 0 ? k : 0]);
}

/* The statement's language versions, its own first, as remembered. */
static void
page_versions(json_t *model, struct us_buf *b)
{
	json_t	*t;
	size_t	 i;

	us_buf_puts(b, json_string_value(json_object_get(model, "base_lang")));
	json_array_foreach(json_object_get(model, "translations"), i, t) {
		if (i + 1 == US_PAGE_VERSIONS_MAX)
			break;
		us_buf_putc(b, ',');
		us_buf_puts(b, json_string_value(json_object_get(t, "lang")));
	}
}

/*
 * A page of a statement from the page cache (pagecache.c) when the
 * statement's revision is the one the page was rendered at.  The variant
 * is the page (kind: "" for the statement page, "embed."), the reader's
 * UI language and the version shown; it can be chosen here once the
 * statement's versions are known from an earlier render.
 */
int
us_page_cached_prepare(struct http_request *req, struct us_req *r,
    const char *kind)
{
	const struct us_pcache_item	*sc;
	char				 scope[US_ROUTE_PARAM_MAX + 8];
	char				 text[16], variant[64];

	if (!page_cacheable(r))
		return (US_HTTP_WORK);
	(void)snprintf(scope, sizeof(scope), "st/%s", r->params[0]);
	if ((sc = us_pagecache_scope(scope)) == NULL)
		return (us_pagecache_begin(req, r, scope, NULL, PAGE_HTML));
	page_text_lang(r, sc->data, text, sizeof(text));
	(void)snprintf(variant, sizeof(variant), "%s%s.%s", kind, r->lang,
	    text);
	return (us_pagecache_begin(req, r, scope, variant, PAGE_HTML));
}

/*
 * finish of a cached page: renders r->out with tpl, keeps it under its
 * variant with the statement's versions, and answers; a page the cache
 * was not asked for (a query it does not key) is only rendered.
 */
void
us_page_cached_answer(struct http_request *req, struct us_req *r,
    const char *kind, const char *tpl)
{
	struct us_buf	b, versions;
	char		variant[64];

	if (r->pc.hit) {
		us_pagecache_answer(req, r, NULL, PAGE_HTML, NULL, NULL);
		return;
	}
	if (!r->pc.on || r->pc.rev < 0) {
		us_http_page(req, HTTP_STATUS_OK, tpl, r->out);
		return;
	}
	us_buf_init(&b);
	us_buf_init(&versions);
	page_versions(r->out, &versions);
	(void)snprintf(variant, sizeof(variant), "%s%s.%s", kind, r->lang,
	    json_string_value(json_object_get(r->out, "lang")));
	if (us_http_page_render(req, tpl, r->out, &b))
		us_pagecache_answer(req, r, variant, PAGE_HTML, &b,
		    versions.data);
	else
		us_http_page_broken(req);
	us_buf_free(&b);
	us_buf_free(&versions);
}

/* GET /s/{slug}. */
int
us_page_statement_prepare(struct http_request *req, struct us_req *r)
{
	return (us_page_cached_prepare(req, r, ""));
}

/*
 * GET /s/{slug} (and the check-email page, which shows the same data).
 * A published statement links each download, with its size.
 */
int
us_page_statement_work(struct us_db *db, struct us_req *r)
{
	json_t		*downloads;
	const char	*version;

	/* The revision first: a change after it is seen at the next check. */
	if (!us_pagecache_check(db, r, r->params[0]))
		return (US_FAIL);
	if (r->pc.hit)
		return (US_OK);
	r->out = us_page_statement_model(db, r->params[0], 0, r,
	    us_fields_get(&r->fields, "text"), &r->err);
	if (r->out == NULL)
		return (US_FAIL);
	if (strcmp(json_string_value(json_object_get(r->out, "status")),
	    "published") != 0)
		return (US_OK);
	/* The files of the version shown. */
	version = json_string_value(json_object_get(r->out, "lang"));
	if (strcmp(version, json_string_value(json_object_get(r->out,
	    "base_lang"))) == 0)
		version = NULL;
	if ((downloads = us_download_list(db, r->params[0], version, r->lang,
	    &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "downloads", downloads);
	if (version != NULL)
		json_object_set_new(r->out, "download_lang",
		    json_string(version));
	return (US_OK);
}

void
us_page_statement_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	if (!r->pc.hit)
		us_page_form_state(r->out, NULL, NULL, r->lang);
	us_page_cached_answer(req, r, "", "statement.html");
}

/*
 * POST /s/{slug}/sign.  Invalid input still goes to work: the page must
 * be shown again with the statement, the errors and what was typed.
 */
int
us_page_sign_prepare(struct http_request *req, struct us_req *r)
{
	const char	*trap;

	if (!us_http_body_form(req, r, US_BODY_SIGN_MAX))
		return (US_HTTP_DONE);
	/*
	 * The honeypot: a field people neither see nor hear (statement.html)
	 * that form-filling robots fill.  Filled, nothing is stored or sent,
	 * and the answer is the one a real signer gets, so the robot learns
	 * nothing to adapt to.
	 */
	if ((trap = us_fields_get(&r->fields, US_SIGN_HONEYPOT)) != NULL &&
	    *trap != '\0') {
		us_log(LOG_INFO, "sign form for %s: honeypot filled, ignored",
		    r->params[0]);
		page_sign_sent(req, r);
		return (US_HTTP_DONE);
	}
	(void)us_sign_validate(&r->fields, &r->clean, &r->errs);
	return (US_HTTP_WORK);
}

int
us_page_sign_work(struct us_db *db, struct us_req *r)
{
	if (r->errs.n == 0 && us_sig_sign_work(db, r))
		return (US_OK);
	return (us_page_form_again(db, r));
}

/*
 * A public form (sign, report an action) that did not go through: the
 * statement's page again, with why.  A refusal of the work itself
 * (closed, text changed, expired) joins the field errors; a failure of
 * the service stays an error page.  Returns US_FAIL for work.
 */
int
us_page_form_again(struct us_db *db, struct us_req *r)
{
	struct us_error	err;

	if (r->err.kind == US_E_CONFLICT || r->err.kind == US_E_INVALID) {
		*us_errlist_add(&r->errs) = r->err;
		us_error_clear(&r->err);
	}
	if (r->err.kind != US_E_NONE)
		return (US_FAIL);
	us_error_clear(&err);
	r->out = us_page_statement_model(db, r->params[0], 0, r,
	    us_fields_get(&r->fields, "lang"), &err);
	if (r->out == NULL)
		r->err = err;
	/*
	 * An expired action refuses whatever was typed, mistakes and all:
	 * there is no form left to correct them in.
	 */
	else if (json_is_true(json_object_get(r->out, "expired")) &&
	    (r->errs.n == 0 || strcmp(r->errs.v[0].code, "expired") != 0)) {
		r->errs.n = 0;
		us_error_set(us_errlist_add(&r->errs), US_E_CONFLICT, NULL,
		    "expired", "This action has expired: it no longer takes "
		    "signatures.");
	}
	return (US_FAIL);
}

void
us_page_sign_finish(struct http_request *req, struct us_req *r)
{
	int	status;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	if (r->errs.n == 0) {
		page_sign_sent(req, r);
		return;
	}
	status = us_error_status(r->errs.v[0].kind);
	/*
	 * An expired action takes nothing: the page's notice (page_act.c)
	 * stands where the form was, and what was typed is not kept.
	 */
	if (strcmp(r->errs.v[0].code, "expired") == 0) {
		us_page_form_state(r->out, NULL, NULL, r->lang);
		us_http_page(req, status, "statement.html", r->out);
		return;
	}
	us_page_form_state(r->out, &r->fields, &r->errs, r->lang);
	us_http_page(req, status, "statement.html", r->out);
}

void
us_page_check_email_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_page(req, HTTP_STATUS_OK, "check_email.html", r->out);
}

/* GET /: the statements open for signing, then the others. */
int
us_page_index_work(struct us_db *db, struct us_req *r)
{
	json_t	*list;

	if ((list = us_db_stmt_list_public(db, &r->err)) == NULL)
		return (US_FAIL);
	r->out = json_pack("{s:o, s:s}", "statements", list, "title",
	    "Statements");
	return (US_OK);
}

void
us_page_index_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_page(req, HTTP_STATUS_OK, "index.html", r->out);
}

/* GET /s/{slug}/preview/{token}: the statement under embargo, by secret link. */
int
us_page_preview_work(struct us_db *db, struct us_req *r)
{
	if (!us_db_preview_ok(db, r->params[0], r->params[1], &r->err))
		return (US_FAIL);
	r->out = us_page_statement_model(db, r->params[0], -1, r,
	    us_fields_get(&r->fields, "text"), &r->err);
	if (r->out == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "preview", json_true());
	json_object_set_new(r->out, "can_report", json_false());
	return (US_OK);
}

/*
 * GET /w/s/{slug}/preview: the public page as it will look, for the
 * statement's coordinators in any state (a draft has no public page).
 */
int
us_ws_preview_work(struct us_db *db, struct us_req *r)
{
	struct us_db_access	a;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	r->out = us_page_statement_model(db, r->params[0], r->coord, r,
	    us_fields_get(&r->fields, "text"), &r->err);
	if (r->out == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "ws_preview", json_true());
	json_object_set_new(r->out, "open", json_false());
	json_object_set_new(r->out, "can_report", json_false());
	return (US_OK);
}

void
us_page_preview_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	/* Secret links must not linger in caches or indexes. */
	http_response_header(req, "x-robots-tag", "noindex");
	us_page_form_state(r->out, NULL, NULL, r->lang);
	us_http_page(req, HTTP_STATUS_OK, "statement.html", r->out);
}
