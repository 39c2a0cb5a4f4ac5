/*
 * us_stmt: the statement as a coordinator submits it: validation of the
 * fields and addressees, Markdown rendering, the digest that binds a
 * signature to the exact text, and the rules of its status.
 */
#ifndef US_STATEMENT_H
#define US_STATEMENT_H

#include <jansson.h>

#include "error.h"
#include "fields.h"

#define US_STMT_ADDRESSEES_MAX	100
#define US_STMT_CONTACTS_MAX	20
#define US_DIGEST_HEX		65

/* A list of objects in the input, each validated by its own table. */
struct us_fieldlist {
	struct us_fields	*v;
	size_t			 n;
};

struct us_stmt_input {
	struct us_fields	 f;
	struct us_fieldlist	 addressees;
	struct us_fieldlist	 contacts;	/* media contacts */
	char			*body_html;
	char			 digest[US_DIGEST_HEX];
};

int	us_stmt_parse(const json_t *, struct us_stmt_input *,
	    struct us_errlist *);
void	us_stmt_input_free(struct us_stmt_input *);
void	us_stmt_slug_suggest(const char *, char *, size_t);
int	us_stmt_patch(json_t *, const json_t *, struct us_error *);
void	us_stmt_digest(const char *, const char *, const char *,
	    char [US_DIGEST_HEX]);
int	us_stmt_transition(const char *, const char *, struct us_error *);
int	us_stmt_valid_status(const char *);

extern const char *const	us_stmt_kinds[];

#endif
