/*
 * The list as an Excel workbook: a sheet "Signatories" with a bold
 * header row and, under the table, how many organisations signed without
 * being named; a sheet "About" that says what the list is (statement,
 * address, status, counts, signed record).
 *
 * libxlsxwriter 1.1.4 can only write to a file name (an in-memory output
 * came with 1.1.5), so the workbook goes to a private temporary file that
 * is streamed to the sink and removed.  Every text cell is written as a
 * string, never as a formula, and neutralised as in the CSV so that a
 * copy-paste into another sheet stays harmless too.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "lists.h"

static int	xlsx_escape_at(const char *);
static int	xlsx_build(const struct us_p_statement *, const char *,
		    struct us_out *);
static int	xlsx_text(lxw_worksheet *, lxw_row_t, lxw_col_t,
		    const char *, lxw_format *, struct us_out *);
static time_t	xlsx_created(const char *);
static void	xlsx_fill_n(char *, size_t, size_t);
static void	xlsx_stream(int, struct us_out *);

/*
 * workbook_close() calls gmtime(), whose result lives in static storage;
 * two workbooks closed at once in two threads could swap their dates.
 */
static pthread_mutex_t	xlsx_close_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether p starts an OOXML character escape: "_x" 4 hex digits "_". */
static int
xlsx_escape_at(const char *p)
{
	return (p[0] == '_' && p[1] == 'x' &&
	    isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]) &&
	    isxdigit((unsigned char)p[4]) && isxdigit((unsigned char)p[5]) &&
	    p[6] == '_');
}

/*
 * A text cell, neutralised as in the CSV.  OOXML writes characters that
 * XML cannot hold as "_xHHHH_" and Excel decodes every such sequence, so
 * one that is part of a name would change it: its underscore is written
 * as "_x005F_".  (libxlsxwriter 1.1.4 escapes control characters that way
 * but leaves such literal sequences alone.)
 */
static int
xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
    lxw_format *fmt, struct us_out *o)
{
	lxw_error	 err;
	const char	*p;
	char		*v, *q;

	if (s == NULL)
		return (1);
	/* At worst every 6th byte starts an escape that grows by 6. */
	if ((v = malloc(2 * strlen(s) + 2)) == NULL) {
		us_out_fail(o, "out of memory");
		return (0);
	}
	q = v;
	if (lists_neutralise(s))
		*q++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (xlsx_escape_at(p)) {
			memcpy(q, "_x005F", 6);
			q += 6;
		}
		*q++ = *p;
	}
	*q = '\0';
	err = worksheet_write_string(ws, row, col, v, fmt);
	free(v);
	if (err != LXW_NO_ERROR) {
		us_out_fail(o, lxw_strerror(err));
		return (0);
	}
	return (1);
}

/* "{n}" in a translated sentence becomes the number, in place. */
static void
xlsx_fill_n(char *s, size_t len, size_t n)
{
	char	*p, tail[LISTS_CELL_MAX];

	if ((p = strstr(s, "{n}")) == NULL)
		return;
	(void)snprintf(tail, sizeof(tail), "%s", p + 3);
	(void)snprintf(p, len - (size_t)(p - s), "%zu%s", n, tail);
}

/* The generation time as the document's date: the same model, the same file. */
static time_t
xlsx_created(const char *rfc3339)
{
	struct tm	 tm;
	const char	*end;

	if (rfc3339 == NULL)
		return (0);
	memset(&tm, 0, sizeof(tm));
	end = strptime(rfc3339, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || (*end != 'Z' && *end != 'z'))
		return (0);
	return (timegm(&tm));
}

static int
xlsx_build(const struct us_p_statement *st, const char *path,
    struct us_out *o)
{
	static const double	 widths[LISTS_NCOLUMNS] = {
		9, 50, 14, 9, 24, 12,
	};
	lxw_doc_properties	 props;
	lxw_workbook		*wb;
	lxw_worksheet		*ws, *about;
	lxw_format		*bold, *italic;
	struct lists_fact	 facts[LISTS_NFACTS];
	char			 cell[LISTS_CELL_MAX], named[24], unnamed[24];
	size_t			 nfacts;
	lxw_error		 err;
	const struct us_p_signatory *s;
	lxw_row_t		 row;
	size_t			 i, col;
	int			 ok = 0;

