#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "core/token.h"
#include "http/http.h"

static const char	*asset_type(const char *);

static const char *
asset_type(const char *name)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) != NULL) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (strcmp(dot, types[i].ext) == 0)
				return (types[i].type);
		}
	}
	return ("application/octet-stream");
}

/*
 * assets/static is read once into memory at start-up, each file with an
 * ETag from its digest, so serving it is a table lookup.  Pages link the
 * files as /assets/NAME?v=VERSION, a digest of all of them: that address
 * never changes its bytes, so it may be cached for a year, and a release
 * that changes a file changes every link.
 */
int
us_assets_load(const char *dir, struct us_error *err)
{
	struct us_tpls	 files;
	struct us_asset	*a;
	struct us_buf	 all;
	unsigned char	 h[US_HASH_LEN];
	char		 hex[17];
	size_t		 i;

	memset(&files, 0, sizeof(files));
	if (!us_tpl_load_dir(&files, dir, err))
		return (US_FAIL);
	us_buf_init(&all);
	us_app.assets = us_calloc(files.n, sizeof(*us_app.assets));
	for (i = 0; i < files.n; i++) {
		a = &us_app.assets[i];
		a->name = us_strdup(files.v[i].name);
		a->data = us_strndup(files.v[i].src, files.v[i].len);
		a->len = files.v[i].len;
		a->type = asset_type(a->name);
		us_sha256(a->data, a->len, h);
		us_hex(h, 8, hex);
		a->etag[0] = '"';
		memcpy(a->etag + 1, hex, 16);
		memcpy(a->etag + 17, "\"", 2);
		us_buf_appendf(&all, "%s %s\n", a->name, a->etag);
	}
	us_sha256(all.data != NULL ? all.data : "", all.len, h);
	us_hex(h, 8, us_app.asset_version);
	us_buf_free(&all);
	us_app.nassets = files.n;
	us_tpl_free(&files);
	return (US_OK);
}

/* GET /assets/{name}: answered on the event loop, no database. */
int
us_asset_prepare(struct http_request *req, struct us_req *r)
{
	const struct us_asset	*a = NULL;
	const char		*inm, *v;
	size_t			 i;

	for (i = 0; i < us_app.nassets; i++) {
		if (strcmp(us_app.assets[i].name, r->params[0]) == 0) {
			a = &us_app.assets[i];
			break;
		}
	}
	if (a == NULL) {
		us_http_fail(req, r, US_E_NOTFOUND, NULL, "not_found",
		    "There is nothing at this address.");
		return (US_HTTP_DONE);
	}
	us_http_headers(req);
	http_response_header(req, "etag", a->etag);
	/* An old page's version gets today's bytes, but only for an hour. */
	if ((v = us_fields_get(&r->fields, "v")) != NULL &&
	    strcmp(v, us_app.asset_version) == 0)
		http_response_header(req, "cache-control",
		    "public, max-age=31536000, immutable");
	else
		http_response_header(req, "cache-control",
		    "public, max-age=3600");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, a->etag) == 0) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return (US_HTTP_DONE);
	}
	http_response_header(req, "content-type", a->type);
	http_response(req, HTTP_STATUS_OK, a->data, a->len);
	return (US_HTTP_DONE);
}
