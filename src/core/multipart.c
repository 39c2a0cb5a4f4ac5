#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "multipart.h"

static const char	*mp_find(const char *, size_t, const char *, size_t);
static int		 mp_param(const char *, size_t, const char *, char *,
			    size_t);

/* memmem over a body that may hold NUL bytes. */
static const char *
mp_find(const char *hay, size_t len, const char *needle, size_t nlen)
{
	size_t	i;

	if (nlen == 0 || len < nlen)
		return (NULL);
	for (i = 0; i + nlen <= len; i++) {
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return (hay + i);
	}
	return (NULL);
}

/* name="value" (or name=value) in a header line. */
static int
mp_param(const char *h, size_t len, const char *name, char *out,
    size_t outlen)
{
	const char	*p, *end = h + len, *v;
	size_t		 nlen = strlen(name), n;

	for (p = h; p + nlen + 1 < end; p++) {
		if (strncasecmp(p, name, nlen) != 0 || p[nlen] != '=' ||
		    (p > h && p[-1] != ' ' && p[-1] != ';'))
			continue;
		v = p + nlen + 1;
		if (*v == '"') {
			v++;
			for (n = 0; v + n < end && v[n] != '"'; n++)
				;
		} else
			n = strcspn(v, "; \r\n") < (size_t)(end - v) ?
			    strcspn(v, "; \r\n") : (size_t)(end - v);
		if (n >= outlen)
			return (US_FAIL);
		memcpy(out, v, n);
		out[n] = '\0';
		return (US_OK);
	}
	return (US_FAIL);
}

/*
 * content_type is the request's header (it carries the boundary).  Each
 * part becomes a field; malformed framing is a 400, not a guess.
 */
int
us_multipart_parse(struct us_fields *f, const char *content_type,
    const char *body, size_t len, struct us_error *err)
{
	char		 boundary[100], delim[110], name[128], fname[256];
	char		 key[160];
	const char	*p, *end, *hdr, *hend, *next;
	size_t		 dlen, parts = 0;

	if (content_type == NULL || strncasecmp(content_type,
	    "multipart/form-data", 19) != 0 || !mp_param(content_type,
	    strlen(content_type), "boundary", boundary, sizeof(boundary)) ||
	    boundary[0] == '\0')
		return (us_error_set(err, US_E_MALFORMED, NULL, "malformed_form",
		    "The form must be sent as multipart/form-data with a "
		    "boundary."));
	(void)snprintf(delim, sizeof(delim), "--%s", boundary);
	dlen = strlen(delim);
	end = body + len;
	if ((p = mp_find(body, len, delim, dlen)) == NULL)
		goto bad;
	for (;;) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (US_OK);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			goto bad;
		if (++parts > US_FIELDS_MAX)
			return (us_fields_too_many(err));
		hdr = p + 2;
		if ((hend = mp_find(hdr, (size_t)(end - hdr), "\r\n\r\n", 4)) ==
		    NULL)
			goto bad;
		if (!mp_param(hdr, (size_t)(hend - hdr), "name", name,
		    sizeof(name)))
			goto bad;
		p = hend + 4;
		if ((next = mp_find(p, (size_t)(end - p), delim, dlen)) == NULL ||
		    next - p < 2 || next[-2] != '\r' || next[-1] != '\n')
			goto bad;
		if (us_fields_find(f, name) == NULL)
			us_fields_set(f, name, p, (size_t)(next - p - 2));
		if (mp_param(hdr, (size_t)(hend - hdr), "filename", fname,
		    sizeof(fname))) {
			(void)snprintf(key, sizeof(key), "%s.filename", name);
			us_fields_set(f, key, fname, strlen(fname));
		}
		p = next;
	}
bad:
	return (us_error_set(err, US_E_MALFORMED, NULL, "malformed_form",
	    "The uploaded form data is malformed."));
}
