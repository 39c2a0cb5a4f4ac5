/*
 * us_route: matching a request path against patterns like
 * "/api/v1/statements/{}/signatures", where {} is one path segment.
 */
#ifndef US_ROUTE_H
#define US_ROUTE_H

#include <stddef.h>

#define US_ROUTE_PARAMS		4
#define US_ROUTE_PARAM_MAX	128

int	us_route_match(const char *, const char *,
	    char [US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX], size_t *);

#endif
