#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "mo.h"

#define MO_MAGIC	0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_SIZE	28

/* One string pair as found in the file, before it is copied. */
struct mo_ref {
	const char	*id;	/* NUL-terminated: the singular */
	const char	*str;
	size_t		 str_len;
	size_t		 order;	/* position in the file */
};

static int	mo_read_file(const char *, struct us_buf *, struct us_error *);
static uint32_t	mo_word(const unsigned char *, int);
static int	mo_string(const struct us_buf *, size_t, int, const char **,
		    size_t *);
static int	mo_ref_cmp(const void *, const void *);
static const struct us_mo_entry *mo_find(const struct us_mo *,
		    const char *);

/*
 * Reads the whole file.  A size limit keeps a mistaken path (a device, a
 * huge log) from eating memory; the file is re-measured while reading in
 * case it changes under us.
 */
static int
mo_read_file(const char *path, struct us_buf *b, struct us_error *err)
{
	struct stat	 st;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd, rc = US_FAIL;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "cannot open %s: %s", path, strerror(errno)));
	if (fstat(fd, &st) == -1) {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "cannot read %s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "%s is not a regular file", path);
		goto done;
	}
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
			    "cannot read %s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > US_MO_MAX_SIZE) {
			us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
			    "%s is larger than %d bytes", path,
			    US_MO_MAX_SIZE);
			goto done;
		}
		us_buf_append(b, chunk, (size_t)n);
	}
	rc = US_OK;
done:
	close(fd);
	return (rc);
}

static uint32_t
mo_word(const unsigned char *p, int swapped)
{
	if (swapped)
		return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
	return ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | (uint32_t)p[0]);
}

/*
 * The string described at byte off of a table: its length and offset
 * must lie inside the file, and the NUL the format promises after it
 * must be there, so later code may treat it as a C string.
 */
static int
mo_string(const struct us_buf *b, size_t off, int swapped, const char **s,
    size_t *len)
{
	const unsigned char	*p = (const unsigned char *)b->data;
	uint32_t		 l, o;

	if (off > b->len || b->len - off < 8)
		return (US_FAIL);
	l = mo_word(p + off, swapped);
	o = mo_word(p + off + 4, swapped);
	if (o > b->len || l >= b->len - o || p[o + l] != '\0')
		return (US_FAIL);
	*s = b->data + o;
	*len = l;
	return (US_OK);
}

/* By msgid, then by position, so that of two equal msgids the first wins. */
static int
mo_ref_cmp(const void *a, const void *b)
{
	const struct mo_ref	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return (c);
	return (x->order < y->order ? -1 : x->order > y->order);
}

int
us_mo_load(struct us_mo *mo, const char *path, struct us_error *err)
{
	struct us_buf		 b;
	struct mo_ref		*refs = NULL;
	struct us_mo_entry	*e;
	const unsigned char	*p;
	const char		*id, *str;
	uint32_t		 magic, rev, n, otab, ttab;
	size_t			 i, nrefs, idlen, slen, k;
	int			 swapped, rc = US_FAIL;

	mo->v = NULL;
	mo->n = 0;
	us_buf_init(&b);
	if (!mo_read_file(path, &b, err))
		goto done;
	p = (const unsigned char *)b.data;
	if (b.len < MO_HEADER_SIZE) {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "%s is too short to be a .mo catalogue", path);
		goto done;
	}
	magic = mo_word(p, 0);
	if (magic == MO_MAGIC)
		swapped = 0;
	else if (magic == MO_MAGIC_SWAPPED)
		swapped = 1;
	else {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "%s is not a .mo catalogue (bad magic number)", path);
		goto done;
	}
	/* Only the major revision (high half) changes the layout. */
	rev = mo_word(p + 4, swapped);
	if ((rev >> 16) > 1) {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "%s has unknown .mo revision %u.%u", path,
		    (unsigned int)(rev >> 16), (unsigned int)(rev & 0xffff));
		goto done;
	}
	n = mo_word(p + 8, swapped);
	otab = mo_word(p + 12, swapped);
	ttab = mo_word(p + 16, swapped);
	/* Dividing first keeps n * 8 from overflowing. */
	if (n > b.len / 8 || otab > b.len || ttab > b.len ||
	    b.len - otab < (size_t)n * 8 || b.len - ttab < (size_t)n * 8) {
		us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
		    "%s is truncated or corrupt (string tables out of range)",
		    path);
		goto done;
	}

	refs = us_calloc(n, sizeof(*refs));
	nrefs = 0;
	for (i = 0; i < n; i++) {
		if (!mo_string(&b, otab + i * 8, swapped, &id, &idlen) ||
		    !mo_string(&b, ttab + i * 8, swapped, &str, &slen)) {
			us_error_set(err, US_E_INTERNAL, NULL, "catalogue",
			    "%s is truncated or corrupt (string %zu out of "
			    "range)", path, i);
			goto done;
		}
		/* The empty msgid holds the catalogue's header, not text. */
		if (*id == '\0')
			continue;
		refs[nrefs].id = id;
		refs[nrefs].str = str;
		refs[nrefs].str_len = slen;
		refs[nrefs].order = i;
		nrefs++;
	}
	qsort(refs, nrefs, sizeof(*refs), mo_ref_cmp);

	mo->v = us_calloc(nrefs, sizeof(*mo->v));
	for (i = 0; i < nrefs; i++) {
		if (mo->n > 0 && strcmp(mo->v[mo->n - 1].msgid,
		    refs[i].id) == 0)
			continue;
		e = &mo->v[mo->n++];
		e->msgid = us_strdup(refs[i].id);
		e->msgstr = us_strndup(refs[i].str, refs[i].str_len);
		e->msgstr_len = refs[i].str_len;
		e->nforms = 1;
		for (k = 0; k < refs[i].str_len; k++) {
			if (refs[i].str[k] == '\0')
				e->nforms++;
		}
	}
	rc = US_OK;
done:
	free(refs);
	us_buf_free(&b);
	if (rc != US_OK)
		us_mo_free(mo);
	return (rc);
}

static const struct us_mo_entry *
mo_find(const struct us_mo *mo, const char *msgid)
{
	size_t	lo, hi, mid;
	int	c;

	if (mo == NULL || msgid == NULL)
		return (NULL);
	lo = 0;
	hi = mo->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(msgid, mo->v[mid].msgid)) == 0)
			return (&mo->v[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

/*
 * An empty translation means "not translated" in gettext, so it is
 * reported as absent and the caller falls back to the original.
 */
const char *
us_mo_get(const struct us_mo *mo, const char *msgid)
{
	return (us_mo_nget(mo, msgid, 0));
}

const char *
us_mo_nget(const struct us_mo *mo, const char *msgid, int form)
{
	const struct us_mo_entry	*e;
	const char			*s, *end;
	int				 i;

	if (form < 0 || (e = mo_find(mo, msgid)) == NULL ||
	    (size_t)form >= e->nforms)
		return (NULL);
	s = e->msgstr;
	end = e->msgstr + e->msgstr_len;
	for (i = 0; i < form; i++)
		s += strlen(s) + 1;
	return (s < end && *s != '\0' ? s : NULL);
}

void
us_mo_free(struct us_mo *mo)
{
	size_t	i;

	for (i = 0; i < mo->n; i++) {
		free(mo->v[i].msgid);
		free(mo->v[i].msgstr);
	}
	free(mo->v);
	mo->v = NULL;
	mo->n = 0;
}
