#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "country.h"
#include "dupe.h"
#include "i18n.h"
#include "text.h"

#define SPELLING_MIN	10	/* characters a name needs for the typo rule */
#define SPELLING_MAX	300

/*
 * Shared webmail says nothing about who signed: two organisations with
 * gmail.com addresses are two organisations.
 */
static const char *const webmail[] = {
	"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
	"outlook.com", "live.com", "icloud.com", "aol.com", "mail.ru",
	"bk.ru", "inbox.ru", "list.ru", "yandex.ru", "ya.ru", "rambler.ru",
	"ukr.net", "protonmail.com", "proton.me", "gmx.de", "gmx.net",
	"web.de", "tutanota.com", NULL
};

/*
 * Sites that host many organisations' pages: there the first part of the
 * path names the organisation, facebook.com/hrhf and facebook.com/hfhr
 * are two.
 */
static const char *const hosts[] = {
	"facebook.com", "fb.com", "m.facebook.com", "instagram.com",
	"twitter.com", "x.com", "t.me", "telegram.me", "vk.com", "ok.ru",
	"linkedin.com", "youtube.com", "sites.google.com", "linktr.ee",
	"medium.com", "github.com", NULL
};

/* Words that do not tell organisations apart, in the UI's languages. */
static const char *const stopwords[] = {
	"the", "of", "for", "and", "in", "on", "at", "to", "de", "du", "des",
	"la", "le", "et", "für", "und", "der", "die",
	"и", "в", "во", "по", "за", "для", "на", NULL
};

static char	*name_key(const char *);
static char	*words_key(const char *);
static char	*mail_domain(const char *);
static int	 listed(const char *, const char *const *);
static int	 same(const char *, const char *);
static int	 countries_agree(const struct us_dupe_keys *,
		    const struct us_dupe_keys *);
static int	 one_letter_apart(const char *, const char *);
static size_t	 code_points(const char *, unsigned int *, size_t);
static int	 word_cmp(const void *, const void *);

/*
 * A name as it is compared: the country module's matching key (case,
 * "ё", dots, dashes, a leading "the") without quotes of any kind and the
 * punctuation around words, so that «Мемориал» and "Мемориал" and
 * Memorial, Inc and Memorial Inc are one.
 */
static char *
name_key(const char *s)
{
	static const char *const drop[] = {
		"\xc2\xab", "\xc2\xbb", "\xe2\x80\x9c", "\xe2\x80\x9d",
		"\xe2\x80\x9e", "\xe2\x80\x9f", "\xe2\x80\xb9", "\xe2\x80\xba",
		"\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9a", "\"", "'",
		",", ";", ":", "(", ")", "!", "?", "&",
	};
	struct us_buf	 b;
	char		*key, *p;
	size_t		 i, n = 0;
	int		 space = 0;

	if (s == NULL || (key = us_country_key(s)) == NULL)
		return (NULL);
	us_buf_init(&b);
	for (p = key; *p != '\0'; ) {
		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
			n = strlen(drop[i]);
			if (strncmp(p, drop[i], n) == 0)
				break;
		}
		if (i < sizeof(drop) / sizeof(drop[0]) || *p == ' ') {
			p += i < sizeof(drop) / sizeof(drop[0]) ? n : 1;
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			us_buf_putc(&b, ' ');
		space = 0;
		us_buf_putc(&b, *p++);
	}
	free(key);
	if (b.len == 0) {
		us_buf_free(&b);
		return (NULL);
	}
	return (us_buf_release(&b));
}

static int
word_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/*
 * The significant words of a name key, sorted: "Foundation for Human
 * Rights" and "Human Rights Foundation" both give "foundation human
 * rights".  NULL for fewer than two words: one word is the name rule's.
 */
