#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/i18n.h"
#include "core/when.h"
#include "http/http.h"

/*
 * The audit log page: each entry a sentence in the reader's language
 * (core/audit.c) with its time in the statement's zone, newest first, a
 * page at a time.
 */

#define AUDIT_PER_PAGE	50
#define AUDIT_PAGE_MAX	100000

/* GET /w/s/{slug}/audit[?page=N] */
int
us_ws_audit_work(struct us_db *db, struct us_req *r)
{
	struct us_audit_row	 row;
	struct us_buf		 b;
	json_t			*log, *e, *entries;
	const char		*p = us_fields_get(&r->fields, "page");
	const char		*zone;
	char			 id[US_DB_ID_LEN], href[32];
	long			 page = 1;
	long long		 total, pages;
	size_t			 i;

	if (p != NULL && *p != '\0' && (strspn(p, "0123456789") != strlen(p) ||
	    strlen(p) > 6 || (page = strtol(p, NULL, 10)) < 1 ||
	    page > AUDIT_PAGE_MAX))
		return (us_error_set(&r->err, US_E_INVALID, "page",
		    "invalid_number", US_N_("The page must be a whole number "
		    "from 1.")));
	if (!us_db_ws_own(db, r->params[0], r->coord, id, NULL, &r->err) ||
	    (log = us_db_audit_list(db, id, (int)page, AUDIT_PER_PAGE,
	    &r->err)) == NULL)
		return (US_FAIL);
	zone = json_string_value(json_object_get(log, "zone"));
	entries = json_array();
	us_buf_init(&b);
	json_array_foreach(json_object_get(log, "entries"), i, e) {
		memset(&row, 0, sizeof(row));
		row.who = json_string_value(json_object_get(e, "who"));
		row.by_coordinator = json_is_true(json_object_get(e,
		    "by_coordinator"));
		row.action = json_string_value(json_object_get(e, "action"));
		row.subject = json_string_value(json_object_get(e, "subject"));
		row.subject_local = json_string_value(json_object_get(e,
		    "subject_local"));
		row.before = json_object_get(e, "before");
		row.after = json_object_get(e, "after");
		us_buf_reset(&b);
		us_audit_sentence(&b, r->lang, &row, zone);
		json_array_append_new(entries, json_pack("{s:s}", "sentence",
		    b.data != NULL ? b.data : ""));
		us_buf_reset(&b);
		if (us_when_stamp(&b, r->lang, json_string_value(
		    json_object_get(e, "at_local")), zone))
			json_object_set_new(json_array_get(entries, i), "when",
			    json_string(b.data));
	}
	total = json_integer_value(json_object_get(log, "total"));
	pages = total > 0 ? (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE : 1;
	r->out = json_pack("{s:o, s:s, s:s, s:b}", "entries", entries, "slug",
	    r->params[0], "page_title", US_N_("Audit log"), "paged",
	    pages > 1);
	us_buf_reset(&b);
	us_buf_appendf(&b, "%ld", page);
	json_object_set_new(r->out, "page", json_string(b.data));
	us_buf_reset(&b);
	us_buf_appendf(&b, "%lld", pages);
	json_object_set_new(r->out, "pages", json_string(b.data));
	if (page > 1) {
		(void)snprintf(href, sizeof(href), "?page=%ld", page - 1);
		json_object_set_new(r->out, "prev_href", json_string(href));
	}
	if (page < pages) {
		(void)snprintf(href, sizeof(href), "?page=%ld", page + 1);
		json_object_set_new(r->out, "next_href", json_string(href));
	}
	json_object_set_new(r->out, "zone", json_string(zone));
	us_buf_free(&b);
	json_decref(log);
	return (US_OK);
}
