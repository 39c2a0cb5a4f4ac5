/*
 * us_sign_validate: the rules a signature must meet, whichever way it
 * arrives.
 */
#include "helpers.h"

#include "core/sign.h"

#define DIGEST	"0123456789abcdef0123456789abcdef" \
		"0123456789ABCDEF0123456789ABCDEF"

struct sign_case {
	struct us_fields	in;
	struct us_fields	out;
	struct us_errlist	errs;
};

static int	sign_setup(void **);
static int	sign_teardown(void **);
static void	base_fields(struct us_fields *);

static int
sign_setup(void **state)
{
	struct sign_case	*c;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return (-1);
	us_fields_init(&c->in);
	us_fields_init(&c->out);
	*state = c;
	return (0);
}

static int
sign_teardown(void **state)
{
	struct sign_case	*c = *state;

	us_fields_free(&c->in);
	us_fields_free(&c->out);
	free(c);
	return (0);
}

/* Everything a signature needs except country and visibility. */
static void
base_fields(struct us_fields *f)
{
	test_fields(f, "organisation", "  Civil Initiative ",
	    "contact_name", "Aida Sadykova", "email", "Aida@Example.KG", NULL);
}

static void
test_sign_named_signature_with_country_is_valid(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "kg", "website", "ngo.example.kg",
	    "lang", "RU", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_int_equal(c->errs.n, 0);
	assert_string_equal(us_fields_get(&c->out, "organisation"),
	    "Civil Initiative");
	assert_string_equal(us_fields_get(&c->out, "country"), "KG");
	assert_string_equal(us_fields_get(&c->out, "website"),
	    "https://ngo.example.kg");
	assert_string_equal(us_fields_get(&c->out, "email"),
	    "Aida@example.kg");
	assert_string_equal(us_fields_get(&c->out, "lang"), "ru");
}

static void
test_sign_visibility_defaults_to_named(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "Georgia", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "visibility"), "named");
	assert_string_equal(us_fields_get(&c->out, "country"), "GE");
}

static void
test_sign_named_signature_needs_country(void **state)
{
	struct sign_case	*c = *state;
	const struct us_error	*e;

	base_fields(&c->in);
	test_fields(&c->in, "visibility", "named", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 1);
	e = test_error_for(&c->errs, "country", "required");
	assert_int_equal(e->kind, US_E_INVALID);
}

static void
test_sign_default_visibility_needs_country(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "  ", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 1);
	test_error_for(&c->errs, "country", "required");
}

static void
test_sign_counted_signature_may_omit_country(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "visibility", "counted", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_int_equal(c->errs.n, 0);
	assert_string_equal(us_fields_get(&c->out, "visibility"), "counted");
	assert_null(us_fields_get(&c->out, "country"));
}

static void
test_sign_rejects_unknown_visibility(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "DE", "visibility", "secret", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 1);
	test_error_for(&c->errs, "visibility", "invalid_choice");
}

static void
test_sign_bad_country_reported_once(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "XX", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 1);
	test_error_for(&c->errs, "country", "invalid_country");
}

static void
test_sign_requires_organisation_contact_and_email(void **state)
{
	struct sign_case	*c = *state;

	test_fields(&c->in, "visibility", "counted", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 3);
	test_error_for(&c->errs, "organisation", "required");
	test_error_for(&c->errs, "contact_name", "required");
	test_error_for(&c->errs, "email", "required");
}

static void
test_sign_accepts_64_hex_digest(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "text_digest", DIGEST, NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "text_digest"), DIGEST);
}

static void
test_sign_rejects_short_digest(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "text_digest",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	    NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 1);
	test_error_for(&c->errs, "text_digest", "invalid_digest");
}

static void
test_sign_rejects_non_hex_digest(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "text_digest",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
	    NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	test_error_for(&c->errs, "text_digest", "invalid_digest");
}

static void
test_sign_rejects_long_digest(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "text_digest", DIGEST "0", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	test_error_for(&c->errs, "text_digest", "too_long");
}

static void
test_sign_reports_invalid_email_and_website(void **state)
{
	struct sign_case	*c = *state;

	test_fields(&c->in, "organisation", "X", "contact_name", "Y",
	    "email", "y@@example.org", "website", "javascript:alert(1)",
	    "country", "KG", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 2);
	test_error_for(&c->errs, "email", "invalid_email");
	test_error_for(&c->errs, "website", "invalid_url");
}

static void
test_sign_comment_keeps_line_breaks(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "comment",
	    "We support this.\r\n\r\nFully.", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "comment"),
	    "We support this.\n\nFully.");
}

