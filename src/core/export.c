#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "common/table.h"
#include "country.h"
#include "export.h"
#include "text.h"

#define EXPORT_SHEET		"Signatures"
#define EXPORT_CELL_MAX		32767	/* characters an Excel cell holds */
#define EXPORT_WIDTH_MIN	8
#define EXPORT_WIDTH_MAX	60
#define EXPORT_EXACT_INT	9007199254740992LL	/* 2^53 */

enum export_kind {
	EXPORT_EMPTY = 0,
	EXPORT_TEXT,
	EXPORT_NUMBER
};

/* One cell as every format writes it. */
struct export_cell {
	enum export_kind	 kind;
	const char		*s;		/* text, or number as text */
	size_t			 len;
	double			 d;		/* EXPORT_NUMBER */
	int			 neutral;	/* may need an apostrophe */
	char			 num[32];
};

static int	export_cell(const json_t *, size_t,
		    const struct us_export_col *, struct export_cell *,
		    struct us_error *);
static int	export_row(const json_t *, size_t, struct us_error *);
static void	export_csv_field(struct us_buf *, const char *, size_t, int);
static void	export_put(void *, const void *, size_t);
static json_t	*export_json_value(const struct export_cell *,
		    const json_t *);
static void	export_sheet_name(const char *, char *, size_t);
static size_t	export_width(const char *, size_t);
static int	export_escape_at(const char *);
static int	export_xlsx_text(lxw_worksheet *, lxw_row_t, lxw_col_t,
		    const char *, int, lxw_format *, struct us_error *);
static int	export_xlsx_build(const struct us_export_col *, size_t,
		    const json_t *, const char *, const char *, const char *,
		    struct us_error *);
static int	export_read(int, struct us_buf *, struct us_error *);
static void	export_copy_unescape(struct us_buf *, const char *,
		    const char *);

/*
 * workbook_close() calls gmtime(), whose result lives in static storage;
 * two workbooks closed at once in two threads could swap their dates.
 */
static pthread_mutex_t	export_close_lock = PTHREAD_MUTEX_INITIALIZER;

/* The formula guard of plugins/common/table.c, for the workbook too. */
int
us_export_neutralise(const char *s)
{
	return (s != NULL && us_table_formula(s, strlen(s)));
}

static void
export_put(void *ctx, const void *data, size_t len)
{
	us_buf_append(ctx, data, len);
}

static int
export_row(const json_t *row, size_t i, struct us_error *err)
{
	if (!json_is_object(row))
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_row",
		    "export row %zu is not an object", i));
	return (US_OK);
}

/*
 * Reads one cell.  An integer a double cannot hold exactly (an id past
 * 2^53, say) becomes text, so that the workbook does not show a nearby
 * number instead; booleans are the words "true" and "false".
 */
static int
export_cell(const json_t *row, size_t i, const struct us_export_col *col,
    struct export_cell *c, struct us_error *err)
{
	const json_t	*v;
	json_int_t	 n;

	memset(c, 0, sizeof(*c));
	v = json_object_get(row, col->key);
	switch (v == NULL ? JSON_NULL : json_typeof(v)) {
	case JSON_NULL:
		c->kind = EXPORT_EMPTY;
		c->s = "";
		break;
	case JSON_STRING:
		c->kind = EXPORT_TEXT;
		c->s = json_string_value(v);
		c->len = json_string_length(v);
		c->neutral = 1;
		break;
	case JSON_INTEGER:
		n = json_integer_value(v);
		(void)snprintf(c->num, sizeof(c->num), "%" JSON_INTEGER_FORMAT,
		    n);
		c->kind = n >= -EXPORT_EXACT_INT && n <= EXPORT_EXACT_INT ?
		    EXPORT_NUMBER : EXPORT_TEXT;
		c->d = (double)n;
		break;
	case JSON_REAL:
		c->d = json_real_value(v);
		(void)snprintf(c->num, sizeof(c->num), "%.15g", c->d);
		c->kind = EXPORT_NUMBER;
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		(void)snprintf(c->num, sizeof(c->num), "%s",
		    json_is_true(v) ? "true" : "false");
		c->kind = EXPORT_TEXT;
		break;
	default:
		return (us_error_set(err, US_E_INTERNAL, col->key,
		    "export_value", "export row %zu: \"%s\" is not a string, "
		    "number, boolean or null", i, col->key));
	}
	if (c->s == NULL) {
		c->s = c->num;
		c->len = strlen(c->num);
	}
	return (US_OK);
}

