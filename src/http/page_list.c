#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/search.h"
#include "http/http.h"

/*
 * The list section of a statement page: one page of US_PAGE_LIST_SIZE
 * names (?page=), or the names that match a search (?q=), with links to
 * the other pages and to the whole list as a download.  A list of
 * 100,000 names is thus a page of 500, not a document of megabytes.
 * Runs in the task thread.
 */

#define PAGE_NUMBER_MAX		1000000
#define PAGE_NAV_AROUND		2	/* page links each side of the current */

static int	list_page_number(const char *, long long *, struct us_error *);
static void	list_href(struct us_buf *, const char *, const char *,
		    long long);
static void	list_nav(json_t *, const char *, const char *, long long,
		    long long);
static void	list_fill(struct us_buf *, const char *, long long,
		    long long, long long);
static void	list_texts(json_t *, const char *, long long, long long,
		    long long);

static int
list_page_number(const char *s, long long *page, struct us_error *err)
{
	long long	n = 0;
	const char	*p;

	*page = 1;
	if (s == NULL)
		return (US_OK);
	for (p = s; *p >= '0' && *p <= '9' && n <= PAGE_NUMBER_MAX; p++)
		n = n * 10 + (*p - '0');
	if (p == s || *p != '\0' || n < 1 || n > PAGE_NUMBER_MAX)
		return (us_error_set(err, US_E_INVALID, "page", "bad_page",
		    "page must be a page number from 1 to %d.",
		    PAGE_NUMBER_MAX));
	*page = n;
	return (US_OK);
}

/* "?q=...&page=N#signed-h", q percent-encoded. */
static void
list_href(struct us_buf *b, const char *slug, const char *q, long long page)
{
	us_buf_puts(b, "/s/");
	us_esc_url(b, slug);
	us_buf_putc(b, '?');
	if (q != NULL) {
		us_buf_puts(b, "q=");
		us_esc_url(b, q);
		us_buf_putc(b, '&');
	}
	us_buf_appendf(b, "page=%lld#signed-h", page);
}

/*
 * Links to the first and last pages, to those near the current one, a
 * gap mark between, and to the previous and next pages.
 */
static void
list_nav(json_t *st, const char *slug, const char *q, long long page,
    long long pages)
{
	struct us_buf	 href;
	json_t		*nav;
	long long	 i, last_shown = 0;

	if (pages <= 1)
		return;
	us_buf_init(&href);
	nav = json_array();
	for (i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i < page - PAGE_NAV_AROUND ||
		    i > page + PAGE_NAV_AROUND))
			continue;
		if (last_shown != 0 && i > last_shown + 1)
			json_array_append_new(nav, json_pack("{s:b}", "gap", 1));
		us_buf_reset(&href);
		list_href(&href, slug, q, i);
		json_array_append_new(nav, json_pack("{s:I, s:s, s:b}",
		    "number", (json_int_t)i, "href", href.data, "current",
		    i == page));
		last_shown = i;
	}
	json_object_set_new(st, "list_pages", nav);
	if (page > 1) {
		us_buf_reset(&href);
		list_href(&href, slug, q, page - 1);
		json_object_set_new(st, "list_prev_href", json_string(href.data));
	}
	if (page < pages) {
		us_buf_reset(&href);
		list_href(&href, slug, q, page + 1);
		json_object_set_new(st, "list_next_href", json_string(href.data));
	}
	us_buf_free(&href);
}

/* A translated sentence with its {from}, {to} and {total} filled in. */
static void
list_fill(struct us_buf *b, const char *t, long long from, long long to,
    long long total)
{
	static const char	*names[] = { "{from}", "{to}", "{total}" };
	long long		 v[3];
	size_t			 i;

	v[0] = from;
	v[1] = to;
	v[2] = total;
	while (*t != '\0') {
		for (i = 0; i < 3; i++)
			if (strncmp(t, names[i], strlen(names[i])) == 0)
				break;
		if (i < 3) {
			us_buf_appendf(b, "%lld", v[i]);
			t += strlen(names[i]);
		} else
			us_buf_putc(b, *t++);
	}
}

/* "Shown: 501–1000 of 100000" and, for a search, how many matched. */
static void
list_texts(json_t *st, const char *lang, long long total, long long from,
    long long to)
{
	struct us_buf	b;

	us_buf_init(&b);
	if (json_object_get(st, "list_q") != NULL) {
		us_page_words(&b, lang, US_NN_("{n} organisation matches "
		    "the search.", "{n} organisations match the search."),
		    (unsigned long)total);
		json_object_set_new(st, "list_result_text", json_string(b.data));
		us_buf_reset(&b);
	}
	if (total > US_PAGE_LIST_SIZE && to >= from) {
		list_fill(&b, us_i18n(lang, "Shown: {from}–{to} of {total}."),
		    from, to, total);
		json_object_set_new(st, "list_range_text", json_string(b.data));
	}
	us_buf_free(&b);
}

/*
 * The page's part of the list into st: "signatures" and what goes
 * around it.  public: the public's view (a draft is not found); a
 * preview shows the list in any state and links no download.
 */
int
us_page_list(struct us_db *db, json_t *st, const char *slug, int public,
    const struct us_req *r, const char *lang, struct us_error *err)
{
	struct us_db_list_query	 lq;
	struct us_buf		 countries, href;
	json_t			*list;
	const struct us_fields	*f = &r->fields;
	long long		 page = 1, total = 0, pages;
	char			*q = NULL;
	int			 ok = US_FAIL;

	us_buf_init(&countries);
	us_buf_init(&href);
	/* A sign form shown again keeps to the first page. */
	if (r->route->methods & HTTP_METHOD_GET) {
		if (!list_page_number(us_fields_get(f, "page"), &page, err) ||
		    !us_search_clean(us_fields_get(f, "q"), &q, err))
			goto done;
	}
	memset(&lq, 0, sizeof(lq));
	lq.slug = slug;
	lq.public = public;
	lq.limit = US_PAGE_LIST_SIZE;
	if (q != NULL) {
		us_search_countries(&countries, q, lang);
		lq.q = q;
		lq.countries = countries.data;
		json_object_set_new(st, "list_q", json_string(q));
	}
	lq.offset = (page - 1) * US_PAGE_LIST_SIZE;
	if ((list = us_db_sig_page(db, &lq, &total, err)) == NULL)
		goto done;
	pages = us_paging_pages(total, US_PAGE_LIST_SIZE);
	/* Past the end (an old link, a shorter search): the last page. */
	if (page > pages) {
		json_decref(list);
		page = pages;
		lq.offset = (page - 1) * US_PAGE_LIST_SIZE;
		if ((list = us_db_sig_page(db, &lq, &total, err)) == NULL)
			goto done;
	}
	json_object_set_new(st, "signatures", list);
	json_object_set_new(st, "list_searchable", json_boolean(total > 0 ||
	    q != NULL));
	if (page > 1)
		json_object_set_new(st, "list_start",
		    json_integer(lq.offset + 1));
	list_nav(st, slug, q, page, pages);
	list_texts(st, lang, total, lq.offset + 1, lq.offset +
	    (long long)json_array_size(list));
	if (public && q == NULL && total > US_PAGE_LIST_SIZE) {
		us_buf_puts(&href, "/s/");
		us_esc_url(&href, slug);
		us_buf_puts(&href, "/download/csv");
		json_object_set_new(st, "list_full_href", json_string(href.data));
	}
	ok = US_OK;
done:
	free(q);
	us_buf_free(&countries);
	us_buf_free(&href);
	return (ok);
}
