#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "mo.h"

#define I18N_TAG_MAX	35	/* longest language tag looked at */

struct i18n_lang {
	unsigned int	(*plural)(unsigned long);
};

static unsigned int	i18n_plural_en(unsigned long);
static unsigned int	i18n_plural_ru(unsigned long);
static int		i18n_find(const char *);
static int		i18n_match(const char *, size_t, const char *const *,
			    size_t);
static int		i18n_range(const char *, const char *,
			    const char *const *, size_t, int, int *, int *);
static int		i18n_pick(const char *, const char *,
			    const char *const *, size_t, int);
static int		i18n_qvalue(const char **, const char *, int *);
static int		i18n_digits(const char *, int);
static int		i18n_ymd(const char *, int *, int *, int *);

/*
 * The languages the UI speaks; the first is the source language, which
 * needs no catalogue, and the default.  Each comes with its plural rule
 * (which of the catalogue's forms to use for n), at the same index.
 */
static const char *const	i18n_codes[] = { "en", "ru" };
#define I18N_NLANGS	(sizeof(i18n_codes) / sizeof(i18n_codes[0]))

static const struct i18n_lang	i18n_langs[I18N_NLANGS] = {
	{ i18n_plural_en },
	{ i18n_plural_ru },
};

/* Indexed like i18n_langs; an empty catalogue translates nothing. */
static struct us_mo	i18n_cats[I18N_NLANGS];

/*
 * The context is written out as "date" because the extraction script
 * reads the source, not the preprocessor's output; it must stay equal
 * to US_I18N_CTX_DATE.
 */
static const char *const	i18n_months[12] = {
	/*
	 * TRANSLATORS: a month as it reads inside a date such as
	 * "10 December 2026": the genitive in Russian ("декабря").
	 */
	US_NC_("date", "January"),
	US_NC_("date", "February"),
	US_NC_("date", "March"),
	US_NC_("date", "April"),
	US_NC_("date", "May"),
	US_NC_("date", "June"),
	US_NC_("date", "July"),
	US_NC_("date", "August"),
	US_NC_("date", "September"),
	US_NC_("date", "October"),
	US_NC_("date", "November"),
	US_NC_("date", "December"),
};

/* A date's parts in the order the reader's language puts them. */
static const char *const	i18n_date_pattern =
    /*
     * TRANSLATORS: the order of a date's parts: {day} is a number
     * without a leading zero, {month} one of the month names, {year}
     * four digits.  Keep the braces.  Russian: "{day} {month} {year} г."
     */
    US_NC_("date", "{day} {month} {year}");

static const char *const	i18n_weekdays[7] = {
	/* TRANSLATORS: a weekday as it reads before a date. */
	US_NC_("date", "Sunday"),
	US_NC_("date", "Monday"),
	US_NC_("date", "Tuesday"),
	US_NC_("date", "Wednesday"),
	US_NC_("date", "Thursday"),
	US_NC_("date", "Friday"),
	US_NC_("date", "Saturday"),
};

static const char *const	i18n_weekday_pattern =
    /*
     * TRANSLATORS: a date with its weekday, as in "EMBARGOED UNTIL 00:01
     * GMT, Tuesday 1 December 2026".  Keep the braces.  Russian:
     * "{weekday}, {date}"
     */
    US_NC_("date", "{weekday} {date}");

/* English: one form for 1, the other for everything else. */
static unsigned int
i18n_plural_en(unsigned long n)
{
	return (n != 1);
}

/*
 * Russian: 1, 21, 101 подпись; 2-4, 22-24 подписи; 0, 5-20, 25-30, and
 * 11-14 of every hundred, подписей.
 */
static unsigned int
i18n_plural_ru(unsigned long n)
{
	if (n % 10 == 1 && n % 100 != 11)
		return (0);
	if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20))
		return (1);
	return (2);
}

