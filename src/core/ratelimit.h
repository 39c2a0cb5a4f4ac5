/*
 * us_limit: how often one client may ask for work that costs us mail or
 * database writes.  Each limit is a pair of fixed windows (a burst and a
 * sustained rate); the counters live in PostgreSQL (src/db/limits.c) so
 * they hold across Kore workers and app nodes.
 */
#ifndef US_RATELIMIT_H
#define US_RATELIMIT_H

#include <stddef.h>

#include "error.h"

enum us_limit_kind {
	US_LIMIT_SIGN,		/* signatures, form and API */
	US_LIMIT_RESEND,	/* "send me a new link" */
	US_LIMIT_LOGIN,		/* sign-in links for coordinators */
	US_LIMIT_KINDS
};

#define US_LIMIT_WINDOWS	2

struct us_limit {
	const char	*name;
	struct {
		int	seconds;
		int	max;
	} w[US_LIMIT_WINDOWS];
};

/* The windows a request at a given time falls in (seconds since the epoch). */
struct us_limit_at {
	long long	bucket[US_LIMIT_WINDOWS];	/* window numbers */
	long long	ends[US_LIMIT_WINDOWS];		/* when each ends */
};

/* Verification mail per minute, when UNDERSIGNED_MAIL_* are not set. */
#define US_MAIL_PER_MINUTE		300
#define US_MAIL_PER_STATEMENT_MINUTE	120

const struct us_limit	*us_limit_get(enum us_limit_kind);
void	us_limit_at(const struct us_limit *, long long, struct us_limit_at *);
int	us_limit_retry(const struct us_limit *, const struct us_limit_at *,
	    long long, const int [US_LIMIT_WINDOWS]);
int	us_limit_refuse(struct us_error *, int);

#endif