	if ((wb = workbook_new(path)) == NULL) {
		us_out_fail(o, "cannot create a workbook");
		return (0);
	}
	memset(&props, 0, sizeof(props));
	props.title = (char *)st->title;
	props.created = xlsx_created(st->generated_at);
	if (workbook_set_properties(wb, &props) != LXW_NO_ERROR ||
	    (ws = workbook_add_worksheet(wb, "Signatories")) == NULL ||
	    (about = workbook_add_worksheet(wb, "About")) == NULL ||
	    (bold = workbook_add_format(wb)) == NULL ||
	    (italic = workbook_add_format(wb)) == NULL) {
		us_out_fail(o, "cannot set up the workbook");
		goto close;
	}
	format_set_bold(bold);
	format_set_italic(italic);

	for (col = 0; col < LISTS_NCOLUMNS; col++) {
		worksheet_set_column(ws, col, col, widths[col], NULL);
		if (!xlsx_text(ws, 0, col, lists_columns[col], bold, o))
			goto close;
	}
	worksheet_freeze_panes(ws, 1, 0);

	for (i = 0; i < st->nsignatories; i++) {
		s = st->signatories[i];
		row = i + 1;
		err = worksheet_write_number(ws, row, 0, s->position, NULL);
		if (err != LXW_NO_ERROR) {
			us_out_fail(o, lxw_strerror(err));
			goto close;
		}
		for (col = 1; col < LISTS_NCOLUMNS; col++) {
			if (!xlsx_text(ws, row, col, lists_cell(s, col, cell,
			    sizeof(cell)), NULL, o))
				goto close;
		}
	}

	/* A blank row keeps the note out of the table a filter would take. */
	if (st->unnamed_count > 0) {
		(void)snprintf(cell, sizeof(cell), "%s", st->ntr(st, "and {n} "
		    "organisation that cannot be named for its safety", "and "
		    "{n} organisations that cannot be named for their safety",
		    st->unnamed_count));
		xlsx_fill_n(cell, sizeof(cell), st->unnamed_count);
		if (!xlsx_text(ws, st->nsignatories + 2, 1, cell, italic, o))
			goto close;
	}

	/* The second sheet says what the first one is. */
	nfacts = lists_facts(st, facts, named, sizeof(named), unnamed,
	    sizeof(unnamed));
	worksheet_set_column(about, 0, 0, 26, NULL);
	worksheet_set_column(about, 1, 1, 80, NULL);
	for (i = 0; i < nfacts; i++) {
		if (!xlsx_text(about, i, 0, facts[i].label, bold,
		    o) || !xlsx_text(about, i, 1, facts[i].value, NULL, o))
			goto close;
	}
	ok = 1;

close:
	/* workbook_close() also frees the workbook, so it runs on failure. */
	pthread_mutex_lock(&xlsx_close_lock);
	err = workbook_close(wb);
	pthread_mutex_unlock(&xlsx_close_lock);
	if (ok && err != LXW_NO_ERROR) {
		us_out_fail(o, lxw_strerror(err));
		ok = 0;
	}
	return (ok);
}

static void
xlsx_stream(int fd, struct us_out *o)
{
	char	 buf[16384];
	ssize_t	 n;

	if (lseek(fd, 0, SEEK_SET) == -1) {
		us_out_fail(o, "cannot read the workbook back");
		return;
	}
	while (!o->failed) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			us_out_fail(o, "cannot read the workbook back");
			return;
		}
		if (n == 0)
			return;
		us_out_write(o, buf, n);
	}
}

/*
 * mkstemps() creates the file with mode 0600 and a name no one can
 * predict; libxlsxwriter then opens that name again with fopen("wb"),
 * which truncates the same file, so the descriptor kept here reads what
 * it wrote.
 */
int
lists_xlsx_render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	struct us_out	 o;
	const char	*dir;
	char		*path = NULL;
	int		 fd = -1;

	us_out_init(&o, sink, "xlsx");
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	if (asprintf(&path, "%s/undersigned-XXXXXX.xlsx", dir) == -1) {
		path = NULL;
		us_out_fail(&o, "out of memory");
		goto done;
	}
	if ((fd = mkstemps(path, 5)) == -1) {
		us_out_fail(&o, "cannot create a temporary file");
		goto done;
	}
	if (xlsx_build(st, path, &o))
		xlsx_stream(fd, &o);

done:
	if (fd != -1) {
		(void)unlink(path);
		(void)close(fd);
	}
	free(path);
	return (us_out_finish(&o));
}
