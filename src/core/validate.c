#include <sys/stat.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "country.h"
#include "idn.h"
#include "text.h"
#include "validate.h"

static int	valid_hostname(const char *, size_t);
static int	is_atext(int);

/*
 * Runs every rule over the input.  Clean, canonical values of the fields
 * that passed go to out; every failure goes to errs, one per field, so a
 * form can show them all at once.  Fields not in the table are ignored.
 */
int
us_validate(const struct us_rule *rules, size_t nrules,
    const struct us_fields *in, struct us_fields *out, struct us_errlist *errs)
{
	const struct us_field	*f;
	const struct us_rule	*r;
	enum us_text_verdict	 v;
	struct us_error		 e;
	size_t			 i, chars;
	char			*clean;

	for (i = 0; i < nrules; i++) {
		r = &rules[i];
		clean = NULL;
		f = us_fields_find(in, r->name);
		if (f != NULL) {
			v = us_text_clean(f->value, f->len,
			    (r->flags & US_RULE_MULTILINE) ?
			    US_TEXT_MULTILINE : 0, &clean, &chars);
			if (v == US_TEXT_BAD_UTF8) {
				us_error_set(us_errlist_add(errs), US_E_INVALID,
				    r->name, "invalid_utf8", "%s is not valid "
				    "UTF-8 text.", r->label);
				continue;
			}
			if (v == US_TEXT_BIDI) {
				us_error_set(us_errlist_add(errs), US_E_INVALID,
				    r->name, "bidi_control", "%s contains a "
				    "character that reverses or isolates the "
				    "direction of text (U+202A-U+202E, "
				    "U+2066-U+2069); remove it.", r->label);
				continue;
			}
			if (v == US_TEXT_CONTROL) {
				us_error_set(us_errlist_add(errs), US_E_INVALID,
				    r->name, "control_character", "%s contains "
				    "a control character%s; remove it.",
				    r->label, (r->flags & US_RULE_MULTILINE) ?
				    "" : " or a line break");
				continue;
			}
			if (chars > r->max) {
				us_error_set(us_errlist_add(errs), US_E_INVALID,
				    r->name, "too_long", "%s is too long: %zu "
				    "characters, at most %zu allowed.", r->label,
				    chars, r->max);
				free(clean);
				continue;
			}
		}
		if (clean == NULL || *clean == '\0') {
			free(clean);
			if (r->flags & US_RULE_REQUIRED)
				us_error_set(us_errlist_add(errs), US_E_INVALID,
				    r->name, "required", "%s is required.",
				    r->label);
			continue;
		}
		us_error_clear(&e);
		if (r->check != NULL && !r->check(r, &clean, &e)) {
			*us_errlist_add(errs) = e;
			free(clean);
			continue;
		}
		us_fields_set(out, r->name, clean, strlen(clean));
		free(clean);
	}
	return (errs->n == 0 ? US_OK : US_FAIL);
}

/*
 * One optional one-line field under the rules of every other (UTF-8, no
 * control or bidi characters, at most max characters), for the odd field
 * that has no table of its own: *out gets the clean value (NULL when
 * empty or absent, else to be freed).
 */
int
us_validate_line(const struct us_fields *in, const char *name,
    const char *label, size_t max, char **out, struct us_error *err)
{
	struct us_rule		r;
	struct us_fields	clean;
	struct us_errlist	errs;
	const char		*v;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.label = label;
	r.max = max;
	memset(&errs, 0, sizeof(errs));
	us_fields_init(&clean);
	*out = NULL;
	if (!us_validate(&r, 1, in, &clean, &errs)) {
		*err = errs.v[0];
		us_fields_free(&clean);
		return (US_FAIL);
	}
	if ((v = us_fields_get(&clean, name)) != NULL)
		*out = us_strdup(v);
	us_fields_free(&clean);
	return (US_OK);
}

