/*
 * us_stmt: parsing a submitted statement, the digest that binds a
 * signature to the text, and the status rules.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/markdown.h"
#include "core/statement.h"

/* sha256("en\0Free the press\0# Hi\n\nWe *ask*.") */
#define VALID_DIGEST \
	"406f73c8dfca59349897f45f9d6efa951ebc0017dcc8bac83d9e058cf0ed2ea6"

static int	parse(const char *, struct us_stmt_input *,
		    struct us_errlist *);
static void	digest_of(const char *, char [US_DIGEST_HEX]);
static int	is_hex64(const char *);

/* Parses JSON text; the caller frees in whatever the verdict. */
static int
parse(const char *text, struct us_stmt_input *in, struct us_errlist *errs)
{
	json_t	*j;
	int	 rc;

	memset(errs, 0, sizeof(*errs));
	j = test_json(text);
	rc = us_stmt_parse(j, in, errs);
	json_decref(j);
	return (rc);
}

/* The digest of a statement that must parse. */
static void
digest_of(const char *text, char out[US_DIGEST_HEX])
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	if (parse(text, &in, &errs) != US_OK)
		fail_msg("did not parse: %s", errs.v[0].message);
	memcpy(out, in.digest, US_DIGEST_HEX);
	us_stmt_input_free(&in);
}

static int
is_hex64(const char *s)
{
	return (strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64);
}

static void
test_stmt_parse_fills_cleaned_fields(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"free-press\", "
	    "\"kind\": \"open_letter\", \"lang\": \"EN\", "
	    "\"title\": \"  Free the press \", "
	    "\"body_markdown\": \"# Hi\\r\\n\\r\\nWe *ask*.\\r\\n\", "
	    "\"place\": \"Bishkek\", \"date\": \"2026-05-03\", "
	    "\"signing_deadline\": \"2026-06-01T00:00:00+06:00\", "
	    "\"require_approval\": true, \"unknown\": 5}", &in, &errs), US_OK);
	assert_int_equal(errs.n, 0);
	assert_string_equal(us_fields_get(&in.f, "slug"), "free-press");
	assert_string_equal(us_fields_get(&in.f, "kind"), "open_letter");
	assert_string_equal(us_fields_get(&in.f, "lang"), "en");
	assert_string_equal(us_fields_get(&in.f, "title"), "Free the press");
	assert_string_equal(us_fields_get(&in.f, "body_markdown"),
	    "# Hi\n\nWe *ask*.");
	assert_string_equal(us_fields_get(&in.f, "place"), "Bishkek");
	assert_string_equal(us_fields_get(&in.f, "date"), "2026-05-03");
	assert_string_equal(us_fields_get(&in.f, "signing_deadline"),
	    "2026-06-01T00:00:00+06:00");
	assert_string_equal(us_fields_get(&in.f, "require_approval"), "true");
	assert_null(us_fields_get(&in.f, "unknown"));
	assert_int_equal(in.addressees.n, 0);
	us_stmt_input_free(&in);
}

static void
test_stmt_parse_renders_body_html(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": "
	    "\"# Hi\\n\\nWe *ask*.\\n\\n<script>x()</script>\"}", &in, &errs),
	    US_OK);
	assert_non_null(in.body_html);
	assert_string_equal(in.body_html, "<h1>Hi</h1>\n"
	    "<p>We <em>ask</em>.</p>\n<!-- raw HTML omitted -->\n");
	us_stmt_input_free(&in);
}

static void
test_stmt_digest_is_sha256_of_lang_title_body(void **state)
{
	char	d[US_DIGEST_HEX];

	(void)state;
	digest_of("{\"slug\": \"s\", \"kind\": \"urgent_action\", "
	    "\"lang\": \"en\", \"title\": \"Free the press\", "
	    "\"body_markdown\": \"# Hi\\n\\nWe *ask*.\"}", d);
	assert_string_equal(d, VALID_DIGEST);
	us_stmt_digest("en", "Free the press", "# Hi\n\nWe *ask*.", d);
	assert_string_equal(d, VALID_DIGEST);
}

