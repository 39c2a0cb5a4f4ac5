/*
 * us_fields: URL-encoded forms and JSON objects as named values.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/fields.h"

static int	form(struct us_fields *, const char *, struct us_error *);
static int	fields_setup(void **);
static int	fields_teardown(void **);

static int
form(struct us_fields *f, const char *body, struct us_error *e)
{
	us_error_clear(e);
	return (us_form_parse(f, body, strlen(body), e));
}

static int
fields_setup(void **state)
{
	struct us_fields	*f;

	if ((f = malloc(sizeof(*f))) == NULL)
		return (-1);
	us_fields_init(f);
	*state = f;
	return (0);
}

static int
fields_teardown(void **state)
{
	us_fields_free(*state);
	free(*state);
	return (0);
}

static void
test_form_plus_becomes_space(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "name=John+Smith&city=Bishkek", &e), US_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(us_fields_get(f, "name"), "John Smith");
	assert_string_equal(us_fields_get(f, "city"), "Bishkek");
	assert_int_equal(us_fields_find(f, "name")->len, 10);
}

static void
test_form_decodes_percent_escapes(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "a=1%2B1%3D2&b=%26%25&c%20d=%7e%7E", &e),
	    US_OK);
	assert_string_equal(us_fields_get(f, "a"), "1+1=2");
	assert_string_equal(us_fields_get(f, "b"), "&%");
	assert_string_equal(us_fields_get(f, "c d"), "~~");
}

static void
test_form_decodes_utf8_bytes(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "country=%D0%9A%D1%8B%D1%80%D0%B3%D1%8B%D0"
	    "%B7%D1%81%D1%82%D0%B0%D0%BD&q=%E2%80%9Cx%E2%80%9D", &e), US_OK);
	assert_string_equal(us_fields_get(f, "country"), "Кыргызстан");
	assert_string_equal(us_fields_get(f, "q"), "“x”");
	assert_int_equal(us_fields_find(f, "country")->len, 20);
}

static void
test_form_first_occurrence_wins(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "email=a%40example.org&x=1&"
	    "email=evil%40example.org&e%6Dail=evil2", &e), US_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(us_fields_get(f, "email"), "a@example.org");
}

static void
test_form_skips_empty_pairs_and_names(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "&&a=1&&=orphan&b=2&", &e), US_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->v[0].name, "a");
	assert_string_equal(f->v[1].name, "b");
	assert_null(us_fields_get(f, ""));
}

static void
test_form_name_without_value_is_empty(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	assert_int_equal(form(f, "agree&b=&c=x=y", &e), US_OK);
	assert_int_equal(f->n, 3);
	assert_string_equal(us_fields_get(f, "agree"), "");
	assert_int_equal(us_fields_find(f, "agree")->len, 0);
	assert_string_equal(us_fields_get(f, "b"), "");
	assert_string_equal(us_fields_get(f, "c"), "x=y");
}

static void
test_form_rejects_malformed_escapes(void **state)
{
	static const char	*bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%4g", "a=%g4", "%=1", "a%2=1",
		"ok=1&a=50%", "a=%%41",
	};
	struct us_fields	*f = *state;
	struct us_error		 e;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (form(f, bad[i], &e) != US_FAIL)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(e.kind, US_E_MALFORMED);
		assert_string_equal(e.code, "malformed_form");
		assert_int_equal(us_error_status(e.kind), 400);
		us_fields_free(f);
	}
}

static void
test_form_keeps_nul_byte_in_len(void **state)
{
	struct us_fields	*f = *state;
	const struct us_field	*fl;
	struct us_error		 e;

	assert_int_equal(form(f, "a=x%00y&n%00ame=1", &e), US_OK);
	assert_int_equal(f->n, 1);
	fl = us_fields_find(f, "a");
	assert_non_null(fl);
	assert_int_equal(fl->len, 3);
	assert_memory_equal(fl->value, "x\0y", 4);
}

static void
test_form_reads_only_len_bytes(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;

	us_error_clear(&e);
	assert_int_equal(us_form_parse(f, "a=12&b=2", 3, &e), US_OK);
	assert_int_equal(f->n, 1);
	assert_string_equal(us_fields_get(f, "a"), "1");
	assert_int_equal(us_form_parse(f, "", 0, &e), US_OK);
	assert_int_equal(f->n, 1);
}

static void
test_fields_set_replaces_value(void **state)
{
	struct us_fields	*f = *state;

	us_fields_set(f, "a", "one", 3);
	us_fields_set(f, "b", "two", 3);
	us_fields_set(f, "a", "uno", 2);
	assert_int_equal(f->n, 2);
	assert_string_equal(us_fields_get(f, "a"), "un");
	assert_int_equal(us_fields_find(f, "a")->len, 2);
	assert_null(us_fields_get(f, "c"));
	assert_null(us_fields_find(f, "c"));
}

static void
test_fields_grow_past_initial_capacity(void **state)
{
	struct us_fields	*f = *state;
	char			 name[16], value[16];
	int			 i;

	for (i = 0; i < 100; i++) {
		(void)snprintf(name, sizeof(name), "n%d", i);
		(void)snprintf(value, sizeof(value), "v%d", i);
		us_fields_set(f, name, value, strlen(value));
	}
	assert_int_equal(f->n, 100);
	assert_string_equal(us_fields_get(f, "n0"), "v0");
	assert_string_equal(us_fields_get(f, "n99"), "v99");
}

static void
test_json_copies_strings_booleans_and_integers(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;

	j = test_json("{\"s\": \"Тбилиси\", \"t\": true, \"f\": false, "
	    "\"i\": -42, \"big\": 9007199254740993, \"z\": 0}");
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_OK);
	json_decref(j);
	assert_int_equal(f->n, 6);
	assert_string_equal(us_fields_get(f, "s"), "Тбилиси");
	assert_string_equal(us_fields_get(f, "t"), "true");
	assert_int_equal(us_fields_find(f, "t")->len, 4);
	assert_string_equal(us_fields_get(f, "f"), "false");
	assert_int_equal(us_fields_find(f, "f")->len, 5);
	assert_string_equal(us_fields_get(f, "i"), "-42");
	assert_string_equal(us_fields_get(f, "big"), "9007199254740993");
	assert_string_equal(us_fields_get(f, "z"), "0");
}

static void
test_json_null_and_nested_values_are_absent(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;

	j = test_json("{\"n\": null, \"o\": {\"a\": \"b\"}, \"l\": [1], "
	    "\"s\": \"\"}");
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_OK);
	json_decref(j);
	assert_int_equal(f->n, 1);
	assert_null(us_fields_find(f, "n"));
	assert_null(us_fields_find(f, "o"));
	assert_null(us_fields_find(f, "l"));
	assert_string_equal(us_fields_get(f, "s"), "");
}

static void
test_json_keeps_embedded_nul_in_len(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;

	j = json_loads("{\"a\": \"x\\u0000y\"}", JSON_ALLOW_NUL, NULL);
	assert_non_null(j);
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_OK);
	json_decref(j);
	assert_int_equal(us_fields_find(f, "a")->len, 3);
	assert_memory_equal(us_fields_get(f, "a"), "x\0y", 4);
}

static void
test_json_real_is_an_error(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;

	j = test_json("{\"ok\": \"x\", \"amount\": 1.5}");
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_FAIL);
	json_decref(j);
	assert_int_equal(e.kind, US_E_INVALID);
	assert_string_equal(e.field, "amount");
	assert_string_equal(e.code, "invalid_type");
	assert_string_equal(e.message, "'amount' must be a string.");
}

static void
test_json_non_object_is_malformed(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;

	j = test_json("[\"a\", \"b\"]");
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_FAIL);
	json_decref(j);
	assert_int_equal(e.kind, US_E_MALFORMED);
	assert_string_equal(e.code, "not_an_object");
	assert_string_equal(e.field, "");
	assert_int_equal(f->n, 0);
}

/* "f0=x&f1=x&...": n distinct fields, or n copies of one when same. */
static char *
many_pairs(size_t n, int same)
{
	struct us_buf	b;
	size_t		i;

	us_buf_init(&b);
	for (i = 0; i < n; i++) {
		if (same)
			us_buf_puts(&b, "a=x&");
		else
			us_buf_appendf(&b, "f%zu=x&", i);
	}
	return (us_buf_release(&b));
}

