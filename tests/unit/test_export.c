/*
 * us_export: the coordinators' CSV, JSON and Excel exports, contact data
 * and all.  The workbook is taken apart with a small zip reader here, so
 * the cells, styles and sheet XML are checked as Excel will read them,
 * and once more through openpyxl when the system Python has it.
 */
#include "helpers.h"

#include <sys/stat.h>

#include <dirent.h>
#include <pthread.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/export.h"

#define PYTHON		"/usr/bin/python3"
#define NTHREADS	4
#define NROUNDS		5

static const struct us_export_col	cols[] = {
	{ "id", "No." },
	{ "org", "Organisation" },
	{ "city", "City" },
	{ "note", "Note" },
	{ "active", "Active" },
	{ "phone", "Phone" },
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

static const char	rows_json[] = "["
    "{\"id\": 1, \"org\": \"Amnesty, Intl\", \"city\": \"Москва\","
    " \"note\": \"He said \\\"hi\\\"\\nbye\", \"active\": true,"
    " \"phone\": null},"
    "{\"id\": 2, \"org\": \"=HYPERLINK(\\\"http://x\\\")\","
    " \"city\": \"+7 495\", \"note\": \"-1\", \"active\": false,"
    " \"phone\": \"@SUM(A1)\"},"
    "{\"id\": -3, \"org\": \"\\tTab\", \"city\": \"\\rCR\","
    " \"note\": \"a_x0041_b\", \"active\": null, \"extra\": \"x\"}"
    "]";

static char	tmpdir[64];

static int	group_setup(void **);
static int	group_teardown(void **);
static void	csv(const json_t *, int, struct us_buf *);
static void	xlsx(const json_t *, const char *, struct us_buf *);
static char	*zip_entry(const struct us_buf *, const char *);
static char	*xml_text(const char *, const char *);
static char	*cell(const char *, const char *, const char *, int *,
		    const char **);
static const char *nth(const char *, const char *, int);
static int	attr_int(const char *, const char *, const char *);
static int	style_bold(const char *, int);
static uint32_t	le32(const unsigned char *);
static uint16_t	le16(const unsigned char *);
static void	*export_thread(void *);
static void	assert_json(const json_t *, const char *);

/* Every workbook goes through a private TMPDIR that must end up empty. */
static int
group_setup(void **state)
{
	(void)state;
	(void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/us-test-export-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	return (setenv("TMPDIR", tmpdir, 1) == 0 ? 0 : -1);
}

static int
group_teardown(void **state)
{
	(void)state;
	(void)unsetenv("TMPDIR");
	return (rmdir(tmpdir) == 0 ? 0 : -1);
}

static void
csv(const json_t *rows, int bom, struct us_buf *b)
{
	struct us_error	e;

	us_buf_init(b);
	us_error_clear(&e);
	if (us_export_csv(cols, NCOLS, rows, bom, b, &e) != US_OK)
		fail_msg("us_export_csv: %s", e.message);
}

static void
xlsx(const json_t *rows, const char *title, struct us_buf *b)
{
	struct us_error	e;

	us_buf_init(b);
	us_error_clear(&e);
	if (us_export_xlsx(cols, NCOLS, rows, title, b, &e) != US_OK)
		fail_msg("us_export_xlsx: %s", e.message);
	assert_true(b->len > 4);
	assert_memory_equal(b->data, "PK\x03\x04", 4);
}

static uint16_t
le16(const unsigned char *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t
le32(const unsigned char *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

/*
 * The member name of zip as a NUL-terminated string, NULL when absent:
 * the central directory gives the sizes, the local header the data,
 * stored or deflated.
 */
static char *
zip_entry(const struct us_buf *zip, const char *name)
{
	const unsigned char	*z = (const unsigned char *)zip->data;
	const unsigned char	*eocd = NULL, *cd, *lh;
	z_stream		 s;
	uint32_t		 csize, usize, off;
	uint16_t		 method, n, nlen, xlen, clen, i;
	char			*out;

	assert_true(zip->len >= 22);
	for (off = (uint32_t)zip->len - 22; off > 0; off--) {
		if (memcmp(z + off, "PK\x05\x06", 4) == 0) {
			eocd = z + off;
			break;
		}
	}
	assert_non_null(eocd);
	n = le16(eocd + 10);
	cd = z + le32(eocd + 16);
	for (i = 0; i < n; i++) {
		assert_memory_equal(cd, "PK\x01\x02", 4);
		method = le16(cd + 10);
		csize = le32(cd + 20);
		usize = le32(cd + 24);
		nlen = le16(cd + 28);
		xlen = le16(cd + 30);
		clen = le16(cd + 32);
		if (nlen == strlen(name) && memcmp(cd + 46, name, nlen) == 0)
			break;
		cd += 46 + nlen + xlen + clen;
	}
	if (i == n)
		return (NULL);
	lh = z + le32(cd + 42);
	assert_memory_equal(lh, "PK\x03\x04", 4);
	lh += 30 + le16(lh + 26) + le16(lh + 28);
	assert_true(lh + csize <= z + zip->len);
	out = us_malloc(usize + 1);
	if (method == 0) {
		assert_int_equal(csize, usize);
		memcpy(out, lh, usize);
	} else {
		assert_int_equal(method, 8);
		memset(&s, 0, sizeof(s));
		assert_int_equal(inflateInit2(&s, -MAX_WBITS), Z_OK);
		s.next_in = (unsigned char *)lh;
		s.avail_in = csize;
		s.next_out = (unsigned char *)out;
		s.avail_out = usize;
		assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
		assert_int_equal(s.total_out, usize);
		inflateEnd(&s);
	}
	out[usize] = '\0';
	return (out);
}

/* The n-th (from 0) occurrence of what in s, or NULL. */
static const char *
nth(const char *s, const char *what, int n)
{
	for (s = strstr(s, what); s != NULL && n > 0; n--)
		s = strstr(s + 1, what);
	return (s);
}

/* Integer attribute name="N" of the element starting at el, or -1. */
static int
attr_int(const char *el, const char *end, const char *name)
{
	char		 pat[32];
	const char	*p;

	(void)snprintf(pat, sizeof(pat), " %s=\"", name);
	if ((p = strstr(el, pat)) == NULL || p > end)
		return (-1);
	return (atoi(p + strlen(pat)));
}

/* The text of the element at p (<t> or <v>), XML entities decoded. */
static char *
xml_text(const char *p, const char *close)
{
	struct us_buf	 b;
	const char	*end;

	p = strchr(p, '>') + 1;
	end = strstr(p, close);
	assert_non_null(end);
	us_buf_init(&b);
	us_buf_puts(&b, "");
	while (p < end) {
		if (strncmp(p, "&amp;", 5) == 0) {
			us_buf_putc(&b, '&');
			p += 5;
		} else if (strncmp(p, "&lt;", 4) == 0) {
			us_buf_putc(&b, '<');
			p += 4;
		} else if (strncmp(p, "&gt;", 4) == 0) {
			us_buf_putc(&b, '>');
			p += 4;
		} else if (strncmp(p, "&quot;", 6) == 0) {
			us_buf_putc(&b, '"');
			p += 6;
		} else
			us_buf_putc(&b, *p++);
	}
	return (us_buf_release(&b));
}

/*
 * Cell ref of sheet: its value (a shared string resolved through sst),
 * its style index and its type ("s" for a string, "" for a number).
 * NULL when the sheet has no such cell or it is empty.
 */
static char *
cell(const char *sheet, const char *sst, const char *ref, int *style,
    const char **type)
{
	char		 pat[32];
	const char	*c, *end, *v, *si;

	(void)snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	*style = -1;
	*type = "";
	if ((c = strstr(sheet, pat)) == NULL)
		return (NULL);
	end = strchr(c, '>');
	*style = attr_int(c, end, "s");
	if (end[-1] == '/')
		return (NULL);
	end = strstr(c, "</c>");
	assert_non_null(end);
	if ((v = strstr(c, "<f")) != NULL && v < end)
		fail_msg("cell %s holds a formula", ref);
	if ((v = strstr(c, "<v>")) == NULL || v > end)
		return (NULL);
	if (strstr(c, " t=\"s\"") == NULL || strstr(c, " t=\"s\"") > v)
		return (xml_text(v, "</v>"));
	*type = "s";
	si = nth(sst, "<si>", atoi(v + 3));
	assert_non_null(si);
	return (xml_text(strstr(si, "<t"), "</t>"));
}

/* Whether cell style xf uses a bold font. */
static int
style_bold(const char *styles, int xf)
{
	const char	*x, *f, *end;
	int		 font;

	x = nth(strstr(styles, "<cellXfs"), "<xf ", xf);
	assert_non_null(x);
	font = attr_int(x, strchr(x, '>'), "fontId");
	assert_true(font >= 0);
	f = nth(strstr(styles, "<fonts"), "<font>", font);
	assert_non_null(f);
	end = strstr(f, "</font>");
	return (strstr(f, "<b/>") != NULL && strstr(f, "<b/>") < end);
}

static void
assert_json(const json_t *got, const char *want)
{
	json_t	*w;
	char	*s;

	w = test_json(want);
	if (!json_equal(got, w)) {
		s = json_dumps(got, JSON_ENCODE_ANY);
		fail_msg("got %s, not %s", s, want);
	}
	json_decref(w);
}

static void
test_export_csv_exact_bytes(void **state)
{
	static const char	 want[] =
	    "No.,Organisation,City,Note,Active,Phone\r\n"
	    "1,\"Amnesty, Intl\",Москва,\"He said \"\"hi\"\"\nbye\",true,\r\n"
	    "2,\"'=HYPERLINK(\"\"http://x\"\")\",'+7 495,'-1,false,"
	    "'@SUM(A1)\r\n"
	    "-3,\"'\tTab\",\"'\rCR\",a_x0041_b,,\r\n";
	struct us_buf	 b;
	json_t		*rows;

	(void)state;
	rows = test_json(rows_json);
	csv(rows, 0, &b);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, sizeof(want) - 1);
	us_buf_free(&b);
	json_decref(rows);
}

static void
test_export_csv_bom_on_and_off(void **state)
{
	struct us_buf	 a, b;
	json_t		*rows;

	(void)state;
	rows = test_json(rows_json);
	csv(rows, 0, &a);
	csv(rows, 1, &b);
	assert_int_equal(b.len, a.len + 3);
	assert_memory_equal(b.data, "\xef\xbb\xbf", 3);
	assert_memory_equal(b.data + 3, a.data, a.len);
	assert_memory_equal(a.data, "No.,", 4);
	us_buf_free(&a);
	us_buf_free(&b);
	json_decref(rows);
}

/*
 * Titles are fields like any other (a semicolon is quoted for European
 * spreadsheets); no rows is a header alone.
 */
static void
test_export_csv_header_quoted_and_empty_table(void **state)
{
	static const struct us_export_col	c[] = {
		{ "a", "Name, full" },
		{ "b", "-Minus" },
		{ "c", "Land; Country" },
	};
	struct us_buf	 b;
	struct us_error	 e;
	json_t		*rows;

	(void)state;
	rows = json_array();
	us_buf_init(&b);
	assert_int_equal(us_export_csv(c, 3, rows, 0, &b, &e), US_OK);
	assert_string_equal(b.data,
	    "\"Name, full\",'-Minus,\"Land; Country\"\r\n");
	us_buf_free(&b);
	json_decref(rows);
}

/* A bad row is a bug in the caller; its buffer is left as it was. */
static void
test_export_refuses_bad_rows(void **state)
{
	static const char	*bad[] = {
		"{\"id\": 1}",
		"[1]",
		"[{\"id\": 1}, \"row\"]",
		"[{\"id\": {\"x\": 1}}]",
		"[{\"org\": [1, 2]}]",
	};
	struct us_buf	 b;
	struct us_error	 e;
	json_t		*rows;
	size_t		 i;

	(void)state;
	us_buf_init(&b);
	us_buf_puts(&b, "kept");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rows = test_json(bad[i]);
		us_error_clear(&e);
		assert_int_equal(us_export_csv(cols, NCOLS, rows, 1, &b, &e),
		    US_FAIL);
		assert_int_equal(e.kind, US_E_INTERNAL);
		assert_int_equal(us_export_json(cols, NCOLS, rows, &b, &e),
		    US_FAIL);
		assert_int_equal(us_export_xlsx(cols, NCOLS, rows, "x", &b,
		    &e), US_FAIL);
		assert_true(strncmp(e.code, "export_", 7) == 0);
		json_decref(rows);
	}
	assert_string_equal(b.data, "kept");
	us_buf_free(&b);
}

static void
test_export_json_exact_bytes(void **state)
{
	static const struct us_export_col	c[] = {
		{ "b", "B" },
		{ "a", "A" },
		{ "none", "None" },
	};
	struct us_buf	 b;
	struct us_error	 e;
	json_t		*rows;

	(void)state;
	rows = test_json("[{\"a\": \"=1+1\", \"b\": \"Кириллица \\\"q\\\"\\n\","
	    " \"x\": 1}, {\"a\": 2.5, \"b\": true}]");
	us_buf_init(&b);
	assert_int_equal(us_export_json(c, 3, rows, &b, &e), US_OK);
	assert_string_equal(b.data, "[{\"b\":\"Кириллица \\\"q\\\"\\n\","
	    "\"a\":\"=1+1\",\"none\":null},{\"b\":true,\"a\":2.5,"
	    "\"none\":null}]");
	us_buf_free(&b);
	json_decref(rows);
}

static void
test_export_json_round_trip(void **state)
{
	struct us_buf	 b;
	struct us_error	 e;
	json_t		*rows, *back, *row, *orig;
	const char	*key;
	json_t		*v;
	size_t		 i, k;

	(void)state;
	rows = test_json(rows_json);
	us_buf_init(&b);
	assert_int_equal(us_export_json(cols, NCOLS, rows, &b, &e), US_OK);
	/* UTF-8 stays UTF-8, and nothing is neutralised: this is data. */
	assert_non_null(strstr(b.data, "Москва"));
	assert_non_null(strstr(b.data, "\"=HYPERLINK("));
	back = test_json(b.data);
	assert_int_equal(json_array_size(back), json_array_size(rows));
	json_array_foreach(back, i, row) {
		orig = json_array_get(rows, i);
		assert_int_equal(json_object_size(row), NCOLS);
		k = 0;
		json_object_foreach(row, key, v) {
			assert_string_equal(key, cols[k].key);
			if (json_object_get(orig, key) == NULL)
				assert_true(json_is_null(v));
			else
				assert_true(json_equal(v,
				    json_object_get(orig, key)));
			k++;
		}
	}
	/* The caller's rows are not shared into the result. */
	assert_int_equal(json_array_get(rows, 0)->refcount, 1);
	json_decref(back);
	us_buf_free(&b);
	json_decref(rows);
}

static void
test_export_xlsx_cells_are_strings_or_numbers(void **state)
{
	static const struct {
		const char	*ref;
		const char	*value;
		const char	*type;
	} want[] = {
		{ "A1", "No.", "s" },
		{ "F1", "Phone", "s" },
		{ "A2", "1", "" },
		{ "B2", "Amnesty, Intl", "s" },
		{ "C2", "Москва", "s" },
		{ "D2", "He said \"hi\"\nbye", "s" },
		{ "E2", "true", "s" },
		{ "B3", "'=HYPERLINK(\"http://x\")", "s" },
		{ "C3", "'+7 495", "s" },
		{ "D3", "'-1", "s" },
		{ "E3", "false", "s" },
		{ "F3", "'@SUM(A1)", "s" },
		{ "A4", "-3", "" },
		{ "B4", "'\tTab", "s" },
		{ "C4", "'_x000D_CR", "s" },
		{ "D4", "a_x005F_x0041_b", "s" },
	};
	struct us_buf	 b;
	json_t		*rows;
	char		*sheet, *sst, *v;
	const char	*type;
	size_t		 i;
	int		 style;

	(void)state;
	rows = test_json(rows_json);
	xlsx(rows, "Signatures", &b);
	sheet = zip_entry(&b, "xl/worksheets/sheet1.xml");
	sst = zip_entry(&b, "xl/sharedStrings.xml");
	assert_non_null(sheet);
	assert_non_null(sst);
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = cell(sheet, sst, want[i].ref, &style, &type);
		if (v == NULL)
			fail_msg("no cell %s", want[i].ref);
		if (strcmp(v, want[i].value) != 0)
			fail_msg("%s is \"%s\", not \"%s\"", want[i].ref, v,
			    want[i].value);
		assert_string_equal(type, want[i].type);
		free(v);
	}
	/* Null and missing members are empty cells. */
	assert_null(cell(sheet, sst, "F2", &style, &type));
	assert_null(cell(sheet, sst, "E4", &style, &type));
	assert_null(cell(sheet, sst, "F4", &style, &type));
	assert_null(cell(sheet, sst, "A5", &style, &type));
	free(sheet);
	free(sst);
	us_buf_free(&b);
	json_decref(rows);
}

static void
test_export_xlsx_header_bold_frozen_and_sized(void **state)
{
	struct us_buf	 b;
	json_t		*rows;
	char		*sheet, *sst, *styles, *v, ref[4];
	const char	*type;
	size_t		 i;
	int		 style;

	(void)state;
	rows = test_json(rows_json);
	xlsx(rows, "Signatures", &b);
	sheet = zip_entry(&b, "xl/worksheets/sheet1.xml");
	sst = zip_entry(&b, "xl/sharedStrings.xml");
	styles = zip_entry(&b, "xl/styles.xml");
	assert_non_null(styles);
	for (i = 0; i < NCOLS; i++) {
		(void)snprintf(ref, sizeof(ref), "%c1", (int)('A' + i));
		v = cell(sheet, sst, ref, &style, &type);
		assert_string_equal(v, cols[i].title);
		assert_true(style > 0);
		assert_true(style_bold(styles, style));
		free(v);
	}
	v = cell(sheet, sst, "B2", &style, &type);
	assert_false(style > 0 && style_bold(styles, style));
	free(v);
	assert_non_null(strstr(sheet, "state=\"frozen\""));
	assert_non_null(strstr(sheet, "ySplit=\"1\""));
	assert_non_null(strstr(sheet, "topLeftCell=\"A2\""));
	/* Narrow columns get the minimum, wide ones their text's width. */
	assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"8."));
	assert_non_null(strstr(sheet,
	    "<col min=\"2\" max=\"2\" width=\"24."));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:F4\"/>"));
	free(styles);
	free(sheet);
	free(sst);
	us_buf_free(&b);
	json_decref(rows);
}

