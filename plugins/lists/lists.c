/*
 * lists.so: the public signatory list as CSV, CSV for Excel, JSON and
 * XLSX, for coordinators who count, sort and mail-merge.
 */
#include <stddef.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "lists.h"

/* Column 0, the position, is a number; the others are text cells. */
const char *const lists_columns[LISTS_NCOLUMNS] = {
	"position", "organisation", "acronym", "country", "country_name",
	"signed_on",
};

const char *
lists_cell(const struct us_p_signatory *s, size_t col)
{
	switch (col) {
	case 1:
		return (s->organisation);
	case 2:
		return (s->acronym);
	case 3:
		return (s->country);
	case 4:
		return (s->country_name);
	case 5:
		return (s->signed_on);
	default:
		return (NULL);
	}
}

/*
 * A spreadsheet takes a cell that starts with one of these for a formula
 * (CSV injection): an organisation named "=HYPERLINK(...)" must not run
 * on a coordinator's machine.  Such a text gets a leading apostrophe,
 * which spreadsheets show as a text marker and do not evaluate.
 */
int
lists_neutralise(const char *s)
{
	return (s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL);
}

static const struct us_plugin csv = {
	US_PLUGIN_HEADER,
	.name = "csv",
	.title = "Signatories (CSV)",
	.mime_type = "text/csv; charset=utf-8",
	.extension = "csv",
	.version = "1.0",
	.render = lists_csv_render,
};

static const struct us_plugin csv_excel = {
	US_PLUGIN_HEADER,
	.name = "csv-excel",
	.title = "Signatories (CSV for Excel)",
	.mime_type = "text/csv; charset=utf-8",
	.extension = "csv",
	.version = "1.0",
	.render = lists_csv_excel_render,
};

static const struct us_plugin json = {
	US_PLUGIN_HEADER,
	.name = "json",
	.title = "Signatories (JSON)",
	.mime_type = "application/json",
	.extension = "json",
	.version = "1.0",
	.render = lists_json_render,
};

static const struct us_plugin xlsx = {
	US_PLUGIN_HEADER,
	.name = "xlsx",
	.title = "Signatories (Excel workbook)",
	.mime_type =
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	.extension = "xlsx",
	.version = "1.0",
	.render = lists_xlsx_render,
};

US_PLUGIN_EXPORT(&csv, &csv_excel, &json, &xlsx);
