/*
 * us_import: reading the signatories a coordinator pastes (a numbered
 * list copied from a statement) or uploads (a CSV file) into rows of
 * fields for the signature rules, and lines that cannot be read into
 * rejects that tell a person what is wrong and where.  Nothing here
 * checks emails or websites: the caller runs us_sign_validate on each
 * row.
 */
#ifndef US_LISTPARSE_H
#define US_LISTPARSE_H

#include <stddef.h>

#include "error.h"
#include "fields.h"

#define US_IMPORT_NAME_MAX	300	/* characters, as the signature rule */
#define US_IMPORT_LINE_MAX	4000	/* bytes of one pasted line */

struct us_import_row {
	size_t		 line;		/* 1-based line number in the input */
	char		*text;		/* the line (or CSV record) as given */
	struct us_fields fields;	/* organisation, acronym, country,
					   country2, website, contact_name,
					   contact_role, email, comment,
					   visibility: whatever was found */
};

struct us_import_reject {
	size_t	 line;
	char	*text;
	char	 reason[200];		/* what was wrong, for a person */
};

struct us_import {
	struct us_import_row	*rows;
	size_t			 nrows;
	struct us_import_reject	*rejects;
	size_t			 nrejects;
};

int	us_import_list(struct us_import *, const char *, size_t);
int	us_import_csv(struct us_import *, const char *, size_t,
	    struct us_error *);
void	us_import_free(struct us_import *);

#endif