static void
test_export_xlsx_sheet_name_made_valid(void **state)
{
	static const struct {
		const char	*title;
		const char	*name;
	} cases[] = {
		{ "A/B: [draft]*?", "name=\"A B   draft\"" },
		{ NULL, "name=\"Signatures\"" },
		{ "'''", "name=\"Signatures\"" },
		{ "history", "name=\"Signatures\"" },
		{ "Заявление о защите гражданского пространства",
		    "name=\"Заявление о защите гражданского\"" },
		{ "Tom & Jerry's <list>",
		    "name=\"Tom &amp; Jerry's &lt;list&gt;\"" },
	};
	struct us_buf	 b;
	json_t		*rows;
	char		*wb;
	size_t		 i;

	(void)state;
	rows = json_array();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xlsx(rows, cases[i].title, &b);
		wb = zip_entry(&b, "xl/workbook.xml");
		assert_non_null(wb);
		if (strstr(wb, cases[i].name) == NULL)
			fail_msg("no %s in %s", cases[i].name, wb);
		free(wb);
		us_buf_free(&b);
	}
	json_decref(rows);
}

/*
 * Beyond what a double holds exactly, an integer stays exact as text;
 * a cell past what Excel holds is cut at a character boundary.
 */
static void
test_export_xlsx_big_values(void **state)
{
	static const struct us_export_col	c[] = {
		{ "n", "N" },
		{ "s", "S" },
	};
	struct us_buf	 b, big;
	struct us_error	 e;
	json_t		*rows, *row;
	char		*sheet, *sst, *v;
	const char	*type;
	size_t		 i;
	int		 style;

	(void)state;
	us_buf_init(&big);
	for (i = 0; i < 40000; i++)
		us_buf_puts(&big, "ж");
	rows = json_array();
	row = json_object();
	json_object_set_new(row, "n", json_integer(9007199254740993LL));
	json_object_set_new(row, "s", json_string(big.data));
	json_array_append_new(rows, row);
	us_buf_init(&b);
	us_error_clear(&e);
	if (us_export_xlsx(c, 2, rows, "Big", &b, &e) != US_OK)
		fail_msg("us_export_xlsx: %s", e.message);
	sheet = zip_entry(&b, "xl/worksheets/sheet1.xml");
	sst = zip_entry(&b, "xl/sharedStrings.xml");
	v = cell(sheet, sst, "A2", &style, &type);
	assert_string_equal(v, "9007199254740993");
	assert_string_equal(type, "s");
	free(v);
	v = cell(sheet, sst, "B2", &style, &type);
	assert_int_equal(strlen(v), 32767 * 2);
	assert_memory_equal(v, big.data, 32767 * 2);
	free(v);
	free(sheet);
	free(sst);
	us_buf_free(&b);
	us_buf_free(&big);
	json_decref(rows);
}

