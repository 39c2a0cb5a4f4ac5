#include <string.h>

#include "table.h"

/*
 * Whether a text cell must be marked as text.  This also marks a phone
 * number such as "+7 495 ...": harmless, and the price of not guessing
 * which texts a spreadsheet would compute.
 */
int
us_table_formula(const char *s, size_t len)
{
	return (s != NULL && len > 0 && s[0] != '\0' &&
	    strchr("=+-@\t\r", s[0]) != NULL);
}

/*
 * One CSV field, quoted as needed; with guard set, a text that a
 * spreadsheet would take for a formula gets its apostrophe (inside the
 * quotes, where spreadsheets read it).
 */
void
us_table_csv_field(us_table_put put, void *ctx, const char *s, size_t len,
    int guard)
{
	size_t	i, from;
	int	quote = 0;

	for (i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n' || s[i] == ';' || s[i] == '\t';
	if (quote)
		put(ctx, "\"", 1);
	if (guard && us_table_formula(s, len))
		put(ctx, "'", 1);
	for (i = from = 0; i < len; i++) {
		if (s[i] == '"') {
			put(ctx, s + from, i + 1 - from);
			from = i;
		}
	}
	put(ctx, s + from, len - from);
	if (quote)
		put(ctx, "\"", 1);
}
