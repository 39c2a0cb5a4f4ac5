/*
 * us_mo: gettext catalogues built here byte by byte in both byte orders,
 * plurals, and files that are truncated or lie about their offsets.
 */
#include <unistd.h>

#include "helpers.h"

#include "core/buf.h"
#include "core/mo.h"

#define RU_MO	"/usr/share/locale/ru/LC_MESSAGES/iso_3166-1.mo"

/* A msgid and msgstr; lengths so that plurals can hold NULs. */
struct pair {
	const char	*id;
	size_t		 idlen;
	const char	*str;
	size_t		 strlen;
};

#define PAIR(id, str)	{ id, sizeof(id) - 1, str, sizeof(str) - 1 }

static const struct pair pairs[] = {
	PAIR("", "Content-Type: text/plain; charset=UTF-8\n"),
	PAIR("zebra", "зебра"),
	PAIR("apple", "яблоко"),
	PAIR("empty", ""),
	PAIR("file\0files", "файл\0файла\0файлов"),
	PAIR("ctx\004apple", "яблочко"),
};

#define NPAIRS	(sizeof(pairs) / sizeof(pairs[0]))

static void	put_word(struct us_buf *, uint32_t, int);
static void	set_word(struct us_buf *, size_t, uint32_t, int);
static void	build_mo(struct us_buf *, const struct pair *, size_t, int);
static void	check_catalogue(int);
static void	expect_corrupt(struct us_buf *, const char *);
static int	load_bytes(struct us_mo *, const void *, size_t,
		    struct us_error *);

static void
put_word(struct us_buf *b, uint32_t v, int big)
{
	unsigned char	u[4];

	if (big) {
		u[0] = (unsigned char)(v >> 24);
		u[1] = (unsigned char)(v >> 16);
		u[2] = (unsigned char)(v >> 8);
		u[3] = (unsigned char)v;
	} else {
		u[0] = (unsigned char)v;
		u[1] = (unsigned char)(v >> 8);
		u[2] = (unsigned char)(v >> 16);
		u[3] = (unsigned char)(v >> 24);
	}
	us_buf_append(b, u, 4);
}

/* Overwrites the word at off, to corrupt a built catalogue. */
static void
set_word(struct us_buf *b, size_t off, uint32_t v, int big)
{
	struct us_buf	w;

	us_buf_init(&w);
	put_word(&w, v, big);
	memcpy(b->data + off, w.data, 4);
	us_buf_free(&w);
}

/*
 * The layout of the gettext manual: a 28-byte header, the table of
 * originals at 28, the table of translations after it, no hash table,
 * then the strings, each followed by a NUL.
 */
static void
build_mo(struct us_buf *b, const struct pair *p, size_t n, int big)
{
	size_t		i;
	uint32_t	off;

	us_buf_reset(b);
	put_word(b, 0x950412de, big);
	put_word(b, 0, big);
	put_word(b, (uint32_t)n, big);
	put_word(b, 28, big);
	put_word(b, 28 + 8 * (uint32_t)n, big);
	put_word(b, 0, big);
	put_word(b, 28 + 16 * (uint32_t)n, big);
	off = 28 + 16 * (uint32_t)n;
	for (i = 0; i < n; i++) {
		put_word(b, (uint32_t)p[i].idlen, big);
		put_word(b, off, big);
		off += (uint32_t)p[i].idlen + 1;
	}
	for (i = 0; i < n; i++) {
		put_word(b, (uint32_t)p[i].strlen, big);
		put_word(b, off, big);
		off += (uint32_t)p[i].strlen + 1;
	}
	for (i = 0; i < n; i++)
		us_buf_append(b, p[i].id, p[i].idlen + 1);
	for (i = 0; i < n; i++)
		us_buf_append(b, p[i].str, p[i].strlen + 1);
}

/* Writes the bytes to a temporary file and loads it. */
static int
load_bytes(struct us_mo *mo, const void *data, size_t len,
    struct us_error *err)
{
	char	path[] = "/tmp/test_mo.XXXXXX";
	int	fd, rc;

	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp failed");
	if (len > 0 && write(fd, data, len) != (ssize_t)len)
		fail_msg("write failed");
	close(fd);
	us_error_clear(err);
	rc = us_mo_load(mo, path, err);
	unlink(path);
	return (rc);
}

