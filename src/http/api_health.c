#include "http/http.h"

/* GET /healthz: 200 when PostgreSQL answers, 503 (Retry-After) when not. */
int
us_health_work(struct us_db *db, struct us_req *r)
{
	return (us_db_exec(db, &r->err, "SELECT 1", 0));
}

void
us_health_finish(struct http_request *req, struct us_req *r)
{
	json_t	*doc;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	doc = json_pack("{s:s, s:s}", "status", "ok", "database", "ok");
	us_http_json(req, HTTP_STATUS_OK, doc);
	json_decref(doc);
}
