/*
 * us_validate and the checkers: what passes, what is refused, and the
 * canonical form a passing value is rewritten into.
 */
#include "helpers.h"

#include "core/validate.h"

static int	run_check(us_check_fn, const char *, char **,
		    struct us_error *);
static void	expect_ok(us_check_fn, const char *, const char *);
static void	expect_bad(us_check_fn, const char *, const char *);

static const char *const colours[] = { "red", "green", NULL };

static const struct us_rule rules[] = {
	{ "name", "Name", US_RULE_REQUIRED, 5, NULL, NULL },
	{ "bio", "Biography", US_RULE_MULTILINE, 100, NULL, NULL },
	{ "email", "Email", US_RULE_REQUIRED, 254, us_check_email, NULL },
	{ "colour", "Colour", 0, 10, us_check_choice, colours },
};

#define NRULES	(sizeof(rules) / sizeof(rules[0]))

static const struct us_rule field = {
	"f", "Field", 0, 1000, NULL, colours
};

/* Runs a checker the way us_validate does, on a heap copy of in. */
static int
run_check(us_check_fn fn, const char *in, char **out, struct us_error *e)
{
	us_error_clear(e);
	*out = strdup(in);
	assert_non_null(*out);
	return (fn(&field, out, e));
}

static void
expect_ok(us_check_fn fn, const char *in, const char *want)
{
	struct us_error	 e;
	char		*v;
	int		 rc;

	rc = run_check(fn, in, &v, &e);
	if (rc != US_OK)
		fail_msg("\"%s\" refused: %s", in, e.message);
	assert_string_equal(v, want);
	assert_int_equal(e.kind, US_E_NONE);
	free(v);
}

static void
expect_bad(us_check_fn fn, const char *in, const char *code)
{
	struct us_error	 e;
	char		*v;
	int		 rc;

	rc = run_check(fn, in, &v, &e);
	free(v);
	if (rc != US_FAIL)
		fail_msg("\"%s\" accepted", in);
	assert_int_equal(e.kind, US_E_INVALID);
	assert_string_equal(e.field, "f");
	assert_string_equal(e.code, code);
}

