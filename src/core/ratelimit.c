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

/* The windows as two PostgreSQL array literals: "{60,3600}", "{10,60}". */
void
us_limit_arrays(const struct us_limit *l, char *secs, char *max, size_t len)
{
	(void)snprintf(secs, len, "{%d,%d}", l->w[0].seconds, l->w[1].seconds);
	(void)snprintf(max, len, "{%d,%d}", l->w[0].max, l->w[1].max);
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
