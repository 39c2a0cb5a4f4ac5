/*
 * us_config_load: settings from the environment, checked strictly.
 */
#include "helpers.h"

#include "core/config.h"

#define HOME	"/srv/undersigned"

extern char	**environ;

static int	env_clear(void **);
static int	load(struct us_config *, struct us_errlist *);

/* Each test starts from an environment holding none of our settings. */
static int
env_clear(void **state)
{
	static const char *const plain[] = { "PORT", "DATABASE_URL",
	    "SMTP_URL", "PUBLIC_URL", "MAIL_FROM", NULL };
	char	 name[256], **e;
	size_t	 i, len;
	int	 again;

	(void)state;
	for (i = 0; plain[i] != NULL; i++)
		if (unsetenv(plain[i]) != 0)
			return (-1);
	do {
		again = 0;
		for (e = environ; *e != NULL; e++) {
			if (strncmp(*e, "UNDERSIGNED_", 12) != 0)
				continue;
			len = strcspn(*e, "=");
			if (len >= sizeof(name))
				return (-1);
			memcpy(name, *e, len);
			name[len] = '\0';
			if (unsetenv(name) != 0)
				return (-1);
			again = 1;
			break;
		}
	} while (again);
	return (0);
}

static int
load(struct us_config *c, struct us_errlist *errs)
{
	memset(errs, 0, sizeof(*errs));
	return (us_config_load(c, HOME, errs));
}

static void
test_config_defaults(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(errs.n, 0);
	assert_string_equal(c.home, HOME);
	assert_int_equal(c.port, 8080);
	assert_string_equal(c.public_url, "http://127.0.0.1:8080");
	assert_null(c.database_url);
	assert_string_equal(c.conninfo,
	    "host=" HOME "/var/pg dbname=undersigned user=undersigned");
	assert_null(c.smtp_url);
	assert_string_equal(c.mail_dir, HOME "/var/mail");
	assert_string_equal(c.mail_from,
	    "undersigned <undersigned@localhost.localdomain>");
	assert_int_equal(c.mail_retry, 10);
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.retention_months, 12);
	us_config_free(&c);
}

static void
test_config_port_sets_default_public_url(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("PORT", "9090", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.port, 9090);
	assert_string_equal(c.public_url, "http://127.0.0.1:9090");
	us_config_free(&c);
}

static void
test_config_rejects_bad_port(void **state)
{
	static const char	*bad[] = { "abc", "0", "65536", "80x", "-1", " 80", "+80",
				    "99999999999999999999" };
	struct us_config	 c;
	struct us_errlist	 errs;
	const struct us_error	*e;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("PORT", bad[i], 1);
		if (load(&c, &errs) != US_FAIL)
			fail_msg("PORT=%s accepted", bad[i]);
		assert_int_equal(errs.n, 1);
		e = test_error_for(&errs, "PORT", "bad_config");
		assert_non_null(strstr(e->message, bad[i]));
		us_config_free(&c);
	}
	setenv("PORT", "65535", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.port, 65535);
	us_config_free(&c);
}

static void
test_config_rejects_bad_retry_seconds(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("UNDERSIGNED_MAIL_RETRY_SECONDS", "3601", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "UNDERSIGNED_MAIL_RETRY_SECONDS", "bad_config");
	us_config_free(&c);
	setenv("UNDERSIGNED_MAIL_RETRY_SECONDS", "30", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.mail_retry, 30);
	us_config_free(&c);
}

static void
test_config_checks_retention_months(void **state)
{
	static const char *const bad[] = { "0", "1201", "-3", "12m", " 12",
	    "twelve", "1e2", NULL };
	struct us_config	c;
	struct us_errlist	errs;
	size_t			i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		setenv("UNDERSIGNED_RETENTION_MONTHS", bad[i], 1);
		assert_int_equal(load(&c, &errs), US_FAIL);
		test_error_for(&errs, "UNDERSIGNED_RETENTION_MONTHS",
		    "bad_config");
		us_config_free(&c);
	}
	setenv("UNDERSIGNED_RETENTION_MONTHS", "6", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.retention_months, 6);
	us_config_free(&c);
}

