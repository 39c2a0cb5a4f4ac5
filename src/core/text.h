/*
 * us_text: the rules every user-supplied string passes before anything
 * else looks at it: valid UTF-8, no control characters, trimmed, line
 * ends normalised, length counted in characters (not bytes).
 */
#ifndef US_TEXT_H
#define US_TEXT_H

#include <stddef.h>

struct us_buf;

#define US_TEXT_MULTILINE	0x01

enum us_text_verdict {
	US_TEXT_OK = 0,
	US_TEXT_BAD_UTF8,
	US_TEXT_CONTROL,
	US_TEXT_BIDI		/* bidi embedding, override, isolate */
};

enum us_text_verdict	us_text_clean(const char *, size_t, int, char **,
			    size_t *);
int			us_utf8_decode(const unsigned char *, size_t,
			    unsigned int *);
size_t			us_utf8_chars(const char *);
size_t			us_utf8_prefix(const char *, size_t);
void			us_utf8_put(struct us_buf *, unsigned int);

/* The one table of Unicode white space and case the code base uses. */
int			us_text_is_space(unsigned int);
size_t			us_text_space_len(const char *);
size_t			us_text_space_before(const char *, const char *);
unsigned int		us_text_lower_cp(unsigned int);
int			us_text_is_upper(unsigned int);
int			us_text_is_lower(unsigned int);

#endif
