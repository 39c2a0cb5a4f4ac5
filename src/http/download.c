#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/record.h"
#include "core/siglist.h"
#include "core/token.h"
#include "http/http.h"
#include "plugin/plugin.h"

#define DOWNLOAD_PATH_MAX	4200
#define DOWNLOAD_NAME_MAX	400

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

/* One format of one statement, rendered in the task thread. */
struct render_job {
	struct us_db		*db;
	const char		*slug;
	const char		*lang;		/* a version, or NULL */
	const struct us_plugin	*p;
	long long		 coord;		/* 0: the public's view */
};

static void	download_free(void *);
static int	download_lang(struct http_request *, char *, size_t);
static int	download_make(void *, struct us_buf *, struct us_error *);
static int	download_record(struct us_db *, struct us_req *);
static void	download_version(const struct us_format *, char *, size_t);
static void	download_paths(const struct us_format *, const char *,
		    const char *, const char *, char [DOWNLOAD_PATH_MAX],
		    char [DOWNLOAD_NAME_MAX], char [DOWNLOAD_NAME_MAX]);
static int	download_size(struct us_db *, const char *, const char *,
		    const struct us_format *, const char *, size_t *,
		    struct us_error *);
static const char *download_title(const char *, const char *);
static int	download_record_entry(struct us_db *, const char *,
		    const char *, json_t *, struct us_error *);

static const char	download_record_title[] =
			    US_N_("Signed record (published statements)");

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
	    US_RECORD_FORMAT_NAME, "title", download_record_title,
	    "mime_type", "application/json", "extension", "json"));
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
	struct render_job	*j = arg;
	struct us_model		 m;
	struct us_siglist	 rows;
	json_t			*doc;
	int			 ok;

	/* The list as compact rows: 100,000 names are a render, not 1 GB. */
	memset(&m, 0, sizeof(m));
	memset(&rows, 0, sizeof(rows));
	if ((doc = us_db_render_model(j->db, j->slug, j->lang,
	    us_app.cfg.public_url, j->coord, &rows, err)) == NULL) {
		us_siglist_free(&rows);
		return (US_FAIL);
	}
	ok = us_model_build_rows(&m, doc, &rows, err) &&
	    us_plugin_render(j->p, &m.st, out, err);
	if (m.doc != NULL)
		us_model_free(&m);
	json_decref(doc);
	us_siglist_free(&rows);
	return (ok);
}

/*
 * A format's version as it may appear in a file name and an ETag: the
 * plugin's version string and a digest of its file's identity, since a
 * plugin rebuilt without a new version string must not be served from
 * the cache of the old build.
 */
