/*
 * us_share: what a statement needs to be shared without third-party
 * scripts: plain links to the sharing pages of mail and the social
 * networks people in the region use, and descriptions cut at a word.
 */
#ifndef US_SHARE_H
#define US_SHARE_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

/* Characters of an og:description (Facebook shows about 200 on a card). */
#define US_SHARE_DESCRIPTION_MAX	200

void	 us_share_cut(struct us_buf *, const char *, size_t);
json_t	*us_share_links(const char *, const char *, const char *);

#endif
