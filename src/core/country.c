#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "country.h"

static int	country_cmp(const void *, const void *);

static struct us_country	*countries;
static size_t			 ncountries;

/* Sorted by display name so a form can list them as they are. */
static int
country_cmp(const void *a, const void *b)
{
	const struct us_country	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

int
us_country_load(const char *path, struct us_error *err)
{
	json_t		*root, *list, *c;
	json_error_t	 jerr;
	const char	*a2, *a3, *name, *common, *official;
	size_t		 i;

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
	countries = us_calloc(json_array_size(list), sizeof(*countries));
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
		memcpy(countries[ncountries].alpha2, a2, 3);
		memcpy(countries[ncountries].alpha3, a3, 4);
		countries[ncountries].name = us_strdup(common != NULL ?
		    common : name);
		countries[ncountries].iso_name = us_strdup(name);
		countries[ncountries].official_name = us_strdup(
		    official != NULL ? official : name);
		ncountries++;
	}
	json_decref(root);
	qsort(countries, ncountries, sizeof(*countries), country_cmp);
	return (US_OK);
}

void
us_country_unload(void)
{
	size_t	i;

	for (i = 0; i < ncountries; i++) {
		free(countries[i].name);
		free(countries[i].iso_name);
		free(countries[i].official_name);
	}
	free(countries);
	countries = NULL;
	ncountries = 0;
}

/*
 * Accepts an alpha-2 or alpha-3 code or an English name (short, ISO or
 * official), in any letter case.
 */
const struct us_country *
us_country_find(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return (NULL);
	for (i = 0; i < ncountries; i++) {
		if (strcasecmp(s, countries[i].alpha2) == 0 ||
		    strcasecmp(s, countries[i].alpha3) == 0)
			return (&countries[i]);
	}
	for (i = 0; i < ncountries; i++) {
		if (strcasecmp(s, countries[i].name) == 0 ||
		    strcasecmp(s, countries[i].iso_name) == 0 ||
		    strcasecmp(s, countries[i].official_name) == 0)
			return (&countries[i]);
	}
	return (NULL);
}

const char *
us_country_name(const char *alpha2)
{
	size_t	i;

	if (alpha2 == NULL)
		return (NULL);
	for (i = 0; i < ncountries; i++) {
		if (strcmp(alpha2, countries[i].alpha2) == 0)
			return (countries[i].name);
	}
	return (NULL);
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
