/*
 * us_import: reading the signatories a coordinator pastes (a numbered
 * list copied from a statement, import_list.c) or uploads (a CSV file,
 * import_csv.c) into rows of fields for the signature rules, and lines
 * that cannot be read into rejects that tell a person what is wrong and
 * where.  import.c holds what both share: the rows and rejects, the
 * coordinator's corrections, validation by the signature rules, and
 * duplicate detection against the statement's list and the other lines.
 *
 * The steps, in order: us_import_list or us_import_csv; us_import_fix
 * for each corrected line; us_import_validate; us_import_dupes; then
 * us_import_wanted says which rows to store.
 */
#ifndef US_IMPORT_H
#define US_IMPORT_H

#include <stddef.h>

#include "error.h"
#include "fields.h"

#define US_IMPORT_NAME_MAX	300	/* characters, as the signature rule */
#define US_IMPORT_LINE_MAX	4000	/* bytes of one pasted line */
#define US_IMPORT_ACRONYM_MAX	40	/* characters, as the signature rule */
#define US_IMPORT_REASON_MAX	200
#define US_IMPORT_QUOTE_MAX	40	/* characters of a user's text quoted */
#define US_IMPORT_QUOTE_SIZE	(US_IMPORT_QUOTE_MAX * 4 + 4)
#define US_IMPORT_DIGEST_HEX	65	/* SHA-256 in hex, and a NUL */

/* What the coordinator said about a row; the default follows duplicates. */
#define US_IMPORT_KEEP_DEFAULT	(-1)
#define US_IMPORT_KEEP_NO	0
#define US_IMPORT_KEEP_YES	1

struct us_import_row {
	size_t		 line;		/* 1-based line number in the input */
	char		*text;		/* the line (or CSV record) as given */
	struct us_fields fields;	/* organisation, acronym, country,
					   country2, website, contact_name,
					   contact_role, email, comment,
					   visibility: whatever was found */
	char		 warning[US_IMPORT_REASON_MAX];	/* a guess to check,
							   "" when none */
	int		 keep;		/* US_IMPORT_KEEP_* */
	int		 fixed;		/* corrected by the coordinator */
	char		*dup_of;	/* the organisation this one repeats */
	size_t		 dup_line;	/* its line in this input, 0 when it
					   is already on the statement */
	int		 stored;	/* set by whoever stores the rows */
};

/* A line that is not imported, or (as a warning) imported with a guess. */
struct us_import_reject {
	size_t	 line;
	char	*text;
	char	 reason[US_IMPORT_REASON_MAX];	/* for a person */
};

struct us_import {
	struct us_import_row	*rows;
	size_t			 nrows;
	struct us_import_reject	*rejects;
	size_t			 nrejects;
};

/* An organisation already on the statement, for us_import_dupes. */
struct us_import_known {
	const char	*name;
	const char	*display_name;
	const char	*acronym;
	const char	*country;
	const char	*country2;
	const char	*website;
};

int	us_import_list(struct us_import *, const char *, size_t);
int	us_import_csv(struct us_import *, const char *, size_t,
	    struct us_error *);
int	us_import_fix(struct us_import *, size_t, const char *, const char *,
	    const char *, int);
void	us_import_digest(const char *, size_t,
	    char [US_IMPORT_DIGEST_HEX]);
void	us_import_validate(struct us_import *);
void	us_import_dupes(struct us_import *, const struct us_import_known *,
	    size_t);
int	us_import_wanted(const struct us_import_row *);
void	us_import_free(struct us_import *);

/* Shared by import_list.c and import_csv.c. */
struct us_import_row *us_import_row_add(struct us_import *, size_t,
	    const char *, size_t);
void	us_import_reject_add(struct us_import *, size_t, const char *, size_t,
	    const char *, ...) __attribute__((format(printf, 5, 6)));
void	us_import_quote(char *, size_t, const char *);
void	us_import_utf8_fix(char *);
char	*us_import_trim(char *);
int	us_import_countries(struct us_fields *, const char *, char *,
	    size_t);

#endif
