/*
 * us_route_match: path patterns with {} segments.
 */
#include "helpers.h"

#include "core/route.h"

static void
test_route_captures_one_segment(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n = 99;

	(void)state;
	assert_int_equal(us_route_match("/api/v1/statements/{}/signatures",
	    "/api/v1/statements/free-press_2026/signatures", p, &n), US_OK);
	assert_int_equal(n, 1);
	assert_string_equal(p[0], "free-press_2026");
}

static void
test_route_captures_several_segments(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/s/{}/t/{}/{}", "/s/a/t/B.9/c-d",
	    p, &n), US_OK);
	assert_int_equal(n, 3);
	assert_string_equal(p[0], "a");
	assert_string_equal(p[1], "B.9");
	assert_string_equal(p[2], "c-d");
}

static void
test_route_matches_literal_path_without_captures(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n = 99;

	(void)state;
	assert_int_equal(us_route_match("/health", "/health", p, &n), US_OK);
	assert_int_equal(n, 0);
	assert_int_equal(us_route_match("/health", "/healthz", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/health", "/Health", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/health", "/heal", p, &n), US_FAIL);
}

static void
test_route_refuses_trailing_characters(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/s/{}", "/s/abc/", p, &n), US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s/abc/extra", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s/abc?x=1", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/s/{}/x", "/s/abc/xy", p, &n),
	    US_FAIL);
}

static void
test_route_refuses_characters_outside_segment_set(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/s/{}", "/s/a%20b", p, &n), US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s/a b", p, &n), US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s/%2e%2e", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s/сайт", p, &n), US_FAIL);
}

static void
test_route_refuses_empty_segment(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/s/{}", "/s/", p, &n), US_FAIL);
	assert_int_equal(us_route_match("/s/{}/t", "/s//t", p, &n), US_FAIL);
	assert_int_equal(us_route_match("/s/{}", "/s", p, &n), US_FAIL);
}

static void
test_route_refuses_leading_dot(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/assets/{}", "/assets/.env", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/assets/{}", "/assets/..", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/a/{}/b", "/a/../b", p, &n),
	    US_FAIL);
	assert_int_equal(us_route_match("/assets/{}", "/assets/app.min.css",
	    p, &n), US_OK);
	assert_string_equal(p[0], "app.min.css");
}

static void
test_route_limits_segment_length(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	char	path[US_ROUTE_PARAM_MAX + 8];
	size_t	n;

	(void)state;
	(void)strcpy(path, "/s/");
	memset(path + 3, 'a', US_ROUTE_PARAM_MAX - 1);
	path[3 + US_ROUTE_PARAM_MAX - 1] = '\0';
	assert_int_equal(us_route_match("/s/{}", path, p, &n), US_OK);
	assert_int_equal(strlen(p[0]), US_ROUTE_PARAM_MAX - 1);

	memset(path + 3, 'a', US_ROUTE_PARAM_MAX);
	path[3 + US_ROUTE_PARAM_MAX] = '\0';
	assert_int_equal(us_route_match("/s/{}", path, p, &n), US_FAIL);
}

static void
test_route_limits_number_of_captures(void **state)
{
	char	p[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(us_route_match("/{}/{}/{}/{}", "/a/b/c/d", p, &n),
	    US_OK);
	assert_int_equal(n, 4);
	assert_string_equal(p[3], "d");
	assert_int_equal(us_route_match("/{}/{}/{}/{}/{}", "/a/b/c/d/e", p,
	    &n), US_FAIL);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_route_captures_one_segment),
		cmocka_unit_test(test_route_captures_several_segments),
		cmocka_unit_test(test_route_matches_literal_path_without_captures),
		cmocka_unit_test(test_route_refuses_trailing_characters),
		cmocka_unit_test(
		    test_route_refuses_characters_outside_segment_set),
		cmocka_unit_test(test_route_refuses_empty_segment),
		cmocka_unit_test(test_route_refuses_leading_dot),
		cmocka_unit_test(test_route_limits_segment_length),
		cmocka_unit_test(test_route_limits_number_of_captures),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
