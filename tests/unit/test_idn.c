/*
 * us_idn: international domain names (IDNA 2008 through libidn2) in
 * email addresses and websites: A-labels for DNS and SMTP, Unicode for
 * people, and a clear refusal of what SMTP without SMTPUTF8 cannot carry.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/idn.h"
#include "core/validate.h"

static void
test_idn_domain_both_ways(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_int_equal(us_idn_to_ascii(&b, "правозащита.рф"), US_OK);
	assert_string_equal(b.data, "xn--80aaagzh3bfj0a9e.xn--p1ai");
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_unicode(&b, "xn--80aaagzh3bfj0a9e.xn--p1ai"),
	    US_OK);
	assert_string_equal(b.data, "правозащита.рф");
	/* Capitals are the same name; people see it in small letters. */
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_unicode(&b, "ПРАВОЗАЩИТА.РФ"), US_OK);
	assert_string_equal(b.data, "правозащита.рф");
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_ascii(&b, "Example.ORG"), US_OK);
	assert_string_equal(b.data, "example.org");
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_ascii(&b, "საქართველო.ge"), US_OK);
	assert_string_equal(b.data, "xn--lodamdjuvtg5b.ge");
	us_buf_free(&b);
}

static void
test_idn_refuses_what_is_not_a_name(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	/* A symbol IDNA 2008 does not allow, and a broken A-label. */
	assert_int_equal(us_idn_to_ascii(&b, "i\xe2\x99\xa5ngo.org"), US_FAIL);
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_unicode(&b, "xn--zz.org"), US_FAIL);
	us_buf_reset(&b);
	assert_int_equal(us_idn_to_ascii(&b, ""), US_FAIL);
	us_buf_free(&b);
}

static void
test_idn_email_is_checked_and_shown_in_unicode(void **state)
{
	const struct us_rule	r = { "email", "Email", 0, 254, us_check_email,
				    NULL };
	struct us_error		e;
	struct us_buf		b;
	char			*v;

	(void)state;
	us_buf_init(&b);
	v = strdup("Info@ПРАВОЗАЩИТА.РФ");
	assert_int_equal(us_check_email(&r, &v, &e), US_OK);
	assert_string_equal(v, "Info@правозащита.рф");
	free(v);
	v = strdup("info@xn--80aaagzh3bfj0a9e.xn--p1ai");
	assert_int_equal(us_check_email(&r, &v, &e), US_OK);
	assert_string_equal(v, "info@правозащита.рф");
	free(v);
	/* The local part is what SMTP without SMTPUTF8 cannot carry. */
	v = strdup("почта@правозащита.рф");
	assert_int_equal(us_check_email(&r, &v, &e), US_FAIL);
	assert_string_equal(e.code, "email_local_part");
	assert_string_equal(e.field, "email");
	free(v);
	v = strdup("info@i\xe2\x99\xa5ngo.org");
	assert_int_equal(us_check_email(&r, &v, &e), US_FAIL);
	assert_string_equal(e.code, "invalid_email");
	free(v);

	assert_int_equal(us_idn_email_ascii(&b, "info@правозащита.рф"), US_OK);
	assert_string_equal(b.data, "info@xn--80aaagzh3bfj0a9e.xn--p1ai");
	us_buf_reset(&b);
	assert_int_equal(us_idn_email_ascii(&b, "Ann@Example.org"), US_OK);
	assert_string_equal(b.data, "Ann@example.org");
	us_buf_reset(&b);
	assert_int_equal(us_idn_email_ascii(&b, "no-at-sign"), US_FAIL);
	us_buf_free(&b);
}

static void
test_idn_website_host_in_any_script(void **state)
{
	const struct us_rule	r = { "website", "Website", 0, 300,
				    us_check_url, NULL };
	struct us_error		e;
	char			*v;

	(void)state;
	v = strdup("правозащита.рф/о-нас");
	assert_int_equal(us_check_url(&r, &v, &e), US_OK);
	assert_string_equal(v, "https://правозащита.рф/о-нас");
	free(v);
	v = strdup("https://xn--80aaagzh3bfj0a9e.xn--p1ai:8443/");
	assert_int_equal(us_check_url(&r, &v, &e), US_OK);
	assert_string_equal(v, "https://правозащита.рф:8443/");
	free(v);
	v = strdup("https://i\xe2\x99\xa5ngo.org/");
	assert_int_equal(us_check_url(&r, &v, &e), US_FAIL);
	assert_string_equal(e.code, "invalid_url");
	free(v);
	v = strdup("https://правозащита.рф/a b");
	assert_int_equal(us_check_url(&r, &v, &e), US_FAIL);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_idn_domain_both_ways),
		cmocka_unit_test(test_idn_refuses_what_is_not_a_name),
		cmocka_unit_test(test_idn_email_is_checked_and_shown_in_unicode),
		cmocka_unit_test(test_idn_website_host_in_any_script),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
