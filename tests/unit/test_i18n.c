/*
 * us_i18n: lookups, Russian plurals, language negotiation and dates,
 * against a catalogue this test writes and compiles with msgfmt, and the
 * real build/locale catalogue when the test runs in the project root.
 */
#include "helpers.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/tpl.h"

#define NTHREADS	4

/* What msgfmt --check wants of every header. */
#define PO_HEADER(lang, plural)						\
    "msgid \"\"\n"							\
    "msgstr \"\"\n"							\
    "\"Project-Id-Version: undersigned test\\n\"\n"			\
    "\"PO-Revision-Date: 2026-11-26 10:00+0000\\n\"\n"		\
    "\"Last-Translator: test\\n\"\n"					\
    "\"Language-Team: test\\n\"\n"					\
    "\"Language: " lang "\\n\"\n"					\
    "\"MIME-Version: 1.0\\n\"\n"					\
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"		\
    "\"Content-Transfer-Encoding: 8bit\\n\"\n"			\
    "\"Plural-Forms: " plural "\\n\"\n"				\
    "\n"

static const char	ru_po[] =
    PO_HEADER("ru", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
    "msgid \"Sign the statement\"\n"
    "msgstr \"Подписать заявление\"\n"
    "\n"
    "msgid \"Not translated yet\"\n"
    "msgstr \"\"\n"
    "\n"
    "#, fuzzy\n"
    "msgid \"Only a guess\"\n"
    "msgstr \"Только догадка\"\n"
    "\n"
    "msgid \"signature\"\n"
    "msgid_plural \"signatures\"\n"
    "msgstr[0] \"подпись\"\n"
    "msgstr[1] \"подписи\"\n"
    "msgstr[2] \"подписей\"\n"
    "\n"
    "msgctxt \"menu\"\n"
    "msgid \"May\"\n"
    "msgstr \"Май\"\n"
    "\n"
    "msgctxt \"date\"\n"
    "msgid \"January\"\n"
    "msgstr \"января\"\n"
    "\n"
    "msgctxt \"date\"\n"
    "msgid \"May\"\n"
    "msgstr \"мая\"\n"
    "\n"
    "msgctxt \"date\"\n"
    "msgid \"December\"\n"
    "msgstr \"декабря\"\n"
    "\n"
    "msgctxt \"date\"\n"
    "msgid \"{day} {month} {year}\"\n"
    "msgstr \"{day} {month} {year} г.\"\n";

/* The source language may have a catalogue too, to reword a msgid. */
static const char	en_po[] =
    PO_HEADER("en", "nplurals=2; plural=(n != 1);")
    "msgid \"Sign teh statement\"\n"
    "msgstr \"Sign the statement\"\n";

static char	dir[64];

static int	group_setup(void **);
static int	group_teardown(void **);
static int	load(void **);
static int	unload(void **);
static void	catalogue(const char *, const char *, const char *);
static char	*date(const char *, const char *);
static void	*lookup_thread(void *);

/* dir/LANG/undersigned.mo compiled from po, as the Makefile does it. */
static void
catalogue(const char *sub, const char *lang, const char *po)
{
	char	 path[128], cmd[512];
	FILE	*fp;

	(void)snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, lang);
	assert_int_equal(mkdir(path, 0700) == 0 || errno == EEXIST, 1);
	(void)snprintf(path, sizeof(path), "%s/%s/%s.po", dir, sub, lang);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(po, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	(void)snprintf(cmd, sizeof(cmd), "msgfmt --check -o %s/%s/%s/%s.mo %s",
	    dir, sub, lang, US_I18N_DOMAIN, path);
	if (system(cmd) != 0)
		fail_msg("%s failed (is gettext installed?)", cmd);
}

/*
 * dir/good: ru and en; dir/noru: en only; dir/bad: a ru catalogue that
 * is not one.
 */
static int
group_setup(void **state)
{
	char	 path[128];
	FILE	*fp;

	(void)state;
	(void)snprintf(dir, sizeof(dir), "/tmp/us-test-i18n-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	(void)snprintf(path, sizeof(path), "%s/good", dir);
	(void)mkdir(path, 0700);
	(void)snprintf(path, sizeof(path), "%s/noru", dir);
	(void)mkdir(path, 0700);
	(void)snprintf(path, sizeof(path), "%s/bad", dir);
	(void)mkdir(path, 0700);
	(void)snprintf(path, sizeof(path), "%s/bad/ru", dir);
	(void)mkdir(path, 0700);
	catalogue("good", "ru", ru_po);
	catalogue("good", "en", en_po);
	catalogue("noru", "en", en_po);
	(void)snprintf(path, sizeof(path), "%s/bad/ru/%s.mo", dir,
	    US_I18N_DOMAIN);
	if ((fp = fopen(path, "w")) == NULL)
		return (-1);
	(void)fputs("not a catalogue at all, but long enough to be read",
	    fp);
	(void)fclose(fp);
	return (0);
}

static int
group_teardown(void **state)
{
	char	cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

static int
load(void **state)
{
	struct us_error	e;
	char		path[128];

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/good", dir);
	us_error_clear(&e);
	if (us_i18n_load(path, &e) != US_OK) {
		print_error("us_i18n_load: %s\n", e.message);
		return (-1);
	}
	return (0);
}

static int
unload(void **state)
{
	(void)state;
	us_i18n_unload();
	return (0);
}

static char *
date(const char *lang, const char *ymd)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_i18n_date(&b, lang, ymd);
	return (us_buf_release(&b));
}

static void
test_i18n_lookup_and_fallback(void **state)
{
	static const char	msgid[] = "Sign the statement";
	static const char	missing[] = "Not in the catalogue";

	(void)state;
	assert_string_equal(us_i18n("ru", msgid), "Подписать заявление");
	/* English is the msgid itself, the very same string. */
	assert_ptr_equal(us_i18n("en", msgid), msgid);
	assert_ptr_equal(us_i18n("ru", missing), missing);
	assert_string_equal(us_i18n("ru", "Not translated yet"),
	    "Not translated yet");
	/* msgfmt leaves fuzzy entries out: a guess is not a translation. */
	assert_string_equal(us_i18n("ru", "Only a guess"), "Only a guess");
	/* The header hides behind the empty msgid; it is not text. */
	assert_string_equal(us_i18n("ru", ""), "");
	assert_null(us_i18n("ru", NULL));
	/* Plural and context entries are not plain msgids. */
	assert_string_equal(us_i18n("ru", "signature"), "подпись");
	assert_string_equal(us_i18n("ru", "May"), "May");
	assert_string_equal(us_i18n_ctx("ru", "menu", "May"), "Май");
	assert_string_equal(us_i18n_ctx("ru", "date", "May"), "мая");
	assert_string_equal(us_i18n_ctx("ru", "nowhere", "May"), "May");
	assert_string_equal(us_i18n_ctx("en", "date", "May"), "May");
	/* An English catalogue is used when there is one. */
	assert_string_equal(us_i18n("en", "Sign teh statement"), msgid);
	assert_string_equal(us_i18n("ru", "Sign teh statement"),
	    "Sign teh statement");
}

static void
test_i18n_unknown_language_is_english(void **state)
{
	static const char	msgid[] = "Sign the statement";
	char			*s;

	(void)state;
	assert_ptr_equal(us_i18n("de", msgid), msgid);
	assert_ptr_equal(us_i18n(NULL, msgid), msgid);
	assert_ptr_equal(us_i18n("RU", msgid), msgid);
	assert_ptr_equal(us_i18n("ru-RU", msgid), msgid);
	assert_ptr_equal(us_i18n("", msgid), msgid);
	assert_string_equal(us_i18n_n("de", "signature", "signatures", 1),
	    "signature");
	assert_string_equal(us_i18n_n("de", "signature", "signatures", 5),
	    "signatures");
	s = date("de", "2026-12-10");
	assert_string_equal(s, "10 December 2026");
	free(s);
	s = date(NULL, "2026-12-10");
	assert_string_equal(s, "10 December 2026");
	free(s);
}

static void
test_i18n_supported(void **state)
{
	(void)state;
	assert_true(us_i18n_supported("en"));
	assert_true(us_i18n_supported("ru"));
	assert_false(us_i18n_supported("de"));
	assert_false(us_i18n_supported("RU"));
	assert_false(us_i18n_supported("ru-RU"));
	assert_false(us_i18n_supported(""));
	assert_false(us_i18n_supported(NULL));
}

static void
test_i18n_russian_plural_forms(void **state)
{
	static const struct {
		unsigned long	 n;
		const char	*form;
	} cases[] = {
		{ 0, "подписей" },
		{ 1, "подпись" },
		{ 2, "подписи" },
		{ 3, "подписи" },
		{ 4, "подписи" },
		{ 5, "подписей" },
		{ 10, "подписей" },
		{ 11, "подписей" },
		{ 12, "подписей" },
		{ 14, "подписей" },
		{ 19, "подписей" },
		{ 20, "подписей" },
		{ 21, "подпись" },
		{ 22, "подписи" },
		{ 24, "подписи" },
		{ 25, "подписей" },
		{ 101, "подпись" },
		{ 111, "подписей" },
		{ 112, "подписей" },
		{ 122, "подписи" },
		{ 1001, "подпись" },
		{ 1000000, "подписей" },
		{ ULONG_MAX, "подписей" },	/* ...615 */
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(us_i18n_n("ru", "signature", "signatures",
		    cases[i].n), cases[i].form) != 0)
			fail_msg("%lu %s, not %s", cases[i].n,
			    us_i18n_n("ru", "signature", "signatures",
			    cases[i].n), cases[i].form);
	}
}

static void
test_i18n_english_plural_and_missing_plural(void **state)
{
	(void)state;
	assert_string_equal(us_i18n_n("en", "signature", "signatures", 0),
	    "signatures");
	assert_string_equal(us_i18n_n("en", "signature", "signatures", 1),
	    "signature");
	assert_string_equal(us_i18n_n("en", "signature", "signatures", 2),
	    "signatures");
	assert_string_equal(us_i18n_n("en", "signature", "signatures", 21),
	    "signatures");
	/* The marker for a pair stands for both arguments. */
	assert_string_equal(us_i18n_n("ru", US_NN_("signature", "signatures"),
	    5), "подписей");
	/* Untranslated in Russian: the English text, by the English rule. */
	assert_string_equal(us_i18n_n("ru", "statement", "statements", 1),
	    "statement");
	assert_string_equal(us_i18n_n("ru", "statement", "statements", 21),
	    "statements");
}

static void
test_i18n_negotiate(void **state)
{
	static const struct {
		const char	*header;
		const char	*choice;
		const char	*lang;
	} cases[] = {
		{ "ru-RU,ru;q=0.9,en;q=0.8", NULL, "ru" },
		{ "de,fr", NULL, "en" },
		{ "en", "ru", "ru" },
		{ "ru", "en", "en" },
		{ "en-US,en;q=0.9", "RU", "ru" },
		{ "en", "ru-RU", "ru" },
		{ "ru", "xx", "ru" },
		{ "ru", "", "ru" },
		{ "ru", "ru;en", "ru" },
		{ "en", "ru;en", "en" },
		{ "en", "../ru", "en" },
		{ "de;q=1.0, ru;q=0.5, en;q=0.3", NULL, "ru" },
		{ "en;q=0.5, ru;q=0.8", NULL, "ru" },
		{ "en;q=0.8, ru;q=0.8", NULL, "en" },
		{ "  ru ; q=0.7 , en;q=0.6", NULL, "ru" },
		{ "ru;q=0, en;q=0.1", NULL, "en" },
		{ "ru;q=0", NULL, "en" },
		{ "ru;q=0.000", NULL, "en" },
		{ "ru;q=0.001", NULL, "ru" },
		{ "ru;q=1.000", NULL, "ru" },
		{ "RU-ru", NULL, "ru" },
		{ "*", NULL, "en" },
		{ "de, ru;q=0.5, *;q=0.1", NULL, "ru" },
		{ "ru;q=0.5;level=1", NULL, "ru" },
		{ "ru;level=1;q=0.5, en;q=0.4", NULL, "ru" },
		/* Garbage never selects anything, and never crashes. */
		{ NULL, NULL, "en" },
		{ "", NULL, "en" },
		{ ",,,;;;", NULL, "en" },
		{ "ru;q=abc", NULL, "en" },
		{ "ru;q=2", NULL, "en" },
		{ "ru;q=1.5", NULL, "en" },
		{ "ru;q=-1", NULL, "en" },
		{ "ru;q=0.5x", NULL, "en" },
		{ "ru;q=", NULL, "en" },
		{ ";q=1", NULL, "en" },
		{ "r u", NULL, "en" },
		{ "ru-", NULL, "ru" },
		{ "-ru", NULL, "en" },
		{ "rus", NULL, "en" },
		{ "\xd1\x80\xd1\x83", NULL, "en" },
		{ "ru-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
		    "en" },
		{ "ru\"><script>", NULL, "en" },
		{ "ru\r\nSet-Cookie: x=1", NULL, "en" },
	};
	struct us_buf	 big, header;
	const char	*lang;
	size_t		 i;

	(void)state;
	us_buf_init(&header);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* A copy: equal literals may share one address. */
		us_buf_reset(&header);
		if (cases[i].header != NULL)
			us_buf_puts(&header, cases[i].header);
		lang = us_i18n_negotiate(cases[i].header != NULL ?
		    header.data : NULL, cases[i].choice);
		if (strcmp(lang, cases[i].lang) != 0)
			fail_msg("\"%s\" / \"%s\": %s, not %s",
			    cases[i].header ? cases[i].header : "(null)",
			    cases[i].choice ? cases[i].choice : "(null)",
			    lang, cases[i].lang);
		/* Always the table's own string, never the caller's. */
		if (cases[i].header != NULL)
			assert_false(lang >= header.data && lang <=
			    header.data + header.len);
	}
	us_buf_free(&header);
	us_buf_init(&big);
	for (i = 0; i < 10000; i++)
		us_buf_puts(&big, "xx-YY;q=0.9,");
	us_buf_puts(&big, "ru;q=0.1");
	assert_string_equal(us_i18n_negotiate(big.data, NULL), "ru");
	us_buf_free(&big);
}

