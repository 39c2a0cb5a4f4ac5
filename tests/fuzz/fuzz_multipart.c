/*
 * multipart/form-data: the first line of the input is the Content-Type
 * header (it carries the boundary), the rest is the body.
 */
#include "core/multipart.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct us_fields	 f;
	struct us_error		 e;
	char			*type, *body;

	type = fuzz_split(&data, &len, '\n');
	body = fuzz_copy(data, len);
	us_fields_init(&f);
	us_error_clear(&e);
	if (us_multipart_parse(&f, type, body, len, &e) && f.n >
	    2 * US_FIELDS_MAX)
		abort();
	us_fields_free(&f);
	free(body);
	free(type);
	return (0);
}