static void
test_validate_cleans_values_into_out(void **state)
{
	struct us_fields	in, out;
	struct us_errlist	errs;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "  Ann \xc2\xa0", "bio", "one\r\ntwo\r",
	    "email", "Ann.Lee@Example.ORG", "colour", "green", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs), US_OK);
	assert_int_equal(errs.n, 0);
	assert_int_equal(out.n, 4);
	assert_string_equal(us_fields_get(&out, "name"), "Ann");
	assert_int_equal(us_fields_find(&out, "name")->len, 3);
	assert_string_equal(us_fields_get(&out, "bio"), "one\ntwo");
	assert_string_equal(us_fields_get(&out, "email"),
	    "Ann.Lee@example.org");
	assert_string_equal(us_fields_get(&out, "colour"), "green");
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_reports_missing_and_blank_required_fields(void **state)
{
	struct us_fields	 in, out;
	struct us_errlist	 errs;
	const struct us_error	*e;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", " \xe3\x80\x80 ", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 2);
	e = test_error_for(&errs, "name", "required");
	assert_int_equal(e->kind, US_E_INVALID);
	assert_string_equal(e->message, "Name is required.");
	e = test_error_for(&errs, "email", "required");
	assert_string_equal(e->message, "Email is required.");
	assert_int_equal(out.n, 0);
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_skips_empty_optional_fields(void **state)
{
	struct us_fields	in, out;
	struct us_errlist	errs;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "Ann", "email", "a@example.org", "bio",
	    "  \n ", "colour", "", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs), US_OK);
	assert_null(us_fields_get(&out, "bio"));
	assert_null(us_fields_get(&out, "colour"));
	assert_int_equal(out.n, 2);
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_counts_length_in_characters(void **state)
{
	struct us_fields	 in, out;
	struct us_errlist	 errs;
	const struct us_error	*e;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	/* Five characters in ten bytes fit a limit of five. */
	test_fields(&in, "name", "Ωμέγα", "email", "a@example.org", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs), US_OK);
	assert_string_equal(us_fields_get(&out, "name"), "Ωμέγα");
	us_fields_free(&out);

	test_fields(&in, "name", "Ωμέγαα", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 1);
	e = test_error_for(&errs, "name", "too_long");
	assert_string_equal(e->message,
	    "Name is too long: 6 characters, at most 5 allowed.");
	assert_null(us_fields_get(&out, "name"));
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_collects_every_error_with_its_field(void **state)
{
	struct us_fields	 in, out;
	struct us_errlist	 errs;
	const struct us_error	*e;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "Annabel", "bio", "bell\x07", "email",
	    "not-an-address", "colour", "blue", "ignored", "x", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 4);
	assert_string_equal(errs.v[0].field, "name");
	assert_string_equal(errs.v[1].field, "bio");
	assert_string_equal(errs.v[2].field, "email");
	assert_string_equal(errs.v[3].field, "colour");
	test_error_for(&errs, "name", "too_long");
	e = test_error_for(&errs, "bio", "control_character");
	assert_string_equal(e->message,
	    "Biography contains a control character; remove it.");
	test_error_for(&errs, "email", "invalid_email");
	e = test_error_for(&errs, "colour", "invalid_choice");
	assert_string_equal(e->message,
	    "Colour must be one of \"red\", \"green\".");
	assert_int_equal(out.n, 0);
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_single_line_field_rejects_line_break(void **state)
{
	struct us_fields	 in, out;
	struct us_errlist	 errs;
	const struct us_error	*e;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "a\nb", "email", "a@example.org", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	e = test_error_for(&errs, "name", "control_character");
	assert_string_equal(e->message,
	    "Name contains a control character or a line break; remove it.");
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_single_line_field_rejects_bidi_control(void **state)
{
	struct us_fields	 in, out;
	struct us_errlist	 errs;
	const struct us_error	*e;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "Ann\xe2\x80\xae" "eb", "email",
	    "a@example.org", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 1);
	e = test_error_for(&errs, "name", "bidi_control");
	assert_int_equal(e->kind, US_E_INVALID);
	assert_string_equal(e->message, "Name contains a character that "
	    "reverses or isolates the direction of text (U+202A-U+202E, "
	    "U+2066-U+2069); remove it.");
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_line_cleans_or_names_the_field(void **state)
{
	struct us_fields	in;
	struct us_error		e;
	char			*v;

	(void)state;
	us_fields_init(&in);
	test_fields(&in, "label", "  deploy script ", "reason", "spam\x07",
	    "why", "odd\xe2\x81\xa7" "text", NULL);
	assert_int_equal(us_validate_line(&in, "label", "Token name", 100, &v,
	    &e), US_OK);
	assert_string_equal(v, "deploy script");
	free(v);
	assert_int_equal(us_validate_line(&in, "absent", "Absent", 10, &v, &e),
	    US_OK);
	assert_null(v);
	assert_int_equal(us_validate_line(&in, "label", "Token name", 5, &v,
	    &e), US_FAIL);
	assert_string_equal(e.code, "too_long");
	assert_string_equal(e.field, "label");
	assert_int_equal(us_validate_line(&in, "reason", "Reason", 500, &v,
	    &e), US_FAIL);
	assert_string_equal(e.code, "control_character");
	assert_int_equal(us_validate_line(&in, "why", "Why", 500, &v, &e),
	    US_FAIL);
	assert_string_equal(e.code, "bidi_control");
	assert_string_equal(e.field, "why");
	us_fields_free(&in);
}

static void
test_validate_reports_invalid_utf8(void **state)
{
	struct us_fields	in, out;
	struct us_errlist	errs;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "\xc0\xaf", "email", "a@example.org", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 1);
	test_error_for(&errs, "name", "invalid_utf8");
	assert_string_equal(us_fields_get(&out, "email"), "a@example.org");
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_validate_ignores_fields_not_in_table(void **state)
{
	struct us_fields	in, out;
	struct us_errlist	errs;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&in);
	us_fields_init(&out);
	test_fields(&in, "name", "Ann", "email", "a@example.org", "admin",
	    "true", NULL);
	assert_int_equal(us_validate(rules, NRULES, &in, &out, &errs), US_OK);
	assert_null(us_fields_get(&out, "admin"));
	us_fields_free(&in);
	us_fields_free(&out);
}

static void
test_email_accepts_plain_plus_and_subdomains(void **state)
{
	(void)state;
	assert_true(us_valid_email("ann@example.org"));
	assert_true(us_valid_email("ann+petition@example.org"));
	assert_true(us_valid_email("first.last@mail.ngo.example.kg"));
	assert_true(us_valid_email("a@xn--80ao21a.xn--p1ai"));
	assert_true(us_valid_email("o'brien_99@example-ngo.org"));
	assert_true(us_valid_email("x@a.bc"));
}