static void
check_catalogue(int big)
{
	struct us_buf	b;
	struct us_mo	mo;
	struct us_error	err;

	us_buf_init(&b);
	build_mo(&b, pairs, NPAIRS, big);
	assert_int_equal(load_bytes(&mo, b.data, b.len, &err), US_OK);
	assert_int_equal(mo.n, 5);	/* the header entry is not kept */
	assert_string_equal(us_mo_get(&mo, "apple"), "яблоко");
	assert_string_equal(us_mo_get(&mo, "zebra"), "зебра");
	assert_string_equal(us_mo_get(&mo, "ctx\004apple"), "яблочко");
	assert_null(us_mo_get(&mo, "empty"));
	assert_null(us_mo_get(&mo, "missing"));
	assert_null(us_mo_get(&mo, ""));
	assert_null(us_mo_get(&mo, "appl"));
	assert_null(us_mo_get(&mo, "apples"));
	/* Plurals: looked up by the singular, one string per form. */
	assert_string_equal(us_mo_get(&mo, "file"), "файл");
	assert_string_equal(us_mo_nget(&mo, "file", 0), "файл");
	assert_string_equal(us_mo_nget(&mo, "file", 1), "файла");
	assert_string_equal(us_mo_nget(&mo, "file", 2), "файлов");
	assert_null(us_mo_nget(&mo, "file", 3));
	assert_null(us_mo_nget(&mo, "file", -1));
	assert_null(us_mo_get(&mo, "files"));
	assert_string_equal(us_mo_nget(&mo, "apple", 0), "яблоко");
	assert_null(us_mo_nget(&mo, "apple", 1));
	/* Sorted whatever the order in the file. */
	assert_string_equal(mo.v[0].msgid, "apple");
	assert_string_equal(mo.v[4].msgid, "zebra");
	assert_string_equal(mo.v[3].msgid, "file");
	assert_int_equal(mo.v[3].nforms, 3);
	assert_int_equal(mo.v[2].nforms, 1);
	us_mo_free(&mo);
	assert_null(mo.v);
	assert_int_equal(mo.n, 0);
	us_buf_free(&b);
}

static void
test_mo_reads_little_endian(void **state)
{
	(void)state;
	check_catalogue(0);
}

static void
test_mo_reads_big_endian(void **state)
{
	(void)state;
	check_catalogue(1);
}

static void
test_mo_accepts_minor_revision_and_empty_catalogue(void **state)
{
	struct us_buf	b;
	struct us_mo	mo;
	struct us_error	err;

	(void)state;
	us_buf_init(&b);
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 4, 0x00010001, 0);
	assert_int_equal(load_bytes(&mo, b.data, b.len, &err), US_OK);
	assert_string_equal(us_mo_get(&mo, "apple"), "яблоко");
	us_mo_free(&mo);

	build_mo(&b, pairs, 0, 1);
	assert_int_equal(b.len, 28);
	assert_int_equal(load_bytes(&mo, b.data, b.len, &err), US_OK);
	assert_int_equal(mo.n, 0);
	assert_null(us_mo_get(&mo, "apple"));
	us_mo_free(&mo);
	us_buf_free(&b);
}

static void
test_mo_first_of_duplicate_msgids_wins(void **state)
{
	static const struct pair	dup[] = {
		PAIR("b", "second"),
		PAIR("a", "one"),
		PAIR("a", "two"),
		PAIR("a\0plural", "three\0threes"),
	};
	struct us_buf	b;
	struct us_mo	mo;
	struct us_error	err;

	(void)state;
	us_buf_init(&b);
	build_mo(&b, dup, 4, 0);
	assert_int_equal(load_bytes(&mo, b.data, b.len, &err), US_OK);
	assert_int_equal(mo.n, 2);
	assert_string_equal(us_mo_get(&mo, "a"), "one");
	assert_null(us_mo_nget(&mo, "a", 1));
	assert_string_equal(us_mo_get(&mo, "b"), "second");
	us_mo_free(&mo);
	us_buf_free(&b);
}

/* Every proper prefix of a catalogue loses a string, its NUL or a table. */
static void
test_mo_rejects_every_truncation(void **state)
{
	struct us_buf	b;
	struct us_mo	mo;
	struct us_error	err;
	size_t		len;

	(void)state;
	us_buf_init(&b);
	build_mo(&b, pairs, NPAIRS, 0);
	for (len = 0; len < b.len; len++) {
		if (load_bytes(&mo, b.data, len, &err) != US_FAIL)
			fail_msg("a catalogue cut to %zu of %zu bytes loaded",
			    len, b.len);
		assert_int_equal(err.kind, US_E_INTERNAL);
		assert_string_equal(err.code, "catalogue");
		assert_null(mo.v);
		assert_int_equal(mo.n, 0);
	}
	assert_int_equal(load_bytes(&mo, b.data, b.len, &err), US_OK);
	us_mo_free(&mo);
	us_buf_free(&b);
}

