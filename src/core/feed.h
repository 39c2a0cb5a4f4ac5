/*
 * us_feed: the Atom 1.0 feed (RFC 4287) of published statements, and
 * the summary cut at a word that it and the index share.
 *
 * Entries are JSON objects {slug, title, lang, body_markdown,
 * published_at, updated_at}; times are RFC 3339 in UTC.  Every text goes
 * through us_esc_xml, so a title like "</title><script>" or a stray
 * control character cannot break the document.
 */
#ifndef US_FEED_H
#define US_FEED_H

#include <jansson.h>

#include "buf.h"

#define US_FEED_SUMMARY_MAX	300	/* characters */

void	us_esc_xml(struct us_buf *, const char *);
void	us_feed_summary(struct us_buf *, const char *, size_t);
void	us_feed_atom(struct us_buf *, const char *, const char *,
	    const json_t *);

#endif
