#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "http/http.h"
#include "plugin/plugin.h"

#define DOWNLOAD_PATH_MAX	4200
#define DOWNLOAD_NAME_MAX	300

/* The state of one download, from prepare to finish. */
struct download {
	const struct us_plugin	*p;
	char			 inm[128];
	char			 etag[128];
	int			 not_modified;
	struct us_buf		 file;
	const char		*slug;
	char			 lang[US_I18N_CHOICE_MAX + 1]; /* or "" */
};

static void	download_free(void *);
static int	download_make(void *, struct us_buf *, struct us_error *);
static void	download_version(const struct us_plugin *, char *, size_t);
static void	download_paths(const struct us_plugin *, const char *,
		    const char *, const char *, char [DOWNLOAD_PATH_MAX],
		    char [DOWNLOAD_NAME_MAX], char [DOWNLOAD_NAME_MAX]);
static int	download_size(struct us_db *, const char *, const char *,
		    const struct us_plugin *, const char *, size_t *,
		    struct us_error *);
static const char *download_title(const char *, const char *);

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

/* GET /s/{slug}/download/{format}[?lang=xx] */
int
us_download_prepare(struct http_request *req, struct us_req *r)
{
	struct download	*d;
	const char	*inm, *lang;

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
	if ((lang = us_fields_get(&r->fields, "lang")) != NULL) {
		if (!us_i18n_tag(lang, strlen(lang))) {
			us_http_fail(req, r, US_E_NOTFOUND, NULL, "not_found",
			    "lang must be the language of one of the "
			    "statement's versions, such as \"ru\".");
			return (US_HTTP_DONE);
		}
		(void)snprintf(d->lang, sizeof(d->lang), "%s", lang);
	}
	if (http_request_header(req, "if-none-match", &inm))
		(void)snprintf(d->inm, sizeof(d->inm), "%s", inm);
	return (US_HTTP_WORK);
}

/* One format of one statement, rendered in the task thread. */
struct render_job {
	struct us_db		*db;
	const char		*slug;
	const char		*lang;		/* a version, or NULL */
	const struct us_plugin	*p;
};

/* Runs in the task thread, under the cache lock. */
static int
download_make(void *arg, struct us_buf *out, struct us_error *err)
{
	struct render_job	*j = arg;
	struct us_model		 m;
	json_t			*doc;
	int			 ok;

	if ((doc = us_db_render_model(j->db, j->slug, j->lang,
	    us_app.cfg.public_url, err)) == NULL)
		return (US_FAIL);
	ok = us_model_build(&m, doc, err) &&
	    us_plugin_render(j->p, &m.st, out, err);
	if (m.doc != NULL)
		us_model_free(&m);
	json_decref(doc);
	return (ok);
}

/* A plugin's version as it may appear in a file name and an ETag. */
static void
download_version(const struct us_plugin *p, char *ver, size_t len)
{
	size_t	i;

	(void)snprintf(ver, len, "%s", p->version);
	for (i = 0; ver[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.", ver[i]) == NULL)
			ver[i] = '_';
	}
}

/*
 * Where the file of format p for the statement (its language version
 * lang, unless NULL) at revision rev is cached.  Each version has its own
 * key, so that making one does not prune the others.  A new version of
 * the plugin is a new file too.  The directory is
 * relative: a worker's working directory is Kore's root, the project
 * directory or, with privilege separation, the chroot, where the
 * project's absolute path does not exist.
 */
static void
download_paths(const struct us_plugin *p, const char *slug, const char *lang,
    const char *rev, char dir[DOWNLOAD_PATH_MAX], char key[DOWNLOAD_NAME_MAX],
    char name[DOWNLOAD_NAME_MAX])
{
	char	ver[24];

	download_version(p, ver, sizeof(ver));
	(void)snprintf(dir, DOWNLOAD_PATH_MAX, "var/cache/renders/%s",
	    p->name);
	(void)snprintf(key, DOWNLOAD_NAME_MAX, "%s%s%s", slug,
	    lang != NULL ? "~" : "", lang != NULL ? lang : "");
	(void)snprintf(name, DOWNLOAD_NAME_MAX, "%s.%s-%s.%s", key, rev, ver,
	    p->extension);
}

/* The file of format p for the statement at revision rev: cached or made. */
int
us_download_fetch(struct us_db *db, const char *slug, const char *lang,
    const struct us_plugin *p, const char *rev, struct us_buf *out,
    struct us_error *err)
{
	struct render_job	j;
	char			dir[DOWNLOAD_PATH_MAX], key[DOWNLOAD_NAME_MAX];
	char			name[DOWNLOAD_NAME_MAX];

	download_paths(p, slug, lang, rev, dir, key, name);
	j.db = db;
	j.slug = slug;
	j.lang = lang;
	j.p = p;
	return (us_cache_fetch(dir, key, name, out, download_make, &j, err));
}

/*
 * Its size: from the cache without reading it, else by making it.  A
 * plugin that refuses the revision is logged once and remembered.
 */
static int
download_size(struct us_db *db, const char *slug, const char *lang,
    const struct us_plugin *p, const char *rev, size_t *size,
    struct us_error *err)
{
	struct us_buf	file;
	char		dir[DOWNLOAD_PATH_MAX], key[DOWNLOAD_NAME_MAX];
	char		name[DOWNLOAD_NAME_MAX];
	int		ok;

	download_paths(p, slug, lang, rev, dir, key, name);
	if (us_cache_size(dir, name, size))
		return (US_OK);
	if (us_cache_refused(dir, name))
		return (us_error_set(err, US_E_INTERNAL, NULL, "render_failed",
		    "%s refused this revision before", p->name));
	us_buf_init(&file);
	if ((ok = us_download_fetch(db, slug, lang, p, rev, &file, err)))
		*size = file.len;
	else if (strcmp(err->code, "render_failed") == 0) {
		us_log(LOG_WARNING, "download list: %s of %s: %s", p->name,
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
	const struct us_plugin	*p;
	struct us_buf		 size;
	struct us_error		 e;
	json_t			*list;
	char			 rev[32], ext[16];
	size_t			 i, k, len;

	if (!us_db_render_revision(db, slug, rev, sizeof(rev), err))
		return (NULL);
	list = json_array();
	us_buf_init(&size);
	for (i = 0; i < us_app.plugins.n; i++) {
		p = us_app.plugins.v[i].p;
		us_error_clear(&e);
		if (!download_size(db, slug, version, p, rev, &len, &e)) {
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
	char		 rev[32], ver[24];

	if (!us_db_render_revision(db, d->slug, rev, sizeof(rev), &r->err))
		return (US_FAIL);
	download_version(d->p, ver, sizeof(ver));
	(void)snprintf(d->etag, sizeof(d->etag), "\"%s-%s-%s%s%s\"", rev,
	    d->p->name, ver, d->lang[0] != '\0' ? "-" : "", d->lang);
	if (strcmp(d->inm, d->etag) == 0) {
		d->not_modified = 1;
		return (US_OK);
	}
	return (us_download_fetch(db, d->slug, d->lang[0] != '\0' ? d->lang :
	    NULL, d->p, rev, &d->file, &r->err));
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
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s%s%s.%s\"",
	    d->slug, d->lang[0] != '\0' ? "-" : "", d->lang, d->p->extension);
	http_response_header(req, "content-type", d->p->mime_type);
	http_response_header(req, "content-disposition", disp);
	http_response(req, HTTP_STATUS_OK, d->file.data, d->file.len);
}
