#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"
#include "text.h"

struct jcs_member {
	const char	*key;
	const json_t	*value;
};

static int	jcs_value(struct us_buf *, const json_t *, struct us_error *);
static int	jcs_string(struct us_buf *, const char *, size_t,
		    struct us_error *);
static int	jcs_utf8(const unsigned char *, size_t, size_t *,
		    uint32_t *);
static int	jcs_key_cmp(const void *, const void *);
static int	jcs_utf16_cmp(const char *, const char *);

/* One code point (us_utf8_decode): its value and length; 0: invalid. */
static int
jcs_utf8(const unsigned char *s, size_t len, size_t *n, uint32_t *cp)
{
	unsigned int	c;
	int		k;

	if ((k = us_utf8_decode(s, len, &c)) == 0)
		return (0);
	*n = (size_t)k;
	*cp = c;
	return (1);
}

/*
 * Member names compare as sequences of UTF-16 code units (RFC 8785
 * 3.2.3): a code point above U+FFFF counts as its high surrogate first,
 * which sorts it below U+E000..U+FFFF, unlike a byte-wise UTF-8 order.
 * Names were checked as valid UTF-8 before sorting.
 */
static int
jcs_utf16_cmp(const char *a, const char *b)
{
	const unsigned char	*p = (const unsigned char *)a;
	const unsigned char	*q = (const unsigned char *)b;
	size_t			 la = strlen(a), lb = strlen(b), n, m;
	uint32_t		 ca, cb, ua[2], ub[2];
	int			 na, nb, i;

	while (la > 0 && lb > 0) {
		/* Names were checked before sorting; bytes otherwise. */
		if (!jcs_utf8(p, la, &n, &ca) || !jcs_utf8(q, lb, &m, &cb))
			return (strcmp((const char *)p, (const char *)q));
		p += n;
		la -= n;
		q += m;
		lb -= m;
		if (ca == cb)
			continue;
		na = nb = 1;
		ua[0] = ca;
		ub[0] = cb;
		if (ca >= 0x10000) {
			ua[0] = 0xd800 + ((ca - 0x10000) >> 10);
			ua[1] = 0xdc00 + ((ca - 0x10000) & 0x3ff);
			na = 2;
		}
		if (cb >= 0x10000) {
			ub[0] = 0xd800 + ((cb - 0x10000) >> 10);
			ub[1] = 0xdc00 + ((cb - 0x10000) & 0x3ff);
			nb = 2;
		}
		for (i = 0; i < na && i < nb; i++) {
			if (ua[i] != ub[i])
				return (ua[i] < ub[i] ? -1 : 1);
		}
		return (na < nb ? -1 : 1);
	}
	return (la == lb ? 0 : la < lb ? -1 : 1);
}

static int
jcs_key_cmp(const void *a, const void *b)
{
	return (jcs_utf16_cmp(((const struct jcs_member *)a)->key,
	    ((const struct jcs_member *)b)->key));
}

static int
jcs_string(struct us_buf *b, const char *s, size_t len, struct us_error *err)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n;
	uint32_t		 cp;

	us_buf_putc(b, '"');
	for (i = 0; i < len; i += n) {
		if (!jcs_utf8(p + i, len - i, &n, &cp))
			return (us_error_set(err, US_E_INVALID, NULL,
			    "invalid_utf8", "a string is not valid UTF-8 "
			    "(byte %zu)", i));
		switch (cp) {
		case '"':
			us_buf_puts(b, "\\\"");
			break;
		case '\\':
			us_buf_puts(b, "\\\\");
			break;
		case '\b':
			us_buf_puts(b, "\\b");
			break;
		case '\f':
			us_buf_puts(b, "\\f");
			break;
		case '\n':
			us_buf_puts(b, "\\n");
			break;
		case '\r':
			us_buf_puts(b, "\\r");
			break;
		case '\t':
			us_buf_puts(b, "\\t");
			break;
		default:
			if (cp < 0x20)
				us_buf_appendf(b, "\\u%04x", (unsigned int)cp);
			else
				us_buf_append(b, p + i, n);
			break;
		}
	}
	us_buf_putc(b, '"');
	return (US_OK);
}

/*
 * A double as ECMAScript's Number.prototype.toString() writes it
 * (ECMA-262 7.1.12.1), which RFC 8785 requires: the shortest digits that
 * read back as the same double, then plain or exponent notation by where
 * the decimal point falls.  NaN and the infinities are not JSON.
 */
