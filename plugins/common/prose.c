#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "prose.h"

static size_t	prose_space(const char *);
static int	prose_digits(const char *, int, int *);
static void	prose_fill(struct us_out *, const char *, us_prose_esc,
		    const char *const *, const char *const *, size_t);

void
us_prose_plain(struct us_out *o, const char *s, size_t len)
{
	us_out_write(o, s, len);
}

/*
 * The length of the white space or control character at s, 0 if none.
 * Line and paragraph separators (U+0085, U+2028, U+2029) count: a name
 * must not break a list line in any reader.
 */
static size_t
prose_space(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (*p != '\0' && (*p <= 0x20 || *p == 0x7f))
		return (1);
	if (p[0] == 0xc2 && p[1] == 0x85)
		return (2);
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return (3);
	return (0);
}

/*
 * One line of text, whatever the model holds: white space and control
 * characters become one space, none at either end.  The escaper sees the
 * whole line at once, so it knows what starts it.
 */
void
us_prose_line(struct us_out *o, const char *s, us_prose_esc esc)
{
	char	*line;
	size_t	 n, len = 0;
	int	 gap = 0;

	if (s == NULL)
		return;
	if ((line = malloc(strlen(s) + 1)) == NULL) {
		us_out_fail(o, "out of memory");
		return;
	}
	while (*s != '\0') {
		if ((n = prose_space(s)) > 0) {
			gap = len > 0;
			s += n;
			continue;
		}
		if (gap)
			line[len++] = ' ';
		gap = 0;
		line[len++] = *s++;
	}
	esc(o, line, len);
	free(line);
}

/*
 * A text that may hold line breaks (an address): each non-empty line is
 * cleaned as above.  Lines are joined with sep, which also goes before
 * the first one unless *first is set; *first is cleared once a line is
 * out, so that several calls build one block.
 */
void
us_prose_lines(struct us_out *o, const char *s, us_prose_esc esc,
    const char *sep, int *first)
{
	const char	*end;
	char		*line;
	size_t		 len;

	while (s != NULL && *s != '\0') {
		len = strcspn(s, "\r\n");
		end = s + len;
		if ((line = strndup(s, len)) == NULL) {
			us_out_fail(o, "out of memory");
			return;
		}
		if (line[strspn(line, " \t\v\f")] != '\0') {
			if (!*first)
				us_out_puts(o, sep);
			us_prose_line(o, line, esc);
			*first = 0;
		}
		free(line);
		s = end + strspn(end, "\r\n");
	}
}

/*
 * A translated sentence with its {placeholders} filled in.  The words
 * come from the server's catalogue and are written as they are; the
 * values go through the escaper.  An unknown placeholder is written as
 * it is, so a translation with a typo still reads.
 */
static void
prose_fill(struct us_out *o, const char *tpl, us_prose_esc esc,
    const char *const *keys, const char *const *values, size_t n)
{
	const char	*p, *run;
	size_t		 i, klen;

	for (run = p = tpl; *p != '\0'; p++) {
		if (*p != '{')
			continue;
		for (i = 0; i < n; i++) {
			klen = strlen(keys[i]);
			if (strncmp(p + 1, keys[i], klen) == 0 &&
			    p[1 + klen] == '}')
				break;
		}
		if (i == n)
			continue;
		us_out_write(o, run, (size_t)(p - run));
		if (values[i] != NULL)
			esc(o, values[i], strlen(values[i]));
		p += klen + 1;
		run = p + 1;
	}
	us_out_puts(o, run);
}

/* The translation of an English msgid in the statement's language. */
const char *
us_prose_tr(const struct us_p_statement *st, const char *msgid)
{
	return (st->tr(st, msgid));
}

/* One or many, "{n}" filled in. */
void
us_prose_n(struct us_out *o, const struct us_p_statement *st,
    const char *one, const char *many, unsigned long n)
{
	static const char *const	 keys[] = { "n" };
	const char			*values[1];
	char				 num[24];

	(void)snprintf(num, sizeof(num), "%lu", n);
	values[0] = num;
	prose_fill(o, st->ntr(st, one, many, n), us_prose_plain, keys, values,
	    1);
}

/*
 * " (ACRONYM, Country)" after a name, every country of it in order
 * ("(HRH, Germany, Switzerland)"); the countries alone when there is no
 * acronym, nothing when there is neither.
 */
void
us_prose_details(struct us_out *o, const struct us_p_signatory *s,
    us_prose_esc esc)
{
	const char	*country;
	size_t		 i;
	int		 first = 1;

	if (s->acronym == NULL && s->ncountries == 0)
		return;
	us_out_write(o, " (", 2);
	if (s->acronym != NULL) {
		us_prose_line(o, s->acronym, esc);
		first = 0;
	}
	for (i = 0; i < s->ncountries; i++) {
		country = s->country_names[i] != NULL ? s->country_names[i] :
		    s->countries[i];
		if (!first)
			us_out_write(o, ", ", 2);
		us_prose_line(o, country, esc);
		first = 0;
	}
	us_out_write(o, ")", 1);
}

