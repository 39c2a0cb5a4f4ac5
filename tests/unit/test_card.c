#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/card.h"
#include "core/share.h"

/*
 * Under the sanitizer build: fontconfig, loaded through Pango, keeps its
 * parsed configuration for the life of the process (as in the plugin
 * tests, tests/plugins/lsan.supp); that is not a leak of the card's.
 */
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return ("leak:libfontconfig.so\n");
}

/* Width and height from a PNG's IHDR, after checking its signature. */
static void
png_size(const struct us_buf *b, unsigned long *w, unsigned long *h)
{
	const unsigned char	*p = (const unsigned char *)b->data;

	assert_true(b->len > 33);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	*w = (unsigned long)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
	*h = (unsigned long)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
}

static void
test_card_is_a_1200_by_630_png(void **state)
{
	struct us_card	c = { "Free the “Bishkek Four” — joint statement",
			    "312 organisations have signed.",
			    "Coordinated by Civic Solidarity Platform",
			    "undersigned.example.org", "en", 312, 500 };
	struct us_buf	b;
	struct us_error	e;
	unsigned long	w, h;

	(void)state;
	us_buf_init(&b);
	assert_int_equal(us_card_png(&c, &b, &e), US_OK);
	png_size(&b, &w, &h);
	assert_int_equal(w, US_CARD_WIDTH);
	assert_int_equal(h, US_CARD_HEIGHT);
	us_buf_free(&b);
}

static void
test_card_draws_cyrillic_and_very_long_titles(void **state)
{
	struct us_card	c = { NULL, "Подписали 1 234 организации.",
			    NULL, NULL, "ru", 1234, 0 };
	struct us_buf	b, t;
	struct us_error	e;
	unsigned long	w, h;
	int		i;

	(void)state;
	us_buf_init(&t);
	for (i = 0; i < 40; i++)
		us_buf_puts(&t, "Освободите «Бишкекскую четвёрку» немедленно ");
	c.title = t.data;
	us_buf_init(&b);
	assert_int_equal(us_card_png(&c, &b, &e), US_OK);
	png_size(&b, &w, &h);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 630);
	us_buf_free(&b);
	us_buf_free(&t);
}

static void
test_card_revision_follows_what_is_drawn(void **state)
{
	struct us_card	c = { "Title", "3 organisations have signed.", NULL,
			    "example.org", "en", 3, 0 };
	char		a[US_CARD_REV_LEN + 1], b[US_CARD_REV_LEN + 1];

	(void)state;
	us_card_revision(&c, a);
	assert_int_equal(strlen(a), US_CARD_REV_LEN);
	us_card_revision(&c, b);
	assert_string_equal(a, b);
	c.count = 4;
	c.count_text = "4 organisations have signed.";
	us_card_revision(&c, b);
	assert_string_not_equal(a, b);
	c.count = 3;
	c.count_text = "3 organisations have signed.";
	c.goal = 10;
	us_card_revision(&c, b);
	assert_string_not_equal(a, b);
}

static void
cut(const char *in, size_t max, const char *want)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_share_cut(&b, in, max);
	assert_string_equal(b.data != NULL ? b.data : "", want);
	us_buf_free(&b);
}

static void
test_share_description_is_cut_at_a_word(void **state)
{
	(void)state;
	cut("Short text.", 20, "Short text.");
	cut("We call on the authorities to release", 20,
	    "We call on the\xe2\x80\xa6");
	cut("Мы призываем власти освободить журналистов", 24,
	    "Мы призываем власти\xe2\x80\xa6");
	/* The cut falls just before a space: the whole word stays. */
	cut("one two three", 8, "one two\xe2\x80\xa6");
	/* Punctuation before the cut goes. */
	cut("alpha, beta gamma delta", 10, "alpha\xe2\x80\xa6");
	/* One long word is cut inside, at a character. */
	cut("Нижеподписавшиеся", 6, "Нижеп\xe2\x80\xa6");
	/* Line ends become spaces: a meta value is one line. */
	cut("line one\nline two", 40, "line one line two");
}

static void
test_share_links_encode_address_and_title(void **state)
{
	json_t		*l, *v;
	size_t		 i;
	const char	*names[] = { "email", "telegram", "whatsapp", "x",
			    "facebook", "linkedin" };

	(void)state;
	l = us_share_links("https://ex.org/s/a b", "Tom & \"Jerry\" <x>",
	    "en");
	assert_int_equal(json_array_size(l), 6);
	json_array_foreach(l, i, v) {
		assert_string_equal(json_string_value(json_object_get(v,
		    "name")), names[i]);
		assert_null(strchr(json_string_value(json_object_get(v,
		    "href")), '"'));
		assert_null(strchr(json_string_value(json_object_get(v,
		    "href")), '<'));
		assert_null(strchr(json_string_value(json_object_get(v,
		    "href")), ' '));
	}
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(l, 1), "href")), "https://t.me/share/url?url="
	    "https%3A%2F%2Fex.org%2Fs%2Fa%20b&text=Tom%20%26%20%22Jerry%22"
	    "%20%3Cx%3E");
	json_decref(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_card_is_a_1200_by_630_png),
		cmocka_unit_test(test_card_draws_cyrillic_and_very_long_titles),
		cmocka_unit_test(test_card_revision_follows_what_is_drawn),
		cmocka_unit_test(test_share_description_is_cut_at_a_word),
		cmocka_unit_test(test_share_links_encode_address_and_title),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
