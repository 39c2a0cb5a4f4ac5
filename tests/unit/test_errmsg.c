/*
 * us_errmsg: what a form says about a field error, in the reader's
 * language, from the real catalogue in build/locale (the test runs in
 * the project root, after make).
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/errmsg.h"
#include "core/i18n.h"

static int
load(void **state)
{
	struct us_error	err;

	(void)state;
	return (us_i18n_load(US_I18N_DIR, &err) == US_OK ? 0 : -1);
}

static int
unload(void **state)
{
	(void)state;
	us_i18n_unload();
	return (0);
}

static const char *
say(struct us_buf *b, const char *lang, const char *field, const char *code,
    const char *english)
{
	struct us_error	e;

	us_error_set(&e, US_E_INVALID, field, code, "%s", english);
	us_buf_reset(b);
	us_errmsg(b, lang, &e);
	return (b->data);
}

static void
test_errmsg_field_errors_in_russian(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_string_equal(say(&b, "ru", "organisation", "required", "x"),
	    "Укажите название организации.");
	assert_string_equal(say(&b, "ru", "contact_name", "required", "x"),
	    "Укажите ваше имя.");
	assert_non_null(strstr(say(&b, "ru", "email", "invalid_email", "x"),
	    "Адрес электронной почты"));
	/* A generic rule names the field by its form label. */
	assert_string_equal(say(&b, "ru", "acronym", "too_long", "x"),
	    "Поле «Аббревиатура» слишком длинное; сократите его.");
	/* The second country speaks as the first. */
	assert_string_equal(say(&b, "ru", "country2", "invalid_country", "x"),
	    "Выберите страну из списка.");
	assert_string_equal(say(&b, "ru", "country2", "too_long", "x"),
	    "Поле «Вторая страна» слишком длинное; сократите его.");
	us_buf_free(&b);
}

static void
test_errmsg_english_and_unknown(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	assert_string_equal(say(&b, "en", "organisation", "required", "x"),
	    "Enter the name of your organisation.");
	assert_string_equal(say(&b, "en", "acronym", "too_long", "x"),
	    "Acronym is too long; shorten it.");
	/* Nothing known about it: the message as the validator wrote it. */
	assert_string_equal(say(&b, "ru", "lang", "invalid_lang",
	    "Language is odd."), "Language is odd.");
	assert_string_equal(say(&b, "ru", "nonesuch", "too_long",
	    "Nonesuch is too long."), "Nonesuch is too long.");
	us_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_errmsg_field_errors_in_russian),
		cmocka_unit_test(test_errmsg_english_and_unknown),
	};

	return (cmocka_run_group_tests(tests, load, unload));
}
