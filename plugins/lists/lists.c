/*
 * lists.so: the public signatory list as CSV, CSV for Excel, JSON and
 * XLSX, for coordinators who count, sort and mail-merge.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "lists.h"
#include "table.h"

/* Column 0, the position, is a number; the others are text cells. */
const char *const lists_columns[LISTS_NCOLUMNS] = {
	"position", "organisation", "acronym", "country", "country_name",
	"signed_on",
};

/* Every country of a signatory in one cell: "DE; CH". */
static const char *
lists_join(const struct us_p_signatory *s, int names, char *buf,
    size_t len)
{
	const char	*v;
	size_t		 i, off = 0;
	int		 n;

	if (s->ncountries == 0)
		return (NULL);
	if (s->ncountries == 1)
		return (names && s->country_names[0] != NULL ?
		    s->country_names[0] : s->countries[0]);
	buf[0] = '\0';
	for (i = 0; i < s->ncountries; i++) {
		v = names && s->country_names[i] != NULL ?
		    s->country_names[i] : s->countries[i];
		n = snprintf(buf + off, len - off, "%s%s", i > 0 ? "; " : "",
		    v);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return (buf);
}

/* A cell's text; buf (len bytes) holds it when it is made here. */
const char *
lists_cell(const struct us_p_signatory *s, size_t col, char *buf, size_t len)
{
	switch (col) {
	case 1:
		return (s->organisation);
	case 2:
		return (s->acronym);
	case 3:
		return (lists_join(s, 0, buf, len));
	case 4:
		return (lists_join(s, 1, buf, len));
	case 5:
		return (s->signed_on);
	default:
		return (NULL);
	}
}

/*
 * What the table is, for the lines above it (CSV), the sheet beside it
 * (XLSX): the statement, its public address, its status, the counts and
 * the signed record, labelled in the statement's language; numbers are
 * written into named and unnamed.
 */
size_t
lists_facts(const struct us_p_statement *st, struct lists_fact *f,
    char *named, size_t nlen, char *unnamed, size_t ulen)
{
	size_t	n = 0;

	(void)snprintf(named, nlen, "%zu", st->nsignatories);
	(void)snprintf(unnamed, ulen, "%zu", st->unnamed_count);
	f[n].label = st->tr(st, "Statement");
	f[n++].value = st->title;
	f[n].label = st->tr(st, "Address");
	f[n++].value = st->url;
	f[n].label = st->tr(st, "Status");
	f[n++].value = st->status_line;
	f[n].label = st->tr(st, "Named organisations");
	f[n++].value = named;
	f[n].label = st->tr(st, "Organisations not named");
	f[n++].value = unnamed;
	if (st->record_digest != NULL) {
		f[n].label = st->tr(st, "Signed record");
		f[n++].value = st->record_digest;
	}
	return (n);
}

/* The formula guard every table of undersigned shares (common/table.c). */
int
lists_neutralise(const char *s)
{
	return (s != NULL && us_table_formula(s, strlen(s)));
}

static const char	*lists_join(const struct us_p_signatory *, int,
			    char *, size_t);

static const struct us_plugin csv = {
	US_PLUGIN_HEADER,
	.name = "csv",
	.title = "Signatories (CSV)",
	.mime_type = "text/csv; charset=utf-8",
	.extension = "csv",
	.version = "2.0",
	.render = lists_csv_render,
};

static const struct us_plugin csv_excel = {
	US_PLUGIN_HEADER,
	.name = "csv-excel",
	.title = "Signatories (CSV for Excel)",
	.mime_type = "text/csv; charset=utf-8",
	.extension = "csv",
	.version = "2.0",
	.render = lists_csv_excel_render,
	.file_suffix = "-excel",
};

static const struct us_plugin json = {
	US_PLUGIN_HEADER,
	.name = "json",
	.title = "Signatories (JSON)",
	.mime_type = "application/json",
	.extension = "json",
	.version = "2.0",
	.render = lists_json_render,
};

static const struct us_plugin xlsx = {
	US_PLUGIN_HEADER,
	.name = "xlsx",
	.title = "Signatories (Excel workbook)",
	.mime_type =
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	.extension = "xlsx",
	.version = "2.0",
	.render = lists_xlsx_render,
};

US_PLUGIN_EXPORT(&csv, &csv_excel, &json, &xlsx);