/* CSV quoting and the formula guard: plugins/common/table.c. */
static void
export_csv_field(struct us_buf *b, const char *s, size_t len, int neutral)
{
	us_table_csv_field(export_put, b, s, len, neutral);
}

/* The header line of the CSV: the columns' titles. */
void
us_export_csv_header(const struct us_export_col *cols, size_t ncols,
    struct us_buf *b)
{
	size_t	col;

	for (col = 0; col < ncols; col++) {
		if (col > 0)
			us_buf_putc(b, ',');
		export_csv_field(b, cols[col].title, strlen(cols[col].title), 1);
	}
	us_buf_append(b, "\r\n", 2);
}

/* A COPY text field with backslash escapes, decoded into field. */
static void
export_copy_unescape(struct us_buf *field, const char *p, const char *end)
{
	static const char	from[] = "bfnrtv", to[] = "\b\f\n\r\t\v";
	const char		*k;

	us_buf_reset(field);
	for (; p < end; p++) {
		if (*p != '\\' || p + 1 >= end) {
			us_buf_putc(field, *p);
			continue;
		}
		p++;
		k = strchr(from, *p);
		us_buf_putc(field, k != NULL && *k != '\0' ? to[k - from] : *p);
	}
}

/*
 * One row of COPY ... TO STDOUT (text format: fields split by tabs, \N
 * for NULL, backslash escapes, a line feed at the end) as the CSV row
 * us_export_csv writes for the same values, appended to out; field is
 * scratch space.  So a long export streams from the database to the
 * file a row at a time, without building every row as JSON first.
 * Fails on a line with another number of fields than columns.
 */
int
us_export_csv_copy_row(const enum us_export_kind *kinds, size_t ncols,
    const char *line, size_t len, struct us_buf *field, struct us_buf *out)
{
	const char	*p = line, *end = line + len, *fend, *v, *name;
	char		 code[3];
	size_t		 col, vlen;

	if (end > p && end[-1] == '\n')
		end--;
	for (col = 0; col < ncols; col++) {
		if (col > 0) {
			if (p >= end || *p != '\t')
				return (US_FAIL);
			p++;
			us_buf_putc(out, ',');
		}
		if ((fend = memchr(p, '\t', (size_t)(end - p))) == NULL)
			fend = end;
		if (fend - p == 2 && p[0] == '\\' && p[1] == 'N') {
			p = fend;
			continue;
		}
		/* Most fields have no escape: used in place, not copied. */
		if (memchr(p, '\\', (size_t)(fend - p)) == NULL) {
			v = p;
			vlen = (size_t)(fend - p);
		} else {
			export_copy_unescape(field, p, fend);
			v = field->data;
			vlen = field->len;
		}
		p = fend;
		switch (kinds[col]) {
		case US_EXPORT_NUMBER:
			export_csv_field(out, v, vlen, 0);
			break;
		case US_EXPORT_BOOL:
			name = vlen == 1 && v[0] == 't' ? "true" : "false";
			export_csv_field(out, name, strlen(name), 0);
			break;
		case US_EXPORT_COUNTRY_NAME:
			if (vlen != 2)
				break;
			memcpy(code, v, 2);
			code[2] = '\0';
			if ((name = us_country_name(code)) != NULL)
				export_csv_field(out, name, strlen(name), 1);
			break;
		default:
			export_csv_field(out, v, vlen, 1);
			break;
		}
	}
	if (p != end)
		return (US_FAIL);
	us_buf_append(out, "\r\n", 2);
	return (US_OK);
}

