/*
 * us_mo: a reader for GNU gettext binary catalogues (.mo files), in
 * either byte order.  The whole catalogue is copied into a sorted array
 * at load, so lookups are a binary search and the file may go away.
 * Read-only after us_mo_load, hence safe to share between threads.
 */
#ifndef US_MO_H
#define US_MO_H

#include <stddef.h>

#include "error.h"

/* Catalogues bigger than this are refused rather than read into memory. */
#define US_MO_MAX_SIZE	(64 * 1024 * 1024)

struct us_mo_entry {
	char	*msgid;		/* the singular for a plural entry */
	char	*msgstr;	/* every form, each ended by a NUL */
	size_t	 msgstr_len;	/* bytes in msgstr, the last NUL excluded */
	size_t	 nforms;
};

struct us_mo {
	struct us_mo_entry	*v;	/* sorted by msgid (strcmp) */
	size_t			 n;
};

int		 us_mo_load(struct us_mo *, const char *, struct us_error *);
const char	*us_mo_get(const struct us_mo *, const char *);
const char	*us_mo_nget(const struct us_mo *, const char *, int);
void		 us_mo_free(struct us_mo *);

#endif
