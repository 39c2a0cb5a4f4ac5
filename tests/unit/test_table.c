/*
 * us_table: the formula guard and CSV quoting that the server's exports
 * and the list plugins share (plugins/common/table.c).
 */
#include "helpers.h"

#include "common/table.h"
#include "core/buf.h"

static void
put(void *ctx, const void *data, size_t len)
{
	us_buf_append(ctx, data, len);
}

static char *
field(const char *s, int guard)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_table_csv_field(put, &b, s, strlen(s), guard);
	us_buf_putc(&b, '\0');
	return (us_buf_release(&b));
}

static void
check(const char *in, int guard, const char *want)
{
	char	*got = field(in, guard);

	assert_string_equal(got, want);
	free(got);
}

static void
test_formula_starts_are_guarded(void **state)
{
	(void)state;
	assert_true(us_table_formula("=1+1", 4));
	assert_true(us_table_formula("+7 495", 6));
	assert_true(us_table_formula("-1", 2));
	assert_true(us_table_formula("@SUM(A1)", 8));
	assert_true(us_table_formula("\tx", 2));
	assert_true(us_table_formula("\rx", 2));
	assert_false(us_table_formula("Amnesty", 7));
	assert_false(us_table_formula("", 0));
	assert_false(us_table_formula(NULL, 0));
	assert_false(us_table_formula("a=b", 3));
}

static void
test_plain_fields_are_written_as_they_are(void **state)
{
	(void)state;
	check("Memorial", 1, "Memorial");
	check("Правозащитный центр", 1, "Правозащитный центр");
	check("", 1, "");
}

static void
test_separators_and_line_breaks_are_quoted_and_quotes_doubled(void **state)
{
	(void)state;
	check("Amnesty, Intl", 1, "\"Amnesty, Intl\"");
	check("a;b", 1, "\"a;b\"");
	check("line\nbreak", 1, "\"line\nbreak\"");
	check("He said \"hi\"", 1, "\"He said \"\"hi\"\"\"");
	check("tab\there", 1, "\"tab\there\"");
}

static void
test_guard_goes_inside_the_quotes_and_only_when_asked(void **state)
{
	(void)state;
	check("=HYPERLINK(\"x\")", 1, "\"'=HYPERLINK(\"\"x\"\")\"");
	check("=1+1", 1, "'=1+1");
	check("=1+1", 0, "=1+1");
	check("\tTAB", 1, "\"'\tTAB\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_starts_are_guarded),
		cmocka_unit_test(test_plain_fields_are_written_as_they_are),
		cmocka_unit_test(
		    test_separators_and_line_breaks_are_quoted_and_quotes_doubled),
		cmocka_unit_test(
		    test_guard_goes_inside_the_quotes_and_only_when_asked),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
