#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/country.h"
#include "core/export.h"
#include "http/http.h"

/*
 * The coordinators' export of a statement's signatures with contact data
 * and status, as CSV, XLSX or JSON: safe against spreadsheet formulas,
 * for the statement's coordinators only.  (The public lists are output
 * plugins, which never see contact data.)
 */

static const struct us_export_col cols[] = {
	{ "position", "Position" },
	{ "organisation", "Organisation" },
	{ "display_name", "Display name" },
	{ "acronym", "Acronym" },
	{ "country", "Country" },
	{ "country_name", "Country name" },
	{ "country2", "Second country" },
	{ "website", "Website" },
	{ "contact_name", "Contact name" },
	{ "contact_role", "Contact role" },
	{ "email", "Email" },
	{ "comment", "Comment" },
	{ "visibility", "Visibility" },
	{ "status", "Status" },
	{ "approved", "Approved" },
	{ "rejection_reason", "Rejection reason" },
	{ "source", "Source" },
	{ "initiator", "Initiator" },
	{ "lang", "Language" },
	{ "text_digest", "Text digest" },
	{ "created_at", "Signed at" },
	{ "confirmed_at", "Confirmed at" },
	{ "withdrawn_at", "Withdrawn at" },
	{ "id", "Id" },
};

#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

/* The columns of cols as the COPY rows of src/db/export.c carry them. */
static const enum us_export_kind kinds[] = {
	US_EXPORT_NUMBER, US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_TEXT,
	US_EXPORT_TEXT, US_EXPORT_COUNTRY_NAME, US_EXPORT_TEXT, US_EXPORT_TEXT,
	US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_TEXT,
	US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_BOOL, US_EXPORT_TEXT,
	US_EXPORT_TEXT, US_EXPORT_BOOL, US_EXPORT_TEXT, US_EXPORT_TEXT,
	US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_TEXT, US_EXPORT_NUMBER,
};

/*
 * The CSV is written by the task thread to an unlinked file through a
 * buffer of EXPORT_CHUNK bytes, then sent by Kore with sendfile(2): a
 * list of any length costs the worker the buffer, not the list, and a
 * database error half-way still gets a clean error response because
 * nothing has been sent yet.
 */
#define EXPORT_CHUNK	(256 * 1024)
#define EXPORT_DIR	"var/cache"

struct export_spool {
	int		 fd;
	off_t		 size;
	struct us_buf	 out;
	struct us_buf	 field;
};

static void	export_spool_free(void *);
static int	export_spool_open(struct export_spool *, struct us_error *);
static int	export_spool_flush(struct export_spool *, struct us_error *);
static int	export_spool_row(void *, const char *, size_t,
		    struct us_error *);
static int	export_csv_stream(struct us_db *, struct us_req *);

static void
export_spool_free(void *arg)
{
	struct export_spool	*sp = arg;

	if (sp->fd != -1)
		(void)close(sp->fd);
	us_buf_free(&sp->out);
	us_buf_free(&sp->field);
	free(sp);
}

static int
export_spool_open(struct export_spool *sp, struct us_error *err)
{
	char	path[] = EXPORT_DIR "/export-XXXXXX";

	if (mkdir("var", 0755) == -1 && errno != EEXIST)
		goto fail;
	if (mkdir(EXPORT_DIR, 0755) == -1 && errno != EEXIST)
		goto fail;
	if ((sp->fd = mkstemp(path)) == -1)
		goto fail;
	(void)unlink(path);
	return (US_OK);
fail:
	return (us_error_set(err, US_E_UNAVAILABLE, NULL, "export_spool",
	    "The export could not be written (%s); please try again in a "
	    "moment.", strerror(errno)));
}

static int
export_spool_flush(struct export_spool *sp, struct us_error *err)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < sp->out.len) {
		n = write(sp->fd, sp->out.data + off, sp->out.len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (us_error_set(err, US_E_UNAVAILABLE, NULL,
			    "export_spool", "The export could not be written "
			    "(%s); please try again in a moment.",
			    strerror(errno)));
		off += (size_t)n;
	}
	sp->size += (off_t)sp->out.len;
	us_buf_reset(&sp->out);
	return (US_OK);
}

static int
export_spool_row(void *arg, const char *line, size_t len,
    struct us_error *err)
{
	struct export_spool	*sp = arg;