/* The mail sender's poll and its SMTP connections, within bounds. */
static void
test_config_checks_mail_sender_settings(void **state)
{
	static const char *const poll[] = { "0", "49", "60001", "1s", "-1",
	    NULL };
	static const char *const conns[] = { "0", "17", "four", " 4", NULL };
	struct us_config	c;
	struct us_errlist	errs;
	size_t			i;

	(void)state;
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.mail_poll_ms, 1000);
	assert_int_equal(c.smtp_connections, 4);
	us_config_free(&c);
	for (i = 0; poll[i] != NULL; i++) {
		setenv("UNDERSIGNED_MAIL_POLL_MS", poll[i], 1);
		assert_int_equal(load(&c, &errs), US_FAIL);
		test_error_for(&errs, "UNDERSIGNED_MAIL_POLL_MS", "bad_config");
		us_config_free(&c);
	}
	unsetenv("UNDERSIGNED_MAIL_POLL_MS");
	for (i = 0; conns[i] != NULL; i++) {
		setenv("UNDERSIGNED_SMTP_CONNECTIONS", conns[i], 1);
		assert_int_equal(load(&c, &errs), US_FAIL);
		test_error_for(&errs, "UNDERSIGNED_SMTP_CONNECTIONS",
		    "bad_config");
		us_config_free(&c);
	}
	setenv("UNDERSIGNED_MAIL_POLL_MS", "250", 1);
	setenv("UNDERSIGNED_SMTP_CONNECTIONS", "1", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.mail_poll_ms, 250);
	assert_int_equal(c.smtp_connections, 1);
	us_config_free(&c);
}

static void
test_config_accepts_smtp_url(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("SMTP_URL", "smtps://mail.example.org:465", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.smtp_url, "smtps://mail.example.org:465");
	us_config_free(&c);
}

static void
test_config_rejects_bad_smtp_url(void **state)
{
	static const char	*bad[] = { "http://mail.example.org",
				    "smtp://", "smtp:///x", "smtp://:25",
				    "mail.example.org:25",
				    "smtp://mail example.org" };
	struct us_config	 c;
	struct us_errlist	 errs;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("SMTP_URL", bad[i], 1);
		if (load(&c, &errs) != US_FAIL)
			fail_msg("SMTP_URL=%s accepted", bad[i]);
		assert_int_equal(errs.n, 1);
		test_error_for(&errs, "SMTP_URL", "bad_config");
		assert_null(c.smtp_url);
		us_config_free(&c);
	}
}

static void
test_config_names_unknown_setting(void **state)
{
	struct us_config	 c;
	struct us_errlist	 errs;

	(void)state;
	setenv("UNDERSIGNED_FOO", "1", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].code, "bad_config");
	assert_non_null(strstr(errs.v[0].message,
	    "unknown setting UNDERSIGNED_FOO "));
	us_config_free(&c);
}

static void
test_config_unknown_setting_is_not_a_prefix_match(void **state)
{
	struct us_config	 c;
	struct us_errlist	 errs;

	(void)state;
	setenv("UNDERSIGNED_HOMEX", "/tmp", 1);
	setenv("UNDERSIGNED_HOME", "/tmp", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].message,
	    "unknown setting UNDERSIGNED_HOMEX "));
	us_config_free(&c);
}

static void
test_config_strips_trailing_slash_from_public_url(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("PUBLIC_URL", "https://sign.example.org/", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.public_url, "https://sign.example.org");
	us_config_free(&c);
	setenv("PUBLIC_URL", "https://example.org/petitions//", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.public_url, "https://example.org/petitions");
	us_config_free(&c);
}

static void
test_config_rejects_bad_public_url(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("PUBLIC_URL", "ftp://example.org", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "PUBLIC_URL", "bad_config");
	us_config_free(&c);
	setenv("PUBLIC_URL", "https://example.org/\"><script>", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "PUBLIC_URL", "bad_config");
	us_config_free(&c);
}

