/*
 * us_export: the coordinators' full export of a statement's signatures,
 * contact data included, as CSV, JSON and an Excel workbook.
 *
 * The caller gives the columns (a row member and its header title) and
 * the rows, a JSON array of objects whose members are strings, integers,
 * reals, booleans or null.  A null or missing member is an empty cell;
 * an object or array in a cell is refused as a bug in the caller.
 *
 * The files are opened on coordinators' machines by spreadsheets, which
 * take a cell that starts with = + - @ TAB or CR for a formula: such a
 * text cell gets a leading apostrophe in the CSV and the workbook (not in
 * the JSON, which is data for programs).  Numbers are not text and are
 * left alone.
 *
 * Every function only reads its arguments and keeps no state, so several
 * threads may export at once, even from the same rows.
 */
#ifndef US_EXPORT_H
#define US_EXPORT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"

/*
 * What a column holds when rows come as lines of PostgreSQL's COPY text
 * format (us_export_csv_copy_row): text (guarded against formulas), a
 * number, a boolean ("t"/"f", written "true"/"false" as the JSON rows
 * have them), or an ISO country code written as the country's English
 * name.
 */
enum us_export_kind {
	US_EXPORT_TEXT = 0,
	US_EXPORT_NUMBER,
	US_EXPORT_BOOL,
	US_EXPORT_COUNTRY_NAME
};

struct us_export_col {
	const char	*key;		/* member of each row object */
	const char	*title;		/* header cell */
};

int	us_export_csv(const struct us_export_col *, size_t, const json_t *,
	    int, struct us_buf *, struct us_error *);
int	us_export_json(const struct us_export_col *, size_t, const json_t *,
	    struct us_buf *, struct us_error *);
int	us_export_xlsx(const struct us_export_col *, size_t, const json_t *,
	    const char *, struct us_buf *, struct us_error *);
int	us_export_neutralise(const char *);
void	us_export_csv_header(const struct us_export_col *, size_t,
	    struct us_buf *);
int	us_export_csv_copy_row(const enum us_export_kind *, size_t,
	    const char *, size_t, struct us_buf *, struct us_buf *);

#endif