static void
test_form_past_field_cap_is_413(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	char			*body;

	body = many_pairs(US_FIELDS_MAX + 1, 0);
	assert_int_equal(form(f, body, &e), US_FAIL);
	free(body);
	assert_int_equal(e.kind, US_E_TOOLARGE);
	assert_string_equal(e.code, "too_many_fields");
	assert_int_equal(us_error_status(e.kind), 413);
	assert_non_null(strstr(e.message, "2000"));
}

static void
test_form_at_field_cap_is_accepted(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	char			*body;

	body = many_pairs(US_FIELDS_MAX, 0);
	assert_int_equal(form(f, body, &e), US_OK);
	free(body);
	assert_int_equal(f->n, US_FIELDS_MAX);
	assert_string_equal(us_fields_get(f, "f1999"), "x");
}

/* Repeats of one name cost a lookup each, so they count too. */
static void
test_form_repeated_names_count_toward_cap(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	char			*body;

	body = many_pairs(100000, 1);
	assert_int_equal(form(f, body, &e), US_FAIL);
	free(body);
	assert_string_equal(e.code, "too_many_fields");
}

static void
test_form_of_100000_fields_stops_at_cap(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	char			*body;

	body = many_pairs(100000, 0);
	assert_int_equal(form(f, body, &e), US_FAIL);
	free(body);
	assert_string_equal(e.code, "too_many_fields");
	assert_true(f->n <= US_FIELDS_MAX);
}

