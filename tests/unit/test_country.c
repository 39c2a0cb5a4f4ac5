/*
 * us_country: codes and English names as before, names in other
 * languages from Debian's catalogues, aliases, Unicode case folding,
 * "ё" as "е", and Kosovo.
 */
#include "helpers.h"

#include "core/country.h"

#define RU_MO	"/usr/share/locale/ru/LC_MESSAGES/iso_3166-1.mo"
#define DE_MO	"/usr/share/locale/de/LC_MESSAGES/iso_3166-1.mo"

struct expect {
	const char	*in;
	const char	*alpha2;
};

static void	load_plain(void);
static void	load_ru(void);
static void	expect_find(const struct expect *, size_t);
static void	expect_key(const char *, const char *);
static void	expect_lower(const char *, const char *);

/* Only the countries: no language, so aliases are tested on their own. */
static void
load_plain(void)
{
	struct us_error	err;

	us_error_clear(&err);
	if (!us_country_load(US_COUNTRY_JSON, &err))
		fail_msg("%s", err.message);
}

static void
load_ru(void)
{
	struct us_error	err;

	load_plain();
	if (!us_country_load_lang("ru", RU_MO, &err))
		fail_msg("%s", err.message);
}

static void
expect_find(const struct expect *e, size_t n)
{
	const struct us_country	*c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if ((c = us_country_find(e[i].in)) == NULL)
			fail_msg("\"%s\" not found (want %s)", e[i].in,
			    e[i].alpha2);
		if (strcmp(c->alpha2, e[i].alpha2) != 0)
			fail_msg("\"%s\" found as %s, want %s", e[i].in,
			    c->alpha2, e[i].alpha2);
	}
}

static void
expect_key(const char *in, const char *want)
{
	char	*k;

	k = us_country_key(in);
	if (want == NULL) {
		assert_null(k);
		return;
	}
	assert_non_null(k);
	assert_string_equal(k, want);
	free(k);
}

static void
expect_lower(const char *in, const char *want)
{
	char	*s;

	s = us_country_lower(in);
	assert_string_equal(s, want);
	free(s);
}

static void
test_country_codes_and_english_names_still_work(void **state)
{
	static const struct expect	e[] = {
		{ "DE", "DE" }, { "de", "DE" }, { "DEU", "DE" },
		{ "deu", "DE" }, { "Germany", "DE" }, { "GERMANY", "DE" },
		{ "Federal Republic of Germany", "DE" },
		{ "Kyrgyz Republic", "KG" }, { "Kyrgyzstan", "KG" },
		{ "Korea, Republic of", "KR" },
		{ "Iran, Islamic Republic of", "IR" },
		{ "Virgin Islands, U.S.", "VI" },
		{ "Bolivia, Plurinational State of", "BO" },
		{ "  Georgia  ", "GE" },
	};

	(void)state;
	load_plain();
	expect_find(e, sizeof(e) / sizeof(e[0]));
	assert_null(us_country_find("Atlantis"));
	assert_null(us_country_find("XX"));
	assert_null(us_country_find("K"));
	assert_null(us_country_find(""));
	assert_null(us_country_find(NULL));
	assert_null(us_country_find("Germ\xc3" "any"));
	assert_string_equal(us_country_name("DE"), "Germany");
	assert_string_equal(us_country_name("KR"), "South Korea");
	assert_null(us_country_name("de"));
	assert_null(us_country_name("ZZ"));
	assert_null(us_country_name(NULL));
}

static void
test_country_list_is_sorted_and_has_kosovo(void **state)
{
	const struct us_country	*c, *prev = NULL;
	size_t			 i, kosovo = 0;

	(void)state;
	load_plain();
	assert_int_equal(us_country_count(), 250);
	for (i = 0; (c = us_country_at(i)) != NULL; i++) {
		if (prev != NULL && strcmp(prev->name, c->name) > 0)
			fail_msg("%s before %s", prev->name, c->name);
		if (strcmp(c->alpha2, "XK") == 0)
			kosovo++;
		prev = c;
	}
	assert_int_equal(i, 250);
	assert_int_equal(kosovo, 1);
	assert_null(us_country_at(250));
}

