/*
 * us_when: a moment as people read it, the one format of an embargo and
 * a publication time everywhere: local time, zone name, day, e.g.
 * "00:01 (Asia/Bishkek), Wednesday 9 December 2026" or, in Russian,
 * "00:01 (Asia/Bishkek), среда, 9 декабря 2026".
 */
#ifndef US_WHEN_H
#define US_WHEN_H

#include "buf.h"

int	us_when_text(struct us_buf *, const char *, const char *,
	    const char *);
int	us_when_stamp(struct us_buf *, const char *, const char *,
	    const char *);
int	us_when_expired(const char *, const char *);

#endif
