/*
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold
 * a comma, a quote, CR or LF, quotes doubled.  The Excel variant starts
 * with a UTF-8 byte order mark, without which Excel reads the file in the
 * machine's legacy code page and garbles every non-Latin name.  No note
 * about unnamed organisations: a CSV stays a table that tools can load.
 */
#include <stddef.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "lists.h"

static int	csv_render(const struct us_p_statement *, struct us_p_sink *,
		    int);
static void	csv_field(struct us_out *, const char *);

static void
csv_field(struct us_out *o, const char *s)
{
	const char	*p, *q;
	int		 quote;

	if (s == NULL)
		return;
	/* RFC 4180, and ; and tab for spreadsheets in European locales. */
	quote = strpbrk(s, ",\"\r\n;\t") != NULL;
	if (quote)
		us_out_write(o, "\"", 1);
	if (lists_neutralise(s))
		us_out_write(o, "'", 1);
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		us_out_write(o, p, q - p);
		us_out_write(o, "\"\"", 2);
	}
	us_out_puts(o, p);
	if (quote)
		us_out_write(o, "\"", 1);
}

static int
csv_render(const struct us_p_statement *st, struct us_p_sink *sink, int bom)
{
	struct us_out	 o;
	size_t		 i, col;

	us_out_init(&o, sink, bom ? "csv-excel" : "csv");
	if (bom)
		us_out_write(&o, "\xef\xbb\xbf", 3);
	for (col = 0; col < LISTS_NCOLUMNS; col++) {
		if (col > 0)
			us_out_write(&o, ",", 1);
		us_out_puts(&o, lists_columns[col]);
	}
	us_out_write(&o, "\r\n", 2);

	for (i = 0; i < st->nsignatories; i++) {
		us_out_printf(&o, "%u", st->signatories[i].position);
		for (col = 1; col < LISTS_NCOLUMNS; col++) {
			us_out_write(&o, ",", 1);
			csv_field(&o, lists_cell(&st->signatories[i], col));
		}
		us_out_write(&o, "\r\n", 2);
	}
	return (us_out_finish(&o));
}

int
lists_csv_render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	return (csv_render(st, sink, 0));
}

int
lists_csv_excel_render(const struct us_p_statement *st,
    struct us_p_sink *sink)
{
	return (csv_render(st, sink, 1));
}