static void
test_email_rejects_missing_or_repeated_at(void **state)
{
	(void)state;
	assert_false(us_valid_email("ann.example.org"));
	assert_false(us_valid_email("ann@@example.org"));
	assert_false(us_valid_email("ann@ex@ample.org"));
	assert_false(us_valid_email("@example.org"));
	assert_false(us_valid_email("ann@"));
	assert_false(us_valid_email(""));
}

static void
test_email_rejects_misplaced_dots(void **state)
{
	(void)state;
	assert_false(us_valid_email(".ann@example.org"));
	assert_false(us_valid_email("ann.@example.org"));
	assert_false(us_valid_email("an..n@example.org"));
	assert_false(us_valid_email("ann@.example.org"));
	assert_false(us_valid_email("ann@example..org"));
	assert_false(us_valid_email("ann@example.org."));
}

static void
test_email_rejects_spaces_and_odd_characters(void **state)
{
	(void)state;
	assert_false(us_valid_email("ann lee@example.org"));
	assert_false(us_valid_email("ann@exam ple.org"));
	assert_false(us_valid_email("\"ann\"@example.org"));
	assert_false(us_valid_email("ann@[192.0.2.1]"));
	assert_false(us_valid_email("ann@example_ngo.org"));
	assert_false(us_valid_email("анна@example.org"));
	assert_false(us_valid_email("ann@пример.рф"));
}

static void
test_email_rejects_bad_top_level_domain(void **state)
{
	(void)state;
	assert_false(us_valid_email("ann@localhost"));
	assert_false(us_valid_email("ann@example.o"));
	assert_false(us_valid_email("ann@example.123"));
	assert_false(us_valid_email("ann@192.0.2.1"));
	assert_false(us_valid_email("ann@example.or9"));
}

static void
test_email_rejects_hyphens_at_label_edges(void **state)
{
	(void)state;
	assert_false(us_valid_email("ann@-example.org"));
	assert_false(us_valid_email("ann@example-.org"));
	assert_false(us_valid_email("ann@mail.-example.org"));
	assert_false(us_valid_email("ann@example.org-"));
	assert_true(us_valid_email("ann@ex-ample.org"));
}

static void
test_email_limits_local_part_to_64(void **state)
{
	char	addr[128];

	(void)state;
	memset(addr, 'a', 64);
	(void)strcpy(addr + 64, "@example.org");
	assert_true(us_valid_email(addr));
	memset(addr, 'a', 65);
	(void)strcpy(addr + 65, "@example.org");
	assert_false(us_valid_email(addr));
}

static void
test_email_limits_labels_to_63(void **state)
{
	char	addr[128];

	(void)state;
	(void)strcpy(addr, "a@");
	memset(addr + 2, 'b', 63);
	(void)strcpy(addr + 65, ".org");
	assert_true(us_valid_email(addr));
	(void)strcpy(addr, "a@");
	memset(addr + 2, 'b', 64);
	(void)strcpy(addr + 66, ".org");
	assert_false(us_valid_email(addr));
}

static void
test_check_email_lowercases_domain_only(void **state)
{
	(void)state;
	expect_ok(us_check_email, "John.DOE+X@Mail.Example.ORG",
	    "John.DOE+X@mail.example.org");
	expect_bad(us_check_email, "John", "invalid_email");
}

static void
test_url_adds_https_to_bare_host(void **state)
{
	(void)state;
	expect_ok(us_check_url, "example.org/x", "https://example.org/x");
	expect_ok(us_check_url, "www.example.org", "https://www.example.org");
	expect_ok(us_check_url, "example.org:8080/a?b=c",
	    "https://example.org:8080/a?b=c");
}

static void
test_url_keeps_http_and_https(void **state)
{
	(void)state;
	expect_ok(us_check_url, "http://example.org", "http://example.org");
	expect_ok(us_check_url, "https://ngo.example.kg/about?lang=ru#team",
	    "https://ngo.example.kg/about?lang=ru#team");
	/* Host names are case-insensitive: kept in small letters. */
	expect_ok(us_check_url, "HTTPS://Example.org/", "HTTPS://example.org/");
	expect_ok(us_check_url, "https://example.org:443/",
	    "https://example.org:443/");
}

