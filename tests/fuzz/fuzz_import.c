/*
 * The import of signatories: a pasted numbered list, or a CSV file when
 * the input starts with "csv\n" (the seed corpus has both).
 */
#include "core/import.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct us_import	 im;
	struct us_error		 e;
	char			*text;
	int			 csv;

	csv = len >= 4 && memcmp(data, "csv\n", 4) == 0;
	if (csv) {
		data += 4;
		len -= 4;
	}
	text = fuzz_copy(data, len);
	memset(&im, 0, sizeof(im));
	us_error_clear(&e);
	if (csv)
		(void)us_import_csv(&im, text, len, &e);
	else
		(void)us_import_list(&im, text, len);
	us_import_free(&im);
	free(text);
	return (0);
}
