#include <stdio.h>
#include <string.h>

#include "core/country.h"
#include "core/export.h"
#include "http/http.h"

/*
 * The coordinators' export of a statement's signatures with contact data
 * and status, as CSV, XLSX or JSON: safe against spreadsheet formulas,
 * for the statement's coordinators only.  (The public lists are output
 * plugins, which never see contact data.)
 */

static const struct us_export_col cols[] = {
	{ "position", "Position" },
	{ "organisation", "Organisation" },
	{ "display_name", "Display name" },
	{ "acronym", "Acronym" },
	{ "country", "Country" },
	{ "country_name", "Country name" },
	{ "country2", "Second country" },
	{ "website", "Website" },
	{ "contact_name", "Contact name" },
	{ "contact_role", "Contact role" },
	{ "email", "Email" },
	{ "comment", "Comment" },
	{ "visibility", "Visibility" },
	{ "status", "Status" },
	{ "approved", "Approved" },
	{ "rejection_reason", "Rejection reason" },
	{ "source", "Source" },
	{ "initiator", "Initiator" },
	{ "lang", "Language" },
	{ "text_digest", "Text digest" },
	{ "created_at", "Signed at" },
	{ "confirmed_at", "Confirmed at" },
	{ "withdrawn_at", "Withdrawn at" },
	{ "id", "Id" },
};

#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

/* Work of GET /w/s/{slug}/export.{fmt} and /api/.../export.{fmt}. */
int
us_export_work(struct us_db *db, struct us_req *r)
{
	const char	*fmt = r->params[1], *c;
	json_t		*rows, *row;
	size_t		 i;
	int		 ok;

	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0 &&
	    strcmp(fmt, "json") != 0)
		return (us_error_set(&r->err, US_E_NOTFOUND, NULL,
		    "unknown_format", "Exports are export.csv, export.xlsx "
		    "and export.json."));
	if ((rows = us_db_ws_export(db, r->params[0], r->coord, &r->err)) ==
	    NULL)
		return (US_FAIL);
	json_array_foreach(rows, i, row) {
		if ((c = json_string_value(json_object_get(row, "country"))) !=
		    NULL)
			json_object_set_new(row, "country_name",
			    json_string(us_country_name(c)));
	}
	if (strcmp(fmt, "csv") == 0) {
		ok = us_export_csv(cols, NCOLS, rows, 0, &r->file, &r->err);
		r->file_type = "text/csv; charset=utf-8";
	} else if (strcmp(fmt, "xlsx") == 0) {
		ok = us_export_xlsx(cols, NCOLS, rows, "Signatures", &r->file,
		    &r->err);
		r->file_type = "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet";
	} else {
		ok = us_export_json(cols, NCOLS, rows, &r->file, &r->err);
		r->file_type = "application/json";
	}
	json_decref(rows);
	(void)snprintf(r->file_name, sizeof(r->file_name),
	    "%s-signatures.%s", r->params[0], fmt);
	if (!ok)
		r->file_type = NULL;
	return (ok);
}
