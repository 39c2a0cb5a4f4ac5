#include <string.h>

#include "core/i18n.h"
#include "http/http.h"

/*
 * Withdrawal by the link in every mail to a signer: GET shows what will
 * be withdrawn (and changes nothing, mail scanners fetch links), POST
 * withdraws.
 */

int
us_withdraw_page_work(struct us_db *db, struct us_req *r)
{
	const char	*status;

	if ((r->out = us_db_withdraw_lookup(db, r->params[0], &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "token", json_string(r->params[0]));
	status = json_string_value(json_object_get(r->out, "signature_status"));
	json_object_set_new(r->out, "valid", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "state")), "valid") == 0 &&
	    (strcmp(status, "pending") == 0 ||
	    strcmp(status, "confirmed") == 0)));
	json_object_set_new(r->out, "page_title",
	    json_string(us_i18n(r->lang, "Withdraw a signature")));
	return (US_OK);
}

int
us_withdraw_work(struct us_db *db, struct us_req *r)
{
	if ((r->out = us_db_withdraw(db, r->params[0], &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "done", json_true());
	json_object_set_new(r->out, "page_title",
	    json_string(us_i18n(r->lang, "Signature withdrawn")));
	return (US_OK);
}
