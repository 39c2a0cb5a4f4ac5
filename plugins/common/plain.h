/*
 * CommonMark to plain text, for the text formats.
 */
#ifndef US_PLAIN_H
#define US_PLAIN_H

#include <cmark.h>

#include "out.h"

void	us_plain_render(struct us_out *, const char *);
void	us_plain_node(struct us_out *, cmark_node *);

#endif