static int
is_atext(int c)
{
	return (isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* LDH labels of 1-63 octets, at least two labels, alphabetic TLD. */
static int
valid_hostname(const char *h, size_t len)
{
	size_t	i, label, labels, tld;
	int	c;

	if (len == 0 || len > 253)
		return (0);
	label = 0;
	labels = 1;
	tld = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)h[i];
		if (c == '.') {
			if (label == 0 || h[i - 1] == '-')
				return (0);
			label = 0;
			labels++;
			tld = i + 1;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return (0);
		if (label == 0 && c == '-')
			return (0);
		if (++label > 63)
			return (0);
	}
	if (label == 0 || h[len - 1] == '-' || labels < 2)
		return (0);
	/* The top-level label is letters, or an IDN in its xn-- form. */
	if (strncasecmp(h + tld, "xn--", 4) == 0)
		return (1);
	if (len - tld < 2)
		return (0);
	for (i = tld; i < len; i++) {
		if (!isalpha((unsigned char)h[i]))
			return (0);
	}
	return (1);
}

/*
 * A deliberately plain address check: dot-atom local part, a public-looking
 * host name.  Quoted local parts and address literals are legal but are
 * what a typo or an attack looks like in this context.
 */
int
us_valid_email(const char *s)
{
	const char	*at;
	size_t		 i, local;

	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return (0);
	local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
		return (0);
	for (i = 0; i < local; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return (0);
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return (0);
	}
	return (valid_hostname(at + 1, strlen(at + 1)));
}

/*
 * The domain may be in any script and is kept in Unicode (see idn.h);
 * the local part must be ASCII, since the mail goes out without
 * SMTPUTF8.  What is checked is the address as SMTP will carry it.
 */
int
us_check_email(const struct us_rule *r, char **v, struct us_error *e)
{
	struct us_buf	 ascii, canon;
	const char	*at;
	size_t		 i;
	int		 ok;

	if ((at = strrchr(*v, '@')) != NULL) {
		for (i = 0; *v + i < at; i++) {
			if ((unsigned char)(*v)[i] >= 0x80)
				return (us_error_set(e, US_E_INVALID, r->name,
				    "email_local_part", "%s: the part before "
				    "the @ must be ASCII (Latin letters, digits "
				    "and . _ + -); the domain may be in any "
				    "script.", r->label));
		}
	}
	us_buf_init(&ascii);
	us_buf_init(&canon);
	ok = at != NULL && us_idn_email_ascii(&ascii, *v) == US_OK &&
	    us_valid_email(ascii.data);
	if (ok) {
		us_buf_append(&canon, *v, (size_t)(at - *v + 1));
		ok = us_idn_to_unicode(&canon, at + 1) == US_OK;
	}
	us_buf_free(&ascii);
	if (!ok) {
		us_buf_free(&canon);
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_email",
		    "%s must be an email address like name@example.org.",
		    r->label));
	}
	free(*v);
	*v = us_buf_release(&canon);
	return (US_OK);
}

/*
 * An http(s) URL with a real host name, in any script: the host is
 * checked in its A-label form and kept in Unicode.  A bare
 * "example.org/about" is taken to mean https://, since that is how
 * people write their website.
 */
