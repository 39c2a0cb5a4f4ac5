/*
 * us_feed: XML escaping, summaries cut at a word, the Atom document.
 */
#include "helpers.h"

#include "core/feed.h"

static void
test_feed_esc_xml_escapes_specials_and_drops_controls(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_esc_xml(&b, "a<b>&\"c'\x01\x1f\td\n]]>");
	assert_string_equal(b.data,
	    "a&lt;b&gt;&amp;&quot;c&#39;\td\n]]&gt;");
	us_buf_free(&b);
}

static void
test_feed_summary_keeps_a_short_paragraph_whole(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_feed_summary(&b, "Short *lede* here.\n\nSecond paragraph.", 300);
	assert_string_equal(b.data, "Short lede here.");
	us_buf_free(&b);
}

static void
test_feed_summary_cuts_at_a_word_with_an_ellipsis(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	us_feed_summary(&b, "Мы, нижеподписавшиеся организации, призываем "
	    "власти", 23);
	assert_string_equal(b.data, "Мы, нижеподписавшиеся\xe2\x80\xa6");
	us_buf_reset(&b);
	us_feed_summary(&b, "one two three four", 12);
	assert_string_equal(b.data, "one two\xe2\x80\xa6");
	us_buf_reset(&b);
	us_feed_summary(&b, "Averyveryverylongword only", 10);
	assert_string_equal(b.data, "Averyvery\xe2\x80\xa6");
	us_buf_free(&b);
}

static void
test_feed_atom_escapes_hostile_titles(void **state)
{
	struct us_buf	 b;
	json_t		*entries;

	(void)state;
	entries = test_json("[{\"slug\": \"a-b\", \"title\": "
	    "\"</title><script>alert(1)</script> & \\\"co\\\"\", \"lang\": "
	    "\"ru\", \"body_markdown\": \"Text.\", \"published_at\": "
	    "\"2026-12-01T10:00:00Z\", \"updated_at\": "
	    "\"2026-12-02T10:00:00Z\"}]");
	us_buf_init(&b);
	us_feed_atom(&b, "https://x.example", "Statements & <more>", entries);
	assert_non_null(strstr(b.data, "<title>Statements &amp; &lt;more&gt;"
	    "</title>"));
	assert_non_null(strstr(b.data, "<title>&lt;/title&gt;&lt;script&gt;"
	    "alert(1)&lt;/script&gt; &amp; &quot;co&quot;</title>"));
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "<id>https://x.example/s/a-b</id>"));
	assert_non_null(strstr(b.data, "<entry xml:lang=\"ru\">"));
	assert_non_null(strstr(b.data,
	    "<updated>2026-12-02T10:00:00Z</updated>\n<author>"));
	assert_non_null(strstr(b.data,
	    "<published>2026-12-01T10:00:00Z</published>"));
	assert_non_null(strstr(b.data, "<summary type=\"text\">Text."
	    "</summary>"));
	us_buf_free(&b);
	json_decref(entries);
}

/* An update links the action it follows; others link only their page. */
/* The last occurrence of needle in hay, or NULL. */
static const char *
strrstr_last(const char *hay, const char *needle)
{
	const char	*p, *last = NULL;

	for (p = hay; (p = strstr(p, needle)) != NULL; p++)
		last = p;
	return (last);
}

static void
test_feed_atom_links_an_update_to_what_it_follows(void **state)
{
	struct us_buf	 b;
	json_t		*entries;

	(void)state;
	entries = test_json("[{\"slug\": \"ua-2\", \"title\": \"T\", "
	    "\"follows\": \"ua-1\", \"updated_at\": "
	    "\"2026-12-02T10:00:00Z\"}, {\"slug\": \"ua-1\", \"title\": "
	    "\"U\", \"follows\": null}]");
	us_buf_init(&b);
	us_feed_atom(&b, "https://x.example", "F", entries);
	assert_non_null(strstr(b.data, "<link rel=\"related\" "
	    "type=\"text/html\" href=\"https://x.example/s/ua-1\"/>"));
	assert_ptr_equal(strstr(b.data, "rel=\"related\""),
	    strrstr_last(b.data, "rel=\"related\""));
	us_buf_free(&b);
	json_decref(entries);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_feed_esc_xml_escapes_specials_and_drops_controls),
		cmocka_unit_test(
		    test_feed_summary_keeps_a_short_paragraph_whole),
		cmocka_unit_test(
		    test_feed_summary_cuts_at_a_word_with_an_ellipsis),
		cmocka_unit_test(test_feed_atom_escapes_hostile_titles),
		cmocka_unit_test(
		    test_feed_atom_links_an_update_to_what_it_follows),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
