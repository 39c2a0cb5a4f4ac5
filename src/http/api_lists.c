#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/feed.h"
#include "core/i18n.h"
#include "http/http.h"

/*
 * Paginated lists: a statement's signatories, the index of statements,
 * and the Atom feed.  A list answers one page, limit items from offset,
 * with a Link header (RFC 8288) to the first, previous, next and last
 * pages, and its length in X-Total-Count.
 */

#define FEED_ENTRIES	50

/* Statuses the index shows: those a reader can act on or cite. */
#define INDEX_STATUSES	"{open,published}"

/* prepare of a paginated list: limit and offset, or 422 at once. */
int
us_list_prepare(struct http_request *req, struct us_req *r)
{
	if (!us_paging_parse(us_fields_get(&r->fields, "limit"),
	    us_fields_get(&r->fields, "offset"), US_PAGING_MAX, &r->page,
	    &r->err)) {
		us_http_error(req, r, &r->err);
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

/* Link and X-Total-Count for the list at path (below PUBLIC_URL). */
static void
list_headers(struct http_request *req, const struct us_req *r,
    const char *path)
{
	struct us_buf	base, link;
	char		total[24];

	us_buf_init(&base);
	us_buf_init(&link);
	us_buf_appendf(&base, "%s%s", us_app.cfg.public_url, path);
	us_paging_links(&link, base.data, NULL, &r->page, r->total);
	http_response_header(req, "link", link.data);
	(void)snprintf(total, sizeof(total), "%lld", r->total);
	http_response_header(req, "x-total-count", total);
	us_buf_free(&base);
	us_buf_free(&link);
}

/* GET /api/v1/statements/{slug}/signatures?limit=&offset= */
int
us_sig_api_list_work(struct us_db *db, struct us_req *r)
{
	struct us_db_list_query	lq;

	memset(&lq, 0, sizeof(lq));
	lq.slug = r->params[0];
	lq.public = 1;
	lq.limit = r->page.limit;
	lq.offset = r->page.offset;
	r->out = us_db_sig_page(db, &lq, &r->total, &r->err);
	return (r->out != NULL);
}

void
us_sig_api_list_finish(struct http_request *req, struct us_req *r)
{
	struct us_buf	path;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_buf_init(&path);
	us_buf_puts(&path, "/api/v1/statements/");
	us_esc_url(&path, r->params[0]);
	us_buf_puts(&path, "/signatures");
	list_headers(req, r, path.data);
	us_buf_free(&path);
	us_http_json(req, HTTP_STATUS_OK, r->out);
}

/* A statement's public page, for the index. */
static void
list_url(json_t *o)
{
	struct us_buf	url;

	us_buf_init(&url);
	us_buf_appendf(&url, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&url, json_string_value(json_object_get(o, "slug")));
	json_object_set_new(o, "url", json_string(url.data));
	us_buf_free(&url);
}

/* GET /api/v1/statements?limit=&offset= */
int
us_stmt_api_index_work(struct us_db *db, struct us_req *r)
{
	json_t	*o;
	size_t	 i;

	r->out = us_db_stmt_index(db, INDEX_STATUSES, r->page.limit,
	    r->page.offset, &r->total, &r->err);
	if (r->out == NULL)
		return (US_FAIL);
	json_array_foreach(r->out, i, o) {
		json_object_del(o, "body_markdown");
		json_object_del(o, "follows_name");
		list_url(o);
	}
	return (US_OK);
}

/*
 * An update is titled as its page heads it, "Update 1 to UA 56.23:
 * title", in the reader's language, so a feed reader tells it from the
 * action it follows.
 */
static void
feed_update_titles(json_t *entries, const char *lang)
{
	struct us_buf	 b;
	json_t		*e;
	const char	*prefix, *p;
	size_t		 i;

	us_buf_init(&b);
	json_array_foreach(entries, i, e) {
		if (!json_is_integer(json_object_get(e, "update_number")) ||
		    !json_is_string(json_object_get(e, "follows_name")))
			continue;
		us_buf_reset(&b);
		prefix = us_i18n(lang, "Update {n} to");
		if ((p = strstr(prefix, "{n}")) != NULL) {
			us_buf_append(&b, prefix, (size_t)(p - prefix));
			us_buf_appendf(&b, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(e,
			    "update_number")));
			us_buf_puts(&b, p + 3);
		} else
			us_buf_puts(&b, prefix);
		us_buf_appendf(&b, " %s: %s", json_string_value(
		    json_object_get(e, "follows_name")), json_string_value(
		    json_object_get(e, "title")));
		json_object_set_new(e, "title", json_string(b.data));
	}
	us_buf_free(&b);
}

void
us_stmt_api_index_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	list_headers(req, r, "/api/v1/statements");
	us_http_json(req, HTTP_STATUS_OK, r->out);
}

/* GET /feed.atom: the newest published statements. */
int
us_feed_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_stmt_index(db, "{published}", FEED_ENTRIES, 0,
	    &r->total, &r->err);
	return (r->out != NULL);
}

void
us_feed_finish(struct http_request *req, struct us_req *r)
{
	struct us_buf	b;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	feed_update_titles(r->out, r->lang);
	us_buf_init(&b);
	us_feed_atom(&b, us_app.cfg.public_url, us_i18n(r->lang,
	    "Published statements"), r->out);
	us_http_headers(req);
	http_response_header(req, "content-type",
	    "application/atom+xml; charset=utf-8");
	http_response_header(req, "cache-control", "public, max-age=60");
	http_response(req, HTTP_STATUS_OK, b.data, b.len);
	us_buf_free(&b);
}