static void
test_stmt_digest_ignores_line_end_style_and_outer_space(void **state)
{
	char	a[US_DIGEST_HEX], b[US_DIGEST_HEX];

	(void)state;
	digest_of("{\"slug\": \"s\", \"kind\": \"urgent_action\", "
	    "\"lang\": \"en\", \"title\": \"Free the press\", "
	    "\"body_markdown\": \"# Hi\\n\\nWe *ask*.\"}", a);
	digest_of("{\"slug\": \"other\", \"kind\": \"open_letter\", "
	    "\"lang\": \"EN\", \"title\": \" Free the press\", "
	    "\"body_markdown\": \"\\r\\n# Hi\\r\\n\\r\\nWe *ask*. \", "
	    "\"place\": \"Tbilisi\"}", b);
	assert_string_equal(a, b);
}

static void
test_stmt_digest_changes_with_title_body_or_lang(void **state)
{
	char	base[US_DIGEST_HEX], d[US_DIGEST_HEX];

	(void)state;
	digest_of("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"Title\", "
	    "\"body_markdown\": \"Body\"}", base);
	assert_true(is_hex64(base));

	digest_of("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"Title!\", "
	    "\"body_markdown\": \"Body\"}", d);
	assert_true(is_hex64(d));
	assert_string_not_equal(d, base);

	digest_of("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"Title\", "
	    "\"body_markdown\": \"Body.\"}", d);
	assert_string_not_equal(d, base);

	digest_of("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"ru\", \"title\": \"Title\", "
	    "\"body_markdown\": \"Body\"}", d);
	assert_string_not_equal(d, base);
}

static void
test_stmt_digest_separates_title_from_body(void **state)
{
	char	a[US_DIGEST_HEX], b[US_DIGEST_HEX];

	(void)state;
	us_stmt_digest("en", "ab", "c", a);
	us_stmt_digest("en", "a", "bc", b);
	assert_string_not_equal(a, b);
	us_stmt_digest("e", "nab", "c", b);
	assert_string_not_equal(a, b);
}

static void
test_stmt_parse_validates_addressees(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"addressees\": [{\"name\": \" Minister \", "
	    "\"email\": \"Office@Gov.Example.KG\", "
	    "\"address\": \"1 Main St\\r\\nBishkek\"}, "
	    "{\"name\": \"Speaker\", \"phone\": \"+996 312 000000\"}]}",
	    &in, &errs), US_OK);
	assert_int_equal(in.addressees.n, 2);
	assert_string_equal(us_fields_get(&in.addressees.v[0], "name"), "Minister");
	assert_string_equal(us_fields_get(&in.addressees.v[0], "email"),
	    "Office@gov.example.kg");
	assert_string_equal(us_fields_get(&in.addressees.v[0], "address"),
	    "1 Main St\nBishkek");
	assert_string_equal(us_fields_get(&in.addressees.v[1], "name"), "Speaker");
	assert_string_equal(us_fields_get(&in.addressees.v[1], "phone"),
	    "+996 312 000000");
	assert_null(us_fields_get(&in.addressees.v[1], "email"));
	us_stmt_input_free(&in);
}

static void
test_stmt_addressee_errors_reported_under_addressees(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"addressees\": [{\"name\": \"Ok\"}, "
	    "{\"title\": \"No name\", \"email\": \"bad@\"}]}", &in, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.v[0].field, "addressees");
	assert_string_equal(errs.v[0].code, "required");
	assert_string_equal(errs.v[0].message, "Addressee name is required.");
	assert_string_equal(errs.v[1].field, "addressees");
	assert_string_equal(errs.v[1].code, "invalid_email");
	assert_null(us_errlist_find(&errs, "name"));
	assert_null(us_errlist_find(&errs, "email"));
	assert_null(in.body_html);
	us_stmt_input_free(&in);
}