static void
test_config_listen_takes_an_address(void **state)
{
	static const char	*good[] = { "0.0.0.0", "10.0.0.7", "::", "::1",
				    "fd00::7" };
	struct us_config	 c;
	struct us_errlist	 errs;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		setenv("UNDERSIGNED_LISTEN", good[i], 1);
		if (load(&c, &errs) != US_OK)
			fail_msg("UNDERSIGNED_LISTEN=%s refused", good[i]);
		assert_string_equal(c.listen, good[i]);
		us_config_free(&c);
	}
}

static void
test_config_listen_sets_default_public_url(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("PORT", "9000", 1);
	setenv("UNDERSIGNED_LISTEN", "10.0.0.7", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.public_url, "http://10.0.0.7:9000");
	us_config_free(&c);
	setenv("UNDERSIGNED_LISTEN", "fd00::7", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.public_url, "http://[fd00::7]:9000");
	us_config_free(&c);
	/* Every address: links name this machine's loopback. */
	setenv("UNDERSIGNED_LISTEN", "0.0.0.0", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.public_url, "http://127.0.0.1:9000");
	us_config_free(&c);
}

static void
test_config_rejects_bad_listen(void **state)
{
	static const char	*bad[] = { "localhost", "127.0.0.1:8080",
				    "127.0.0.1 ", "1.2.3", "[::1]", "256.0.0.1",
				    "example.org" };
	struct us_config	 c;
	struct us_errlist	 errs;
	const struct us_error	*e;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("UNDERSIGNED_LISTEN", bad[i], 1);
		if (load(&c, &errs) != US_FAIL)
			fail_msg("UNDERSIGNED_LISTEN=%s accepted", bad[i]);
		assert_int_equal(errs.n, 1);
		e = test_error_for(&errs, "UNDERSIGNED_LISTEN", "bad_config");
		assert_non_null(strstr(e->message, bad[i]));
		us_config_free(&c);
	}
}

static void
test_config_database_url_replaces_private_cluster(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("DATABASE_URL", "postgresql://u@db.example.org/us", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.database_url, "postgresql://u@db.example.org/us");
	assert_string_equal(c.conninfo, "postgresql://u@db.example.org/us");
	us_config_free(&c);
}

