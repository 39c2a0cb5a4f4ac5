/*
 * us_token: bearer tokens, their hashes, and the encodings they use.
 */
#include <ctype.h>

#include "helpers.h"

#include "core/token.h"

#define B64URL	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		"0123456789-_"

static void	expect_b64url(const char *, size_t, const char *);

static void
expect_b64url(const char *in, size_t len, const char *want)
{
	char	out[64];

	memset(out, 'X', sizeof(out));
	us_b64url((const unsigned char *)in, len, out);
	assert_string_equal(out, want);
}

static void
test_token_new_gives_43_base64url_chars(void **state)
{
	char		tok[US_TOKEN_LEN + 1];
	unsigned char	hash[US_HASH_LEN];

	(void)state;
	memset(tok, 'X', sizeof(tok));
	assert_int_equal(us_token_new(tok, hash), US_OK);
	assert_int_equal(strlen(tok), 43);
	assert_int_equal(strspn(tok, B64URL), 43);
}

static void
test_token_new_hash_matches_token_hash(void **state)
{
	char		tok[US_TOKEN_LEN + 1];
	unsigned char	hash[US_HASH_LEN], again[US_HASH_LEN];
	unsigned char	direct[US_HASH_LEN];

	(void)state;
	assert_int_equal(us_token_new(tok, hash), US_OK);
	assert_int_equal(us_token_hash(tok, again), US_OK);
	assert_memory_equal(hash, again, US_HASH_LEN);
	us_sha256(tok, strlen(tok), direct);
	assert_memory_equal(hash, direct, US_HASH_LEN);
	assert_true(us_token_equal(hash, again));
}

static void
test_token_new_gives_different_tokens(void **state)
{
	char		a[US_TOKEN_LEN + 1], b[US_TOKEN_LEN + 1];
	unsigned char	ha[US_HASH_LEN], hb[US_HASH_LEN];

	(void)state;
	assert_int_equal(us_token_new(a, ha), US_OK);
	assert_int_equal(us_token_new(b, hb), US_OK);
	assert_string_not_equal(a, b);
	assert_false(us_token_equal(ha, hb));
}

/* The stored form: lowercase hex of the SHA-256 of the token's text. */
static void
test_token_hash_hex_is_the_stored_form(void **state)
{
	char		tok[US_TOKEN_LEN + 1], hex[US_HASH_HEX + 1];
	char		want[US_HASH_HEX + 1];
	unsigned char	hash[US_HASH_LEN];

	(void)state;
	memset(tok, 'a', US_TOKEN_LEN);
	tok[US_TOKEN_LEN] = '\0';
	us_sha256(tok, US_TOKEN_LEN, hash);
	us_hex(hash, sizeof(hash), want);
	assert_int_equal(us_token_hash_hex(tok, hex), US_OK);
	assert_int_equal(strlen(hex), US_HASH_HEX);
	assert_string_equal(hex, want);
	assert_string_equal(hex, "66d34fba71f8f450f7e45598853e53bf"
	    "c23bbd129027cbb131a2f4ffd7878cd0");
	tok[3] = '*';
	assert_int_equal(us_token_hash_hex(tok, hex), US_FAIL);
	assert_int_equal(us_token_hash_hex("short", hex), US_FAIL);
}

static void
test_token_hash_rejects_wrong_length(void **state)
{
	char		tok[US_TOKEN_LEN + 2];
	unsigned char	hash[US_HASH_LEN];

	(void)state;
	memset(tok, 'a', sizeof(tok));
	tok[US_TOKEN_LEN + 1] = '\0';
	assert_int_equal(us_token_hash(tok, hash), US_FAIL);
	tok[US_TOKEN_LEN - 1] = '\0';
	assert_int_equal(us_token_hash(tok, hash), US_FAIL);
	assert_int_equal(us_token_hash("", hash), US_FAIL);
	tok[US_TOKEN_LEN - 1] = 'a';
	tok[US_TOKEN_LEN] = '\0';
	assert_int_equal(us_token_hash(tok, hash), US_OK);
}

static void
test_token_hash_rejects_non_base64url_chars(void **state)
{
	static const char	 bad[] = "+/=. %\n\"<";
	char			 tok[US_TOKEN_LEN + 1];
	unsigned char		 hash[US_HASH_LEN];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) - 1; i++) {
		memset(tok, 'Q', US_TOKEN_LEN);
		tok[US_TOKEN_LEN] = '\0';
		tok[20] = bad[i];
		if (us_token_hash(tok, hash) != US_FAIL)
			fail_msg("token with '%c' accepted", bad[i]);
	}
	/* Two bytes of UTF-8 standing in for one character. */
	memset(tok, 'Q', US_TOKEN_LEN);
	tok[US_TOKEN_LEN] = '\0';
	tok[0] = '\xc3';
	tok[1] = '\xa9';
	assert_int_equal(us_token_hash(tok, hash), US_FAIL);
	memset(tok, '-', US_TOKEN_LEN);
	tok[7] = '_';
	assert_int_equal(us_token_hash(tok, hash), US_OK);
}

