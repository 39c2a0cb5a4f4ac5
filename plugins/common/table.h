/*
 * us_table: the two rules every spreadsheet-bound table of undersigned
 * follows, in one place for the server's exports (src/core/export.c) and
 * the list plugins (plugins/lists):
 *
 *  - the formula guard: a text cell that starts with = + - @ TAB or CR is
 *    taken by spreadsheets for a formula (CSV injection), so it gets a
 *    leading apostrophe, which they show as a text marker and never
 *    evaluate;
 *  - CSV quoting (RFC 4180): a field is quoted when it holds a comma, a
 *    quote, CR or LF, and also a semicolon or a tab, on which spreadsheets
 *    set to a European locale split; quotes are doubled.
 *
 * Plain C with no server or plugin types: output goes through a callback,
 * so the server writes into its buffer and a plugin into its sink.
 */
#ifndef US_TABLE_H
#define US_TABLE_H

#include <stddef.h>

typedef void	(*us_table_put)(void *, const void *, size_t);

int	us_table_formula(const char *, size_t);
void	us_table_csv_field(us_table_put, void *, const char *, size_t, int);

#endif