int
us_check_url(const struct us_rule *r, char **v, struct us_error *e)
{
	struct us_buf	 b, host_in, ascii;
	const char	*host, *end;
	char		*s;
	size_t		 i, hostlen;

	us_buf_init(&b);
	us_buf_init(&host_in);
	us_buf_init(&ascii);
	s = *v;
	if (strncasecmp(s, "https://", 8) == 0) {
		host = s + 8;
		us_buf_append(&b, s, 8);
	} else if (strncasecmp(s, "http://", 7) == 0) {
		host = s + 7;
		us_buf_append(&b, s, 7);
	} else if (strstr(s, "://") != NULL || strncasecmp(s, "javascript:",
	    11) == 0 || strncasecmp(s, "data:", 5) == 0)
		host = NULL;
	else {
		us_buf_puts(&b, "https://");
		host = s;
	}
	if (host != NULL) {
		for (i = 0; s[i] != '\0'; i++) {
			if ((unsigned char)s[i] <= 0x20 || s[i] == '"' ||
			    s[i] == '<' || s[i] == '>' || s[i] == '\\' ||
			    (unsigned char)s[i] == 0x7f)
				break;
		}
		if (s[i] != '\0')
			host = NULL;
	}
	if (host != NULL) {
		end = host + strcspn(host, ":/?#");
		hostlen = (size_t)(end - host);
		us_buf_append(&host_in, host, hostlen);
		if (memchr(host, '@', hostlen) != NULL || hostlen == 0 ||
		    us_idn_to_ascii(&ascii, host_in.data) != US_OK ||
		    !valid_hostname(ascii.data, ascii.len) ||
		    us_idn_to_unicode(&b, host_in.data) != US_OK)
			host = NULL;
		else if (*end == ':') {
			for (i = 1; isdigit((unsigned char)end[i]); i++)
				;
			if (i == 1 || i > 6 || (end[i] != '\0' &&
			    end[i] != '/' && end[i] != '?' && end[i] != '#') ||
			    atoi(end + 1) < 1 || atoi(end + 1) > 65535)
				host = NULL;
		}
	}
	us_buf_free(&host_in);
	us_buf_free(&ascii);
	if (host == NULL) {
		us_buf_free(&b);
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_url",
		    "%s must be a web address like https://example.org "
		    "(no spaces).", r->label));
	}
	us_buf_puts(&b, end);
	free(*v);
	*v = us_buf_release(&b);
	return (US_OK);
}

int
us_check_country(const struct us_rule *r, char **v, struct us_error *e)
{
	const struct us_country	*c;

	if ((c = us_country_find(*v)) == NULL)
		return (us_error_set(e, US_E_INVALID, r->name,
		    "invalid_country", "%s must be an ISO 3166-1 country code "
		    "such as \"KG\" or \"GE\".", r->label));
	free(*v);
	*v = us_strdup(c->alpha2);
	return (US_OK);
}

/* Slugs appear in URLs and file names: lower-case words joined by '-'. */
int
us_check_slug(const struct us_rule *r, char **v, struct us_error *e)
{
	const char	*s = *v;
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9'))
			continue;
		if (s[i] == '-' && i > 0 && s[i + 1] != '\0' &&
		    s[i + 1] != '-')
			continue;
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_slug",
		    "%s may contain only a-z, 0-9 and single hyphens between "
		    "them, e.g. \"free-civil-society-2026\".", r->label));
	}
	return (US_OK);
}

/* A BCP 47 tag as people use it: "en", "ru", "ky", "pt-BR", "sr-Latn". */
int
us_check_lang(const struct us_rule *r, char **v, struct us_error *e)
{
	char	*s = *v;
	size_t	 i, n;

	for (n = 0; isalpha((unsigned char)s[n]); n++)
		s[n] = (char)tolower((unsigned char)s[n]);
	if (n < 2 || n > 3)
		goto bad;
	for (i = n; s[i] != '\0';) {
		if (s[i] != '-')
			goto bad;
		for (n = i + 1; isalnum((unsigned char)s[n]); n++)
			;
		if (n - i - 1 < 2 || n - i - 1 > 8)
			goto bad;
		i = n;
	}
	return (US_OK);
bad:
	return (us_error_set(e, US_E_INVALID, r->name, "invalid_lang",
	    "%s must be a language tag such as \"en\", \"ru\" or \"ka\".",
	    r->label));
}

int
us_valid_date(const char *s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			 y, m, d, n, leap;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[4] != '-' || s[7] != '-' || !isdigit((unsigned char)s[5]) ||
	    !isdigit((unsigned char)s[8]))
		return (0);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return (0);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return (0);
	return (1);
}