/* Index of a supported language code, exactly as the table spells it. */
static int
i18n_find(const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return (-1);
	for (i = 0; i < I18N_NLANGS; i++) {
		if (strcmp(lang, i18n_codes[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

int
us_i18n_supported(const char *lang)
{
	return (i18n_find(lang) != -1);
}

/*
 * Loads the catalogue of every supported language from
 * dir/<lang>/undersigned.mo.  Only English may go without: a language
 * the site offers but cannot show is a broken build, better refused at
 * start-up than found out by a Russian reader looking at English.
 */
int
us_i18n_load(const char *dir, struct us_error *err)
{
	struct us_buf	path;
	struct stat	st;
	size_t		i;
	int		rc = US_FAIL;

	us_i18n_unload();
	us_buf_init(&path);
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		us_error_set(err, US_E_INTERNAL, NULL, "i18n",
		    "no catalogue directory %s (run make in the project root "
		    "and start the server there)", dir);
		goto done;
	}
	for (i = 0; i < I18N_NLANGS; i++) {
		us_buf_reset(&path);
		us_buf_appendf(&path, "%s/%s/%s.mo", dir, i18n_codes[i],
		    US_I18N_DOMAIN);
		if (stat(path.data, &st) == -1 && errno == ENOENT) {
			if (i == 0)
				continue;
			us_error_set(err, US_E_INTERNAL, NULL, "i18n",
			    "no catalogue for \"%s\" at %s (is "
			    "assets/locale/%s.po there, and has make run?)",
			    i18n_codes[i], path.data, i18n_codes[i]);
			goto done;
		}
		if (us_mo_load(&i18n_cats[i], path.data, err) != US_OK)
			goto done;
	}
	rc = US_OK;

done:
	if (rc != US_OK)
		us_i18n_unload();
	us_buf_free(&path);
	return (rc);
}

void
us_i18n_unload(void)
{
	size_t	i;

	for (i = 0; i < I18N_NLANGS; i++)
		us_mo_free(&i18n_cats[i]);
}

/*
 * Fits us_tpl_translator.  The empty msgid stays empty: in a catalogue
 * it names the header, which is not text to show.
 */
const char *
us_i18n(const char *lang, const char *msgid)
{
	const char	*s;
	int		 i;

	if (msgid == NULL || *msgid == '\0' || (i = i18n_find(lang)) == -1)
		return (msgid);
	s = us_mo_get(&i18n_cats[i], msgid);
	return (s != NULL ? s : msgid);
}

/* msgid in context ctx: gettext keys it as ctx, EOT, msgid. */
const char *
us_i18n_ctx(const char *lang, const char *ctx, const char *msgid)
{
	struct us_buf	 key;
	const char	*s;
	int		 i;

	if (msgid == NULL || *msgid == '\0' || (i = i18n_find(lang)) == -1)
		return (msgid);
	us_buf_init(&key);
	us_buf_appendf(&key, "%s\004%s", ctx, msgid);
	s = us_mo_get(&i18n_cats[i], key.data);
	us_buf_free(&key);
	return (s != NULL ? s : msgid);
}

/*
 * The form for n in lang.  Without a translation the English text is
 * shown, so the English rule chooses between singular and plural.
 */
const char *
us_i18n_n(const char *lang, const char *singular, const char *plural,
    unsigned long n)
{
	const char	*s;
	int		 i;

	if ((i = i18n_find(lang)) != -1 && (s = us_mo_nget(&i18n_cats[i],
	    singular, (int)i18n_langs[i].plural(n))) != NULL)
		return (s);
	return (i18n_plural_en(n) == 0 ? singular : plural);
}

/*
 * Which of the n languages in v a tag such as "ru", "RU", "ru-RU" or
 * "ru_RU" asks for, by its primary subtag; -1 for anything else.
 */
static int
i18n_match(const char *s, size_t len, const char *const *v, size_t n)
{
	size_t	i, primary;
	int	c;

	if (len == 0 || len > I18N_TAG_MAX)
		return (-1);
	primary = len;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c == '-' || c == '_') && i > 0) {
			if (primary == len)
				primary = i;
			continue;
		}
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9'))
			return (-1);
	}
	for (i = 0; i < n; i++) {
		if (v[i] != NULL && strlen(v[i]) == primary &&
		    strncasecmp(v[i], s, primary) == 0)
			return ((int)i);
	}
	return (-1);
}

/* RFC 9110 qvalue, "0" to "1.000", as thousandths. */
static int
i18n_qvalue(const char **pp, const char *end, int *q)
{
	const char	*p = *pp;
	int		 v, scale;

	if (p >= end || (*p != '0' && *p != '1'))
		return (0);
	v = (*p++ - '0') * 1000;
	if (p < end && *p == '.') {
		for (p++, scale = 100; p < end && scale > 0 && *p >= '0' &&
		    *p <= '9'; p++, scale /= 10)
			v += (*p - '0') * scale;
	}
	if (v > 1000)
		return (0);
	*q = v;
	*pp = p;
	return (1);
}

/*
 * One member of an Accept-Language list, p to end: the index in v of
 * the language it names and its weight, or 0 when the member is
 * malformed or names none of them.  "*" stands for star, which may be
 * -1: no language in particular.
 */
static int
i18n_range(const char *p, const char *end, const char *const *v, size_t n,
    int star, int *which, int *q)
{
	const char	*tag;

	*q = 1000;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (tag = p; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++)
		;
	if (p - tag == 1 && *tag == '*')
		*which = star;
	else
		*which = i18n_match(tag, (size_t)(p - tag), v, n);
	if (*which == -1)
		return (0);
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return (1);
		if (*p++ != ';')
			return (0);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (*p == 'q' || *p == 'Q') && p[1] == '=') {
			p += 2;
			if (!i18n_qvalue(&p, end, q))
				return (0);
		} else {
			/* Another parameter, which does not concern us. */
			while (p < end && *p != ';')
				p++;
		}
	}
}

