/*
 * us_text: UTF-8 validation, control characters, line ends, trimming and
 * counting in characters.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/text.h"

static void	expect_clean(const char *, size_t, int, const char *, size_t);
static void	expect_verdict(const char *, size_t, int, enum us_text_verdict);

/* Cleaning in must succeed and give exactly want, of chars characters. */
static void
expect_clean(const char *in, size_t len, int flags, const char *want,
    size_t chars)
{
	enum us_text_verdict	 v;
	char			*out;
	size_t			 n = (size_t)-1;

	v = us_text_clean(in, len, flags, &out, &n);
	assert_int_equal(v, US_TEXT_OK);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, chars);
	free(out);
}

/* Cleaning in must fail with v and leave no string behind. */
static void
expect_verdict(const char *in, size_t len, int flags, enum us_text_verdict v)
{
	char	*out = (char *)1;
	size_t	 n = 0;

	assert_int_equal(us_text_clean(in, len, flags, &out, &n), v);
	assert_null(out);
}

#define CLEAN(s, flags, want, chars)					\
	expect_clean((s), sizeof(s) - 1, (flags), (want), (chars))
#define VERDICT(s, flags, v)						\
	expect_verdict((s), sizeof(s) - 1, (flags), (v))

static void
test_text_keeps_multilingual_utf8(void **state)
{
	static const char	s[] = "Кыргызстан საქართველო Հայաստան "
				    "“quoted” «guillemets»";

	(void)state;
	CLEAN(s, 0, s, 52);
}

static void
test_text_counts_characters_not_bytes(void **state)
{
	(void)state;
	CLEAN("Ωmega", 0, "Ωmega", 5);
	/* U+1F600, four bytes, one character. */
	CLEAN("a\xf0\x9f\x98\x80z", 0, "a\xf0\x9f\x98\x80z", 3);
	CLEAN("", 0, "", 0);
}

