/*
 * us_multipart: multipart/form-data (RFC 7578) into fields, for forms
 * that upload a file.  A part's name is the field name; a file part also
 * gives NAME.filename.
 */
#ifndef US_MULTIPART_H
#define US_MULTIPART_H

#include <stddef.h>

#include "error.h"
#include "fields.h"

int	us_multipart_parse(struct us_fields *, const char *, const char *,
	    size_t, struct us_error *);

#endif
