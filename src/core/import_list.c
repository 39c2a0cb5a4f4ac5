#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "country.h"
#include "import.h"
#include "text.h"

/*
 * Signatory lists as they are pasted from joint statements: one
 * organisation a line, "Name (ACRONYM, Country)" and its many variants.
 * What is only a likely reading (an alias that names part of a country,
 * an acronym with small letters) is kept with a warning for a person.
 */

#define LIST_PARTS_MAX		8
#define LIST_COUNTRIES_MAX	8

enum list_place {
	PLACE_OK,	/* every piece is a country */
	PLACE_NONE,	/* no piece is: not a place */
	PLACE_BAD	/* some are, some are not */
};

/* What one pasted line says. */
struct list_entry {
	struct us_buf		 name;
	const char		*acronym;	/* into the line's copy */
	const struct us_country	*c[LIST_COUNTRIES_MAX];
	size_t			 nc;
	struct us_buf		 unknown;	/* a place we do not know */
	struct us_buf		 tmp;		/* list_place's scratch */
	struct us_buf		 mid;		/* a middle part, a pair */
	char			 reason[US_IMPORT_REASON_MAX];
	char			 warning[US_IMPORT_REASON_MAX];
};

/* The separator " – " found in a line: where it starts and ends. */
struct list_sep {
	char	*start;
	char	*end;
	int	 dash;		/* an en or em dash, not a hyphen */
};

