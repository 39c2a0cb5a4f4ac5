#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "country.h"
#include "mo.h"
#include "text.h"

#define COUNTRY_NONE	((size_t)-1)
#define COUNTRY_LANG_MAX 16
#define COUNTRY_LOOSE	0x100	/* a key of loose_aliases */

/* Names of every country in one language; NULL where untranslated. */
struct country_lang {
	char	  code[COUNTRY_LANG_MAX];
	char	**name;
	char	**iso;
	char	**official;
};

/*
 * The lookup table: every form a country may be written in, as a
 * matching key (see country_fold), sorted so that a lookup is a binary
 * search.  Of equal keys the one with the lowest prio wins.
 */
struct country_key {
	char	*key;
	size_t	 idx;		/* into countries */
	int	 kind;		/* US_COUNTRY_CODE2 ... */
	int	 prio;
};

struct country_alias {
	const char	*alpha2;
	const char	*name;
};

struct country_extra {
	const char	*alpha2;
	const char	*alpha3;
	const char	*name;
};

struct country_extra_name {
	const char	*alpha2;
	const char	*lang;
	const char	*name;
};

static int	country_cmp(const void *, const void *);
static int	country_alpha2_cmp(const void *, const void *);
static int	country_key_cmp(const void *, const void *);
static size_t	country_index(const char *);
static int	country_fold(const char *, struct us_buf *);
static void	country_key_add(const char *, size_t, int, int);
static void	country_keys_free(void);
static void	country_keys_build(void);
static void	country_add(const char *, const char *, const char *,
		    const char *, const char *);
static int	country_lang_valid(const char *);
static int	country_lang_eq(const char *, size_t, const char *);
static const struct country_lang *country_lang_find(const char *);
static const struct country_key *country_lookup(const char *, int);
static void	country_lang_free(struct country_lang *);

static struct us_country	*countries;
static size_t			 ncountries;
static size_t			*byalpha2;	/* indexes sorted by alpha2 */
static struct country_lang	*langs;
static size_t			 nlangs;
static struct country_key	*keys;
static size_t			 nkeys, keycap;

/*
 * Kosovo has no ISO 3166-1 code; XK (and XKX) is the user-assigned code
 * the European Commission, SWIFT and others use.  Organisations from
 * Kosovo sign statements, so they must be able to choose it.
 */
static const struct country_extra extras[] = {
	{ "XK", "XKX", "Kosovo" },
};

/*
 * Short names Debian's catalogues lack: Kosovo, "Türkiye" (renamed in
 * 2022, untranslated since), and common names whose absence would show
 * the long ISO name ("Лаосская Народно-Демократическая Республика").
 */
static const struct country_extra_name extra_names[] = {
	{ "XK", "ru", "Косово" },
	{ "XK", "uk", "Косово" },
	{ "TR", "ru", "Турция" },
	{ "LA", "ru", "Лаос" },
	{ "SY", "ru", "Сирия" },
};

/*
 * Names the region's own NGOs write, which win over Debian's catalogue:
 * the catalogue follows older Russian usage ("Киргизия", "Молдавия")
 * that the countries themselves asked to drop, and signers from there
 * read it as a slight.  docs/translating.md gives each one's reason;
 * the ISO code never changes, so outputs and imports stay comparable.
 */
static const struct country_extra_name region_names[] = {
	{ "KG", "ru", "Кыргызстан" },
	{ "MD", "ru", "Молдова" },
	{ "BY", "ru", "Беларусь" },
	{ "RU", "ru", "Россия" },
};

/*
 * How countries are written in the lists coordinators paste: old and
 * informal names, abbreviations, and the Russian names used in the
 * region (these work without the Russian catalogue).  Case, "ё", dots and
 * a leading "the" do not matter (see country_fold).
 */
