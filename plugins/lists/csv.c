/*
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold
 * a comma, a quote, CR or LF, quotes doubled.  The Excel variant starts
 * with a UTF-8 byte order mark, without which Excel reads the file in the
 * machine's legacy code page and garbles every non-Latin name.
 *
 * Above the table, two-cell rows say what it is (statement, address,
 * status, named and unnamed counts, signed record), then one empty line:
 * a file found on a desk months later still says whether the list was
 * final.  Tools that load the table skip to the line after the first
 * empty one.
 */
#include <stddef.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "table.h"
#include "lists.h"

static int	csv_render(const struct us_p_statement *, struct us_p_sink *,
		    int);
static void	csv_field(struct us_out *, const char *);
static void	csv_put(void *, const void *, size_t);

static void
csv_put(void *ctx, const void *data, size_t len)
{
	us_out_write(ctx, data, len);
}

/* Quoting and the formula guard: plugins/common/table.c. */
static void
csv_field(struct us_out *o, const char *s)
{
	if (s != NULL)
		us_table_csv_field(csv_put, o, s, strlen(s), 1);
}

static int
csv_render(const struct us_p_statement *st, struct us_p_sink *sink, int bom)
{
	struct lists_fact facts[LISTS_NFACTS];
	struct us_out	 o;
	size_t		 i, col, nfacts;
	char		 cell[LISTS_CELL_MAX], named[24], unnamed[24];

	us_out_init(&o, sink, bom ? "csv-excel" : "csv");
	if (bom)
		us_out_write(&o, "\xef\xbb\xbf", 3);
	nfacts = lists_facts(st, facts, named, sizeof(named), unnamed,
	    sizeof(unnamed));
	for (i = 0; i < nfacts; i++) {
		csv_field(&o, facts[i].label);
		us_out_write(&o, ",", 1);
		csv_field(&o, facts[i].value);
		us_out_write(&o, "\r\n", 2);
	}
	us_out_write(&o, "\r\n", 2);
	for (col = 0; col < LISTS_NCOLUMNS; col++) {
		if (col > 0)
			us_out_write(&o, ",", 1);
		us_out_puts(&o, lists_columns[col]);
	}
	us_out_write(&o, "\r\n", 2);

	for (i = 0; i < st->nsignatories; i++) {
		us_out_printf(&o, "%u", st->signatories[i]->position);
		for (col = 1; col < LISTS_NCOLUMNS; col++) {
			us_out_write(&o, ",", 1);
			csv_field(&o, lists_cell(st->signatories[i], col, cell,
			    sizeof(cell)));
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
