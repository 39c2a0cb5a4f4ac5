/*
 * us_dupe: which pairs of signing organisations are flagged as likely
 * one, and why.  The pairs are real: organisations that sign the same
 * letters and look alike, and the ways one organisation turns up twice
 * on a list.
 */
#include "helpers.h"

#include "core/dupe.h"

struct pair {
	struct us_dupe_org	a;
	struct us_dupe_org	b;
	enum us_dupe_reason	want;
};

#define ORG(n, acr, c, web, mail) { (n), NULL, (acr), (c), NULL, (web), \
	(mail) }

static void
check_pairs(const struct pair *p, size_t n)
{
	struct us_dupe_keys	a, b;
	enum us_dupe_reason	got, back;
	size_t			i;

	for (i = 0; i < n; i++) {
		us_dupe_keys_make(&a, &p[i].a);
		us_dupe_keys_make(&b, &p[i].b);
		got = us_dupe_match(&a, &b);
		back = us_dupe_match(&b, &a);
		us_dupe_keys_free(&a);
		us_dupe_keys_free(&b);
		if (got != p[i].want || back != p[i].want)
			fail_msg("%s / %s: want \"%s\", got \"%s\" and \"%s\"",
			    p[i].a.name, p[i].b.name,
			    us_dupe_reason_text(p[i].want),
			    us_dupe_reason_text(got),
			    us_dupe_reason_text(back));
	}
}

/* Issue 10: HRHF and HFHR were flagged; they are two organisations. */
static void
test_hrhf_and_hfhr_are_two(void **state)
{
	static const struct pair	p[] = {
		{ ORG("Human Rights House Foundation", "HRHF", "NO",
		    "https://humanrightshouse.org",
		    "info@humanrightshouse.org"),
		  ORG("Helsinki Foundation for Human Rights", "HFHR", "PL",
		    "https://www.hfhr.pl/en/", "hfhr@hfhr.pl"),
		  US_DUPE_NONE },
		/* No countries and no websites: still two. */
		{ ORG("Human Rights House Foundation", "HRHF", NULL, NULL,
		    NULL),
		  ORG("Helsinki Foundation for Human Rights", "HFHR", NULL,
		    NULL, NULL),
		  US_DUPE_NONE },
	};

	(void)state;
	check_pairs(p, sizeof(p) / sizeof(p[0]));
}

/* Organisations from the same sign-on lists that look alike. */
static void
test_near_misses_are_not_flagged(void **state)
{
	static const struct pair	p[] = {
		{ ORG("Norwegian Helsinki Committee", "NHC", "NO", NULL, NULL),
		  ORG("Netherlands Helsinki Committee", "NHC", "NL", NULL,
		    NULL), US_DUPE_NONE },
		{ ORG("Bulgarian Helsinki Committee", "BHC", NULL, NULL, NULL),
		  ORG("Hungarian Helsinki Committee", "HHC", NULL, NULL, NULL),
		  US_DUPE_NONE },
		{ ORG("Human Rights Watch", "HRW", NULL, "https://www.hrw.org",
		    NULL),
		  ORG("Human Rights Without Frontiers", "HRWF", "BE",
		    "https://hrwf.eu", NULL), US_DUPE_NONE },
		{ ORG("Human Rights Foundation", "HRF", "US", NULL, NULL),
		  ORG("Foundation for Human Rights", "FHR", "ZA", NULL, NULL),
		  US_DUPE_NONE },
		{ ORG("International Partnership for Human Rights", "IPHR",
		    "BE", NULL, NULL),
		  ORG("International Federation for Human Rights", "FIDH",
		    "FR", NULL, NULL), US_DUPE_NONE },
		{ ORG("Helsinki Citizens' Assembly - Vanadzor", NULL, "AM",
		    NULL, NULL),
		  ORG("Helsinki Committee of Armenia", NULL, "AM", NULL, NULL),
		  US_DUPE_NONE },
		{ ORG("Civil Rights Defenders", "CRD", "SE", NULL, NULL),
		  ORG("Front Line Defenders", "FLD", "IE", NULL, NULL),
		  US_DUPE_NONE },
		/* Webmail is shared by many. */
		{ ORG("Bir Duino Kyrgyzstan", NULL, "KG", NULL,
		    "birduino@gmail.com"),
		  ORG("Kylym Shamy", NULL, "KG", NULL, "kylymshamy@gmail.com"),
		  US_DUPE_NONE },
		/* So is a social network: the page names the organisation. */
		{ ORG("Justice for Journalists", NULL, NULL,
		    "https://www.facebook.com/justice4journalists", NULL),
		  ORG("Journalists in Distress", NULL, NULL,
		    "https://facebook.com/JournalistsInDistress/about", NULL),
		  US_DUPE_NONE },
		/* A number is not a typo. */
		{ ORG("Article 19", NULL, NULL, NULL, NULL),
		  ORG("Article 18", NULL, NULL, NULL, NULL), US_DUPE_NONE },
	};

	(void)state;
	check_pairs(p, sizeof(p) / sizeof(p[0]));
}

