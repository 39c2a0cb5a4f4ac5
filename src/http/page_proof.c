/*
 * /verify-document: what `bin/undersigned verify` says, for readers
 * without a command line.  GET shows the form; POST (multipart) takes a
 * record, or a document that names one (PDF, JSON list, press release)
 * with or without the record beside it: without, the record it names is
 * looked up among this server's records.  Checked against this server's
 * keys, retired ones included.
 */
#include <string.h>

#include "core/multipart.h"
#include "core/record.h"
#include "http/http.h"

#define PROOF_MAX	(5 * 1024 * 1024)	/* Kore's own body limit */

static void	proof_result(json_t *, int, const char *);

int
us_proof_form(struct http_request *req, struct us_req *r)
{
	json_t	*m;

	m = json_pack("{s:s}", "page_title", "Verify a document");
	us_http_page(req, HTTP_STATUS_OK, "verify_document.html", m);
	json_decref(m);
	(void)r;
	return (US_HTTP_DONE);
}

int
us_proof_prepare(struct http_request *req, struct us_req *r)
{
	struct us_buf	 b;
	const char	*type;
	const struct us_field *doc;

	us_buf_init(&b);
	if (!us_http_body(req, r, PROOF_MAX, &b)) {
		us_buf_free(&b);
		return (US_HTTP_DONE);
	}
	if (!http_request_header(req, "content-type", &type) ||
	    strncasecmp(type, "multipart/form-data", 19) != 0) {
		us_buf_free(&b);
		us_http_fail(req, r, US_E_MALFORMED, NULL, "not_multipart",
		    "Send the file as multipart/form-data, field \"document\".");
		return (US_HTTP_DONE);
	}
	if (!us_multipart_parse(&r->fields, type, b.data != NULL ? b.data : "",
	    b.len, &r->err)) {
		us_buf_free(&b);
		us_http_error(req, r, &r->err);
		return (US_HTTP_DONE);
	}
	us_buf_free(&b);
	if ((doc = us_fields_find(&r->fields, "document")) == NULL ||
	    doc->len == 0) {
		us_http_fail(req, r, US_E_INVALID, "document", "required",
		    "Choose the file to check (a record, a PDF, a JSON list "
		    "or a press release).");
		return (US_HTTP_DONE);
	}
	return (US_HTTP_WORK);
}

static void
proof_result(json_t *out, int valid, const char *message)
{
	json_object_set_new(out, "checked", json_true());
	json_object_set_new(out, "valid", json_boolean(valid));
	json_object_set_new(out, "message", json_string(message));
}

int
us_proof_work(struct us_db *db, struct us_req *r)
{
	struct us_record_info	 info;
	const struct us_field	*doc, *rec;
	struct us_buf		 why;
	json_t			*keys, *env, *found = NULL;
	const char		*rdata;
	size_t			 rlen;
	char			 named[US_RECORD_DIGEST_LEN + 1];
	int			 is_record, valid = 0;

	doc = us_fields_find(&r->fields, "document");
	rec = us_fields_find(&r->fields, "record");
	if ((keys = us_db_keys_list(db, &r->err)) == NULL)
		return (US_FAIL);
	r->out = json_pack("{s:s}", "page_title", "Verify a document");
	us_buf_init(&why);
	env = json_loadb(doc->value, doc->len, 0, NULL);
	is_record = json_is_object(json_object_get(env, "record"));
	json_decref(env);
	if (is_record) {
		rdata = doc->value;
		rlen = doc->len;
	} else if (!us_record_find_digest(doc->value, doc->len, named)) {
		us_buf_puts(&why, "invalid: this file names no signed record "
		    "(there is no sha256: digest in it)");
		goto done;
	} else if (rec != NULL && rec->len > 0) {
		rdata = rec->value;
		rlen = rec->len;
	} else {
		if ((found = us_db_record_by_digest(db, named, &r->err)) ==
		    NULL) {
			if (r->err.kind != US_E_NOTFOUND)
				goto fail;
			us_error_clear(&r->err);
			us_buf_appendf(&why, "invalid: this file names the "
			    "record %s, which this site did not sign", named);
			goto done;
		}
		rdata = json_string_value(json_object_get(found, "document"));
		rlen = strlen(rdata);
	}
	us_buf_puts(&why, "invalid: ");
	if (!us_record_check(rdata, rlen, keys, &info, &why))
		goto done;
	us_buf_reset(&why);
	if (!is_record && strcmp(info.digest, named) != 0) {
		us_buf_appendf(&why, "invalid: this file names the record %s, "
		    "but the record given is %s", named, info.digest);
		goto done;
	}
	us_record_verdict(&why, &info);
	if (!is_record)
		us_buf_puts(&why, "; the file is a copy of it");
	valid = 1;
done:
	proof_result(r->out, valid, why.data);
	json_decref(found);
	json_decref(keys);
	us_buf_free(&why);
	return (US_OK);
fail:
	json_decref(keys);
	us_buf_free(&why);
	return (US_FAIL);
}
