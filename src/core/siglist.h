/*
 * us_siglist: a statement's public list as compact rows, for renders of
 * the whole list (downloads of 100,000 names): one array of rows and one
 * block of text, instead of a JSON object per name.
 */
#ifndef US_SIGLIST_H
#define US_SIGLIST_H

#include <stddef.h>

struct us_sigrow {
	unsigned int	 position;
	const char	*organisation;
	const char	*acronym;	/* NULL when none */
	const char	*country;	/* alpha-2, NULL when none */
	const char	*country2;
	const char	*signed_on;	/* YYYY-MM-DD */
};

struct us_siglist {
	size_t			 n;
	struct us_sigrow	*v;
	char			*text;	/* every string of v */
};

void	us_siglist_free(struct us_siglist *);

#endif