/* The ways one organisation turns up twice on a list. */
static void
test_real_duplicates_are_flagged_with_the_reason(void **state)
{
	static const struct pair	p[] = {
		{ ORG("Human Rights House Foundation", "HRHF", "NO",
		    "https://humanrightshouse.org/", NULL),
		  ORG("HRHF", NULL, NULL, "http://www.HumanRightsHouse.org",
		    NULL), US_DUPE_WEBSITE },
		{ ORG("Front Line Defenders", NULL, "IE",
		    "https://www.frontlinedefenders.org/en", NULL),
		  ORG("Front Line Defenders - Protection of Human Rights "
		    "Defenders at Risk", NULL, "IE",
		    "frontlinedefenders.org", NULL), US_DUPE_WEBSITE },
		{ ORG("Public Verdict Foundation", NULL, "RU", NULL,
		    "info@publicverdict.org"),
		  ORG("Фонд «Общественный вердикт»", NULL, "RU", NULL,
		    "Press@PublicVerdict.org"), US_DUPE_EMAIL },
		{ ORG("Helsinki Foundation for Human Rights", NULL, "PL", NULL,
		    NULL),
		  ORG("Helsinki Foundation For Human Rights", NULL, NULL, NULL,
		    NULL), US_DUPE_NAME },
		{ ORG("«Мемориал»", NULL, "RU", NULL, NULL),
		  ORG("\"Мемориал\"", NULL, "RU", NULL, NULL), US_DUPE_NAME },
		{ ORG("The Norwegian Helsinki Committee", NULL, "NO", NULL,
		    NULL),
		  ORG("Norwegian Helsinki Committee", "NHC", "NO", NULL, NULL),
		  US_DUPE_NAME },
		{ ORG("ARTICLE 19", NULL, "GB", NULL, NULL),
		  ORG("Article 19", NULL, NULL, NULL, NULL), US_DUPE_NAME },
		{ ORG("Kazakhstan International Bureau for Human Rights and "
		    "Rule of Law", "KIBHR", "KZ", NULL, NULL),
		  ORG("International Bureau for Human Rights and Rule of Law, "
		    "Kazakhstan", NULL, "KZ", NULL, NULL), US_DUPE_WORDS },
		{ ORG("Center for Civil Liberties", "CCL", "UA", NULL, NULL),
		  ORG("Centre for Civil Liberties", NULL, "UA", NULL, NULL),
		  US_DUPE_SPELLING },
		{ ORG("Amnesty International", NULL, NULL, NULL, NULL),
		  ORG("Amnesty Internatonal", NULL, NULL, NULL, NULL),
		  US_DUPE_SPELLING },
		{ ORG("Netherlands Helsinki Committee", "NHC", "NL", NULL,
		    NULL),
		  ORG("NHC", NULL, "NL", NULL, NULL), US_DUPE_ACRONYM },
		{ ORG("Human Rights Watch", "HRW", NULL, NULL, NULL),
		  ORG("Human Rights Watch Europe", "HRW", "DE", NULL, NULL),
		  US_DUPE_ACRONYM },
	};

	(void)state;
	check_pairs(p, sizeof(p) / sizeof(p[0]));
}

/* A shown name counts as the name. */
static void
test_display_name_is_compared(void **state)
{
	static const struct pair	p[] = {
		{ { "Obshchestvenny Verdikt", "Public Verdict Foundation",
		    NULL, "RU", NULL, NULL, NULL },
		  ORG("Public Verdict Foundation", NULL, "RU", NULL, NULL),
		  US_DUPE_NAME },
	};

	(void)state;
	check_pairs(p, sizeof(p) / sizeof(p[0]));
}

static void
test_domain_of_a_website(void **state)
{
	static const struct {
		const char	*url;
		const char	*want;
	} c[] = {
		{ "https://www.Example.org/about", "example.org" },
		{ "example.org.", "example.org" },
		{ "http://hrwf.eu:8080/x", "hrwf.eu" },
		{ "https://www.facebook.com/HRHF/posts/1",
		    "facebook.com/hrhf" },
		{ "https://t.me/publicverdict", "t.me/publicverdict" },
		{ "https://facebook.com/", NULL },
		{ "https://facebook.com", NULL },
		{ "", NULL },
	};
	size_t	 i;
	char	*d;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		d = us_dupe_domain(c[i].url);
		if (c[i].want == NULL)
			assert_null(d);
		else {
			assert_non_null(d);
			assert_string_equal(d, c[i].want);
		}
		free(d);
	}
}

static int
setup(void **state)
{
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	return (us_country_load(US_COUNTRY_JSON, &err) ? 0 : -1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_hrhf_and_hfhr_are_two),
		cmocka_unit_test(test_near_misses_are_not_flagged),
		cmocka_unit_test(
		    test_real_duplicates_are_flagged_with_the_reason),
		cmocka_unit_test(test_display_name_is_compared),
		cmocka_unit_test(test_domain_of_a_website),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