static void
test_country_kosovo_is_a_user_assigned_code(void **state)
{
	const struct us_country	*c;

	(void)state;
	load_plain();
	c = us_country_find("XK");
	assert_non_null(c);
	assert_string_equal(c->alpha2, "XK");
	assert_string_equal(c->alpha3, "XKX");
	assert_string_equal(c->name, "Kosovo");
	assert_string_equal(c->official_name, "Kosovo");
	assert_ptr_equal(us_country_find("kosovo"), c);
	assert_ptr_equal(us_country_find("XKX"), c);
	assert_ptr_equal(us_country_find("Косово"), c);
	assert_string_equal(us_country_name("XK"), "Kosovo");
	assert_string_equal(us_country_name_in("XK", "ru"), "Kosovo");
	load_ru();
	assert_string_equal(us_country_name_in("XK", "ru"), "Косово");
	assert_string_equal(us_country_name_in("XK", "en"), "Kosovo");
	assert_string_equal(us_country_find("КОСОВО")->alpha2, "XK");
}

static void
test_country_english_aliases(void **state)
{
	static const struct expect	e[] = {
		{ "USA", "US" }, { "U.S.", "US" }, { "U.S.A.", "US" },
		{ "United States of America", "US" }, { "US", "US" },
		{ "the US", "US" }, { "the United States", "US" },
		{ "UK", "GB" }, { "U.K.", "GB" }, { "Great Britain", "GB" },
		{ "Britain", "GB" }, { "England", "GB" },
		{ "Russia", "RU" }, { "South Korea", "KR" }, { "Korea", "KR" },
		{ "North Korea", "KP" }, { "Iran", "IR" }, { "Syria", "SY" },
		{ "Vietnam", "VN" }, { "Viet Nam", "VN" }, { "Laos", "LA" },
		{ "Bolivia", "BO" }, { "Venezuela", "VE" },
		{ "Tanzania", "TZ" }, { "Moldova", "MD" },
		{ "Czech Republic", "CZ" }, { "Czechia", "CZ" },
		{ "Turkey", "TR" }, { "Türkiye", "TR" }, { "TÜRKIYE", "TR" },
		{ "Ivory Coast", "CI" }, { "Côte d'Ivoire", "CI" },
		{ "Cote d'Ivoire", "CI" }, { "Côte d’Ivoire", "CI" },
		{ "CÔTE D'IVOIRE", "CI" },
		{ "Macedonia", "MK" }, { "North Macedonia", "MK" },
		{ "Burma", "MM" }, { "Myanmar", "MM" },
		{ "Swaziland", "SZ" }, { "Eswatini", "SZ" },
		{ "Holland", "NL" }, { "The Netherlands", "NL" },
		{ "Kyrgyz Republic", "KG" }, { "Kirghizia", "KG" },
		{ "Palestine", "PS" }, { "State of Palestine", "PS" },
		{ "the State of Palestine", "PS" }, { "Taiwan", "TW" },
		{ "Kosovo", "XK" }, { "The Gambia", "GM" },
		{ "Guinea Bissau", "GW" }, { "DR Congo", "CD" },
	};

	(void)state;
	load_plain();
	expect_find(e, sizeof(e) / sizeof(e[0]));
	assert_null(us_country_find("the"));
	assert_null(us_country_find("America"));
}

static void
test_country_russian_aliases_without_catalogue(void **state)
{
	static const struct expect	e[] = {
		{ "США", "US" }, { "Соединённые Штаты", "US" },
		{ "Соединенные Штаты Америки", "US" },
		{ "Великобритания", "GB" }, { "Соединённое Королевство", "GB" },
		{ "Англия", "GB" }, { "Россия", "RU" }, { "РФ", "RU" },
		{ "Кыргызстан", "KG" }, { "Киргизия", "KG" },
		{ "Киргизстан", "KG" }, { "Беларусь", "BY" },
		{ "Белоруссия", "BY" }, { "Молдова", "MD" },
		{ "Молдавия", "MD" }, { "Казахстан", "KZ" },
		{ "Грузия", "GE" }, { "Армения", "AM" },
		{ "Азербайджан", "AZ" }, { "Таджикистан", "TJ" },
		{ "Туркменистан", "TM" }, { "Туркмения", "TM" },
		{ "Узбекистан", "UZ" }, { "Украина", "UA" },
		{ "Германия", "DE" }, { "Франция", "FR" },
		{ "Швейцария", "CH" }, { "Южная Корея", "KR" },
		{ "Иран", "IR" }, { "Сирия", "SY" }, { "Чехия", "CZ" },
		{ "Турция", "TR" }, { "Палестина", "PS" },
	};

	(void)state;
	load_plain();
	expect_find(e, sizeof(e) / sizeof(e[0]));
	/* A catalogue-only name is not known until the catalogue is loaded. */
	assert_null(us_country_find("Федеративная Республика Германия"));
}

