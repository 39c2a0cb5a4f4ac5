/*
 * us_limit: the per-client limits, their windows and their words.
 */
#include "helpers.h"

#include "core/ratelimit.h"

static void
test_limit_defaults(void **state)
{
	const struct us_limit	*l;

	(void)state;
	l = us_limit_get(US_LIMIT_SIGN);
	assert_string_equal(l->name, "sign");
	assert_int_equal(l->w[0].seconds, 60);
	assert_int_equal(l->w[0].max, 10);
	assert_int_equal(l->w[1].seconds, 3600);
	assert_int_equal(l->w[1].max, 60);
	assert_string_equal(us_limit_get(US_LIMIT_RESEND)->name, "resend");
	assert_string_equal(us_limit_get(US_LIMIT_LOGIN)->name, "login");
}

static void
test_limit_windows_and_when_they_lift(void **state)
{
	const struct us_limit	*l = us_limit_get(US_LIMIT_SIGN);
	struct us_limit_at	 at;
	long long		 now = 1765141230;	/* 20:20:30 UTC */
	int			 ok[2] = { 10, 60 }, burst[2] = { 11, 11 };
	int			 hour[2] = { 1, 61 }, both[2] = { 11, 61 };

	(void)state;
	us_limit_at(l, now, &at);
	assert_true(at.bucket[0] == now / 60 && at.bucket[1] == now / 3600);
	assert_true(at.ends[0] == 1765141260 && at.ends[1] == 1765144800);
	assert_int_equal(us_limit_retry(l, &at, now, ok), 0);
	assert_int_equal(us_limit_retry(l, &at, now, burst), 30);
	assert_int_equal(us_limit_retry(l, &at, now, hour), 3570);
	assert_int_equal(us_limit_retry(l, &at, now, both), 3570);
	/* Over, at the very end of a window: still at least a second. */
	assert_int_equal(us_limit_retry(l, &at, at.ends[0], burst), 1);
}

static void
test_limit_refusal_says_when_to_come_back(void **state)
{
	struct us_error	e;

	(void)state;
	assert_int_equal(us_limit_refuse(&e, 1), US_FAIL);
	assert_int_equal(e.kind, US_E_RATELIMIT);
	assert_string_equal(e.code, "rate_limited");
	assert_non_null(strstr(e.message, "try again in 1 second."));
	us_limit_refuse(&e, 42);
	assert_non_null(strstr(e.message, "in 42 seconds."));
	us_limit_refuse(&e, 3001);
	assert_non_null(strstr(e.message, "in 51 minutes."));
	us_limit_refuse(&e, 0);
	assert_non_null(strstr(e.message, "in 1 second."));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_limit_defaults),
		cmocka_unit_test(test_limit_windows_and_when_they_lift),
		cmocka_unit_test(test_limit_refusal_says_when_to_come_back),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