static char *
words_key(const char *key)
{
	struct us_buf	 b;
	char		*copy, *w, *save, **v;
	size_t		 n = 0, i;

	if (key == NULL)
		return (NULL);
	copy = us_strdup(key);
	v = us_calloc(strlen(key) / 2 + 2, sizeof(*v));
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		if (!listed(w, stopwords))
			v[n++] = w;
	us_buf_init(&b);
	if (n >= 2) {
		qsort(v, n, sizeof(*v), word_cmp);
		for (i = 0; i < n; i++) {
			if (i > 0)
				us_buf_putc(&b, ' ');
			us_buf_puts(&b, v[i]);
		}
	}
	free(v);
	free(copy);
	if (b.len == 0) {
		us_buf_free(&b);
		return (NULL);
	}
	return (us_buf_release(&b));
}

static int
listed(const char *s, const char *const *list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return (1);
	return (0);
}

/*
 * "https://www.Example.org/about" is "example.org"; on a site that hosts
 * many organisations, "facebook.com/hrhf".
 */
char *
us_dupe_domain(const char *url)
{
	struct us_buf	 b;
	const char	*p, *end, *path;
	char		*d, *lower;
	size_t		 n;

	if (url == NULL)
		return (NULL);
	p = (p = strstr(url, "://")) != NULL ? p + 3 : url;
	if (strncasecmp(p, "www.", 4) == 0)
		p += 4;
	end = p + strcspn(p, "/:?#");
	while (end > p && end[-1] == '.')
		end--;
	if (end == p)
		return (NULL);
	d = us_strndup(p, (size_t)(end - p));
	lower = us_country_lower(d);
	free(d);
	if (lower == NULL || !listed(lower, hosts))
		return (lower);
	/* A host's own front page names nobody. */
	path = end + strcspn(end, "/?#");
	n = *path == '/' ? strcspn(path + 1, "/?#") : 0;
	if (n == 0) {
		free(lower);
		return (NULL);
	}
	us_buf_init(&b);
	us_buf_puts(&b, lower);
	us_buf_putc(&b, '/');
	us_buf_append(&b, path + 1, n);
	free(lower);
	d = us_buf_release(&b);
	lower = us_country_lower(d);
	free(d);
	return (lower);
}

/* "Press@PublicVerdict.org" is "publicverdict.org"; webmail is NULL. */
static char *
mail_domain(const char *email)
{
	const char	*at;
	char		*d;

	if (email == NULL || (at = strrchr(email, '@')) == NULL ||
	    at[1] == '\0')
		return (NULL);
	if ((d = us_country_lower(at + 1)) != NULL && listed(d, webmail)) {
		free(d);
		return (NULL);
	}
	return (d);
}

void
us_dupe_keys_make(struct us_dupe_keys *k, const struct us_dupe_org *o)
{
	k->name = name_key(o->name);
	k->display = name_key(o->display_name);
	k->words = words_key(k->name);
	k->acronym = name_key(o->acronym);
	k->domain = us_dupe_domain(o->website);
	k->mail_domain = mail_domain(o->email);
	k->country = o->country != NULL && *o->country != '\0' ?
	    o->country : NULL;
	k->country2 = o->country2 != NULL && *o->country2 != '\0' ?
	    o->country2 : NULL;
}

void
us_dupe_keys_free(struct us_dupe_keys *k)
{
	free(k->name);
	free(k->display);
	free(k->words);
	free(k->acronym);
	free(k->domain);
	free(k->mail_domain);
	memset(k, 0, sizeof(*k));
}

