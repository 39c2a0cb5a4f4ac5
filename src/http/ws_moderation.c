#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/sign.h"
#include "core/validate.h"
#include "core/i18n.h"
#include "http/http.h"

/*
 * Moderation: the list of a statement's signatures with contact data,
 * decisions on them (one or many at once), how a name is shown, and the
 * order of the public list.
 */

#define DECIDE_MAX	2000

/* GET /w/s/{slug}/signatures[?show=queue|pending|public|rejected|withdrawn] */
int
us_ws_signatures_work(struct us_db *db, struct us_req *r)
{
	json_t		*list, *s;
	const char	*show = us_fields_get(&r->fields, "show");
	size_t		 i;

	if (show == NULL || *show == '\0')
		show = "all";
	if ((r->out = us_db_ws_statement(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	if ((list = us_db_ws_signatures(db, r->params[0], r->coord, show,
	    &r->err)) == NULL)
		return (US_FAIL);
	json_array_foreach(list, i, s) {
		const char	*c = json_string_value(json_object_get(s,
				    "country"));

		if (c != NULL)
			json_object_set_new(s, "country_name", json_string(
			    us_country_name_in(c, r->lang)));
		us_ws_labels(s, r->lang);
	}
	us_ws_labels(r->out, r->lang);
	json_object_set_new(r->out, "signatures", list);
	json_object_set_new(r->out, "show", json_string(show));
	/* The filter shown is marked as the current one. */
	{
		static const char *const shows[] = { "queue", "pending",
		    "public", "rejected", "withdrawn", "all", NULL };
		char	key[32];

		for (i = 0; shows[i] != NULL; i++) {
			(void)snprintf(key, sizeof(key), "show_%s", shows[i]);
			json_object_set_new(r->out, key, json_boolean(
			    strcmp(show, shows[i]) == 0));
		}
	}
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Signatures")));
	/* A published list can only shrink: no approve, no restore. */
	json_object_set_new(r->out, "is_published", json_boolean(
	    json_string_value(json_object_get(r->out, "status")) != NULL &&
	    strcmp(json_string_value(json_object_get(r->out, "status")),
	    "published") == 0));
	json_object_set_new(r->out, "order_date", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "date") == 0));
	json_object_set_new(r->out, "order_alphabetical", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "alphabetical") == 0));
	json_object_set_new(r->out, "order_manual", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "manual") == 0));
	return (US_OK);
}

/*
 * POST /w/s/{slug}/signatures: action=approve|reject|restore on every
 * signature ticked (fields sel_<id>), or action=order to change the order
 * of the public list.
 */
int
us_ws_decide_work(struct us_db *db, struct us_req *r)
{
	const char	*action = us_fields_get(&r->fields, "action");
	const char	**ids;
	char		*reason;
	size_t		 i, n;
	int		 changed, ok;

	if (action == NULL)
		return (us_error_set(&r->err, US_E_INVALID, "action",
		    "invalid_action", "Choose what to do."));
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s/signatures%s%s",
	    r->params[0], us_fields_get(&r->fields, "show") != NULL ?
	    "?show=" : "", us_fields_get(&r->fields, "show") != NULL &&
	    strspn(us_fields_get(&r->fields, "show"), "abcdefghijklmnopqrstuvwxyz")
	    == strlen(us_fields_get(&r->fields, "show")) ?
	    us_fields_get(&r->fields, "show") : "");
	if (strcmp(action, "order") == 0)
		return (us_db_ws_list_order(db, r->params[0], r->coord,
		    us_fields_get(&r->fields, "list_order") != NULL ?
		    us_fields_get(&r->fields, "list_order") : "", &r->err));
	ids = us_calloc(DECIDE_MAX, sizeof(*ids));
	for (i = 0, n = 0; i < r->fields.n && n < DECIDE_MAX; i++) {
		if (strncmp(r->fields.v[i].name, "sel_", 4) == 0 &&
		    strspn(r->fields.v[i].name + 4, "0123456789") ==
		    strlen(r->fields.v[i].name + 4) &&
		    r->fields.v[i].name[4] != '\0')
			ids[n++] = r->fields.v[i].name + 4;
	}
	if (n == 0) {
		free(ids);
		return (us_error_set(&r->err, US_E_INVALID, "sel",
		    "nothing_selected", "Tick at least one signature."));
	}
	if (!us_validate_line(&r->fields, "reason", "The reason", 500, &reason,
	    &r->err)) {
		free(ids);
		return (US_FAIL);
	}
	ok = us_db_ws_decide(db, r->params[0], r->coord, action, reason, ids,
	    n, &changed, &r->err);
	free(reason);
	free(ids);
	return (ok);
}

/* POST /w/s/{slug}/signatures/{id}: display name, initiator, position. */
int
us_ws_sig_edit_work(struct us_db *db, struct us_req *r)
{
	const char	*pos = us_fields_get(&r->fields, "display_order");
	const char	*name;

	if (pos != NULL && *pos != '\0' && (strspn(pos, "0123456789") !=
	    strlen(pos) || strlen(pos) > 6))
		return (us_error_set(&r->err, US_E_INVALID, "display_order",
		    "invalid_number", "The position must be a whole number."));
	if (!us_sign_validate_display(&r->fields, &r->clean, &r->errs)) {
		r->err = r->errs.v[0];
		return (US_FAIL);
	}
	name = us_fields_get(&r->clean, "display_name");
	if (!us_db_ws_sig_edit(db, r->params[0], r->coord, r->params[1],
	    name != NULL ? name : "",
	    us_fields_get(&r->fields, "initiator") != NULL,
	    pos != NULL ? pos : "", &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s/signatures",
	    r->params[0]);
	return (US_OK);
}