static void
test_stmt_addressee_must_be_an_object(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"addressees\": [{\"name\": \"Ok\"}, \"Minister\"]}", &in,
	    &errs), US_FAIL);
	assert_int_equal(errs.n, 1);
	test_error_for(&errs, "addressees", "invalid_list");
	assert_string_equal(errs.v[0].message,
	    "Addressees: item 2 must be an object.");
	us_stmt_input_free(&in);
}

static void
test_stmt_addressees_must_be_a_list(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"addressees\": {\"name\": \"Minister\"}}", &in, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 1);
	test_error_for(&errs, "addressees", "invalid_list");
	assert_int_equal(in.addressees.n, 0);
	us_stmt_input_free(&in);
}

static void
test_stmt_refuses_more_than_100_addressees(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;
	json_t			*j, *list;
	int			 i;

	(void)state;
	j = test_json("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\"}");
	list = json_array();
	for (i = 0; i < US_STMT_ADDRESSEES_MAX; i++)
		json_array_append_new(list, json_pack("{s:s}", "name", "N"));
	json_object_set_new(j, "addressees", list);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(us_stmt_parse(j, &in, &errs), US_OK);
	assert_int_equal(in.addressees.n, US_STMT_ADDRESSEES_MAX);
	us_stmt_input_free(&in);

	json_array_append_new(list, json_pack("{s:s}", "name", "N"));
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(us_stmt_parse(j, &in, &errs), US_FAIL);
	test_error_for(&errs, "addressees", "invalid_list");
	us_stmt_input_free(&in);
	json_decref(j);
}

static void
test_stmt_null_addressees_means_none(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"addressees\": null}", &in, &errs), US_OK);
	assert_int_equal(in.addressees.n, 0);
	us_stmt_input_free(&in);
}

static void
test_stmt_parse_rejects_non_object(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("[\"slug\", \"s\"]", &in, &errs), US_FAIL);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.v[0].kind, US_E_MALFORMED);
	assert_string_equal(errs.v[0].code, "not_an_object");
	us_stmt_input_free(&in);

	assert_int_equal(parse("\"text\"", &in, &errs), US_FAIL);
	assert_string_equal(errs.v[0].code, "not_an_object");
	us_stmt_input_free(&in);
}

static void
test_stmt_parse_reports_every_missing_field(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"kind\": \"manifesto\", "
	    "\"slug\": \"Bad Slug\", \"date\": \"2027-02-29\"}", &in, &errs),
	    US_FAIL);
	assert_int_equal(errs.n, 6);
	test_error_for(&errs, "slug", "invalid_slug");
	test_error_for(&errs, "kind", "invalid_choice");
	test_error_for(&errs, "lang", "required");
	test_error_for(&errs, "title", "required");
	test_error_for(&errs, "body_markdown", "required");
	test_error_for(&errs, "date", "invalid_date");
	assert_null(in.body_html);
	us_stmt_input_free(&in);
}

static void
test_stmt_parse_rejects_number_as_text(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": 1.5, \"body_markdown\": \"B\"}",
	    &in, &errs), US_FAIL);
	assert_int_equal(errs.n, 1);
	test_error_for(&errs, "title", "invalid_type");
	us_stmt_input_free(&in);
}

static void
test_stmt_transition_allows_forward_steps_and_reopening(void **state)
{
	struct us_error	e;

	(void)state;
	us_error_clear(&e);
	assert_int_equal(us_stmt_transition("draft", "open", &e), US_OK);
	assert_int_equal(us_stmt_transition("open", "closed", &e), US_OK);
	assert_int_equal(us_stmt_transition("closed", "open", &e), US_OK);
	assert_int_equal(us_stmt_transition("closed", "published", &e),
	    US_OK);
	assert_int_equal(us_stmt_transition("open", "published", &e), US_OK);
	assert_int_equal(e.kind, US_E_NONE);
}

