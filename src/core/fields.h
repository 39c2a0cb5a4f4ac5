/*
 * us_fields: named string values from a form, a query string, a JSON
 * object or an imported line, so that one table of rules can validate
 * them whatever their origin.
 */
#ifndef US_FIELDS_H
#define US_FIELDS_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

struct us_field {
	char	*name;
	char	*value;
	size_t	 len;
};

struct us_fields {
	struct us_field	*v;
	size_t		 n;
	size_t		 cap;
};

void		 us_fields_init(struct us_fields *);
void		 us_fields_free(struct us_fields *);
void		 us_fields_set(struct us_fields *, const char *, const char *,
		    size_t);
const char	*us_fields_get(const struct us_fields *, const char *);
const struct us_field *us_fields_find(const struct us_fields *,
		    const char *);

int		 us_form_parse(struct us_fields *, const char *, size_t,
		    struct us_error *);
int		 us_fields_from_json(struct us_fields *, const json_t *,
		    struct us_error *);

#endif
