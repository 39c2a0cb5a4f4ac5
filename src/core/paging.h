/*
 * us_paging: limit and offset of a paginated list, read from a request's
 * query, and the RFC 8288 Link header that leads a client through it.
 *
 * A list answers at most US_PAGING_MAX items; limit defaults to that.
 * Offsets past US_PAGING_OFFSET_MAX are refused rather than handed to
 * the database, where they could only mean a mistake.
 */
#ifndef US_PAGING_H
#define US_PAGING_H

#include "buf.h"
#include "error.h"

#define US_PAGING_MAX		1000
#define US_PAGING_OFFSET_MAX	100000000LL

struct us_paging {
	long long	limit;
	long long	offset;
};

int	us_paging_parse(const char *, const char *, long long,
	    struct us_paging *, struct us_error *);
void	us_paging_links(struct us_buf *, const char *, const char *,
	    const struct us_paging *, long long);
long long us_paging_pages(long long, long long);

#endif
