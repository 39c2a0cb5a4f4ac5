/*
 * The sentences the text formats share: the signatory list line, the
 * count of unnamed organisations, what the file is, dates in words, all
 * in the statement's language through the model's tr(), ntr() and
 * format_date().  Each takes an escaper,
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
const char *us_prose_tr(const struct us_p_statement *, const char *);
void	us_prose_n(struct us_out *, const struct us_p_statement *,
	    const char *, const char *, unsigned long);
void	us_prose_counts(struct us_out *, const struct us_p_statement *,
	    us_prose_esc);
void	us_prose_facts(struct us_out *, const struct us_p_statement *,
	    us_prose_esc, const char *, const char *);
void	us_prose_record(struct us_out *, const struct us_p_statement *,
	    us_prose_esc, const char *, const char *);
int	us_prose_ymd(const char *, int *, int *, int *);
int	us_prose_date(const struct us_p_statement *, char *, size_t,
	    const char *, int);

#endif
