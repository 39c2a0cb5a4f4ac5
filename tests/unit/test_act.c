/* us_act: the links an urgent action's reader follows to act. */
#include "helpers.h"

#include "core/act.h"
#include "core/buf.h"

/* Decodes %XX in place, for reading a link back. */
static char *
unescape(const char *s)
{
	char	*out, *o;
	unsigned int c;

	out = o = calloc(1, strlen(s) + 1);
	assert_non_null(out);
	for (; *s != '\0'; s++) {
		if (*s == '%' && sscanf(s + 1, "%2x", &c) == 1) {
			*o++ = (char)c;
			s += 2;
		} else
			*o++ = *s;
	}
	return (out);
}

static void
test_mailto_fills_subject_and_body(void **state)
{
	struct us_buf	 b;
	char		*body;
	int		 cut;

	(void)state;
	us_buf_init(&b);
	cut = us_act_mailto(&b, "president@example.kg", "UA 56.23: Free him",
	    "Dear Mr. President,\n\nRelease him.", "Full letter: x",
	    US_ACT_MAILTO_MAX);
	assert_int_equal(cut, 0);
	assert_string_equal(b.data, "mailto:president@example.kg?subject="
	    "UA%2056.23%3A%20Free%20him&body=Dear%20Mr.%20President%2C"
	    "%0D%0A%0D%0ARelease%20him.");
	body = unescape(strstr(b.data, "&body=") + 6);
	assert_string_equal(body, "Dear Mr. President,\r\n\r\nRelease him.");
	free(body);
	us_buf_free(&b);
}

/*
 * Hostile text stays inside its parameter: "&", "?", "=", "#", quotes,
 * angle brackets and line breaks are all encoded, so nothing can add a
 * header (cc, bcc) or end the HTML attribute the link sits in.
 */
static void
test_mailto_encodes_hostile_text(void **state)
{
	struct us_buf	 b;
	const char	*p;

	(void)state;
	us_buf_init(&b);
	(void)us_act_mailto(&b, "a@example.org", "x&bcc=evil@example.org",
	    "\"><script>alert(1)</script>\r\nBcc: evil@example.org&cc=x#?",
	    NULL, US_ACT_MAILTO_MAX);
	assert_null(strstr(b.data, "&bcc"));
	assert_null(strstr(b.data, "&cc"));
	assert_null(strchr(b.data, '"'));
	assert_null(strchr(b.data, '<'));
	assert_null(strchr(b.data, '#'));
	assert_null(strchr(b.data, '\n'));
	assert_null(strchr(b.data, '\r'));
	/* One "?" and one "&": the ones we wrote. */
	p = strchr(b.data, '?');
	assert_non_null(p);
	assert_null(strchr(p + 1, '?'));
	assert_non_null(strstr(b.data, "&body="));
	assert_ptr_equal(strchr(b.data, '&'), strstr(b.data, "&body="));
	us_buf_free(&b);
}

/*
 * A letter longer than mail clients take is cut at a paragraph (or a
 * word) and ends with the pointer to the page; the whole link stays
 * under the limit, never splitting a UTF-8 character or an escape.
 */
static void
test_mailto_cuts_a_long_letter_at_a_paragraph(void **state)
{
	struct us_buf	 b, letter;
	char		*body;
	int		 i;

	(void)state;
	us_buf_init(&letter);
	for (i = 0; i < 40; i++)
		us_buf_appendf(&letter, "%sАбзац %d: освободите его немедленно "
		    "и безоговорочно.", i > 0 ? "\n\n" : "", i);
	us_buf_init(&b);
	assert_int_equal(us_act_mailto(&b, "a@example.org", "UA 56.23",
	    letter.data, "The full letter is on the page https://x.example/s/ua",
	    US_ACT_MAILTO_MAX), 1);
	assert_true(b.len <= US_ACT_MAILTO_MAX);
	body = unescape(strstr(b.data, "&body=") + 6);
	assert_non_null(strstr(body, "Абзац 0:"));
	assert_null(strstr(body, "Абзац 39:"));
	/* Whole paragraphs, then a blank line and the pointer. */
	assert_non_null(strstr(body, "безоговорочно.\r\n\r\nThe full letter is "
	    "on the page https://x.example/s/ua"));
	assert_true(strlen(body) > 200);
	free(body);
	us_buf_free(&b);
	us_buf_free(&letter);
}