static void
test_i18n_dates(void **state)
{
	static const struct {
		const char	*lang;
		const char	*ymd;
		const char	*want;
	} cases[] = {
		{ "en", "2026-12-10", "10 December 2026" },
		{ "ru", "2026-12-10", "10 декабря 2026 г." },
		{ "en", "2026-01-01", "1 January 2026" },
		{ "ru", "2026-01-01", "1 января 2026 г." },
		{ "ru", "2027-05-31", "31 мая 2027 г." },
		{ "en", "2026-12-10T09:00:00Z", "10 December 2026" },
		{ "ru", "2026-12-10 09:00:00+00", "10 декабря 2026 г." },
		{ "en", "2024-02-29", "29 February 2024" },
		{ "en", "2000-02-29", "29 February 2000" },
		/* A month the test catalogue lacks shows in English. */
		{ "ru", "2026-03-08", "8 March 2026 г." },
		/* Not a date: shown as stored. */
		{ "ru", "2025-02-29", "2025-02-29" },
		{ "ru", "1900-02-29", "1900-02-29" },
		{ "en", "2026-13-01", "2026-13-01" },
		{ "en", "2026-04-31", "2026-04-31" },
		{ "en", "2026-00-10", "2026-00-10" },
		{ "en", "2026-12-00", "2026-12-00" },
		{ "en", "0000-12-10", "0000-12-10" },
		{ "en", "2026-1-10", "2026-1-10" },
		{ "en", "2026-12-10x", "2026-12-10x" },
		{ "en", "26-12-10", "26-12-10" },
		{ "en", "garbage", "garbage" },
		{ "en", "", "" },
		{ "en", NULL, "" },
	};
	struct us_buf	 b;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = date(cases[i].lang, cases[i].ymd);
		if (strcmp(s, cases[i].want) != 0)
			fail_msg("%s %s: \"%s\", not \"%s\"", cases[i].lang,
			    cases[i].ymd ? cases[i].ymd : "(null)", s,
			    cases[i].want);
		free(s);
	}
	/* It appends. */
	us_buf_init(&b);
	us_buf_puts(&b, "Signed on ");
	us_i18n_date(&b, "en", "2026-12-10");
	assert_string_equal(b.data, "Signed on 10 December 2026");
	us_buf_free(&b);
}

