#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fields.h"

static int	form_decode(const char *, size_t, struct us_buf *);
static int	hexval(int);

void
us_fields_init(struct us_fields *f)
{
	f->v = NULL;
	f->n = 0;
	f->cap = 0;
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
	us_fields_init(f);
}

const struct us_field *
us_fields_find(const struct us_fields *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].name, name) == 0)
			return (&f->v[i]);
	}
	return (NULL);
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
	size_t		 i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].name, name) == 0) {
			free(f->v[i].value);
			f->v[i].value = us_strndup(value, len);
			f->v[i].len = len;
			return;
		}
	}
	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : f->cap * 2;
		f->v = us_realloc(f->v, f->cap * sizeof(*f->v));
	}
	fl = &f->v[f->n++];
	fl->name = us_strdup(name);
	fl->value = us_strndup(value, len);
	fl->len = len;
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