static void
test_country_cyrillic_case_and_yo(void **state)
{
	static const struct expect	e[] = {
		{ "ГЕРМАНИЯ", "DE" }, { "германия", "DE" },
		{ "гЕрМаНиЯ", "DE" }, { "КЫРГЫЗСТАН", "KG" },
		{ "соединённые штаты", "US" }, { "соединенные штаты", "US" },
		{ "СОЕДИНЁННЫЕ ШТАТЫ", "US" }, { "СОЕДИНЕННЫЕ ШТАТЫ", "US" },
		{ "Соединенное Королевство", "GB" },
		{ "БЕЛОРУССИЯ", "BY" }, { "р.ф.", "RU" },
	};

	(void)state;
	load_plain();
	expect_find(e, sizeof(e) / sizeof(e[0]));
}

static void
test_country_names_from_russian_catalogue(void **state)
{
	static const struct expect	e[] = {
		{ "Федеративная Республика Германия", "DE" },
		{ "ФЕДЕРАТИВНАЯ РЕСПУБЛИКА ГЕРМАНИЯ", "DE" },
		{ "Российская Федерация", "RU" },
		{ "Республика Кыргызстан", "KG" },
		{ "Республика Молдова", "MD" },
		{ "Нидерланды", "NL" }, { "Королевство Нидерландов", "NL" },
		{ "Греческая Республика", "GR" },
		{ "Кот-д'Ивуар", "CI" }, { "Кот д’Ивуар", "CI" },
		{ "Соединённое Королевство Великобритании и Северной Ирландии",
		    "GB" },
		{ "Соединенное Королевство Великобритании и Северной Ирландии",
		    "GB" },
		{ "Китайская провинция Тайвань", "TW" },
	};

	(void)state;
	load_ru();
	expect_find(e, sizeof(e) / sizeof(e[0]));
	/* English and codes are still there. */
	assert_string_equal(us_country_find("Germany")->alpha2, "DE");
	assert_string_equal(us_country_find("kgz")->alpha2, "KG");
}

static void
test_country_name_in_language_falls_back_to_english(void **state)
{
	(void)state;
	load_plain();
	assert_string_equal(us_country_name_in("DE", "ru"), "Germany");
	load_ru();
	assert_string_equal(us_country_name_in("DE", "ru"), "Германия");
	assert_string_equal(us_country_name_in("DE", "RU"), "Германия");
	assert_string_equal(us_country_name_in("DE", "ru-KG"), "Германия");
	assert_string_equal(us_country_name_in("DE", "ru_RU.UTF-8"),
	    "Германия");
	assert_string_equal(us_country_name_in("DE", "en"), "Germany");
	assert_string_equal(us_country_name_in("DE", "ky"), "Germany");
	assert_string_equal(us_country_name_in("DE", NULL), "Germany");
	assert_string_equal(us_country_name_in("DE", "r"), "Germany");
	assert_null(us_country_name_in("ZZ", "ru"));
	assert_null(us_country_name_in(NULL, "ru"));
	/* The common name's translation, else the ISO name's. */
	assert_string_equal(us_country_name_in("KR", "ru"), "Южная Корея");
	assert_string_equal(us_country_name_in("IR", "ru"), "Иран");
	assert_string_equal(us_country_name_in("PS", "ru"), "Палестина");
	/* Gaps in Debian's catalogue filled in. */
	assert_string_equal(us_country_name_in("TR", "ru"), "Турция");
	assert_string_equal(us_country_name_in("LA", "ru"), "Лаос");
	assert_string_equal(us_country_name_in("SY", "ru"), "Сирия");
	/* The forms the region's NGOs write win over the catalogue's. */
	assert_string_equal(us_country_name_in("KG", "ru"), "Кыргызстан");
	assert_string_equal(us_country_name_in("MD", "ru"), "Молдова");
	assert_string_equal(us_country_name_in("BY", "ru"), "Беларусь");
	assert_string_equal(us_country_name_in("RU", "ru"), "Россия");
	assert_string_equal(us_country_name_in("KZ", "ru"), "Казахстан");
	assert_string_equal(us_country_name_in("KG", "ru-KG"), "Кыргызстан");
	assert_string_equal(us_country_name_in("KG", "en"), "Kyrgyzstan");
	/* The catalogue's forms are still read, as are the official ones. */
	assert_string_equal(us_country_find("Киргизия")->alpha2, "KG");
	assert_string_equal(us_country_find("Молдавия")->alpha2, "MD");
	assert_string_equal(us_country_find("Республика Молдова")->alpha2,
	    "MD");
	assert_string_equal(us_country_find("Republic of Moldova")->alpha2,
	    "MD");
	assert_string_equal(us_country_find("Republic of Belarus")->alpha2,
	    "BY");
	assert_string_equal(us_country_find("Российская Федерация")->alpha2,
	    "RU");
	/* English names are unchanged by loading a language. */
	assert_string_equal(us_country_name("DE"), "Germany");
}

