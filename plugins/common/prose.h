/*
 * The sentences the text formats share: the signatory list line, the
 * count of unnamed organisations, dates in words.  Each takes an escaper,
 * so the same sentence comes out as plain text, Markdown or HTML.
 */
#ifndef US_PROSE_H
#define US_PROSE_H

#include <stddef.h>

#include "undersigned-plugin.h"
#include "out.h"

typedef void	(*us_prose_esc)(struct us_out *, const char *, size_t);

void	us_prose_plain(struct us_out *, const char *, size_t);
void	us_prose_line(struct us_out *, const char *, us_prose_esc);
void	us_prose_lines(struct us_out *, const char *, us_prose_esc,
	    const char *, int *);
void	us_prose_details(struct us_out *, const struct us_p_signatory *,
	    us_prose_esc);
void	us_prose_unnamed(struct us_out *, const struct us_p_statement *);
void	us_prose_count(struct us_out *, const struct us_p_statement *);
int	us_prose_ymd(const char *, int *, int *, int *);
int	us_prose_date(char *, size_t, const char *, int);

#endif