/*
 * After the list: "and 4 organisations that cannot be named for their
 * safety"; without "and" when no organisation is named at all.
 */
void
us_prose_unnamed(struct us_out *o, const struct us_p_statement *st)
{
	if (st->unnamed_count == 0)
		return;
	if (st->nsignatories > 0)
		us_prose_n(o, st, "and {n} organisation that cannot be named "
		    "for its safety", "and {n} organisations that cannot be "
		    "named for their safety", st->unnamed_count);
	else
		us_prose_n(o, st, "{n} organisation that cannot be named for "
		    "its safety", "{n} organisations that cannot be named for "
		    "their safety", st->unnamed_count);
}

/* "15 organisations from 11 countries"; the countries part when known. */
void
us_prose_count(struct us_out *o, const struct us_p_statement *st)
{
	us_prose_n(o, st, "{n} organisation", "{n} organisations",
	    st->signature_count);
	if (st->ncountries > 0) {
		us_out_write(o, " ", 1);
		us_prose_n(o, st, "from {n} country", "from {n} countries",
		    st->ncountries);
	}
}

/* "Signatories: 415 (412 named, 3 not named)". */
void
us_prose_counts(struct us_out *o, const struct us_p_statement *st,
    us_prose_esc esc)
{
	static const char *const	 keys[] = { "total", "named",
					    "unnamed" };
	const char			*values[3];
	char				 total[24], named[24], unnamed[24];

	(void)snprintf(total, sizeof(total), "%zu", st->signature_count);
	(void)snprintf(named, sizeof(named), "%zu", st->nsignatories);
	(void)snprintf(unnamed, sizeof(unnamed), "%zu", st->unnamed_count);
	values[0] = total;
	values[1] = named;
	values[2] = unnamed;
	prose_fill(o, st->tr(st, "Signatories: {total} ({named} named, "
	    "{unnamed} not named)"), esc, keys, values, 3);
}

/*
 * What the file is, one fact a line, each line begun with start and
 * ended with end: the public address, the status ("Published 9 December
 * 2026, version 2" or "Open for signatures — list as of ..."), the named
 * and the unnamed count, and the signed record when there is one.
 */
void
us_prose_facts(struct us_out *o, const struct us_p_statement *st,
    us_prose_esc esc, const char *start, const char *end)
{
	if (st->url != NULL) {
		us_out_puts(o, start);
		us_prose_line(o, st->url, esc);
		us_out_puts(o, end);
	}
	us_out_puts(o, start);
	us_prose_line(o, st->status_line, esc);
	us_out_puts(o, end);
	us_out_puts(o, start);
	us_prose_counts(o, st, esc);
	us_out_puts(o, end);
	us_prose_record(o, st, esc, start, end);
}

/* "Signed record sha256:… (key …)", when the statement has one. */
void
us_prose_record(struct us_out *o, const struct us_p_statement *st,
    us_prose_esc esc, const char *start, const char *end)
{
	static const char *const	 keys[] = { "digest", "key" };
	const char			*values[2];

	if (st->record_digest == NULL)
		return;
	values[0] = st->record_digest;
	values[1] = st->record_key_id;
	us_out_puts(o, start);
	prose_fill(o, st->tr(st, "Signed record {digest} (key {key})"), esc,
	    keys, values, 2);
	us_out_puts(o, end);
}

static int
prose_digits(const char *s, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		*v = *v * 10 + (s[i] - '0');
	}
	return (1);
}

/*
 * A calendar date at the start of s: "YYYY-MM-DD", alone or followed by
 * a time ("T..." or " ...").  Anything else is refused, so that the caller
 * prints the text as it came rather than a wrong date.
 */
int
us_prose_ymd(const char *s, int *y, int *m, int *d)
{
	static const int	mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int			leap;

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != '\0' && s[10] != 'T' && s[10] != ' '))
		return (0);
	if (!prose_digits(s, 4, y) || !prose_digits(s + 5, 2, m) ||
	    !prose_digits(s + 8, 2, d))
		return (0);
	if (*m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return (0);
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*m == 2 && *d == 29 && !leap)
		return (0);
	return (1);
}

/*
 * "1 December 2026", or "Tuesday 1 December 2026" with weekday set, in
 * the statement's language; 0 when s is not such a date.
 */
int
us_prose_date(const struct us_p_statement *st, char *buf, size_t size,
    const char *s, int weekday)
{
	int	y, m, d;

	if (!us_prose_ymd(s, &y, &m, &d))
		return (0);
	return (st->format_date(st, s, weekday, buf, size));
}
