#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "country.h"
#include "dupe.h"
#include "import.h"
#include "sign.h"
#include "text.h"
#include "token.h"

static void	*import_grow(void *, size_t, size_t);
static char	*import_text(const char *, size_t);
static void	 import_row_free(struct us_import_row *);
static void	 import_row_to_reject(struct us_import *, size_t,
		    const char *);
static void	 fields_without(struct us_fields *, const char *const *,
		    size_t);
static char	*dup_describe(const char *, const char *);
static int	 row_cmp(const void *, const void *);
static int	 reject_cmp(const void *, const void *);

/* A copy that can be shown and sent as JSON: bad bytes become U+FFFD. */
static char *
import_text(const char *s, size_t len)
{
	struct us_buf	b;
	size_t		i;
	unsigned int	cp;
	int		k;

	us_buf_init(&b);
	for (i = 0; i < len; i += (size_t)k) {
		k = us_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0 || cp == 0) {
			us_buf_puts(&b, "\xef\xbf\xbd");
			k = 1;
		} else
			us_buf_append(&b, s + i, (size_t)k);
	}
	return (us_buf_release(&b));
}

/* Cuts a sequence that snprintf left incomplete at the end of s. */
void
us_import_utf8_fix(char *s)
{
	size_t		len, i;
	unsigned int	cp;

	len = strlen(s);
	i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0x80 &&
	    us_utf8_decode((unsigned char *)s + i - 1, len - i + 1, &cp) == 0)
		s[i - 1] = '\0';
}

/* At most US_IMPORT_QUOTE_MAX characters of s, for a reason. */
void
us_import_quote(char *dst, size_t size, const char *s)
{
	size_t	n;

	n = us_utf8_prefix(s, US_IMPORT_QUOTE_MAX);
	(void)snprintf(dst, size, "%.*s%s", (int)n, s,
	    s[n] != '\0' ? "…" : "");
	us_import_utf8_fix(dst);
}

/*
 * Room for element n of an array.  struct us_import has no capacity
 * fields, so the capacity is implied by the count: 16, then doubling
 * each time the count reaches a power of two.  A count that went down
 * (a corrected reject became a row) leaves more room than implied,
 * never less.
 */
static void *
import_grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return (us_realloc(v, 16 * size));
	if (n < 16 || (n & (n - 1)) != 0)
		return (v);
	if (n > SIZE_MAX / 2 / size)
		abort();
	return (us_realloc(v, 2 * n * size));
}

struct us_import_row *
us_import_row_add(struct us_import *imp, size_t line, const char *text,
    size_t len)
{
	struct us_import_row	*r;

	imp->rows = import_grow(imp->rows, imp->nrows, sizeof(*imp->rows));
	r = &imp->rows[imp->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = line;
	r->text = import_text(text, len);
	r->keep = US_IMPORT_KEEP_DEFAULT;
	us_fields_init(&r->fields);
	return (r);
}

void
us_import_reject_add(struct us_import *imp, size_t line, const char *text,
    size_t len, const char *fmt, ...)
{
	struct us_import_reject	*r;
	va_list			 ap;

	imp->rejects = import_grow(imp->rejects, imp->nrejects,
	    sizeof(*imp->rejects));
	r = &imp->rejects[imp->nrejects++];
	r->line = line;
	r->text = import_text(text, len);
	va_start(ap, fmt);
	(void)vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	us_import_utf8_fix(r->reason);
}

/* Trims white space at both ends, in place. */
char *
us_import_trim(char *s)
{
	char	*end;
	size_t	 n;

	while ((n = us_text_space_len(s)) > 0)
		s += n;
	end = s + strlen(s);
	while ((n = us_text_space_before(s, end)) > 0)
		end -= n;
	*end = '\0';
	return (s);
}

/*
 * Countries written in a cell or a correction: any form us_country_find
 * knows, codes included, or two countries separated by "/", ";" or ",".
 * On failure why says which one is unknown.
 */
int
us_import_countries(struct us_fields *f, const char *v, char *why,
    size_t whysize)
{
	const struct us_country	*c[2];
	struct us_buf		 b;
	char			*p, *piece, q[US_IMPORT_QUOTE_SIZE];
	size_t			 n = 0, len;
	int			 last, rc = US_FAIL;

	if ((c[0] = us_country_find(v)) != NULL) {
		us_fields_set(f, "country", c[0]->alpha2, 2);
		return (US_OK);
	}
	us_buf_init(&b);
	us_buf_puts(&b, v);
	for (p = b.data; ; p += len + 1) {
		len = strcspn(p, "/;,");
		last = p[len] == '\0';
		p[len] = '\0';
		piece = us_import_trim(p);
		if (*piece != '\0') {
			if (n == 2) {
				(void)snprintf(why, whysize, "more than two "
				    "countries (at most two may be given)");
				goto done;
			}
			if ((c[n++] = us_country_find(piece)) == NULL) {
				us_import_quote(q, sizeof(q), piece);
				(void)snprintf(why, whysize,
				    "unknown country \"%s\"", q);
				us_import_utf8_fix(why);
				goto done;
			}
		}
		if (last)
			break;
	}
	if (n == 0) {
		us_import_quote(q, sizeof(q), v);
		(void)snprintf(why, whysize, "unknown country \"%s\"", q);
		us_import_utf8_fix(why);
		goto done;
	}
	us_fields_set(f, "country", c[0]->alpha2, 2);
	if (n == 2 && c[1] != c[0])
		us_fields_set(f, "country2", c[1]->alpha2, 2);
	rc = US_OK;
done:
	us_buf_free(&b);
	return (rc);
}

static void
import_row_free(struct us_import_row *r)
{
	free(r->text);
	free(r->dup_of);
	us_fields_free(&r->fields);
}

/* Row i becomes a reject for reason; the rows after it move up. */
static void
import_row_to_reject(struct us_import *imp, size_t i, const char *reason)
{
	struct us_import_row	*r = &imp->rows[i];

	us_import_reject_add(imp, r->line, r->text, strlen(r->text), "%s",
	    reason);
	import_row_free(r);
	memmove(r, r + 1, (imp->nrows - i - 1) * sizeof(*r));
	imp->nrows--;
}

/* Drops the named fields from f. */
static void
fields_without(struct us_fields *f, const char *const *names, size_t n)
{
	struct us_fields	out;
	size_t			i, j;

	us_fields_init(&out);
	for (i = 0; i < f->n; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(f->v[i].name, names[j]) == 0)
				break;
		}
		if (j == n)
			us_fields_set(&out, f->v[i].name, f->v[i].value,
			    f->v[i].len);
	}
	us_fields_free(f);
	*f = out;
}