static void
test_country_official_names_in_language(void **state)
{
	(void)state;
	load_ru();
	assert_string_equal(us_country_official_in("DE", "ru"),
	    "Федеративная Республика Германия");
	assert_string_equal(us_country_official_in("KG", "ru"),
	    "Республика Кыргызстан");
	assert_string_equal(us_country_official_in("DE", "fr"),
	    "Federal Republic of Germany");
	assert_string_equal(us_country_official_in("XK", "ru"), "Косово");
	assert_null(us_country_official_in("ZZ", "ru"));
}

static void
test_country_second_language_and_reload(void **state)
{
	struct us_error	err;

	(void)state;
	load_ru();
	us_error_clear(&err);
	if (!us_country_load_lang("de", DE_MO, &err))
		fail_msg("%s", err.message);
	assert_string_equal(us_country_name_in("GE", "de"), "Georgien");
	assert_string_equal(us_country_name_in("GE", "ru"), "Грузия");
	assert_string_equal(us_country_find("Georgien")->alpha2, "GE");
	assert_string_equal(us_country_find("SCHWEIZ")->alpha2, "CH");
	assert_string_equal(us_country_find("Швейцария")->alpha2, "CH");
	/* Loading a language again replaces it rather than adding it. */
	assert_int_equal(us_country_load_lang("ru", RU_MO, &err), US_OK);
	assert_string_equal(us_country_name_in("GE", "ru"), "Грузия");
	/* Reloading the countries drops the languages. */
	load_plain();
	assert_string_equal(us_country_name_in("GE", "de"), "Georgia");
	assert_null(us_country_find("Georgien"));
}

static void
test_country_load_lang_errors(void **state)
{
	struct us_error	err;

	(void)state;
	us_country_unload();
	us_error_clear(&err);
	assert_int_equal(us_country_load_lang("ru", RU_MO, &err), US_FAIL);
	assert_string_equal(err.message,
	    "the countries must be loaded before their names");
	assert_null(us_country_find("DE"));
	assert_int_equal(us_country_count(), 0);
	assert_null(us_country_name_in("DE", "ru"));

	load_plain();
	assert_int_equal(us_country_load_lang("../ru", RU_MO, &err), US_FAIL);
	assert_string_equal(err.message, "\"../ru\" is not a language code");
	assert_int_equal(us_country_load_lang("", RU_MO, &err), US_FAIL);
	assert_int_equal(us_country_load_lang(NULL, RU_MO, &err), US_FAIL);
	assert_int_equal(us_country_load_lang("ru", "/nonexistent.mo", &err),
	    US_FAIL);
	assert_int_equal(err.kind, US_E_INTERNAL);
	assert_string_equal(err.code, "catalogue");
	assert_string_equal(us_country_name_in("DE", "ru"), "Germany");
}

static void
test_country_match_by_kind(void **state)
{
	(void)state;
	load_plain();
	assert_null(us_country_match("DE", US_COUNTRY_NAMES));
	assert_null(us_country_match("DE", US_COUNTRY_CODE3));
	assert_string_equal(us_country_match("DE", US_COUNTRY_CODE2)->alpha2,
	    "DE");
	assert_null(us_country_match("DEU", US_COUNTRY_NAMES));
	assert_string_equal(us_country_match("DEU", US_COUNTRY_CODE3)->alpha2,
	    "DE");
	assert_null(us_country_match("HR", US_COUNTRY_NAMES |
	    US_COUNTRY_CODE3));
	assert_null(us_country_match("H.R.", US_COUNTRY_NAMES));
	/* Aliases that look like codes are names. */
	assert_string_equal(us_country_match("US", US_COUNTRY_NAMES)->alpha2,
	    "US");
	assert_string_equal(us_country_match("UK", US_COUNTRY_NAMES)->alpha2,
	    "GB");
	assert_string_equal(us_country_match("USA", US_COUNTRY_NAMES)->alpha2,
	    "US");
	assert_string_equal(us_country_match("Germany",
	    US_COUNTRY_NAMES)->alpha2, "DE");
	assert_null(us_country_match("Germany", US_COUNTRY_CODE2 |
	    US_COUNTRY_CODE3));
}