int
us_jcs_number(struct us_buf *b, double v, struct us_error *err)
{
	char	tmp[40], digits[24];
	int	prec, exp, k, n, i;
	char	*e, *p;

	if (isnan(v) || isinf(v))
		return (us_error_set(err, US_E_INVALID, NULL, "bad_number",
		    "NaN and Infinity have no JSON form"));
	if (v == 0) {
		us_buf_putc(b, '0');
		return (US_OK);
	}
	if (v < 0) {
		us_buf_putc(b, '-');
		v = -v;
	}
	for (prec = 1; prec <= 17; prec++) {
		(void)snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* tmp is d.ddde[+-]xx: the digits without trailing zeros, and n. */
	e = strchr(tmp, 'e');
	exp = (int)strtol(e + 1, NULL, 10);
	k = 0;
	for (p = tmp; p < e; p++) {
		if (*p >= '0' && *p <= '9')
			digits[k++] = *p;
	}
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	n = exp + 1;

	if (k <= n && n <= 21) {
		us_buf_append(b, digits, (size_t)k);
		for (i = k; i < n; i++)
			us_buf_putc(b, '0');
	} else if (0 < n && n <= 21) {
		us_buf_append(b, digits, (size_t)n);
		us_buf_putc(b, '.');
		us_buf_append(b, digits + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		us_buf_puts(b, "0.");
		for (i = 0; i < -n; i++)
			us_buf_putc(b, '0');
		us_buf_append(b, digits, (size_t)k);
	} else {
		us_buf_putc(b, digits[0]);
		if (k > 1) {
			us_buf_putc(b, '.');
			us_buf_append(b, digits + 1, (size_t)(k - 1));
		}
		us_buf_appendf(b, "e%c%d", n - 1 < 0 ? '-' : '+',
		    abs(n - 1));
	}
	return (US_OK);
}

static int
jcs_value(struct us_buf *b, const json_t *v, struct us_error *err)
{
	struct jcs_member	*m;
	const char		*key;
	json_t			*item;
	json_int_t		 iv;
	size_t			 i, n, len;
	uint32_t		 cp;
	int			 ok = US_OK;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		n = json_object_size(v);
		m = calloc(n > 0 ? n : 1, sizeof(*m));
		if (m == NULL)
			abort();
		i = 0;
		json_object_foreach((json_t *)v, key, item) {
			/* Names are sorted as UTF-16: they must be UTF-8. */
			for (len = 0; key[len] != '\0'; len += n) {
				if (!jcs_utf8((const unsigned char *)key + len,
				    strlen(key + len), &n, &cp)) {
					free(m);
					return (us_error_set(err, US_E_INVALID,
					    NULL, "invalid_utf8", "a member "
					    "name is not valid UTF-8"));
				}
			}
			m[i].key = key;
			m[i++].value = item;
		}
		n = i;
		qsort(m, n, sizeof(*m), jcs_key_cmp);
		us_buf_putc(b, '{');
		for (i = 0; i < n && ok; i++) {
			if (i > 0)
				us_buf_putc(b, ',');
			if (!(ok = jcs_string(b, m[i].key, strlen(m[i].key),
			    err)))
				break;
			us_buf_putc(b, ':');
			ok = jcs_value(b, m[i].value, err);
		}
		us_buf_putc(b, '}');
		free(m);
		return (ok);
	case JSON_ARRAY:
		us_buf_putc(b, '[');
		json_array_foreach(v, i, item) {
			if (i > 0)
				us_buf_putc(b, ',');
			if (!jcs_value(b, item, err))
				return (US_FAIL);
		}
		us_buf_putc(b, ']');
		return (US_OK);
	case JSON_STRING:
		return (jcs_string(b, json_string_value(v),
		    json_string_length(v), err));
	case JSON_INTEGER:
		/* Exact in a double: as an integer; beyond: as the double. */
		iv = json_integer_value(v);
		if (iv >= -9007199254740992LL && iv <= 9007199254740992LL) {
			us_buf_appendf(b, "%lld", (long long)iv);
			return (US_OK);
		}
		return (us_jcs_number(b, (double)iv, err));
	case JSON_REAL:
		return (us_jcs_number(b, json_real_value(v), err));
	case JSON_TRUE:
		us_buf_puts(b, "true");
		return (US_OK);
	case JSON_FALSE:
		us_buf_puts(b, "false");
		return (US_OK);
	case JSON_NULL:
		us_buf_puts(b, "null");
		return (US_OK);
	}
	return (us_error_set(err, US_E_INTERNAL, NULL, "bad_json",
	    "a JSON value of unknown type"));
}

/* Appends the canonical form of v to b. */
int
us_jcs(struct us_buf *b, const json_t *v, struct us_error *err)
{
	return (jcs_value(b, v, err));
}