static void
download_version(const struct us_format *f, char *ver, size_t len)
{
	unsigned char	h[US_HASH_LEN];
	char		build[24];
	size_t		i, n;

	(void)snprintf(ver, len, "%s", f->p->version);
	for (i = 0; ver[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.", ver[i]) == NULL)
			ver[i] = '_';
	}
	us_sha256(f->id, strlen(f->id), h);
	us_hex(h, 4, build);
	n = strlen(ver);
	(void)snprintf(ver + n, len - n, "-%s", build);
}

/*
 * Where the file of format f for the statement (its language version
 * lang, unless NULL) at revision rev is cached.  Each version has its own
 * key, so that making one does not prune the others; "~" cannot be in a
 * slug, so no key names two files.  The directory is relative: a
 * worker's working directory is Kore's root, the project directory or,
 * with privilege separation, the chroot, where the project's absolute
 * path does not exist.
 */
static void
download_paths(const struct us_format *f, const char *slug, const char *lang,
    const char *rev, char dir[DOWNLOAD_PATH_MAX], char key[DOWNLOAD_NAME_MAX],
    char name[DOWNLOAD_NAME_MAX])
{
	char	ver[48];

	download_version(f, ver, sizeof(ver));
	(void)snprintf(dir, DOWNLOAD_PATH_MAX, "var/cache/renders/%s",
	    f->p->name);
	(void)snprintf(key, DOWNLOAD_NAME_MAX, "%s%s%s", slug,
	    lang != NULL ? "~" : "", lang != NULL ? lang : "");
	(void)snprintf(name, DOWNLOAD_NAME_MAX, "%s.%s-%s.%s", key, rev, ver,
	    f->p->extension);
}

/* The file of format f for the statement at revision rev: cached or made. */
int
us_download_fetch(struct us_db *db, const char *slug, const char *lang,
    const struct us_format *f, const char *rev, struct us_buf *out,
    struct us_error *err)
{
	struct render_job	j;
	char			dir[DOWNLOAD_PATH_MAX], key[DOWNLOAD_NAME_MAX];
	char			name[DOWNLOAD_NAME_MAX];

	download_paths(f, slug, lang, rev, dir, key, name);
	j.db = db;
	j.slug = slug;
	j.lang = lang;
	j.p = f->p;
	j.coord = 0;
	return (us_cache_fetch(dir, key, name, out, download_make, &j, err));
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
 * Its size: from the cache without reading it, else by making it.  A
 * plugin that refuses the revision is logged once and remembered.
 */
static int
download_size(struct us_db *db, const char *slug, const char *lang,
    const struct us_format *f, const char *rev, size_t *size,
    struct us_error *err)
{
	struct us_buf	file;
	char		dir[DOWNLOAD_PATH_MAX], key[DOWNLOAD_NAME_MAX];
	char		name[DOWNLOAD_NAME_MAX];
	int		ok;

	download_paths(f, slug, lang, rev, dir, key, name);
	if (us_cache_size(dir, name, size))
		return (US_OK);
	if (us_cache_refused(dir, name))
		return (us_error_set(err, US_E_INTERNAL, NULL, "render_failed",
		    "%s refused this revision before", f->p->name));
	us_buf_init(&file);
	if ((ok = us_download_fetch(db, slug, lang, f, rev, &file, err)))
		*size = file.len;
	else if (strcmp(err->code, "render_failed") == 0) {
		us_log(LOG_WARNING, "download list: %s of %s: %s", f->p->name,
		    slug, err->message);
		us_cache_refuse(dir, key, name);
	}
	us_buf_free(&file);
	return (ok);
}

/*
 * The titles of the plugins that come with undersigned, for the
 * catalogue.  Only these are translated: another plugin's title shows
 * as its author wrote it, even if it happens to equal some other text
 * of the UI.
 */
static const char *const	download_titles[] = {
	US_N_("PDF document"),
	US_N_("Press release (plain text)"),
	US_N_("Press release (HTML)"),
	US_N_("Signatories (CSV)"),
	US_N_("Signatories (CSV for Excel)"),
	US_N_("Signatories (JSON)"),
	US_N_("Signatories (Excel workbook)"),
	US_N_("Plain text"),
	US_N_("Markdown"),
	US_N_("Letters to the addressees (PDF)"),
};

static const char *
download_title(const char *lang, const char *title)
{
	size_t	i;

	for (i = 0; i < sizeof(download_titles) / sizeof(download_titles[0]);
	    i++) {
		if (strcmp(download_titles[i], title) == 0)
			return (us_i18n(lang, title));
	}
	return (title);
}

/*
 * The signed record's line in the list of downloads, when the statement
 * has one: the stored file, so its size is known without a render.
 */
static int
download_record_entry(struct us_db *db, const char *slug, const char *lang,
    json_t *list, struct us_error *err)
{
	struct us_buf	 size;
	json_t		*rec;
	const char	*doc;

	if ((rec = us_db_record_latest(db, slug, err)) == NULL) {
		if (err->kind != US_E_NOTFOUND)
			return (US_FAIL);
		us_error_clear(err);
		return (US_OK);
	}
	doc = json_string_value(json_object_get(rec, "document"));
	us_buf_init(&size);
	us_i18n_size(&size, lang, doc != NULL ? strlen(doc) : 0);
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "name",
	    US_RECORD_FORMAT_NAME, "title", us_i18n(lang,
	    download_record_title), "type", "JSON", "size", size.data));
	us_buf_free(&size);
	json_decref(rec);
	return (US_OK);
}