static int
same(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* No country on either side, or one they share. */
static int
countries_agree(const struct us_dupe_keys *a, const struct us_dupe_keys *b)
{
	if (a->country == NULL || b->country == NULL)
		return (1);
	return (same(a->country, b->country) || same(a->country, b->country2) ||
	    same(a->country2, b->country) || same(a->country2, b->country2));
}

static size_t
code_points(const char *s, unsigned int *out, size_t max)
{
	size_t	n = 0, len = strlen(s), i = 0;
	int	k;

	while (i < len && n < max) {
		if ((k = us_utf8_decode((const unsigned char *)s + i, len - i,
		    &out[n])) <= 0)
			return (0);
		i += (size_t)k;
		n++;
	}
	return (i == len ? n : 0);
}

/*
 * One letter added, dropped, changed, or two neighbours swapped (the
 * optimal string alignment distance is 1), in names long enough for a
 * typo to be more likely than another organisation, and never in a
 * number: Article 18 and Article 19 are two.  Two letters apart is
 * already too far: Bulgarian and Hungarian Helsinki Committee are two.
 */
static int
one_letter_apart(const char *a, const char *b)
{
	unsigned int	 x[SPELLING_MAX], y[SPELLING_MAX];
	size_t		 n, m, i, j;

	if (a == NULL || b == NULL || strcmp(a, b) == 0)
		return (0);
	n = code_points(a, x, SPELLING_MAX);
	m = code_points(b, y, SPELLING_MAX);
	if (n < SPELLING_MIN || m < SPELLING_MIN || n > m + 1 || m > n + 1)
		return (0);
	for (i = 0; i < n && i < m && x[i] == y[i]; i++)
		;
	/* The first difference must not be a digit on either side. */
	if ((i < n && x[i] >= '0' && x[i] <= '9') ||
	    (i < m && y[i] >= '0' && y[i] <= '9'))
		return (0);
	if (n == m) {
		/* Changed, or swapped with the next. */
		for (j = i + 1; j < n && x[j] == y[j]; j++)
			;
		if (j == n)
			return (1);
		if (j == i + 1 && x[i] == y[i + 1] && x[i + 1] == y[i]) {
			for (j = i + 2; j < n && x[j] == y[j]; j++)
				;
			return (j == n);
		}
		return (0);
	}
	/* Inserted or dropped: the rest matches shifted by one. */
	if (n > m) {
		for (j = i; j < m && x[j + 1] == y[j]; j++)
			;
		return (j == m);
	}
	for (j = i; j < n && x[j] == y[j + 1]; j++)
		;
	return (j == n);
}

/*
 * Whether a and b are likely one organisation, and the first reason
 * found: the same website (or hosted page); the same email domain,
 * unless their websites say they are two; or, where the countries do
 * not disagree ("Human Rights Centre" exists in more than one), the same
 * name (or shown name), the same significant words in another order, a
 * typo apart, or the same acronym (a line "HRW" alone is Human Rights
 * Watch's acronym).  Only equal acronyms count, never anagrams or
 * near-misses.
 */
enum us_dupe_reason
us_dupe_match(const struct us_dupe_keys *a, const struct us_dupe_keys *b)
{
	if (same(a->domain, b->domain))
		return (US_DUPE_WEBSITE);
	if (same(a->mail_domain, b->mail_domain) && (a->domain == NULL ||
	    b->domain == NULL))
		return (US_DUPE_EMAIL);
	if (!countries_agree(a, b))
		return (US_DUPE_NONE);
	if (same(a->name, b->name) || same(a->name, b->display) ||
	    same(a->display, b->name) || same(a->display, b->display))
		return (US_DUPE_NAME);
	if (same(a->words, b->words))
		return (US_DUPE_WORDS);
	if (one_letter_apart(a->name, b->name))
		return (US_DUPE_SPELLING);
	if ((a->acronym != NULL && (same(a->acronym, b->acronym) ||
	    same(a->acronym, b->name))) ||
	    (b->acronym != NULL && same(a->name, b->acronym)))
		return (US_DUPE_ACRONYM);
	return (US_DUPE_NONE);
}

/* Why, for a person (English msgid; the caller translates). */
const char *
us_dupe_reason_text(enum us_dupe_reason r)
{
	switch (r) {
	case US_DUPE_WEBSITE:
		return (US_N_("same website domain"));
	case US_DUPE_EMAIL:
		return (US_N_("same email domain"));
	case US_DUPE_NAME:
		return (US_N_("same name"));
	case US_DUPE_WORDS:
		return (US_N_("same words in another order"));
	case US_DUPE_SPELLING:
		return (US_N_("name one letter apart"));
	case US_DUPE_ACRONYM:
		return (US_N_("same acronym"));
	default:
		return ("");
	}
}
