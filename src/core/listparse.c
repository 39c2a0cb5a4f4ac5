#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "country.h"
#include "listparse.h"
#include "text.h"

#define IMPORT_ACRONYM_MAX	40	/* characters, as the signature rule */
#define IMPORT_QUOTE_MAX	40	/* characters of a user's text quoted */
#define IMPORT_QUOTE_SIZE	(IMPORT_QUOTE_MAX * 4 + 4)
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
	char			 reason[200];
};

/* The separator " – " found in a line: where it starts and ends. */
struct list_sep {
	char	*start;
	char	*end;
	int	 dash;		/* an en or em dash, not a hyphen */
};

/* One CSV record while it is read. */
struct csv_rec {
	size_t		 line;
	const char	*raw;
	size_t		 rawlen;
	struct us_buf	*cells;
	size_t		 n;
	size_t		 cap;
	int		 unterminated;
};

struct csv_column {
	const char	*field;
	const char	*name;
};

static void	*import_grow(void *, size_t, size_t);
static char	*import_text(const char *, size_t);
static void	 import_utf8_fix(char *);
static void	 import_quote(char *, size_t, const char *);
static struct us_import_row *import_row(struct us_import *, size_t,
		    const char *, size_t);
static void	 import_reject(struct us_import *, size_t, const char *,
		    size_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static size_t	 import_space_len(const char *);
static size_t	 import_space_before(const char *, const char *);
static char	*import_trim(char *);
static unsigned int import_cp(const char *);
static int	 import_is_upper(unsigned int);
static int	 import_is_lower(unsigned int);

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
static int	 list_place_like(const char *);
static enum list_place list_place(struct list_entry *, const char *, int);
static int	 list_group(struct list_entry *, char *);
static int	 list_dashes(struct list_entry *, char *);
static int	 list_parse(struct list_entry *, char *);

static void	 csv_rec_free(struct csv_rec *);
static struct us_buf *csv_cell(struct csv_rec *);
static int	 csv_next(const char *, size_t, size_t *, size_t *, int,
		    struct csv_rec *);
static int	 csv_blank(const struct csv_rec *);
static int	 csv_delimiter(const char *, size_t);
static const char *csv_field(const char *);
static int	 csv_country(struct us_fields *, const char *, char *,
		    size_t);
static void	 csv_row(struct us_import *, const struct csv_rec *,
		    const struct csv_rec *, const char **);

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

/* Words that end with a period that belongs to them. */
static const char *const list_abbreviations[] = {
	"inc", "ltd", "co", "corp", "jr", "sr", "st", "bros", "assn",
	"intl", "e.v", "ev",
};

/*
 * Column names accepted in a CSV header, compared by their matching
 * keys.  "name" alone is handled apart: it is the organisation when no
 * other column is, else the representative.
 */
static const struct csv_column csv_columns[] = {
	{ "organisation", "organisation" },
	{ "organisation", "organization" },
	{ "organisation", "org" },
	{ "organisation", "organisation name" },
	{ "organisation", "organization name" },
	{ "organisation", "name of organisation" },
	{ "organisation", "name of organization" },
	{ "organisation", "организация" },
	{ "organisation", "название" },
	{ "organisation", "название организации" },
	{ "organisation", "наименование" },
	{ "organisation", "наименование организации" },
	{ "acronym", "acronym" },
	{ "acronym", "abbreviation" },
	{ "acronym", "short name" },
	{ "acronym", "аббревиатура" },
	{ "acronym", "сокращение" },
	{ "acronym", "краткое название" },
	{ "acronym", "сокращённое название" },
	{ "country", "country" },
	{ "country", "country of registration" },
	{ "country", "страна" },
	{ "country", "страна регистрации" },
	{ "website", "website" },
	{ "website", "web site" },
	{ "website", "web" },
	{ "website", "url" },
	{ "website", "site" },
	{ "website", "homepage" },
	{ "website", "сайт" },
	{ "website", "веб-сайт" },
	{ "contact_name", "contact name" },
	{ "contact_name", "contact" },
	{ "contact_name", "contact person" },
	{ "contact_name", "representative" },
	{ "contact_name", "name of representative" },
	{ "contact_name", "representative's name" },
	{ "contact_name", "контактное лицо" },
	{ "contact_name", "представитель" },
	{ "contact_name", "фио" },
	{ "contact_role", "contact role" },
	{ "contact_role", "role" },
	{ "contact_role", "position" },
	{ "contact_role", "title" },
	{ "contact_role", "должность" },
	{ "email", "email" },
	{ "email", "e-mail" },
	{ "email", "mail" },
	{ "email", "email address" },
	{ "email", "e-mail address" },
	{ "email", "почта" },
	{ "email", "электронная почта" },
	{ "email", "эл. почта" },
	{ "email", "e-mail адрес" },
	{ "comment", "comment" },
	{ "comment", "comments" },
	{ "comment", "note" },
	{ "comment", "notes" },
	{ "comment", "комментарий" },
	{ "comment", "комментарии" },
	{ "comment", "примечание" },
	{ "visibility", "visibility" },
	{ "visibility", "видимость" },
};

/* A copy that can be shown and sent as JSON: bad bytes become U+FFFD. */
static char *
import_text(const char *s, size_t len)
{
	struct us_buf	b;
	size_t		i;
	unsigned int	cp;
	int		k;

	us_buf_init(&b);
	for (i = 0; i < len; i += (size_t)k) {
		k = us_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0 || cp == 0) {
			us_buf_puts(&b, "\xef\xbf\xbd");
			k = 1;
		} else
			us_buf_append(&b, s + i, (size_t)k);
	}
	return (us_buf_release(&b));
}

