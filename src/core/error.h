/*
 * The one error idiom: functions return US_OK or US_FAIL and, on failure,
 * fill a struct us_error that says what kind of failure it was (which
 * decides the HTTP status), a stable machine code, the field concerned
 * and a message that tells the user what to fix.
 */
#ifndef US_ERROR_H
#define US_ERROR_H

#include <stddef.h>

#define US_OK		1
#define US_FAIL		0

enum us_errkind {
	US_E_NONE = 0,
	US_E_MALFORMED,		/* 400: the request cannot be parsed */
	US_E_UNAUTHORIZED,	/* 401: no or bad credentials */
	US_E_FORBIDDEN,		/* 403: credentials do not allow this */
	US_E_NOTFOUND,		/* 404 */
	US_E_METHOD,		/* 405 */
	US_E_CONFLICT,		/* 409: wrong state, e.g. signing closed */
	US_E_TOOLARGE,		/* 413 */
	US_E_INVALID,		/* 422: a field is invalid */
	US_E_RATELIMIT,		/* 429 */
	US_E_UNAVAILABLE,	/* 503: a dependency is down, retry */
	US_E_INTERNAL		/* 500: a bug or an unexpected state */
};

#define US_ERR_CODE_MAX		48
#define US_ERR_FIELD_MAX	48
#define US_ERR_MSG_MAX		320

struct us_error {
	enum us_errkind	kind;
	char		code[US_ERR_CODE_MAX];
	char		field[US_ERR_FIELD_MAX];
	char		message[US_ERR_MSG_MAX];
};

/* Several field errors at once, so a form can show each next to its field. */
#define US_ERRLIST_MAX		16

struct us_errlist {
	size_t		n;
	struct us_error	v[US_ERRLIST_MAX];
};

void	us_error_clear(struct us_error *);
struct us_error	*us_errlist_add(struct us_errlist *);
const struct us_error *us_errlist_find(const struct us_errlist *,
	    const char *);
int	us_error_set(struct us_error *, enum us_errkind, const char *,
	    const char *, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
int	us_error_status(enum us_errkind);

#endif
