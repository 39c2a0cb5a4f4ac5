/*
 * us_card: the picture shown where a statement's address is shared
 * (og:image, the Twitter card): a 1200 x 630 PNG with the title, the
 * signature count and who coordinates, drawn with Pango and Cairo.
 * Plain C; safe to call from several threads at once.
 */
#ifndef US_CARD_H
#define US_CARD_H

#include "buf.h"
#include "error.h"

#define US_CARD_WIDTH		1200
#define US_CARD_HEIGHT		630
#define US_CARD_REV_LEN		16	/* hex characters of a revision */

/* What a card shows; NULL (or goal 0) leaves a part out. */
struct us_card {
	const char	*title;
	const char	*count_text;	/* "312 organisations have signed." */
	const char	*by;		/* the coordinating organisation */
	const char	*site;		/* the host, bottom line */
	const char	*lang;		/* of the title, for shaping */
	long		 count;
	long		 goal;
};

void	us_card_revision(const struct us_card *,
	    char [US_CARD_REV_LEN + 1]);
int	us_card_png(const struct us_card *, struct us_buf *,
	    struct us_error *);

#endif
