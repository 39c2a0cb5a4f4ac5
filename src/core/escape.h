/*
 * us_esc: output escaping, one function per output context.
 */
#ifndef US_ESCAPE_H
#define US_ESCAPE_H

#include "buf.h"

void	us_esc_html(struct us_buf *, const char *);
void	us_esc_url(struct us_buf *, const char *);
void	us_esc_path(struct us_buf *, const char *);

#endif