/*
 * Built aside and appended whole, so that a bad row leaves the caller's
 * buffer as it was.
 */
int
us_export_csv(const struct us_export_col *cols, size_t ncols,
    const json_t *rows, int bom, struct us_buf *out, struct us_error *err)
{
	struct us_buf		 b;
	struct export_cell	 c;
	const json_t		*row;
	size_t			 i, col;
	int			 rc = US_FAIL;

	if (!json_is_array(rows))
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_rows",
		    "export rows are not an array"));
	us_buf_init(&b);
	if (bom)
		us_buf_append(&b, "\xef\xbb\xbf", 3);
	us_export_csv_header(cols, ncols, &b);

	json_array_foreach(rows, i, row) {
		if (export_row(row, i, err) != US_OK)
			goto done;
		for (col = 0; col < ncols; col++) {
			if (export_cell(row, i, &cols[col], &c, err) != US_OK)
				goto done;
			if (col > 0)
				us_buf_putc(&b, ',');
			export_csv_field(&b, c.s, c.len, c.neutral);
		}
		us_buf_append(&b, "\r\n", 2);
	}
	us_buf_append(out, b.data, b.len);
	rc = US_OK;

done:
	us_buf_free(&b);
	return (rc);
}

/*
 * A fresh scalar rather than a reference to the caller's: the rows may
 * be shared with other threads, and a copy leaves their reference counts
 * alone.
 */
static json_t *
export_json_value(const struct export_cell *c, const json_t *v)
{
	switch (v == NULL ? JSON_NULL : json_typeof(v)) {
	case JSON_STRING:
		return (json_stringn(c->s, c->len));
	case JSON_INTEGER:
		return (json_integer(json_integer_value(v)));
	case JSON_REAL:
		return (json_real(json_real_value(v)));
	case JSON_TRUE:
		return (json_true());
	case JSON_FALSE:
		return (json_false());
	default:
		return (json_null());
	}
}

int
us_export_json(const struct us_export_col *cols, size_t ncols,
    const json_t *rows, struct us_buf *out, struct us_error *err)
{
	struct export_cell	 c;
	const json_t		*row;
	json_t			*arr, *obj, *v;
	char			*s = NULL;
	size_t			 i, col;
	int			 rc = US_FAIL;

	if (!json_is_array(rows))
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_rows",
		    "export rows are not an array"));
	if ((arr = json_array()) == NULL)
		abort();
	json_array_foreach(rows, i, row) {
		if (export_row(row, i, err) != US_OK)
			goto done;
		if ((obj = json_object()) == NULL ||
		    json_array_append_new(arr, obj) == -1)
			abort();
		for (col = 0; col < ncols; col++) {
			if (export_cell(row, i, &cols[col], &c, err) != US_OK)
				goto done;
			v = export_json_value(&c,
			    json_object_get(row, cols[col].key));
			if (v == NULL ||
			    json_object_set_new(obj, cols[col].key, v) == -1)
				abort();
		}
	}
	if ((s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		abort();
	us_buf_puts(out, s);
	rc = US_OK;

done:
	free(s);
	json_decref(arr);
	return (rc);
}

/*
 * Excel's rules for a sheet name: at most 31 characters, none of
 * []:*?/\, no apostrophe at either end, not "History".  The title is
 * made to fit rather than refused: it is only a label.
 */
static void
export_sheet_name(const char *title, char *out, size_t size)
{
	size_t	n, start, end;

	if (title == NULL)
		title = "";
	n = us_utf8_prefix(title, LXW_SHEETNAME_MAX);
	if (n >= size)
		n = size - 1;
	memcpy(out, title, n);
	out[n] = '\0';
	for (end = 0; end < n; end++) {
		if ((unsigned char)out[end] < 0x20 ||
		    strchr("[]:*?/\\", out[end]) != NULL)
			out[end] = ' ';
	}
	for (start = 0; out[start] == ' ' || out[start] == '\''; start++)
		;
	for (end = n; end > start && (out[end - 1] == ' ' ||
	    out[end - 1] == '\''); end--)
		;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	if (out[0] == '\0' || strcasecmp(out, "History") == 0)
		(void)snprintf(out, size, "%s", EXPORT_SHEET);
}

/* Characters shown, counted only as far as the widest column allowed. */
static size_t
export_width(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len && n < EXPORT_WIDTH_MAX; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Whether p starts an OOXML character escape: "_x" 4 hex digits "_". */
static int
export_escape_at(const char *p)
{
	return (p[0] == '_' && p[1] == 'x' &&
	    isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]) &&
	    isxdigit((unsigned char)p[4]) && isxdigit((unsigned char)p[5]) &&
	    p[6] == '_');
}

