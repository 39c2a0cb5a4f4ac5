/*
 * us_act: the ready ways to act on an urgent action, as links a reader
 * follows: a mailto: with the subject and the sample letter filled in,
 * tel: and fax: for the numbers, the social profile's address.
 */
#ifndef US_ACT_H
#define US_ACT_H

#include <stddef.h>

#include "buf.h"

/*
 * The longest mailto: URL we write, in bytes.  Mail clients and the
 * systems between a browser and them cut or refuse longer ones: Outlook
 * and the Windows shell at about 2,000 characters, so the letter is cut
 * to stay under that with room to spare.
 */
#define US_ACT_MAILTO_MAX	1800

int	us_act_mailto(struct us_buf *, const char *, const char *,
	    const char *, const char *, size_t);
int	us_act_tel(struct us_buf *, const char *, const char *);
int	us_act_social_url(struct us_buf *, const char *);

#endif
