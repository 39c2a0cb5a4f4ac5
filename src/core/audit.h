/*
 * us_audit: one row of the audit log as a sentence in the reader's
 * language, "anna@example.org approved Public Verdict Foundation", in
 * Russian "Координатор anna@example.org одобрил подпись «Public Verdict
 * Foundation»", never the stored verb and JSON.
 */
#ifndef US_AUDIT_H
#define US_AUDIT_H

#include <jansson.h>

#include "buf.h"

/* One stored row; when_local is "YYYY-MM-DD HH:MM" in zone, or NULL. */
struct us_audit_row {
	const char	*who;		/* the coordinator's email, or NULL */
	int		 by_coordinator; /* 0: the signer or the system */
	const char	*action;
	const char	*subject;
	const char	*subject_local;	/* a time subject, in zone */
	const json_t	*before;
	const json_t	*after;
};

void	us_audit_sentence(struct us_buf *, const char *,
	    const struct us_audit_row *, const char *);

#endif