static const struct country_alias aliases[] = {
	{ "US", "USA" },
	{ "US", "US" },
	{ "US", "United States of America" },
	{ "GB", "UK" },
	{ "GB", "Great Britain" },
	{ "GB", "Britain" },
	{ "RU", "Russia" },
	{ "KR", "South Korea" },
	{ "KR", "Republic of Korea" },
	{ "KP", "North Korea" },
	{ "KP", "DPRK" },
	{ "IR", "Iran" },
	{ "SY", "Syria" },
	{ "VN", "Vietnam" },
	{ "LA", "Laos" },
	{ "BO", "Bolivia" },
	{ "VE", "Venezuela" },
	{ "TZ", "Tanzania" },
	{ "MD", "Moldova" },
	{ "MD", "Republic of Moldova" },
	{ "MD", "Moldavia" },
	{ "CZ", "Czech Republic" },
	{ "CZ", "Czechia" },
	{ "TR", "Turkey" },
	{ "TR", "Türkiye" },
	{ "TR", "Turkiye" },
	{ "CI", "Ivory Coast" },
	{ "CI", "Côte d'Ivoire" },
	{ "CI", "Cote d'Ivoire" },
	{ "MK", "North Macedonia" },
	{ "MM", "Burma" },
	{ "MM", "Myanmar" },
	{ "SZ", "Swaziland" },
	{ "SZ", "Eswatini" },
	{ "KG", "Kyrgyz Republic" },
	{ "KG", "Kirghizia" },
	{ "KG", "Kirgizia" },
	{ "PS", "Palestine" },
	{ "PS", "State of Palestine" },
	{ "TW", "Taiwan" },
	{ "XK", "Kosovo" },
	{ "BY", "Belorussia" },
	{ "BY", "Byelorussia" },
	{ "CD", "DR Congo" },
	{ "CD", "DRC" },
	{ "CD", "Democratic Republic of Congo" },
	{ "CD", "Democratic Republic of the Congo" },
	{ "CD", "Congo-Kinshasa" },
	{ "CG", "Congo-Brazzaville" },
	{ "CG", "Republic of the Congo" },
	{ "CV", "Cape Verde" },
	{ "TL", "East Timor" },
	{ "AE", "UAE" },
	{ "VA", "Vatican" },
	{ "VA", "Vatican City" },
	{ "FM", "Micronesia" },
	{ "BN", "Brunei" },
	{ "BA", "Bosnia" },
	{ "BA", "Bosnia & Herzegovina" },
	{ "TT", "Trinidad & Tobago" },
	{ "AG", "Antigua & Barbuda" },

	{ "US", "США" },
	{ "US", "Соединённые Штаты" },
	{ "US", "Соединённые Штаты Америки" },
	{ "GB", "Великобритания" },
	{ "GB", "Британия" },
	{ "GB", "Соединённое Королевство" },
	{ "RU", "Россия" },
	{ "RU", "РФ" },
	{ "RU", "Российская Федерация" },
	{ "KG", "Кыргызстан" },
	{ "KG", "Киргизия" },
	{ "KG", "Киргизстан" },
	{ "KG", "Кыргызская Республика" },
	{ "BY", "Беларусь" },
	{ "BY", "Белоруссия" },
	{ "BY", "Республика Беларусь" },
	{ "MD", "Молдова" },
	{ "MD", "Молдавия" },
	{ "MD", "Республика Молдова" },
	{ "MD", "Молдова, Республика" },
	{ "BY", "Republic of Belarus" },
	{ "KZ", "Республика Казахстан" },
	{ "KZ", "Казахстан" },
	{ "GE", "Грузия" },
	{ "AM", "Армения" },
	{ "AZ", "Азербайджан" },
	{ "TJ", "Таджикистан" },
	{ "TM", "Туркменистан" },
	{ "TM", "Туркмения" },
	{ "UZ", "Узбекистан" },
	{ "UA", "Украина" },
	{ "DE", "Германия" },
	{ "FR", "Франция" },
	{ "CH", "Швейцария" },
	{ "KR", "Южная Корея" },
	{ "KR", "Республика Корея" },
	{ "KP", "Северная Корея" },
	{ "KP", "КНДР" },
	{ "IR", "Иран" },
	{ "SY", "Сирия" },
	{ "CZ", "Чехия" },
	{ "TR", "Турция" },
	{ "PS", "Палестина" },
	{ "XK", "Косово" },
	{ "PL", "Польша" },
	{ "LT", "Литва" },
	{ "LV", "Латвия" },
	{ "EE", "Эстония" },
	{ "FI", "Финляндия" },
	{ "SE", "Швеция" },
	{ "NO", "Норвегия" },
	{ "DK", "Дания" },
	{ "NL", "Нидерланды" },
	{ "BE", "Бельгия" },
	{ "AT", "Австрия" },
	{ "IT", "Италия" },
	{ "ES", "Испания" },
	{ "PT", "Португалия" },
	{ "GR", "Греция" },
	{ "IE", "Ирландия" },
	{ "RO", "Румыния" },
	{ "BG", "Болгария" },
	{ "RS", "Сербия" },
	{ "HU", "Венгрия" },
	{ "SK", "Словакия" },
	{ "HR", "Хорватия" },
	{ "ME", "Черногория" },
	{ "MK", "Северная Македония" },
	{ "IL", "Израиль" },
	{ "CN", "Китай" },
	{ "MN", "Монголия" },
	{ "AF", "Афганистан" },
	{ "IN", "Индия" },
	{ "JP", "Япония" },
	{ "CA", "Канада" },
	{ "VN", "Вьетнам" },
	{ "MM", "Мьянма" },
	{ "MM", "Бирма" },
	{ "TW", "Тайвань" },
};

