#include <string.h>

#include "error.h"
#include "route.h"

/*
 * A {} segment matches 1 to US_ROUTE_PARAM_MAX - 1 bytes of letters,
 * digits, '-', '_' and '.' (not leading): every identifier in our URLs
 * (slugs, tokens, asset names) has that shape, so anything else is not
 * ours and percent-decoding is never needed.
 */
int
us_route_match(const char *pattern, const char *path,
    char params[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX], size_t *n)
{
	size_t	len;

	*n = 0;
	while (*pattern != '\0') {
		if (pattern[0] == '{' && pattern[1] == '}') {
			len = strspn(path, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
			if (*path == '.')
				return (US_FAIL);
			if (len == 0 || len >= US_ROUTE_PARAM_MAX ||
			    *n == US_ROUTE_PARAMS)
				return (US_FAIL);
			memcpy(params[*n], path, len);
			params[*n][len] = '\0';
			(*n)++;
			path += len;
			pattern += 2;
			continue;
		}
		if (*pattern++ != *path++)
			return (US_FAIL);
	}
	return (*path == '\0' ? US_OK : US_FAIL);
}