/* Loads the corrupted catalogue and expects a failure mentioning what. */
static void
expect_corrupt(struct us_buf *b, const char *what)
{
	struct us_mo	mo;
	struct us_error	err;

	if (load_bytes(&mo, b->data, b->len, &err) != US_FAIL)
		fail_msg("a corrupt catalogue loaded (expected \"%s\")", what);
	assert_int_equal(err.kind, US_E_INTERNAL);
	assert_string_equal(err.code, "catalogue");
	if (strstr(err.message, what) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err.message, what);
	assert_null(mo.v);
}

static void
test_mo_rejects_hostile_headers(void **state)
{
	struct us_buf	b;

	(void)state;
	us_buf_init(&b);
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 0, 0x12345678, 0);
	expect_corrupt(&b, "bad magic");

	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 4, 0x00020000, 0);
	expect_corrupt(&b, "revision 2.0");

	/* A count whose tables would end far past the file (or wrap). */
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 8, 0xffffffff, 0);
	expect_corrupt(&b, "tables out of range");
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 8, (uint32_t)(b.len / 8), 0);
	expect_corrupt(&b, "tables out of range");

	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 12, 0xfffffff0, 0);
	expect_corrupt(&b, "tables out of range");
	build_mo(&b, pairs, NPAIRS, 1);
	set_word(&b, 16, (uint32_t)b.len - 8, 1);
	expect_corrupt(&b, "tables out of range");
	us_buf_free(&b);
}

static void
test_mo_rejects_hostile_strings(void **state)
{
	struct us_buf	b;
	size_t		tt = 28 + 8 * NPAIRS;

	(void)state;
	us_buf_init(&b);
	/* A string that starts past the end of the file. */
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 28 + 8 + 4, (uint32_t)b.len + 10, 0);
	expect_corrupt(&b, "string 1 out of range");

	/* A length that runs past the end, and one that wraps around. */
	build_mo(&b, pairs, NPAIRS, 1);
	set_word(&b, tt + 8 * 2, (uint32_t)b.len, 1);
	expect_corrupt(&b, "string 2 out of range");
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, tt + 8 * 2, 0xffffffff, 0);
	expect_corrupt(&b, "string 2 out of range");

	/* A string whose terminating NUL is not there. */
	build_mo(&b, pairs, NPAIRS, 0);
	set_word(&b, 28 + 8 * 1, 4, 0);	/* "zebr", then 'a', not NUL */
	expect_corrupt(&b, "string 1 out of range");
	us_buf_free(&b);
}

static void
test_mo_reports_missing_file_and_directory(void **state)
{
	struct us_mo	mo;
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	assert_int_equal(us_mo_load(&mo, "/nonexistent/x.mo", &err), US_FAIL);
	assert_int_equal(err.kind, US_E_INTERNAL);
	assert_string_equal(err.message,
	    "cannot open /nonexistent/x.mo: No such file or directory");
	assert_int_equal(us_mo_load(&mo, "/tmp", &err), US_FAIL);
	assert_string_equal(err.message, "/tmp is not a regular file");
	assert_int_equal(load_bytes(&mo, "", 0, &err), US_FAIL);
	assert_non_null(strstr(err.message, "too short"));
}

static void
test_mo_reads_debian_iso_codes_catalogue(void **state)
{
	struct us_mo	mo;
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	if (!us_mo_load(&mo, RU_MO, &err))
		fail_msg("%s", err.message);
	assert_true(mo.n > 300);
	assert_string_equal(us_mo_get(&mo, "Germany"), "Германия");
	assert_string_equal(us_mo_get(&mo, "Kyrgyzstan"), "Киргизия");
	assert_string_equal(us_mo_get(&mo, "Iran, Islamic Republic of"),
	    "Иран");
	assert_null(us_mo_get(&mo, "germany"));
	assert_null(us_mo_get(&mo, "Atlantis"));
	us_mo_free(&mo);
}

static void
test_mo_lookups_on_empty_catalogue(void **state)
{
	struct us_mo	mo = { NULL, 0 };

	(void)state;
	assert_null(us_mo_get(&mo, "x"));
	assert_null(us_mo_get(NULL, "x"));
	assert_null(us_mo_get(&mo, NULL));
	us_mo_free(&mo);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_mo_reads_little_endian),
		cmocka_unit_test(test_mo_reads_big_endian),
		cmocka_unit_test(
		    test_mo_accepts_minor_revision_and_empty_catalogue),
		cmocka_unit_test(test_mo_first_of_duplicate_msgids_wins),
		cmocka_unit_test(test_mo_rejects_every_truncation),
		cmocka_unit_test(test_mo_rejects_hostile_headers),
		cmocka_unit_test(test_mo_rejects_hostile_strings),
		cmocka_unit_test(test_mo_reports_missing_file_and_directory),
		cmocka_unit_test(test_mo_reads_debian_iso_codes_catalogue),
		cmocka_unit_test(test_mo_lookups_on_empty_catalogue),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
