#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "plugin/plugin.h"

/* The state of one download, from prepare to finish. */
struct download {
	const struct us_plugin	*p;
	char			 inm[128];
	char			 etag[64];
	int			 not_modified;
	struct us_buf		 file;
	const char		*slug;
};

static void	download_free(void *);
static int	download_make(void *, struct us_buf *, struct us_error *);

static void
download_free(void *arg)
{
	struct download	*d = arg;

	us_buf_free(&d->file);
	kore_free(d);
}

/* GET /api/v1/formats */
int
us_formats_prepare(struct http_request *req, struct us_req *r)
{
	json_t	*list;
	size_t	 i;

	list = json_array();
	for (i = 0; i < us_app.plugins.n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "name", us_app.plugins.v[i].p->name,
		    "title", us_app.plugins.v[i].p->title,
		    "mime_type", us_app.plugins.v[i].p->mime_type,
		    "extension", us_app.plugins.v[i].p->extension));
	us_http_json(req, HTTP_STATUS_OK, list);
	json_decref(list);
	(void)r;
	return (US_HTTP_DONE);
}

/* GET /s/{slug}/download/{format} */
int
us_download_prepare(struct http_request *req, struct us_req *r)
{
	struct download	*d;
	const char	*inm;

	d = kore_calloc(1, sizeof(*d));
	us_buf_init(&d->file);
	d->slug = r->params[0];
	r->in = d;
	r->in_free = download_free;
	if ((d->p = us_plugins_find(&us_app.plugins, r->params[1])) == NULL) {
		us_http_fail(req, r, US_E_NOTFOUND, NULL, "unknown_format",
		    "There is no such download format; GET /api/v1/formats "
		    "lists them.");
		return (US_HTTP_DONE);
	}
	if (http_request_header(req, "if-none-match", &inm))
		(void)snprintf(d->inm, sizeof(d->inm), "%s", inm);
	return (US_HTTP_WORK);
}

/* Runs in the task thread, under the cache lock. */
static int
download_make(void *arg, struct us_buf *out, struct us_error *err)
{
	struct us_req	*r = arg;
	struct download	*d = r->in;
	struct us_model	 m;
	json_t		*doc;
	int		 ok;

	if ((doc = us_db_render_model(r->job_db, d->slug,
	    us_app.cfg.public_url, r->coord, err)) == NULL)
		return (US_FAIL);
	ok = us_model_build(&m, doc, err) &&
	    us_plugin_render(d->p, &m.st, out, err);
	if (m.doc != NULL)
		us_model_free(&m);
	json_decref(doc);
	return (ok);
}

/*
 * A render is cached per statement revision: its ETag says which, so a
 * client that has it gets 304 without a render or a read.
 */
int
us_download_work(struct us_db *db, struct us_req *r)
{
	struct download	*d = r->in;
	char		 rev[32], ver[24], dir[4200], key[200], name[300];
	size_t		 i;

	if (!us_db_render_revision(db, d->slug, rev, sizeof(rev), &r->err))
		return (US_FAIL);
	/* A new version of the plugin is a new file too. */
	(void)snprintf(ver, sizeof(ver), "%s", d->p->version);
	for (i = 0; ver[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.", ver[i]) == NULL)
			ver[i] = '_';
	}
	(void)snprintf(d->etag, sizeof(d->etag), "\"%s-%s-%s\"", rev,
	    d->p->name, ver);
	if (strcmp(d->inm, d->etag) == 0) {
		d->not_modified = 1;
		return (US_OK);
	}
	/*
	 * Relative: a worker's working directory is Kore's root, the project
	 * directory or, with privilege separation, the chroot, where the
	 * project's absolute path does not exist.
	 */
	(void)snprintf(dir, sizeof(dir), "var/cache/renders/%s", d->p->name);
	(void)snprintf(key, sizeof(key), "%s", d->slug);
	(void)snprintf(name, sizeof(name), "%s.%s-%s.%s", d->slug, rev, ver,
	    d->p->extension);
	r->job_db = db;
	return (us_cache_fetch(dir, key, name, &d->file, download_make, r,
	    &r->err));
}

void
us_download_finish(struct http_request *req, struct us_req *r)
{
	struct download	*d = r->in;
	char		 disp[300];

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_headers(req);
	http_response_header(req, "etag", d->etag);
	http_response_header(req, "cache-control", "no-cache");
	if (d->not_modified) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return;
	}
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"",
	    d->slug, d->p->extension);
	http_response_header(req, "content-type", d->p->mime_type);
	http_response_header(req, "content-disposition", disp);
	http_response(req, HTTP_STATUS_OK, d->file.data, d->file.len);
}

/*
 * GET /w/s/{slug}/preview/{format}: a download as it will be, for the
 * statement's coordinators in any state (a draft has no downloads).
 * Rendered each time, never cached: a draft changes with every save.
 */
int
us_ws_render_preview_work(struct us_db *db, struct us_req *r)
{
	struct us_db_access	a;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	r->job_db = db;
	return (download_make(r, &((struct download *)r->in)->file, &r->err));
}

void
us_ws_render_preview_finish(struct http_request *req, struct us_req *r)
{
	struct download	*d = r->in;
	char		 disp[300];

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_http_headers(req);
	http_response_header(req, "cache-control", "no-store");
	http_response_header(req, "x-robots-tag", "noindex");
	(void)snprintf(disp, sizeof(disp), "inline; filename=\"%s-preview.%s\"",
	    d->slug, d->p->extension);
	http_response_header(req, "content-type", d->p->mime_type);
	http_response_header(req, "content-disposition", disp);
	http_response(req, HTTP_STATUS_OK, d->file.data, d->file.len);
}
