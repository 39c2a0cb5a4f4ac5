/*
 * us_sign: what an organisation submits to sign a statement, and the
 * rules it must meet, shared by the web form, the JSON API and imports.
 */
#ifndef US_SIGN_H
#define US_SIGN_H

#include "error.h"
#include "fields.h"

/* The sign form's trap for robots: people leave it empty. */
#define US_SIGN_HONEYPOT	"url"

int	us_sign_validate(const struct us_fields *, struct us_fields *,
	    struct us_errlist *);
int	us_sign_validate_import(const struct us_fields *, struct us_fields *,
	    struct us_errlist *);
int	us_sign_validate_display(const struct us_fields *, struct us_fields *,
	    struct us_errlist *);

#endif