	if (!us_export_csv_copy_row(kinds, NCOLS, line, len, &sp->field,
	    &sp->out))
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_row",
		    "an export row did not have %zu columns", NCOLS));
	if (sp->out.len >= EXPORT_CHUNK)
		return (export_spool_flush(sp, err));
	return (US_OK);
}

/* export.csv, streamed from COPY into the spool file. */
static int
export_csv_stream(struct us_db *db, struct us_req *r)
{
	struct export_spool	*sp;

	sp = us_calloc(1, sizeof(*sp));
	sp->fd = -1;
	us_buf_init(&sp->out);
	us_buf_init(&sp->field);
	r->in = sp;
	r->in_free = export_spool_free;
	if (!export_spool_open(sp, &r->err))
		return (US_FAIL);
	us_export_csv_header(cols, NCOLS, &sp->out);
	if (!us_db_ws_export_stream(db, r->params[0], r->coord,
	    export_spool_row, sp, &r->err) || !export_spool_flush(sp, &r->err))
		return (US_FAIL);
	(void)snprintf(r->file_name, sizeof(r->file_name),
	    "%s-signatures.csv", r->params[0]);
	return (US_OK);
}

/*
 * The answer of an export: the spooled CSV by sendfile, the other
 * formats as any download.
 */
void
us_export_finish(struct http_request *req, struct us_req *r)
{
	struct export_spool	*sp = r->in;
	struct kore_fileref	*ref;
	struct timespec		 now;
	char			 disp[400], key[64];

	if (r->err.kind != US_E_NONE || sp == NULL ||
	    r->in_free != export_spool_free) {
		us_http_finish(req, r);
		return;
	}
	/* Kore keys its file cache by path: one no file has. */
	(void)clock_gettime(CLOCK_REALTIME, &now);
	(void)snprintf(key, sizeof(key), "undersigned-export:%p:%lld:%ld",
	    (void *)sp, (long long)now.tv_sec, now.tv_nsec);
	if ((ref = kore_fileref_create(req->owner->owner->server, key, sp->fd,
	    sp->size, &now)) == NULL) {
		us_http_fail(req, r, US_E_INTERNAL, NULL, "export_spool",
		    "The export is too large to send.");
		return;
	}
	/*
	 * Kore owns the descriptor now: it closes it when its file cache
	 * lets the entry expire, about 30 s after the answer was sent, and
	 * the unlinked file's space is freed then.
	 */
	sp->fd = -1;
	us_http_headers(req);
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    r->file_name);
	http_response_header(req, "content-type", "text/csv; charset=utf-8");
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "no-store");
	http_response_fileref(req, HTTP_STATUS_OK, ref);
}

/* Work of GET /w/s/{slug}/export.{fmt} and /api/.../export.{fmt}. */
int
us_export_work(struct us_db *db, struct us_req *r)
{
	const char	*fmt = r->params[1], *c;
	json_t		*rows, *row;
	size_t		 i;
	int		 ok;

	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0 &&
	    strcmp(fmt, "json") != 0)
		return (us_error_set(&r->err, US_E_NOTFOUND, NULL,
		    "unknown_format", "Exports are export.csv, export.xlsx "
		    "and export.json."));
	if (strcmp(fmt, "csv") == 0)
		return (export_csv_stream(db, r));
	if ((rows = us_db_ws_export(db, r->params[0], r->coord, &r->err)) ==
	    NULL)
		return (US_FAIL);
	json_array_foreach(rows, i, row) {
		if ((c = json_string_value(json_object_get(row, "country"))) !=
		    NULL)
			json_object_set_new(row, "country_name",
			    json_string(us_country_name(c)));
	}
	if (strcmp(fmt, "xlsx") == 0) {
		ok = us_export_xlsx(cols, NCOLS, rows, "Signatures", &r->file,
		    &r->err);
		r->file_type = "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet";
	} else {
		ok = us_export_json(cols, NCOLS, rows, &r->file, &r->err);
		r->file_type = "application/json";
	}
	json_decref(rows);
	(void)snprintf(r->file_name, sizeof(r->file_name),
	    "%s-signatures.%s", r->params[0], fmt);
	if (!ok)
		r->file_type = NULL;
	return (ok);
}
