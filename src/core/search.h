/*
 * us_search: what a reader typed into the search box over a list of
 * signatories, checked, and the countries it names.
 */
#ifndef US_SEARCH_H
#define US_SEARCH_H

#include "buf.h"
#include "error.h"

#define US_SEARCH_MAX	100	/* characters */

int	us_search_clean(const char *, char **, struct us_error *);
void	us_search_countries(struct us_buf *, const char *, const char *);

#endif