static void
test_url_rejects_other_schemes(void **state)
{
	(void)state;
	expect_bad(us_check_url, "javascript:alert(1)", "invalid_url");
	expect_bad(us_check_url, "JavaScript:alert(1)", "invalid_url");
	expect_bad(us_check_url, "vbscript:msgbox(1)", "invalid_url");
	expect_bad(us_check_url, "data:text/html,<b>x</b>", "invalid_url");
	expect_bad(us_check_url, "data:text/plain,x", "invalid_url");
	expect_bad(us_check_url, "ftp://example.org/file", "invalid_url");
	expect_bad(us_check_url, "file:///etc/passwd", "invalid_url");
	expect_bad(us_check_url, "mailto:ann@example.org", "invalid_url");
}

static void
test_url_rejects_spaces_quotes_and_angle_brackets(void **state)
{
	(void)state;
	expect_bad(us_check_url, "https://exa mple.org", "invalid_url");
	expect_bad(us_check_url, "https://example.org/a b", "invalid_url");
	expect_bad(us_check_url, "https://example.org/\"onmouseover=x",
	    "invalid_url");
	expect_bad(us_check_url, "https://example.org/<script>",
	    "invalid_url");
	expect_bad(us_check_url, "https://example.org/>", "invalid_url");
	expect_bad(us_check_url, "https://example.org\\@evil.example",
	    "invalid_url");
	/* A host in any script is a name (test_idn); a symbol is not. */
	expect_ok(us_check_url, "https://пример.рф/", "https://пример.рф/");
	expect_bad(us_check_url, "https://\xe2\x99\xa5.org/", "invalid_url");
}

static void
test_url_rejects_userinfo(void **state)
{
	(void)state;
	expect_bad(us_check_url, "https://user@example.org/", "invalid_url");
	expect_bad(us_check_url, "https://user:pw@example.org/",
	    "invalid_url");
	expect_bad(us_check_url, "https://example.org:443@evil.example/",
	    "invalid_url");
	expect_bad(us_check_url, "example.org@evil.example", "invalid_url");
}

static void
test_url_rejects_bad_port(void **state)
{
	(void)state;
	expect_bad(us_check_url, "https://example.org:/", "invalid_url");
	expect_bad(us_check_url, "https://example.org:http/", "invalid_url");
	expect_bad(us_check_url, "https://example.org:80x", "invalid_url");
	expect_bad(us_check_url, "https://example.org:1234567/",
	    "invalid_url");
	expect_bad(us_check_url, "https://example.org:-1/", "invalid_url");
}

static void
test_url_rejects_bad_host(void **state)
{
	(void)state;
	expect_bad(us_check_url, "https://", "invalid_url");
	expect_bad(us_check_url, "https:///path", "invalid_url");
	expect_bad(us_check_url, "https://localhost/", "invalid_url");
	expect_bad(us_check_url, "https://192.0.2.1/", "invalid_url");
	expect_bad(us_check_url, "//example.org", "invalid_url");
	expect_bad(us_check_url, "https://-example.org", "invalid_url");
}

static void
test_country_accepts_codes_and_names_in_any_case(void **state)
{
	(void)state;
	expect_ok(us_check_country, "kg", "KG");
	expect_ok(us_check_country, "KGZ", "KG");
	expect_ok(us_check_country, "Germany", "DE");
	expect_ok(us_check_country, "GEORGIA", "GE");
	expect_ok(us_check_country, "arm", "AM");
	expect_ok(us_check_country, "Kyrgyz Republic", "KG");
}

static void
test_country_rejects_unknown(void **state)
{
	(void)state;
	expect_bad(us_check_country, "XX", "invalid_country");
	expect_bad(us_check_country, "Atlantis", "invalid_country");
	expect_bad(us_check_country, "K", "invalid_country");
}

static void
test_slug_accepts_lowercase_words_and_single_hyphens(void **state)
{
	(void)state;
	expect_ok(us_check_slug, "free-civil-society-2026",
	    "free-civil-society-2026");
	expect_ok(us_check_slug, "a", "a");
	expect_ok(us_check_slug, "2026", "2026");
}

static void
test_slug_rejects_other_shapes(void **state)
{
	(void)state;
	expect_bad(us_check_slug, "-free", "invalid_slug");
	expect_bad(us_check_slug, "free-", "invalid_slug");
	expect_bad(us_check_slug, "free--press", "invalid_slug");
	expect_bad(us_check_slug, "Free", "invalid_slug");
	expect_bad(us_check_slug, "free_press", "invalid_slug");
	expect_bad(us_check_slug, "free press", "invalid_slug");
	expect_bad(us_check_slug, "free/press", "invalid_slug");
	expect_bad(us_check_slug, "свобода", "invalid_slug");
}

