/*
 * us_jcs: the JSON Canonicalization Scheme (RFC 8785), for the signed
 * records of published statements: the same JSON value gives the same
 * bytes, whatever program wrote it, so a signature over those bytes can
 * be checked by anyone who parses the record and canonicalises it again.
 *
 * Object members are sorted by their names' UTF-16 code units; strings
 * are written with the fewest escapes (\" \\ \b \f \n \r \t, \u00xx for
 * the other control characters, everything else as UTF-8); numbers as
 * ECMAScript writes a double (RFC 8785 3.2.2.3).  Invalid UTF-8 is an
 * error: it has no canonical form.
 */
#ifndef US_JCS_H
#define US_JCS_H

#include <jansson.h>

#include "buf.h"
#include "error.h"

int	us_jcs(struct us_buf *, const json_t *, struct us_error *);
int	us_jcs_number(struct us_buf *, double, struct us_error *);

#endif
