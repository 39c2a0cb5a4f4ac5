/*
 * us_import_*: signatory lists as coordinators paste them from real
 * joint statements, and CSV files as spreadsheets write them; what each
 * line gives, why a line is refused, what is imported with a guess, the
 * coordinator's corrections, and duplicates.
 */
#include "helpers.h"

#include "core/buf.h"
#include "core/import.h"

#define RU_MO	"/usr/share/locale/ru/LC_MESSAGES/iso_3166-1.mo"

/* One pasted line: the fields it must give, or the reason it is refused. */
struct line_case {
	const char	*in;
	const char	*org;
	const char	*acronym;
	const char	*country;
	const char	*country2;
	const char	*reason;
	const char	*warning;
};

#define OK(in, org, acr, c1, c2)	{ in, org, acr, c1, c2, NULL, NULL }
#define GUESS(in, org, acr, c1, c2, w)	{ in, org, acr, c1, c2, NULL, w }
#define BAD(in, reason)			{ in, NULL, NULL, NULL, NULL, reason, \
					    NULL }
#define NCASES(a)			(sizeof(a) / sizeof(a[0]))

static void	expect_field(const struct us_fields *, const char *,
		    const char *, const char *);
static void	check_cases(const struct line_case *, size_t);
static void	csv(struct us_import *, const char *);
static void	csv_fails(const char *, const char *, const char *);
static void	expect_reject(const struct us_import *, size_t, size_t,
		    const char *);

/* name must be want, or absent when want is NULL. */
static void
expect_field(const struct us_fields *f, const char *name, const char *want,
    const char *in)
{
	const char	*got;

	got = us_fields_get(f, name);
	if (want == NULL && got != NULL)
		fail_msg("\"%s\": %s is \"%s\", want none", in, name, got);
	if (want != NULL && got == NULL)
		fail_msg("\"%s\": no %s, want \"%s\"", in, name, want);
	if (want != NULL && strcmp(got, want) != 0)
		fail_msg("\"%s\": %s is \"%s\", want \"%s\"", in, name, got,
		    want);
}

/* Each line on its own: exactly the fields listed, or one reject. */
static void
check_cases(const struct line_case *c, size_t n)
{
	struct us_import	 imp;
	const struct us_fields	*f;
	size_t			 i, want;

	for (i = 0; i < n; i++) {
		assert_int_equal(us_import_list(&imp, c[i].in,
		    strlen(c[i].in)), US_OK);
		if (c[i].reason != NULL) {
			if (imp.nrows != 0)
				fail_msg("\"%s\" accepted as \"%s\"", c[i].in,
				    us_fields_get(&imp.rows[0].fields,
				    "organisation"));
			assert_int_equal(imp.nrejects, 1);
			assert_int_equal(imp.rejects[0].line, 1);
			assert_string_equal(imp.rejects[0].text, c[i].in);
			if (strcmp(imp.rejects[0].reason, c[i].reason) != 0)
				fail_msg("\"%s\" refused for \"%s\", want "
				    "\"%s\"", c[i].in, imp.rejects[0].reason,
				    c[i].reason);
			us_import_free(&imp);
			continue;
		}
		if (imp.nrows != 1)
			fail_msg("\"%s\" refused: %s", c[i].in,
			    imp.nrejects > 0 ? imp.rejects[0].reason : "?");
		assert_int_equal(imp.nrejects, 0);
		assert_int_equal(imp.rows[0].line, 1);
		assert_string_equal(imp.rows[0].text, c[i].in);
		f = &imp.rows[0].fields;
		expect_field(f, "organisation", c[i].org, c[i].in);
		expect_field(f, "acronym", c[i].acronym, c[i].in);
		expect_field(f, "country", c[i].country, c[i].in);
		expect_field(f, "country2", c[i].country2, c[i].in);
		want = 1 + (c[i].acronym != NULL) + (c[i].country != NULL) +
		    (c[i].country2 != NULL);
		assert_int_equal(f->n, want);
		if (strcmp(imp.rows[0].warning, c[i].warning != NULL ?
		    c[i].warning : "") != 0)
			fail_msg("\"%s\": warning \"%s\", want \"%s\"",
			    c[i].in, imp.rows[0].warning, c[i].warning != NULL ?
			    c[i].warning : "");
		us_import_free(&imp);
		assert_null(imp.rows);
		assert_int_equal(imp.nrows, 0);
	}
}