/* Cuts a sequence that snprintf left incomplete at the end of s. */
static void
import_utf8_fix(char *s)
{
	size_t		len, i;
	unsigned int	cp;

	len = strlen(s);
	i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0x80 &&
	    us_utf8_decode((unsigned char *)s + i - 1, len - i + 1, &cp) == 0)
		s[i - 1] = '\0';
}

/* At most IMPORT_QUOTE_MAX characters of s, for a reason. */
static void
import_quote(char *dst, size_t size, const char *s)
{
	size_t	n;

	n = us_utf8_prefix(s, IMPORT_QUOTE_MAX);
	(void)snprintf(dst, size, "%.*s%s", (int)n, s,
	    s[n] != '\0' ? "…" : "");
	import_utf8_fix(dst);
}

/*
 * Room for element n of an array.  struct us_import has no capacity
 * fields, so the capacity is implied by the count: 16, then doubling
 * each time the count reaches a power of two.
 */
static void *
import_grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return (us_realloc(v, 16 * size));
	if (n < 16 || (n & (n - 1)) != 0)
		return (v);
	if (n > SIZE_MAX / 2 / size)
		abort();
	return (us_realloc(v, 2 * n * size));
}

static struct us_import_row *
import_row(struct us_import *imp, size_t line, const char *text,
    size_t len)
{
	struct us_import_row	*r;

	imp->rows = import_grow(imp->rows, imp->nrows, sizeof(*imp->rows));
	r = &imp->rows[imp->nrows++];
	r->line = line;
	r->text = import_text(text, len);
	us_fields_init(&r->fields);
	return (r);
}

static void
import_reject(struct us_import *imp, size_t line, const char *text,
    size_t len, const char *fmt, ...)
{
	struct us_import_reject	*r;
	va_list			 ap;

	imp->rejects = import_grow(imp->rejects, imp->nrejects,
	    sizeof(*imp->rejects));
	r = &imp->rejects[imp->nrejects++];
	r->line = line;
	r->text = import_text(text, len);
	va_start(ap, fmt);
	(void)vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	import_utf8_fix(r->reason);
}

/* Bytes of the white space character at s (also no-break spaces), or 0. */
static size_t
import_space_len(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\t')
		return (1);
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return (2);
	if (u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xaf))
		return (3);
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return (3);
	return (0);
}

/* Bytes of the white space character that ends at end, or 0. */
static size_t
import_space_before(const char *start, const char *end)
{
	size_t	n;

	for (n = 1; n <= 3 && (size_t)(end - start) >= n; n++) {
		if (import_space_len(end - n) == n)
			return (n);
	}
	return (0);
}

