#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void	buf_grow(struct us_buf *, size_t);

void *
us_malloc(size_t len)
{
	void	*p;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		abort();
	return (p);
}

void *
us_calloc(size_t n, size_t len)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, len == 0 ? 1 : len)) == NULL)
		abort();
	return (p);
}

void *
us_realloc(void *ptr, size_t len)
{
	void	*p;

	if ((p = realloc(ptr, len == 0 ? 1 : len)) == NULL)
		abort();
	return (p);
}

char *
us_strdup(const char *s)
{
	return (us_strndup(s, strlen(s)));
}

char *
us_strndup(const char *s, size_t len)
{
	char	*p;

	p = us_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

void
us_buf_init(struct us_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
us_buf_free(struct us_buf *b)
{
	free(b->data);
	us_buf_init(b);
}

void
us_buf_reset(struct us_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Keep one spare byte so data[len] can always hold the terminator. */
static void
buf_grow(struct us_buf *b, size_t extra)
{
	size_t	need, cap;

	if (b->len + extra + 1 < b->len)
		abort();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap == 0 ? 128 : b->cap;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			abort();
		cap *= 2;
	}
	b->data = us_realloc(b->data, cap);
	b->cap = cap;
}

void
us_buf_append(struct us_buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
us_buf_puts(struct us_buf *b, const char *s)
{
	us_buf_append(b, s, strlen(s));
}

void
us_buf_putc(struct us_buf *b, int c)
{
	char	ch = (char)c;

	us_buf_append(b, &ch, 1);
}

void
us_buf_vappendf(struct us_buf *b, const char *fmt, va_list ap)
{
	va_list	copy;
	int	n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		abort();
	buf_grow(b, (size_t)n);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
us_buf_appendf(struct us_buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	us_buf_vappendf(b, fmt, ap);
	va_end(ap);
}

/* Hand the bytes to the caller, who frees them; the buffer is empty after. */
char *
us_buf_release(struct us_buf *b)
{
	char	*p;

	if (b->data == NULL)
		return (us_strdup(""));
	p = b->data;
	us_buf_init(b);
	return (p);
}