static unsigned int list_first_cp(const char *);
static void	 list_line(struct us_import *, size_t, const char *, size_t);
static char	*list_skip_marker(char *);
static int	 list_abbreviation(const char *, size_t);
static void	 list_trim_end(char *);
static int	 list_is_heading(const char *);
static int	 list_balanced(const char *);
static int	 list_fail(struct list_entry *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	 list_unknown(struct list_entry *, const char *);
static void	 list_set_name(struct list_entry *, const char *,
		    const char *);
static size_t	 list_words(const char *, int *, int *);
static int	 list_acronym_like(const char *);
static void	 list_warn(struct list_entry *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 list_set_acronym(struct list_entry *, const char *);
static int	 list_is_scope(const char *);
static int	 list_tail(struct list_entry *, char *,
		    const struct us_country **);
static int	 list_place_like(const char *);
static enum list_place list_place(struct list_entry *, const char *, int);
static int	 list_group(struct list_entry *, char *);
static int	 list_dashes(struct list_entry *, char *);
static int	 list_parse(struct list_entry *, char *);

/*
 * Headings that come before a list in a statement.  Compared by their
 * matching keys (us_country_key), so case, "ё" and dots do not matter.
 */
static const char *const list_headings[] = {
	"signed by", "signatories", "signatory organisations",
	"signatory organizations", "list of signatories", "organisations",
	"organizations", "co-signed by", "endorsed by", "supported by",
	"undersigned organisations", "undersigned organizations",
	"the undersigned", "signatures", "подписали", "подписанты",
	"список подписантов", "организации", "подписавшие организации",
	"организации-подписанты", "подписи",
};

/* Words that make a part after a dash more of the name, not a place. */
static const char *const list_org_words[] = {
	"centre", "center", "committee", "foundation", "association",
	"institute", "network", "union", "society", "movement", "coalition",
	"group", "council", "initiative", "project", "fund", "watch",
	"rights", "alliance", "club", "league", "forum", "house", "media",
	"press", "branch", "office", "chapter", "section", "team",
	"центр", "фонд", "комитет", "ассоциация", "союз", "движение",
	"сеть", "группа", "инициатива", "проект", "клуб", "дом", "филиал",
	"отделение",
};

/*
 * What a last parenthesis says when it gives the organisation's reach
 * rather than its acronym or country: "Amnesty International
 * (International)".  Compared by matching keys.
 */
static const char *const list_scopes[] = {
	"international", "regional", "global", "worldwide", "transnational",
	"international network", "international ngo",
	"international organisation", "international organization",
	"regional network", "europe wide", "eu wide",
	"международная", "международный", "международное",
	"региональная", "региональный", "региональное",
	"глобальная", "глобальный", "глобальное",
	"международная сеть", "международная организация",
	"региональная сеть",
};

/* Words that end with a period that belongs to them. */
static const char *const list_abbreviations[] = {
	"inc", "ltd", "co", "corp", "jr", "sr", "st", "bros", "assn",
	"intl", "e.v", "ev",
};

static unsigned int
list_first_cp(const char *s)
{
	unsigned int	cp;

	if (us_utf8_decode((const unsigned char *)s, strlen(s), &cp) == 0)
		return (0);
	return (cp);
}

/*
 * Skips what numbers or bullets a line: "12. ", "12) ", "12 ", "- ",
 * "• ".  A number must be followed by white space so that "350.org"
 * keeps its name.
 */
static char *
list_skip_marker(char *s)
{
	static const char *const bullets[] = {
		"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\xa6",
		"\xe2\x80\xa3", "\xe2\x97\x8f", "\xe2\x97\x8b", "\xe2\x96\xa0",
		"\xe2\x96\xba", "\xe2\x9c\x93", "\xe2\x9c\x94",
		"\xef\x82\xb7", "\xef\x82\xa7",	/* Word's Symbol bullets */
	};
	static const char *const spaced[] = {
		"-", "*", "\xe2\x80\x93", "\xe2\x80\x94",
	};
	char	*p = s;
	size_t	 i, n;

	for (i = 0; i < 5 && *p >= '0' && *p <= '9'; i++)
		p++;
	if (i > 0 && i < 5) {
		if (*p == '.' || *p == ')')
			p++;
		else if (i > 3)
			return (s);	/* "2024 Elections Watch" */
		if (*p == '\0' || us_text_space_len(p) > 0)
			return (us_import_trim(p));
		return (s);
	}
	for (i = 0; i < sizeof(bullets) / sizeof(bullets[0]); i++) {
		n = strlen(bullets[i]);
		if (strncmp(s, bullets[i], n) == 0)
			return (us_import_trim(s + n));
	}
	for (i = 0; i < sizeof(spaced) / sizeof(spaced[0]); i++) {
		n = strlen(spaced[i]);
		if (strncmp(s, spaced[i], n) == 0 &&
		    us_text_space_len(s + n) > 0)
			return (us_import_trim(s + n));
	}
	return (s);
}

/* Whether the period ending s[0..len) belongs to an abbreviation. */
static int
list_abbreviation(const char *s, size_t len)
{
	size_t	start, i, n;
	int	c;

	if (len < 2)
		return (0);
	c = (unsigned char)s[len - 2];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return (0);
	start = len - 1;
	while (start > 0 && s[start - 1] != ' ')
		start--;
	n = len - 1 - start;
	if (n == 1 || memchr(s + start, '.', n) != NULL)
		return (1);	/* "J." or "e.V." */
	for (i = 0; i < sizeof(list_abbreviations) /
	    sizeof(list_abbreviations[0]); i++) {
		if (strlen(list_abbreviations[i]) == n &&
		    strncasecmp(s + start, list_abbreviations[i], n) == 0)
			return (1);
	}
	return (0);
}

/* Drops the ";", "," and "." that end items in a written list. */
static void
list_trim_end(char *s)
{
	size_t	len, n;

	len = strlen(s);
	for (;;) {
		while ((n = us_text_space_before(s, s + len)) > 0)
			len -= n;
		if (len > 0 && (s[len - 1] == ';' || s[len - 1] == ',' ||
		    (s[len - 1] == '.' && !list_abbreviation(s, len)))) {
			len--;
			continue;
		}
		break;
	}
	s[len] = '\0';
}

static int
list_is_heading(const char *s)
{
	char	*key, *h;
	size_t	 i;
	int	 found = 0;

	/* Lists grouped by country put the country on a line of its own. */
	if (s[strlen(s) - 1] == ':' ||
	    us_country_match(s, US_COUNTRY_NAMES) != NULL)
		return (1);
	if ((key = us_country_key(s)) == NULL)
		return (0);
	for (i = 0; !found && i < sizeof(list_headings) /
	    sizeof(list_headings[0]); i++) {
		h = us_country_key(list_headings[i]);
		found = h != NULL && strcmp(h, key) == 0;
		free(h);
	}
	free(key);
	return (found);
}

static int
list_balanced(const char *s)
{
	int	depth = 0;

	for (; *s != '\0'; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && --depth < 0)
			return (0);
	}
	return (depth == 0);
}

static int
list_fail(struct list_entry *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
	us_import_utf8_fix(e->reason);
	return (US_FAIL);
}

/*
 * An unknown place.  A two-letter code gets its own advice: codes are
 * not read as countries in a list since "HR" or "GE" are as likely to
 * be acronyms.
 */
static int
list_unknown(struct list_entry *e, const char *what)
{
	const struct us_country	*c;
	char			 q[US_IMPORT_QUOTE_SIZE];

	us_import_quote(q, sizeof(q), what);
	if ((c = us_country_match(what, US_COUNTRY_CODE2)) != NULL)
		return (list_fail(e, "unknown country \"%s\": write the "
		    "country's name (\"%s\"?) rather than a two-letter code",
		    q, c->name));
	return (list_fail(e, "unknown country \"%s\"", q));
}

/* The name is s up to end, less the white space, commas and dashes. */
static void
list_set_name(struct list_entry *e, const char *s, const char *end)
{
	size_t	n;

	for (;;) {
		if ((n = us_text_space_before(s, end)) > 0)
			end -= n;
		else if (end > s && (end[-1] == ',' || end[-1] == ';' ||
		    end[-1] == ':'))
			end--;
		else if (end - s >= 3 && (strncmp(end - 3, "\xe2\x80\x93",
		    3) == 0 || strncmp(end - 3, "\xe2\x80\x94", 3) == 0))
			end -= 3;
		else if (end - s >= 2 && end[-1] == '-' &&
		    us_text_space_len(end - 2) > 0)
			end--;
		else
			break;
	}
	us_buf_reset(&e->name);
	us_buf_append(&e->name, s, (size_t)(end - s));
}

/*
 * Counts the words of s; tells whether a word after the first starts
 * with a small letter ("Moscow branch") and whether s has any small
 * letter at all.
 */
static size_t
list_words(const char *s, int *later_lower, int *any_lower)
{
	size_t		n = 0;
	unsigned int	cp;
	int		start = 1, k;

	*later_lower = *any_lower = 0;
	while (*s != '\0') {
		if ((k = (int)us_text_space_len(s)) > 0) {
			s += k;
			start = 1;
			continue;
		}
		if ((k = us_utf8_decode((const unsigned char *)s, strlen(s),
		    &cp)) == 0) {
			k = 1;
			cp = 0;
		}
		if (us_text_is_lower(cp))
			*any_lower = 1;
		if (start) {
			if (n > 0 && us_text_is_lower(cp))
				*later_lower = 1;
			n++;
			start = 0;
		}
		s += k;
	}
	return (n);
}

/* "HRW", "ADC Memorial", "n-ost" are acronyms; "Moscow branch" is not. */
static int
list_acronym_like(const char *s)
{
	int	later_lower, any_lower;
	size_t	n;

	n = list_words(s, &later_lower, &any_lower);
	return (n > 0 && n <= 4 && !later_lower &&
	    us_utf8_chars(s) <= US_IMPORT_ACRONYM_MAX);
}

static void
list_warn(struct list_entry *e, const char *fmt, ...)
{
	va_list	ap;
	size_t	len;

	len = strlen(e->warning);
	if (len > 0 && len + 2 < sizeof(e->warning)) {
		memcpy(e->warning + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(e->warning + len, sizeof(e->warning) - len, fmt, ap);
	va_end(ap);
	us_import_utf8_fix(e->warning);
}

/*
 * An acronym, flagged for a second look when it has small letters
 * ("HRW", "ARTICLE 19" are sure): "ADC Memorial" or "n-ost" may be an
 * acronym, or a part of the name.
 */
static void
list_set_acronym(struct list_entry *e, const char *s)
{
	char	q[US_IMPORT_QUOTE_SIZE];
	int	later_lower, any_lower;

	e->acronym = s;
	(void)list_words(s, &later_lower, &any_lower);
	if (any_lower) {
		us_import_quote(q, sizeof(q), s);
		list_warn(e, "\"%s\" read as the acronym", q);
	}
}

static int
list_is_scope(const char *s)
{
	char	*key;
	size_t	 i;
	int	 found = 0;

	if ((key = us_country_key(s)) == NULL)
		return (0);
	for (i = 0; !found && i < sizeof(list_scopes) /
	    sizeof(list_scopes[0]); i++)
		found = strcmp(key, list_scopes[i]) == 0;
	free(key);
	return (found);
}

/*
 * Whether s, written where a country goes, looks like the name of a
 * place we do not know ("Atlantis", "Transnistria") rather than more of
 * the name ("Human Rights Centre", "Rights Watch"): one or two
 * capitalised words, no digits, no word that names an organisation, and
 * not an all-capital acronym.
 */
static int
list_place_like(const char *s)
{
	char		*key, *w, *save;
	size_t		 n, i;
	int		 later_lower, any_lower, org = 0;

	if (strpbrk(s, "0123456789@/:&") != NULL ||
	    !us_text_is_upper(list_first_cp(s)))
		return (0);
	n = list_words(s, &later_lower, &any_lower);
	if (n < 1 || n > 2 || later_lower || !any_lower)
		return (0);
	if ((key = us_country_key(s)) == NULL)
		return (0);
	for (w = strtok_r(key, " ", &save); w != NULL && !org;
	    w = strtok_r(NULL, " ", &save)) {
		for (i = 0; i < sizeof(list_org_words) /
		    sizeof(list_org_words[0]); i++) {
			if (strcmp(w, list_org_words[i]) == 0)
				org = 1;
		}
	}
	free(key);
	return (!org);
}

/*
 * Reads part as one or more countries separated by "/" (matching only
 * kinds), and adds them to e when every piece is one.  On PLACE_BAD and
 * PLACE_NONE, e->unknown holds the first piece that is not a country.
 */
static enum list_place
list_place(struct list_entry *e, const char *part, int kinds)
{
	const struct us_country	*c[LIST_COUNTRIES_MAX], *found;
	const struct us_country	*loose = NULL;
	const char		*p, *slash;
	char			*piece, q[US_IMPORT_QUOTE_SIZE];
	size_t			 n = 0, bad = 0, i;

	us_buf_reset(&e->unknown);
	for (p = part; ; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		us_buf_reset(&e->tmp);
		us_buf_append(&e->tmp, p, (size_t)(slash - p));
		piece = us_import_trim(e->tmp.data);
		if (*piece != '\0') {
			if ((found = us_country_match(piece, kinds)) != NULL) {
				if (n < LIST_COUNTRIES_MAX)
					c[n] = found;
				n++;
				if (loose == NULL && us_country_loose(piece)) {
					loose = found;
					us_import_quote(q, sizeof(q), piece);
				}
			} else if (bad++ == 0)
				us_buf_puts(&e->unknown, piece);
		}
		if (*slash == '\0')
			break;
	}
	if (bad > 0 || n == 0) {
		if (e->unknown.len == 0)
			us_buf_puts(&e->unknown, part);
		return (n > 0 ? PLACE_BAD : PLACE_NONE);
	}
	for (i = 0; i < n && i < LIST_COUNTRIES_MAX; i++) {
		if (e->nc < LIST_COUNTRIES_MAX &&
		    (e->nc == 0 || e->c[e->nc - 1] != c[i]))
			e->c[e->nc++] = c[i];
	}
	if (loose != NULL)
		list_warn(e, "\"%s\" read as the country %s", q, loose->name);
	return (PLACE_OK);
}

/*
 * The details in the last parentheses: "(ACR)", "(Country)",
 * "(ACR, Country)", "(Country, Country)", "(ACR, Country/Country)".  A
 * lone part is a country only by its name (never by a code: "HR" and
 * "CAN" are acronyms too); places after the first part may also be
 * alpha-3 codes.
 */
static int
list_group(struct list_entry *e, char *g)
{
	char	*parts[LIST_PARTS_MAX], *p;
	size_t	 n = 0, i;

	for (p = g; ; p++) {
		if (*p != ',' && *p != ';' && *p != '\0')
			continue;
		if (n == LIST_PARTS_MAX)
			return (list_fail(e, "too many parts in the "
			    "parentheses (expected: acronym, country)"));
		parts[n++] = g;
		if (*p == '\0')
			break;
		*p = '\0';
		g = p + 1;
	}
	for (i = 0; i < n; ) {
		if (*(parts[i] = us_import_trim(parts[i])) == '\0' ||
		    list_is_scope(parts[i])) {
			memmove(&parts[i], &parts[i + 1],
			    (n - i - 1) * sizeof(parts[0]));
			n--;
		} else
			i++;
	}
	if (n == 0)
		return (US_OK);

	/* ISO names have commas of their own: "Korea, Republic of". */
	if (n >= 2) {
		us_buf_reset(&e->mid);
		us_buf_appendf(&e->mid, "%s, %s", parts[n - 2], parts[n - 1]);
		if (us_country_match(e->mid.data, US_COUNTRY_NAMES) != NULL)
			parts[--n - 1] = e->mid.data;
	}

	if (n == 1) {
		switch (list_place(e, parts[0], US_COUNTRY_NAMES)) {
		case PLACE_OK:
			return (US_OK);
		case PLACE_BAD:
			return (list_unknown(e, e->unknown.data));
		case PLACE_NONE:
			break;
		}
		if (list_acronym_like(parts[0]))
			list_set_acronym(e, parts[0]);
		else
			us_buf_appendf(&e->name, " (%s)", parts[0]);
		return (US_OK);
	}

	/* "(Germany, Switzerland)" or "(ACR, ...)" */
	if (list_place(e, parts[0], US_COUNTRY_NAMES) != PLACE_OK) {
		if (list_acronym_like(parts[0]))
			list_set_acronym(e, parts[0]);
		else
			us_buf_appendf(&e->name, " (%s)", parts[0]);
	}
	for (i = 1; i < n; i++) {
		if (list_place(e, parts[i], US_COUNTRY_NAMES |
		    US_COUNTRY_CODE3) != PLACE_OK)
			return (list_unknown(e, e->unknown.data));
	}
	if (e->nc > 2)
		return (list_fail(e, "more than two countries (at most two "
		    "may be given)"));
	return (US_OK);
}

/*
 * "Name – Country", "Name — ACR — Country": dashes with space around
 * them, and a spaced hyphen, separate details only when the last part
 * is a country; otherwise they belong to the name, unless after a real
 * dash the part looks like a place we do not know.
 */
static int
list_dashes(struct list_entry *e, char *s)
{
	struct list_sep		 seps[2], *last, *prev;
	const struct us_country	*c[LIST_COUNTRIES_MAX];
	char			*p, *q, *mid, *open, *d;
	size_t			 n, k, nsep = 0, nlast;
	int			 dash, kinds, later_lower, any_lower;

	memset(seps, 0, sizeof(seps));
	for (p = s; *p != '\0'; p++) {
		if ((n = us_text_space_len(p)) == 0)
			continue;
		q = p + n;
		if (strncmp(q, "\xe2\x80\x93", 3) == 0 ||
		    strncmp(q, "\xe2\x80\x94", 3) == 0) {
			k = 3;
			dash = 1;
		} else if (*q == '-') {
			k = 1;
			dash = 0;
		} else
			continue;
		if ((n = us_text_space_len(q + k)) == 0)
			continue;
		seps[0] = seps[1];
		seps[1].start = p;
		seps[1].end = q + k + n;
		seps[1].dash = dash;
		nsep++;
		p = q + k + n - 1;
	}
	if (nsep == 0) {
		list_set_name(e, s, s + strlen(s));
		return (US_OK);
	}
	last = &seps[1];
	prev = nsep >= 2 ? &seps[0] : NULL;
	kinds = US_COUNTRY_NAMES | (prev != NULL ? US_COUNTRY_CODE3 : 0);

	switch (list_place(e, last->end, kinds)) {
	case PLACE_BAD:
		return (list_unknown(e, e->unknown.data));
	case PLACE_NONE:
		if (last->dash && list_place_like(last->end))
			return (list_unknown(e, e->unknown.data));
		list_set_name(e, s, s + strlen(s));
		return (US_OK);
	case PLACE_OK:
		break;
	}
	list_set_name(e, s, last->start);
	if (prev != NULL) {
		us_buf_reset(&e->mid);
		us_buf_append(&e->mid, prev->end,
		    (size_t)(last->start - prev->end));
		mid = us_import_trim(e->mid.data);
		nlast = e->nc;
		if (list_place(e, mid, US_COUNTRY_NAMES) == PLACE_OK) {
			/* "Name – Germany – Switzerland": in that order. */
			memcpy(c, e->c, nlast * sizeof(c[0]));
			memmove(e->c, e->c + nlast, (e->nc - nlast) *
			    sizeof(c[0]));
			memcpy(e->c + (e->nc - nlast), c, nlast *
			    sizeof(c[0]));
			list_set_name(e, s, prev->start);
		} else if (list_words(mid, &later_lower, &any_lower) == 1 &&
		    list_acronym_like(mid)) {
			list_set_acronym(e, mid);
			list_set_name(e, s, prev->start);
		}
	}
	if (e->nc > 2)
		return (list_fail(e, "more than two countries (at most two "
		    "may be given)"));

	/* "Name (ACR) – Country" */
	d = e->name.data;
	n = e->name.len;
	if (e->acronym == NULL && n > 0 && d[n - 1] == ')' &&
	    (open = strrchr(d, '(')) != NULL) {
		us_buf_reset(&e->mid);
		us_buf_append(&e->mid, open + 1,
		    (size_t)(d + n - 2 - open));
		mid = us_import_trim(e->mid.data);
		if (*mid != '\0' && strpbrk(mid, ",;()") == NULL &&
		    (list_is_scope(mid) || (list_acronym_like(mid) &&
		    us_country_match(mid, US_COUNTRY_NAMES) == NULL))) {
			if (!list_is_scope(mid))
				list_set_acronym(e, mid);
			n = (size_t)(open - d);
			while ((k = us_text_space_before(d, d + n)) > 0)
				n -= k;
			d[n] = '\0';
			e->name.len = n;
		}
	}
	return (US_OK);
}

/*
 * ", Country" or ", Country, Country" (also "Country/Country") ending
 * the line: cut off s, the countries in c.  Only a known country name
 * makes a comma a separator, so "Acme Rights, Inc." keeps its name.
 */
static int
list_tail(struct list_entry *e, char *s, const struct us_country **c)
{
	const struct us_country	*found[2];
	char			*comma, *p, *piece, *slash;
	size_t			 n = 0, k;
	int			 depth, ok;

	while (n < 2) {
		depth = 0;
		comma = NULL;
		for (p = s; *p != '\0'; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if (*p == ',' && depth == 0)
				comma = p;
		}
		if (comma == NULL)
			break;
		us_buf_reset(&e->tmp);
		us_buf_puts(&e->tmp, comma + 1);
		k = 0;
		ok = 1;
		for (piece = e->tmp.data; ok; piece = slash + 1) {
			if ((slash = strchr(piece, '/')) != NULL)
				*slash = '\0';
			if (n + k == 2 || (found[k] = us_country_match(
			    us_import_trim(piece), US_COUNTRY_NAMES)) == NULL)
				ok = 0;
			else
				k++;
			if (slash == NULL)
				break;
		}
		if (!ok || k == 0)
			break;
		/* Read right to left: these come before those found. */
		memmove(c + k, c, n * sizeof(c[0]));
		memcpy(c, found, k * sizeof(c[0]));
		piece = us_import_trim(comma + 1);
		if (k == 1 && us_country_loose(piece))
			list_warn(e, "\"%s\" read as the country %s", piece,
			    found[0]->name);
		n += k;
		*comma = '\0';
		list_trim_end(s);
	}
	return ((int)n);
}

static int
list_parse(struct list_entry *e, char *s)
{
	const struct us_country	*tail[2];
	char			*end, *open;
	int			 depth, ntail, i;
	size_t			 j;

	if (!list_balanced(s))
		return (list_fail(e, "unbalanced parentheses: every \"(\" "
		    "needs its \")\""));
	ntail = list_tail(e, s, tail);
	end = s + strlen(s);
	if (end == s)
		return (list_fail(e, "no organisation name"));
	if (end[-1] != ')') {
		if (!list_dashes(e, s))
			return (US_FAIL);
	} else {
		/* The last group is the details; earlier ones the name's. */
		depth = 0;
		for (open = end - 1; open >= s; open--) {
			if (*open == ')')
				depth++;
			else if (*open == '(' && --depth == 0)
				break;
		}
		*open = '\0';
		end[-1] = '\0';
		list_set_name(e, s, open);
		if (e->name.len == 0)
			return (list_fail(e, "no organisation name"));
		if (!list_group(e, open + 1))
			return (US_FAIL);
	}
	for (i = 0; i < ntail; i++) {
		for (j = 0; j < e->nc && e->c[j] != tail[i]; j++)
			;
		if (j == e->nc && e->nc < LIST_COUNTRIES_MAX)
			e->c[e->nc++] = tail[i];
	}
	if (e->nc > 2)
		return (list_fail(e, "more than two countries (at most two "
		    "may be given)"));
	return (US_OK);
}

static void
list_line(struct us_import *imp, size_t lineno, const char *raw,
    size_t len)
{
	struct us_import_row	*row;
	struct list_entry	 e;
	enum us_text_verdict	 v;
	char			*copy, *clean = NULL, *s;
	size_t			 i, chars;

	memset(&e, 0, sizeof(e));
	us_buf_init(&e.name);
	us_buf_init(&e.unknown);
	us_buf_init(&e.tmp);
	us_buf_init(&e.mid);
	if (len > US_IMPORT_LINE_MAX) {
		us_import_reject_add(imp, lineno, raw, len, "the line is too long "
		    "(%zu bytes, at most %d)", len, US_IMPORT_LINE_MAX);
		return;
	}
	/* Lists copied from word processors put tabs after the numbers. */
	copy = us_strndup(raw, len);
	for (i = 0; i < len; i++) {
		if (copy[i] == '\t')
			copy[i] = ' ';
	}
	v = us_text_clean(copy, len, 0, &clean, &chars);
	free(copy);
	if (v == US_TEXT_BAD_UTF8) {
		us_import_reject_add(imp, lineno, raw, len, "not valid UTF-8 text "
		    "(was it copied from a file in another encoding?)");
		goto done;
	}
	if (v == US_TEXT_CONTROL) {
		us_import_reject_add(imp, lineno, raw, len, "contains a control "
		    "character");
		goto done;
	}
	if (v == US_TEXT_BIDI) {
		us_import_reject_add(imp, lineno, raw, len, "contains a character "
		    "that reverses the direction of text (U+202A-U+202E, "
		    "U+2066-U+2069)");
		goto done;
	}
	if (*clean == '\0')
		goto done;	/* a blank line separates, it does not sign */
	s = list_skip_marker(clean);
	list_trim_end(s);
	if (*s == '\0') {
		us_import_reject_add(imp, lineno, raw, len, "no organisation name");
		goto done;
	}
	if (list_is_heading(s)) {
		us_import_reject_add(imp, lineno, raw, len,
		    "not an organisation: a heading?");
		goto done;
	}
	if (!list_parse(&e, s)) {
		us_import_reject_add(imp, lineno, raw, len, "%s", e.reason);
		goto done;
	}
	if (e.name.len == 0 || e.name.data[0] == '\0') {
		us_import_reject_add(imp, lineno, raw, len, "no organisation name");
		goto done;
	}
	if ((chars = us_utf8_chars(e.name.data)) > US_IMPORT_NAME_MAX) {
		us_import_reject_add(imp, lineno, raw, len, "the organisation name is "
		    "too long (%zu characters, at most %d)", chars,
		    US_IMPORT_NAME_MAX);
		goto done;
	}
	row = us_import_row_add(imp, lineno, raw, len);
	us_fields_set(&row->fields, "organisation", e.name.data,
	    strlen(e.name.data));
	if (e.acronym != NULL && *e.acronym != '\0')
		us_fields_set(&row->fields, "acronym", e.acronym,
		    strlen(e.acronym));
	if (e.nc > 0)
		us_fields_set(&row->fields, "country", e.c[0]->alpha2, 2);
	if (e.nc > 1)
		us_fields_set(&row->fields, "country2", e.c[1]->alpha2, 2);
	(void)snprintf(row->warning, sizeof(row->warning), "%s", e.warning);
done:
	free(clean);
	us_buf_free(&e.name);
	us_buf_free(&e.unknown);
	us_buf_free(&e.tmp);
	us_buf_free(&e.mid);
}

/*
 * A pasted list: one organisation a line, numbered, bulleted or not.
 * Line ends may be LF, CR LF or CR.  Always succeeds: what cannot be
 * read is in the rejects.
 */
int
us_import_list(struct us_import *imp, const char *in, size_t len)
{
	size_t	p = 0, q, line = 1;

	memset(imp, 0, sizeof(*imp));
	while (p < len) {
		for (q = p; q < len && in[q] != '\n' && in[q] != '\r'; q++)
			;
		list_line(imp, line, in + p, q - p);
		if (q + 1 < len && in[q] == '\r' && in[q + 1] == '\n')
			q++;
		p = q + 1;
		line++;
	}
	return (US_OK);
}