/*
 * The coordinator's correction of one line: its name, acronym and
 * countries as typed (NULL leaves one as read; an empty acronym or
 * countries clears it), and whether to import it at all.  A line that
 * was rejected becomes a row when it is kept with a name.  A correction
 * that cannot be read makes the line a reject saying why.  Returns
 * US_FAIL when no line has that number.
 */
int
us_import_fix(struct us_import *imp, size_t line, const char *name,
    const char *acronym, const char *countries, int keep)
{
	static const char *const place[] = { "country", "country2" };
	static const char *const org[] = { "organisation" };
	static const char *const acr[] = { "acronym" };
	struct us_import_row	*r = NULL;
	struct us_import_reject	*rj;
	struct us_fields	 f;
	char			 why[US_IMPORT_REASON_MAX];
	size_t			 i;

	for (i = 0; i < imp->nrows && r == NULL; i++) {
		if (imp->rows[i].line == line)
			r = &imp->rows[i];
	}
	if (r == NULL) {
		for (i = 0; i < imp->nrejects; i++) {
			if (imp->rejects[i].line == line)
				break;
		}
		if (i == imp->nrejects)
			return (US_FAIL);
		if (keep != US_IMPORT_KEEP_YES || name == NULL ||
		    *name == '\0')
			return (US_OK);
		rj = &imp->rejects[i];
		r = us_import_row_add(imp, rj->line, rj->text,
		    strlen(rj->text));
		free(rj->text);
		memmove(rj, rj + 1, (imp->nrejects - i - 1) * sizeof(*rj));
		imp->nrejects--;
	}
	r->keep = keep;
	if (name == NULL && acronym == NULL && countries == NULL)
		return (US_OK);
	r->fixed = 1;
	r->warning[0] = '\0';
	if (countries != NULL) {
		us_fields_init(&f);
		if (*countries != '\0' &&
		    !us_import_countries(&f, countries, why, sizeof(why))) {
			us_fields_free(&f);
			import_row_to_reject(imp, (size_t)(r - imp->rows), why);
			return (US_OK);
		}
		fields_without(&r->fields, place, 2);
		for (i = 0; i < f.n; i++)
			us_fields_set(&r->fields, f.v[i].name, f.v[i].value,
			    f.v[i].len);
		us_fields_free(&f);
	}
	if (name != NULL) {
		fields_without(&r->fields, org, 1);
		if (*name != '\0')
			us_fields_set(&r->fields, "organisation", name,
			    strlen(name));
	}
	if (acronym != NULL) {
		fields_without(&r->fields, acr, 1);
		if (*acronym != '\0')
			us_fields_set(&r->fields, "acronym", acronym,
			    strlen(acronym));
	}
	return (US_OK);
}

/*
 * The digest of a text as its lines read, whatever the line ends: the
 * text comes back from a browser's text area with CR LF.
 */
void
us_import_digest(const char *s, size_t len, char hex[US_IMPORT_DIGEST_HEX])
{
	struct us_buf	b;
	unsigned char	h[US_HASH_LEN];
	size_t		i;

	us_buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			us_buf_putc(&b, '\n');
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else
			us_buf_putc(&b, s[i]);
	}
	us_sha256(b.data != NULL ? b.data : "", b.len, h);
	us_hex(h, sizeof(h), hex);
	us_buf_free(&b);
}