static void
test_list_numbers_and_bullets(void **state)
{
	static const struct line_case	c[] = {
		OK("12. Human Rights Watch (HRW, USA)", "Human Rights Watch",
		    "HRW", "US", NULL),
		OK("12) Human Rights Watch (HRW, USA)", "Human Rights Watch",
		    "HRW", "US", NULL),
		OK("12 Human Rights Watch (HRW, USA)", "Human Rights Watch",
		    "HRW", "US", NULL),
		OK("1.\tFreedom House (FH, United States)", "Freedom House",
		    "FH", "US", NULL),
		OK("- Crude Accountability (CA, U.S.)", "Crude Accountability",
		    "CA", "US", NULL),
		OK("• Article 19 (ARTICLE 19, UK)", "Article 19", "ARTICLE 19",
		    "GB", NULL),
		OK("•Civil Rights Defenders (CRD, Sweden)",
		    "Civil Rights Defenders", "CRD", "SE", NULL),
		OK("* Italian Federation for Human Rights (FIDU, Italy)",
		    "Italian Federation for Human Rights", "FIDU", "IT", NULL),
		OK("\xc2\xb7\tPeople in Need (PIN, Czech Republic)",
		    "People in Need", "PIN", "CZ", NULL),
		OK("\xef\x82\xb7 Sova Center (Russia)", "Sova Center", NULL,
		    "RU", NULL),
		OK("\xe2\x80\x94 Em Dash Bullet Org", "Em Dash Bullet Org",
		    NULL, NULL, NULL),
		/* Numbers that are part of the name stay. */
		OK("350.org (Germany)", "350.org", NULL, "DE", NULL),
		OK("2024 Elections Watch", "2024 Elections Watch", NULL, NULL,
		    NULL),
		OK("7. 2024 Elections Watch", "2024 Elections Watch", NULL,
		    NULL, NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_details_in_parentheses(void **state)
{
	static const struct line_case	c[] = {
		OK("Norwegian Helsinki Committee", "Norwegian Helsinki "
		    "Committee", NULL, NULL, NULL),
		OK("Public Verdict Foundation (Russia)",
		    "Public Verdict Foundation", NULL, "RU", NULL),
		OK("Human Rights Watch (HRW)", "Human Rights Watch", "HRW",
		    NULL, NULL),
		OK("Human Rights Watch (HRW, USA)", "Human Rights Watch",
		    "HRW", "US", NULL),
		OK("Libereco (Germany, Switzerland)", "Libereco", NULL, "DE",
		    "CH"),
		OK("Netherlands Helsinki Committee (Ukraine/Georgia)",
		    "Netherlands Helsinki Committee", NULL, "UA", "GE"),
		OK("Center for Civil Liberties (CCL, Ukraine/Georgia)",
		    "Center for Civil Liberties", "CCL", "UA", "GE"),
		OK("Center for Civil Liberties (CCL, Ukraine / Georgia)",
		    "Center for Civil Liberties", "CCL", "UA", "GE"),
		OK("Centre (Moscow branch) (CMB, Russia)",
		    "Centre (Moscow branch)", "CMB", "RU", NULL),
		OK("Some Org (ACR; Germany)", "Some Org", "ACR", "DE", NULL),
		GUESS("ADC Memorial (ADC Memorial, Belgium)", "ADC Memorial",
		    "ADC Memorial", "BE", NULL, "\"ADC Memorial\" read as the "
		    "acronym"),
		OK("Some Org (ACR/ABC)", "Some Org", "ACR/ABC", NULL, NULL),
		OK("Some Org ()", "Some Org", NULL, NULL, NULL),
		OK("Some Org (ACR, )", "Some Org", "ACR", NULL, NULL),
		/* A group that is neither acronym nor place is the name's. */
		OK("Centre (Moscow branch)", "Centre (Moscow branch)", NULL,
		    NULL, NULL),
		OK("Committee (in exile)", "Committee (in exile)", NULL, NULL,
		    NULL),
		OK("Centre (Moscow branch, Russia)", "Centre (Moscow branch)",
		    NULL, "RU", NULL),
		/* ISO names with their own comma. */
		OK("Some Org (ACR, Korea, Republic of)", "Some Org", "ACR",
		    "KR", NULL),
		OK("Some Org (Palestine, State of)", "Some Org", NULL, "PS",
		    NULL),
		/* A lone code is an acronym; alpha-3 after one is a place. */
		OK("Some Org (DE)", "Some Org", "DE", NULL, NULL),
		OK("Climate Action Network (CAN)", "Climate Action Network",
		    "CAN", NULL, NULL),
		OK("Some Org (ACR, DEU)", "Some Org", "ACR", "DE", NULL),
		OK("Some Org (US)", "Some Org", NULL, "US", NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_dashes_and_trailing_punctuation(void **state)
{
	static const struct line_case	c[] = {
		OK("Open Steppe – Kyrgyzstan", "Open Steppe", NULL, "KG",
		    NULL),
		OK("Open Steppe — OS — Kyrgyzstan", "Open Steppe", "OS", "KG",
		    NULL),
		OK("Open Steppe — OS — KGZ", "Open Steppe", "OS", "KG", NULL),
		OK("Open Steppe – Ukraine/Georgia", "Open Steppe", NULL, "UA",
		    "GE"),
		OK("Open Steppe – Germany – Switzerland", "Open Steppe", NULL,
		    "DE", "CH"),
		OK("Open Steppe (OS) – Germany", "Open Steppe", "OS", "DE",
		    NULL),
		OK("Open Steppe - Germany", "Open Steppe", NULL, "DE", NULL),
		/* Dashes that are not followed by a country are the name's. */
		OK("Libereco – Partnership for Human Rights (Germany)",
		    "Libereco – Partnership for Human Rights", NULL, "DE",
		    NULL),
		OK("Memorial – Human Rights Centre",
		    "Memorial – Human Rights Centre", NULL, NULL, NULL),
		OK("Memorial – Moscow branch", "Memorial – Moscow branch",
		    NULL, NULL, NULL),
		OK("Open Steppe – GE", "Open Steppe – GE", NULL, NULL, NULL),
		OK("Kyrgyz–Turkish Centre", "Kyrgyz–Turkish Centre", NULL,
		    NULL, NULL),
		OK("Civil Rights Defenders (CRD, Sweden);",
		    "Civil Rights Defenders", "CRD", "SE", NULL),
		OK("Civil Rights Defenders (CRD, Sweden).",
		    "Civil Rights Defenders", "CRD", "SE", NULL),
		OK("Civil Rights Defenders (CRD, Sweden), ",
		    "Civil Rights Defenders", "CRD", "SE", NULL),
		OK("Civil Rights Defenders;", "Civil Rights Defenders", NULL,
		    NULL, NULL),
		/* Periods that belong to abbreviations stay. */
		OK("Verein für Menschenrechte e.V.",
		    "Verein für Menschenrechte e.V.", NULL, NULL, NULL),
		OK("Acme Rights, Inc.", "Acme Rights, Inc.", NULL, NULL, NULL),
		OK("Some Org (ACR, U.S.A.).", "Some Org", "ACR", "US", NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_quotes_and_other_languages(void **state)
{
	static const struct line_case	c[] = {
		OK("Правозащитный центр «Мемориал» (ПЦМ, Россия)",
		    "Правозащитный центр «Мемориал»", "ПЦМ", "RU", NULL),
		OK("Общественное объединение „Справедливость“ (Кыргызстан)",
		    "Общественное объединение „Справедливость“", NULL, "KG",
		    NULL),
		OK("Фонд “Свобода” (КЫРГЫЗСТАН)", "Фонд “Свобода”", NULL, "KG",
		    NULL),
		OK("‘Quoted’ Org (QO, Armenia)", "‘Quoted’ Org", "QO", "AM",
		    NULL),
		OK("Центр (ЦПЧ, Соединенные Штаты)", "Центр", "ЦПЧ", "US",
		    NULL),
		OK("Центр (ЦПЧ, Соединённые Штаты)", "Центр", "ЦПЧ", "US",
		    NULL),
		OK("Центр (Беларусь/Литва)", "Центр", NULL, "BY", "LT"),
		OK("Центр – Киргизия", "Центр", NULL, "KG", NULL),
		OK("Some Org (Côte d’Ivoire)", "Some Org", NULL, "CI", NULL),
		OK("Some Org (ACR, Türkiye)", "Some Org", "ACR", "TR", NULL),
		OK("Some Org (ACR, Turkey)", "Some Org", "ACR", "TR", NULL),
		OK("Some Org (Kosovo)", "Some Org", NULL, "XK", NULL),
		OK("Some Org (Косово)", "Some Org", NULL, "XK", NULL),
		OK("Some Org (the Netherlands)", "Some Org", NULL, "NL", NULL),
		OK("Some Org (Burma)", "Some Org", NULL, "MM", NULL),
		GUESS("Some Org (England)", "Some Org", NULL, "GB", NULL,
		    "\"England\" read as the country United Kingdom"),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_rejects_with_reasons(void **state)
{
	static const struct line_case	c[] = {
		BAD("12. (ACR, Germany)", "no organisation name"),
		BAD("(HRW)", "no organisation name"),
		BAD("12.", "no organisation name"),
		BAD("- ;", "no organisation name"),
		BAD("Name (ACR, Germany", "unbalanced parentheses: every \"(\" "
		    "needs its \")\""),
		BAD("Name ACR, Germany)", "unbalanced parentheses: every \"(\" "
		    "needs its \")\""),
		BAD("Name (ACR, Germany))", "unbalanced parentheses: every "
		    "\"(\" needs its \")\""),
		BAD("Name (ACR, Atlantis)", "unknown country \"Atlantis\""),
		BAD("Name (ACR, Berlin, Germany)",
		    "unknown country \"Berlin\""),
		BAD("Name (ACR, Germany, Atlantis)",
		    "unknown country \"Atlantis\""),
		BAD("Name (Ukraine/Atlantis)", "unknown country \"Atlantis\""),
		BAD("Name (Germany, ACR)", "unknown country \"ACR\""),
		BAD("Name – Atlantis", "unknown country \"Atlantis\""),
		BAD("Name — ACR — Transnistria",
		    "unknown country \"Transnistria\""),
		BAD("Name (HRW, HR)", "unknown country \"HR\": write the "
		    "country's name (\"Croatia\"?) rather than a two-letter "
		    "code"),
		BAD("Name (Germany, Switzerland, Austria)", "more than two "
		    "countries (at most two may be given)"),
		BAD("Name (ACR, Norway/Switzerland/Georgia)", "more than two "
		    "countries (at most two may be given)"),
		BAD("Signed by:", "not an organisation: a heading?"),
		BAD("Signatories", "not an organisation: a heading?"),
		BAD("List of signatories:", "not an organisation: a heading?"),
		BAD("Подписали:", "not an organisation: a heading?"),
		BAD("Организации-подписанты", "not an organisation: a "
		    "heading?"),
		BAD("Kyrgyzstan", "not an organisation: a heading?"),
		BAD("Российская Федерация", "not an organisation: a heading?"),
		BAD("• the Netherlands", "not an organisation: a heading?"),
		BAD("Name \x01 (DE)", "contains a control character"),
		BAD("Name \xe2\x80\xae (DE)", "contains a character that "
		    "reverses the direction of text (U+202A-U+202E, "
		    "U+2066-U+2069)"),
		BAD("Name (A, B, C, D, E, F, G, H, I)", "too many parts in the "
		    "parentheses (expected: acronym, country)"),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_reason_quotes_are_cut_whole(void **state)
{
	static const struct line_case	c[] = {
		BAD("Org (ACR, Ааааааааааааааааааааааааа"
		    "ааааааааааааааааааааааааа)",
		    "unknown country \"Аааааааааааааааааааа"
		    "аааааааааааааааааааа…\""),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

static void
test_list_reads_russian_catalogue_names(void **state)
{
	static const struct line_case	c[] = {
		OK("Центр (ЦПЧ, Федеративная Республика Германия)", "Центр",
		    "ЦПЧ", "DE", NULL),
		OK("Центр (Королевство Нидерландов)", "Центр", NULL, "NL",
		    NULL),
	};
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	if (!us_country_load_lang("ru", RU_MO, &err))
		fail_msg("%s", err.message);
	check_cases(c, NCASES(c));
	if (!us_country_load(US_COUNTRY_JSON, &err))
		fail_msg("%s", err.message);
}

/* Issue 10: the lines a coordinator pasted that were misread. */
static void
test_list_issue_lines(void **state)
{
	static const struct line_case	c[] = {
		OK("Amnesty International (International)",
		    "Amnesty International", NULL, NULL, NULL),
		OK("Public Verdict Foundation, Russia",
		    "Public Verdict Foundation", NULL, "RU", NULL),
		OK("Human Rights House Foundation (HRHF), Norway",
		    "Human Rights House Foundation", "HRHF", "NO", NULL),
		OK("Netherlands Helsinki Committee (NHC), the Netherlands",
		    "Netherlands Helsinki Committee", "NHC", "NL", NULL),
		OK("Институт «Медиа Полиси», Кыргызстан",
		    "Институт «Медиа Полиси»", NULL, "KG", NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

/* ", Country" after the name, and what a comma does not make a country. */
static void
test_list_trailing_country_after_a_comma(void **state)
{
	static const struct line_case	c[] = {
		OK("Crude Accountability, USA", "Crude Accountability", NULL,
		    "US", NULL),
		OK("English PEN, UK", "English PEN", NULL, "GB", NULL),
		OK("Freedom House, United States", "Freedom House", NULL, "US",
		    NULL),
		OK("Promo-LEX Association, Republic of Moldova",
		    "Promo-LEX Association", NULL, "MD", NULL),
		OK("Human Rights Movement “Bir Duino-Kyrgyzstan”, Kyrgyz "
		    "Republic", "Human Rights Movement “Bir Duino-Kyrgyzstan”",
		    NULL, "KG", NULL),
		OK("People in Need (PIN), Czechia", "People in Need", "PIN",
		    "CZ", NULL),
		OK("Libereco, Germany, Switzerland", "Libereco", NULL, "DE",
		    "CH"),
		OK("Center for Civil Liberties (CCL), Ukraine/Georgia",
		    "Center for Civil Liberties", "CCL", "UA", "GE"),
		OK("Women of the Don, Russia;", "Women of the Don", NULL, "RU",
		    NULL),
		OK("Article 19 (International), UK", "Article 19", NULL, "GB",
		    NULL),
		OK("Sova Center (Russia), Russia", "Sova Center", NULL, "RU",
		    NULL),
		OK("Правозащитный центр «Мемориал», Российская Федерация",
		    "Правозащитный центр «Мемориал»", NULL, "RU", NULL),
		/* Not a country: the comma is the name's. */
		OK("Acme Rights, Inc.", "Acme Rights, Inc.", NULL, NULL, NULL),
		OK("Viasna, Minsk", "Viasna, Minsk", NULL, NULL, NULL),
		OK("Women, Peace and Security Network",
		    "Women, Peace and Security Network", NULL, NULL, NULL),
		BAD(", Russia", "no organisation name"),
		BAD("Nordic Org (Norway, Sweden), Denmark", "more than two "
		    "countries (at most two may be given)"),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

/* A last parenthesis that says the organisation's scope is no acronym. */
static void
test_list_scope_words_are_not_acronyms(void **state)
{
	static const struct line_case	c[] = {
		OK("Front Line Defenders (Global)", "Front Line Defenders",
		    NULL, NULL, NULL),
		OK("CIVICUS (global)", "CIVICUS", NULL, NULL, NULL),
		OK("Crude Accountability (CA, International)",
		    "Crude Accountability", "CA", NULL, NULL),
		OK("Asian Forum (Regional)", "Asian Forum", NULL, NULL, NULL),
		OK("FIDH – International Federation for Human Rights "
		    "(International)", "FIDH – International Federation for "
		    "Human Rights", NULL, NULL, NULL),
		OK("Международная Амнистия (Международная)",
		    "Международная Амнистия", NULL, NULL, NULL),
		OK("Сеть «Солидарность» (Региональная)",
		    "Сеть «Солидарность»", NULL, NULL, NULL),
		OK("Фонд (ФС, Международный)", "Фонд", "ФС", NULL, NULL),
		OK("Natural Justice (International, South Africa)",
		    "Natural Justice", NULL, "ZA", NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

/* Country names in the UI's languages and the aliases lists use. */
static void
test_list_country_aliases(void **state)
{
	static const struct {
		const char	*name;
		const char	*code;
	} a[] = {
		{ "Kyrgyzstan", "KG" }, { "Kyrgyz Republic", "KG" },
		{ "Кыргызстан", "KG" }, { "Киргизия", "KG" },
		{ "Netherlands", "NL" }, { "the Netherlands", "NL" },
		{ "Нидерланды", "NL" }, { "Russia", "RU" },
		{ "Russian Federation", "RU" }, { "Россия", "RU" },
		{ "Российская Федерация", "RU" }, { "Moldova", "MD" },
		{ "Republic of Moldova", "MD" }, { "Молдова", "MD" },
		{ "Belarus", "BY" }, { "Беларусь", "BY" },
		{ "UK", "GB" }, { "United Kingdom", "GB" },
		{ "Великобритания", "GB" }, { "USA", "US" },
		{ "United States", "US" }, { "США", "US" },
		{ "Czechia", "CZ" }, { "Czech Republic", "CZ" },
		{ "Чехия", "CZ" }, { "Türkiye", "TR" }, { "Turkey", "TR" },
		{ "Турция", "TR" }, { "Georgia", "GE" }, { "Грузия", "GE" },
		{ "Kazakhstan", "KZ" }, { "Казахстан", "KZ" },
		{ "Ukraine", "UA" }, { "Украина", "UA" },
	};
	struct line_case	c;
	char			line[200];
	size_t			i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.in = line;
	c.org = "Some Org";
	for (i = 0; i < NCASES(a); i++) {
		c.country = a[i].code;
		(void)snprintf(line, sizeof(line), "Some Org (%s)", a[i].name);
		check_cases(&c, 1);
		(void)snprintf(line, sizeof(line), "Some Org, %s", a[i].name);
		check_cases(&c, 1);
		(void)snprintf(line, sizeof(line), "Some Org – %s", a[i].name);
		check_cases(&c, 1);
	}
}

/* Lines imported with a guess carry a warning a person should read. */
static void
test_list_guesses_are_warnings(void **state)
{
	static const struct line_case	c[] = {
		GUESS("Women's Initiatives (Holland)", "Women's Initiatives",
		    NULL, "NL", NULL, "\"Holland\" read as the country "
		    "Netherlands"),
		GUESS("Scottish Org, Scotland", "Scottish Org", NULL, "GB",
		    NULL, "\"Scotland\" read as the country United Kingdom"),
		GUESS("Moscow Helsinki Group (Moscow Helsinki)",
		    "Moscow Helsinki Group", "Moscow Helsinki", NULL, NULL,
		    "\"Moscow Helsinki\" read as the acronym"),
		GUESS("Org (n-ost, Germany)", "Org", "n-ost", "DE", NULL,
		    "\"n-ost\" read as the acronym"),
		OK("Human Rights Watch (HRW)", "Human Rights Watch", "HRW",
		    NULL, NULL),
		OK("Центр (ЦПЧ)", "Центр", "ЦПЧ", NULL, NULL),
	};

	(void)state;
	check_cases(c, NCASES(c));
}

/* A list shaped like the "Signed by" of real joint statements. */
static void
test_list_a_real_sign_on_letter(void **state)
{
	static const char	in[] =
	    "Signed by:\n"
	    "1. Amnesty International (International)\n"
	    "2. Public Verdict Foundation, Russia\n"
	    "3. Human Rights House Foundation (HRHF), Norway\n"
	    "4. Netherlands Helsinki Committee (NHC), the Netherlands\n"
	    "5. Институт «Медиа Полиси», Кыргызстан\n"
	    "6. Helsinki Foundation for Human Rights (HFHR, Poland)\n"
	    "7) Civil Rights Defenders (CRD), Sweden\n"
	    "8) Libereco – Partnership for Human Rights (Germany, "
	    "Switzerland)\n"
	    "9) Center for Civil Liberties (Ukraine/Georgia)\n"
	    "• Freedom Now (USA)\n"
	    "• Crude Accountability\n"
	    "– Norwegian Helsinki Committee, Norway\n"
	    "10. HRW\n"
	    "11. Kazakhstan International Bureau for Human Rights and Rule "
	    "of Law (KIBHR), Kazakhstan\n"
	    "12. Правозащитный центр «Мемориал» (Россия)\n"
	    "13. Общественный фонд “Справедливость” (Кыргызская Республика)\n"
	    "14. Promo-LEX Association, Republic of Moldova\n"
	    "15. Правозащитный центр «Вясна» (Беларусь)\n"
	    "16. International Partnership for Human Rights (IPHR), "
	    "Belgium\n"
	    "17. People in Need (PIN), Czechia\n"
	    "18. Truth Hounds (Ukraine)\n"
	    "19. Human Rights Foundation of Turkey (Türkiye)\n"
	    "20. English PEN, UK\n"
	    "21. Freedom House, United States\n"
	    "22.\tBroken Org (ACR, Germany\n"
	    "23. Name (ACR, Atlantis)\n"
	    "24. (HRW, USA)\n"
	    "25. Nordic Org (Norway, Sweden, Denmark)\n"
	    "26. Asian Forum for Human Rights (FORUM-ASIA, Regional)\n";
	static const struct {
		size_t		 line;
		const char	*org;
		const char	*acronym;
		const char	*country;
		const char	*country2;
	} want[] = {
		{ 2, "Amnesty International", NULL, NULL, NULL },
		{ 3, "Public Verdict Foundation", NULL, "RU", NULL },
		{ 4, "Human Rights House Foundation", "HRHF", "NO", NULL },
		{ 5, "Netherlands Helsinki Committee", "NHC", "NL", NULL },
		{ 6, "Институт «Медиа Полиси»", NULL, "KG", NULL },
		{ 7, "Helsinki Foundation for Human Rights", "HFHR", "PL",
		    NULL },
		{ 8, "Civil Rights Defenders", "CRD", "SE", NULL },
		{ 9, "Libereco – Partnership for Human Rights", NULL, "DE",
		    "CH" },
		{ 10, "Center for Civil Liberties", NULL, "UA", "GE" },
		{ 11, "Freedom Now", NULL, "US", NULL },
		{ 12, "Crude Accountability", NULL, NULL, NULL },
		{ 13, "Norwegian Helsinki Committee", NULL, "NO", NULL },
		{ 14, "HRW", NULL, NULL, NULL },
		{ 15, "Kazakhstan International Bureau for Human Rights and "
		    "Rule of Law", "KIBHR", "KZ", NULL },
		{ 16, "Правозащитный центр «Мемориал»", NULL, "RU", NULL },
		{ 17, "Общественный фонд “Справедливость”", NULL, "KG", NULL },
		{ 18, "Promo-LEX Association", NULL, "MD", NULL },
		{ 19, "Правозащитный центр «Вясна»", NULL, "BY", NULL },
		{ 20, "International Partnership for Human Rights", "IPHR",
		    "BE", NULL },
		{ 21, "People in Need", "PIN", "CZ", NULL },
		{ 22, "Truth Hounds", NULL, "UA", NULL },
		{ 23, "Human Rights Foundation of Turkey", NULL, "TR", NULL },
		{ 24, "English PEN", NULL, "GB", NULL },
		{ 25, "Freedom House", NULL, "US", NULL },
		{ 30, "Asian Forum for Human Rights", "FORUM-ASIA", NULL,
		    NULL },
	};
	struct us_import	 imp;
	const struct us_fields	*f;
	size_t			 i;

	(void)state;
	assert_int_equal(us_import_list(&imp, in, sizeof(in) - 1), US_OK);
	assert_int_equal(imp.nrows, NCASES(want));
	for (i = 0; i < NCASES(want); i++) {
		f = &imp.rows[i].fields;
		assert_int_equal(imp.rows[i].line, want[i].line);
		expect_field(f, "organisation", want[i].org, imp.rows[i].text);
		expect_field(f, "acronym", want[i].acronym, imp.rows[i].text);
		expect_field(f, "country", want[i].country, imp.rows[i].text);
		expect_field(f, "country2", want[i].country2,
		    imp.rows[i].text);
		assert_string_equal(imp.rows[i].warning, "");
	}
	assert_int_equal(imp.nrejects, 5);
	expect_reject(&imp, 0, 1, "not an organisation: a heading?");
	expect_reject(&imp, 1, 26, "unbalanced parentheses: every \"(\" "
	    "needs its \")\"");
	expect_reject(&imp, 2, 27, "unknown country \"Atlantis\"");
	expect_reject(&imp, 3, 28, "no organisation name");
	expect_reject(&imp, 4, 29, "more than two countries (at most two "
	    "may be given)");
	us_import_free(&imp);
}

/* Parses in as a list, validated, and checked against known. */
static void
dupes(struct us_import *imp, const char *in,
    const struct us_import_known *known, size_t nknown)
{
	assert_int_equal(us_import_list(imp, in, strlen(in)), US_OK);
	us_import_validate(imp);
	us_import_dupes(imp, known, nknown);
}

static void
test_dupes_against_the_list_and_other_lines(void **state)
{
	static const struct us_import_known	known[] = {
		{ "Human Rights House Foundation", NULL, "HRHF", "NO", NULL,
		    "https://humanrightshouse.org/" },
		{ "Правозащитный центр \"Мемориал\"", NULL, NULL, "RU", NULL,
		    NULL },
		{ "Crude Accountability Inc", "Crude Accountability", "CA",
		    "US", NULL, NULL },
		{ "Climate Action Network", NULL, "CAN", "DE", NULL, NULL },
		{ "Human Rights Centre", NULL, NULL, "GE", NULL, NULL },
	};
	struct us_import	imp;

	(void)state;
	dupes(&imp,
	    "1. Helsinki Foundation for Human Rights (HFHR), Poland\n"
	    "2. Human Rights House Foundation (HRHF), Norway\n"
	    "3. HRHF (Norway)\n"
	    "4. Правозащитный центр «Мемориал» (Россия)\n"
	    "5. crude accountability, USA\n"
	    "6. Climate Action Network Canada (CAN, Canada)\n"
	    "7. Helsinki Foundation for Human Rights, Poland\n"
	    "8. HFHR\n"
	    "9. House of Rights (Georgia)\n"
	    "10. Human Rights Centre (Armenia)\n"
	    "11. Human Rights Centre\n",
	    known, NCASES(known));
	assert_int_equal(imp.nrows, 11);
	/* HFHR is not HRHF: look-alike acronyms are two organisations. */
	assert_null(imp.rows[0].dup_of);
	assert_true(us_import_wanted(&imp.rows[0]));
	assert_string_equal(imp.rows[1].dup_of,
	    "Human Rights House Foundation (HRHF)");
	assert_int_equal(imp.rows[1].dup_line, 0);
	assert_false(us_import_wanted(&imp.rows[1]));
	assert_string_equal(imp.rows[2].dup_of,
	    "Human Rights House Foundation (HRHF)");
	assert_string_equal(imp.rows[3].dup_of,
	    "Правозащитный центр \"Мемориал\"");
	assert_string_equal(imp.rows[4].dup_of, "Crude Accountability (CA)");
	/* The same acronym in another country is another organisation. */
	assert_null(imp.rows[5].dup_of);
	/* Within the paste: the later line repeats the earlier one. */
	assert_string_equal(imp.rows[6].dup_of,
	    "Helsinki Foundation for Human Rights (HFHR)");
	assert_int_equal(imp.rows[6].dup_line, 1);
	assert_int_equal(imp.rows[7].dup_line, 1);
	assert_null(imp.rows[8].dup_of);
	assert_true(us_import_wanted(&imp.rows[8]));
	/* One name in two countries is two organisations. */
	assert_null(imp.rows[9].dup_of);
	assert_string_equal(imp.rows[10].dup_of, "Human Rights Centre");
	us_import_free(&imp);
}

static void
test_dupes_by_website_and_kept_on_request(void **state)
{
	static const struct us_import_known	known[] = {
		{ "Open Steppe", NULL, NULL, "KG", NULL,
		    "https://www.OpenSteppe.kg/about" },
	};
	struct us_import	imp;

	(void)state;
	csv(&imp, "organisation,country,website\n"
	    "Открытая степь,Kyrgyzstan,http://opensteppe.kg\n"
	    "Steppe Watch,Kyrgyzstan,https://steppewatch.kg\n"
	    "Steppe Watch Kyrgyzstan,Kyrgyzstan,https://steppewatch.kg/en\n");
	us_import_validate(&imp);
	assert_int_equal(imp.nrows, 3);
	/* The coordinator keeps line 4 although it repeats line 3. */
	assert_int_equal(us_import_fix(&imp, 4, "Steppe Watch Kyrgyzstan",
	    "", "Kyrgyzstan", US_IMPORT_KEEP_YES), US_OK);
	us_import_validate(&imp);
	us_import_dupes(&imp, known, NCASES(known));
	assert_string_equal(imp.rows[0].dup_of, "Open Steppe");
	assert_false(us_import_wanted(&imp.rows[0]));
	assert_null(imp.rows[1].dup_of);
	assert_int_equal(imp.rows[2].dup_line, 3);
	assert_true(us_import_wanted(&imp.rows[2]));
	us_import_free(&imp);
}

/* The coordinator's corrections of names, acronyms, countries, drops. */
static void
test_fix_rows_and_rejected_lines(void **state)
{
	struct us_import	 imp;
	const struct us_fields	*f;
	static const char	 in[] =
	    "1. Moscow Helsinki Group (Moscow Helsinki)\n"
	    "2. Name (ACR, Atlantis)\n"
	    "3. Keep Me (KM, Germany)\n"
	    "4. Drop Me (Germany)\n"
	    "5. Bad Fix (Germany)\n";

	(void)state;
	assert_int_equal(us_import_list(&imp, in, sizeof(in) - 1), US_OK);
	assert_int_equal(imp.nrows, 4);
	assert_int_equal(imp.nrejects, 1);
	assert_int_equal(us_import_fix(&imp, 1, "Moscow Helsinki Group",
	    "MHG", "Russia", US_IMPORT_KEEP_YES), US_OK);
	assert_int_equal(us_import_fix(&imp, 2, "Name", "ACR",
	    "Moldova/Romania", US_IMPORT_KEEP_YES), US_OK);
	assert_int_equal(us_import_fix(&imp, 4, "Drop Me", "", "Germany",
	    US_IMPORT_KEEP_NO), US_OK);
	assert_int_equal(us_import_fix(&imp, 5, "Bad Fix", "", "Atlantis",
	    US_IMPORT_KEEP_YES), US_OK);
	assert_int_equal(us_import_fix(&imp, 9, "Nowhere", "", "",
	    US_IMPORT_KEEP_YES), US_FAIL);
	us_import_validate(&imp);
	us_import_dupes(&imp, NULL, 0);
	assert_int_equal(imp.nrows, 4);
	f = &imp.rows[0].fields;
	assert_string_equal(us_fields_get(f, "acronym"), "MHG");
	assert_string_equal(us_fields_get(f, "country"), "RU");
	assert_string_equal(imp.rows[0].warning, "");
	assert_true(imp.rows[0].fixed);
	/* The rescued line takes its place in the order of the input. */
	assert_int_equal(imp.rows[1].line, 2);
	assert_true(imp.rows[1].fixed);
	f = &imp.rows[1].fields;
	assert_string_equal(us_fields_get(f, "organisation"), "Name");
	assert_string_equal(us_fields_get(f, "country"), "MD");
	assert_string_equal(us_fields_get(f, "country2"), "RO");
	assert_string_equal(imp.rows[1].text, "2. Name (ACR, Atlantis)");
	assert_false(imp.rows[2].fixed);
	assert_true(us_import_wanted(&imp.rows[2]));
	assert_int_equal(imp.rows[3].line, 4);
	assert_false(us_import_wanted(&imp.rows[3]));
	assert_int_equal(imp.nrejects, 1);
	expect_reject(&imp, 0, 5, "unknown country \"Atlantis\"");
	us_import_free(&imp);
}

/* Ticking or unticking a line alone keeps what was read, and its guess. */
static void
test_fix_keep_alone_changes_nothing_else(void **state)
{
	struct us_import	imp;
	static const char	in[] = "Org (n-ost, Germany)\n";

	(void)state;
	assert_int_equal(us_import_list(&imp, in, sizeof(in) - 1), US_OK);
	assert_int_equal(us_import_fix(&imp, 1, NULL, NULL, NULL,
	    US_IMPORT_KEEP_NO), US_OK);
	assert_false(imp.rows[0].fixed);
	assert_string_equal(imp.rows[0].warning, "\"n-ost\" read as the "
	    "acronym");
	assert_string_equal(us_fields_get(&imp.rows[0].fields, "acronym"),
	    "n-ost");
	us_import_dupes(&imp, NULL, 0);
	assert_false(us_import_wanted(&imp.rows[0]));
	us_import_free(&imp);
}

/* The same text with other line ends has the same digest. */
static void
test_digest_ignores_line_ends(void **state)
{
	char	a[US_IMPORT_DIGEST_HEX], b[US_IMPORT_DIGEST_HEX];
	char	c[US_IMPORT_DIGEST_HEX];

	(void)state;
	us_import_digest("a\nb\n", 4, a);
	us_import_digest("a\r\nb\r", 5, b);
	us_import_digest("a\nc\n", 4, c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 64);
}

/* The signature rules run on each row: a bad email makes a reject. */
static void
test_validate_moves_bad_rows_to_rejects(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "organisation,email\nGood,a@example.org\nBad,not-an-email\n"
	    "Also Good,\n");
	us_import_validate(&imp);
	assert_int_equal(imp.nrows, 2);
	assert_int_equal(imp.rows[1].line, 4);
	assert_int_equal(imp.nrejects, 1);
	assert_int_equal(imp.rejects[0].line, 3);
	assert_true(strstr(imp.rejects[0].reason, "mail") != NULL);
	us_import_free(&imp);
}

/* A whole pasted statement: line numbers, blank lines, CR LF and CR. */
static void
test_list_whole_paste_keeps_lines_and_order(void **state)
{
	static const char	in[] =
	    "Signed by:\r\n"
	    "\r\n"
	    "1. Human Rights Watch (HRW, USA)\r\n"
	    "2. (ACR, Germany)\r\n"
	    "   \r\n"
	    "3. Open Steppe — OS — Kyrgyzstan\r"
	    "4. Name (ACR, Atlantis)\n"
	    "5. Центр (Россия);\n";
	struct us_import	imp;

	(void)state;
	assert_int_equal(us_import_list(&imp, in, sizeof(in) - 1), US_OK);
	assert_int_equal(imp.nrows, 3);
	assert_int_equal(imp.rows[0].line, 3);
	assert_string_equal(imp.rows[0].text,
	    "1. Human Rights Watch (HRW, USA)");
	assert_string_equal(us_fields_get(&imp.rows[0].fields, "organisation"),
	    "Human Rights Watch");
	assert_int_equal(imp.rows[1].line, 6);
	assert_string_equal(us_fields_get(&imp.rows[1].fields, "acronym"),
	    "OS");
	assert_int_equal(imp.rows[2].line, 8);
	assert_string_equal(imp.rows[2].text, "5. Центр (Россия);");
	assert_string_equal(us_fields_get(&imp.rows[2].fields, "country"),
	    "RU");
	assert_int_equal(imp.nrejects, 3);
	expect_reject(&imp, 0, 1, "not an organisation: a heading?");
	expect_reject(&imp, 1, 4, "no organisation name");
	assert_string_equal(imp.rejects[1].text, "2. (ACR, Germany)");
	expect_reject(&imp, 2, 7, "unknown country \"Atlantis\"");
	us_import_free(&imp);

	assert_int_equal(us_import_list(&imp, "", 0), US_OK);
	assert_int_equal(imp.nrows + imp.nrejects, 0);
	us_import_free(&imp);
	assert_int_equal(us_import_list(&imp, "\n\r\n \n", 4), US_OK);
	assert_int_equal(imp.nrows + imp.nrejects, 0);
	us_import_free(&imp);
}

static void
test_list_rejects_bad_bytes_and_shows_them_safely(void **state)
{
	static const char	in[] = "Good (DE)\nBad \xff\xfe (DE)\n"
				    "Nul \0 x\nAlso good\n";
	struct us_import	imp;

	(void)state;
	assert_int_equal(us_import_list(&imp, in, sizeof(in) - 1), US_OK);
	assert_int_equal(imp.nrows, 2);
	assert_int_equal(imp.rows[1].line, 4);
	assert_int_equal(imp.nrejects, 2);
	expect_reject(&imp, 0, 2, "not valid UTF-8 text (was it copied from "
	    "a file in another encoding?)");
	assert_string_equal(imp.rejects[0].text,
	    "Bad \xef\xbf\xbd\xef\xbf\xbd (DE)");
	expect_reject(&imp, 1, 3, "contains a control character");
	assert_string_equal(imp.rejects[1].text, "Nul \xef\xbf\xbd x");
	us_import_free(&imp);
}

static void
test_list_limits_name_and_line_length(void **state)
{
	struct us_import	 imp;
	char			*line;
	size_t			 i;

	(void)state;
	line = malloc(8000);
	assert_non_null(line);
	/* 300 characters in 600 bytes is within the limit. */
	for (i = 0; i < 300; i++)
		memcpy(line + 2 * i, "Ж", 2);
	(void)strcpy(line + 600, " (DE)");
	assert_int_equal(us_import_list(&imp, line, strlen(line)), US_OK);
	assert_int_equal(imp.nrows, 1);
	assert_int_equal(strlen(us_fields_get(&imp.rows[0].fields,
	    "organisation")), 600);
	us_import_free(&imp);

	memcpy(line + 600, "Ж (DE)", 8);
	assert_int_equal(us_import_list(&imp, line, strlen(line)), US_OK);
	assert_int_equal(imp.nrows, 0);
	expect_reject(&imp, 0, 1, "the organisation name is too long "
	    "(301 characters, at most 300)");
	us_import_free(&imp);

	memset(line, 'a', 4001);
	assert_int_equal(us_import_list(&imp, line, 4001), US_OK);
	expect_reject(&imp, 0, 1, "the line is too long (4001 bytes, at most "
	    "4000)");
	assert_int_equal(strlen(imp.rejects[0].text), 4001);
	us_import_free(&imp);
	free(line);
}

/* Enough lines to grow the arrays many times, each in its place. */
static void
test_list_many_lines_keep_their_numbers(void **state)
{
	struct us_import	 imp;
	struct us_buf		 b;
	char			 want[64];
	size_t			 i, r = 0, j = 0;

	(void)state;
	us_buf_init(&b);
	for (i = 1; i <= 1000; i++) {
		if (i % 7 == 0)
			us_buf_appendf(&b, "%zu. (ACR, Germany)\n", i);
		else
			us_buf_appendf(&b, "%zu. Org %zu (O%zu, Germany)\n", i,
			    i, i);
	}
	assert_int_equal(us_import_list(&imp, b.data, b.len), US_OK);
	assert_int_equal(imp.nrows, 1000 - 142);
	assert_int_equal(imp.nrejects, 142);
	for (i = 1; i <= 1000; i++) {
		if (i % 7 == 0) {
			assert_int_equal(imp.rejects[j++].line, i);
			continue;
		}
		assert_int_equal(imp.rows[r].line, i);
		(void)snprintf(want, sizeof(want), "Org %zu", i);
		assert_string_equal(us_fields_get(&imp.rows[r].fields,
		    "organisation"), want);
		r++;
	}
	us_import_free(&imp);
	us_buf_free(&b);
}

static void
expect_reject(const struct us_import *imp, size_t i, size_t line,
    const char *reason)
{
	if (i >= imp->nrejects)
		fail_msg("no reject %zu (%zu rejects)", i, imp->nrejects);
	assert_int_equal(imp->rejects[i].line, line);
	assert_string_equal(imp->rejects[i].reason, reason);
}

/* Parses s as CSV, which must succeed as a file. */
static void
csv(struct us_import *imp, const char *s)
{
	struct us_error	err;

	us_error_clear(&err);
	if (!us_import_csv(imp, s, strlen(s), &err))
		fail_msg("CSV refused: %s", err.message);
	assert_int_equal(err.kind, US_E_NONE);
}

static void
csv_fails(const char *s, const char *code, const char *message)
{
	struct us_import	imp;
	struct us_error		err;

	us_error_clear(&err);
	assert_int_equal(us_import_csv(&imp, s, strlen(s), &err), US_FAIL);
	assert_int_equal(err.kind, US_E_INVALID);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.code, code);
	assert_string_equal(err.message, message);
	assert_null(imp.rows);
	assert_null(imp.rejects);
	us_import_free(&imp);
}

static void
test_csv_comma_with_quotes_and_crlf(void **state)
{
	struct us_import	 imp;
	const struct us_fields	*f;

	(void)state;
	csv(&imp,
	    "Organisation,Acronym,Country,Website,Contact name,Role,Email,"
	    "Comment,Visibility\r\n"
	    "\"Amnesty International, UK Section\",AIUK,UK,amnesty.org.uk,"
	    "Jane Doe,Director,jane@example.org,\"She said \"\"yes\"\"\","
	    "named\r\n"
	    "  Open Steppe  , OS ,kg, , , , , ,counted\r\n");
	assert_int_equal(imp.nrejects, 0);
	assert_int_equal(imp.nrows, 2);
	f = &imp.rows[0].fields;
	assert_int_equal(imp.rows[0].line, 2);
	assert_string_equal(us_fields_get(f, "organisation"),
	    "Amnesty International, UK Section");
	assert_string_equal(us_fields_get(f, "acronym"), "AIUK");
	assert_string_equal(us_fields_get(f, "country"), "GB");
	assert_string_equal(us_fields_get(f, "website"), "amnesty.org.uk");
	assert_string_equal(us_fields_get(f, "contact_name"), "Jane Doe");
	assert_string_equal(us_fields_get(f, "contact_role"), "Director");
	assert_string_equal(us_fields_get(f, "email"), "jane@example.org");
	assert_string_equal(us_fields_get(f, "comment"), "She said \"yes\"");
	assert_string_equal(us_fields_get(f, "visibility"), "named");
	assert_int_equal(f->n, 9);
	assert_string_equal(imp.rows[0].text,
	    "\"Amnesty International, UK Section\",AIUK,UK,amnesty.org.uk,"
	    "Jane Doe,Director,jane@example.org,\"She said \"\"yes\"\"\","
	    "named");
	/* Cells are trimmed; empty ones are absent; a code is fine here. */
	f = &imp.rows[1].fields;
	assert_int_equal(imp.rows[1].line, 3);
	assert_string_equal(us_fields_get(f, "organisation"), "Open Steppe");
	assert_string_equal(us_fields_get(f, "acronym"), "OS");
	assert_string_equal(us_fields_get(f, "country"), "KG");
	assert_string_equal(us_fields_get(f, "visibility"), "counted");
	assert_null(us_fields_get(f, "website"));
	assert_int_equal(f->n, 4);
	us_import_free(&imp);
}

static void
test_csv_semicolon_bom_and_newlines_in_quotes(void **state)
{
	struct us_import	 imp;
	const struct us_fields	*f;

	(void)state;
	csv(&imp,
	    "\xef\xbb\xbf" "Organization;Country;Comments;E-mail\n"
	    "\"Civil Rights Defenders\";Sweden;\"First line\n"
	    "second line\r\nthird\";crd@example.org\n"
	    "\"Human Rights\n"
	    "Watch\";\"Germany; Switzerland\";;\n"
	    "Libereco;DEU;;\n");
	assert_int_equal(imp.nrejects, 0);
	assert_int_equal(imp.nrows, 3);
	f = &imp.rows[0].fields;
	assert_int_equal(imp.rows[0].line, 2);
	assert_string_equal(us_fields_get(f, "organisation"),
	    "Civil Rights Defenders");
	assert_string_equal(us_fields_get(f, "country"), "SE");
	/* A comment keeps its lines (CR LF as LF); other cells join them. */
	assert_string_equal(us_fields_get(f, "comment"),
	    "First line\nsecond line\nthird");
	assert_string_equal(us_fields_get(f, "email"), "crd@example.org");
	f = &imp.rows[1].fields;
	assert_int_equal(imp.rows[1].line, 5);
	assert_string_equal(us_fields_get(f, "organisation"),
	    "Human Rights Watch");
	assert_string_equal(us_fields_get(f, "country"), "DE");
	assert_string_equal(us_fields_get(f, "country2"), "CH");
	assert_int_equal(imp.rows[2].line, 7);
	assert_string_equal(us_fields_get(&imp.rows[2].fields, "country"),
	    "DE");
	us_import_free(&imp);
}

static void
test_csv_tab_delimited(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "name\temail\tcountry\n"
	    "Open Steppe, Bishkek\tos@example.org\tKyrgyzstan\n");
	assert_int_equal(imp.nrows, 1);
	assert_string_equal(us_fields_get(&imp.rows[0].fields,
	    "organisation"), "Open Steppe, Bishkek");
	assert_string_equal(us_fields_get(&imp.rows[0].fields, "email"),
	    "os@example.org");
	assert_string_equal(us_fields_get(&imp.rows[0].fields, "country"),
	    "KG");
	us_import_free(&imp);
}

static void
test_csv_russian_headers(void **state)
{
	struct us_import	 imp;
	const struct us_fields	*f;

	(void)state;
	csv(&imp, "Название;Аббревиатура;Страна;Сайт;Контактное лицо;"
	    "Должность;Электронная почта;Комментарий;Неизвестно\n"
	    "Правозащитный центр «Мемориал»;ПЦМ;Россия;memohrc.org;Иван;"
	    "директор;ivan@example.org;Подписываем;x\n"
	    "Центр;;Киргизия;;;;;;\n");
	assert_int_equal(imp.nrejects, 0);
	assert_int_equal(imp.nrows, 2);
	f = &imp.rows[0].fields;
	assert_string_equal(us_fields_get(f, "organisation"),
	    "Правозащитный центр «Мемориал»");
	assert_string_equal(us_fields_get(f, "acronym"), "ПЦМ");
	assert_string_equal(us_fields_get(f, "country"), "RU");
	assert_string_equal(us_fields_get(f, "website"), "memohrc.org");
	assert_string_equal(us_fields_get(f, "contact_name"), "Иван");
	assert_string_equal(us_fields_get(f, "contact_role"), "директор");
	assert_string_equal(us_fields_get(f, "email"), "ivan@example.org");
	assert_string_equal(us_fields_get(f, "comment"), "Подписываем");
	assert_int_equal(f->n, 8);
	assert_string_equal(us_fields_get(&imp.rows[1].fields, "country"),
	    "KG");
	us_import_free(&imp);

	/* Other spellings: case, "ё", underscores, marks of required. */
	csv(&imp, "ОРГАНИЗАЦИЯ*,Сокращённое название,contact_name,E-Mail:,"
	    "ПОЧТА\n"
	    "Центр,ЦПЧ,Анна,a@example.org,b@example.org\n");
	f = &imp.rows[0].fields;
	assert_string_equal(us_fields_get(f, "organisation"), "Центр");
	assert_string_equal(us_fields_get(f, "acronym"), "ЦПЧ");
	assert_string_equal(us_fields_get(f, "contact_name"), "Анна");
	/* Of two email columns the first is read. */
	assert_string_equal(us_fields_get(f, "email"), "a@example.org");
	assert_int_equal(f->n, 4);
	us_import_free(&imp);
}

static void
test_csv_name_column_is_organisation_or_contact(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "Name,Email,Organisation\nAnn Lee,a@example.org,Org A\n");
	assert_string_equal(us_fields_get(&imp.rows[0].fields,
	    "organisation"), "Org A");
	assert_string_equal(us_fields_get(&imp.rows[0].fields,
	    "contact_name"), "Ann Lee");
	us_import_free(&imp);
	csv(&imp, "Name,Email\nOrg A,a@example.org\n");
	assert_string_equal(us_fields_get(&imp.rows[0].fields,
	    "organisation"), "Org A");
	assert_null(us_fields_get(&imp.rows[0].fields, "contact_name"));
	us_import_free(&imp);
}

static void
test_csv_rejects_ragged_rows_and_empty_names(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "org,country,email\n"
	    "A,Germany,a@example.org\n"
	    "B,Germany\n"
	    "C,Germany,c@example.org,extra\n"
	    " ,Germany,d@example.org\n"
	    "E,Atlantis,e@example.org\n"
	    "F,Ukraine/Atlantis,f@example.org\n"
	    "G,\"Germany, Austria, Italy\",g@example.org\n"
	    "H,\"Korea, Republic of\",h@example.org\n"
	    "I,HR,i@example.org\n");
	assert_int_equal(imp.nrows, 3);
	assert_int_equal(imp.rows[0].line, 2);
	assert_int_equal(imp.rows[1].line, 9);
	assert_string_equal(us_fields_get(&imp.rows[1].fields, "country"),
	    "KR");
	assert_string_equal(us_fields_get(&imp.rows[2].fields, "country"),
	    "HR");
	assert_int_equal(imp.nrejects, 6);
	expect_reject(&imp, 0, 3, "2 fields, but the header has 3 (a missing "
	    "or extra \",\"?)");
	assert_string_equal(imp.rejects[0].text, "B,Germany");
	expect_reject(&imp, 1, 4, "4 fields, but the header has 3 (a missing "
	    "or extra \",\"?)");
	expect_reject(&imp, 2, 5, "no organisation name");
	expect_reject(&imp, 3, 6, "unknown country \"Atlantis\"");
	expect_reject(&imp, 4, 7, "unknown country \"Atlantis\"");
	expect_reject(&imp, 5, 8, "more than two countries (at most two may "
	    "be given)");
	us_import_free(&imp);
}

static void
test_csv_skips_blank_rows_and_reads_cr_endings(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "\r\n\r\nOrganisation,Country\r,\r\rA,DE\r\"B\",\r\n,,\n");
	assert_int_equal(imp.nrejects, 0);
	assert_int_equal(imp.nrows, 2);
	assert_int_equal(imp.rows[0].line, 6);
	assert_string_equal(us_fields_get(&imp.rows[0].fields,
	    "organisation"), "A");
	assert_int_equal(imp.rows[1].line, 7);
	assert_string_equal(us_fields_get(&imp.rows[1].fields,
	    "organisation"), "B");
	us_import_free(&imp);
}

static void
test_csv_unclosed_quote_and_control_characters(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "Organisation,Comment\nA,\"ok\"\nB,\"bell \x07\"\n"
	    "C,\"never closed\nD,x\n");
	assert_int_equal(imp.nrows, 1);
	assert_int_equal(imp.nrejects, 2);
	expect_reject(&imp, 0, 3,
	    "column \"Comment\" contains a control character");
	expect_reject(&imp, 1, 4, "a quote (\") is not closed: the rest of "
	    "the file was read as one field");
	assert_string_equal(imp.rejects[1].text, "C,\"never closed\nD,x\n");
	us_import_free(&imp);
}

static void
test_csv_file_errors(void **state)
{
	(void)state;
	csv_fails("Contact,Email,Country\nAnn,a@example.org,DE\n",
	    "no_organisation_column", "No column names the organisation: "
	    "the header row needs a column called \"organisation\" (or "
	    "\"name\", \"организация\").");
	csv_fails("Organisation\nCaf\xe9\n", "invalid_utf8", "The file is "
	    "not UTF-8 text (line 2). Save it as \"CSV UTF-8\" or choose "
	    "UTF-8 when exporting.");
	csv_fails("", "empty", "The file is empty: it needs a header row "
	    "naming the columns, then one row per organisation.");
	csv_fails("\xef\xbb\xbf\r\n\r\n", "empty", "The file is empty: it "
	    "needs a header row naming the columns, then one row per "
	    "organisation.");
	csv_fails("\"Organisation,Email\n", "malformed_csv",
	    "The header row has a quote (\") that is not closed.");
}

static void
test_csv_header_only_gives_nothing(void **state)
{
	struct us_import	imp;

	(void)state;
	csv(&imp, "organisation;email");
	assert_int_equal(imp.nrows, 0);
	assert_int_equal(imp.nrejects, 0);
	us_import_free(&imp);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_list_numbers_and_bullets),
		cmocka_unit_test(test_list_details_in_parentheses),
		cmocka_unit_test(test_list_dashes_and_trailing_punctuation),
		cmocka_unit_test(test_list_quotes_and_other_languages),
		cmocka_unit_test(test_list_rejects_with_reasons),
		cmocka_unit_test(test_list_reason_quotes_are_cut_whole),
		cmocka_unit_test(test_list_reads_russian_catalogue_names),
		cmocka_unit_test(test_list_issue_lines),
		cmocka_unit_test(test_list_trailing_country_after_a_comma),
		cmocka_unit_test(test_list_scope_words_are_not_acronyms),
		cmocka_unit_test(test_list_country_aliases),
		cmocka_unit_test(test_list_guesses_are_warnings),
		cmocka_unit_test(test_list_a_real_sign_on_letter),
		cmocka_unit_test(test_dupes_against_the_list_and_other_lines),
		cmocka_unit_test(test_dupes_by_website_and_kept_on_request),
		cmocka_unit_test(test_fix_rows_and_rejected_lines),
		cmocka_unit_test(test_validate_moves_bad_rows_to_rejects),
		cmocka_unit_test(test_fix_keep_alone_changes_nothing_else),
		cmocka_unit_test(test_digest_ignores_line_ends),
		cmocka_unit_test(test_list_whole_paste_keeps_lines_and_order),
		cmocka_unit_test(
		    test_list_rejects_bad_bytes_and_shows_them_safely),
		cmocka_unit_test(test_list_limits_name_and_line_length),
		cmocka_unit_test(test_list_many_lines_keep_their_numbers),
		cmocka_unit_test(test_csv_comma_with_quotes_and_crlf),
		cmocka_unit_test(test_csv_semicolon_bom_and_newlines_in_quotes),
		cmocka_unit_test(test_csv_tab_delimited),
		cmocka_unit_test(test_csv_russian_headers),
		cmocka_unit_test(
		    test_csv_name_column_is_organisation_or_contact),
		cmocka_unit_test(test_csv_rejects_ragged_rows_and_empty_names),
		cmocka_unit_test(
		    test_csv_skips_blank_rows_and_reads_cr_endings),
		cmocka_unit_test(
		    test_csv_unclosed_quote_and_control_characters),
		cmocka_unit_test(test_csv_file_errors),
		cmocka_unit_test(test_csv_header_only_gives_nothing),
	};

	return (cmocka_run_group_tests(tests, test_countries_load,
	    test_countries_unload));
}
