/*
 * us_country: ISO 3166-1 countries from Debian's iso-codes data, loaded
 * once at start-up and read-only afterwards (safe to share with threads).
 */
#ifndef US_COUNTRY_H
#define US_COUNTRY_H

#include <stddef.h>

#include "error.h"

#define US_COUNTRY_JSON	"/usr/share/iso-codes/json/iso_3166-1.json"

struct us_country {
	char	 alpha2[3];
	char	 alpha3[4];
	char	*name;		/* short English name for display */
	char	*iso_name;	/* the standard's "name" */
	char	*official_name;
};

int				 us_country_load(const char *,
				    struct us_error *);
void				 us_country_unload(void);
const struct us_country		*us_country_find(const char *);
const char			*us_country_name(const char *);
size_t				 us_country_count(void);
const struct us_country		*us_country_at(size_t);

#endif
