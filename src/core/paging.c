#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paging.h"

static int	paging_number(const char *, long long, long long, long long *);
static void	paging_link(struct us_buf *, const char *, const char *,
		    long long, long long, const char *);

/* Digits only: no sign, no blanks, no hex, nothing after them. */
static int
paging_number(const char *s, long long min, long long max, long long *out)
{
	long long	n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 12)
		return (US_FAIL);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (US_FAIL);
		n = n * 10 + (*s - '0');
	}
	if (n < min || n > max)
		return (US_FAIL);
	*out = n;
	return (US_OK);
}

/*
 * limit and offset as given in the query (NULL when absent); max is the
 * largest limit, and the default.
 */
int
us_paging_parse(const char *limit, const char *offset, long long max,
    struct us_paging *p, struct us_error *err)
{
	p->limit = max;
	p->offset = 0;
	if (limit != NULL && !paging_number(limit, 1, max, &p->limit))
		return (us_error_set(err, US_E_INVALID, "limit", "bad_limit",
		    "limit must be a whole number from 1 to %lld.", max));
	if (offset != NULL && !paging_number(offset, 0, US_PAGING_OFFSET_MAX,
	    &p->offset))
		return (us_error_set(err, US_E_INVALID, "offset", "bad_offset",
		    "offset must be a whole number from 0 to %lld.",
		    US_PAGING_OFFSET_MAX));
	return (US_OK);
}

/* How many pages of size per make up total items; at least one. */
long long
us_paging_pages(long long total, long long per)
{
	if (per <= 0 || total <= 0)
		return (1);
	return ((total + per - 1) / per);
}

static void
paging_link(struct us_buf *b, const char *base, const char *query,
    long long limit, long long offset, const char *rel)
{
	if (b->len > 0)
		us_buf_puts(b, ", ");
	us_buf_appendf(b, "<%s?", base);
	if (query != NULL && *query != '\0')
		us_buf_appendf(b, "%s&", query);
	us_buf_appendf(b, "limit=%lld&offset=%lld>; rel=\"%s\"", limit,
	    offset, rel);
}

/*
 * The Link header of page p of total items: base is the absolute URL of
 * the list without query, query what else the request asked for, already
 * percent-encoded (or NULL).  first and last always; prev and next where
 * there is such a page.  A page past the end leads back with prev to the
 * last page that has items.
 */
void
us_paging_links(struct us_buf *b, const char *base, const char *query,
    const struct us_paging *p, long long total)
{
	long long	last, prev;

	last = (us_paging_pages(total, p->limit) - 1) * p->limit;
	paging_link(b, base, query, p->limit, 0, "first");
	if (p->offset > 0) {
		prev = p->offset - p->limit;
		if (prev > last)
			prev = last;
		paging_link(b, base, query, p->limit, prev < 0 ? 0 : prev,
		    "prev");
	}
	if (p->offset + p->limit < total)
		paging_link(b, base, query, p->limit, p->offset + p->limit,
		    "next");
	paging_link(b, base, query, p->limit, last, "last");
}