/*
 * The explicit choice when it is one of v; else the one of v the browser
 * weighs highest, the first of equals; else star.  Malformed members of
 * the list are skipped, and a weight of 0 means "not this one".
 */
static int
i18n_pick(const char *header, const char *choice, const char *const *v,
    size_t n, int star)
{
	const char	*p, *end;
	int		 q, bestq = 0, which, best = star;

	if (choice != NULL && (which = i18n_match(choice, strlen(choice), v,
	    n)) != -1)
		return (which);
	for (p = header; p != NULL && *p != '\0';
	    p = *end == ',' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (i18n_range(p, end, v, n, star, &which, &q) && q > bestq) {
			best = which;
			bestq = q;
		}
	}
	return (best);
}

/*
 * The language to show the UI in: the explicit choice (cookie or query)
 * when the UI speaks it, else the browser's preference, else English.
 * The answer is always one of the table's own strings, never a piece of
 * the input.
 */
const char *
us_i18n_negotiate(const char *header, const char *choice)
{
	return (i18n_codes[i18n_pick(header, choice, i18n_codes, I18N_NLANGS,
	    0)]);
}

/*
 * The same choice among the n languages of v, a statement's language
 * versions, which need not be languages the UI speaks: the index of the
 * one to show, or -1 when neither the choice nor the browser names one.
 */
int
us_i18n_choose(const char *header, const char *choice, const char *const *v,
    size_t n)
{
	return (i18n_pick(header, choice, v, n, -1));
}

/* The number in the n decimal digits at s, or -1. */
static int
i18n_digits(const char *s, int n)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

/*
 * "YYYY-MM-DD", alone or starting a timestamp ("2026-12-10T09:00:00Z"
 * or "2026-12-10 09:00:00+00"), naming a day that exists.
 */
static int
i18n_ymd(const char *s, int *y, int *m, int *d)
{
	static const int	mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int			leap;

	if (s == NULL || strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != '\0' && s[10] != 'T' && s[10] != ' '))
		return (0);
	*y = i18n_digits(s, 4);
	*m = i18n_digits(s + 5, 2);
	*d = i18n_digits(s + 8, 2);
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return (0);
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return (*m != 2 || *d <= 28 || leap);
}

/*
 * Appends the date in lang, "10 December 2026" or "10 декабря 2026 г.";
 * what is not such a date is appended as it is, so a page shows the
 * stored value rather than nothing.  Placeholders are expanded here and
 * never through printf: a catalogue is not trusted with a format string.
 */