/* A letter typed in a browser's textarea has CRLF line breaks. */
static void
test_mailto_cuts_crlf_paragraphs_too(void **state)
{
	struct us_buf	 b, letter;
	char		*body;
	int		 i;

	(void)state;
	us_buf_init(&letter);
	for (i = 0; i < 30; i++)
		us_buf_appendf(&letter, "%sParagraph %d ends here.", i > 0 ?
		    "\r\n\r\n" : "", i);
	us_buf_init(&b);
	assert_int_equal(us_act_mailto(&b, "a@example.org", "S", letter.data,
	    "Tail", 400), 1);
	body = unescape(strstr(b.data, "&body=") + 6);
	assert_non_null(strstr(body, "ends here.\r\n\r\nTail"));
	assert_null(strstr(body, "\r\n\r\n\r\n"));
	free(body);
	us_buf_free(&b);
	us_buf_free(&letter);
}

static void
test_mailto_cuts_at_a_word_without_paragraphs(void **state)
{
	struct us_buf	 b, letter;
	char		*body, *tail;
	int		 i;

	(void)state;
	us_buf_init(&letter);
	for (i = 0; i < 2000; i++)
		us_buf_puts(&letter, "ქართული ");
	us_buf_init(&b);
	assert_int_equal(us_act_mailto(&b, "a@example.org", NULL, letter.data,
	    "More: https://x.example", 600), 1);
	assert_true(b.len <= 600);
	assert_non_null(strstr(b.data, "mailto:a@example.org?body="));
	body = unescape(strstr(b.data, "?body=") + 6);
	tail = strstr(body, "\r\n\r\nMore: https://x.example");
	assert_non_null(tail);
	*tail = '\0';
	/* Ends with a whole word. */
	assert_true(strlen(body) > 0);
	assert_int_equal(strlen(body) % strlen("ქართული "),
	    strlen("ქართული"));
	free(body);
	us_buf_free(&b);
	us_buf_free(&letter);
}

static void
test_tel_and_fax_dial_the_first_number(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_true(us_act_tel(&b, "tel", "+996 (312) 62-50-36, ext. 2"));
	assert_string_equal(b.data, "tel:+996312625036");
	us_buf_reset(&b);
	assert_true(us_act_tel(&b, "fax", "Fax: +7 495 606-33-93 / 606-33-94"));
	assert_string_equal(b.data, "fax:+74956063393");
	us_buf_reset(&b);
	assert_false(us_act_tel(&b, "tel", "ask the office"));
	assert_false(us_act_tel(&b, "tel", "\"><script>1</script>"));
	assert_int_equal(b.len, 0);
	us_buf_free(&b);
}

static void
test_social_links_only_a_web_address(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_true(us_act_social_url(&b, "X: https://x.com/president_kg."));
	assert_string_equal(b.data, "https://x.com/president_kg");
	us_buf_reset(&b);
	assert_true(us_act_social_url(&b,
	    "(https://t.me/a\"onmouseover=alert(1))"));
	assert_null(strchr(b.data, '"'));
	us_buf_reset(&b);
	assert_false(us_act_social_url(&b, "@president_kg"));
	assert_false(us_act_social_url(&b, "javascript:alert(1)"));
	assert_false(us_act_social_url(&b, "xhttps://evil"));
	assert_false(us_act_social_url(&b, "https://"));
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_mailto_fills_subject_and_body),
		cmocka_unit_test(test_mailto_encodes_hostile_text),
		cmocka_unit_test(test_mailto_cuts_a_long_letter_at_a_paragraph),
		cmocka_unit_test(test_mailto_cuts_crlf_paragraphs_too),
		cmocka_unit_test(test_mailto_cuts_at_a_word_without_paragraphs),
		cmocka_unit_test(test_tel_and_fax_dial_the_first_number),
		cmocka_unit_test(test_social_links_only_a_web_address),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