/*
 * Each row through the signature rules of imports: the row keeps the
 * cleaned fields, or becomes a reject with the first rule's message.
 * Rows and rejects are then in the order of the input (a corrected
 * reject became a row at the end).
 */
void
us_import_validate(struct us_import *imp)
{
	struct us_errlist	errs;
	struct us_fields	clean;
	size_t			i = 0;

	while (i < imp->nrows) {
		memset(&errs, 0, sizeof(errs));
		us_fields_init(&clean);
		if (!us_sign_validate_import(&imp->rows[i].fields, &clean,
		    &errs)) {
			us_fields_free(&clean);
			import_row_to_reject(imp, i, errs.n > 0 ?
			    errs.v[0].message : "not a valid signature");
			continue;
		}
		us_fields_free(&imp->rows[i].fields);
		imp->rows[i].fields = clean;
		i++;
	}
	if (imp->nrejects > 1)
		qsort(imp->rejects, imp->nrejects, sizeof(*imp->rejects),
		    reject_cmp);
	if (imp->nrows > 1)
		qsort(imp->rows, imp->nrows, sizeof(*imp->rows), row_cmp);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct us_import_row	*x = a, *y = b;

	return (x->line < y->line ? -1 : x->line > y->line);
}

static int
reject_cmp(const void *a, const void *b)
{
	const struct us_import_reject	*x = a, *y = b;

	return (x->line < y->line ? -1 : x->line > y->line);
}

static char *
dup_describe(const char *name, const char *acronym)
{
	struct us_buf	b;

	us_buf_init(&b);
	us_buf_puts(&b, name != NULL ? name : "");
	if (acronym != NULL && *acronym != '\0')
		us_buf_appendf(&b, " (%s)", acronym);
	return (us_buf_release(&b));
}

/*
 * Flags each row that repeats an organisation already on the statement
 * (known) or an earlier line of this input that is itself imported.  A
 * flagged row is not imported unless the coordinator keeps it.
 */
void
us_import_dupes(struct us_import *imp, const struct us_import_known *known,
    size_t nknown)
{
	struct us_dupe_keys	*kk, *rk;
	struct us_dupe_org	 o;
	struct us_import_row	*r;
	const struct us_fields	*f;
	size_t			 i, j;

	kk = us_calloc(nknown + 1, sizeof(*kk));
	rk = us_calloc(imp->nrows + 1, sizeof(*rk));
	for (i = 0; i < nknown; i++) {
		memset(&o, 0, sizeof(o));
		o.name = known[i].name;
		o.display_name = known[i].display_name;
		o.acronym = known[i].acronym;
		o.country = known[i].country;
		o.country2 = known[i].country2;
		o.website = known[i].website;
		us_dupe_keys_make(&kk[i], &o);
	}
	for (i = 0; i < imp->nrows; i++) {
		r = &imp->rows[i];
		f = &r->fields;
		free(r->dup_of);
		r->dup_of = NULL;
		r->dup_line = 0;
		memset(&o, 0, sizeof(o));
		o.name = us_fields_get(f, "organisation");
		o.acronym = us_fields_get(f, "acronym");
		o.country = us_fields_get(f, "country");
		o.country2 = us_fields_get(f, "country2");
		o.website = us_fields_get(f, "website");
		us_dupe_keys_make(&rk[i], &o);
		for (j = 0; j < nknown && r->dup_of == NULL; j++) {
			if (us_dupe_match(&rk[i], &kk[j]))
				r->dup_of = dup_describe(known[j].display_name !=
				    NULL ? known[j].display_name : known[j].name,
				    known[j].acronym);
		}
		for (j = 0; j < i && r->dup_of == NULL; j++) {
			if (us_import_wanted(&imp->rows[j]) &&
			    us_dupe_match(&rk[i], &rk[j])) {
				r->dup_of = dup_describe(us_fields_get(
				    &imp->rows[j].fields, "organisation"),
				    us_fields_get(&imp->rows[j].fields,
				    "acronym"));
				r->dup_line = imp->rows[j].line;
			}
		}
	}
	for (i = 0; i < nknown; i++)
		us_dupe_keys_free(&kk[i]);
	for (i = 0; i < imp->nrows; i++)
		us_dupe_keys_free(&rk[i]);
	free(kk);
	free(rk);
}

/* Whether a row is to be stored: kept, or by default when no duplicate. */
int
us_import_wanted(const struct us_import_row *r)
{
	if (r->keep == US_IMPORT_KEEP_DEFAULT)
		return (r->dup_of == NULL);
	return (r->keep == US_IMPORT_KEEP_YES);
}

void
us_import_free(struct us_import *imp)
{
	size_t	i;

	for (i = 0; i < imp->nrows; i++)
		import_row_free(&imp->rows[i]);
	for (i = 0; i < imp->nrejects; i++)
		free(imp->rejects[i].text);
	free(imp->rows);
	free(imp->rejects);
	memset(imp, 0, sizeof(*imp));
}
