/*
 * us_relay_tls: when the mail sender must use TLS.
 */
#include "helpers.h"

#include "core/relay.h"

static enum us_relay_tls tls(const char *);

static enum us_relay_tls
tls(const char *url)
{
	enum us_relay_tls	t;

	if (!us_relay_tls(url, &t))
		fail_msg("cannot read %s", url);
	return (t);
}

static void
test_relay_plain_only_to_loopback_without_login(void **state)
{
	(void)state;
	assert_int_equal(tls("smtp://127.0.0.1:2525"), US_RELAY_PLAIN_OK);
	assert_int_equal(tls("smtp://localhost"), US_RELAY_PLAIN_OK);
	assert_int_equal(tls("smtp://[::1]:25/"), US_RELAY_PLAIN_OK);
}

static void
test_relay_login_always_needs_tls(void **state)
{
	(void)state;
	assert_int_equal(tls("smtp://user:pw@127.0.0.1:25"),
	    US_RELAY_STARTTLS);
	assert_int_equal(tls("smtp://user@localhost"), US_RELAY_STARTTLS);
	/* An @ in the password is still a login. */
	assert_int_equal(tls("smtp://u:p@ss@[::1]:25"), US_RELAY_STARTTLS);
}

static void
test_relay_remote_always_needs_tls(void **state)
{
	(void)state;
	assert_int_equal(tls("smtp://mail.example.org:587"),
	    US_RELAY_STARTTLS);
	assert_int_equal(tls("SMTP://10.0.0.25"), US_RELAY_STARTTLS);
	/* A name is not resolved: it might not be loopback tomorrow. */
	assert_int_equal(tls("smtp://localhost.example.org"),
	    US_RELAY_STARTTLS);
	assert_int_equal(tls("smtp://127.0.0.1.example.org"),
	    US_RELAY_STARTTLS);
}

static void
test_relay_smtps_is_tls_from_the_start(void **state)
{
	(void)state;
	assert_int_equal(tls("smtps://user:pw@mail.example.org:465"),
	    US_RELAY_IMPLICIT);
	assert_int_equal(tls("smtps://127.0.0.1"), US_RELAY_IMPLICIT);
}

static void
test_relay_refuses_what_it_cannot_read(void **state)
{
	enum us_relay_tls	t;

	(void)state;
	assert_int_equal(us_relay_tls("http://127.0.0.1", &t), US_FAIL);
	assert_int_equal(us_relay_tls("smtp://", &t), US_FAIL);
	assert_int_equal(us_relay_tls("smtp://user:pw@:25", &t), US_FAIL);
	assert_int_equal(us_relay_tls("smtp://[::1:25", &t), US_FAIL);
}

static void
test_relay_redacts_the_password(void **state)
{
	char	out[128];

	(void)state;
	us_relay_redact("smtp://user:s3cret@mail.example.org:587", out,
	    sizeof(out));
	assert_string_equal(out, "smtp://***@mail.example.org:587");
	us_relay_redact("smtp://127.0.0.1:25", out, sizeof(out));
	assert_string_equal(out, "smtp://127.0.0.1:25");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_relay_plain_only_to_loopback_without_login),
		cmocka_unit_test(test_relay_login_always_needs_tls),
		cmocka_unit_test(test_relay_remote_always_needs_tls),
		cmocka_unit_test(test_relay_smtps_is_tls_from_the_start),
		cmocka_unit_test(test_relay_refuses_what_it_cannot_read),
		cmocka_unit_test(test_relay_redacts_the_password),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