static void
test_lang_lowercases_primary_subtag(void **state)
{
	(void)state;
	expect_ok(us_check_lang, "EN", "en");
	expect_ok(us_check_lang, "ky", "ky");
	expect_ok(us_check_lang, "pt-BR", "pt-BR");
	expect_ok(us_check_lang, "sr-Latn", "sr-Latn");
	expect_ok(us_check_lang, "ast", "ast");
	expect_ok(us_check_lang, "zh-Hant-TW", "zh-Hant-TW");
}

static void
test_lang_rejects_malformed_tags(void **state)
{
	(void)state;
	expect_bad(us_check_lang, "e", "invalid_lang");
	expect_bad(us_check_lang, "english", "invalid_lang");
	expect_bad(us_check_lang, "en-", "invalid_lang");
	expect_bad(us_check_lang, "en_US", "invalid_lang");
	expect_bad(us_check_lang, "en-x", "invalid_lang");
	expect_bad(us_check_lang, "e1", "invalid_lang");
	expect_bad(us_check_lang, "en--us", "invalid_lang");
	expect_bad(us_check_lang, "en-abcdefghi", "invalid_lang");
}

static void
test_date_accepts_leap_days_in_leap_years(void **state)
{
	(void)state;
	expect_ok(us_check_date, "2028-02-29", "2028-02-29");
	expect_ok(us_check_date, "2000-02-29", "2000-02-29");
	expect_ok(us_check_date, "2026-12-31", "2026-12-31");
	expect_ok(us_check_date, "2026-01-01", "2026-01-01");
}

static void
test_date_rejects_impossible_dates(void **state)
{
	(void)state;
	expect_bad(us_check_date, "2027-02-29", "invalid_date");
	expect_bad(us_check_date, "1900-02-29", "invalid_date");
	expect_bad(us_check_date, "2026-13-01", "invalid_date");
	expect_bad(us_check_date, "2026-00-10", "invalid_date");
	expect_bad(us_check_date, "2026-04-31", "invalid_date");
	expect_bad(us_check_date, "2026-04-00", "invalid_date");
}

static void
test_date_rejects_other_formats(void **state)
{
	(void)state;
	expect_bad(us_check_date, "2026-4-01", "invalid_date");
	expect_bad(us_check_date, "2026/04/01", "invalid_date");
	expect_bad(us_check_date, "01.04.2026", "invalid_date");
	expect_bad(us_check_date, "2026-04-01T00:00:00Z", "invalid_date");
	expect_bad(us_check_date, "2026-04-1x", "invalid_date");
	expect_bad(us_check_date, "2026-+4-01", "invalid_date");
}

static void
test_timestamp_accepts_utc_and_offsets(void **state)
{
	(void)state;
	expect_ok(us_check_timestamp, "2026-12-10T00:01:00Z",
	    "2026-12-10T00:01:00Z");
	expect_ok(us_check_timestamp, "2026-12-10T09:00:00+06:00",
	    "2026-12-10T09:00:00+06:00");
	expect_ok(us_check_timestamp, "2026-12-10T09:00:00.250-03:30",
	    "2026-12-10T09:00:00.250-03:30");
	expect_ok(us_check_timestamp, "2026-12-10 23:59:59z",
	    "2026-12-10 23:59:59z");
}

static void
test_timestamp_rejects_missing_or_bad_offset(void **state)
{
	(void)state;
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00+0600",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00+6:00",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00+15:00",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00Z+01:00",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00 UTC",
	    "invalid_timestamp");
}

static void
test_timestamp_rejects_bad_date_or_time(void **state)
{
	(void)state;
	expect_bad(us_check_timestamp, "2026-02-30T00:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T24:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:60:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10X09:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10", "invalid_timestamp");
}

static void
test_timestamp_rejects_signs_blanks_and_empty_fractions(void **state)
{
	(void)state;
	expect_bad(us_check_timestamp, "2026-12-10T-1:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T 9:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T+9:00:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:-1:00Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:-1Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00.Z",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00.+06:00",
	    "invalid_timestamp");
	expect_bad(us_check_timestamp, "2026-12-10T09:00:00+-6:00",
	    "invalid_timestamp");
}

static void
test_bool_maps_form_values_to_true_or_false(void **state)
{
	(void)state;
	expect_ok(us_check_bool, "true", "true");
	expect_ok(us_check_bool, "on", "true");
	expect_ok(us_check_bool, "1", "true");
	expect_ok(us_check_bool, "yes", "true");
	expect_ok(us_check_bool, "false", "false");
	expect_ok(us_check_bool, "off", "false");
	expect_ok(us_check_bool, "0", "false");
	expect_ok(us_check_bool, "no", "false");
	expect_bad(us_check_bool, "maybe", "invalid_boolean");
	expect_bad(us_check_bool, "2", "invalid_boolean");
}