/*
 * Names that say more or less than the country they are read as (a part
 * of it, an old or ambiguous name): read, but worth a second look, so an
 * import flags the line.
 */
static const struct country_alias loose_aliases[] = {
	{ "GB", "England" },
	{ "GB", "Scotland" },
	{ "GB", "Wales" },
	{ "GB", "Northern Ireland" },
	{ "KR", "Korea" },
	{ "NL", "Holland" },
	{ "MK", "Macedonia" },
	{ "GB", "Англия" },
	{ "GB", "Шотландия" },
	{ "KR", "Корея" },
	{ "NL", "Голландия" },
	{ "MK", "Македония" },
};

/* Sorted by display name so a form can list them as they are. */
static int
country_cmp(const void *a, const void *b)
{
	const struct us_country	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

static int
country_alpha2_cmp(const void *a, const void *b)
{
	const size_t	*x = a, *y = b;

	return (strcmp(countries[*x].alpha2, countries[*y].alpha2));
}

static int
country_key_cmp(const void *a, const void *b)
{
	const struct country_key	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return (c);
	if (x->prio != y->prio)
		return (x->prio < y->prio ? -1 : 1);
	if (x->kind != y->kind)
		return (x->kind < y->kind ? -1 : 1);
	return (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* The index of an alpha-2 code (exact, upper case), or COUNTRY_NONE. */
static size_t
country_index(const char *alpha2)
{
	size_t	lo, hi, mid;
	int	c;

	if (alpha2 == NULL || byalpha2 == NULL)
		return (COUNTRY_NONE);
	lo = 0;
	hi = ncountries;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(alpha2, countries[byalpha2[mid]].alpha2)) == 0)
			return (byalpha2[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (COUNTRY_NONE);
}

/*
 * The matching key of a name: lower case; "ё" as "е" and final sigma as
 * sigma (Russian and Greek writers use either); dots dropped, so "U.S.A."
 * is "usa"; hyphens, dashes and runs of white space as one space;
 * typographic apostrophes as "'"; and no leading "the ".  Fails on
 * invalid UTF-8 and on a key left empty.
 */
static int
country_fold(const char *s, struct us_buf *b)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, len;
	unsigned int		 c;
	int			 k, space = 0;

	us_buf_reset(b);
	len = strlen(s);
	for (i = 0; i < len; i += (size_t)k) {
		if ((k = us_utf8_decode(p + i, len - i, &c)) == 0)
			return (US_FAIL);
		if (c == '.')
			continue;
		if (us_text_is_space(c) || c == '-' ||
		    (c >= 0x2010 && c <= 0x2015)) {
			space = 1;
			continue;
		}
		c = us_text_lower_cp(c);
		if (c == 0x451)
			c = 0x435;
		else if (c == 0x3c2)
			c = 0x3c3;
		else if (c == 0x2018 || c == 0x2019 || c == 0x2bc ||
		    c == 0x60 || c == 0xb4)
			c = '\'';
		if (space && b->len > 0)
			us_buf_putc(b, ' ');
		space = 0;
		us_utf8_put(b, c);
	}
	if (b->len > 4 && memcmp(b->data, "the ", 4) == 0) {
		memmove(b->data, b->data + 4, b->len - 4 + 1);
		b->len -= 4;
	}
	return (b->len > 0 ? US_OK : US_FAIL);
}

/* Lower-cases UTF-8 text; bytes that are not valid UTF-8 are copied. */
char *
us_country_lower(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct us_buf		 b;
	size_t			 i, len;
	unsigned int		 c;
	int			 k;

	us_buf_init(&b);
	len = strlen(s);
	for (i = 0; i < len; i += (size_t)k) {
		if ((k = us_utf8_decode(p + i, len - i, &c)) == 0) {
			us_buf_putc(&b, p[i]);
			k = 1;
			continue;
		}
		us_utf8_put(&b, us_text_lower_cp(c));
	}
	return (us_buf_release(&b));
}

/* The matching key, or NULL when s is not valid UTF-8 or has no letters. */
char *
us_country_key(const char *s)
{
	struct us_buf	 b;
	char		*key = NULL;

	us_buf_init(&b);
	if (s != NULL && country_fold(s, &b))
		key = us_buf_release(&b);
	us_buf_free(&b);
	return (key);
}

static void
country_key_add(const char *s, size_t idx, int kind, int prio)
{
	struct us_buf		 b;
	struct country_key	*k;

	if (s == NULL)
		return;
	us_buf_init(&b);
	if (!country_fold(s, &b)) {
		us_buf_free(&b);
		return;
	}
	if (nkeys == keycap) {
		keycap = keycap == 0 ? 1024 : keycap * 2;
		keys = us_realloc(keys, keycap * sizeof(*keys));
	}
	k = &keys[nkeys++];
	k->key = us_buf_release(&b);
	k->idx = idx;
	k->kind = kind;
	k->prio = prio;
}

static void
country_keys_free(void)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		free(keys[i].key);
	free(keys);
	keys = NULL;
	nkeys = keycap = 0;
}

/*
 * Built once per load, so a lookup costs one key and a binary search.
 * Codes win over English names, which win over aliases, which win over
 * translations (in the order the languages were loaded).
 */
static void
country_keys_build(void)
{
	const struct us_country	*c;
	size_t			 i, j, idx;

	country_keys_free();
	for (i = 0; i < ncountries; i++) {
		c = &countries[i];
		country_key_add(c->alpha2, i, US_COUNTRY_CODE2, 0);
		country_key_add(c->alpha3, i, US_COUNTRY_CODE3, 0);
		country_key_add(c->name, i, US_COUNTRY_NAMES, 1);
		country_key_add(c->iso_name, i, US_COUNTRY_NAMES, 1);
		country_key_add(c->official_name, i, US_COUNTRY_NAMES, 1);
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if ((idx = country_index(aliases[i].alpha2)) != COUNTRY_NONE)
			country_key_add(aliases[i].name, idx,
			    US_COUNTRY_NAMES, 2);
	}
	for (i = 0; i < sizeof(loose_aliases) / sizeof(loose_aliases[0]);
	    i++) {
		if ((idx = country_index(loose_aliases[i].alpha2)) !=
		    COUNTRY_NONE)
			country_key_add(loose_aliases[i].name, idx,
			    US_COUNTRY_NAMES | COUNTRY_LOOSE, 2);
	}
	for (j = 0; j < nlangs; j++) {
		for (i = 0; i < ncountries; i++) {
			country_key_add(langs[j].name[i], i,
			    US_COUNTRY_NAMES, 3 + (int)j);
			country_key_add(langs[j].iso[i], i,
			    US_COUNTRY_NAMES, 3 + (int)j);
			country_key_add(langs[j].official[i], i,
			    US_COUNTRY_NAMES, 3 + (int)j);
		}
	}
	qsort(keys, nkeys, sizeof(*keys), country_key_cmp);
}

static void
country_add(const char *a2, const char *a3, const char *name,
    const char *iso, const char *official)
{
	struct us_country	*c = &countries[ncountries++];

	memcpy(c->alpha2, a2, 3);
	memcpy(c->alpha3, a3, 4);
	c->name = us_strdup(name);
	c->iso_name = us_strdup(iso);
	c->official_name = us_strdup(official);
}

int
us_country_load(const char *path, struct us_error *err)
{
	json_t		*root, *list, *c;
	json_error_t	 jerr;
	const char	*a2, *a3, *name, *common, *official;
	size_t		 i, j, n;

	if ((root = json_load_file(path, 0, &jerr)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "countries",
		    "cannot read %s: %s (install Debian's iso-codes)", path,
		    jerr.text));
	list = json_object_get(root, "3166-1");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		json_decref(root);
		return (us_error_set(err, US_E_INTERNAL, NULL, "countries",
		    "%s has no \"3166-1\" list", path));
	}
	us_country_unload();
	n = json_array_size(list) + sizeof(extras) / sizeof(extras[0]);
	countries = us_calloc(n, sizeof(*countries));
	json_array_foreach(list, i, c) {
		a2 = json_string_value(json_object_get(c, "alpha_2"));
		a3 = json_string_value(json_object_get(c, "alpha_3"));
		name = json_string_value(json_object_get(c, "name"));
		common = json_string_value(json_object_get(c, "common_name"));
		official = json_string_value(json_object_get(c,
		    "official_name"));
		if (a2 == NULL || a3 == NULL || name == NULL ||
		    strlen(a2) != 2 || strlen(a3) != 3)
			continue;
		country_add(a2, a3, common != NULL ? common : name, name,
		    official != NULL ? official : name);
	}
	json_decref(root);
	/* Should iso-codes ever list Kosovo itself, its entry wins. */
	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		for (j = 0; j < ncountries; j++) {
			if (strcmp(countries[j].alpha2, extras[i].alpha2) == 0)
				break;
		}
		if (j == ncountries)
			country_add(extras[i].alpha2, extras[i].alpha3,
			    extras[i].name, extras[i].name, extras[i].name);
	}
	qsort(countries, ncountries, sizeof(*countries), country_cmp);
	byalpha2 = us_calloc(ncountries, sizeof(*byalpha2));
	for (i = 0; i < ncountries; i++)
		byalpha2[i] = i;
	qsort(byalpha2, ncountries, sizeof(*byalpha2), country_alpha2_cmp);
	country_keys_build();
	return (US_OK);
}

