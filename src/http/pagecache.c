/*
 * Public pages from memory.  Each worker keeps the pages it rendered
 * (core/pagecache.c, US_PCACHE_BYTES) under the revision of what they
 * were rendered from, a *scope* (a statement: "st/SLUG").  A request is
 * answered on the event loop, with no query, while its scope's revision
 * was read less than UNDERSIGNED_PAGE_CHECK_MS ago; after that one
 * request per page reads the revision (statement_page_revision(), one
 * index lookup) in a task thread and is answered from the same bytes if
 * nothing changed, or renders the page anew.
 *
 * Why a short poll and not LISTEN/NOTIFY: a NOTIFY takes a lock shared
 * by the whole cluster at every commit that sends one, which is what the
 * sign and confirm paths must not pay; a listening connection per worker
 * would also have to be kept alive and re-listened on the event loop.
 * The poll costs one cheap query per page and worker a second, and a
 * count lags by at most the check interval plus the CDN's max-age.
 *
 * A page that differs per reader (a session, a form's errors, a
 * Set-Cookie) is never put here: such requests bypass the cache or are
 * answered "private".
 *
 * How a page plugs in (docs/architecture.md): prepare calls
 * us_pagecache_begin() with the scope and the variant (US_HTTP_DONE:
 * answered); work calls us_pagecache_check() before it reads anything
 * else and skips its work when r->pc.hit; finish renders unless
 * r->pc.hit and calls us_pagecache_answer().
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "http/http.h"

/* What a CDN or nginx in front may do with a public page. */
#define PAGECACHE_PUBLIC	"public, max-age=2, stale-while-revalidate=10"
#define PAGECACHE_PRIVATE	"private, no-store"

static struct us_pcache	*pagecache;	/* this worker's, event loop only */

static struct us_pcache	*pagecache_get(void);
static long long	 pagecache_now(void);
static void		 pagecache_key(char *, size_t, const char *,
			    const char *, const char *);
static int		 pagecache_private(struct http_request *);
static void		 pagecache_send(struct http_request *,
			    const struct us_pcache_item *, const char *);

static struct us_pcache *
pagecache_get(void)
{
	if (pagecache == NULL)
		pagecache = us_pcache_new(US_PCACHE_BYTES);
	return (pagecache);
}

/* Monotonic: a clock set back must not make a page fresh for longer. */
static long long
pagecache_now(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
pagecache_key(char *out, size_t size, const char *kind, const char *scope,
    const char *variant)
{
	(void)snprintf(out, size, "%s/%s/%s", kind, scope, variant);
}

/*
 * Answers a CDN must not share: the reader is signed in to the
 * workspace, or this answer sets the language cookie (?lang=).
 */
static int
pagecache_private(struct http_request *req)
{
	char	*cookie;

	if (req->query_string != NULL &&
	    strstr(req->query_string, "lang=") != NULL)
		return (1);
	http_populate_cookies(req);
	return (http_request_cookie(req, US_SESSION_COOKIE, &cookie));
}

/* 200 with the bytes, or 304 when the client holds them already. */
static void
pagecache_send(struct http_request *req, const struct us_pcache_item *page,
    const char *type)
{
	const char	*inm;

	us_http_headers(req);
	http_response_header(req, "content-type", type);
	http_response_header(req, "etag", page->etag);
	http_response_header(req, "vary", "Accept-Language, Cookie");
	http_response_header(req, "cache-control", pagecache_private(req) ?
	    PAGECACHE_PRIVATE : PAGECACHE_PUBLIC);
	if (http_request_header(req, "if-none-match", &inm) &&
	    (strcmp(inm, "*") == 0 || strstr(inm, page->etag) != NULL)) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return;
	}
	http_response(req, HTTP_STATUS_OK, page->data, page->len);
}

/* What the cache knows of scope: its revision and its own data. */
const struct us_pcache_item *
us_pagecache_scope(const char *scope)
{
	char	key[US_ROUTE_PARAM_MAX + 32];

	pagecache_key(key, sizeof(key), "scope", scope, "");
	return (us_pcache_get(pagecache_get(), key));
}

/*
 * prepare: answers from memory when the page of this scope and variant
 * is current (US_HTTP_DONE).  Otherwise the page held, if any, is kept
 * for finish, and work reads the revision.  A NULL variant is decided
 * by finish (what the page needs to choose it is not known yet).
 */