static void
test_text_rejects_overlong_encodings(void **state)
{
	(void)state;
	VERDICT("\xc0\xaf", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xc1\xbf", 0, US_TEXT_BAD_UTF8);
	VERDICT("a\xe0\x80\xaf", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xf0\x80\x80\xaf", 0, US_TEXT_BAD_UTF8);
}

static void
test_text_rejects_surrogates(void **state)
{
	(void)state;
	VERDICT("\xed\xa0\x80", 0, US_TEXT_BAD_UTF8);
	VERDICT("x\xed\xbf\xbfy", 0, US_TEXT_BAD_UTF8);
	/* The last scalar value before the surrogates is fine. */
	CLEAN("\xed\x9f\xbf", 0, "\xed\x9f\xbf", 1);
}

static void
test_text_rejects_truncated_sequences(void **state)
{
	(void)state;
	VERDICT("abc\xd0", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xe1\x83", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xf0\x9f\x98", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xd0" "A", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xe2\x80" "abc", 0, US_TEXT_BAD_UTF8);
	/* The length given is what counts, not the bytes past it. */
	expect_verdict("\xd0\x9a", 1, 0, US_TEXT_BAD_UTF8);
}

static void
test_text_rejects_stray_continuation_bytes(void **state)
{
	(void)state;
	VERDICT("\x80", 0, US_TEXT_BAD_UTF8);
	VERDICT("ab\xbf", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xff", 0, US_TEXT_BAD_UTF8);
}

static void
test_text_rejects_code_points_above_10ffff(void **state)
{
	(void)state;
	VERDICT("\xf4\x90\x80\x80", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xf5\x80\x80\x80", 0, US_TEXT_BAD_UTF8);
	VERDICT("\xf7\xbf\xbf\xbf", 0, US_TEXT_BAD_UTF8);
	CLEAN("\xf4\x8f\xbf\xbd", 0, "\xf4\x8f\xbf\xbd", 1);
}

static void
test_text_rejects_nul(void **state)
{
	(void)state;
	VERDICT("a\0b", 0, US_TEXT_CONTROL);
	VERDICT("a\0b", US_TEXT_MULTILINE, US_TEXT_CONTROL);
}

static void
test_text_rejects_c0_del_and_c1_controls(void **state)
{
	(void)state;
	VERDICT("a\x01", 0, US_TEXT_CONTROL);
	VERDICT("a\x1b[31m", US_TEXT_MULTILINE, US_TEXT_CONTROL);
	VERDICT("a\x7f", 0, US_TEXT_CONTROL);
	VERDICT("a\x7f", US_TEXT_MULTILINE, US_TEXT_CONTROL);
	/* U+0085 NEXT LINE, U+009F. */
	VERDICT("a\xc2\x85" "b", 0, US_TEXT_CONTROL);
	VERDICT("a\xc2\x85" "b", US_TEXT_MULTILINE, US_TEXT_CONTROL);
	VERDICT("\xc2\x9f", 0, US_TEXT_CONTROL);
	/* U+00A0 just past C1 is a space, not a control. */
	CLEAN("a\xc2\xa0" "b", 0, "a\xc2\xa0" "b", 3);
}

static void
test_text_refuses_bidi_controls_in_one_line_text(void **state)
{
	(void)state;
	/* U+202A..U+202E embeddings and overrides, U+2066..U+2069 isolates. */
	VERDICT("a\xe2\x80\xaa" "b", 0, US_TEXT_BIDI);
	VERDICT("a\xe2\x80\xab" "b", 0, US_TEXT_BIDI);
	VERDICT("a\xe2\x80\xac" "b", 0, US_TEXT_BIDI);
	VERDICT("a\xe2\x80\xad" "b", 0, US_TEXT_BIDI);
	VERDICT("evil\xe2\x80\xae" "fdp.exe", 0, US_TEXT_BIDI);
	VERDICT("\xe2\x81\xa6" "x", 0, US_TEXT_BIDI);
	VERDICT("\xe2\x81\xa7" "x", 0, US_TEXT_BIDI);
	VERDICT("\xe2\x81\xa8" "x", 0, US_TEXT_BIDI);
	VERDICT("x\xe2\x81\xa9", 0, US_TEXT_BIDI);
	/* Neighbours that are not controls stay. */
	CLEAN("a\xe2\x80\xaf" "b", 0, "a\xe2\x80\xaf" "b", 3);
	CLEAN("a\xe2\x81\xa5" "b", 0, "a\xe2\x81\xa5" "b", 3);
}

static void
test_text_keeps_bidi_marks_and_multiline_bidi(void **state)
{
	(void)state;
	/* LRM, RLM and ALM only set the direction of neutral characters. */
	CLEAN("\xe2\x80\x8f" "\xd9\x85" "\xe2\x80\x8f", 0,
	    "\xe2\x80\x8f" "\xd9\x85" "\xe2\x80\x8f", 3);
	CLEAN("a\xe2\x80\x8e" "b", 0, "a\xe2\x80\x8e" "b", 3);
	CLEAN("a\xd8\x9c" "b", 0, "a\xd8\x9c" "b", 3);
	/* Long text (comments, Markdown) keeps them: it is never a name. */
	CLEAN("a\xe2\x80\xae" "b", US_TEXT_MULTILINE,
	    "a\xe2\x80\xae" "b", 3);
}

static void
test_text_rejects_line_and_paragraph_separators(void **state)
{
	(void)state;
	VERDICT("a\xe2\x80\xa8" "b", 0, US_TEXT_CONTROL);
	VERDICT("a\xe2\x80\xa8" "b", US_TEXT_MULTILINE, US_TEXT_CONTROL);
	VERDICT("a\xe2\x80\xa9" "b", US_TEXT_MULTILINE, US_TEXT_CONTROL);
	VERDICT("\xef\xbf\xbe", 0, US_TEXT_CONTROL);
	VERDICT("\xef\xbf\xbf", 0, US_TEXT_CONTROL);
}

static void
test_text_single_line_rejects_newline_tab_and_cr(void **state)
{
	(void)state;
	VERDICT("a\nb", 0, US_TEXT_CONTROL);
	VERDICT("a\tb", 0, US_TEXT_CONTROL);
	VERDICT("a\rb", 0, US_TEXT_CONTROL);
	VERDICT("a\r\nb", 0, US_TEXT_CONTROL);
}

static void
test_text_multiline_keeps_newline_and_tab(void **state)
{
	(void)state;
	CLEAN("first\n\tsecond\n\nthird", US_TEXT_MULTILINE,
	    "first\n\tsecond\n\nthird", 20);
}

static void
test_text_multiline_converts_crlf_and_lone_cr(void **state)
{
	(void)state;
	CLEAN("a\r\nb\rc\nd", US_TEXT_MULTILINE, "a\nb\nc\nd", 7);
	CLEAN("a\r\r\nb", US_TEXT_MULTILINE, "a\n\nb", 4);
	CLEAN("a\n\r\nb", US_TEXT_MULTILINE, "a\n\nb", 4);
}

static void
test_text_trims_ascii_spaces(void **state)
{
	(void)state;
	CLEAN("   hello world  ", 0, "hello world", 11);
	CLEAN("     ", 0, "", 0);
}

static void
test_text_trims_nbsp_and_ideographic_space(void **state)
{
	(void)state;
	CLEAN("\xc2\xa0\xc2\xa0hi\xc2\xa0", 0, "hi", 2);
	CLEAN("\xe3\x80\x80" "東京\xe3\x80\x80", 0, "東京", 2);
	/* EN SPACE, NARROW NBSP, BOM. */
	CLEAN("\xe2\x80\x82x\xe2\x80\xaf\xef\xbb\xbf", 0, "x", 1);
}

static void
test_text_trim_keeps_inner_space_and_trailing_multibyte(void **state)
{
	(void)state;
	CLEAN(" a \xc2\xa0 b ", 0, "a \xc2\xa0 b", 5);
	CLEAN("привет\xc2\xa0", 0, "привет", 6);
	CLEAN("\xe3\x80\x80ქ", 0, "ქ", 1);
}

static void
test_text_multiline_trims_blank_lines_at_both_ends(void **state)
{
	(void)state;
	CLEAN("\r\n \t\n  text\n  more \r\n\r\n", US_TEXT_MULTILINE,
	    "text\n  more", 11);
}

static void
test_utf8_prefix_counts_characters(void **state)
{
	(void)state;
	assert_int_equal(us_utf8_prefix("Кыргыз", 3), 6);
	assert_int_equal(us_utf8_prefix("abc", 5), 3);
	assert_int_equal(us_utf8_prefix("abc", 3), 3);
	assert_int_equal(us_utf8_prefix("abc", 0), 0);
	assert_int_equal(us_utf8_prefix("", 4), 0);
	assert_int_equal(us_utf8_prefix("a\xf0\x9f\x98\x80" "b", 2), 5);
	assert_int_equal(us_utf8_prefix("a\xf0\x9f\x98\x80" "b", 1), 1);
}

static void
test_utf8_prefix_never_splits_a_character(void **state)
{
	static const char	s[] = "“ქართ” «Հայ»";
	size_t			i, n, chars;
	char			*out;

	(void)state;
	for (i = 0; i <= us_utf8_chars(s); i++) {
		n = us_utf8_prefix(s, i);
		assert_int_equal(us_text_clean(s, n, 0, &out, &chars),
		    US_TEXT_OK);
		free(out);
		assert_true(s[n] == '\0' || ((unsigned char)s[n] & 0xc0) !=
		    0x80);
	}
	assert_int_equal(us_utf8_prefix(s, 1000), sizeof(s) - 1);
}

static void
test_utf8_decode_reports_length_and_code_point(void **state)
{
	unsigned int	cp = 0;

	(void)state;
	assert_int_equal(us_utf8_decode((const unsigned char *)"A", 1, &cp),
	    1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(us_utf8_decode((const unsigned char *)"\xd0\x9a", 2,
	    &cp), 2);
	assert_int_equal(cp, 0x41a);
	assert_int_equal(us_utf8_decode((const unsigned char *)"\xe1\x83\x90",
	    3, &cp), 3);
	assert_int_equal(cp, 0x10d0);
	assert_int_equal(us_utf8_decode((const unsigned char *)
	    "\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(us_utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

/* The one table of case and white space, as import and countries use it. */
static void
test_text_case_and_space_tables(void **state)
{
	static const unsigned int	upper[] = {
		'A', 'Z', 0xc0, 0xde, 0x100, 0x130, 0x178, 0x391, 0x410, 0x42f,
		0x401, 0x4e8, 0x18f,
	};
	static const unsigned int	lower[] = {
		'a', 'z', 'i', 0xe0, 0xfe, 0xdf, 0xff, 0x101, 0x3b1, 0x3c2,
		0x430, 0x44f, 0x451, 0x4e9, 0x259,
	};
	struct us_buf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(upper) / sizeof(upper[0]); i++) {
		if (!us_text_is_upper(upper[i]) || us_text_is_lower(upper[i]))
			fail_msg("U+%04X is a capital", upper[i]);
	}
	for (i = 0; i < sizeof(lower) / sizeof(lower[0]); i++) {
		if (!us_text_is_lower(lower[i]) || us_text_is_upper(lower[i]))
			fail_msg("U+%04X is a small letter", lower[i]);
	}
	assert_false(us_text_is_upper('1') || us_text_is_lower('1'));
	assert_false(us_text_is_upper(0xd7) || us_text_is_lower(0xf7));
	assert_int_equal(us_text_lower_cp(0x401), 0x451);
	assert_int_equal(us_text_lower_cp(0x130), 'i');
	assert_int_equal(us_text_space_len(" x"), 1);
	assert_int_equal(us_text_space_len("\xc2\xa0x"), 2);
	assert_int_equal(us_text_space_len("\xe2\x80\xaf"), 3);
	assert_int_equal(us_text_space_len("\xe3\x80\x80"), 3);
	assert_int_equal(us_text_space_len("\n"), 0);
	assert_int_equal(us_text_space_len("x"), 0);
	assert_int_equal(us_text_space_len("\xd0\x96"), 0);
	assert_int_equal(us_text_space_before("a\xc2\xa0", "a\xc2\xa0" + 3),
	    2);
	assert_int_equal(us_text_space_before("\xd0\x96", "\xd0\x96" + 2),
	    0);
	us_buf_init(&b);
	us_utf8_put(&b, 0x416);
	us_utf8_put(&b, 0x1f600);
	assert_string_equal(b.data, "\xd0\x96\xf0\x9f\x98\x80");
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_text_keeps_multilingual_utf8),
		cmocka_unit_test(test_text_counts_characters_not_bytes),
		cmocka_unit_test(test_text_rejects_overlong_encodings),
		cmocka_unit_test(test_text_rejects_surrogates),
		cmocka_unit_test(test_text_rejects_truncated_sequences),
		cmocka_unit_test(test_text_rejects_stray_continuation_bytes),
		cmocka_unit_test(test_text_rejects_code_points_above_10ffff),
		cmocka_unit_test(test_text_rejects_nul),
		cmocka_unit_test(test_text_rejects_c0_del_and_c1_controls),
		cmocka_unit_test(
		    test_text_refuses_bidi_controls_in_one_line_text),
		cmocka_unit_test(test_text_keeps_bidi_marks_and_multiline_bidi),
		cmocka_unit_test(
		    test_text_rejects_line_and_paragraph_separators),
		cmocka_unit_test(
		    test_text_single_line_rejects_newline_tab_and_cr),
		cmocka_unit_test(test_text_multiline_keeps_newline_and_tab),
		cmocka_unit_test(test_text_multiline_converts_crlf_and_lone_cr),
		cmocka_unit_test(test_text_trims_ascii_spaces),
		cmocka_unit_test(test_text_trims_nbsp_and_ideographic_space),
		cmocka_unit_test(
		    test_text_trim_keeps_inner_space_and_trailing_multibyte),
		cmocka_unit_test(
		    test_text_multiline_trims_blank_lines_at_both_ends),
		cmocka_unit_test(test_utf8_prefix_counts_characters),
		cmocka_unit_test(test_utf8_prefix_never_splits_a_character),
		cmocka_unit_test(test_utf8_decode_reports_length_and_code_point),
		cmocka_unit_test(test_text_case_and_space_tables),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
