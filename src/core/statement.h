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
#define US_DIGEST_HEX		65

struct us_addressee {
	struct us_fields	f;	/* name title address email phone */
};

struct us_stmt_input {
	struct us_fields	 f;
	struct us_addressee	*addr;
	size_t			 naddr;
	char			*body_html;
	char			 digest[US_DIGEST_HEX];
};

int	us_stmt_parse(const json_t *, struct us_stmt_input *,
	    struct us_errlist *);
void	us_stmt_input_free(struct us_stmt_input *);
void	us_stmt_digest(const char *, const char *, const char *,
	    char [US_DIGEST_HEX]);
int	us_stmt_transition(const char *, const char *, struct us_error *);
int	us_stmt_valid_status(const char *);

extern const char *const	us_stmt_kinds[];

#endif