static void
test_stmt_transition_allows_same_status(void **state)
{
	struct us_error	e;

	(void)state;
	us_error_clear(&e);
	assert_int_equal(us_stmt_transition("draft", "draft", &e), US_OK);
	assert_int_equal(us_stmt_transition("open", "open", &e), US_OK);
	assert_int_equal(us_stmt_transition("published", "published", &e),
	    US_OK);
	assert_int_equal(e.kind, US_E_NONE);
}

static void
test_stmt_transition_refuses_backward_or_skipping_steps(void **state)
{
	static const char	*bad[][2] = {
		{ "open", "draft" },
		{ "draft", "published" },
		{ "draft", "closed" },
		{ "published", "open" },
		{ "published", "closed" },
		{ "closed", "draft" },
	};
	struct us_error		 e;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us_error_clear(&e);
		if (us_stmt_transition(bad[i][0], bad[i][1], &e) != US_FAIL)
			fail_msg("%s -> %s allowed", bad[i][0], bad[i][1]);
		assert_int_equal(e.kind, US_E_CONFLICT);
		assert_string_equal(e.field, "status");
		assert_string_equal(e.code, "invalid_transition");
	}
	us_error_clear(&e);
	(void)us_stmt_transition("open", "draft", &e);
	assert_string_equal(e.message, "A statement cannot go from open to "
	    "draft; the order is draft, open, closed, published (closed may "
	    "reopen; open may publish at once).");
	assert_int_equal(us_error_status(e.kind), 409);
}

static void
test_stmt_transition_rejects_unknown_status(void **state)
{
	struct us_error	e;

	(void)state;
	us_error_clear(&e);
	assert_int_equal(us_stmt_transition("open", "archived", &e), US_FAIL);
	assert_int_equal(e.kind, US_E_INVALID);
	assert_string_equal(e.code, "invalid_status");
	us_error_clear(&e);
	assert_int_equal(us_stmt_transition("draft", "Open", &e), US_FAIL);
	assert_int_equal(e.kind, US_E_INVALID);
	assert_int_equal(us_error_status(e.kind), 422);
}

static void
test_stmt_parse_keeps_press_fields_and_media_contacts(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"headline\": \"H\", \"lede\": \"L1\\nL2\", "
	    "\"embargo_until\": \"2026-12-01T00:01:00Z\", "
	    "\"embargo_timezone\": \"Europe/London\", "
	    "\"media_contacts\": [{\"name\": \"Nino\", "
	    "\"email\": \"press@ngo.example.org\", "
	    "\"languages\": \"English, Georgian\"}]}", &in, &errs), US_OK);
	assert_string_equal(us_fields_get(&in.f, "headline"), "H");
	assert_string_equal(us_fields_get(&in.f, "lede"), "L1\nL2");
	assert_string_equal(us_fields_get(&in.f, "embargo_timezone"),
	    "Europe/London");
	assert_int_equal(in.contacts.n, 1);
	assert_string_equal(us_fields_get(&in.contacts.v[0], "languages"),
	    "English, Georgian");
	us_stmt_input_free(&in);
}

static void
test_stmt_embargo_needs_a_known_zone_and_a_time(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"embargo_until\": \"2026-12-01T00:01:00Z\", "
	    "\"embargo_timezone\": \"Mars/Olympus\"}", &in, &errs), US_FAIL);
	test_error_for(&errs, "embargo_timezone", "invalid_timezone");
	us_stmt_input_free(&in);
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"embargo_timezone\": \"../../etc/passwd\"}", &in, &errs),
	    US_FAIL);
	test_error_for(&errs, "embargo_timezone", "invalid_timezone");
	us_stmt_input_free(&in);
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"embargo_until\": \"2026-12-01T00:01:00Z\"}", &in, &errs),
	    US_FAIL);
	test_error_for(&errs, "embargo_timezone", "embargo_incomplete");
	us_stmt_input_free(&in);
}

