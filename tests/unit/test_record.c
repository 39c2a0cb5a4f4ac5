/*
 * us_record and us_sig: a sealed record checks with its key and with no
 * other, and a record changed in one character of its text, one name,
 * the order of two names or a count fails with that part named.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/record.h"
#include "core/sig.h"

static unsigned char	priv[US_SIG_KEY_LEN], pub[US_SIG_KEY_LEN];
static json_t		*keys;

static int
setup(void **state)
{
	struct us_error	err;
	struct us_buf	b;
	char		id[US_SIG_ID_LEN + 1];

	(void)state;
	us_error_clear(&err);
	if (!us_sig_keygen(priv, pub, &err))
		return (-1);
	us_sig_key_id(pub, id);
	us_buf_init(&b);
	us_b64_encode(&b, pub, sizeof(pub));
	us_buf_putc(&b, '\0');
	keys = json_pack("[{s:s, s:s, s:s, s:s, s:n}]", "id", id,
	    "algorithm", "ed25519", "public_key", b.data, "created_at",
	    "2026-12-07T10:00:00Z", "retired_at");
	us_buf_free(&b);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(keys);
	return (0);
}

static json_t *
sample(void)
{
	return (test_json("{\"statement\": {\"slug\": \"free-the-four\", "
	    "\"kind\": \"joint_statement\", \"lang\": \"en\"},"
	    " \"version\": 2, \"published_at\": \"2026-12-09T08:00:00Z\","
	    " \"recorded_at\": \"2026-12-09T08:00:00Z\", \"previous\": null,"
	    " \"texts\": [{\"lang\": \"en\", \"title\": \"Free the four\","
	    " \"body_markdown\": \"We call for their release.\"},"
	    " {\"lang\": \"ru\", \"title\": \"Свободу четверым\","
	    " \"body_markdown\": \"Мы требуем.\"}],"
	    " \"signatories\": [{\"position\": 1, \"organisation\": \"Alpha\","
	    " \"acronym\": null, \"countries\": [\"DE\", \"CH\"]},"
	    " {\"position\": 2, \"organisation\": \"Беta\", \"acronym\": \"B\","
	    " \"countries\": [\"KG\"]},"
	    " {\"position\": 3, \"organisation\": \"Gamma\", \"acronym\": null,"
	    " \"countries\": [\"GE\"]}],"
	    " \"counts\": {\"named\": 3, \"unnamed\": 1, \"total\": 4},"
	    " \"log\": {\"length\": 0, \"head\": null}}"));
}

/* A sealed sample, as the text a reader downloads. */
static char *
sealed(char digest[US_RECORD_DIGEST_LEN + 1])
{
	struct us_error	 err;
	struct us_buf	 doc;
	json_t		*r = sample();

	us_error_clear(&err);
	us_buf_init(&doc);
	assert_true(us_record_seal(r, priv, &doc, digest, &err));
	json_decref(r);
	return (us_buf_release(&doc));
}

/* The sealed sample after edit() changed its record. */
static char *
tampered(void (*edit)(json_t *))
{
	char	 d[US_RECORD_DIGEST_LEN + 1], *doc, *out;
	json_t	*env;

	doc = sealed(d);
	env = test_json(doc);
	free(doc);
	edit(json_object_get(env, "record"));
	out = json_dumps(env, JSON_INDENT(1));
	json_decref(env);
	return (out);
}

static void
expect_failure(void (*edit)(json_t *), const char *why)
{
	struct us_record_info	 info;
	struct us_buf		 b;
	char			*doc = tampered(edit);

	us_buf_init(&b);
	assert_false(us_record_check(doc, strlen(doc), keys, &info, &b));
	us_buf_putc(&b, '\0');
	assert_string_equal(b.data, why);
	us_buf_free(&b);
	free(doc);
}

static void
test_a_sealed_record_checks_and_says_what_it_proves(void **state)
{
	struct us_record_info	 info;
	struct us_buf		 b;
	char			 d[US_RECORD_DIGEST_LEN + 1], *doc;

	(void)state;
	doc = sealed(d);
	us_buf_init(&b);
	assert_true(us_record_check(doc, strlen(doc), keys, &info, &b));
	assert_string_equal(info.digest, d);
	assert_int_equal(info.version, 2);
	assert_int_equal(info.named, 3);
	assert_int_equal(info.unnamed, 1);
	us_record_verdict(&b, &info);
	us_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "valid: version 2 of free-the-four, "
	    "published 2026-12-09T08:00:00Z, 3 named + 1 unnamed, key "));
	us_buf_free(&b);
	free(doc);
}

static void
test_the_same_record_seals_to_the_same_digest(void **state)
{
	char	a[US_RECORD_DIGEST_LEN + 1], b[US_RECORD_DIGEST_LEN + 1];
	char	*x, *y;

	(void)state;
	x = sealed(a);
	y = sealed(b);
	assert_string_equal(a, b);
	free(x);
	free(y);
}