/* A real reader: openpyxl sees strings, numbers, bold and no formula. */
static void
test_export_xlsx_read_by_openpyxl(void **state)
{
	static const char	 script[] =
	    "import json, sys, openpyxl\n"
	    "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
	    "print(json.dumps({'title': ws.title, 'freeze': ws.freeze_panes,"
	    " 'rows': [[[c.value, c.data_type, bool(c.font.b)] for c in r]"
	    " for r in ws.iter_rows()]}))\n";
	struct us_buf	 b, out;
	json_t		*rows, *got;
	char		 path[96], cmd[256], chunk[4096];
	FILE		*fp;
	size_t		 n;
	int		 fd;

	(void)state;
	if (system(PYTHON " -c 'import openpyxl' 2>/dev/null") != 0)
		skip();
	rows = test_json(rows_json);
	xlsx(rows, "Подписи", &b);
	(void)snprintf(path, sizeof(path), "%s/openpyxl-XXXXXX.xlsx", tmpdir);
	assert_true((fd = mkstemps(path, 5)) != -1);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	(void)snprintf(cmd, sizeof(cmd), PYTHON " -c \"$US_SCRIPT\" %s", path);
	assert_int_equal(setenv("US_SCRIPT", script, 1), 0);
	assert_non_null(fp = popen(cmd, "r"));
	us_buf_init(&out);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		us_buf_append(&out, chunk, n);
	assert_int_equal(pclose(fp), 0);
	(void)unsetenv("US_SCRIPT");
	(void)unlink(path);
	got = test_json(out.data);
	assert_string_equal(json_string_value(json_object_get(got, "title")),
	    "Подписи");
	assert_string_equal(json_string_value(json_object_get(got, "freeze")),
	    "A2");
	assert_json(json_array_get(json_object_get(got, "rows"), 0),
	    "[[\"No.\",\"s\",true],[\"Organisation\",\"s\","
	    "true],[\"City\",\"s\",true],[\"Note\",\"s\",true],[\"Active\","
	    "\"s\",true],[\"Phone\",\"s\",true]]");
	assert_json(json_array_get(json_object_get(got, "rows"), 2),
	    "[[2,\"n\",false],[\"'=HYPERLINK(\\\"http://x\\\")\","
	    "\"s\",false],[\"'+7 495\",\"s\",false],[\"'-1\",\"s\",false],"
	    "[\"false\",\"s\",false],[\"'@SUM(A1)\",\"s\",false]]");
	assert_json(json_array_get(json_array_get(json_object_get(got,
	    "rows"), 3), 1), "[\"'\\tTab\",\"s\",false]");
	json_decref(got);
	us_buf_free(&out);
	us_buf_free(&b);
	json_decref(rows);
}

