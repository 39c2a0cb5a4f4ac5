#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

void
us_error_clear(struct us_error *e)
{
	memset(e, 0, sizeof(*e));
}

/* Room for one more error; the last slot is reused when the list is full. */
struct us_error *
us_errlist_add(struct us_errlist *l)
{
	struct us_error	*e;

	e = &l->v[l->n < US_ERRLIST_MAX ? l->n++ : US_ERRLIST_MAX - 1];
	us_error_clear(e);
	return (e);
}

const struct us_error *
us_errlist_find(const struct us_errlist *l, const char *field)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].field, field) == 0)
			return (&l->v[i]);
	}
	return (NULL);
}

/*
 * Always returns US_FAIL so callers can write
 * "return (us_error_set(err, ...));".  A NULL error is allowed for callers
 * that only need the verdict.
 */
int
us_error_set(struct us_error *e, enum us_errkind kind, const char *field,
    const char *code, const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return (US_FAIL);
	e->kind = kind;
	(void)snprintf(e->code, sizeof(e->code), "%s", code);
	(void)snprintf(e->field, sizeof(e->field), "%s",
	    field != NULL ? field : "");
	va_start(ap, fmt);
	(void)vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return (US_FAIL);
}

int
us_error_status(enum us_errkind kind)
{
	switch (kind) {
	case US_E_NONE:
		return (200);
	case US_E_MALFORMED:
		return (400);
	case US_E_UNAUTHORIZED:
		return (401);
	case US_E_FORBIDDEN:
		return (403);
	case US_E_NOTFOUND:
		return (404);
	case US_E_METHOD:
		return (405);
	case US_E_CONFLICT:
		return (409);
	case US_E_TOOLARGE:
		return (413);
	case US_E_INVALID:
		return (422);
	case US_E_RATELIMIT:
		return (429);
	case US_E_UNAVAILABLE:
		return (503);
	case US_E_INTERNAL:
		break;
	}
	return (500);
}