/* Language tags as used in locale directories: "ru", "pt_BR", "sr@latin". */
static int
country_lang_valid(const char *lang)
{
	size_t	i;

	for (i = 0; lang[i] != '\0'; i++) {
		if (!((lang[i] >= 'a' && lang[i] <= 'z') ||
		    (lang[i] >= 'A' && lang[i] <= 'Z') ||
		    (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '-' ||
		    lang[i] == '_' || lang[i] == '@'))
			return (0);
	}
	return (i > 0 && i < COUNTRY_LANG_MAX);
}

/* The first len bytes of a equal all of b, in any case, "-" as "_". */
static int
country_lang_eq(const char *a, size_t len, const char *b)
{
	size_t	i;
	int	x, y;

	for (i = 0; i < len; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (y == '\0')
			return (0);
		x = x == '-' ? '_' : (x >= 'A' && x <= 'Z' ? x + 32 : x);
		y = y == '-' ? '_' : (y >= 'A' && y <= 'Z' ? y + 32 : y);
		if (x != y)
			return (0);
	}
	return (b[len] == '\0');
}

/* The exact language if loaded, else its primary subtag ("ru" for "ru-KG"). */
static const struct country_lang *
country_lang_find(const char *lang)
{
	size_t	i, n;

	if (lang == NULL)
		return (NULL);
	for (i = 0; i < nlangs; i++) {
		if (country_lang_eq(lang, strlen(lang), langs[i].code))
			return (&langs[i]);
	}
	n = strcspn(lang, "-_.@");
	for (i = 0; i < nlangs; i++) {
		if (country_lang_eq(lang, n, langs[i].code))
			return (&langs[i]);
	}
	return (NULL);
}

static void
country_lang_free(struct country_lang *l)
{
	size_t	i;

	for (i = 0; i < ncountries; i++) {
		free(l->name[i]);
		free(l->iso[i]);
		free(l->official[i]);
	}
	free(l->name);
	free(l->iso);
	free(l->official);
	memset(l, 0, sizeof(*l));
}

/*
 * Translates each country's names with the iso_3166-1 catalogue of one
 * language.  The short name is the translation of the common name (the
 * display name), else one of extra_names, else the translation of the ISO
 * name: Debian translates "Iran, Islamic Republic of" as "Иран" but has
 * no entry for "Iran".  Loading a language twice replaces it.
 */
int
us_country_load_lang(const char *lang, const char *path,
    struct us_error *err)
{
	struct us_mo		 mo;
	struct country_lang	*l = NULL;
	const struct us_country	*c;
	const char		*name, *iso, *official;
	size_t			 i, j;

	if (ncountries == 0)
		return (us_error_set(err, US_E_INTERNAL, NULL, "countries",
		    "the countries must be loaded before their names"));
	if (lang == NULL || !country_lang_valid(lang))
		return (us_error_set(err, US_E_INTERNAL, NULL, "countries",
		    "\"%s\" is not a language code",
		    lang != NULL ? lang : "(null)"));
	if (!us_mo_load(&mo, path, err))
		return (US_FAIL);
	for (i = 0; i < nlangs; i++) {
		if (country_lang_eq(lang, strlen(lang), langs[i].code)) {
			l = &langs[i];
			country_lang_free(l);
			break;
		}
	}
	if (l == NULL) {
		langs = us_realloc(langs, (nlangs + 1) * sizeof(*langs));
		l = &langs[nlangs++];
	}
	(void)snprintf(l->code, sizeof(l->code), "%s", lang);
	l->name = us_calloc(ncountries, sizeof(*l->name));
	l->iso = us_calloc(ncountries, sizeof(*l->iso));
	l->official = us_calloc(ncountries, sizeof(*l->official));
	for (i = 0; i < ncountries; i++) {
		c = &countries[i];
		name = us_mo_get(&mo, c->name);
		iso = us_mo_get(&mo, c->iso_name);
		official = us_mo_get(&mo, c->official_name);
		for (j = 0; j < sizeof(region_names) /
		    sizeof(region_names[0]); j++) {
			if (strcmp(region_names[j].alpha2, c->alpha2) == 0 &&
			    country_lang_eq(lang, strlen(lang),
			    region_names[j].lang))
				name = region_names[j].name;
		}
		for (j = 0; name == NULL && j < sizeof(extra_names) /
		    sizeof(extra_names[0]); j++) {
			if (strcmp(extra_names[j].alpha2, c->alpha2) == 0 &&
			    country_lang_eq(lang, strlen(lang),
			    extra_names[j].lang))
				name = extra_names[j].name;
		}
		if (name == NULL)
			name = iso;
		l->name[i] = name != NULL ? us_strdup(name) : NULL;
		l->iso[i] = iso != NULL ? us_strdup(iso) : NULL;
		l->official[i] = official != NULL ? us_strdup(official) : NULL;
	}
	us_mo_free(&mo);
	country_keys_build();
	return (US_OK);
}

void
us_country_unload(void)
{
	size_t	i;

	for (i = 0; i < nlangs; i++)
		country_lang_free(&langs[i]);
	free(langs);
	langs = NULL;
	nlangs = 0;
	country_keys_free();
	for (i = 0; i < ncountries; i++) {
		free(countries[i].name);
		free(countries[i].iso_name);
		free(countries[i].official_name);
	}
	free(countries);
	free(byalpha2);
	countries = NULL;
	byalpha2 = NULL;
	ncountries = 0;
}

/* The best key for s among kinds, or NULL. */
static const struct country_key *
country_lookup(const char *s, int kinds)
{
	const struct country_key	*found = NULL;
	struct us_buf			 b;
	size_t				 lo, hi, mid;

	if (s == NULL || nkeys == 0)
		return (NULL);
	us_buf_init(&b);
	if (!country_fold(s, &b))
		goto done;
	lo = 0;
	hi = nkeys;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid].key, b.data) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nkeys && strcmp(keys[lo].key, b.data) == 0; lo++) {
		if (keys[lo].kind & kinds) {
			found = &keys[lo];
			break;
		}
	}
