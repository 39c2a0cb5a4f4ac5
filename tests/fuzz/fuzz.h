/*
 * Shared by the libFuzzer targets: each target feeds one core parser
 * with arbitrary bytes.  Inputs are copied into buffers of exactly their
 * size, without a terminating NUL, so that AddressSanitizer catches any
 * read past the length a parser was given.
 */
#ifndef US_FUZZ_H
#define US_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An exact-size copy of data[0..len). */
static inline char *
fuzz_copy(const uint8_t *data, size_t len)
{
	char	*p;

	if ((p = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(p, data, len);
	return (p);
}

/* A NUL-terminated copy, for interfaces that take C strings. */
static inline char *
fuzz_string(const uint8_t *data, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(p, data, len);
	p[len] = '\0';
	return (p);
}

/*
 * Splits data at the first byte equal to sep: *head gets what precedes
 * it (a C string), the rest stays in data and len.  Without sep the head
 * is empty.
 */
static inline char *
fuzz_split(const uint8_t **data, size_t *len, int sep)
{
	const uint8_t	*s;
	char		*head;

	if ((s = memchr(*data, sep, *len)) == NULL)
		return (fuzz_string(*data, 0));
	head = fuzz_string(*data, (size_t)(s - *data));
	*len -= (size_t)(s - *data) + 1;
	*data = s + 1;
	return (head);
}

#endif