static void
test_json_past_field_cap_is_413(void **state)
{
	struct us_fields	*f = *state;
	struct us_error		 e;
	json_t			*j;
	char			 name[16];
	int			 i;

	j = json_object();
	for (i = 0; i <= US_FIELDS_MAX; i++) {
		(void)snprintf(name, sizeof(name), "k%d", i);
		json_object_set_new(j, name, json_string("v"));
	}
	us_error_clear(&e);
	assert_int_equal(us_fields_from_json(f, j, &e), US_FAIL);
	json_decref(j);
	assert_int_equal(e.kind, US_E_TOOLARGE);
	assert_string_equal(e.code, "too_many_fields");
	assert_int_equal(f->n, 0);
}

/*
 * The table itself has no cap (callers such as import build large
 * ones): 100,000 names, each found, replaced in place and kept in order.
 */
static void
test_fields_hold_100000_names_by_hash(void **state)
{
	struct us_fields	*f = *state;
	char			 name[16], value[16];
	int			 i;

	for (i = 0; i < 100000; i++) {
		(void)snprintf(name, sizeof(name), "n%d", i);
		(void)snprintf(value, sizeof(value), "v%d", i);
		us_fields_set(f, name, value, strlen(value));
	}
	for (i = 0; i < 100000; i += 7) {
		(void)snprintf(name, sizeof(name), "n%d", i);
		us_fields_set(f, name, "again", 5);
	}
	assert_int_equal(f->n, 100000);
	for (i = 0; i < 100000; i++) {
		(void)snprintf(name, sizeof(name), "n%d", i);
		(void)snprintf(value, sizeof(value), "v%d", i);
		assert_string_equal(us_fields_get(f, name), i % 7 == 0 ?
		    "again" : value);
		assert_string_equal(f->v[i].name, name);
	}
	assert_null(us_fields_find(f, "n100000"));
	assert_null(us_fields_find(f, ""));
}

static void
test_fields_empty_table_finds_nothing(void **state)
{
	struct us_fields	*f = *state;

	assert_null(us_fields_find(f, "a"));
	us_fields_set(f, "a", "1", 1);
	us_fields_free(f);
	assert_null(us_fields_find(f, "a"));
	assert_int_equal(f->n, 0);
}

#define FIELDS_TEST(f)	cmocka_unit_test_setup_teardown(f, fields_setup, \
			    fields_teardown)

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		FIELDS_TEST(test_form_plus_becomes_space),
		FIELDS_TEST(test_form_decodes_percent_escapes),
		FIELDS_TEST(test_form_decodes_utf8_bytes),
		FIELDS_TEST(test_form_first_occurrence_wins),
		FIELDS_TEST(test_form_skips_empty_pairs_and_names),
		FIELDS_TEST(test_form_name_without_value_is_empty),
		FIELDS_TEST(test_form_rejects_malformed_escapes),
		FIELDS_TEST(test_form_keeps_nul_byte_in_len),
		FIELDS_TEST(test_form_reads_only_len_bytes),
		FIELDS_TEST(test_fields_set_replaces_value),
		FIELDS_TEST(test_fields_grow_past_initial_capacity),
		FIELDS_TEST(test_json_copies_strings_booleans_and_integers),
		FIELDS_TEST(test_json_null_and_nested_values_are_absent),
		FIELDS_TEST(test_json_keeps_embedded_nul_in_len),
		FIELDS_TEST(test_json_real_is_an_error),
		FIELDS_TEST(test_json_non_object_is_malformed),
		FIELDS_TEST(test_form_past_field_cap_is_413),
		FIELDS_TEST(test_form_at_field_cap_is_accepted),
		FIELDS_TEST(test_form_repeated_names_count_toward_cap),
		FIELDS_TEST(test_form_of_100000_fields_stops_at_cap),
		FIELDS_TEST(test_json_past_field_cap_is_413),
		FIELDS_TEST(test_fields_hold_100000_names_by_hash),
		FIELDS_TEST(test_fields_empty_table_finds_nothing),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
