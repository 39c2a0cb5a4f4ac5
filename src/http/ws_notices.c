#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "http/http.h"

/*
 * The coordinators' daily digest (of signatures waiting for approval):
 * a setting on their workspace page, and the unsubscribe link in every
 * digest, which opens a page with a button (mail scanners fetch links;
 * only the POST changes anything) and works without signing in.
 */

/* POST /w/notices: the setting on the workspace page. */
int
us_ws_notices_work(struct us_db *db, struct us_req *r)
{
	const char	*digest = us_fields_get(&r->fields, "digest");

	if (!us_db_notices_setting(db, r->coord, digest == NULL ||
	    strcmp(digest, "on") != 0, r->lang, &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w");
	return (US_OK);
}

/* GET /w/unsubscribe/{token}: what the button will do. */
int
us_ws_unsubscribe_page_work(struct us_db *db, struct us_req *r)
{
	if ((r->out = us_db_notices_token(db, r->params[0], &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "token", json_string(r->params[0]));
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Daily digest")));
	return (US_OK);
}

/* Before any sign-in, only a small form is read. */
int
us_ws_unsubscribe_prepare(struct http_request *req, struct us_req *r)
{
	return (us_http_body_form(req, r, US_BODY_SMALL_MAX) ? US_HTTP_WORK :
	    US_HTTP_DONE);
}

/*
 * POST /w/unsubscribe/{token}: digest=off (the button in the mail's
 * page) or digest=on (to undo it).
 */
int
us_ws_unsubscribe_work(struct us_db *db, struct us_req *r)
{
	const char	*digest = us_fields_get(&r->fields, "digest");
	int		 off;

	off = digest == NULL || strcmp(digest, "on") != 0;
	if (!us_db_notices_off(db, r->params[0], off, &r->err) ||
	    (r->out = us_db_notices_token(db, r->params[0], &r->err)) == NULL)
		return (US_FAIL);
	json_object_set_new(r->out, "token", json_string(r->params[0]));
	json_object_set_new(r->out, "done", json_true());
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Daily digest")));
	return (US_OK);
}
