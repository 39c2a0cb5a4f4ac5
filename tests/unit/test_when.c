/* us_when: the one way a moment (an embargo) is written. */
#include "helpers.h"

#include "core/when.h"

static void
test_when_in_english_and_russian(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_true(us_when_text(&b, "en", "2026-12-09T00:01",
	    "Asia/Bishkek"));
	assert_string_equal(b.data,
	    "00:01 (Asia/Bishkek), Wednesday 9 December 2026");
	us_buf_reset(&b);
	assert_true(us_when_text(&b, "ru", "2026-12-09 00:01:00",
	    "Asia/Bishkek"));
	assert_string_equal(b.data,
	    "00:01 (Asia/Bishkek), среда, 9 декабря 2026");
	us_buf_reset(&b);
	assert_true(us_when_text(&b, "en", "2028-02-29T23:59", NULL));
	assert_string_equal(b.data, "23:59, Tuesday 29 February 2028");
	us_buf_free(&b);
}

static void
test_when_refuses_what_is_not_a_time(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_false(us_when_text(&b, "en", "2026-02-30T10:00", "UTC"));
	assert_false(us_when_text(&b, "en", "tomorrow", "UTC"));
	assert_false(us_when_text(&b, "en", NULL, "UTC"));
	assert_int_equal(b.len, 0);
	us_buf_free(&b);
}

/* Lists show the date first, the time, and the zone named. */
static void
test_when_stamp_in_english_and_russian(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_true(us_when_stamp(&b, "en", "2026-12-09 14:02:31",
	    "Asia/Bishkek"));
	assert_string_equal(b.data, "9 December 2026, 14:02 (Asia/Bishkek)");
	us_buf_reset(&b);
	assert_true(us_when_stamp(&b, "ru", "2026-05-01T08:15", "UTC"));
	assert_string_equal(b.data, "1 мая 2026, 08:15 (UTC)");
	us_buf_reset(&b);
	assert_false(us_when_stamp(&b, "en", "9 Dec", "UTC"));
	assert_int_equal(b.len, 0);
	us_buf_free(&b);
}

/* The whole last day counts, in the statement's own clock. */
static void
test_expired_after_the_last_day_ends(void **state)
{
	(void)state;
	assert_false(us_when_expired("2026-12-09", "2026-12-08T10:00:00"));
	assert_false(us_when_expired("2026-12-09", "2026-12-09T00:00:00"));
	assert_false(us_when_expired("2026-12-09", "2026-12-09T23:59:59"));
	assert_true(us_when_expired("2026-12-09", "2026-12-10T00:00:00"));
	assert_true(us_when_expired("2026-12-09", "2027-01-01T00:00:00"));
	/* Across a year and a month boundary, as text order and date order agree. */
	assert_true(us_when_expired("2026-12-31", "2027-01-01T00:00:01"));
	assert_false(us_when_expired("2027-01-31", "2027-01-09T12:00:00"));
}

static void
test_expiry_without_a_date_never_comes(void **state)
{
	(void)state;
	assert_false(us_when_expired(NULL, "2026-12-10T00:00:00"));
	assert_false(us_when_expired("", "2026-12-10T00:00:00"));
	assert_false(us_when_expired("9 December", "2026-12-10T00:00:00"));
	assert_false(us_when_expired("2026-12-9", "2026-12-10T00:00:00"));
	/* An unreadable clock refuses rather than takes a late signature. */
	assert_true(us_when_expired("2099-01-01", NULL));
	assert_true(us_when_expired("2099-01-01", "now"));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_when_in_english_and_russian),
		cmocka_unit_test(test_when_refuses_what_is_not_a_time),
		cmocka_unit_test(test_when_stamp_in_english_and_russian),
		cmocka_unit_test(test_expired_after_the_last_day_ends),
		cmocka_unit_test(test_expiry_without_a_date_never_comes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
