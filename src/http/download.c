#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "core/token.h"
#include "http/http.h"
#include "plugin/plugin.h"

/* The state of one download, from prepare to finish. */
struct download {
	int			 record;	/* the signed record */
	const struct us_plugin	*p;
	const struct us_format	*f;
	char			 lang[16];	/* asked for; "" the original */
	char			 inm[160];
	char			 etag[160];
	int			 not_modified;
	struct us_buf		 file;
	const char		*slug;
};

static void	download_free(void *);
static int	download_lang(struct http_request *, char *, size_t);
static int	download_make(void *, struct us_buf *, struct us_error *);
static int	download_record(struct us_db *, struct us_req *);

static void
download_free(void *arg)
{
	struct download	*d = arg;

	us_buf_free(&d->file);
	kore_free(d);
}

/*
 * ?lang=xx picks a language version of the statement, and the words and
 * dates of the file with it; without it the file is in the statement's
 * own language, whatever the reader's interface language is.
 */
static int
download_lang(struct http_request *req, char *lang, size_t len)
{
	const char	*q;
	size_t		 n;

	lang[0] = '\0';
	if (req->query_string == NULL ||
	    (q = strstr(req->query_string, "lang=")) == NULL ||
	    (q != req->query_string && q[-1] != '&'))
		return (US_OK);
	q += 5;
	n = strcspn(q, "&");
	if (n < 2 || n >= len || n > 8 || strspn(q,
	    "abcdefghijklmnopqrstuvwxyz-") < n)
		return (US_FAIL);
	memcpy(lang, q, n);
	lang[n] = '\0';
	return (US_OK);
}

/* GET /api/v1/formats */
int
us_formats_prepare(struct http_request *req, struct us_req *r)
{
	json_t	*list;
	size_t	 i;

	list = json_array();
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "name",
	    US_RECORD_FORMAT_NAME, "title", "Signed record (published "
	    "statements)", "mime_type", "application/json", "extension",
	    "json"));
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
	if (http_request_header(req, "if-none-match", &inm))
		(void)snprintf(d->inm, sizeof(d->inm), "%s", inm);
	if (strcmp(r->params[1], US_RECORD_FORMAT_NAME) == 0) {
		d->record = 1;
		return (US_HTTP_WORK);
	}
	if ((d->f = us_plugins_find(&us_app.plugins, r->params[1])) == NULL) {
		us_http_fail(req, r, US_E_NOTFOUND, NULL, "unknown_format",
		    "There is no such download format; GET /api/v1/formats "
		    "lists them.");
		return (US_HTTP_DONE);
	}
	d->p = d->f->p;
	if (!download_lang(req, d->lang, sizeof(d->lang))) {
		us_http_fail(req, r, US_E_INVALID, "lang", "bad_lang",
		    "lang must be a language code such as \"en\" or \"ru\".");
		return (US_HTTP_DONE);
	}
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
	    d->lang[0] != '\0' ? d->lang : NULL, us_app.cfg.public_url,
	    err)) == NULL)
		return (US_FAIL);
	ok = us_model_build(&m, doc, err) &&
	    us_plugin_render(d->p, &m.st, out, err);
	if (m.doc != NULL)
		us_model_free(&m);
	json_decref(doc);
	return (ok);
}

/*
 * The signed record, as it was sealed: stored bytes, never rendered, so
 * every download of it is the same file.  Its digest is its ETag.
 */
static int
download_record(struct us_db *db, struct us_req *r)
{
	struct download	*d = r->in;
	json_t		*rec;
	const char	*digest;

	if ((rec = us_db_record_latest(db, d->slug, &r->err)) == NULL)
		return (US_FAIL);
	digest = json_string_value(json_object_get(rec, "digest"));
	(void)snprintf(d->etag, sizeof(d->etag), "\"%s\"", digest + 7);
	if (strcmp(d->inm, d->etag) == 0)
		d->not_modified = 1;
	else
		us_buf_puts(&d->file, json_string_value(json_object_get(rec,
		    "document")));
	json_decref(rec);
	return (US_OK);
}

/*
 * A render is cached per statement revision: its ETag says which, so a
 * client that has it gets 304 without a render or a read.
 */
int
us_download_work(struct us_db *db, struct us_req *r)
{
	struct download	*d = r->in;
	char		 rev[32], ver[24], dir[4200], key[200], name[400];
	char		 lang[24], build[24];
	unsigned char	 h[US_HASH_LEN];
	size_t		 i;

	if (d->record)
		return (download_record(db, r));
	if (!us_db_render_revision(db, d->slug, rev, sizeof(rev), &r->err))
		return (US_FAIL);
	/*
	 * A new version of the plugin is a new file too, and so is a new
	 * build of its file: a plugin rebuilt without a new version string
	 * must not be served from the cache of the old one.
	 */
	(void)snprintf(ver, sizeof(ver), "%s", d->p->version);
	for (i = 0; ver[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.", ver[i]) == NULL)
			ver[i] = '_';
	}
	us_sha256(d->f->id, strlen(d->f->id), h);
	us_hex(h, 4, build);
	(void)snprintf(lang, sizeof(lang), "%s%s", d->lang[0] != '\0' ? "-" :
	    "", d->lang);
	(void)snprintf(d->etag, sizeof(d->etag), "\"%s-%s-%s-%s%s\"", rev,
	    d->p->name, ver, build, lang);
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
	(void)snprintf(key, sizeof(key), "%s%s", d->slug, lang);
	(void)snprintf(name, sizeof(name), "%s.%s-%s-%s.%s", key, rev, ver,
	    build, d->p->extension);
	r->job_db = db;
	return (us_cache_fetch(dir, key, name, &d->file, download_make, r,
	    &r->err));
}

void
us_download_finish(struct http_request *req, struct us_req *r)
{
	struct download	*d = r->in;
	char		 disp[400], file[300];

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
	if (d->record)
		(void)snprintf(file, sizeof(file), "%s.record.json", d->slug);
	else
		us_plugin_filename(d->p, d->slug, d->lang, file, sizeof(file));
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    file);
	http_response_header(req, "content-type", d->record ?
	    "application/json" : d->p->mime_type);
	http_response_header(req, "content-disposition", disp);
	http_response(req, HTTP_STATUS_OK, d->file.data, d->file.len);
}
