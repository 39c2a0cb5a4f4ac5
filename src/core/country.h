/*
 * us_country: ISO 3166-1 countries from Debian's iso-codes data, loaded
 * once at start-up and read-only afterwards (safe to share with threads).
 * Names in other languages come from iso-codes' gettext catalogues;
 * load them after the countries, since reloading the countries drops them.
 */
#ifndef US_COUNTRY_H
#define US_COUNTRY_H

#include <stddef.h>

#include "error.h"

#define US_COUNTRY_JSON	"/usr/share/iso-codes/json/iso_3166-1.json"
/* printf format for the catalogue of one language, e.g. "ru". */
#define US_COUNTRY_MO_FMT "/usr/share/locale/%s/LC_MESSAGES/iso_3166-1.mo"

/* What us_country_match may match a string against. */
#define US_COUNTRY_CODE2	0x01	/* "DE" */
#define US_COUNTRY_CODE3	0x02	/* "DEU" */
#define US_COUNTRY_NAMES	0x04	/* names, aliases, translations */
#define US_COUNTRY_ANY		(US_COUNTRY_CODE2 | US_COUNTRY_CODE3 | \
				    US_COUNTRY_NAMES)

struct us_country {
	char	 alpha2[3];
	char	 alpha3[4];
	char	*name;		/* short English name for display */
	char	*iso_name;	/* the standard's "name" */
	char	*official_name;
};

int				 us_country_load(const char *,
				    struct us_error *);
int				 us_country_load_lang(const char *,
				    const char *, struct us_error *);
void				 us_country_unload(void);
const struct us_country		*us_country_find(const char *);
const struct us_country		*us_country_match(const char *, int);
int				 us_country_loose(const char *);
const char			*us_country_name(const char *);
const char			*us_country_name_in(const char *,
				    const char *);
const char			*us_country_official_in(const char *,
				    const char *);
size_t				 us_country_count(void);
const struct us_country		*us_country_at(size_t);
const char			*us_country_alias_at(size_t, const char **);

char				*us_country_lower(const char *);
char				*us_country_key(const char *);

#endif