done:
	us_buf_free(&b);
	return (found);
}

/*
 * Looks s up as any of kinds: codes, or names (English, ISO and
 * official, aliases, and every loaded language), ignoring case, "ё"
 * against "е", dots and a leading "the".
 */
const struct us_country *
us_country_match(const char *s, int kinds)
{
	const struct country_key	*k;

	if ((k = country_lookup(s, kinds & US_COUNTRY_ANY)) == NULL)
		return (NULL);
	return (&countries[k->idx]);
}

/*
 * Whether s, read as a name, is one that says more or less than its
 * country ("England", "Holland"): a guess for a person to check.
 */
int
us_country_loose(const char *s)
{
	const struct country_key	*k;

	return ((k = country_lookup(s, US_COUNTRY_NAMES)) != NULL &&
	    (k->kind & COUNTRY_LOOSE) != 0);
}

/* Accepts an alpha-2 or alpha-3 code or any name us_country_match knows. */
const struct us_country *
us_country_find(const char *s)
{
	return (us_country_match(s, US_COUNTRY_ANY));
}

const char *
us_country_name(const char *alpha2)
{
	size_t	i;

	if ((i = country_index(alpha2)) == COUNTRY_NONE)
		return (NULL);
	return (countries[i].name);
}

/* The short name in lang, else in English; NULL for an unknown code. */
const char *
us_country_name_in(const char *alpha2, const char *lang)
{
	const struct country_lang	*l;
	size_t				 i;

	if ((i = country_index(alpha2)) == COUNTRY_NONE)
		return (NULL);
	if ((l = country_lang_find(lang)) != NULL && l->name[i] != NULL)
		return (l->name[i]);
	return (countries[i].name);
}

const char *
us_country_official_in(const char *alpha2, const char *lang)
{
	const struct country_lang	*l;
	size_t				 i;

	if ((i = country_index(alpha2)) == COUNTRY_NONE)
		return (NULL);
	if ((l = country_lang_find(lang)) != NULL) {
		if (l->official[i] != NULL)
			return (l->official[i]);
		if (l->name[i] != NULL)
			return (l->name[i]);
	}
	return (countries[i].official_name);
}

size_t
us_country_count(void)
{
	return (ncountries);
}

const struct us_country *
us_country_at(size_t i)
{
	return (i < ncountries ? &countries[i] : NULL);
}

/*
 * The i-th name people also write for a country (import's aliases, such
 * as "Киргизия" beside "Кыргызстан"), with its code in *alpha2; NULL
 * past the last.  The list search reads them so that either form finds
 * the country.
 */
const char *
us_country_alias_at(size_t i, const char **alpha2)
{
	if (i >= sizeof(aliases) / sizeof(aliases[0]))
		return (NULL);
	*alpha2 = aliases[i].alpha2;
	return (aliases[i].name);
}