/*
 * A text cell, always a string and never a formula.  OOXML writes
 * characters that XML cannot hold as "_xHHHH_" and Excel decodes every
 * such sequence, so one that is part of the text would change it: its
 * underscore is written as "_x005F_" (libxlsxwriter 1.1.4 escapes
 * control characters that way but leaves literal sequences alone).
 * Text past what a cell holds is cut, at a character boundary, rather
 * than failing the whole export.
 */
static int
export_xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
    const char *s, int neutral, lxw_format *fmt, struct us_error *err)
{
	struct us_buf	 v;
	lxw_error	 lerr;
	const char	*p;
	size_t		 n;

	us_buf_init(&v);
	if (neutral && us_export_neutralise(s))
		us_buf_putc(&v, '\'');
	for (p = s; *p != '\0'; p++) {
		if (export_escape_at(p))
			us_buf_append(&v, "_x005F", 6);
		us_buf_putc(&v, *p);
	}
	us_buf_putc(&v, '\0');
	n = us_utf8_prefix(v.data, EXPORT_CELL_MAX);
	v.data[n] = '\0';
	lerr = worksheet_write_string(ws, row, col, v.data, fmt);
	us_buf_free(&v);
	if (lerr != LXW_NO_ERROR)
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot write cell %u:%u: %s", (unsigned int)row,
		    (unsigned int)col, lxw_strerror(lerr)));
	return (US_OK);
}

static int
export_xlsx_build(const struct us_export_col *cols, size_t ncols,
    const json_t *rows, const char *title, const char *path,
    const char *tmpdir, struct us_error *err)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*bold;
	lxw_error		 lerr;
	struct export_cell	 c;
	const json_t		*row;
	size_t			*width = NULL, i, col, w;
	char			 name[LXW_MAX_SHEETNAME_LENGTH];
	int			 rc = US_FAIL;

	if (ncols > LXW_COL_MAX)
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "%zu columns do not fit in a worksheet", ncols));
	if (json_array_size(rows) >= LXW_ROW_MAX)
		return (us_error_set(err, US_E_TOOLARGE, NULL, "export_xlsx",
		    "%zu rows do not fit in a worksheet; export as CSV",
		    json_array_size(rows)));
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = (char *)tmpdir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot create a workbook"));
	export_sheet_name(title, name, sizeof(name));
	if ((ws = workbook_add_worksheet(wb, name)) == NULL ||
	    (bold = workbook_add_format(wb)) == NULL) {
		us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot set up the workbook");
		goto close;
	}
	format_set_bold(bold);

	width = us_calloc(ncols, sizeof(*width));
	for (col = 0; col < ncols; col++) {
		if (export_xlsx_text(ws, 0, col, cols[col].title, 1, bold,
		    err) != US_OK)
			goto close;
		width[col] = export_width(cols[col].title,
		    strlen(cols[col].title));
	}
	worksheet_freeze_panes(ws, 1, 0);

	json_array_foreach(rows, i, row) {
		if (export_row(row, i, err) != US_OK)
			goto close;
		for (col = 0; col < ncols; col++) {
			if (export_cell(row, i, &cols[col], &c, err) != US_OK)
				goto close;
			if (c.kind == EXPORT_NUMBER) {
				lerr = worksheet_write_number(ws, i + 1, col,
				    c.d, NULL);
				if (lerr != LXW_NO_ERROR) {
					us_error_set(err, US_E_INTERNAL, NULL,
					    "export_xlsx", "cannot write cell "
					    "%zu:%zu: %s", i + 1, col,
					    lxw_strerror(lerr));
					goto close;
				}
			} else if (c.kind == EXPORT_TEXT && c.len > 0) {
				if (export_xlsx_text(ws, i + 1, col, c.s,
				    c.neutral, NULL, err) != US_OK)
					goto close;
			}
			if ((w = export_width(c.s, c.len)) > width[col])
				width[col] = w;
		}
	}

	for (col = 0; col < ncols; col++) {
		w = width[col] + 2;
		if (w < EXPORT_WIDTH_MIN)
			w = EXPORT_WIDTH_MIN;
		if (w > EXPORT_WIDTH_MAX)
			w = EXPORT_WIDTH_MAX;
		worksheet_set_column(ws, col, col, (double)w, NULL);
	}
	if (ncols > 0)
		worksheet_autofilter(ws, 0, 0, json_array_size(rows),
		    ncols - 1);
	rc = US_OK;

