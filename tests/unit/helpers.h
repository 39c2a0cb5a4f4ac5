/*
 * Shared by the unit tests: what cmocka needs included before it, and a
 * few small builders so that each test states only what it proves.
 * Everything here is static inline, so a test file that does not use a
 * helper gets no unused-function warning.
 */
#ifndef US_TEST_HELPERS_H
#define US_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/country.h"
#include "core/error.h"
#include "core/fields.h"

/* Parses test JSON; a typo in a test fails that test at once. */
static inline json_t *
test_json(const char *s)
{
	json_error_t	 jerr;
	json_t		*j;

	if ((j = json_loads(s, JSON_DECODE_ANY, &jerr)) == NULL)
		fail_msg("bad test JSON at %d: %s", jerr.position, jerr.text);
	return (j);
}

/* Fills f from name, value, name, value, ..., NULL. */
static inline void
test_fields(struct us_fields *f, ...)
{
	va_list		 ap;
	const char	*name, *value;

	va_start(ap, f);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		us_fields_set(f, name, value, strlen(value));
	}
	va_end(ap);
}

/* The error reported for field, which must exist and carry code. */
static inline const struct us_error *
test_error_for(const struct us_errlist *errs, const char *field,
    const char *code)
{
	const struct us_error	*e;

	e = us_errlist_find(errs, field);
	if (e == NULL)
		fail_msg("no error for field \"%s\" (%zu errors)", field,
		    errs->n);
	assert_string_equal(e->code, code);
	return (e);
}

/* Group setup and teardown for suites that need the country table. */
static inline int
test_countries_load(void **state)
{
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	if (!us_country_load(US_COUNTRY_JSON, &err)) {
		print_error("cannot load countries: %s\n", err.message);
		return (-1);
	}
	return (0);
}

static inline int
test_countries_unload(void **state)
{
	(void)state;
	us_country_unload();
	return (0);
}

#endif
