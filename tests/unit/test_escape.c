/*
 * us_esc: HTML and URL escaping.
 */
#include "helpers.h"

#include "core/escape.h"

static void	expect_html(const char *, const char *);
static void	expect_url(const char *, const char *);
static void	expect_path(const char *, const char *);

static void
expect_html(const char *in, const char *want)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_esc_html(&b, in);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	us_buf_free(&b);
}

static void
expect_url(const char *in, const char *want)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_esc_url(&b, in);
	assert_string_equal(b.data != NULL ? b.data : "", want);
	assert_int_equal(b.len, strlen(want));
	us_buf_free(&b);
}

static void
expect_path(const char *in, const char *want)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_esc_path(&b, in);
	assert_string_equal(b.data != NULL ? b.data : "", want);
	us_buf_free(&b);
}

static void
test_esc_path_keeps_a_plain_path(void **state)
{
	(void)state;
	expect_path("/s/free-the-four", "/s/free-the-four");
	expect_path("/", "/");
	expect_path("/s/a.b~c_d/download/pdf", "/s/a.b~c_d/download/pdf");
}

static void
test_esc_path_never_leaves_the_site(void **state)
{
	(void)state;
	/* "//host" and "/\host" are other sites to a browser. */
	expect_path("//evil.example/x", "/evil.example/x");
	expect_path("///evil.example", "/evil.example");
	expect_path("/\\evil.example/x", "/%5Cevil.example/x");
	expect_path("\\evil.example", "/%5Cevil.example");
	expect_path("http://evil.example/", "/http%3A/evil.example/");
	expect_path("", "/");
	expect_path("javascript:alert(1)", "/javascript%3Aalert%281%29");
}

static void
test_esc_path_encodes_what_would_end_an_attribute(void **state)
{
	(void)state;
	expect_path("/a\"b<c>d'e f?g#h", "/a%22b%3Cc%3Ed%27e%20f%3Fg%23h");
	expect_path("/Кы", "/%D0%9A%D1%8B");
	expect_path("/a//b", "/a/b");
}

static void
test_esc_html_escapes_the_five_specials(void **state)
{
	(void)state;
	expect_html("&", "&amp;");
	expect_html("<", "&lt;");
	expect_html(">", "&gt;");
	expect_html("\"", "&quot;");
	expect_html("'", "&#39;");
	expect_html("&<>\"'", "&amp;&lt;&gt;&quot;&#39;");
}

static void
test_esc_html_neutralises_script_payload(void **state)
{
	(void)state;
	expect_html("<script>alert(\"x\")</script>",
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	expect_html("\" onmouseover='steal()' x=\"",
	    "&quot; onmouseover=&#39;steal()&#39; x=&quot;");
}

static void
test_esc_html_does_not_double_decode_entities(void **state)
{
	(void)state;
	expect_html("&lt;b&gt; &amp;amp;", "&amp;lt;b&amp;gt; &amp;amp;amp;");
}

static void
test_esc_html_leaves_plain_and_utf8_text_alone(void **state)
{
	(void)state;
	expect_html("", "");
	expect_html("Free civil society", "Free civil society");
	expect_html("“Свобода” «ქ» Հ", "“Свобода” «ქ» Հ");
	expect_html("a<b>c", "a&lt;b&gt;c");
}

static void
test_esc_html_appends_to_buffer(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_buf_puts(&b, "<p>");
	us_esc_html(&b, "1 < 2");
	us_buf_puts(&b, "</p>");
	assert_string_equal(b.data, "<p>1 &lt; 2</p>");
	us_buf_free(&b);
}

static void
test_esc_url_keeps_unreserved_characters(void **state)
{
	(void)state;
	expect_url("AZaz09-._~", "AZaz09-._~");
	expect_url("", "");
}

static void
test_esc_url_encodes_everything_else(void **state)
{
	(void)state;
	expect_url("a b&c=d/e?f#g+h%", "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
	expect_url("é", "%C3%A9");
	expect_url("Кы", "%D0%9A%D1%8B");
	expect_url("\"<>'\x01\x7f", "%22%3C%3E%27%01%7F");
	expect_url("ann@example.org", "ann%40example.org");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_esc_html_escapes_the_five_specials),
		cmocka_unit_test(test_esc_html_neutralises_script_payload),
		cmocka_unit_test(test_esc_html_does_not_double_decode_entities),
		cmocka_unit_test(test_esc_html_leaves_plain_and_utf8_text_alone),
		cmocka_unit_test(test_esc_html_appends_to_buffer),
		cmocka_unit_test(test_esc_url_keeps_unreserved_characters),
		cmocka_unit_test(test_esc_url_encodes_everything_else),
		cmocka_unit_test(test_esc_path_keeps_a_plain_path),
		cmocka_unit_test(test_esc_path_never_leaves_the_site),
		cmocka_unit_test(
		    test_esc_path_encodes_what_would_end_an_attribute),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
