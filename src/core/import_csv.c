#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "country.h"
#include "import.h"
#include "text.h"

/*
 * CSV files as spreadsheets write them (RFC 4180 with the leniencies
 * of Excel and LibreOffice), one organisation a record under a header
 * row naming the columns in English or Russian.
 */

/* One CSV record while it is read. */
struct csv_rec {
	size_t		 line;
	const char	*raw;
	size_t		 rawlen;
	struct us_buf	*cells;
	size_t		 n;
	size_t		 cap;
	int		 unterminated;
};

struct csv_column {
	const char	*field;
	const char	*name;
};

static void	 csv_rec_free(struct csv_rec *);
static struct us_buf *csv_cell(struct csv_rec *);
static int	 csv_next(const char *, size_t, size_t *, size_t *, int,
		    struct csv_rec *);
static int	 csv_blank(const struct csv_rec *);
static int	 csv_delimiter(const char *, size_t);
static const char *csv_field(const char *);
static void	 csv_row(struct us_import *, const struct csv_rec *,
		    const struct csv_rec *, const char **);


/*
 * Column names accepted in a CSV header, compared by their matching
 * keys.  "name" alone is handled apart: it is the organisation when no
 * other column is, else the representative.
 */
static const struct csv_column csv_columns[] = {
	{ "organisation", "organisation" },
	{ "organisation", "organization" },
	{ "organisation", "org" },
	{ "organisation", "organisation name" },
	{ "organisation", "organization name" },
	{ "organisation", "name of organisation" },
	{ "organisation", "name of organization" },
	{ "organisation", "организация" },
	{ "organisation", "название" },
	{ "organisation", "название организации" },
	{ "organisation", "наименование" },
	{ "organisation", "наименование организации" },
	{ "acronym", "acronym" },
	{ "acronym", "abbreviation" },
	{ "acronym", "short name" },
	{ "acronym", "аббревиатура" },
	{ "acronym", "сокращение" },
	{ "acronym", "краткое название" },
	{ "acronym", "сокращённое название" },
	{ "country", "country" },
	{ "country", "country of registration" },
	{ "country", "страна" },
	{ "country", "страна регистрации" },
	{ "website", "website" },
	{ "website", "web site" },
	{ "website", "web" },
	{ "website", "url" },
	{ "website", "site" },
	{ "website", "homepage" },
	{ "website", "сайт" },
	{ "website", "веб-сайт" },
	{ "contact_name", "contact name" },
	{ "contact_name", "contact" },
	{ "contact_name", "contact person" },
	{ "contact_name", "representative" },
	{ "contact_name", "name of representative" },
	{ "contact_name", "representative's name" },
	{ "contact_name", "контактное лицо" },
	{ "contact_name", "представитель" },
	{ "contact_name", "фио" },
	{ "contact_role", "contact role" },
	{ "contact_role", "role" },
	{ "contact_role", "position" },
	{ "contact_role", "title" },
	{ "contact_role", "должность" },
	{ "email", "email" },
	{ "email", "e-mail" },
	{ "email", "mail" },
	{ "email", "email address" },
	{ "email", "e-mail address" },
	{ "email", "почта" },
	{ "email", "электронная почта" },
	{ "email", "эл. почта" },
	{ "email", "e-mail адрес" },
	{ "comment", "comment" },
	{ "comment", "comments" },
	{ "comment", "note" },
	{ "comment", "notes" },
	{ "comment", "комментарий" },
	{ "comment", "комментарии" },
	{ "comment", "примечание" },
	{ "visibility", "visibility" },
	{ "visibility", "видимость" },
};

