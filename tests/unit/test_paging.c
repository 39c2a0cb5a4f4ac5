/*
 * us_paging: limit and offset from a query, and the Link header.
 */
#include "helpers.h"

#include "core/paging.h"

static void
expect_links(long long limit, long long offset, long long total,
    const char *query, const char *want)
{
	struct us_paging	p = { limit, offset };
	struct us_buf		b;

	us_buf_init(&b);
	us_paging_links(&b, "https://x.example/api/l", query, &p, total);
	assert_string_equal(b.data, want);
	us_buf_free(&b);
}

static void
expect_refused(const char *limit, const char *offset, const char *field)
{
	struct us_paging	p;
	struct us_error		err;

	us_error_clear(&err);
	assert_int_equal(us_paging_parse(limit, offset, 1000, &p, &err),
	    US_FAIL);
	assert_int_equal(err.kind, US_E_INVALID);
	assert_string_equal(err.field, field);
	assert_non_null(strstr(err.message, field));
}

static void
test_paging_defaults_to_the_maximum_from_the_start(void **state)
{
	struct us_paging	p;
	struct us_error		err;

	(void)state;
	assert_int_equal(us_paging_parse(NULL, NULL, 1000, &p, &err), US_OK);
	assert_int_equal(p.limit, 1000);
	assert_int_equal(p.offset, 0);
	assert_int_equal(us_paging_parse("7", "99000", 1000, &p, &err), US_OK);
	assert_int_equal(p.limit, 7);
	assert_int_equal(p.offset, 99000);
	assert_int_equal(us_paging_parse("1000", "0", 1000, &p, &err), US_OK);
	assert_int_equal(p.limit, 1000);
}

static void
test_paging_refuses_what_is_not_a_count_in_range(void **state)
{
	(void)state;
	expect_refused("0", NULL, "limit");
	expect_refused("1001", NULL, "limit");
	expect_refused("-1", NULL, "limit");
	expect_refused("", NULL, "limit");
	expect_refused("ten", NULL, "limit");
	expect_refused("10 ", NULL, "limit");
	expect_refused("0x10", NULL, "limit");
	expect_refused("99999999999999999999", NULL, "limit");
	expect_refused(NULL, "-5", "offset");
	expect_refused(NULL, "1e3", "offset");
	expect_refused(NULL, "100000001", "offset");
	expect_refused("10", "", "offset");
}

static void
test_paging_links_first_next_and_last_from_the_start(void **state)
{
	(void)state;
	expect_links(10, 0, 25, NULL,
	    "<https://x.example/api/l?limit=10&offset=0>; rel=\"first\", "
	    "<https://x.example/api/l?limit=10&offset=10>; rel=\"next\", "
	    "<https://x.example/api/l?limit=10&offset=20>; rel=\"last\"");
}

static void
test_paging_links_prev_and_no_next_on_the_last_page(void **state)
{
	(void)state;
	expect_links(10, 20, 25, "q=a%20b",
	    "<https://x.example/api/l?q=a%20b&limit=10&offset=0>; "
	    "rel=\"first\", "
	    "<https://x.example/api/l?q=a%20b&limit=10&offset=10>; "
	    "rel=\"prev\", "
	    "<https://x.example/api/l?q=a%20b&limit=10&offset=20>; "
	    "rel=\"last\"");
}

static void
test_paging_links_from_past_the_end_back_to_the_last_page(void **state)
{
	(void)state;
	expect_links(10, 500, 25, NULL,
	    "<https://x.example/api/l?limit=10&offset=0>; rel=\"first\", "
	    "<https://x.example/api/l?limit=10&offset=20>; rel=\"prev\", "
	    "<https://x.example/api/l?limit=10&offset=20>; rel=\"last\"");
}

static void
test_paging_links_an_empty_list_to_itself(void **state)
{
	(void)state;
	expect_links(1000, 0, 0, NULL,
	    "<https://x.example/api/l?limit=1000&offset=0>; rel=\"first\", "
	    "<https://x.example/api/l?limit=1000&offset=0>; rel=\"last\"");
	assert_int_equal(us_paging_pages(0, 500), 1);
	assert_int_equal(us_paging_pages(500, 500), 1);
	assert_int_equal(us_paging_pages(501, 500), 2);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_paging_defaults_to_the_maximum_from_the_start),
		cmocka_unit_test(
		    test_paging_refuses_what_is_not_a_count_in_range),
		cmocka_unit_test(
		    test_paging_links_first_next_and_last_from_the_start),
		cmocka_unit_test(
		    test_paging_links_prev_and_no_next_on_the_last_page),
		cmocka_unit_test(
		    test_paging_links_from_past_the_end_back_to_the_last_page),
		cmocka_unit_test(test_paging_links_an_empty_list_to_itself),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
