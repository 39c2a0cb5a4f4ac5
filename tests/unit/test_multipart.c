#include "helpers.h"

#include "core/buf.h"
#include "core/multipart.h"

#define CT	"multipart/form-data; boundary=----x7"

static void
test_multipart_reads_fields_and_files(void **state)
{
	static const char	body[] =
	    "------x7\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "abc\r\n"
	    "------x7\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"list.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\n"
	    "organisation,country\r\n\"A, B\",KG\r\n"
	    "------x7--\r\n";
	struct us_fields	f;
	struct us_error		e;

	(void)state;
	us_fields_init(&f);
	assert_int_equal(us_multipart_parse(&f, CT, body, sizeof(body) - 1,
	    &e), US_OK);
	assert_string_equal(us_fields_get(&f, "csrf"), "abc");
	assert_string_equal(us_fields_get(&f, "file"),
	    "organisation,country\r\n\"A, B\",KG");
	assert_string_equal(us_fields_get(&f, "file.filename"), "list.csv");
	us_fields_free(&f);
}

static void
test_multipart_keeps_binary_content_length(void **state)
{
	static const char	body[] =
	    "------x7\r\n"
	    "Content-Disposition: form-data; name=\"file\"\r\n\r\n"
	    "a\0b\r\n"
	    "------x7--\r\n";
	struct us_fields	 f;
	struct us_error		 e;

	(void)state;
	us_fields_init(&f);
	assert_int_equal(us_multipart_parse(&f, CT, body, sizeof(body) - 1,
	    &e), US_OK);
	assert_int_equal(us_fields_find(&f, "file")->len, 3);
	us_fields_free(&f);
}

static void
test_multipart_refuses_bad_framing(void **state)
{
	struct us_fields	f;
	struct us_error		e;
	static const char	*bad[] = {
		"no boundary at all",
		"------x7\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		    "unterminated",
		"------x7\r\nContent-Disposition: form-data\r\n\r\nx\r\n"
		    "------x7--",
		"------x7\r\nno blank line",
	};
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us_fields_init(&f);
		assert_int_equal(us_multipart_parse(&f, CT, bad[i],
		    strlen(bad[i]), &e), US_FAIL);
		assert_int_equal(e.kind, US_E_MALFORMED);
		us_fields_free(&f);
	}
	us_fields_init(&f);
	assert_int_equal(us_multipart_parse(&f, "text/plain", "", 0, &e),
	    US_FAIL);
	assert_int_equal(us_multipart_parse(&f, NULL, "", 0, &e), US_FAIL);
	us_fields_free(&f);
}

/* Each part costs a lookup: parts count toward the request's field cap. */
static void
test_multipart_past_field_cap_is_413(void **state)
{
	struct us_fields	f;
	struct us_error		e;
	struct us_buf		b;
	int			i;

	(void)state;
	us_buf_init(&b);
	for (i = 0; i <= US_FIELDS_MAX; i++)
		us_buf_appendf(&b, "------x7\r\nContent-Disposition: form-data; "
		    "name=\"p%d\"\r\n\r\nv\r\n", i);
	us_buf_puts(&b, "------x7--\r\n");
	us_fields_init(&f);
	us_error_clear(&e);
	assert_int_equal(us_multipart_parse(&f, CT, b.data, b.len, &e),
	    US_FAIL);
	assert_int_equal(e.kind, US_E_TOOLARGE);
	assert_string_equal(e.code, "too_many_fields");
	us_fields_free(&f);
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_multipart_reads_fields_and_files),
		cmocka_unit_test(test_multipart_keeps_binary_content_length),
		cmocka_unit_test(test_multipart_refuses_bad_framing),
		cmocka_unit_test(test_multipart_past_field_cap_is_413),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