static void
test_config_checks_mail_from(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("MAIL_FROM", "Coalition <noreply@example.org>", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_string_equal(c.mail_from, "Coalition <noreply@example.org>");
	us_config_free(&c);
	setenv("MAIL_FROM", "Coalition <noreply>", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "MAIL_FROM", "bad_config");
	us_config_free(&c);
	setenv("MAIL_FROM", "X <a@example.org>\r\nBcc: b@example.org", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "MAIL_FROM", "bad_config");
	us_config_free(&c);
}

static void
test_config_reports_every_bad_setting(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("PORT", "http", 1);
	setenv("SMTP_URL", "smtp://", 1);
	setenv("PUBLIC_URL", "example.org", 1);
	setenv("UNDERSIGNED_PORT", "80", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	assert_int_equal(errs.n, 4);
	test_error_for(&errs, "PORT", "bad_config");
	test_error_for(&errs, "SMTP_URL", "bad_config");
	test_error_for(&errs, "PUBLIC_URL", "bad_config");
	assert_non_null(strstr(errs.v[0].message, "UNDERSIGNED_PORT"));
	us_config_free(&c);
}

static void
test_config_limits_default_on_with_loopback_proxies(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;
	struct us_net		a;

	(void)state;
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.rate_limits, 1);
	assert_int_equal(c.mail_per_minute, 300);
	assert_int_equal(c.mail_per_statement, 120);
	assert_int_equal(us_net_parse("127.0.0.1", 9, &a), US_OK);
	assert_true(us_nets_match(&c.trusted, &a));
	assert_int_equal(us_net_parse("::1", 3, &a), US_OK);
	assert_true(us_nets_match(&c.trusted, &a));
	assert_int_equal(us_net_parse("10.0.0.1", 8, &a), US_OK);
	assert_false(us_nets_match(&c.trusted, &a));
	us_config_free(&c);
}

static void
test_config_rate_limits_off(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("UNDERSIGNED_RATE_LIMITS", "off", 1);
	setenv("UNDERSIGNED_MAIL_PER_MINUTE", "20", 1);
	setenv("UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE", "7", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.rate_limits, 0);
	assert_int_equal(c.mail_per_minute, 20);
	assert_int_equal(c.mail_per_statement, 7);
	us_config_free(&c);
}

static void
test_config_rejects_bad_limit_settings(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("UNDERSIGNED_RATE_LIMITS", "OFF!", 1);
	setenv("UNDERSIGNED_TRUSTED_PROXIES", "10.0.0.0/8,,::1", 1);
	setenv("UNDERSIGNED_MAIL_PER_MINUTE", "0", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "UNDERSIGNED_RATE_LIMITS", "bad_config");
	test_error_for(&errs, "UNDERSIGNED_TRUSTED_PROXIES", "bad_config");
	test_error_for(&errs, "UNDERSIGNED_MAIL_PER_MINUTE", "bad_config");
	us_config_free(&c);
}

static void
test_config_takes_trusted_proxies(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;
	struct us_net		a;

	(void)state;
	setenv("UNDERSIGNED_TRUSTED_PROXIES", " 10.1.0.0/16 , fd00::/8", 1);
	assert_int_equal(load(&c, &errs), US_OK);
	assert_int_equal(c.trusted.n, 2);
	assert_int_equal(us_net_parse("10.1.200.3", 10, &a), US_OK);
	assert_true(us_nets_match(&c.trusted, &a));
	assert_int_equal(us_net_parse("127.0.0.1", 9, &a), US_OK);
	assert_false(us_nets_match(&c.trusted, &a));
	us_config_free(&c);
}

static void
test_config_refuses_an_smtp_url_it_cannot_read(void **state)
{
	struct us_config	c;
	struct us_errlist	errs;

	(void)state;
	setenv("SMTP_URL", "smtp://user:secret@[::1", 1);
	assert_int_equal(load(&c, &errs), US_FAIL);
	test_error_for(&errs, "SMTP_URL", "bad_config");
	assert_null(strstr(errs.v[0].message, "secret"));
	us_config_free(&c);
}

#define CONFIG_TEST(f)	cmocka_unit_test_setup_teardown(f, env_clear, \
			    env_clear)

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		CONFIG_TEST(test_config_defaults),
		CONFIG_TEST(test_config_checks_retention_months),
		CONFIG_TEST(test_config_checks_mail_sender_settings),
		CONFIG_TEST(test_config_port_sets_default_public_url),
		CONFIG_TEST(test_config_rejects_bad_port),
		CONFIG_TEST(test_config_rejects_bad_retry_seconds),
		CONFIG_TEST(test_config_accepts_smtp_url),
		CONFIG_TEST(test_config_rejects_bad_smtp_url),
		CONFIG_TEST(test_config_names_unknown_setting),
		CONFIG_TEST(test_config_unknown_setting_is_not_a_prefix_match),
		CONFIG_TEST(test_config_strips_trailing_slash_from_public_url),
		CONFIG_TEST(test_config_rejects_bad_public_url),
		CONFIG_TEST(test_config_listen_takes_an_address),
		CONFIG_TEST(test_config_listen_sets_default_public_url),
		CONFIG_TEST(test_config_rejects_bad_listen),
		CONFIG_TEST(test_config_database_url_replaces_private_cluster),
		CONFIG_TEST(test_config_checks_mail_from),
		CONFIG_TEST(test_config_reports_every_bad_setting),
		CONFIG_TEST(test_config_limits_default_on_with_loopback_proxies),
		CONFIG_TEST(test_config_rate_limits_off),
		CONFIG_TEST(test_config_rejects_bad_limit_settings),
		CONFIG_TEST(test_config_takes_trusted_proxies),
		CONFIG_TEST(test_config_refuses_an_smtp_url_it_cannot_read),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