static void
test_stmt_media_contact_needs_a_name(void **state)
{
	struct us_stmt_input	in;
	struct us_errlist	errs;

	(void)state;
	assert_int_equal(parse("{\"slug\": \"s\", \"kind\": \"open_letter\", "
	    "\"lang\": \"en\", \"title\": \"T\", \"body_markdown\": \"B\", "
	    "\"media_contacts\": [{\"email\": \"press@ngo.example.org\"}]}",
	    &in, &errs), US_FAIL);
	test_error_for(&errs, "media_contacts", "required");
	us_stmt_input_free(&in);
}

/*
 * A text past US_MD_MAX characters is refused, by field, before any
 * rendering: libcmark is quadratic on "![[]()" repeated.
 */
static void
test_stmt_text_past_markdown_cap_is_refused(void **state)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;
	const struct us_error	*e;
	struct us_buf		 md;
	json_t			*j;

	(void)state;
	us_buf_init(&md);
	while (md.len <= US_MD_MAX)
		us_buf_puts(&md, "![[]()");
	j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", "s", "kind",
	    "open_letter", "lang", "en", "title", "T", "body_markdown",
	    md.data);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(us_stmt_parse(j, &in, &errs), US_FAIL);
	e = us_errlist_find(&errs, "body_markdown");
	assert_non_null(e);
	assert_string_equal(e->code, "too_long");
	assert_int_equal(us_error_status(e->kind), 422);
	assert_null(in.body_html);
	us_stmt_input_free(&in);
	json_decref(j);

	/* At the cap the text is accepted and rendered. */
	md.data[US_MD_MAX] = '\0';
	j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", "s", "kind",
	    "open_letter", "lang", "en", "title", "T", "body_markdown",
	    md.data);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(us_stmt_parse(j, &in, &errs), US_OK);
	assert_non_null(in.body_html);
	us_stmt_input_free(&in);
	json_decref(j);
	us_buf_free(&md);
}

/* PATCH: the fields given replace the statement's, null removes one. */
static void
test_stmt_patch_merges_known_fields(void **state)
{
	struct us_error	 e;
	json_t		*cur, *patch;

	(void)state;
	memset(&e, 0, sizeof(e));
	cur = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:i}], s:b, s:n,"
	    " s:s, s:i}", "slug", "a", "title", "T", "place", "Osh",
	    "headline", "H", "addressees", "name", "Minister", "position", 1,
	    "require_approval", 0, "reference", "status", "open",
	    "signature_count", 3);
	patch = json_pack("{s:s, s:n, s:s}", "place", "Bishkek", "headline",
	    "note", "n");
	assert_int_equal(us_stmt_patch(cur, patch, &e), US_OK);
	assert_string_equal(json_string_value(json_object_get(cur, "place")),
	    "Bishkek");
	assert_null(json_object_get(cur, "headline"));
	assert_null(json_object_get(cur, "status"));
	assert_null(json_object_get(cur, "signature_count"));
	assert_null(json_object_get(cur, "note"));
	assert_null(json_object_get(cur, "reference"));
	assert_null(json_object_get(json_array_get(json_object_get(cur,
	    "addressees"), 0), "position"));
	assert_string_equal(json_string_value(json_object_get(cur, "title")),
	    "T");
	json_decref(cur);
	json_decref(patch);
}