/* The function templates call for {{_ ...}}. */
static void
test_i18n_is_the_template_translator(void **state)
{
	struct us_tpls	 set = { NULL, 0 };
	struct us_buf	 out;
	struct us_error	 e;
	json_t		*ctx;
	static const char src[] = "<a>{{_ Sign the statement}}</a>";

	(void)state;
	us_tpl_set_translator(us_i18n);
	us_tpl_add(&set, "t", src, strlen(src));
	us_buf_init(&out);
	ctx = test_json("{\"ui_lang\": \"ru\"}");
	assert_int_equal(us_tpl_render(&set, "t", ctx, US_TPL_HTML, &out, &e),
	    US_OK);
	assert_string_equal(out.data, "<a>Подписать заявление</a>");
	json_decref(ctx);
	us_buf_reset(&out);
	ctx = test_json("{\"ui_lang\": \"en\"}");
	assert_int_equal(us_tpl_render(&set, "t", ctx, US_TPL_HTML, &out, &e),
	    US_OK);
	assert_string_equal(out.data, "<a>Sign the statement</a>");
	json_decref(ctx);
	us_tpl_set_translator(NULL);
	us_buf_free(&out);
	us_tpl_free(&set);
}

static void
test_i18n_load_failures_leave_english(void **state)
{
	struct us_error	e;
	char		path[128];

	(void)state;
	us_error_clear(&e);
	assert_int_equal(us_i18n_load("/nonexistent/locale", &e), US_FAIL);
	assert_non_null(strstr(e.message, "/nonexistent/locale"));
	assert_string_equal(us_i18n("ru", "Sign the statement"),
	    "Sign the statement");

	/* Russian is offered, so its catalogue must be there. */
	(void)snprintf(path, sizeof(path), "%s/noru", dir);
	us_error_clear(&e);
	assert_int_equal(us_i18n_load(path, &e), US_FAIL);
	assert_non_null(strstr(e.message, "\"ru\""));
	assert_string_equal(us_i18n("en", "Sign teh statement"),
	    "Sign teh statement");

	(void)snprintf(path, sizeof(path), "%s/bad", dir);
	us_error_clear(&e);
	assert_int_equal(us_i18n_load(path, &e), US_FAIL);
	assert_int_equal(e.kind, US_E_INTERNAL);

	/* Loading again replaces what was there. */
	assert_int_equal(load(NULL), 0);
	assert_int_equal(load(NULL), 0);
	assert_string_equal(us_i18n("ru", "Sign the statement"),
	    "Подписать заявление");
	us_i18n_unload();
	us_i18n_unload();
	assert_string_equal(us_i18n("ru", "Sign the statement"),
	    "Sign the statement");
}

