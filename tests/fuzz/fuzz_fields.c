/*
 * The request field parsers: an URL-encoded form and a JSON object, each
 * then validated by the signature rules as the sign form and API do.
 */
#include <jansson.h>

#include "core/fields.h"
#include "core/sign.h"
#include "fuzz.h"

static void	fuzz_validate(const struct us_fields *);

static void
fuzz_validate(const struct us_fields *in)
{
	struct us_fields	clean;
	struct us_errlist	errs;

	us_fields_init(&clean);
	memset(&errs, 0, sizeof(errs));
	(void)us_sign_validate(in, &clean, &errs);
	us_fields_free(&clean);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct us_fields	 f;
	struct us_error		 e;
	json_t			*j;
	char			*body;

	body = fuzz_copy(data, len);
	us_fields_init(&f);
	us_error_clear(&e);
	if (us_form_parse(&f, body, len, &e)) {
		if (f.n > US_FIELDS_MAX)
			abort();
		fuzz_validate(&f);
	}
	us_fields_free(&f);

	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL)) != NULL) {
		if (us_fields_from_json(&f, j, &e))
			fuzz_validate(&f);
		us_fields_free(&f);
		json_decref(j);
	}
	free(body);
	return (0);
}
