/*
 * us_export_csv_copy_row: a row of COPY text format becomes the same CSV
 * row that us_export_csv writes for the same values as JSON.
 */
#include "helpers.h"

#include "core/export.h"

static const struct us_export_col	cols[] = {
	{ "n", "N" }, { "name", "Name" }, { "cc", "Country" },
	{ "cname", "Country name" }, { "ok", "OK" }, { "note", "Note" },
};

static const enum us_export_kind	kinds[] = {
	US_EXPORT_NUMBER, US_EXPORT_TEXT, US_EXPORT_TEXT,
	US_EXPORT_COUNTRY_NAME, US_EXPORT_BOOL, US_EXPORT_TEXT,
};

#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

static void
expect_same(const char *line, const char *json)
{
	struct us_buf	 a, b, field;
	struct us_error	 err;
	json_t		*rows;

	us_buf_init(&a);
	us_buf_init(&b);
	us_buf_init(&field);
	rows = test_json(json);
	assert_int_equal(us_export_csv(cols, NCOLS, rows, 0, &a, &err),
	    US_OK);
	us_export_csv_header(cols, NCOLS, &b);
	assert_int_equal(us_export_csv_copy_row(kinds, NCOLS, line,
	    strlen(line), &field, &b), US_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	json_decref(rows);
	us_buf_free(&a);
	us_buf_free(&b);
	us_buf_free(&field);
}

static void
test_copy_row_matches_the_json_export(void **state)
{
	(void)state;
	expect_same("7\t=cmd|' /C calc'!A0\tKG\tKG\tt\t\\N\n",
	    "[{\"n\": 7, \"name\": \"=cmd|' /C calc'!A0\", \"cc\": \"KG\","
	    " \"cname\": \"Kyrgyzstan\", \"ok\": true, \"note\": null}]");
	expect_same("\\N\t\xd0\x9f\xd0\xa6 \"Мемориал\", a\\tb\\nc\\\\d\t\\N"
	    "\t\\N\tf\t-1+2\n",
	    "[{\"name\": \"\xd0\x9f\xd0\xa6 \\\"Мемориал\\\", a\\tb\\nc\\\\d\","
	    " \"ok\": false, \"note\": \"-1+2\"}]");
	expect_same("1\t\t\\N\tZZ\tf\t@x\r\n",
	    "[{\"n\": 1, \"name\": \"\", \"ok\": false, \"note\": \"@x\\r\"}]");
}

static void
test_copy_row_refuses_a_short_or_long_line(void **state)
{
	struct us_buf	b, field;

	(void)state;
	us_buf_init(&b);
	us_buf_init(&field);
	assert_int_equal(us_export_csv_copy_row(kinds, NCOLS, "1\t2\n", 4,
	    &field, &b), US_FAIL);
	assert_int_equal(us_export_csv_copy_row(kinds, NCOLS,
	    "1\ta\tb\tc\tt\te\tf\n", 15, &field, &b), US_FAIL);
	us_buf_free(&b);
	us_buf_free(&field);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_copy_row_matches_the_json_export),
		cmocka_unit_test(test_copy_row_refuses_a_short_or_long_line),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
