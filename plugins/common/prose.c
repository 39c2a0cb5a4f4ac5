#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "prose.h"

static size_t	prose_space(const char *);
static int	prose_digits(const char *, int, int *);

static const char *const prose_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static const char *const prose_weekdays[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

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
 * " (ACRONYM, Country)" after a name: the country alone when there is no
 * acronym, nothing when there is neither.
 */
void
us_prose_details(struct us_out *o, const struct us_p_signatory *s,
    us_prose_esc esc)
{
	const char	*country;

	country = s->country_name != NULL ? s->country_name : s->country;
	if (s->acronym == NULL && country == NULL)
		return;
	us_out_write(o, " (", 2);
	if (s->acronym != NULL) {
		us_prose_line(o, s->acronym, esc);
		if (country != NULL)
			us_out_write(o, ", ", 2);
	}
	us_prose_line(o, country, esc);
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
	us_out_printf(o, "%s%zu %s", st->nsignatories > 0 ? "and " : "",
	    st->unnamed_count, st->unnamed_count == 1 ?
	    "organisation that cannot be named for its safety" :
	    "organisations that cannot be named for their safety");
}

/* "15 organisations from 11 countries"; the countries part when known. */
void
us_prose_count(struct us_out *o, const struct us_p_statement *st)
{
	us_out_printf(o, "%zu organisation%s", st->signature_count,
	    st->signature_count == 1 ? "" : "s");
	if (st->ncountries > 0)
		us_out_printf(o, " from %zu countr%s", st->ncountries,
		    st->ncountries == 1 ? "y" : "ies");
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
 * "1 December 2026", or "Tuesday 1 December 2026" with weekday set: the
 * weekday is worked out from the date (Sakamoto's method, proleptic
 * Gregorian), not from the C library's time zone state.
 */
int
us_prose_date(char *buf, size_t size, const char *s, int weekday)
{
	static const int	t[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int			y, m, d, wy, n;

	if (!us_prose_ymd(s, &y, &m, &d))
		return (0);
	if (weekday) {
		wy = m < 3 ? y - 1 : y;
		n = snprintf(buf, size, "%s %d %s %04d",
		    prose_weekdays[(wy + wy / 4 - wy / 100 + wy / 400 +
		    t[m - 1] + d) % 7], d, prose_months[m - 1], y);
	} else
		n = snprintf(buf, size, "%d %s %04d", d, prose_months[m - 1],
		    y);
	return (n >= 0 && (size_t)n < size);
}
