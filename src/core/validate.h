/*
 * us_valid: validation by tables.  A table lists each field a request may
 * carry with its limits and checker; the same table serves the HTML form,
 * the JSON API and imports, so the rules cannot drift apart.
 */
#ifndef US_VALIDATE_H
#define US_VALIDATE_H

#include <stddef.h>

#include "error.h"
#include "fields.h"

#define US_RULE_REQUIRED	0x01
#define US_RULE_MULTILINE	0x02

struct us_rule;

/* A checker may rewrite the value into its canonical form. */
typedef int	(*us_check_fn)(const struct us_rule *, char **,
		    struct us_error *);

struct us_rule {
	const char		*name;
	const char		*label;
	int			 flags;
	size_t			 max;		/* in characters */
	us_check_fn		 check;
	const char *const	*choices;	/* for us_check_choice */
};

int	us_validate(const struct us_rule *, size_t, const struct us_fields *,
	    struct us_fields *, struct us_errlist *);
int	us_validate_line(const struct us_fields *, const char *, const char *,
	    size_t, char **, struct us_error *);

int	us_check_email(const struct us_rule *, char **, struct us_error *);
int	us_check_url(const struct us_rule *, char **, struct us_error *);
int	us_check_country(const struct us_rule *, char **, struct us_error *);
int	us_check_slug(const struct us_rule *, char **, struct us_error *);
int	us_check_lang(const struct us_rule *, char **, struct us_error *);
int	us_check_date(const struct us_rule *, char **, struct us_error *);
int	us_check_timestamp(const struct us_rule *, char **,
	    struct us_error *);
int	us_check_timezone(const struct us_rule *, char **,
	    struct us_error *);
int	us_check_bool(const struct us_rule *, char **, struct us_error *);
int	us_check_choice(const struct us_rule *, char **, struct us_error *);

int	us_valid_email(const char *);
int	us_valid_date(const char *);

#endif