static void
test_stmt_patch_refuses_unknown_fields_and_a_new_slug(void **state)
{
	struct us_error	 e;
	json_t		*cur, *patch;

	(void)state;
	memset(&e, 0, sizeof(e));
	cur = json_pack("{s:s, s:s}", "slug", "a", "title", "T");
	patch = json_pack("{s:s}", "colour", "red");
	assert_int_equal(us_stmt_patch(cur, patch, &e), US_FAIL);
	assert_int_equal(e.kind, US_E_INVALID);
	assert_string_equal(e.field, "colour");
	json_decref(patch);
	patch = json_pack("{s:s}", "slug", "b");
	assert_int_equal(us_stmt_patch(cur, patch, &e), US_FAIL);
	assert_string_equal(e.field, "slug");
	json_decref(patch);
	patch = json_pack("{s:s}", "slug", "a");
	assert_int_equal(us_stmt_patch(cur, patch, &e), US_OK);
	json_decref(patch);
	patch = json_pack("[]");
	assert_int_equal(us_stmt_patch(cur, patch, &e), US_FAIL);
	assert_int_equal(e.kind, US_E_MALFORMED);
	json_decref(patch);
	json_decref(cur);
}

/* A short name from a title: Latin kept, Cyrillic transliterated. */
static void
test_stmt_slug_from_title(void **state)
{
	char	out[81];

	(void)state;
	us_stmt_slug_suggest("Free the “Bishkek Four” — now!", out,
	    sizeof(out));
	assert_string_equal(out, "free-the-bishkek-four-now");
	us_stmt_slug_suggest("Освободите «Бишкекскую четвёрку»", out,
	    sizeof(out));
	assert_string_equal(out, "osvobodite-bishkekskuyu-chetvyorku");
	us_stmt_slug_suggest("Өкмөткө кайрылуу: ҮЙ", out, sizeof(out));
	assert_string_equal(out, "okmotko-kairyluu-ui");
	us_stmt_slug_suggest("«»—", out, sizeof(out));
	assert_string_equal(out, "statement");
	us_stmt_slug_suggest("A very long title that goes on and on and on "
	    "about many things, more than eighty characters in all, surely",
	    out, sizeof(out));
	assert_true(strlen(out) <= 80);
	assert_true(out[strlen(out) - 1] != '-');
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_stmt_slug_from_title),
		cmocka_unit_test(test_stmt_patch_merges_known_fields),
		cmocka_unit_test(
		    test_stmt_patch_refuses_unknown_fields_and_a_new_slug),
		cmocka_unit_test(
		    test_stmt_parse_keeps_press_fields_and_media_contacts),
		cmocka_unit_test(test_stmt_embargo_needs_a_known_zone_and_a_time),
		cmocka_unit_test(test_stmt_media_contact_needs_a_name),
		cmocka_unit_test(test_stmt_parse_fills_cleaned_fields),
		cmocka_unit_test(test_stmt_parse_renders_body_html),
		cmocka_unit_test(test_stmt_digest_is_sha256_of_lang_title_body),
		cmocka_unit_test(
		    test_stmt_digest_ignores_line_end_style_and_outer_space),
		cmocka_unit_test(
		    test_stmt_digest_changes_with_title_body_or_lang),
		cmocka_unit_test(test_stmt_digest_separates_title_from_body),
		cmocka_unit_test(test_stmt_parse_validates_addressees),
		cmocka_unit_test(
		    test_stmt_addressee_errors_reported_under_addressees),
		cmocka_unit_test(test_stmt_addressee_must_be_an_object),
		cmocka_unit_test(test_stmt_addressees_must_be_a_list),
		cmocka_unit_test(test_stmt_refuses_more_than_100_addressees),
		cmocka_unit_test(test_stmt_null_addressees_means_none),
		cmocka_unit_test(test_stmt_parse_rejects_non_object),
		cmocka_unit_test(test_stmt_parse_reports_every_missing_field),
		cmocka_unit_test(test_stmt_parse_rejects_number_as_text),
		cmocka_unit_test(
		    test_stmt_transition_allows_forward_steps_and_reopening),
		cmocka_unit_test(test_stmt_transition_allows_same_status),
		cmocka_unit_test(
		    test_stmt_transition_refuses_backward_or_skipping_steps),
		cmocka_unit_test(test_stmt_transition_rejects_unknown_status),
		cmocka_unit_test(test_stmt_text_past_markdown_cap_is_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
