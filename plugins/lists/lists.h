/*
 * The public signatory list as a table: one row per named organisation,
 * the same columns in every format; an organisation with two countries
 * has both in its country cells, "DE; CH" and "Germany; Switzerland".
 * Each format also says what the table is (lists_facts): the statement,
 * its address, its status and when the list was read, the counts.
 * Unnamed organisations are never rows; only their number appears (JSON,
 * and a note under the XLSX table).
 */
#ifndef LISTS_H
#define LISTS_H

#include "undersigned-plugin.h"

#define LISTS_NCOLUMNS	6

extern const char *const lists_columns[LISTS_NCOLUMNS];

#define LISTS_CELL_MAX	1024

/* What the table is: label (translated) and value, in order. */
struct lists_fact {
	const char	*label;
	const char	*value;
};

#define LISTS_NFACTS	6

const char	*lists_cell(const struct us_p_signatory *, size_t, char *,
		    size_t);
int		 lists_neutralise(const char *);
size_t		 lists_facts(const struct us_p_statement *,
		    struct lists_fact *, char *, size_t, char *, size_t);

int	lists_csv_render(const struct us_p_statement *, struct us_p_sink *);
int	lists_csv_excel_render(const struct us_p_statement *,
	    struct us_p_sink *);
int	lists_json_render(const struct us_p_statement *, struct us_p_sink *);
int	lists_xlsx_render(const struct us_p_statement *, struct us_p_sink *);

#endif
