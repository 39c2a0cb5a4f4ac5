#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/token.h"
#include "http/http.h"

/*
 * Delivery of a published statement to its addressees, by a
 * coordinator: the API and the workspace's confirm step.  The file
 * attached is rendered here, once, by the output plugin named below,
 * found through the plugin loader like any download.
 */
#define US_DELIVERY_FORMAT	"letter"

static int	delivery_queue(struct us_db *, struct us_req *);
static const char *delivery_status_label(const char *);

/* How a mail to an addressee fares, for people. */
static const char *
delivery_status_label(const char *status)
{
	if (strcmp(status, "sent") == 0)
		return (US_N_("Sent"));
	if (strcmp(status, "failed") == 0)
		return (US_N_("Failed: the mail server refused it for a day"));
	return (US_N_("Waiting to be sent"));
}

/*
 * Checks the coordinator and the status before rendering anything, then
 * renders and queues; the transaction checks both again.
 */
static int
delivery_queue(struct us_db *db, struct us_req *r)
{
	struct us_db_access	 a;
	const struct us_format	*f;
	struct us_buf		 file, hex;
	char			 rev[32], name[300];
	int			 ok;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	if (strcmp(a.status, "published") != 0)
		return (us_error_set(&r->err, US_E_CONFLICT, NULL,
		    "not_published", "Only a published statement can be "
		    "delivered to its addressees: publish it first."));
	if ((f = us_plugins_find(&us_app.plugins, US_DELIVERY_FORMAT)) == NULL)
		return (us_error_set(&r->err, US_E_UNAVAILABLE, NULL,
		    "plugin_missing", "The output plugin \"%s\" that renders "
		    "the attached letter is not installed on this server.",
		    US_DELIVERY_FORMAT));
	if (!us_db_render_revision(db, r->params[0], rev, sizeof(rev),
	    &r->err))
		return (US_FAIL);
	us_buf_init(&file);
	us_buf_init(&hex);
	ok = us_download_fetch(db, r->params[0], NULL, f, rev, &file, &r->err);
	if (ok) {
		hex.data = malloc(file.len * 2 + 1);
		if (hex.data == NULL)
			ok = us_error_set(&r->err, US_E_INTERNAL, NULL,
			    "no_memory", "Out of memory.");
	}
	if (ok) {
		us_hex((const unsigned char *)file.data, file.len, hex.data);
		hex.len = file.len * 2;
		us_plugin_filename(f->p, r->params[0], NULL, name,
		    sizeof(name));
		ok = us_db_deliver(db, r->params[0], r->coord, name,
		    f->p->mime_type, &hex, &r->err);
	}
	free(hex.data);
	us_buf_free(&file);
	return (ok);
}

/* POST /api/v1/statements/{slug}/deliveries: 202 and the list. */
int
us_delivery_api_work(struct us_db *db, struct us_req *r)
{
	if (!delivery_queue(db, r))
		return (US_FAIL);
	r->out = us_db_deliveries(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

void
us_delivery_api_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_json(req, HTTP_STATUS_ACCEPTED, r->out);
}

/* GET /api/v1/statements/{slug}/deliveries */
int
us_delivery_list_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_deliveries(db, r->params[0], r->coord, &r->err);
	return (r->out != NULL);
}

void
us_delivery_list_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_json(req, HTTP_STATUS_OK, r->out);
}

/*
 * GET /w/s/{slug}/deliver: who will receive what, and the button; after
 * delivery, how each mail fares.
 */
int
us_ws_deliver_plan_work(struct us_db *db, struct us_req *r)
{
	json_t	*list, *ad, *with, *d;
	size_t	 i;
	int	 done = 0;

	if ((r->out = us_db_stmt_get(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	if ((list = us_db_deliveries(db, r->params[0], r->coord,
	    &r->err)) == NULL)
		return (US_FAIL);
	with = json_array();
	json_array_foreach(json_object_get(r->out, "addressees"), i, ad)
		if (json_string_value(json_object_get(ad, "email")) != NULL &&
		    *json_string_value(json_object_get(ad, "email")) != '\0')
			json_array_append(with, ad);
	json_object_set_new(r->out, "recipients", with);
	json_object_set_new(r->out, "has_recipients",
	    json_boolean(json_array_size(with) > 0));
	json_array_foreach(list, i, d) {
		if (json_integer_value(json_object_get(d, "version")) ==
		    json_integer_value(json_object_get(r->out, "version")))
			done = 1;
		json_object_set_new(d, "status_label", json_string(us_i18n(
		    r->lang, delivery_status_label(json_string_value(
		    json_object_get(d, "status"))))));
	}
	json_object_set_new(r->out, "deliveries", list);
	json_object_set_new(r->out, "has_deliveries",
	    json_boolean(json_array_size(list) > 0));
	json_object_set_new(r->out, "can_deliver", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "status")),
	    "published") == 0 && json_array_size(with) > 0 &&
	    !done));
	return (US_OK);
}

/* POST /w/s/{slug}/deliver: the confirmed button. */
int
us_ws_deliver_work(struct us_db *db, struct us_req *r)
{
	struct us_buf	url;

	if (!delivery_queue(db, r))
		return (US_FAIL);
	us_buf_init(&url);
	us_buf_puts(&url, "/w/s/");
	us_esc_url(&url, r->params[0]);
	us_buf_puts(&url, "/deliver");
	(void)snprintf(r->redirect, sizeof(r->redirect), "%s", url.data);
	us_buf_free(&url);
	return (US_OK);
}