static void
test_choice_accepts_only_listed_values(void **state)
{
	struct us_error	 e;
	char		*v;

	(void)state;
	expect_ok(us_check_choice, "red", "red");
	expect_ok(us_check_choice, "green", "green");
	expect_bad(us_check_choice, "Red", "invalid_choice");
	expect_bad(us_check_choice, "reds", "invalid_choice");
	assert_int_equal(run_check(us_check_choice, "blue", &v, &e), US_FAIL);
	assert_string_equal(e.message,
	    "Field must be one of \"red\", \"green\".");
	free(v);
}

static void
test_url_rejects_ports_out_of_range(void **state)
{
	(void)state;
	expect_bad(us_check_url, "https://example.org:0/", "invalid_url");
	expect_bad(us_check_url, "https://example.org:65536/", "invalid_url");
	expect_bad(us_check_url, "https://example.org:99999/", "invalid_url");
	expect_ok(us_check_url, "https://example.org:65535/",
	    "https://example.org:65535/");
	expect_ok(us_check_url, "http://example.org:8080",
	    "http://example.org:8080");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_validate_cleans_values_into_out),
		cmocka_unit_test(
		    test_timestamp_rejects_signs_blanks_and_empty_fractions),
		cmocka_unit_test(test_url_rejects_ports_out_of_range),
		cmocka_unit_test(
		    test_validate_reports_missing_and_blank_required_fields),
		cmocka_unit_test(test_validate_skips_empty_optional_fields),
		cmocka_unit_test(test_validate_counts_length_in_characters),
		cmocka_unit_test(
		    test_validate_collects_every_error_with_its_field),
		cmocka_unit_test(
		    test_validate_single_line_field_rejects_line_break),
		cmocka_unit_test(test_validate_reports_invalid_utf8),
		cmocka_unit_test(
		    test_validate_single_line_field_rejects_bidi_control),
		cmocka_unit_test(test_validate_line_cleans_or_names_the_field),
		cmocka_unit_test(test_validate_ignores_fields_not_in_table),
		cmocka_unit_test(test_email_accepts_plain_plus_and_subdomains),
		cmocka_unit_test(test_email_rejects_missing_or_repeated_at),
		cmocka_unit_test(test_email_rejects_misplaced_dots),
		cmocka_unit_test(test_email_rejects_spaces_and_odd_characters),
		cmocka_unit_test(test_email_rejects_bad_top_level_domain),
		cmocka_unit_test(test_email_rejects_hyphens_at_label_edges),
		cmocka_unit_test(test_email_limits_local_part_to_64),
		cmocka_unit_test(test_email_limits_labels_to_63),
		cmocka_unit_test(test_check_email_lowercases_domain_only),
		cmocka_unit_test(test_url_adds_https_to_bare_host),
		cmocka_unit_test(test_url_keeps_http_and_https),
		cmocka_unit_test(test_url_rejects_other_schemes),
		cmocka_unit_test(
		    test_url_rejects_spaces_quotes_and_angle_brackets),
		cmocka_unit_test(test_url_rejects_userinfo),
		cmocka_unit_test(test_url_rejects_bad_port),
		cmocka_unit_test(test_url_rejects_bad_host),
		cmocka_unit_test(
		    test_country_accepts_codes_and_names_in_any_case),
		cmocka_unit_test(test_country_rejects_unknown),
		cmocka_unit_test(
		    test_slug_accepts_lowercase_words_and_single_hyphens),
		cmocka_unit_test(test_slug_rejects_other_shapes),
		cmocka_unit_test(test_lang_lowercases_primary_subtag),
		cmocka_unit_test(test_lang_rejects_malformed_tags),
		cmocka_unit_test(test_date_accepts_leap_days_in_leap_years),
		cmocka_unit_test(test_date_rejects_impossible_dates),
		cmocka_unit_test(test_date_rejects_other_formats),
		cmocka_unit_test(test_timestamp_accepts_utc_and_offsets),
		cmocka_unit_test(test_timestamp_rejects_missing_or_bad_offset),
		cmocka_unit_test(test_timestamp_rejects_bad_date_or_time),
		cmocka_unit_test(test_bool_maps_form_values_to_true_or_false),
		cmocka_unit_test(test_choice_accepts_only_listed_values),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
