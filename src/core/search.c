#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "country.h"
#include "search.h"
#include "text.h"

/*
 * The query as the list search uses it: valid UTF-8 without controls,
 * trimmed, at most US_SEARCH_MAX characters.  *out is NULL when nothing
 * but blanks was typed, which shows the whole list.
 */
int
us_search_clean(const char *q, char **out, struct us_error *err)
{
	size_t	chars;

	*out = NULL;
	if (q == NULL)
		return (US_OK);
	if (us_text_clean(q, strlen(q), 0, out, &chars) != US_TEXT_OK) {
		*out = NULL;
		return (us_error_set(err, US_E_INVALID, "q", "bad_query",
		    "The search can only hold letters, digits, punctuation "
		    "and spaces."));
	}
	if (chars > US_SEARCH_MAX) {
		free(*out);
		*out = NULL;
		return (us_error_set(err, US_E_INVALID, "q", "bad_query",
		    "Search for at most %d characters.", US_SEARCH_MAX));
	}
	if (**out == '\0') {
		free(*out);
		*out = NULL;
	}
	return (US_OK);
}

/*
 * The countries a search names, as a PostgreSQL array literal ("{}" for
 * none): those whose name in the reader's language or in English
 * contains it, ignoring case, or one of the other names people write for
 * it (Киргизия and Кыргызстан), and the one whose code it is.  Codes are
 * two capital letters, so the literal needs no quoting.
 */
void
us_search_countries(struct us_buf *b, const char *q, const char *lang)
{
	const struct us_country	*c;
	const char		*alias, *code;
	char			*key, *name;
	size_t			 i, j, n = 0;
	int			 hit;

	us_buf_putc(b, '{');
	if ((key = us_country_key(q)) == NULL || *key == '\0') {
		free(key);
		us_buf_putc(b, '}');
		return;
	}
	for (i = 0; (c = us_country_at(i)) != NULL; i++) {
		hit = strlen(q) == 2 && strncasecmp(q, c->alpha2, 2) == 0;
		if (!hit && (name = us_country_key(us_country_name_in(
		    c->alpha2, lang))) != NULL) {
			hit = strstr(name, key) != NULL;
			free(name);
		}
		if (!hit && (name = us_country_key(c->name)) != NULL) {
			hit = strstr(name, key) != NULL;
			free(name);
		}
		for (j = 0; !hit && (alias = us_country_alias_at(j, &code)) !=
		    NULL; j++) {
			if (strcmp(code, c->alpha2) != 0 ||
			    (name = us_country_key(alias)) == NULL)
				continue;
			hit = strstr(name, key) != NULL;
			free(name);
		}
		if (!hit)
			continue;
		if (n++ > 0)
			us_buf_putc(b, ',');
		us_buf_puts(b, c->alpha2);
	}
	free(key);
	us_buf_putc(b, '}');
}
