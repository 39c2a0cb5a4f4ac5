#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pagecache.h"

#define PCACHE_BUCKETS	4096
/* What an item costs beyond its key and bytes (struct, allocator). */
#define PCACHE_OVERHEAD	(sizeof(struct us_pcache_item) + 64)

struct us_pcache {
	struct us_pcache_item	*bucket[PCACHE_BUCKETS];
	struct us_pcache_item	*newest, *oldest;
	size_t			 bytes, max, count;
};

static unsigned int	pcache_hash(const char *);
static void		pcache_unlink(struct us_pcache *,
			    struct us_pcache_item *);
static void		pcache_front(struct us_pcache *,
			    struct us_pcache_item *);
static void		pcache_item_free(struct us_pcache_item *);

/* FNV-1a: keys are short and chosen by us, not by readers. */
static unsigned int
pcache_hash(const char *s)
{
	unsigned int	h = 2166136261u;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return (h % PCACHE_BUCKETS);
}

struct us_pcache *
us_pcache_new(size_t max)
{
	struct us_pcache	*c;

	c = us_calloc(1, sizeof(*c));
	c->max = max;
	return (c);
}

static void
pcache_item_free(struct us_pcache_item *it)
{
	free(it->key);
	free(it->data);
	free(it);
}

void
us_pcache_free(struct us_pcache *c)
{
	struct us_pcache_item	*it, *next;

	if (c == NULL)
		return;
	for (it = c->newest; it != NULL; it = next) {
		next = it->next;
		it->linked = 0;
		if (it->refs == 0)
			pcache_item_free(it);
	}
	free(c);
}

/* Out of the table and the LRU list; freed once nobody holds it. */
static void
pcache_unlink(struct us_pcache *c, struct us_pcache_item *it)
{
	struct us_pcache_item	**pp;

	for (pp = &c->bucket[pcache_hash(it->key)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == it) {
			*pp = it->hnext;
			break;
		}
	}
	if (it->prev != NULL)
		it->prev->next = it->next;
	else
		c->newest = it->next;
	if (it->next != NULL)
		it->next->prev = it->prev;
	else
		c->oldest = it->prev;
	it->prev = it->next = it->hnext = NULL;
	it->linked = 0;
	c->bytes -= it->cost;
	c->count--;
	if (it->refs == 0)
		pcache_item_free(it);
}

static void
pcache_front(struct us_pcache *c, struct us_pcache_item *it)
{
	if (c->newest == it)
		return;
	if (it->prev != NULL)
		it->prev->next = it->next;
	if (it->next != NULL)
		it->next->prev = it->prev;
	else if (c->oldest == it)
		c->oldest = it->prev;
	it->prev = NULL;
	it->next = c->newest;
	if (c->newest != NULL)
		c->newest->prev = it;
	c->newest = it;
	if (c->oldest == NULL)
		c->oldest = it;
}

/* The item under key, now the most recently used; NULL if none. */
struct us_pcache_item *
us_pcache_get(struct us_pcache *c, const char *key)
{
	struct us_pcache_item	*it;

	for (it = c->bucket[pcache_hash(key)]; it != NULL; it = it->hnext) {
		if (strcmp(it->key, key) == 0) {
			pcache_front(c, it);
			return (it);
		}
	}
	return (NULL);
}

/*
 * Stores a copy of data under key at rev, replacing what was there, and
 * lets the least recently used items go until the whole fits.  An item
 * bigger than its share of the budget is not kept (NULL): one huge page
 * must not push out every other.
 */
struct us_pcache_item *
us_pcache_put(struct us_pcache *c, const char *key, long long rev,
    const void *data, size_t len)
{
	struct us_pcache_item	*it;
	size_t			 cost;
	unsigned int		 h;

	/* Copied first: data may be the very item this one replaces. */
	cost = PCACHE_OVERHEAD + strlen(key) + 1 + len + 1;
	if (cost > c->max / US_PCACHE_ITEM_SHARE) {
		us_pcache_drop(c, key);
		return (NULL);
	}
	it = us_calloc(1, sizeof(*it));
	it->key = us_strdup(key);
	it->rev = rev;
	it->data = us_malloc(len + 1);
	if (len > 0)
		memcpy(it->data, data, len);
	it->data[len] = '\0';
	it->len = len;
	us_pcache_drop(c, key);
	while (c->oldest != NULL && c->bytes + cost > c->max)
		pcache_unlink(c, c->oldest);
	it->cost = cost;
	it->linked = 1;
	h = pcache_hash(key);
	it->hnext = c->bucket[h];
	c->bucket[h] = it;
	it->next = c->newest;
	if (c->newest != NULL)
		c->newest->prev = it;
	c->newest = it;
	if (c->oldest == NULL)
		c->oldest = it;
	c->bytes += cost;
	c->count++;
	return (it);
}

void
us_pcache_ref(struct us_pcache_item *it)
{
	it->refs++;
}

void
us_pcache_unref(struct us_pcache *c, struct us_pcache_item *it)
{
	(void)c;
	if (it == NULL)
		return;
	if (--it->refs == 0 && !it->linked)
		pcache_item_free(it);
}

void
us_pcache_drop(struct us_pcache *c, const char *key)
{
	struct us_pcache_item	*it;

	for (it = c->bucket[pcache_hash(key)]; it != NULL; it = it->hnext) {
		if (strcmp(it->key, key) == 0) {
			pcache_unlink(c, it);
			return;
		}
	}
}

size_t
us_pcache_bytes(const struct us_pcache *c)
{
	return (c->bytes);
}

size_t
us_pcache_count(const struct us_pcache *c)
{
	return (c->count);
}

/*
 * Whether a scope's revision may be believed at now_ms without asking
 * the database: read within window_ms.  A clock that went back makes it
 * stale, never fresh for longer.
 */
int
us_pcache_fresh(const struct us_pcache_item *scope, long long now_ms,
    long long window_ms)
{
	if (scope == NULL || scope->rev < 0)
		return (0);
	return (now_ms >= scope->checked_ms &&
	    now_ms - scope->checked_ms < window_ms);
}

/*
 * Whether a page may be served for its scope's revision.  Not past
 * US_PCACHE_MAX_AGE_MS after it was rendered, whatever the revision
 * says: revisions come from a sequence, whose numbers are taken in an
 * order other than the commits', so a change committed late under an
 * older number than one already seen would otherwise go unseen.
 */
int
us_pcache_page_ok(const struct us_pcache_item *page,
    const struct us_pcache_item *scope, long long now_ms)
{
	if (page == NULL || scope == NULL || page->rev != scope->rev ||
	    scope->rev < 0)
		return (0);
	return (now_ms >= page->stored_ms &&
	    now_ms - page->stored_ms < US_PCACHE_MAX_AGE_MS);
}

/*
 * Whether another request is reading the scope's revision now.  Then
 * the page still held is served as it is rather than every request of
 * that moment queueing for the same answer (stale while revalidating,
 * for one query's time); a check that never came back stops counting
 * after US_PCACHE_ASK_MS.
 */
int
us_pcache_asking(const struct us_pcache_item *scope, long long now_ms)
{
	return (scope != NULL && scope->asked_ms > 0 &&
	    now_ms >= scope->asked_ms &&
	    now_ms - scope->asked_ms < US_PCACHE_ASK_MS);
}

/*
 * The strong ETag of a rendered page: the same bytes on every node that
 * runs the same release, for the same revision and variant.
 */
void
us_pcache_etag(char *out, size_t size, long long rev, const char *variant,
    const char *assets)
{
	(void)snprintf(out, size, "\"%lld-%s-%s\"", rev, variant, assets);
}
