/*
 * us_search: the list search's query and the countries it names.
 */
#include "helpers.h"

#include "core/search.h"

static void
expect_countries(const char *q, const char *lang, const char *want)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_search_countries(&b, q, lang);
	assert_string_equal(b.data, want);
	us_buf_free(&b);
}

static void
test_search_clean_trims_and_reads_blanks_as_no_search(void **state)
{
	struct us_error	 err;
	char		*q;

	(void)state;
	assert_int_equal(us_search_clean("  «Мемориал» ", &q, &err), US_OK);
	assert_string_equal(q, "«Мемориал»");
	free(q);
	assert_int_equal(us_search_clean("   ", &q, &err), US_OK);
	assert_null(q);
	assert_int_equal(us_search_clean(NULL, &q, &err), US_OK);
	assert_null(q);
}

static void
test_search_clean_refuses_controls_and_long_queries(void **state)
{
	struct us_error	 err;
	char		*q, longq[US_SEARCH_MAX + 2];

	(void)state;
	assert_int_equal(us_search_clean("a\x01" "b", &q, &err), US_FAIL);
	assert_string_equal(err.field, "q");
	assert_int_equal(err.kind, US_E_INVALID);
	assert_int_equal(us_search_clean("\xff", &q, &err), US_FAIL);
	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	assert_int_equal(us_search_clean(longq, &q, &err), US_FAIL);
	assert_null(q);
}

static void
test_search_countries_by_name_and_code(void **state)
{
	struct us_error	err;

	(void)state;
	expect_countries("kyrgyz", "en", "{KG}");
	expect_countries("KG", "en", "{KG}");
	expect_countries("xq", "en", "{}");
	expect_countries("Мемориал", "en", "{}");
	if (!us_country_load_lang("ru", "/usr/share/locale/ru/LC_MESSAGES/"
	    "iso_3166-1.mo", &err))
		fail_msg("%s", err.message);
	/* The region's form, and the catalogue's older one, both find it. */
	expect_countries("кыргыз", "ru", "{KG}");
	expect_countries("киргиз", "ru", "{KG}");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_search_clean_trims_and_reads_blanks_as_no_search),
		cmocka_unit_test(
		    test_search_clean_refuses_controls_and_long_queries),
		cmocka_unit_test(test_search_countries_by_name_and_code),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