void
us_i18n_date(struct us_buf *b, const char *lang, const char *ymd)
{
	const char	*p, *month;
	int		 y, m, d;

	if (!i18n_ymd(ymd, &y, &m, &d)) {
		us_buf_puts(b, ymd != NULL ? ymd : "");
		return;
	}
	month = us_i18n_ctx(lang, US_I18N_CTX_DATE, i18n_months[m - 1]);
	p = us_i18n_ctx(lang, US_I18N_CTX_DATE, i18n_date_pattern);
	while (*p != '\0') {
		if (strncmp(p, "{day}", 5) == 0) {
			us_buf_appendf(b, "%d", d);
			p += 5;
		} else if (strncmp(p, "{month}", 7) == 0) {
			us_buf_puts(b, month);
			p += 7;
		} else if (strncmp(p, "{year}", 6) == 0) {
			us_buf_appendf(b, "%d", y);
			p += 6;
		} else
			us_buf_putc(b, *p++);
	}
}

/*
 * The date with its weekday first, "Tuesday 1 December 2026"; worked out
 * from the date (Sakamoto's method, proleptic Gregorian), not from the C
 * library's time zone state.  Not a date: appended as it is.
 */
void
us_i18n_date_weekday(struct us_buf *b, const char *lang, const char *ymd)
{
	static const int	t[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	const char		*p;
	int			 y, m, d, wy;

	if (!i18n_ymd(ymd, &y, &m, &d)) {
		us_buf_puts(b, ymd != NULL ? ymd : "");
		return;
	}
	wy = m < 3 ? y - 1 : y;
	p = us_i18n_ctx(lang, US_I18N_CTX_DATE, i18n_weekday_pattern);
	while (*p != '\0') {
		if (strncmp(p, "{weekday}", 9) == 0) {
			us_buf_puts(b, us_i18n_ctx(lang, US_I18N_CTX_DATE,
			    i18n_weekdays[(wy + wy / 4 - wy / 100 + wy / 400 +
			    t[m - 1] + d) % 7]));
			p += 9;
		} else if (strncmp(p, "{date}", 6) == 0) {
			us_i18n_date(b, lang, ymd);
			p += 6;
		} else
			us_buf_putc(b, *p++);
	}
}

/*
 * Appends a file size as people read it next to a download link: whole
 * kilobytes (1,000 bytes, rounded up, so nothing is "0 kB") below a
 * megabyte, megabytes to one decimal above, with the decimal sign of
 * lang.
 */
void
us_i18n_size(struct us_buf *b, const char *lang, unsigned long long bytes)
{
	const char		*p, *unit;
	char			 n[32];
	unsigned long long	 tenths;

	if (bytes < 1000000) {
		(void)snprintf(n, sizeof(n), "%llu", (bytes + 999) / 1000);
		unit = us_i18n_ctx(lang, "size", "{n} kB");
	} else {
		tenths = (bytes + 50000) / 100000;
		(void)snprintf(n, sizeof(n), "%llu%s%llu", tenths / 10,
		    /* TRANSLATORS: the decimal sign, as in "1.3 MB". */
		    us_i18n_ctx(lang, "number", "."), tenths % 10);
		unit = us_i18n_ctx(lang, "size", "{n} MB");
	}
	for (p = unit; *p != '\0';) {
		if (strncmp(p, "{n}", 3) == 0) {
			us_buf_puts(b, n);
			p += 3;
		} else
			us_buf_putc(b, *p++);
	}
}

/*
 * Whether s (n bytes) is shaped like a language tag a query or cookie may
 * carry ("ru", "ky-KG"): letters, digits and inner hyphens, short enough
 * for US_I18N_CHOICE_MAX.  It says nothing about whether anything is
 * written in that language.
 */
int
us_i18n_tag(const char *s, size_t n)
{
	size_t	i;

	if (s == NULL || n == 0 || n > US_I18N_CHOICE_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && i > 0 && i < n - 1)))
			return (0);
	}
	return (1);
}