/*
 * Every format of a published statement (its language version version,
 * unless NULL) with its size in lang, for the links on its page: rendered
 * once per revision into the cache the downloads are served from, so the
 * sizes are those of the files people get.  A format that cannot render
 * this statement is left out, not shown broken; a database failure fails
 * the page.
 */
json_t *
us_download_list(struct us_db *db, const char *slug, const char *version,
    const char *lang, struct us_error *err)
{
	const struct us_format	*f;
	const struct us_plugin	*p;
	struct us_buf		 size;
	struct us_error		 e;
	json_t			*list;
	char			 rev[32], ext[16];
	size_t			 i, k, len;

	if (!us_db_render_revision(db, slug, rev, sizeof(rev), err))
		return (NULL);
	list = json_array();
	if (!download_record_entry(db, slug, lang, list, err)) {
		json_decref(list);
		return (NULL);
	}
	us_buf_init(&size);
	for (i = 0; i < us_app.plugins.n; i++) {
		f = &us_app.plugins.v[i];
		p = f->p;
		us_error_clear(&e);
		if (!download_size(db, slug, version, f, rev, &len, &e)) {
			if (e.kind == US_E_UNAVAILABLE) {
				*err = e;
				json_decref(list);
				list = NULL;
				break;
			}
			/* A refusal is logged where it is remembered. */
			if (strcmp(e.code, "render_failed") != 0)
				us_log(LOG_WARNING, "download list: %s of %s: "
				    "%s", p->name, slug, e.message);
			continue;
		}
		us_buf_reset(&size);
		us_i18n_size(&size, lang, len);
		for (k = 0; p->extension[k] != '\0' && k < sizeof(ext) - 1;
		    k++)
			ext[k] = (char)toupper((unsigned char)p->extension[k]);
		ext[k] = '\0';
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "name", p->name, "title", download_title(lang, p->title),
		    "type", ext, "size", size.data));
	}
	us_buf_free(&size);
	return (list);
}

/*
 * A render is cached per statement revision: its ETag says which, so a
 * client that has it gets 304 without a render or a read.
 */
int
us_download_work(struct us_db *db, struct us_req *r)
{
	struct download	*d = r->in;
	char		 rev[32], ver[48];

	if (d->record)
		return (download_record(db, r));
	if (!us_db_render_revision(db, d->slug, rev, sizeof(rev), &r->err))
		return (US_FAIL);
	download_version(d->f, ver, sizeof(ver));
	(void)snprintf(d->etag, sizeof(d->etag), "\"%s-%s-%s%s%s\"", rev,
	    d->p->name, ver, d->lang[0] != '\0' ? "-" : "", d->lang);
	if (strcmp(d->inm, d->etag) == 0) {
		d->not_modified = 1;
		return (US_OK);
	}
	return (us_download_fetch(db, d->slug, d->lang[0] != '\0' ? d->lang :
	    NULL, d->f, rev, &d->file, &r->err));
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

/*
 * GET /w/s/{slug}/preview/{format}: a download as it will be, for the
 * statement's coordinators in any state (a draft has no downloads).
 * Rendered each time, never cached: a draft changes with every save.
 */
int
us_ws_render_preview_work(struct us_db *db, struct us_req *r)
{
	struct download		*d = r->in;
	struct us_db_access	 a;
	struct render_job	 j;

	if (!us_db_access(db, r->params[0], r->coord, &a, &r->err))
		return (US_FAIL);
	if (d->record)
		return (us_error_set(&r->err, US_E_NOTFOUND, NULL,
		    "unknown_format", "The signed record exists only once the "
		    "statement is published; there is nothing to preview."));
	j.db = db;
	j.slug = d->slug;
	j.lang = d->lang[0] != '\0' ? d->lang : NULL;
	j.p = d->p;
	j.coord = r->coord;
	return (download_make(&j, &d->file, &r->err));
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