static void
csv_rec_free(struct csv_rec *r)
{
	size_t	i;

	for (i = 0; i < r->cap; i++)
		us_buf_free(&r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static struct us_buf *
csv_cell(struct csv_rec *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 16 : r->cap * 2;
		r->cells = us_realloc(r->cells, r->cap * sizeof(*r->cells));
		memset(r->cells + r->n, 0, (r->cap - r->n) *
		    sizeof(*r->cells));
	}
	us_buf_reset(&r->cells[r->n]);
	return (&r->cells[r->n++]);
}

/*
 * Reads one RFC 4180 record from *pos, counting lines in *line (also
 * inside quoted fields).  Leniencies: a lone CR ends a line (old Mac
 * exports); spaces before an opening quote are skipped; text after a
 * closing quote is kept.  Returns 0 at the end of the input.
 */
static int
csv_next(const char *in, size_t len, size_t *pos, size_t *line, int delim,
    struct csv_rec *r)
{
	struct us_buf	*cell;
	size_t		 p, q, end;

	if (*pos >= len)
		return (0);
	r->n = 0;
	r->line = *line;
	r->raw = in + *pos;
	r->unterminated = 0;
	p = *pos;
	for (;;) {
		cell = csv_cell(r);
		for (q = p; q < len && in[q] == ' '; q++)
			;
		if (q < len && in[q] == '"') {
			for (p = q + 1; ; p++) {
				if (p >= len) {
					r->unterminated = 1;
					break;
				}
				if (in[p] == '"') {
					if (p + 1 < len && in[p + 1] == '"') {
						us_buf_putc(cell, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				if (in[p] == '\n' || (in[p] == '\r' &&
				    (p + 1 >= len || in[p + 1] != '\n')))
					(*line)++;
				us_buf_putc(cell, in[p]);
			}
		}
		while (p < len && in[p] != delim && in[p] != '\n' &&
		    in[p] != '\r')
			us_buf_putc(cell, in[p++]);
		if (p >= len) {
			end = p;
			break;
		}
		if (in[p] == delim) {
			p++;
			if (p >= len)
				(void)csv_cell(r);	/* "a,b," ends empty */
			else
				continue;
			end = p;
			break;
		}
		end = p;
		if (in[p] == '\r' && p + 1 < len && in[p + 1] == '\n')
			p++;
		p++;
		(*line)++;
		break;
	}
	r->rawlen = end - *pos;
	*pos = p;
	return (1);
}

/* Spreadsheets end files with rows of empty cells ("",,,): not records. */
static int
csv_blank(const struct csv_rec *r)
{
	size_t	i, j;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->cells[i].len; j++) {
			if (us_text_space_len(r->cells[i].data + j) == 0 &&
			    r->cells[i].data[j] != '\n' &&
			    r->cells[i].data[j] != '\r')
				return (0);
		}
	}
	return (1);
}

/*
 * The delimiter the header line uses most, outside quotes: Excel writes
 * ";" where the decimal separator is a comma, and "Unicode text" with
 * tabs.
 */
static int
csv_delimiter(const char *in, size_t len)
{
	size_t	i, comma = 0, semi = 0, tab = 0;
	int	quoted = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (in[i] == '\n' || in[i] == '\r')
			break;
		else if (in[i] == ',')
			comma++;
		else if (in[i] == ';')
			semi++;
		else if (in[i] == '\t')
			tab++;
	}
	if (tab > comma && tab > semi)
		return ('\t');
	if (semi > comma)
		return (';');
	return (',');
}

/* The field a header cell names, "name" for the generic one, or NULL. */
static const char *
csv_field(const char *header)
{
	struct us_buf	 b;
	char		*key, *k;
	const char	*field = NULL;
	size_t		 i;

	/* "Contact_name", "Organisation*", "Email:" */
	us_buf_init(&b);
	us_buf_puts(&b, header);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] == '_')
			b.data[i] = ' ';
	}
	while (b.len > 0 && (b.data[b.len - 1] == '*' ||
	    b.data[b.len - 1] == ':' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	key = us_country_key(b.data);
	us_buf_free(&b);
	if (key == NULL)
		return (NULL);
	if (strcmp(key, "name") == 0 || strcmp(key, "имя") == 0)
		field = "name";
	for (i = 0; field == NULL && i < sizeof(csv_columns) /
	    sizeof(csv_columns[0]); i++) {
		k = us_country_key(csv_columns[i].name);
		if (k != NULL && strcmp(k, key) == 0)
			field = csv_columns[i].field;
		free(k);
	}
	free(key);
	return (field);
}

/* One data record: its cells, cleaned, under the fields their columns map. */
static void
csv_row(struct us_import *imp, const struct csv_rec *hdr,
    const struct csv_rec *r, const char **map)
{
	struct us_import_row	*row;
	struct us_fields	 f;
	enum us_text_verdict	 v;
	const char		*org;
	char			*out, *src, *dst, why[200];
	char			 q[US_IMPORT_QUOTE_SIZE];
	size_t			 i, chars;

	us_fields_init(&f);
	for (i = 0; i < r->n; i++) {
		if (map[i] == NULL)
			continue;
		v = us_text_clean(r->cells[i].data != NULL ?
		    r->cells[i].data : "", r->cells[i].len, US_TEXT_MULTILINE,
		    &out, &chars);
		if (v != US_TEXT_OK) {
			us_import_quote(q, sizeof(q), hdr->cells[i].data);
			us_import_reject_add(imp, r->line, r->raw, r->rawlen,
			    "column \"%s\" contains a control character", q);
			goto done;
		}
		/* A line break typed in a cell is a space, but in comments. */
		if (strcmp(map[i], "comment") != 0) {
			for (src = dst = out; *src != '\0'; src++) {
				if (*src == '\n' || *src == '\t') {
					while (dst > out && dst[-1] == ' ')
						dst--;
					*dst++ = ' ';
					while (src[1] == ' ' ||
					    src[1] == '\n' || src[1] == '\t')
						src++;
				} else
					*dst++ = *src;
			}
			*dst = '\0';
		}
		if (*out != '\0' && us_fields_find(&f, map[i]) == NULL) {
			if (strcmp(map[i], "country") == 0) {
				if (!us_import_countries(&f, out, why, sizeof(why))) {
					free(out);
					us_import_reject_add(imp, r->line, r->raw,
					    r->rawlen, "%s", why);
					goto done;
				}
			} else
				us_fields_set(&f, map[i], out, strlen(out));
		}
		free(out);
	}
	if ((org = us_fields_get(&f, "organisation")) == NULL) {
		us_import_reject_add(imp, r->line, r->raw, r->rawlen,
		    "no organisation name");
		goto done;
	}
	if ((chars = us_utf8_chars(org)) > US_IMPORT_NAME_MAX) {
		us_import_reject_add(imp, r->line, r->raw, r->rawlen, "the "
		    "organisation name is too long (%zu characters, at most "
		    "%d)", chars, US_IMPORT_NAME_MAX);
		goto done;
	}
	row = us_import_row_add(imp, r->line, r->raw, r->rawlen);
	row->fields = f;
	return;
done:
	us_fields_free(&f);
}

/*
 * A CSV file with a header row.  The file must be UTF-8 (a BOM is
 * skipped); the delimiter is guessed from the header; the columns are
 * recognised by name in English or Russian, and those not recognised
 * are ignored.  Fails only for the file as a whole.
 */
int
us_import_csv(struct us_import *imp, const char *in, size_t len,
    struct us_error *err)
{
	struct csv_rec	 hdr, rec;
	const char	**map = NULL, *field;
	size_t		 pos = 0, line = 1, i, j, k;
	unsigned int	 cp;
	int		 delim, rc = US_FAIL, has_org = 0, has_contact = 0;

	memset(imp, 0, sizeof(*imp));
	memset(&hdr, 0, sizeof(hdr));
	memset(&rec, 0, sizeof(rec));
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	for (i = pos; i < len; i += (size_t)k) {
		k = us_utf8_decode((const unsigned char *)in + i, len - i, &cp);
		if (k == 0 || cp == 0)
			return (us_error_set(err, US_E_INVALID, "file",
			    "invalid_utf8", "The file is not UTF-8 text (line "
			    "%zu). Save it as \"CSV UTF-8\" or choose UTF-8 "
			    "when exporting.", line));
		if (in[i] == '\n' || (in[i] == '\r' && (i + 1 >= len ||
		    in[i + 1] != '\n')))
			line++;
	}
	line = 1;

	/* The header is the first line that is not blank. */
	while (pos < len && (in[pos] == '\n' || in[pos] == '\r')) {
		if (in[pos] == '\n' || pos + 1 >= len || in[pos + 1] != '\n')
			line++;
		pos++;
	}
	delim = csv_delimiter(in + pos, len - pos);
	if (!csv_next(in, len, &pos, &line, delim, &hdr) || csv_blank(&hdr)) {
		us_error_set(err, US_E_INVALID, "file", "empty",
		    "The file is empty: it needs a header row naming the "
		    "columns, then one row per organisation.");
		goto done;
	}
	if (hdr.unterminated) {
		us_error_set(err, US_E_INVALID, "file", "malformed_csv",
		    "The header row has a quote (\") that is not closed.");
		goto done;
	}

	/* Named columns first, so "Name" goes to what is left. */
	map = us_calloc(hdr.n, sizeof(*map));
	for (i = 0; i < hdr.n; i++) {
		field = csv_field(hdr.cells[i].data != NULL ?
		    hdr.cells[i].data : "");
		if (field == NULL || strcmp(field, "name") == 0)
			continue;
		for (j = 0; j < i; j++) {
			if (map[j] != NULL && strcmp(map[j], field) == 0)
				break;
		}
		if (j == i)
			map[i] = field;
		if (strcmp(field, "organisation") == 0)
			has_org = 1;
		if (strcmp(field, "contact_name") == 0)
			has_contact = 1;
	}
	for (i = 0; i < hdr.n; i++) {
		field = csv_field(hdr.cells[i].data != NULL ?
		    hdr.cells[i].data : "");
		if (field == NULL || strcmp(field, "name") != 0)
			continue;
		if (!has_org) {
			map[i] = "organisation";
			has_org = 1;
		} else if (!has_contact) {
			map[i] = "contact_name";
			has_contact = 1;
		}
	}
	if (!has_org) {
		us_error_set(err, US_E_INVALID, "file",
		    "no_organisation_column", "No column names the "
		    "organisation: the header row needs a column called "
		    "\"organisation\" (or \"name\", \"организация\").");
		goto done;
	}

	while (csv_next(in, len, &pos, &line, delim, &rec)) {
		if (rec.unterminated)
			us_import_reject_add(imp, rec.line, rec.raw, rec.rawlen,
			    "a quote (\") is not closed: the rest of the file "
			    "was read as one field");
		else if (csv_blank(&rec))
			continue;
		else if (rec.n != hdr.n)
			us_import_reject_add(imp, rec.line, rec.raw, rec.rawlen,
			    "%zu fields, but the header has %zu (a missing or "
			    "extra \"%c\"?)", rec.n, hdr.n, delim);
		else
			csv_row(imp, &hdr, &rec, map);
	}
	rc = US_OK;
done:
	free(map);
	csv_rec_free(&hdr);
	csv_rec_free(&rec);
	if (rc != US_OK)
		us_import_free(imp);
	return (rc);
}

