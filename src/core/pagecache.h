/*
 * us_pcache: rendered pages kept in memory, bounded by size, least
 * recently used first out.  Pure: no clock, no Kore; the caller passes
 * the time and owns the cache (one per Kore worker, used on its event
 * loop only, so no locks).
 *
 * Two kinds of item share one table and one budget:
 *
 *   scope   what a set of pages is rendered from, e.g. "st/SLUG" for a
 *           statement: its revision, when that was last read from the
 *           database, and a little data of its own (the statement's
 *           language versions, to choose a variant without a query);
 *   page    bytes rendered from a scope at a revision, under a key that
 *           names the variant ("page/SLUG/en/ru").
 *
 * A page is served when its scope is fresh (read within the caller's
 * window) and the page's revision is the scope's.  Items are reference
 * counted: a request may hold a page while it waits for a revision check;
 * an item evicted meanwhile lives until its last holder lets go.
 */
#ifndef US_PAGECACHE_H
#define US_PAGECACHE_H

#include <stddef.h>

struct us_pcache;

struct us_pcache_item {
	char			*key;
	long long		 rev;		/* -1: not known yet */
	long long		 checked_ms;	/* scopes: when rev was read */
	long long		 stored_ms;	/* pages: when rendered */
	long long		 asked_ms;	/* scopes: a check under way since */
	char			*data;
	size_t			 len;
	char			 etag[80];	/* pages: "rev-variant-assets" */
	/* Private to pagecache.c. */
	int			 refs;
	int			 linked;
	size_t			 cost;
	struct us_pcache_item	*hnext;
	struct us_pcache_item	*prev, *next;	/* LRU order, newest first */
};

/* Memory one worker's cache may use (docs/architecture.md). */
#define US_PCACHE_BYTES		(16 * 1024 * 1024)
/* A page bigger than this share of the budget is not kept. */
#define US_PCACHE_ITEM_SHARE	8
/* A revision check under way this long is taken to have failed. */
#define US_PCACHE_ASK_MS	5000
/* A page is rendered again at least this often (us_pcache_page_ok). */
#define US_PCACHE_MAX_AGE_MS	30000

struct us_pcache	*us_pcache_new(size_t);
void			 us_pcache_free(struct us_pcache *);
struct us_pcache_item	*us_pcache_get(struct us_pcache *, const char *);
struct us_pcache_item	*us_pcache_put(struct us_pcache *, const char *,
			    long long, const void *, size_t);
void			 us_pcache_ref(struct us_pcache_item *);
void			 us_pcache_unref(struct us_pcache *,
			    struct us_pcache_item *);
void			 us_pcache_drop(struct us_pcache *, const char *);
size_t			 us_pcache_bytes(const struct us_pcache *);
size_t			 us_pcache_count(const struct us_pcache *);
int			 us_pcache_fresh(const struct us_pcache_item *,
			    long long, long long);
int			 us_pcache_page_ok(const struct us_pcache_item *,
			    const struct us_pcache_item *, long long);
int			 us_pcache_asking(const struct us_pcache_item *,
			    long long);
void			 us_pcache_etag(char *, size_t, long long,
			    const char *, const char *);

#endif