close:
	/* workbook_close() also frees the workbook, so it runs on failure. */
	pthread_mutex_lock(&export_close_lock);
	lerr = workbook_close(wb);
	pthread_mutex_unlock(&export_close_lock);
	if (rc == US_OK && lerr != LXW_NO_ERROR)
		rc = us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot write the workbook: %s", lxw_strerror(lerr));
	free(width);
	return (rc);
}

static int
export_read(int fd, struct us_buf *b, struct us_error *err)
{
	char	 chunk[16384];
	ssize_t	 n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot read the workbook back: %s", strerror(errno)));
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (us_error_set(err, US_E_INTERNAL, NULL,
			    "export_xlsx", "cannot read the workbook back: %s",
			    strerror(errno)));
		if (n == 0)
			return (US_OK);
		us_buf_append(b, chunk, (size_t)n);
	}
}

/*
 * libxlsxwriter 1.1.4 writes only to a file name (an in-memory output
 * came with 1.1.5), so the workbook goes to a private temporary file.
 * mkstemps() creates it with mode 0600 under a name no one can predict;
 * libxlsxwriter then opens that name again with fopen("wb"), which
 * truncates the same file, so the descriptor kept here reads what it
 * wrote.  The name is removed before returning, whatever happened.
 */
int
us_export_xlsx(const struct us_export_col *cols, size_t ncols,
    const json_t *rows, const char *sheet_title, struct us_buf *out,
    struct us_error *err)
{
	struct us_buf	 path, b;
	const char	*dir;
	int		 fd = -1, rc = US_FAIL;

	if (!json_is_array(rows))
		return (us_error_set(err, US_E_INTERNAL, NULL, "export_rows",
		    "export rows are not an array"));
	us_buf_init(&path);
	us_buf_init(&b);
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	us_buf_appendf(&path, "%s/undersigned-export-XXXXXX.xlsx", dir);
	if ((fd = mkstemps(path.data, 5)) == -1) {
		us_error_set(err, US_E_INTERNAL, NULL, "export_xlsx",
		    "cannot create a temporary file in %s: %s", dir,
		    strerror(errno));
		goto done;
	}
	if (export_xlsx_build(cols, ncols, rows, sheet_title, path.data, dir,
	    err) != US_OK || export_read(fd, &b, err) != US_OK)
		goto done;
	us_buf_append(out, b.data, b.len);
	rc = US_OK;

done:
	if (fd != -1) {
		(void)unlink(path.data);
		(void)close(fd);
	}
	us_buf_free(&b);
	us_buf_free(&path);
	return (rc);
}