/* Trims white space at both ends, in place. */
static char *
import_trim(char *s)
{
	char	*end;
	size_t	 n;

	while ((n = import_space_len(s)) > 0)
		s += n;
	end = s + strlen(s);
	while ((n = import_space_before(s, end)) > 0)
		end -= n;
	*end = '\0';
	return (s);
}

static unsigned int
import_cp(const char *s)
{
	unsigned int	cp;

	if (us_utf8_decode((const unsigned char *)s, strlen(s), &cp) == 0)
		return (0);
	return (cp);
}

/* Enough of Unicode for the heuristics below: Latin, Greek, Cyrillic. */
static int
import_is_upper(unsigned int c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde &&
	    c != 0xd7) || (c >= 0x386 && c <= 0x3ab) ||
	    (c >= 0x400 && c <= 0x42f) ||
	    (c >= 0x100 && c <= 0x17f && c % 2 == 0));
}

static int
import_is_lower(unsigned int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff &&
	    c != 0xf7) || (c >= 0x3ac && c <= 0x3ce) ||
	    (c >= 0x430 && c <= 0x45f));
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
		if (*p == '\0' || import_space_len(p) > 0)
			return (import_trim(p));
		return (s);
	}
	for (i = 0; i < sizeof(bullets) / sizeof(bullets[0]); i++) {
		n = strlen(bullets[i]);
		if (strncmp(s, bullets[i], n) == 0)
			return (import_trim(s + n));
	}
	for (i = 0; i < sizeof(spaced) / sizeof(spaced[0]); i++) {
		n = strlen(spaced[i]);
		if (strncmp(s, spaced[i], n) == 0 &&
		    import_space_len(s + n) > 0)
			return (import_trim(s + n));
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
		while ((n = import_space_before(s, s + len)) > 0)
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

	if (s[strlen(s) - 1] == ':')
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
	import_utf8_fix(e->reason);
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
	char			 q[IMPORT_QUOTE_SIZE];

	import_quote(q, sizeof(q), what);
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
		if ((n = import_space_before(s, end)) > 0)
			end -= n;
		else if (end > s && (end[-1] == ',' || end[-1] == ';' ||
		    end[-1] == ':'))
			end--;
		else if (end - s >= 3 && (strncmp(end - 3, "\xe2\x80\x93",
		    3) == 0 || strncmp(end - 3, "\xe2\x80\x94", 3) == 0))
			end -= 3;
		else if (end - s >= 2 && end[-1] == '-' &&
		    import_space_len(end - 2) > 0)
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
		if ((k = (int)import_space_len(s)) > 0) {
			s += k;
			start = 1;
			continue;
		}
		if ((k = us_utf8_decode((const unsigned char *)s, strlen(s),
		    &cp)) == 0) {
			k = 1;
			cp = 0;
		}
		if (import_is_lower(cp))
			*any_lower = 1;
		if (start) {
			if (n > 0 && import_is_lower(cp))
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
	    us_utf8_chars(s) <= IMPORT_ACRONYM_MAX);
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
	    !import_is_upper(import_cp(s)))
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
	const char		*p, *slash;
	char			*piece;
	size_t			 n = 0, bad = 0, i;

	us_buf_reset(&e->unknown);
	for (p = part; ; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		us_buf_reset(&e->tmp);
		us_buf_append(&e->tmp, p, (size_t)(slash - p));
		piece = import_trim(e->tmp.data);
		if (*piece != '\0') {
			if ((found = us_country_match(piece, kinds)) != NULL) {
				if (n < LIST_COUNTRIES_MAX)
					c[n] = found;
				n++;
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
		if (*(parts[i] = import_trim(parts[i])) == '\0') {
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
			e->acronym = parts[0];
		else
			us_buf_appendf(&e->name, " (%s)", parts[0]);
		return (US_OK);
	}

	/* "(Germany, Switzerland)" or "(ACR, ...)" */
	if (list_place(e, parts[0], US_COUNTRY_NAMES) != PLACE_OK) {
		if (list_acronym_like(parts[0]))
			e->acronym = parts[0];
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
		if ((n = import_space_len(p)) == 0)
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
		if ((n = import_space_len(q + k)) == 0)
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
		mid = import_trim(e->mid.data);
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
			e->acronym = mid;
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
		mid = import_trim(e->mid.data);
		if (*mid != '\0' && strpbrk(mid, ",;()") == NULL &&
		    list_acronym_like(mid) &&
		    us_country_match(mid, US_COUNTRY_NAMES) == NULL) {
			e->acronym = mid;
			n = (size_t)(open - d);
			while ((k = import_space_before(d, d + n)) > 0)
				n -= k;
			d[n] = '\0';
			e->name.len = n;
		}
	}
	return (US_OK);
}

static int
list_parse(struct list_entry *e, char *s)
{
	char	*end, *open;
	int	 depth;

	if (!list_balanced(s))
		return (list_fail(e, "unbalanced parentheses: every \"(\" "
		    "needs its \")\""));
	end = s + strlen(s);
	if (end == s || end[-1] != ')')
		return (list_dashes(e, s));

	/* The last group is the details; earlier ones are in the name. */
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
	return (list_group(e, open + 1));
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
		import_reject(imp, lineno, raw, len, "the line is too long "
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
		import_reject(imp, lineno, raw, len, "not valid UTF-8 text "
		    "(was it copied from a file in another encoding?)");
		goto done;
	}
	if (v == US_TEXT_CONTROL) {
		import_reject(imp, lineno, raw, len, "contains a control "
		    "character");
		goto done;
	}
	if (v == US_TEXT_BIDI) {
		import_reject(imp, lineno, raw, len, "contains a character "
		    "that reverses the direction of text (U+202A-U+202E, "
		    "U+2066-U+2069)");
		goto done;
	}
	if (*clean == '\0')
		goto done;	/* a blank line separates, it does not sign */
	s = list_skip_marker(clean);
	list_trim_end(s);
	if (*s == '\0') {
		import_reject(imp, lineno, raw, len, "no organisation name");
		goto done;
	}
	if (list_is_heading(s)) {
		import_reject(imp, lineno, raw, len,
		    "not an organisation: a heading?");
		goto done;
	}
	if (!list_parse(&e, s)) {
		import_reject(imp, lineno, raw, len, "%s", e.reason);
		goto done;
	}
	if (e.name.len == 0 || e.name.data[0] == '\0') {
		import_reject(imp, lineno, raw, len, "no organisation name");
		goto done;
	}
	if ((chars = us_utf8_chars(e.name.data)) > US_IMPORT_NAME_MAX) {
		import_reject(imp, lineno, raw, len, "the organisation name is "
		    "too long (%zu characters, at most %d)", chars,
		    US_IMPORT_NAME_MAX);
		goto done;
	}
	row = import_row(imp, lineno, raw, len);
	us_fields_set(&row->fields, "organisation", e.name.data,
	    strlen(e.name.data));
	if (e.acronym != NULL && *e.acronym != '\0')
		us_fields_set(&row->fields, "acronym", e.acronym,
		    strlen(e.acronym));
	if (e.nc > 0)
		us_fields_set(&row->fields, "country", e.c[0]->alpha2, 2);
	if (e.nc > 1)
		us_fields_set(&row->fields, "country2", e.c[1]->alpha2, 2);
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

static void
csv_rec_free(struct csv_rec *r)
{
	size_t	i;

	for (i = 0; i < r->cap; i++)
		us_buf_free(&r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static struct us_buf *
csv_cell(struct csv_rec *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 16 : r->cap * 2;
		r->cells = us_realloc(r->cells, r->cap * sizeof(*r->cells));
		memset(r->cells + r->n, 0, (r->cap - r->n) *
		    sizeof(*r->cells));
	}
	us_buf_reset(&r->cells[r->n]);
	return (&r->cells[r->n++]);
}

/*
 * Reads one RFC 4180 record from *pos, counting lines in *line (also
 * inside quoted fields).  Leniencies: a lone CR ends a line (old Mac
 * exports); spaces before an opening quote are skipped; text after a
 * closing quote is kept.  Returns 0 at the end of the input.
 */
static int
csv_next(const char *in, size_t len, size_t *pos, size_t *line, int delim,
    struct csv_rec *r)
{
	struct us_buf	*cell;
	size_t		 p, q, end;

	if (*pos >= len)
		return (0);
	r->n = 0;
	r->line = *line;
	r->raw = in + *pos;
	r->unterminated = 0;
	p = *pos;
	for (;;) {
		cell = csv_cell(r);
		for (q = p; q < len && in[q] == ' '; q++)
			;
		if (q < len && in[q] == '"') {
			for (p = q + 1; ; p++) {
				if (p >= len) {
					r->unterminated = 1;
					break;
				}
				if (in[p] == '"') {
					if (p + 1 < len && in[p + 1] == '"') {
						us_buf_putc(cell, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				if (in[p] == '\n' || (in[p] == '\r' &&
				    (p + 1 >= len || in[p + 1] != '\n')))
					(*line)++;
				us_buf_putc(cell, in[p]);
			}
		}
		while (p < len && in[p] != delim && in[p] != '\n' &&
		    in[p] != '\r')
			us_buf_putc(cell, in[p++]);
		if (p >= len) {
			end = p;
			break;
		}
		if (in[p] == delim) {
			p++;
			if (p >= len)
				(void)csv_cell(r);	/* "a,b," ends empty */
			else
				continue;
			end = p;
			break;
		}
		end = p;
		if (in[p] == '\r' && p + 1 < len && in[p + 1] == '\n')
			p++;
		p++;
		(*line)++;
		break;
	}
	r->rawlen = end - *pos;
	*pos = p;
	return (1);
}

/* Spreadsheets end files with rows of empty cells ("",,,): not records. */
static int
csv_blank(const struct csv_rec *r)
{
	size_t	i, j;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->cells[i].len; j++) {
			if (import_space_len(r->cells[i].data + j) == 0 &&
			    r->cells[i].data[j] != '\n' &&
			    r->cells[i].data[j] != '\r')
				return (0);
		}
	}
	return (1);
}

/*
 * The delimiter the header line uses most, outside quotes: Excel writes
 * ";" where the decimal separator is a comma, and "Unicode text" with
 * tabs.
 */
static int
csv_delimiter(const char *in, size_t len)
{
	size_t	i, comma = 0, semi = 0, tab = 0;
	int	quoted = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (in[i] == '\n' || in[i] == '\r')
			break;
		else if (in[i] == ',')
			comma++;
		else if (in[i] == ';')
			semi++;
		else if (in[i] == '\t')
			tab++;
	}
	if (tab > comma && tab > semi)
		return ('\t');
	if (semi > comma)
		return (';');
	return (',');
}

/* The field a header cell names, "name" for the generic one, or NULL. */
static const char *
csv_field(const char *header)
{
	struct us_buf	 b;
	char		*key, *k;
	const char	*field = NULL;
	size_t		 i;

	/* "Contact_name", "Organisation*", "Email:" */
	us_buf_init(&b);
	us_buf_puts(&b, header);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] == '_')
			b.data[i] = ' ';
	}
	while (b.len > 0 && (b.data[b.len - 1] == '*' ||
	    b.data[b.len - 1] == ':' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	key = us_country_key(b.data);
	us_buf_free(&b);
	if (key == NULL)
		return (NULL);
	if (strcmp(key, "name") == 0 || strcmp(key, "имя") == 0)
		field = "name";
	for (i = 0; field == NULL && i < sizeof(csv_columns) /
	    sizeof(csv_columns[0]); i++) {
		k = us_country_key(csv_columns[i].name);
		if (k != NULL && strcmp(k, key) == 0)
			field = csv_columns[i].field;
		free(k);
	}
	free(key);
	return (field);
}

/*
 * A dedicated country column: any form us_country_find knows, codes
 * included, or two countries separated by "/", ";" or ",".  On failure
 * why says which one is unknown.
 */
static int
csv_country(struct us_fields *f, const char *v, char *why, size_t whysize)
{
	const struct us_country	*c[2];
	struct us_buf		 b;
	char			*p, *piece, q[IMPORT_QUOTE_SIZE];
	size_t			 n = 0, len;
	int			 last, rc = US_FAIL;

	if ((c[0] = us_country_find(v)) != NULL) {
		us_fields_set(f, "country", c[0]->alpha2, 2);
		return (US_OK);
	}
	us_buf_init(&b);
	us_buf_puts(&b, v);
	for (p = b.data; ; p += len + 1) {
		len = strcspn(p, "/;,");
		last = p[len] == '\0';
		p[len] = '\0';
		piece = import_trim(p);
		if (*piece != '\0') {
			if (n == 2) {
				(void)snprintf(why, whysize, "more than two "
				    "countries (at most two may be given)");
				goto done;
			}
			if ((c[n++] = us_country_find(piece)) == NULL) {
				import_quote(q, sizeof(q), piece);
				(void)snprintf(why, whysize,
				    "unknown country \"%s\"", q);
				import_utf8_fix(why);
				goto done;
			}
		}
		if (last)
			break;
	}
	if (n == 0) {
		import_quote(q, sizeof(q), v);
		(void)snprintf(why, whysize, "unknown country \"%s\"", q);
		import_utf8_fix(why);
		goto done;
	}
	us_fields_set(f, "country", c[0]->alpha2, 2);
	if (n == 2 && c[1] != c[0])
		us_fields_set(f, "country2", c[1]->alpha2, 2);
	rc = US_OK;
done:
	us_buf_free(&b);
	return (rc);
}

/* One data record: its cells, cleaned, under the fields their columns map. */
static void
csv_row(struct us_import *imp, const struct csv_rec *hdr,
    const struct csv_rec *r, const char **map)
{
	struct us_import_row	*row;
	struct us_fields	 f;
	enum us_text_verdict	 v;
	const char		*org;
	char			*out, *src, *dst, why[200];
	char			 q[IMPORT_QUOTE_SIZE];
	size_t			 i, chars;

	us_fields_init(&f);
	for (i = 0; i < r->n; i++) {
		if (map[i] == NULL)
			continue;
		v = us_text_clean(r->cells[i].data != NULL ?
		    r->cells[i].data : "", r->cells[i].len, US_TEXT_MULTILINE,
		    &out, &chars);
		if (v != US_TEXT_OK) {
			import_quote(q, sizeof(q), hdr->cells[i].data);
			import_reject(imp, r->line, r->raw, r->rawlen,
			    "column \"%s\" contains a control character", q);
			goto done;
		}
		/* A line break typed in a cell is a space, but in comments. */
		if (strcmp(map[i], "comment") != 0) {
			for (src = dst = out; *src != '\0'; src++) {
				if (*src == '\n' || *src == '\t') {
					while (dst > out && dst[-1] == ' ')
						dst--;
					*dst++ = ' ';
					while (src[1] == ' ' ||
					    src[1] == '\n' || src[1] == '\t')
						src++;
				} else
					*dst++ = *src;
			}
			*dst = '\0';
		}
		if (*out != '\0' && us_fields_find(&f, map[i]) == NULL) {
			if (strcmp(map[i], "country") == 0) {
				if (!csv_country(&f, out, why, sizeof(why))) {
					free(out);
					import_reject(imp, r->line, r->raw,
					    r->rawlen, "%s", why);
					goto done;
				}
			} else
				us_fields_set(&f, map[i], out, strlen(out));
		}
		free(out);
	}
	if ((org = us_fields_get(&f, "organisation")) == NULL) {
		import_reject(imp, r->line, r->raw, r->rawlen,
		    "no organisation name");
		goto done;
	}
	if ((chars = us_utf8_chars(org)) > US_IMPORT_NAME_MAX) {
		import_reject(imp, r->line, r->raw, r->rawlen, "the "
		    "organisation name is too long (%zu characters, at most "
		    "%d)", chars, US_IMPORT_NAME_MAX);
		goto done;
	}
	row = import_row(imp, r->line, r->raw, r->rawlen);
	row->fields = f;
	return;
done:
	us_fields_free(&f);
}

/*
 * A CSV file with a header row.  The file must be UTF-8 (a BOM is
 * skipped); the delimiter is guessed from the header; the columns are
 * recognised by name in English or Russian, and those not recognised
 * are ignored.  Fails only for the file as a whole.
 */
int
us_import_csv(struct us_import *imp, const char *in, size_t len,
    struct us_error *err)
{
	struct csv_rec	 hdr, rec;
	const char	**map = NULL, *field;
	size_t		 pos = 0, line = 1, i, j, k;
	unsigned int	 cp;
	int		 delim, rc = US_FAIL, has_org = 0, has_contact = 0;

	memset(imp, 0, sizeof(*imp));
	memset(&hdr, 0, sizeof(hdr));
	memset(&rec, 0, sizeof(rec));
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	for (i = pos; i < len; i += (size_t)k) {
		k = us_utf8_decode((const unsigned char *)in + i, len - i, &cp);
		if (k == 0 || cp == 0)
			return (us_error_set(err, US_E_INVALID, "file",
			    "invalid_utf8", "The file is not UTF-8 text (line "
			    "%zu). Save it as \"CSV UTF-8\" or choose UTF-8 "
			    "when exporting.", line));
		if (in[i] == '\n' || (in[i] == '\r' && (i + 1 >= len ||
		    in[i + 1] != '\n')))
			line++;
	}
	line = 1;

	/* The header is the first line that is not blank. */
	while (pos < len && (in[pos] == '\n' || in[pos] == '\r')) {
		if (in[pos] == '\n' || pos + 1 >= len || in[pos + 1] != '\n')
			line++;
		pos++;
	}
	delim = csv_delimiter(in + pos, len - pos);
	if (!csv_next(in, len, &pos, &line, delim, &hdr) || csv_blank(&hdr)) {
		us_error_set(err, US_E_INVALID, "file", "empty",
		    "The file is empty: it needs a header row naming the "
		    "columns, then one row per organisation.");
		goto done;
	}
	if (hdr.unterminated) {
		us_error_set(err, US_E_INVALID, "file", "malformed_csv",
		    "The header row has a quote (\") that is not closed.");
		goto done;
	}

	/* Named columns first, so "Name" goes to what is left. */
	map = us_calloc(hdr.n, sizeof(*map));
	for (i = 0; i < hdr.n; i++) {
		field = csv_field(hdr.cells[i].data != NULL ?
		    hdr.cells[i].data : "");
		if (field == NULL || strcmp(field, "name") == 0)
			continue;
		for (j = 0; j < i; j++) {
			if (map[j] != NULL && strcmp(map[j], field) == 0)
				break;
		}
		if (j == i)
			map[i] = field;
		if (strcmp(field, "organisation") == 0)
			has_org = 1;
		if (strcmp(field, "contact_name") == 0)
			has_contact = 1;
	}
	for (i = 0; i < hdr.n; i++) {
		field = csv_field(hdr.cells[i].data != NULL ?
		    hdr.cells[i].data : "");
		if (field == NULL || strcmp(field, "name") != 0)
			continue;
		if (!has_org) {
			map[i] = "organisation";
			has_org = 1;
		} else if (!has_contact) {
			map[i] = "contact_name";
			has_contact = 1;
		}
	}
	if (!has_org) {
		us_error_set(err, US_E_INVALID, "file",
		    "no_organisation_column", "No column names the "
		    "organisation: the header row needs a column called "
		    "\"organisation\" (or \"name\", \"организация\").");
		goto done;
	}

	while (csv_next(in, len, &pos, &line, delim, &rec)) {
		if (rec.unterminated)
			import_reject(imp, rec.line, rec.raw, rec.rawlen,
			    "a quote (\") is not closed: the rest of the file "
			    "was read as one field");
		else if (csv_blank(&rec))
			continue;
		else if (rec.n != hdr.n)
			import_reject(imp, rec.line, rec.raw, rec.rawlen,
			    "%zu fields, but the header has %zu (a missing or "
			    "extra \"%c\"?)", rec.n, hdr.n, delim);
		else
			csv_row(imp, &hdr, &rec, map);
	}
	rc = US_OK;
done:
	free(map);
	csv_rec_free(&hdr);
	csv_rec_free(&rec);
	if (rc != US_OK)
		us_import_free(imp);
	return (rc);
}

void
us_import_free(struct us_import *imp)
{
	size_t	i;

	for (i = 0; i < imp->nrows; i++) {
		free(imp->rows[i].text);
		us_fields_free(&imp->rows[i].fields);
	}
	for (i = 0; i < imp->nrejects; i++)
		free(imp->rejects[i].text);
	free(imp->rows);
	free(imp->rejects);
	memset(imp, 0, sizeof(*imp));
}
