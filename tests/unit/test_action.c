/*
 * us_action_validate and us_action_expired: what a report of an action
 * taken must hold, and until when an urgent action can be acted on.
 */
#include "helpers.h"

#include "core/action.h"

struct action_case {
	struct us_fields	in;
	struct us_fields	out;
	struct us_errlist	errs;
};

static int
action_setup(void **state)
{
	struct action_case	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (-1);
	us_fields_init(&c->in);
	us_fields_init(&c->out);
	*state = c;
	return (0);
}

static int
action_teardown(void **state)
{
	struct action_case	*c = *state;

	us_fields_free(&c->in);
	us_fields_free(&c->out);
	free(c);
	return (0);
}

static void
test_action_report_without_name_is_valid(void **state)
{
	struct action_case	*c = *state;

	test_fields(&c->in, "channel", "fax", "addressee", "1", "country",
	    "kg", "email", "reader@example.org", NULL);
	assert_int_equal(us_action_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_string_equal(us_fields_get(&c->out, "channel"), "fax");
	assert_string_equal(us_fields_get(&c->out, "addressee"), "1");
	assert_string_equal(us_fields_get(&c->out, "country"), "KG");
}

static void
test_action_empty_addressee_means_none(void **state)
{
	struct action_case	*c = *state;

	test_fields(&c->in, "channel", "letter", "addressee", "", "email",
	    "reader@example.org", NULL);
	assert_int_equal(us_action_validate(&c->in, &c->out, &c->errs), US_OK);
	assert_null(us_fields_get(&c->out, "addressee"));
	assert_null(us_fields_get(&c->out, "country"));
}

static void
test_action_requires_channel_and_email(void **state)
{
	struct action_case	*c = *state;

	test_fields(&c->in, "country", "KG", NULL);
	assert_int_equal(us_action_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 2);
	test_error_for(&c->errs, "channel", "required");
	test_error_for(&c->errs, "email", "required");
}

static void
test_action_refuses_unknown_channel_bad_index_and_email(void **state)
{
	struct action_case	*c = *state;

	test_fields(&c->in, "channel", "pigeon", "addressee", "-1", "email",
	    "not-an-address", "country", "XX", NULL);
	assert_int_equal(us_action_validate(&c->in, &c->out, &c->errs),
	    US_FAIL);
	assert_int_equal(c->errs.n, 4);
	test_error_for(&c->errs, "channel", "invalid_choice");
	test_error_for(&c->errs, "addressee", "invalid_addressee");
	test_error_for(&c->errs, "country", "invalid_country");
	test_error_for(&c->errs, "email", "invalid_email");
}

static void
test_action_open_all_of_the_expiry_day(void **state)
{
	(void)state;
	assert_false(us_action_expired("2026-12-10", "2026-12-09"));
	assert_false(us_action_expired("2026-12-10", "2026-12-10"));
	assert_true(us_action_expired("2026-12-10", "2026-12-11"));
	assert_true(us_action_expired("2026-12-31", "2027-01-01"));
}

static void
test_action_without_expiry_never_expires(void **state)
{
	(void)state;
	assert_false(us_action_expired(NULL, "2099-01-01"));
	assert_false(us_action_expired("", "2099-01-01"));
}

static void
test_action_number_groups_thousands_per_language(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_action_number(&b, "en", 1204);
	assert_string_equal(b.data, "1,204");
	us_buf_reset(&b);
	us_action_number(&b, "ru", 1234567);
	assert_string_equal(b.data, "1\xc2\xa0" "234\xc2\xa0" "567");
	us_buf_reset(&b);
	us_action_number(&b, "en", 999);
	assert_string_equal(b.data, "999");
	us_buf_reset(&b);
	us_action_number(&b, "en", 0);
	assert_string_equal(b.data, "0");
	us_buf_free(&b);
}

#define ACTION_TEST(f)	cmocka_unit_test_setup_teardown(f, action_setup, \
			    action_teardown)

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		ACTION_TEST(test_action_report_without_name_is_valid),
		ACTION_TEST(test_action_empty_addressee_means_none),
		ACTION_TEST(test_action_requires_channel_and_email),
		ACTION_TEST(
		    test_action_refuses_unknown_channel_bad_index_and_email),
		cmocka_unit_test(test_action_open_all_of_the_expiry_day),
		cmocka_unit_test(test_action_without_expiry_never_expires),
		cmocka_unit_test(
		    test_action_number_groups_thousands_per_language),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