struct export_job {
	const json_t	*rows;
	int		 ok;
};

static void *
export_thread(void *arg)
{
	struct export_job	*job = arg;
	struct us_buf		 b;
	struct us_error		 e;
	int			 i;

	job->ok = 1;
	for (i = 0; i < NROUNDS; i++) {
		us_buf_init(&b);
		if (us_export_xlsx(cols, NCOLS, job->rows, "T", &b, &e) !=
		    US_OK || b.len < 4 || memcmp(b.data, "PK\x03\x04", 4) != 0)
			job->ok = 0;
		us_buf_reset(&b);
		if (us_export_csv(cols, NCOLS, job->rows, 1, &b, &e) != US_OK ||
		    us_export_json(cols, NCOLS, job->rows, &b, &e) != US_OK)
			job->ok = 0;
		us_buf_free(&b);
	}
	return (NULL);
}

/* Several threads export the same rows at once. */
static void
test_export_from_several_threads(void **state)
{
	pthread_t		 t[NTHREADS];
	struct export_job	 job[NTHREADS];
	json_t			*rows;
	int			 i;

	(void)state;
	rows = test_json(rows_json);
	for (i = 0; i < NTHREADS; i++) {
		job[i].rows = rows;
		assert_int_equal(pthread_create(&t[i], NULL, export_thread,
		    &job[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(job[i].ok);
	}
	assert_int_equal(rows->refcount, 1);
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_export_csv_exact_bytes),
		cmocka_unit_test(test_export_csv_bom_on_and_off),
		cmocka_unit_test(test_export_csv_header_quoted_and_empty_table),
		cmocka_unit_test(test_export_refuses_bad_rows),
		cmocka_unit_test(test_export_json_exact_bytes),
		cmocka_unit_test(test_export_json_round_trip),
		cmocka_unit_test(test_export_xlsx_cells_are_strings_or_numbers),
		cmocka_unit_test(test_export_xlsx_header_bold_frozen_and_sized),
		cmocka_unit_test(test_export_xlsx_sheet_name_made_valid),
		cmocka_unit_test(test_export_xlsx_big_values),
		cmocka_unit_test(test_export_xlsx_read_by_openpyxl),
		cmocka_unit_test(test_export_from_several_threads),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