int
us_pagecache_begin(struct http_request *req, struct us_req *r,
    const char *scope, const char *variant, const char *type)
{
	struct us_pcache_item	*sc, *page;
	char			 key[US_ROUTE_PARAM_MAX + 96];
	long long		 now;

	r->pc.on = 1;
	r->pc.rev = -1;
	(void)snprintf(r->pc.scope, sizeof(r->pc.scope), "%s", scope);
	(void)snprintf(r->pc.variant, sizeof(r->pc.variant), "%s",
	    variant != NULL ? variant : "");
	if (variant == NULL)
		return (US_HTTP_WORK);
	now = pagecache_now();
	pagecache_key(key, sizeof(key), "scope", scope, "");
	sc = us_pcache_get(pagecache_get(), key);
	pagecache_key(key, sizeof(key), "page", scope, variant);
	if ((page = us_pcache_get(pagecache_get(), key)) == NULL)
		return (US_HTTP_WORK);
	if (us_pcache_page_ok(page, sc, now) &&
	    (us_pcache_fresh(sc, now, us_app.cfg.page_check_ms) ||
	    us_pcache_asking(sc, now))) {
		pagecache_send(req, page, type);
		return (US_HTTP_DONE);
	}
	/* This request asks; others meanwhile get the page as it is. */
	if (sc != NULL)
		sc->asked_ms = now;
	if (now - page->stored_ms < US_PCACHE_MAX_AGE_MS) {
		us_pcache_ref(page);
		r->pc.page = page;
	}
	return (US_HTTP_WORK);
}

/*
 * work, in the task thread, before anything else is read: the scope's
 * revision now.  r->pc.hit says the page held since prepare is still
 * the current one, and work need not build it again.  Only the held
 * item's rev is read here, which nobody changes once it is stored.
 */
int
us_pagecache_check(struct us_db *db, struct us_req *r, const char *slug)
{
	if (!r->pc.on)
		return (US_OK);
	if (!us_db_stmt_revision(db, slug, &r->pc.rev, &r->err))
		return (US_FAIL);
	r->pc.hit = r->pc.page != NULL && r->pc.rev >= 0 &&
	    r->pc.page->rev == r->pc.rev;
	return (US_OK);
}

/*
 * finish: the scope's revision is remembered (with scope_data, when
 * given), the page stored at it unless work found the held one current,
 * and the reader answered.  variant NULL: the one given to begin.
 */
void
us_pagecache_answer(struct http_request *req, struct us_req *r,
    const char *variant, const char *type, const struct us_buf *body,
    const char *scope_data)
{
	struct us_pcache	*c = pagecache_get();
	struct us_pcache_item	*sc, *page, tmp;
	char			 key[US_ROUTE_PARAM_MAX + 96];
	long long		 now;

	if (variant == NULL)
		variant = r->pc.variant;
	now = pagecache_now();
	pagecache_key(key, sizeof(key), "scope", r->pc.scope, "");
	if (scope_data == NULL && (sc = us_pcache_get(c, key)) != NULL)
		scope_data = sc->data;
	if (scope_data == NULL)
		scope_data = "";
	if ((sc = us_pcache_put(c, key, r->pc.rev, scope_data,
	    strlen(scope_data))) != NULL)
		sc->checked_ms = now;

	pagecache_key(key, sizeof(key), "page", r->pc.scope, variant);
	if (r->pc.hit) {
		/* Stored again if it was pushed out meanwhile. */
		if (!r->pc.page->linked && (page = us_pcache_put(c, key,
		    r->pc.rev, r->pc.page->data, r->pc.page->len)) != NULL) {
			page->stored_ms = r->pc.page->stored_ms;
			memcpy(page->etag, r->pc.page->etag,
			    sizeof(page->etag));
		}
		pagecache_send(req, r->pc.page, type);
		return;
	}
	if ((page = us_pcache_put(c, key, r->pc.rev, body->data,
	    body->len)) == NULL) {
		/* Too big to keep: answered all the same. */
		memset(&tmp, 0, sizeof(tmp));
		tmp.data = body->data;
		tmp.len = body->len;
		page = &tmp;
	}
	page->stored_ms = now;
	us_pcache_etag(page->etag, sizeof(page->etag), r->pc.rev, variant,
	    us_app.asset_version);
	pagecache_send(req, page, type);
}

/* The request's hold on a page, when its state is freed. */
void
us_pagecache_release(struct us_req *r)
{
	if (r->pc.page != NULL)
		us_pcache_unref(pagecache, r->pc.page);
	r->pc.page = NULL;
}