static void
test_country_lower_covers_latin_greek_cyrillic(void **state)
{
	(void)state;
	expect_lower("ABC xyz 123", "abc xyz 123");
	/* Latin-1: the multiplication sign and sharp s have no case. */
	expect_lower("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß",
	    "àáâãäåæçèéêëìíîïðñòóôõö×øùúûüýþß");
	/* Latin Extended-A: pairs that start on even and on odd points. */
	expect_lower("ĀĂĄĆČĎĐĒĘĚĞĢĪĮİĲĶĹĻĽĿŁŃŅŇŊŌŐŒŘŚŞŠŢŤŦŪŮŰŲŴŶŸŹŻŽ",
	    "āăąćčďđēęěğģīįiĳķĺļľŀłńņňŋōőœřśşšţťŧūůűųŵŷÿźżž");
	expect_lower("ıĸŉſ", "ıĸŉſ");
	/* Greek, with tonos and dialytika; final sigma stays. */
	expect_lower("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
	    "αβγδεζηθικλμνξοπρστυφχψω");
	expect_lower("ΆΈΉΊΌΎΏΪΫ", "άέήίόύώϊϋ");
	expect_lower("Ελλάς", "ελλάς");
	/* Cyrillic: Russian, Ukrainian, Belarusian, Kyrgyz, Kazakh. */
	expect_lower("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
	    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя");
	expect_lower("ЄІЇЎЂЉЊЋЏ", "єіїўђљњћџ");
	expect_lower("ҢӨҮҒҚҰҺӘ", "ңөүғқұһә");
	expect_lower("ӀӁӃ", "ӏӂӄ");
	expect_lower("ѢѲ", "ѣѳ");
	/* Other scripts and invalid bytes pass through. */
	expect_lower("ქართული 日本 \xff", "ქართული 日本 \xff");
}

static void
test_country_key_normalises_for_matching(void **state)
{
	(void)state;
	expect_key("The  U.S.A.", "usa");
	expect_key("the\xc2\xa0Netherlands", "netherlands");
	expect_key("Ёлка", "елка");
	expect_key("ΣΟΦΟΣ", "σοφοσ");
	expect_key("σοφος", "σοφοσ");
	expect_key("Côte d’Ivoire", "côte d'ivoire");
	expect_key("Guinea-Bissau", "guinea bissau");
	expect_key("Timor – Leste", "timor leste");
	expect_key("the", "the");
	expect_key("...", NULL);
	expect_key("  ", NULL);
	expect_key("\xc0\xaf", NULL);
}

/* Names read as a country that say more or less than it are flagged. */
static void
test_country_loose_names_are_flagged(void **state)
{
	(void)state;
	assert_string_equal(us_country_find("England")->alpha2, "GB");
	assert_true(us_country_loose("England"));
	assert_true(us_country_loose("holland"));
	assert_true(us_country_loose("Голландия"));
	assert_string_equal(us_country_find("Holland")->alpha2, "NL");
	assert_false(us_country_loose("United Kingdom"));
	assert_false(us_country_loose("Netherlands"));
	assert_false(us_country_loose("Russia"));
	assert_false(us_country_loose("Atlantis"));
	assert_false(us_country_loose(NULL));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_country_codes_and_english_names_still_work),
		cmocka_unit_test(test_country_list_is_sorted_and_has_kosovo),
		cmocka_unit_test(test_country_kosovo_is_a_user_assigned_code),
		cmocka_unit_test(test_country_english_aliases),
		cmocka_unit_test(
		    test_country_russian_aliases_without_catalogue),
		cmocka_unit_test(test_country_cyrillic_case_and_yo),
		cmocka_unit_test(test_country_names_from_russian_catalogue),
		cmocka_unit_test(
		    test_country_name_in_language_falls_back_to_english),
		cmocka_unit_test(test_country_official_names_in_language),
		cmocka_unit_test(test_country_second_language_and_reload),
		cmocka_unit_test(test_country_load_lang_errors),
		cmocka_unit_test(test_country_match_by_kind),
		cmocka_unit_test(
		    test_country_lower_covers_latin_greek_cyrillic),
		cmocka_unit_test(test_country_key_normalises_for_matching),
		cmocka_unit_test(test_country_loose_names_are_flagged),
	};

	return (cmocka_run_group_tests(tests, NULL, test_countries_unload));
}
