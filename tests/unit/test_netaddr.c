/*
 * us_net: addresses, trusted proxies, and who the client is.
 */
#include "helpers.h"

#include "core/netaddr.h"

static void	trust(struct us_nets *, const char *);
static const char *client(const char *, const char *, const char *);

static void
trust(struct us_nets *n, const char *list)
{
	struct us_error	e;

	if (!us_nets_parse(list, n, &e))
		fail_msg("%s", e.message);
}

static const char *
client(const char *trusted, const char *peer, const char *xff)
{
	static char	out[US_NET_ADDR_MAX];
	struct us_nets	n;

	trust(&n, trusted);
	(void)us_net_client(&n, peer, xff, out, sizeof(out));
	return (out);
}

static void
test_net_parses_addresses_and_networks(void **state)
{
	struct us_net	n;

	(void)state;
	assert_int_equal(us_net_parse("192.0.2.7", 9, &n), US_OK);
	assert_int_equal(n.family, 4);
	assert_int_equal(n.bits, 32);
	assert_int_equal(us_net_parse("10.0.0.0/8", 10, &n), US_OK);
	assert_int_equal(n.bits, 8);
	assert_int_equal(us_net_parse("2001:db8::/32", 13, &n), US_OK);
	assert_int_equal(n.family, 6);
	assert_int_equal(n.bits, 32);
	/* IPv4 written as IPv6 is IPv4. */
	assert_int_equal(us_net_parse("::ffff:192.0.2.7", 16, &n), US_OK);
	assert_int_equal(n.family, 4);
	assert_int_equal(n.bits, 32);
	assert_int_equal(n.addr[0], 192);
}

static void
test_net_refuses_what_is_not_an_address(void **state)
{
	static const char *const bad[] = { "", "nginx", "10.0.0.0/33",
	    "::1/129", "10.0.0.1/", "10.0.0.1/-1", "1.2.3.4:80", "[::1]",
	    "10.0.0.0/8x", "300.1.1.1", NULL };
	struct us_net	n;
	size_t		i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(us_net_parse(bad[i], strlen(bad[i]), &n),
		    US_FAIL);
}

static void
test_nets_match_by_prefix(void **state)
{
	struct us_nets	nets;
	struct us_net	a;

	(void)state;
	trust(&nets, "10.0.0.0/8, 192.168.1.0/25, fd00::/8, ::1");
	assert_int_equal(nets.n, 4);
	assert_int_equal(us_net_parse("10.200.1.1", 10, &a), US_OK);
	assert_true(us_nets_match(&nets, &a));
	assert_int_equal(us_net_parse("11.0.0.1", 8, &a), US_OK);
	assert_false(us_nets_match(&nets, &a));
	assert_int_equal(us_net_parse("192.168.1.127", 13, &a), US_OK);
	assert_true(us_nets_match(&nets, &a));
	assert_int_equal(us_net_parse("192.168.1.128", 13, &a), US_OK);
	assert_false(us_nets_match(&nets, &a));
	assert_int_equal(us_net_parse("fd12::5", 7, &a), US_OK);
	assert_true(us_nets_match(&nets, &a));
	assert_int_equal(us_net_parse("::2", 3, &a), US_OK);
	assert_false(us_nets_match(&nets, &a));
}

static void
test_nets_list_errors_name_the_entry(void **state)
{
	struct us_nets	nets;
	struct us_error	e;

	(void)state;
	assert_int_equal(us_nets_parse("10.0.0.0/8, proxy.local", &nets, &e),
	    US_FAIL);
	assert_string_equal(e.field, "UNDERSIGNED_TRUSTED_PROXIES");
	assert_non_null(strstr(e.message, "\"proxy.local\""));
	assert_int_equal(us_nets_parse("10.0.0.1,", &nets, &e), US_FAIL);
	assert_int_equal(us_nets_parse("", &nets, &e), US_FAIL);
}

static void
test_client_is_the_peer_when_it_is_not_trusted(void **state)
{
	(void)state;
	assert_string_equal(client("127.0.0.1", "203.0.113.9",
	    "198.51.100.1"), "203.0.113.9");
	assert_string_equal(client("127.0.0.1", "203.0.113.9", NULL),
	    "203.0.113.9");
}

static void
test_client_is_the_right_most_untrusted_hop(void **state)
{
	(void)state;
	/* The client's own header is left of what our proxy appended. */
	assert_string_equal(client("127.0.0.1", "127.0.0.1",
	    "6.6.6.6, 198.51.100.1"), "198.51.100.1");
	/* Two proxies of ours. */
	assert_string_equal(client("127.0.0.1, 10.0.0.0/8", "127.0.0.1",
	    "6.6.6.6,198.51.100.1, 10.0.0.5"), "198.51.100.1");
	/* Only proxies: the left-most of them. */
	assert_string_equal(client("127.0.0.1, 10.0.0.0/8", "127.0.0.1",
	    "10.0.0.5"), "10.0.0.5");
	/* A trusted peer without the header is the client itself. */
	assert_string_equal(client("127.0.0.1", "127.0.0.1", NULL),
	    "127.0.0.1");
}

static void
test_client_walk_stops_at_garbage(void **state)
{
	(void)state;
	assert_string_equal(client("127.0.0.1", "127.0.0.1",
	    "198.51.100.1, unknown"), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "127.0.0.1",
	    "198.51.100.1, 10.0.0.0/8"), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "127.0.0.1", ""),
	    "127.0.0.1");
}

static void
test_client_ipv6_counts_per_64(void **state)
{
	(void)state;
	assert_string_equal(client("::1", "::1", "2001:db8:1:2:aaaa::1"),
	    "2001:db8:1:2::/64");
	assert_string_equal(client("::1", "2001:db8:1:2:bbbb::9", NULL),
	    "2001:db8:1:2::/64");
	assert_string_equal(client("127.0.0.1", "127.0.0.1",
	    "::ffff:198.51.100.3"), "198.51.100.3");
}

static void
test_loopback_hosts(void **state)
{
	static const char *const yes[] = { "localhost", "LOCALHOST",
	    "127.0.0.1", "127.8.9.10", "[::1]", "::1", NULL };
	static const char *const no[] = { "mail.example.org", "10.0.0.1",
	    "[::2]", "localhost.example.org", "128.0.0.1", "", NULL };
	size_t	i;

	(void)state;
	for (i = 0; yes[i] != NULL; i++)
		assert_true(us_net_host_is_loopback(yes[i], strlen(yes[i])));
	for (i = 0; no[i] != NULL; i++)
		assert_false(us_net_host_is_loopback(no[i], strlen(no[i])));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_net_parses_addresses_and_networks),
		cmocka_unit_test(test_net_refuses_what_is_not_an_address),
		cmocka_unit_test(test_nets_match_by_prefix),
		cmocka_unit_test(test_nets_list_errors_name_the_entry),
		cmocka_unit_test(test_client_is_the_peer_when_it_is_not_trusted),
		cmocka_unit_test(test_client_is_the_right_most_untrusted_hop),
		cmocka_unit_test(test_client_walk_stops_at_garbage),
		cmocka_unit_test(test_client_ipv6_counts_per_64),
		cmocka_unit_test(test_loopback_hosts),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