/* The catalogue `make` builds from assets/locale/ru.po. */
static void
test_i18n_real_catalogue(void **state)
{
	static const char	*ru[12] = {
		"января", "февраля", "марта", "апреля", "мая", "июня",
		"июля", "августа", "сентября", "октября", "ноября",
		"декабря",
	};
	struct us_error	 e;
	char		 ymd[16], want[64], *s;
	int		 m;

	(void)state;
	if (access(US_I18N_DIR "/ru/" US_I18N_DOMAIN ".mo", R_OK) != 0)
		skip();
	us_error_clear(&e);
	if (us_i18n_load(US_I18N_DIR, &e) != US_OK)
		fail_msg("us_i18n_load: %s", e.message);
	for (m = 1; m <= 12; m++) {
		(void)snprintf(ymd, sizeof(ymd), "2026-%02d-10", m);
		(void)snprintf(want, sizeof(want), "10 %s 2026 г.", ru[m - 1]);
		s = date("ru", ymd);
		assert_string_equal(s, want);
		free(s);
	}
	s = date("en", "2026-05-10");
	assert_string_equal(s, "10 May 2026");
	free(s);
	us_i18n_unload();
}

static void *
lookup_thread(void *arg)
{
	static const char	*forms[3] = {
		"подпись", "подписи", "подписей",
	};
	static const unsigned long n[3] = { 21, 34, 111 };
	int			*ok = arg, i;
	char			*s;

	*ok = 1;
	for (i = 0; i < 2000; i++) {
		s = date("ru", "2026-12-10");
		if (strcmp(s, "10 декабря 2026 г.") != 0 ||
		    strcmp(us_i18n("ru", "Sign the statement"),
		    "Подписать заявление") != 0 ||
		    strcmp(us_i18n_n("ru", "signature", "signatures",
		    n[i % 3]), forms[i % 3]) != 0 ||
		    strcmp(us_i18n_negotiate("de,ru;q=0.5", NULL), "ru") != 0)
			*ok = 0;
		free(s);
	}
	return (NULL);
}

