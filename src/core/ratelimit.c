#include <stdio.h>

#include "ratelimit.h"

/*
 * A person signs a few statements at a sitting; a coalition's office
 * behind one address may sign for several member groups in an hour.  A
 * script mailing strangers gets ten, then waits.  Every request counts,
 * a refused one too, so hammering does not help.
 */
static const struct us_limit limits[US_LIMIT_KINDS] = {
	[US_LIMIT_SIGN] = { "sign", { { 60, 10 }, { 3600, 60 } } },
	[US_LIMIT_RESEND] = { "resend", { { 60, 5 }, { 3600, 20 } } },
	[US_LIMIT_LOGIN] = { "login", { { 60, 5 }, { 3600, 20 } } },
};

const struct us_limit *
us_limit_get(enum us_limit_kind kind)
{
	return (&limits[kind]);
}

void
us_limit_at(const struct us_limit *l, long long now, struct us_limit_at *at)
{
	int	i;

	for (i = 0; i < US_LIMIT_WINDOWS; i++) {
		at->bucket[i] = now / l->w[i].seconds;
		at->ends[i] = (at->bucket[i] + 1) * l->w[i].seconds;
	}
}

/*
 * 0 when the counts (this request included) are within the limit, else
 * the seconds until it is lifted: the end of the latest window that is
 * over, at least one second.
 */
int
us_limit_retry(const struct us_limit *l, const struct us_limit_at *at,
    long long now, const int hits[US_LIMIT_WINDOWS])
{
	long long	wait = 0;
	int		i;

	for (i = 0; i < US_LIMIT_WINDOWS; i++) {
		if (hits[i] > l->w[i].max && at->ends[i] - now > wait)
			wait = at->ends[i] - now;
	}
	if (wait == 0) {
		for (i = 0; i < US_LIMIT_WINDOWS; i++)
			if (hits[i] > l->w[i].max)
				return (1);
	}
	return ((int)wait);
}

/* 429, saying when to come back in words as well as in Retry-After. */
int
us_limit_refuse(struct us_error *err, int retry)
{
	int	n;

	if (retry < 1)
		retry = 1;
	if (retry < 120)
		return (us_error_set(err, US_E_RATELIMIT, NULL, "rate_limited",
		    "Too many requests from your address. Please try again "
		    "in %d second%s.", retry, retry == 1 ? "" : "s"));
	n = (retry + 59) / 60;
	return (us_error_set(err, US_E_RATELIMIT, NULL, "rate_limited",
	    "Too many requests from your address. Please try again in %d "
	    "minutes.", n));
}
