/*
 * us_text: the rules every user-supplied string passes before anything
 * else looks at it: valid UTF-8, no control characters, trimmed, line
 * ends normalised, length counted in characters (not bytes).
 */
#ifndef US_TEXT_H
#define US_TEXT_H

#include <stddef.h>

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

#endif