static void
test_sign_display_name_is_a_one_line_name(void **state)
{
	struct sign_case	*c = *state;

	test_fields(&c->in, "display_name", "  Zeta Foundation ", NULL);
	assert_int_equal(us_sign_validate_display(&c->in, &c->out, &c->errs),
	    US_OK);
	assert_string_equal(us_fields_get(&c->out, "display_name"),
	    "Zeta Foundation");
}

static void
test_sign_display_name_refuses_what_a_name_may_not_hold(void **state)
{
	static const struct {
		const char	*value;
		const char	*code;
	} bad[] = {
		{ "Bell\x07", "control_character" },
		{ "Two\nlines", "control_character" },
		{ "Bad \xff\xfe", "invalid_utf8" },
		{ "evil\xe2\x80\xae" "fdp", "bidi_control" },
	};
	struct sign_case	*c = *state;
	char			 name[302];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us_fields_free(&c->in);
		us_fields_free(&c->out);
		memset(&c->errs, 0, sizeof(c->errs));
		test_fields(&c->in, "display_name", bad[i].value, NULL);
		assert_int_equal(us_sign_validate_display(&c->in, &c->out,
		    &c->errs), US_FAIL);
		test_error_for(&c->errs, "display_name", bad[i].code);
	}
	us_fields_free(&c->in);
	memset(&c->errs, 0, sizeof(c->errs));
	memset(name, 'x', 301);
	name[301] = '\0';
	test_fields(&c->in, "display_name", name, NULL);
	assert_int_equal(us_sign_validate_display(&c->in, &c->out, &c->errs),
	    US_FAIL);
	test_error_for(&c->errs, "display_name", "too_long");
}

static void
test_sign_second_country_is_kept_beside_the_first(void **state)
{
	struct sign_case	*c = *state;

	base_fields(&c->in);
	test_fields(&c->in, "country", "Germany", "country2", "ch", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "country"), "DE");
	assert_string_equal(us_fields_get(&c->out, "country2"), "CH");
}

static void
test_sign_second_country_never_repeats_or_stands_alone(void **state)
{
	struct sign_case	*c = *state;
	struct us_fields	 out2;
	struct us_errlist	 errs2;

	base_fields(&c->in);
	test_fields(&c->in, "country", "MD", "country2", "Молдова", NULL);
	assert_int_equal(us_sign_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "country"), "MD");
	assert_null(us_fields_get(&c->out, "country2"));

	/* Only a second country given: it is the country. */
	us_fields_free(&c->in);
	us_fields_init(&c->in);
	base_fields(&c->in);
	test_fields(&c->in, "country2", "Kyrgyzstan", NULL);
	us_fields_init(&out2);
	memset(&errs2, 0, sizeof(errs2));
	assert_int_equal(us_sign_validate(&c->in, &out2, &errs2), US_OK);
	assert_string_equal(us_fields_get(&out2, "country"), "KG");
	assert_null(us_fields_get(&out2, "country2"));
	us_fields_free(&out2);

	/* A bad second country is an error of its own field. */
	us_fields_free(&c->in);
	us_fields_init(&c->in);
	base_fields(&c->in);
	test_fields(&c->in, "country", "KG", "country2", "Atlantis", NULL);
	us_fields_init(&out2);
	memset(&errs2, 0, sizeof(errs2));
	assert_int_equal(us_sign_validate(&c->in, &out2, &errs2), US_FAIL);
	test_error_for(&errs2, "country2", "invalid_country");
	us_fields_free(&out2);
}

#define SIGN_TEST(f)	cmocka_unit_test_setup_teardown(f, sign_setup, \
			    sign_teardown)

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		SIGN_TEST(test_sign_named_signature_with_country_is_valid),
		SIGN_TEST(test_sign_visibility_defaults_to_named),
		SIGN_TEST(test_sign_named_signature_needs_country),
		SIGN_TEST(test_sign_default_visibility_needs_country),
		SIGN_TEST(test_sign_counted_signature_may_omit_country),
		SIGN_TEST(test_sign_rejects_unknown_visibility),
		SIGN_TEST(test_sign_bad_country_reported_once),
		SIGN_TEST(test_sign_second_country_is_kept_beside_the_first),
		SIGN_TEST(
		    test_sign_second_country_never_repeats_or_stands_alone),
		SIGN_TEST(test_sign_requires_organisation_contact_and_email),
		SIGN_TEST(test_sign_accepts_64_hex_digest),
		SIGN_TEST(test_sign_rejects_short_digest),
		SIGN_TEST(test_sign_rejects_non_hex_digest),
		SIGN_TEST(test_sign_rejects_long_digest),
		SIGN_TEST(test_sign_reports_invalid_email_and_website),
		SIGN_TEST(test_sign_comment_keeps_line_breaks),
		SIGN_TEST(test_sign_display_name_is_a_one_line_name),
		SIGN_TEST(
		    test_sign_display_name_refuses_what_a_name_may_not_hold),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
