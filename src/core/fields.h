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

/*
 * The most fields one request may carry: the moderation page posts a
 * checkbox per row for up to 1,000 rows, and nothing else comes near.
 * Parsers stop at the cap and answer 413 too_many_fields, so a hostile
 * body costs bounded work whatever its size.
 */
#define US_FIELDS_MAX	2000

struct us_field {
	char	*name;
	char	*value;
	size_t	 len;
};

/*
 * v keeps the fields in the order they came (forms are read in order);
 * slots is an open-addressing hash of indexes into v (index + 1, 0 for
 * empty), so a lookup costs the same with 10 fields or 100,000.
 */
struct us_fields {
	struct us_field	*v;
	size_t		 n;
	size_t		 cap;
	size_t		*slots;
	size_t		 nslots;
};

void		 us_fields_init(struct us_fields *);
void		 us_fields_free(struct us_fields *);
void		 us_fields_set(struct us_fields *, const char *, const char *,
		    size_t);
const char	*us_fields_get(const struct us_fields *, const char *);
const struct us_field *us_fields_find(const struct us_fields *,
		    const char *);

int		 us_fields_too_many(struct us_error *);
int		 us_form_parse(struct us_fields *, const char *, size_t,
		    struct us_error *);
int		 us_fields_from_json(struct us_fields *, const json_t *,
		    struct us_error *);

#endif
