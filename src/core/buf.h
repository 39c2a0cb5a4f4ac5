/*
 * us_buf: the one growable byte buffer used throughout undersigned.
 * The data is always NUL-terminated past len so it can be used as a C
 * string; allocation failure aborts (there is nothing sane to do).
 */
#ifndef US_BUF_H
#define US_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct us_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 us_buf_init(struct us_buf *);
void	 us_buf_free(struct us_buf *);
void	 us_buf_reset(struct us_buf *);
void	 us_buf_append(struct us_buf *, const void *, size_t);
void	 us_buf_puts(struct us_buf *, const char *);
void	 us_buf_putc(struct us_buf *, int);
void	 us_buf_appendf(struct us_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 us_buf_vappendf(struct us_buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
char	*us_buf_release(struct us_buf *);

void	*us_malloc(size_t);
void	*us_calloc(size_t, size_t);
void	*us_realloc(void *, size_t);
char	*us_strdup(const char *);
char	*us_strndup(const char *, size_t);

#endif