/* Read-only after load: any number of threads translate at once. */
static void
test_i18n_from_several_threads(void **state)
{
	pthread_t	t[NTHREADS];
	int		ok[NTHREADS], i;

	(void)state;
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, lookup_thread,
		    &ok[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(ok[i]);
	}
}

/* The statement's language versions, chosen like the UI's language. */
static void
test_i18n_choose_among_versions(void **state)
{
	const char *const	v[] = { "en", "ru", "ky" };

	(void)state;
	assert_int_equal(us_i18n_choose("ru-RU,ru;q=0.9", NULL, v, 3), 1);
	assert_int_equal(us_i18n_choose("ky,ru;q=0.8", NULL, v, 3), 2);
	assert_int_equal(us_i18n_choose("de,fr;q=0.5", NULL, v, 3), -1);
	assert_int_equal(us_i18n_choose("ru", "en", v, 3), 0);
	assert_int_equal(us_i18n_choose("ru", "KY", v, 3), 2);
	/* A choice the statement does not have leaves it to the browser. */
	assert_int_equal(us_i18n_choose("ru", "ka", v, 3), 1);
	assert_int_equal(us_i18n_choose("ru;q=0,ky;q=0.1", NULL, v, 3), 2);
	assert_int_equal(us_i18n_choose(NULL, NULL, v, 3), -1);
	assert_int_equal(us_i18n_choose("*", NULL, v, 3), -1);
	assert_int_equal(us_i18n_choose("ru", NULL, v, 0), -1);
}