static void
test_token_hash_is_sha256_of_token_text(void **state)
{
	static const char	 tok[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";
	unsigned char		 hash[US_HASH_LEN];
	char			 hex[2 * US_HASH_LEN + 1];

	(void)state;
	assert_int_equal(strlen(tok), US_TOKEN_LEN);
	assert_int_equal(us_token_hash(tok, hash), US_OK);
	us_hex(hash, sizeof(hash), hex);
	/* printf %s abcd...ABCDE | sha256sum */
	assert_string_equal(hex,
	    "30329e6672d47ed68335b2af12c129956345c61188152e8218c485bd7d6cc356");
}

static void
test_token_equal_compares_whole_hash(void **state)
{
	unsigned char	a[US_HASH_LEN], b[US_HASH_LEN];

	(void)state;
	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_true(us_token_equal(a, b));
	b[US_HASH_LEN - 1] ^= 1;
	assert_false(us_token_equal(a, b));
	memcpy(b, a, sizeof(b));
	b[0] ^= 0x80;
	assert_false(us_token_equal(a, b));
}

static void
test_b64url_matches_rfc4648_vectors(void **state)
{
	(void)state;
	expect_b64url("", 0, "");
	expect_b64url("f", 1, "Zg");
	expect_b64url("fo", 2, "Zm8");
	expect_b64url("foo", 3, "Zm9v");
	expect_b64url("foob", 4, "Zm9vYg");
	expect_b64url("fooba", 5, "Zm9vYmE");
	expect_b64url("foobar", 6, "Zm9vYmFy");
}

static void
test_b64url_uses_url_alphabet(void **state)
{
	(void)state;
	expect_b64url("\xfb\xff", 2, "-_8");
	expect_b64url("\xff\xff\xff", 3, "____");
	expect_b64url("\xfb\xef\xbe", 3, "----");
	expect_b64url("\0\0\0", 3, "AAAA");
}

static void
test_hex_round_trips_every_byte(void **state)
{
	unsigned char	in[256], back[256];
	char		hex[513];
	int		i;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	us_hex(in, sizeof(in), hex);
	assert_int_equal(strlen(hex), 512);
	assert_memory_equal(hex, "000102", 6);
	assert_string_equal(hex + 506, "fdfeff");
	assert_int_equal(us_unhex(hex, back, sizeof(back)), US_OK);
	assert_memory_equal(in, back, sizeof(in));
}

static void
test_unhex_accepts_upper_case(void **state)
{
	unsigned char	out[4];

	(void)state;
	assert_int_equal(us_unhex("DEADbeef", out, sizeof(out)), US_OK);
	assert_memory_equal(out, "\xde\xad\xbe\xef", 4);
}

static void
test_unhex_rejects_wrong_length_and_non_hex(void **state)
{
	unsigned char	out[4];

	(void)state;
	assert_int_equal(us_unhex("deadbee", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("deadbeef0", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("deadbeef00", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("deadbeeg", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("dead beef", out, 4), US_FAIL);
	assert_int_equal(us_unhex(" deadbee", out, sizeof(out)), US_FAIL);
	assert_int_equal(us_unhex("0xdeadbe", out, sizeof(out)), US_FAIL);
}

static void
test_sha256_matches_fips_vectors(void **state)
{
	unsigned char	h[US_HASH_LEN];
	char		hex[2 * US_HASH_LEN + 1];

	(void)state;
	us_sha256("abc", 3, h);
	us_hex(h, sizeof(h), hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	us_sha256("", 0, h);
	us_hex(h, sizeof(h), hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_random_fills_buffer(void **state)
{
	unsigned char	a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(us_random(a, sizeof(a)), US_OK);
	assert_int_equal(us_random(b, sizeof(b)), US_OK);
	assert_memory_not_equal(a, b, sizeof(a));
}

#define TOKEN_A	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define TOKEN_B	"BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static const struct us_token_msgs msgs = {
	"This link is not valid.",
	"This link was already used.",
	"This link has expired.",
};

static void
test_token_state_needs_the_stored_digest_to_match(void **state)
{
	char	hex[US_HASH_HEX + 1], other[US_HASH_HEX + 1];

	(void)state;
	assert_true(us_token_hash_hex(TOKEN_A, hex));
	assert_true(us_token_hash_hex(TOKEN_B, other));
	assert_int_equal(us_token_state(hex, hex, 0, 0), US_TOKEN_VALID);
	/* No row, another row, a stored value that is no digest. */
	assert_int_equal(us_token_state(hex, NULL, 0, 0), US_TOKEN_UNKNOWN);
	assert_int_equal(us_token_state(hex, other, 0, 0), US_TOKEN_UNKNOWN);
	assert_int_equal(us_token_state(hex, "abc", 0, 0), US_TOKEN_UNKNOWN);
	assert_int_equal(us_token_state("zz", hex, 0, 0), US_TOKEN_UNKNOWN);
	/* A mismatch says nothing about the row's state. */
	assert_int_equal(us_token_state(hex, other, 1, 1), US_TOKEN_UNKNOWN);
}

static void
test_token_state_used_before_expired(void **state)
{
	char	hex[US_HASH_HEX + 1], upper[US_HASH_HEX + 1];
	size_t	i;

	(void)state;
	assert_true(us_token_hash_hex(TOKEN_A, hex));
	assert_int_equal(us_token_state(hex, hex, 1, 0), US_TOKEN_USED);
	assert_int_equal(us_token_state(hex, hex, 1, 1), US_TOKEN_USED);
	assert_int_equal(us_token_state(hex, hex, 0, 1), US_TOKEN_EXPIRED);
	/* The digest is compared as bytes, not as text. */
	for (i = 0; i <= US_HASH_HEX; i++)
		upper[i] = (char)toupper((unsigned char)hex[i]);
	assert_int_equal(us_token_state(hex, upper, 0, 0), US_TOKEN_VALID);
	assert_string_equal(us_token_state_name(US_TOKEN_VALID), "valid");
	assert_string_equal(us_token_state_name(US_TOKEN_USED), "used");
	assert_string_equal(us_token_state_name(US_TOKEN_EXPIRED), "expired");
	assert_string_equal(us_token_state_name(US_TOKEN_UNKNOWN), "unknown");
}

static void
test_token_refuse_maps_each_state_to_its_answer(void **state)
{
	struct us_error	e;

	(void)state;
	us_error_clear(&e);
	assert_int_equal(us_token_refuse(US_TOKEN_VALID, &msgs, &e), US_OK);
	assert_int_equal(e.kind, US_E_NONE);
	assert_int_equal(us_token_refuse(US_TOKEN_UNKNOWN, &msgs, &e),
	    US_FAIL);
	assert_int_equal(e.kind, US_E_NOTFOUND);
	assert_string_equal(e.code, "token_unknown");
	assert_string_equal(e.field, "token");
	assert_string_equal(e.message, "This link is not valid.");
	assert_int_equal(us_token_refuse(US_TOKEN_USED, &msgs, &e), US_FAIL);
	assert_int_equal(e.kind, US_E_CONFLICT);
	assert_string_equal(e.code, "token_used");
	assert_string_equal(e.message, "This link was already used.");
	assert_int_equal(us_token_refuse(US_TOKEN_EXPIRED, &msgs, &e),
	    US_FAIL);
	assert_int_equal(e.kind, US_E_CONFLICT);
	assert_string_equal(e.code, "token_expired");
	assert_string_equal(e.message, "This link has expired.");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_token_new_gives_43_base64url_chars),
		cmocka_unit_test(test_token_hash_hex_is_the_stored_form),
		cmocka_unit_test(test_token_new_hash_matches_token_hash),
		cmocka_unit_test(test_token_new_gives_different_tokens),
		cmocka_unit_test(test_token_hash_rejects_wrong_length),
		cmocka_unit_test(test_token_hash_rejects_non_base64url_chars),
		cmocka_unit_test(test_token_hash_is_sha256_of_token_text),
		cmocka_unit_test(test_token_equal_compares_whole_hash),
		cmocka_unit_test(test_b64url_matches_rfc4648_vectors),
		cmocka_unit_test(test_b64url_uses_url_alphabet),
		cmocka_unit_test(test_hex_round_trips_every_byte),
		cmocka_unit_test(test_unhex_accepts_upper_case),
		cmocka_unit_test(test_unhex_rejects_wrong_length_and_non_hex),
		cmocka_unit_test(test_sha256_matches_fips_vectors),
		cmocka_unit_test(test_random_fills_buffer),
		cmocka_unit_test(
		    test_token_state_needs_the_stored_digest_to_match),
		cmocka_unit_test(test_token_state_used_before_expired),
		cmocka_unit_test(
		    test_token_refuse_maps_each_state_to_its_answer),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
