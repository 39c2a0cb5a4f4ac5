#include "http/http.h"

/*
 * GET /api/v1/keys: the public keys that sign records, retired ones
 * included (they still check older records).  Private keys never leave
 * the database.
 */
int
us_keys_work(struct us_db *db, struct us_req *r)
{
	r->out = us_db_keys_list(db, &r->err);
	return (r->out != NULL);
}

void
us_keys_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_json(req, HTTP_STATUS_OK, r->out);
}