static void
edit_text(json_t *r)
{
	json_object_set_new(json_array_get(json_object_get(r, "texts"), 1),
	    "body_markdown", json_string("Мы требуем!"));
}

static void
edit_name(json_t *r)
{
	json_object_set_new(json_array_get(json_object_get(r, "signatories"),
	    1), "organisation", json_string("Beta"));
}

static void
edit_order(json_t *r)
{
	json_t	*list = json_object_get(r, "signatories");
	json_t	*a = json_incref(json_array_get(list, 0));

	json_array_set(list, 0, json_array_get(list, 2));
	json_array_set_new(list, 2, a);
}

static void
edit_count(json_t *r)
{
	json_object_set_new(json_object_get(r, "counts"), "unnamed",
	    json_integer(2));
}

static void
edit_version(json_t *r)
{
	json_object_set_new(r, "version", json_integer(3));
}

static void
edit_drop(json_t *r)
{
	json_array_remove(json_object_get(r, "signatories"), 2);
}

static void
test_each_change_is_named(void **state)
{
	(void)state;
	expect_failure(edit_text, "the text of the \"ru\" version differs "
	    "from what was signed");
	expect_failure(edit_name, "signatory 2 (\"Beta\") differs from the "
	    "one that was signed");
	expect_failure(edit_order, "signatories 1 and 3 are not in the order "
	    "that was signed (\"Gamma\" was signed at position 3)");
	expect_failure(edit_count, "the counts differ from what was signed "
	    "(this file says 3 named, 2 unnamed, 4 in all)");
	expect_failure(edit_version, "the statement's details (slug, "
	    "version, dates) differ from what was signed");
	expect_failure(edit_drop, "the list has 2 names; the signed list had "
	    "3");
}

static void
test_another_key_does_not_check_it(void **state)
{
	struct us_record_info	 info;
	struct us_error		 err;
	struct us_buf		 b, k64;
	unsigned char		 p2[US_SIG_KEY_LEN], q2[US_SIG_KEY_LEN];
	char			 d[US_RECORD_DIGEST_LEN + 1], *doc;
	json_t			*other;

	(void)state;
	us_error_clear(&err);
	assert_true(us_sig_keygen(p2, q2, &err));
	us_buf_init(&k64);
	us_b64_encode(&k64, q2, sizeof(q2));
	us_buf_putc(&k64, '\0');
	/* The right id with the wrong key, and the wrong id altogether. */
	other = json_pack("[{s:s, s:s}]", "id", json_string_value(
	    json_object_get(json_array_get(keys, 0), "id")), "public_key",
	    k64.data);
	doc = sealed(d);
	us_buf_init(&b);
	assert_false(us_record_check(doc, strlen(doc), other, &info, &b));
	us_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "the public key given for "));
	us_buf_reset(&b);
	json_object_set_new(json_array_get(other, 0), "id", json_string("x"));
	assert_false(us_record_check(doc, strlen(doc), other, &info, &b));
	us_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "which is not among the keys given"));
	us_buf_free(&b);
	us_buf_free(&k64);
	json_decref(other);
	free(doc);
}

static void
test_base64_round_trips_and_refuses_other_spellings(void **state)
{
	struct us_buf	b;
	unsigned char	out[8];
	size_t		n;

	(void)state;
	us_buf_init(&b);
	us_b64_encode(&b, (const unsigned char *)"hello", 5);
	us_buf_putc(&b, '\0');
	assert_string_equal(b.data, "aGVsbG8=");
	assert_true(us_b64_decode("aGVsbG8=", out, sizeof(out), &n));
	assert_int_equal(n, 5);
	assert_memory_equal(out, "hello", 5);
	assert_false(us_b64_decode("aGVsbG8", out, sizeof(out), &n));
	assert_false(us_b64_decode("aGV-bG8=", out, sizeof(out), &n));
	assert_false(us_b64_decode("aGVsbG8=aGVs", out, sizeof(out), &n));
	us_buf_free(&b);
}

static void
test_a_document_names_the_record_digest(void **state)
{
	char	d[US_RECORD_DIGEST_LEN + 1];
	char	doc[300];

	(void)state;
	(void)snprintf(doc, sizeof(doc), "Signed record sha256:%064d (key "
	    "abc)", 7);
	assert_true(us_record_find_digest(doc, strlen(doc), d));
	assert_int_equal(strlen(d), US_RECORD_DIGEST_LEN);
	assert_false(us_record_find_digest("sha256:abc", 10, d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_a_sealed_record_checks_and_says_what_it_proves),
		cmocka_unit_test(test_the_same_record_seals_to_the_same_digest),
		cmocka_unit_test(test_each_change_is_named),
		cmocka_unit_test(test_another_key_does_not_check_it),
		cmocka_unit_test(
		    test_base64_round_trips_and_refuses_other_spellings),
		cmocka_unit_test(test_a_document_names_the_record_digest),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
