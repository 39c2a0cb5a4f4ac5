#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fields.h"

static int	form_decode(const char *, size_t, struct us_buf *);
static int	hexval(int);
static uint64_t	name_hash(const char *);
static size_t	*slot_for(const struct us_fields *, const char *);
static void	slots_grow(struct us_fields *);

void
us_fields_init(struct us_fields *f)
{
	f->v = NULL;
	f->n = 0;
	f->cap = 0;
	f->slots = NULL;
	f->nslots = 0;
}

void
us_fields_free(struct us_fields *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	free(f->slots);
	us_fields_init(f);
}

/* FNV-1a: short keys, no need for more. */
static uint64_t
name_hash(const char *name)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 1099511628211ULL;
	}
	return (h);
}

/*
 * The slot that holds name, or the empty slot where it would go.  The
 * table is never more than half full, so probing ends quickly.
 */
static size_t *
slot_for(const struct us_fields *f, const char *name)
{
	size_t	mask = f->nslots - 1, i;

	for (i = (size_t)name_hash(name) & mask;; i = (i + 1) & mask) {
		if (f->slots[i] == 0 ||
		    strcmp(f->v[f->slots[i] - 1].name, name) == 0)
			return (&f->slots[i]);
	}
}

static void
slots_grow(struct us_fields *f)
{
	size_t	i;

	free(f->slots);
	f->nslots = f->nslots == 0 ? 32 : f->nslots * 2;
	f->slots = us_calloc(f->nslots, sizeof(*f->slots));
	for (i = 0; i < f->n; i++)
		*slot_for(f, f->v[i].name) = i + 1;
}

const struct us_field *
us_fields_find(const struct us_fields *f, const char *name)
{
	size_t	*slot;

	if (f->n == 0)
		return (NULL);
	slot = slot_for(f, name);
	return (*slot != 0 ? &f->v[*slot - 1] : NULL);
}

const char *
us_fields_get(const struct us_fields *f, const char *name)
{
	const struct us_field	*fl;

	fl = us_fields_find(f, name);
	return (fl != NULL ? fl->value : NULL);
}

/* The value may hold NUL bytes (from %00); len says how long it really is. */
void
us_fields_set(struct us_fields *f, const char *name, const char *value,
    size_t len)
{
	struct us_field	*fl;
	size_t		*slot;

	if (2 * (f->n + 1) > f->nslots)
		slots_grow(f);
	slot = slot_for(f, name);
	if (*slot != 0) {
		fl = &f->v[*slot - 1];
		free(fl->value);
		fl->value = us_strndup(value, len);
		fl->len = len;
		return;
	}
	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : f->cap * 2;
		f->v = us_realloc(f->v, f->cap * sizeof(*f->v));
	}
	fl = &f->v[f->n++];
	fl->name = us_strdup(name);
	fl->value = us_strndup(value, len);
	fl->len = len;
	*slot = f->n;
}

/* The one answer of every parser that meets more than US_FIELDS_MAX. */
int
us_fields_too_many(struct us_error *err)
{
	return (us_error_set(err, US_E_TOOLARGE, NULL, "too_many_fields",
	    "The request has more than %d fields; send only the fields of "
	    "the form.", US_FIELDS_MAX));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

static int
form_decode(const char *s, size_t len, struct us_buf *out)
{
	size_t	i;
	int	hi, lo;

	us_buf_reset(out);
	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			us_buf_putc(out, ' ');
		} else if (s[i] == '%') {
			if (i + 2 >= len)
				return (US_FAIL);
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return (US_FAIL);
			us_buf_putc(out, hi * 16 + lo);
			i += 2;
		} else
			us_buf_putc(out, s[i]);
	}
	return (US_OK);
}

/*
 * application/x-www-form-urlencoded.  The first occurrence of a name wins,
 * so a second "email=" appended by a tampering proxy changes nothing.
 */
int
us_form_parse(struct us_fields *f, const char *body, size_t len,
    struct us_error *err)
{
	struct us_buf	 name, value;
	const char	*p, *end, *amp, *eq;
	size_t		 seen = 0;
	int		 rc = US_FAIL;

	us_buf_init(&name);
	us_buf_init(&value);
	p = body;
	end = body + len;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (!form_decode(p, (size_t)(eq - p), &name) ||
		    (eq < amp && !form_decode(eq + 1, (size_t)(amp - eq - 1),
		    &value))) {
			us_error_set(err, US_E_MALFORMED, NULL, "malformed_form",
			    "The form data is not validly URL-encoded.");
			goto done;
		}
		if (eq == amp)
			us_buf_reset(&value);
		if (name.len > 0 && ++seen > US_FIELDS_MAX) {
			(void)us_fields_too_many(err);
			goto done;
		}
		if (name.len > 0 && strlen(name.data) == name.len &&
		    us_fields_find(f, name.data) == NULL)
			us_fields_set(f, name.data,
			    value.data != NULL ? value.data : "", value.len);
		p = amp + 1;
	}
	rc = US_OK;
done:
	us_buf_free(&name);
	us_buf_free(&value);
	return (rc);
}

/*
 * Copies the members of a JSON object into fields: strings as they are,
 * booleans as "true"/"false", integers in decimal; null is treated as
 * absent.  Nested values are left for the caller, who knows their shape.
 */
int
us_fields_from_json(struct us_fields *f, const json_t *obj,
    struct us_error *err)
{
	const char	*key;
	json_t		*v;
	char		 num[32];

	if (!json_is_object(obj))
		return (us_error_set(err, US_E_MALFORMED, NULL, "not_an_object",
		    "The request body must be a JSON object."));
	if (json_object_size(obj) > US_FIELDS_MAX)
		return (us_fields_too_many(err));
	json_object_foreach((json_t *)obj, key, v) {
		switch (json_typeof(v)) {
		case JSON_STRING:
			us_fields_set(f, key, json_string_value(v),
			    json_string_length(v));
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			us_fields_set(f, key, json_is_true(v) ? "true" : "false",
			    json_is_true(v) ? 4 : 5);
			break;
		case JSON_INTEGER:
			(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			us_fields_set(f, key, num, strlen(num));
			break;
		case JSON_NULL:
		case JSON_OBJECT:
		case JSON_ARRAY:
			break;
		case JSON_REAL:
			return (us_error_set(err, US_E_INVALID, key,
			    "invalid_type", "'%s' must be a string.", key));
		}
	}
	return (US_OK);
}