int
us_check_date(const struct us_rule *r, char **v, struct us_error *e)
{
	if (!us_valid_date(*v))
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_date",
		    "%s must be a date written YYYY-MM-DD, e.g. 2026-12-10.",
		    r->label));
	return (US_OK);
}

static int	digits(const char *, size_t);

static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
	}
	return (1);
}

/* RFC 3339 with an explicit offset, so a deadline is never ambiguous. */
int
us_check_timestamp(const struct us_rule *r, char **v, struct us_error *e)
{
	const char	*s = *v;
	char		 date[11];

	if (strlen(s) < 20)
		goto bad;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!us_valid_date(date) || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' '))
		goto bad;
	s += 11;
	if (!digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' ||
	    !digits(s + 6, 2) || (s[0] - '0') * 10 + s[1] - '0' > 23 ||
	    (s[3] - '0') * 10 + s[4] - '0' > 59 ||
	    (s[6] - '0') * 10 + s[7] - '0' > 60)
		goto bad;
	s += 8;
	if (*s == '.') {
		if (!isdigit((unsigned char)s[1]))
			goto bad;
		for (s++; isdigit((unsigned char)*s); s++)
			;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return (US_OK);
	if ((*s == '+' || *s == '-') && strlen(s) == 6 && digits(s + 1, 2) &&
	    s[3] == ':' && digits(s + 4, 2) &&
	    (s[1] - '0') * 10 + s[2] - '0' <= 14 &&
	    (s[4] - '0') * 10 + s[5] - '0' <= 59)
		return (US_OK);
bad:
	return (us_error_set(e, US_E_INVALID, r->name, "invalid_timestamp",
	    "%s must be a date and time with its offset, e.g. "
	    "2026-12-10T00:01:00Z or 2026-12-10T09:00:00+06:00.", r->label));
}

/*
 * An IANA time zone name ("Europe/London", "Asia/Bishkek", "UTC") that
 * the system's tzdata knows: it decides how an embargo is printed.
 */
int
us_check_timezone(const struct us_rule *r, char **v, struct us_error *e)
{
	struct stat	 st;
	char		 path[128];
	const char	*s = *v;

	if (strlen(s) < 80 && s[0] != '.' && s[0] != '/' &&
	    strstr(s, "..") == NULL && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+-") == strlen(s)) {
		(void)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return (US_OK);
	}
	return (us_error_set(e, US_E_INVALID, r->name, "invalid_timezone",
	    "%s must be a time zone name such as \"Europe/London\" or "
	    "\"Asia/Bishkek\".", r->label));
}

int
us_check_bool(const struct us_rule *r, char **v, struct us_error *e)
{
	const char	*t;

	if (strcmp(*v, "true") == 0 || strcmp(*v, "on") == 0 ||
	    strcmp(*v, "1") == 0 || strcmp(*v, "yes") == 0)
		t = "true";
	else if (strcmp(*v, "false") == 0 || strcmp(*v, "off") == 0 ||
	    strcmp(*v, "0") == 0 || strcmp(*v, "no") == 0)
		t = "false";
	else
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_boolean",
		    "%s must be true or false.", r->label));
	free(*v);
	*v = us_strdup(t);
	return (US_OK);
}

int
us_check_choice(const struct us_rule *r, char **v, struct us_error *e)
{
	struct us_buf	b;
	size_t		i;

	for (i = 0; r->choices[i] != NULL; i++) {
		if (strcmp(*v, r->choices[i]) == 0)
			return (US_OK);
	}
	us_buf_init(&b);
	for (i = 0; r->choices[i] != NULL; i++)
		us_buf_appendf(&b, "%s\"%s\"", i == 0 ? "" : ", ",
		    r->choices[i]);
	us_error_set(e, US_E_INVALID, r->name, "invalid_choice",
	    "%s must be one of %s.", r->label, b.data);
	us_buf_free(&b);
	return (US_FAIL);
}
