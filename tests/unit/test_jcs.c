/*
 * us_jcs: RFC 8785 canonical JSON, checked against the RFC's own
 * examples: the sample object of 3.2.2, the member order of 3.2.3 and the
 * number table of Appendix B.
 */
#include "helpers.h"

#include <math.h>

#include "core/buf.h"
#include "core/jcs.h"

static char *
canon(const char *json)
{
	struct us_buf	 b;
	struct us_error	 err;
	json_t		*v;

	v = test_json(json);
	us_buf_init(&b);
	us_error_clear(&err);
	assert_true(us_jcs(&b, v, &err));
	json_decref(v);
	us_buf_putc(&b, '\0');
	return (us_buf_release(&b));
}

static void
check(const char *json, const char *want)
{
	char	*got = canon(json);

	assert_string_equal(got, want);
	free(got);
}

static void
test_rfc8785_sample_object(void **state)
{
	(void)state;
	check("{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, "
	    "0.000000000000000000000000001], \"string\": "
	    "\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", "
	    "\"literals\": [null, true, false]}",
	    "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,"
	    "1e+30,4.5,0.002,1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B"
	    "\\\"\\\\\\\\\\\"/\"}");
}

static void
test_rfc8785_member_order_is_by_utf16_code_units(void **state)
{
	char	*got;

	(void)state;
	got = canon("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
	    " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
	    " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": "
	    "\"Control\", \"\\u00f6\": \"Latin Small Letter O With "
	    "Diaeresis\"}");
	assert_string_equal(got, "{\"\\r\":\"Carriage Return\",\"1\":\"One\","
	    "\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"Latin Small Letter O "
	    "With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
	    "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":"
	    "\"Hebrew Letter Dalet With Dagesh\"}");
	free(got);
}

static void
number(uint64_t bits, const char *want)
{
	struct us_buf	b;
	struct us_error	err;
	double		d;

	memcpy(&d, &bits, sizeof(d));
	us_buf_init(&b);
	us_error_clear(&err);
	assert_true(us_jcs_number(&b, d, &err));
	us_buf_putc(&b, '\0');
	assert_string_equal(b.data, want);
	us_buf_free(&b);
}

static void
test_rfc8785_appendix_b_numbers(void **state)
{
	(void)state;
	number(0x0000000000000000ULL, "0");
	number(0x8000000000000000ULL, "0");
	number(0x0000000000000001ULL, "5e-324");
	number(0x8000000000000001ULL, "-5e-324");
	number(0x7fefffffffffffffULL, "1.7976931348623157e+308");
	number(0xffefffffffffffffULL, "-1.7976931348623157e+308");
	number(0x4340000000000000ULL, "9007199254740992");
	number(0xc340000000000000ULL, "-9007199254740992");
	number(0x4430000000000000ULL, "295147905179352830000");
	number(0x44b52d02c7e14af5ULL, "9.999999999999997e+22");
	number(0x44b52d02c7e14af6ULL, "1e+23");
	number(0x44b52d02c7e14af7ULL, "1.0000000000000001e+23");
	number(0x444b1ae4d6e2ef4eULL, "999999999999999700000");
	number(0x444b1ae4d6e2ef4fULL, "999999999999999900000");
	number(0x444b1ae4d6e2ef50ULL, "1e+21");
	number(0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7");
	number(0x3eb0c6f7a0b5ed8dULL, "0.000001");
	number(0x41b3de4355555553ULL, "333333333.3333332");
	number(0x41b3de4355555554ULL, "333333333.33333325");
	number(0x41b3de4355555555ULL, "333333333.3333333");
	number(0x41b3de4355555556ULL, "333333333.3333334");
	number(0x41b3de4355555557ULL, "333333333.33333343");
	number(0xbecbf647612f3696ULL, "-0.0000033333333333333333");
	number(0x43143ff3c1cb0959ULL, "1424953923781206.2");
}

static void
test_integers_of_records_are_plain(void **state)
{
	(void)state;
	check("{\"b\": 412, \"a\": 0, \"c\": -3, \"d\": 9007199254740992}",
	    "{\"a\":0,\"b\":412,\"c\":-3,\"d\":9007199254740992}");
	check("[1.0, 100, 1e2]", "[1,100,100]");
}

static void
test_strings_keep_unicode_and_escape_only_what_they_must(void **state)
{
	(void)state;
	check("[\"\\u2028\\u007f\\u0001\\b\\t\\f\", \"\xd0\x9c\xd0\xb5\"]",
	    "[\"\xe2\x80\xa8\x7f\\u0001\\b\\t\\f\",\"\xd0\x9c\xd0\xb5\"]");
	check("{\"\": \"\"}", "{\"\":\"\"}");
}

static void
test_nan_has_no_canonical_form(void **state)
{
	struct us_buf	b;
	struct us_error	err;

	(void)state;
	us_buf_init(&b);
	us_error_clear(&err);
	assert_false(us_jcs_number(&b, NAN, &err));
	assert_false(us_jcs_number(&b, INFINITY, &err));
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8785_sample_object),
		cmocka_unit_test(
		    test_rfc8785_member_order_is_by_utf16_code_units),
		cmocka_unit_test(test_rfc8785_appendix_b_numbers),
		cmocka_unit_test(test_integers_of_records_are_plain),
		cmocka_unit_test(
		    test_strings_keep_unicode_and_escape_only_what_they_must),
		cmocka_unit_test(test_nan_has_no_canonical_form),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
