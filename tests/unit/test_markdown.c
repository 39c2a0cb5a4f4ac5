/*
 * us_md: Markdown rendered safely, and the lede as plain text.
 */
#include "helpers.h"

#include "core/markdown.h"

static void	expect_html(const char *, const char *);
static void	expect_lede(const char *, const char *);

static void
expect_html(const char *md, const char *want)
{
	char	*html;

	html = us_md_html(md);
	assert_non_null(html);
	assert_string_equal(html, want);
	free(html);
}

static void
expect_lede(const char *md, const char *want)
{
	char	*text;

	text = us_md_first_paragraph(md);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

static void
test_md_drops_raw_script_block(void **state)
{
	(void)state;
	expect_html("<script>alert(1)</script>",
	    "<!-- raw HTML omitted -->\n");
	expect_html("Text\n\n<div onclick=\"x()\">\nhi\n</div>\n",
	    "<p>Text</p>\n<!-- raw HTML omitted -->\n");
}

static void
test_md_drops_inline_html(void **state)
{
	(void)state;
	expect_html("Hi <img src=x onerror=alert(1)> there",
	    "<p>Hi <!-- raw HTML omitted --> there</p>\n");
	expect_html("a <b onmouseover=\"x()\">b</b>",
	    "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>\n");
}

static void
test_md_empties_script_links(void **state)
{
	(void)state;
	expect_html("[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n");
	expect_html("[x](JAVASCRIPT:alert(1))", "<p><a href=\"\">x</a></p>\n");
	expect_html("[x](vbscript:msgbox(1))", "<p><a href=\"\">x</a></p>\n");
	expect_html("<javascript:alert(1)>", "<p><a href=\"\">"
	    "javascript:alert(1)</a></p>\n");
	expect_html("![i](javascript:x)", "<p><img src=\"\" alt=\"i\" /></p>\n");
}

static void
test_md_keeps_ordinary_links(void **state)
{
	(void)state;
	expect_html("[site](https://example.org/a?b=1&c=\"2\")",
	    "<p><a href=\"https://example.org/a?b=1&amp;c=%222%22\">site</a>"
	    "</p>\n");
}

static void
test_md_renders_headings(void **state)
{
	(void)state;
	expect_html("# Title\n\n## Sub\n\nText", "<h1>Title</h1>\n"
	    "<h2>Sub</h2>\n<p>Text</p>\n");
}

static void
test_md_renders_lists(void **state)
{
	(void)state;
	expect_html("- one\n- two\n", "<ul>\n<li>one</li>\n<li>two</li>\n"
	    "</ul>\n");
	expect_html("1. first\n2. second\n", "<ol>\n<li>first</li>\n"
	    "<li>second</li>\n</ol>\n");
}

static void
test_md_renders_emphasis(void **state)
{
	(void)state;
	expect_html("*em*, **strong** and `code <x>`",
	    "<p><em>em</em>, <strong>strong</strong> and "
	    "<code>code &lt;x&gt;</code></p>\n");
}

static void
test_md_keeps_typographic_quotes(void **state)
{
	(void)state;
	expect_html("“Свобода” — «ქართული» ‘x’",
	    "<p>“Свобода” — «ქართული» ‘x’</p>\n");
	expect_html("\"plain\" & 'single'",
	    "<p>&quot;plain&quot; &amp; 'single'</p>\n");
}

static void
test_md_first_paragraph_is_plain_text(void **state)
{
	(void)state;
	expect_lede("# Title\n\nWe, the *undersigned*, ask for `law 12`\n"
	    "and a [fair](https://example.org) hearing.\n\nSecond paragraph.",
	    "We, the undersigned, ask for law 12 and a fair hearing.");
}

static void
test_md_first_paragraph_drops_raw_html(void **state)
{
	(void)state;
	expect_lede("Hello <b>bold</b> <script>x()</script> world",
	    "Hello bold x() world");
}

static void
test_md_first_paragraph_turns_hard_breaks_into_spaces(void **state)
{
	(void)state;
	expect_lede("line one  \nline two\\\nthree", "line one line two three");
}

static void
test_md_first_paragraph_empty_without_paragraph(void **state)
{
	(void)state;
	expect_lede("", "");
	expect_lede("# Only a heading\n", "");
	expect_lede("---\n", "");
}

/* The cap counts characters: a Cyrillic text may take twice the bytes. */
static void
test_md_cap_counts_characters(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	s = malloc(2 * US_MD_MAX + 3);
	assert_non_null(s);
	memset(s, 'a', US_MD_MAX);
	s[US_MD_MAX] = '\0';
	assert_false(us_md_too_long(s));
	s[US_MD_MAX] = 'a';
	s[US_MD_MAX + 1] = '\0';
	assert_true(us_md_too_long(s));
	for (i = 0; i < US_MD_MAX; i++)
		memcpy(s + 2 * i, "\xd0\x96", 2);	/* Ж */
	s[2 * US_MD_MAX] = '\0';
	assert_false(us_md_too_long(s));
	free(s);
	assert_false(us_md_too_long(""));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_md_drops_raw_script_block),
		cmocka_unit_test(test_md_drops_inline_html),
		cmocka_unit_test(test_md_empties_script_links),
		cmocka_unit_test(test_md_keeps_ordinary_links),
		cmocka_unit_test(test_md_renders_headings),
		cmocka_unit_test(test_md_renders_lists),
		cmocka_unit_test(test_md_renders_emphasis),
		cmocka_unit_test(test_md_keeps_typographic_quotes),
		cmocka_unit_test(test_md_first_paragraph_is_plain_text),
		cmocka_unit_test(test_md_first_paragraph_drops_raw_html),
		cmocka_unit_test(
		    test_md_first_paragraph_turns_hard_breaks_into_spaces),
		cmocka_unit_test(test_md_first_paragraph_empty_without_paragraph),
		cmocka_unit_test(test_md_cap_counts_characters),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
