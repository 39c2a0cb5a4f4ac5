/*
 * The public signatory list as a table: one row per named organisation,
 * the same columns in every format.  Unnamed organisations are never rows;
 * only their number appears (JSON, and a note under the XLSX table).
 */
#ifndef LISTS_H
#define LISTS_H

#include "undersigned-plugin.h"

#define LISTS_NCOLUMNS	6

extern const char *const lists_columns[LISTS_NCOLUMNS];

const char	*lists_cell(const struct us_p_signatory *, size_t);
int		 lists_neutralise(const char *);

int	lists_csv_render(const struct us_p_statement *, struct us_p_sink *);
int	lists_csv_excel_render(const struct us_p_statement *,
	    struct us_p_sink *);
int	lists_json_render(const struct us_p_statement *, struct us_p_sink *);
int	lists_xlsx_render(const struct us_p_statement *, struct us_p_sink *);

#endif