/* File sizes as a download link gives them, in the real catalogue. */
static void
test_i18n_sizes(void **state)
{
	struct us_error	err;
	struct us_buf	b;

	(void)state;
	if (us_i18n_load(US_I18N_DIR, &err) != US_OK)
		fail_msg("%s", err.message);
	us_buf_init(&b);
	us_i18n_size(&b, "en", 1);
	assert_string_equal(b.data, "1 kB");
	us_buf_reset(&b);
	us_i18n_size(&b, "en", 84001);
	assert_string_equal(b.data, "85 kB");
	us_buf_reset(&b);
	us_i18n_size(&b, "en", 1250000);
	assert_string_equal(b.data, "1.3 MB");
	us_buf_reset(&b);
	us_i18n_size(&b, "ru", 1250000);
	assert_string_equal(b.data, "1,3 МБ");
	us_buf_reset(&b);
	us_i18n_size(&b, "ru", 999);
	assert_string_equal(b.data, "1 КБ");
	us_buf_free(&b);
	us_i18n_unload();
}

/* What ?lang= and the cookie may carry, before anything looks it up. */
static void
test_i18n_tag_shape(void **state)
{
	(void)state;
	assert_true(us_i18n_tag("ru", 2));
	assert_true(us_i18n_tag("ky-KG", 5));
	assert_true(us_i18n_tag("zh-Hant-TW", 10));
	assert_false(us_i18n_tag("", 0));
	assert_false(us_i18n_tag("-ru", 3));
	assert_false(us_i18n_tag("ru-", 3));
	assert_false(us_i18n_tag("ru;q=1", 6));
	assert_false(us_i18n_tag("ru\r\nSet-Cookie", 15));
	assert_false(us_i18n_tag("ru/../x", 7));
	assert_false(us_i18n_tag("abcdefghijklmnop", 16));
	assert_false(us_i18n_tag(NULL, 2));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_i18n_lookup_and_fallback,
		    load, unload),
		cmocka_unit_test_setup_teardown(
		    test_i18n_unknown_language_is_english, load, unload),
		cmocka_unit_test(test_i18n_supported),
		cmocka_unit_test_setup_teardown(test_i18n_russian_plural_forms,
		    load, unload),
		cmocka_unit_test_setup_teardown(
		    test_i18n_english_plural_and_missing_plural, load, unload),
		cmocka_unit_test(test_i18n_negotiate),
		cmocka_unit_test(test_i18n_choose_among_versions),
		cmocka_unit_test(test_i18n_sizes),
		cmocka_unit_test(test_i18n_tag_shape),
		cmocka_unit_test_setup_teardown(test_i18n_dates, load, unload),
		cmocka_unit_test_setup_teardown(
		    test_i18n_is_the_template_translator, load, unload),
		cmocka_unit_test(test_i18n_load_failures_leave_english),
		cmocka_unit_test(test_i18n_real_catalogue),
		cmocka_unit_test_setup_teardown(test_i18n_from_several_threads,
		    load, unload),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
